"""The benchmark's ceiling: a page served from memory (bench.settings)."""

import hashlib
import os
import time
from pathlib import Path

from django.utils.http import quote_etag

from reviews.ops.middleware import inline_attribute_policy
from reviews.pagecache.middleware import Generation, PageCacheMiddleware, from_entry

CEILING_PATH = "/bench/ceiling/"


def ceiling_entry():
    content = Path(os.environ["BENCH_CEILING_FILE"]).read_bytes()
    return {
        "generation": Generation(time.time_ns(), content=""),
        "content": content,
        "etag": quote_etag(hashlib.md5(content, usedforsecurity=False).hexdigest()),
        "headers": [("Content-Type", "text/html; charset=utf-8")],
        "attributes": {"_csp_update": inline_attribute_policy(content.decode())},
    }


class CeilingMiddleware(PageCacheMiddleware):
    """The page cache, with one page that never leaves memory."""

    entry = None

    def __call__(self, request):
        if request.path_info == CEILING_PATH:
            # Read once the benchmark has written it, then kept in memory.
            if self.entry is None:
                self.entry = ceiling_entry()
            return from_entry(request, self.entry)
        return super().__call__(request)
