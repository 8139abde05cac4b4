"""
The page cache every app server shares.

Anonymous visitors' public pages and downloads are kept, per address (so per
language), in the default cache, Redis in production. Each page is kept
with the cache *generation* it was built in: publishing, unpublishing or a
cancelled schedule (``reviews.publishing.workflow.publications_changed``)
starts a new generation, and so does a scheduled publication's go-live time
once it has passed (``read_content_version``), so the
next request on every server finds its page out of date and builds it
afresh. The generation and the page are read in one round trip.

Redis may lose a generation (restarted from an older dump) or miss one (down
or hung while a publisher publishes), so a generation also names the content it
was started for: the database's own record of the last change
(``content_version``), which every process reads again at least every
``PAGE_CACHE_CHECK_SECONDS``. A generation naming other content than the
database is out of date, whatever Redis says, and the first process to
notice starts a new one: a missed invalidation is retried by every process
until it lands, and no page older than an edit is served for longer than
that interval.

Each process also keeps the pages it served in its own memory (``NearCache``)
for as long as nothing has changed: every new generation is published in
Redis, each process subscribes, and before serving a page from memory it
reads what has arrived, which needs no round trip. A request after a change
therefore finds it announced on every server, as it would find it in Redis.

The cache is a help, never a dependency: with Redis down the pages are built
from the database, the failure is logged and nobody sees it.
"""

import functools
import hashlib
import logging
import os
import threading
import time
import typing
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models import Count, Max
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language

from reviews.pagecache.backend import CLEARED_CHANNEL, cleared
from reviews.pagecache.build import build_id
from reviews.publishing.models import Publication, Withdrawal
from reviews.publishing.workflow import publications_changed

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
    # A download's licence and data package (reviews.opendata.tables).
    "Link",
    "X-Robots-Tag",
)
#: What a view tells the header middlewares outside the cache (django-csp,
#: X-Frame-Options) through its response, kept with the page to tell them
#: again: a page's style hashes, the embed pages' frame ancestors.
KEPT_ATTRIBUTES = ("_csp_update", "_csp_replace", "xframe_options_exempt")


class Generation(typing.NamedTuple):
    """A cache generation: when it began, and the content it was started for."""

    #: Nanoseconds since the epoch: ordered, unique, the pages' Last-Modified.
    began: int
    #: ``read_content_version()`` when it began.
    content: str


def read_content_version():
    """
    What the public sees, as the database records it: the publications that
    have gone live (a scheduled one counts from its go-live time, with no
    job to run) and the snapshots taken off the site. Saves of the working
    copy change nothing here: only publishing changes the public pages.
    """
    live = Publication.objects.live().aggregate(
        count=Count("pk"), newest=Max("pk"), went_live=Max("goes_live_at")
    )
    withdrawn = Withdrawal.objects.aggregate(
        count=Count("pk"), last=Max("withdrawn_at")
    )
    moments = [
        moment.isoformat() if moment else ""
        for moment in (live["went_live"], withdrawn["last"])
    ]
    return (
        f"{live['count']}/{live['newest'] or 0}/{moments[0]}"
        f"/{withdrawn['count']}/{moments[1]}"
    )


class ContentVersion:
    """
    This process's reading of ``read_content_version()``, at most
    ``PAGE_CACHE_CHECK_SECONDS`` old: a query that often, not on every page.
    """

    def __init__(self):
        self.forget()

    def forget(self):
        self.value = None
        self.read_at = 0.0

    def get(self, *, fresh=False):
        now = time.monotonic()
        if (
            fresh
            or self.value is None
            or now - self.read_at >= settings.PAGE_CACHE_CHECK_SECONDS
        ):
            self.value = read_content_version()
            self.read_at = now
        return self.value

    def matches(self, generation):
        """
        Whether ``generation`` was started for the content the database has
        now; read afresh before saying no, as this reading may be the older.
        """
        return isinstance(generation, Generation) and (
            generation.content == self.get()
            or generation.content == self.get(fresh=True)
        )


content_version = ContentVersion()


class Backoff:
    """
    Once the shared cache failed to answer, this process leaves it alone
    for ``SECONDS`` and builds pages from the database: a hung Redis then
    costs one timeout per process that often, not one on every request.
    Pages built meanwhile are the database's own, so never out of date.
    """

    SECONDS = 5.0

    def __init__(self):
        self.until = 0.0

    def failed(self):
        self.until = time.monotonic() + self.SECONDS

    @property
    def waiting(self):
        return time.monotonic() < self.until


backoff = Backoff()


def announce_generation():
    """Tell every process keeping pages in memory (NearCache) to drop them."""
    if hasattr(cache, "publish"):
        cache.publish(GENERATION_KEY)


def start_generation():
    """
    A new generation for the content as the database has it now, in the
    cache and announced; raises when the cache cannot be reached.
    """
    generation = Generation(time.time_ns(), content_version.get(fresh=True))
    cache.set(GENERATION_KEY, generation, timeout=settings.PAGE_CACHE_SECONDS)
    announce_generation()
    return generation


def try_to_start_generation():
    # Missed or skipped, every process retries it when it next compares the
    # cache's generation with the database (ContentVersion.matches).
    if backoff.waiting:
        logger.error("Page cache unreachable; new generation left to the check.")
        return
    try:
        start_generation()
    except Exception:
        backoff.failed()
        logger.exception("Could not start a new page cache generation.")


def invalidate(**kwargs):
    """
    Start a new generation now and again when the transaction commits: a
    request that read the old content between the two must not be kept under
    the new generation. A transaction rolled back (a dry-run import) only
    costs a spurious new generation, which is harmless.
    """
    # The stored pages name the series they were built for by this reading
    # (reviews.public.renderings): this process reads it again at once.
    content_version.forget()
    try_to_start_generation()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(try_to_start_generation)


def forget_settings(setting, **kwargs):
    """What is derived from settings follows them when tests change them."""
    if setting in ("CACHES", "PAGE_NEAR_CACHE_BYTES", "PAGE_CACHE_CHECK_SECONDS"):
        content_version.forget()
        backoff.until = 0.0
        near_cache.max_bytes = settings.PAGE_NEAR_CACHE_BYTES
        with near_cache.lock:
            near_cache.close()
    elif setting == "ROOT_URLCONF":
        in_cached_namespace.cache_clear()


def connect_signals():
    publications_changed.connect(
        invalidate, dispatch_uid="reviews.pagecache.middleware.invalidate"
    )
    setting_changed.connect(
        forget_settings, dispatch_uid="reviews.pagecache.middleware.settings"
    )
    cleared.connect(drop_near_copies, dispatch_uid="reviews.pagecache.middleware")


def drop_near_copies(**kwargs):
    """
    This process cleared the cache: its copies go now, not when its own
    announcement comes back through Redis, which a busy server reads later.
    """
    with near_cache.lock:
        near_cache.drop_pages()


def canonical_host(request):
    """
    The host as ``ALLOWED_HOSTS`` names it (lower case, without port or
    final dot), or None for a host only a pattern allows (``.example.org``,
    ``*``): variants of one host share its pages, and the cache holds at
    most one copy of a page per host the site names.
    """
    domain, _ = split_domain_port(request.get_host())
    if domain in settings.ALLOWED_HOSTS:
        return domain
    return None


def page_key(request, host):
    """
    The page's key: its address, and the build of the code, so that after a
    deploy no server sends what the release before kept in the shared cache.
    """
    address = f"{request.scheme}://{host}{request.path}"
    key = f"{address} {build_id()}"
    return "pages:" + hashlib.sha256(key.encode()).hexdigest()


def cached_page(key):
    """
    The current generation and the page kept under ``key`` if it belongs to
    that generation, in one round trip to the cache; a new generation when
    the cache has none or one older than the database's content.
    """
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if not content_version.matches(generation):
        return start_generation(), None
    entry = found.get(key)
    if entry is not None and entry["generation"] != generation:
        entry = None
    return generation, entry


class NearCache:
    """
    This process's copies of pages from the shared cache, so that a page
    asked for again costs no round trip to Redis.

    The copies belong to the generation read when this process subscribed
    to the announcements (``announce_generation``), or when one last
    arrived. Before each use, what has arrived is read without waiting; an
    announcement empties the copies and reads the generation again, as does
    a generation older than the database's content (``content_version``),
    which no announcement may ever tell. Without
    a confirmed subscription (no Redis, Redis down, a broken connection)
    nothing is kept here and every page comes from the shared cache, until
    subscribing succeeds again (tried at most every ``RETRY_SECONDS``).
    """

    RETRY_SECONDS = 1.0

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.lock = threading.Lock()
        self.retry_at = 0.0
        self.forget()

    def forget(self):
        self.pid = os.getpid()
        self.subscription = None
        self.generation = None
        self.drop_pages()

    def drop_pages(self):
        self.pages = OrderedDict()
        self.size = 0

    @property
    def enabled(self):
        return self.max_bytes > 0 and hasattr(cache, "subscribe")

    def get(self, key):
        """The page kept for ``key`` if it is still current, else None."""
        if not self.enabled:
            return None
        with self.lock:
            generation = self.current_generation()
            entry = self.pages.get(key)
            if generation is None or entry is None:
                return None
            if not content_version.matches(generation):
                # Read again, it is still older: the shared cache's path
                # starts a new one, whose announcement brings it here.
                self.drop_pages()
                return None
            self.pages.move_to_end(key)
            return entry

    def keep(self, key, entry):
        """Keep a page of the current generation, the oldest used making room."""
        size = len(entry["content"])
        # One large download must not push out every page.
        if not self.enabled or size > self.max_bytes // 8:
            return
        with self.lock:
            if self.generation is None or entry["generation"] != self.generation:
                return
            replaced = self.pages.pop(key, None)
            if replaced is not None:
                self.size -= len(replaced["content"])
            self.pages[key] = entry
            self.size += size
            while self.size > self.max_bytes:
                _, oldest = self.pages.popitem(last=False)
                self.size -= len(oldest["content"])

    def current_generation(self):
        """
        With the lock held: the generation the copies belong to, once the
        announcements that arrived are read; None while not subscribed.
        """
        # A forked process shares its parent's connection: start afresh.
        if self.pid != os.getpid():
            self.forget()
        try:
            if self.subscription is None:
                if time.monotonic() < self.retry_at:
                    return None
                self.subscription = cache.subscribe(GENERATION_KEY, CLEARED_CHANNEL)
                self.read_generation()
            elif self.subscription.messages() or not content_version.matches(
                self.generation
            ):
                self.read_generation()
        except Exception:
            logger.warning(
                "Page cache announcements unreachable; pages come from the "
                "shared cache.",
                exc_info=True,
            )
            self.close()
            self.retry_at = time.monotonic() + self.RETRY_SECONDS
            backoff.failed()
            return None
        return self.generation

    def close(self):
        if self.subscription is not None and self.pid == os.getpid():
            try:
                self.subscription.close()
            except Exception:
                logger.debug("Closing a broken subscription failed.", exc_info=True)
        self.forget()
        self.retry_at = 0.0

    def read_generation(self):
        # Subscribed first: a change after this read is announced to us.
        self.drop_pages()
        self.generation = cache.get(GENERATION_KEY)


near_cache = NearCache(settings.PAGE_NEAR_CACHE_BYTES)


# Resolving an address costs about as much as serving its page from memory;
# the answer depends only on the address and the language (the prefix of
# i18n_patterns), so it is remembered for the addresses seen most.
@functools.lru_cache(maxsize=1024)
def in_cached_namespace(path, language):
    try:
        return resolve(path).namespace == CACHED_NAMESPACE
    except Resolver404:
        return False


def cacheable_request(request):
    """
    A public page (or download) asked for by someone who is not signed in,
    without a query string (which would let anyone fill the cache).
    """
    if request.method not in ("GET", "HEAD") or request.META.get("QUERY_STRING"):
        return False
    if not in_cached_namespace(request.path_info, get_language()):
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
    response["Last-Modified"] = http_date(entry["generation"].began / 1e9)
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
            last_modified=int(entry["generation"].began / 1e9),
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
        host = canonical_host(request)
        if host is None or backoff.waiting:
            return self.get_response(request)
        key = page_key(request, host)
        entry = near_cache.get(key)
        if entry is not None:
            return from_entry(request, entry)
        try:
            generation, entry = cached_page(key)
        except Exception:
            backoff.failed()
            logger.warning("Page cache unreachable; building the page.", exc_info=True)
            return self.get_response(request)
        if entry is not None:
            near_cache.keep(key, entry)
            return from_entry(request, entry)
        response = self.get_response(request)
        # Its absolute addresses name the host it was asked for: kept only
        # when that is the host as named, never a variant of it.
        if request.get_host() != host or not cacheable_response(request, response):
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
            backoff.failed()
            logger.warning("Page cache unreachable; page not kept.", exc_info=True)
        else:
            near_cache.keep(key, entry)
        return from_entry(request, entry)
