"""
Middleware for running the site behind a proxy, on several app servers:
request size limits and the style attributes a Content-Security-Policy
allows.
"""

import base64
import hashlib
import html
import re

from django.conf import settings
from django.template.response import SimpleTemplateResponse


class RequestSizeLimitMiddleware:
    """
    Answer 413, stating the limit, to a request whose body is too big, before
    a byte of it is read: Django reads no more than Content-Length, so
    checking that header is enough. A signed-in user may send a spreadsheet;
    anyone else only a form small enough to stay in memory, so an anonymous
    request never spools a body to disk.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body then either.
        if length > settings.ANONYMOUS_MAX_BODY_BYTES:
            limit = (
                settings.SIGNED_IN_MAX_BODY_BYTES
                if request.user.is_authenticated
                else settings.ANONYMOUS_MAX_BODY_BYTES
            )
            if length > limit:
                return too_large(request, limit)
        return self.get_response(request)


def too_large(request, limit):
    # No "Connection: close": WSGI leaves hop-by-hop headers to the server
    # (wsgiref, behind runserver, refuses the response with a 500); gunicorn's
    # synchronous workers close every connection after their answer anyway.
    return SimpleTemplateResponse(
        "413.html",
        {"request": request, "limit": limit},
        status=413,
    ).render()


STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
EVENT_HANDLER = re.compile(r'\son[a-z]+="([^"]*)"')


def style_attribute_allowed(value):
    """
    Whether a style attribute only sets the allowed properties, with plain
    values: no url(), no quotes, nothing but numbers, words, / and %.
    """
    declarations = [part.strip() for part in value.split(";") if part.strip()]
    return bool(declarations) and all(
        re.fullmatch(r"([-a-z]+)\s*:\s*[-\w\s./%]+", declaration)
        and declaration.split(":")[0].strip() in settings.CSP_STYLE_ATTRIBUTE_PROPERTIES
        for declaration in declarations
    )


def csp_hashes(values):
    return sorted(
        f"'sha256-{base64.b64encode(hashlib.sha256(value.encode()).digest()).decode()}'"
        for value in values
    )


def inline_attribute_policy(page):
    """The additions to the policy that the page's allowed attributes need."""
    styles = {html.unescape(value) for value in STYLE_ATTRIBUTE.findall(page)}
    handlers = {html.unescape(value) for value in EVENT_HANDLER.findall(page)}
    update = {}
    if allowed := csp_hashes(filter(style_attribute_allowed, styles)):
        update["style-src"] = ["'unsafe-hashes'", *allowed]
    if allowed := csp_hashes(handlers & set(settings.CSP_EVENT_HANDLERS)):
        update["script-src"] = ["'unsafe-hashes'", *allowed]
    return update


class InlineAttributeHashesMiddleware:
    """
    Allow, by hash, the few inline attributes an HTML page itself rendered
    and settings allow, for that response only:

    - style="" attributes that only set geometry properties
      (``CSP_STYLE_ATTRIBUTE_PROPERTIES``): the timeline's bars are placed
      with ``grid-column`` values computed from its dates;
    - event handler attributes whose code is one of ``CSP_EVENT_HANDLERS``:
      import-export's export form has one.

    Nothing else inline is allowed: no <style> or <script> element, no other
    attribute.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
            # A stored page brings the hashes worked out when it was built.
            or hasattr(response, "_csp_update")
        ):
            return response
        update = inline_attribute_policy(response.content.decode())
        if update:
            response._csp_update = update
        return response
