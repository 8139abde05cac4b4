"""
The PDF edition of a publication: its page in one language, drawn by
WeasyPrint from the page's own HTML and print stylesheet (A4, the charts as
vectors, page numbers), with its title, language, publisher and version in
the document's metadata. Drawn once per publication, language, site origin
and build of the code, and kept as a ``PrintedEdition``.

WeasyPrint rather than a browser's print: it runs inside the app server, with
no browser process to start, keep and secure on every server, and it writes
the metadata and page counters from the HTML and CSS the page already has.
It is given only the site's own static files: nothing is fetched from the
network, and anything else the page named would be left out.
"""

import mimetypes
from urllib.parse import urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.templatetags.static import PrefixNode
from django.utils.translation import get_language

from reviews.public.renderings import build_id, kept, origin_of
from reviews.publishing.models import PrintedEdition


class NotTheSitesFile(Exception):
    """The page named a file that is not one of the site's static files."""


def static_file(path):
    """The bytes of the static file at ``path`` (below STATIC_URL), or None."""
    if settings.STATIC_ROOT and staticfiles_storage.exists(path):
        with staticfiles_storage.open(path) as handle:
            return handle.read()
    found = finders.find(path)
    if found:
        with open(found, "rb") as handle:
            return handle.read()
    return None


class SiteFilesOnly(weasyprint.URLFetcher):
    """WeasyPrint's fetcher: the site's static files, and nothing else."""

    def fetch(self, url, headers=None):
        prefix = PrefixNode.handle_simple("STATIC_URL")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.path.startswith(prefix):
            raise NotTheSitesFile(url)
        path = parts.path
        try:
            content = static_file(path.removeprefix(prefix))
        except SuspiciousFileOperation as error:
            raise NotTheSitesFile(url) from error
        if content is None:
            raise NotTheSitesFile(url)
        mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return weasyprint.urls.URLFetcherResponse(
            url, content, {"Content-Type": mime_type}
        )


def drawn(request, html):
    """The PDF of a page's HTML, as it prints."""
    document = weasyprint.HTML(
        string=html,
        base_url=request.build_absolute_uri("/"),
        url_fetcher=SiteFilesOnly(),
        media_type="print",
    )
    return document.write_pdf(pdf_variant="pdf/ua-1")


def printed_edition(request, publication, build_page):
    """
    ``publication``'s PDF in the active language: the stored one, or drawn
    from ``build_page()`` (the page's response) and stored. Hosts the site
    does not name get theirs drawn and not kept, as pages are.
    """
    origin = origin_of(request)
    key = {
        "publication": publication,
        "language": get_language(),
        "origin": origin,
        "build": build_id(),
    }
    if origin is not None:
        stored = PrintedEdition.objects.filter(**key).values_list("pdf", flat=True)
        if pdf := stored.first():
            return bytes(pdf)
    pdf = drawn(request, build_page().content.decode())
    if origin is not None:
        kept(PrintedEdition, key, ("build",), pdf=pdf)
    return pdf
