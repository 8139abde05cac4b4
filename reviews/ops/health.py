"""
What a load balancer and a visitor see when a part of the stack is down:
``/healthz`` for the balancer, and a 503 "try again shortly" page in the
reader's language instead of a 500 when the database cannot be reached.

Only the database makes a server unhealthy: without Redis the pages are
built from the database, slower but right, and a 503 from every server at
once would take the whole site away. The cache is reported, as degraded.
"""

import logging
import sys

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import JsonResponse
from django.template.response import SimpleTemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import server_error as default_server_error

logger = logging.getLogger(__name__)

#: Seconds a client is asked to wait before trying again.
RETRY_AFTER = 30
#: What an unreachable, overloaded or locked database raises.
UNAVAILABLE = (OperationalError, InterfaceError)
#: Seconds the cache may take to answer a health check: a hung Redis must
#: not make the balancer's checks, or the server, wait.
CACHE_TIMEOUT = 0.2


def database_reachable():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check: database unreachable.", exc_info=True)
        return False
    return True


def cache_reachable():
    try:
        # The shared Redis (reviews.pagecache.backend) answers a ping within
        # its own timeout; each process's memory is always there.
        if hasattr(cache, "ping"):
            return cache.ping(timeout=CACHE_TIMEOUT)
        cache.set("healthz", "ok", timeout=10)
        return cache.get("healthz") == "ok"
    except Exception:
        logger.warning("Health check: cache unreachable.", exc_info=True)
        return False


@never_cache
@require_safe
def healthz(request):
    """
    200 when this app server can reach the database, else 503; the cache's
    state is in the body, "degraded" when it cannot be reached.
    """
    healthy = database_reachable()
    response = JsonResponse(
        {
            "database": "ok" if healthy else "unreachable",
            "cache": "ok" if cache_reachable() else "degraded",
        },
        status=200 if healthy else 503,
    )
    if not healthy:
        response["Retry-After"] = str(RETRY_AFTER)
    return response


def service_unavailable(request):
    response = SimpleTemplateResponse(
        "503.html", {"request": request}, status=503
    ).render()
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def server_error(request):
    """
    The 500 handler: an unreachable database is not the site's fault and
    passes, so it answers 503 with Retry-After. The page is rendered without
    the database (a template response has no context processors).
    """
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        return service_unavailable(request)
    return default_server_error(request)
