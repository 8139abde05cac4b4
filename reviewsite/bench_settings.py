"""
Production settings plus the benchmark's ceiling (``make bench`` only).

``/bench/ceiling/`` answers with the bytes of a page held in memory, through
the same gunicorn, middleware and response construction as a page from the
cache, minus the cache itself: what the page cache is measured against.
"""

from .settings import *  # noqa: F403
from .settings import MIDDLEWARE

MIDDLEWARE = [
    "reviews.management.bench.CeilingMiddleware"
    if name == "reviews.cache.PageCacheMiddleware"
    else name
    for name in MIDDLEWARE
]
