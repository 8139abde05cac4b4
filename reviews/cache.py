"""
The page cache every app server shares.

Anonymous visitors' public pages and downloads are kept, per address (so per
language), in the default cache, Redis in production. Each page is kept
with the cache *generation* it was built in: a change to any snapshot or its
content (``reviews.content.content_changed``) starts a new generation, so the
next request on every server finds its page out of date and builds it
afresh. The generation and the page are read in one round trip.

The cache is a help, never a dependency: with Redis down the pages are built
from the database, the failure is logged and nobody sees it.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag
from import_export.tmp_storages import CacheStorage

from .content import content_changed

logger = logging.getLogger(__name__)

GENERATION_KEY = "pages:generation"
#: The URL namespace whose pages are cached: the public snapshot pages and
#: their downloads. The language redirect, sitemap and admin are not.
CACHED_NAMESPACE = "reviews"
#: Headers kept with a cached page; the rest are added on the way out, the
#: same for every response (security headers, language, length).
KEPT_HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "Access-Control-Allow-Origin",
    # A download's licence and data package (reviews.open_data).
    "Link",
    "X-Robots-Tag",
)
#: What a view tells the header middlewares outside the cache (django-csp,
#: X-Frame-Options) through its response, kept with the page to tell them
#: again: a page's style hashes, the embed pages' frame ancestors.
KEPT_ATTRIBUTES = ("_csp_update", "_csp_replace", "xframe_options_exempt")


def new_generation():
    """A generation is the time it began, in nanoseconds: ordered and unique."""
    return time.time_ns()


#: Set when a change could not start a new generation (Redis unreachable);
#: this process starts one as soon as it reaches the cache again, in case
#: the cache still holds pages from before the change.
_missed_invalidation = False


def start_generation():
    global _missed_invalidation
    try:
        cache.set(GENERATION_KEY, new_generation(), timeout=None)
    except Exception:
        _missed_invalidation = True
        logger.exception("Could not start a new page cache generation.")
    else:
        _missed_invalidation = False


def invalidate(**kwargs):
    """
    Start a new generation now and again when the transaction commits: a
    request that read the old content between the two must not be kept under
    the new generation. A transaction rolled back (a dry-run import) only
    costs a spurious new generation, which is harmless.
    """
    start_generation()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(start_generation)


def connect_signals():
    content_changed.connect(invalidate, dispatch_uid="reviews.cache.invalidate")


def page_key(request):
    address = f"{request.scheme}://{request.get_host()}{request.path}"
    return "pages:" + hashlib.sha256(address.encode()).hexdigest()


def cached_page(key):
    """
    The current generation and the page kept under ``key`` if it belongs to
    that generation, in one round trip to the cache.
    """
    if _missed_invalidation:
        start_generation()
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, new_generation(), timeout=None)
        return cache.get(GENERATION_KEY), None
    entry = found.get(key)
    if entry is not None and entry["generation"] != generation:
        entry = None
    return generation, entry


def cacheable_request(request):
    """
    A public page (or download) asked for by someone who is not signed in,
    without a query string (which would let anyone fill the cache).
    """
    if request.method not in ("GET", "HEAD") or request.GET:
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    if match.namespace != CACHED_NAMESPACE:
        return False
    # Only a request with a session cookie can be signed in; the session is
    # loaded only then.
    return not (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        and request.user.is_authenticated
    )


def cacheable_response(request, response):
    """
    Only the same bytes for every visitor: nothing private (a draft preview),
    no cookie, no CSRF token and no CSP nonce in it.
    """
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(request, "_csp_nonce", None)
    )


def add_validators(response, entry):
    """ETag, Last-Modified and Cache-Control for browsers and proxies."""
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["generation"] / 1e9)
    response["Cache-Control"] = f"public, max-age={settings.PAGE_BROWSER_MAX_AGE}"
    # A signed-in editor's browser must not reuse what a visitor was given.
    patch_vary_headers(response, ["Cookie"])
    return response


def from_entry(request, entry):
    response = HttpResponse(entry["content"], status=200)
    for name, value in entry["headers"]:
        response[name] = value
    for name, value in entry["attributes"].items():
        setattr(response, name, value)
    add_validators(response, entry)
    return (
        get_conditional_response(
            request,
            etag=entry["etag"],
            last_modified=int(entry["generation"] / 1e9),
            response=response,
        )
        or response
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request):
            return self.get_response(request)
        key = page_key(request)
        try:
            generation, entry = cached_page(key)
        except Exception:
            logger.warning("Page cache unreachable; building the page.", exc_info=True)
            return self.get_response(request)
        if entry is not None:
            return from_entry(request, entry)
        response = self.get_response(request)
        if not cacheable_response(request, response):
            return response
        entry = {
            "generation": generation,
            "content": response.content,
            "etag": quote_etag(
                hashlib.md5(response.content, usedforsecurity=False).hexdigest()
            ),
            "headers": [
                (name, response[name]) for name in KEPT_HEADERS if name in response
            ],
            "attributes": {
                name: getattr(response, name)
                for name in KEPT_ATTRIBUTES
                if getattr(response, name, None)
            },
        }
        try:
            cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("Page cache unreachable; page not kept.", exc_info=True)
        return from_entry(request, entry)


class UploadCacheStorage(CacheStorage):
    """
    import-export's storage for the upload between preview and confirmation,
    in the cache all app servers share. An upload never confirmed expires
    after an hour rather than a day.
    """

    CACHE_LIFETIME = 60 * 60
