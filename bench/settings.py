"""
Production settings plus the benchmark's ceiling (``make bench`` only).

``/bench/ceiling/`` answers with the bytes of a page held in memory, through
the same gunicorn, middleware and response construction as a page from the
cache, minus the cache itself: what the page cache is measured against.
"""

from reviewsite.settings import *  # noqa: F403
from reviewsite.settings import MIDDLEWARE

MIDDLEWARE = [
    "bench.ceiling.CeilingMiddleware"
    if name == "reviews.pagecache.middleware.PageCacheMiddleware"
    else name
    for name in MIDDLEWARE
]
