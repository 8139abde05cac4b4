"""
Public pages built from publications, kept once built.

A publication never changes, so its page in one language, at one address,
for one site origin, built by one version of the code, is always the same
bytes: the first request builds it from the publication's content (the
templates, as for any page) and stores it as a ``Rendering``; every later
one, on any app server, sends those bytes after one query (the current
publication's rendering) and no template. A deploy that changes a
template, a catalogue or a static file changes ``build_id()``, and pages are
built again as they are asked for. So does a change of what the series
shows (another snapshot published, scheduled to go live and gone live, or
taken off): every page links the snapshots before and after it, and the
process's reading of it, at most ``PAGE_CACHE_CHECK_SECONDS`` old and the
page cache's own, is part of the page's key.
"""

from django.conf import settings
from django.db.models import Subquery
from django.http import HttpResponse
from django.utils.translation import get_language

from reviews.ops.middleware import inline_attribute_policy
from reviews.pagecache.build import build_id
from reviews.pagecache.middleware import canonical_host, content_version
from reviews.publishing.content import unpack
from reviews.publishing.models import Publication, Rendering


def snapshot_of(publication):
    """
    The snapshot as ``publication`` holds it, with the objects pages read:
    its date is the publication's, and it knows which version it is.
    """
    snapshot = unpack(publication.content)
    snapshot.publication = publication
    snapshot.updated_at = publication.goes_live_at
    return snapshot


def origin_of(request):
    """
    The site's origin for this request when its host is one ``ALLOWED_HOSTS``
    names, as named; None for a host only a pattern allows or a variant (a
    port, a final dot): pages are stored for the hosts the site names, never
    for whatever a ``Host`` header says.
    """
    host = canonical_host(request)
    if host is None or request.get_host() != host:
        return None
    return f"{request.scheme}://{host}"


def stored_page_of_current(request, address, current, slug=None):
    """
    The stored page of the first publication of ``current`` (a query of the
    current publication) at ``address`` in the active language, read in one
    query, or None when there is none yet (or the publication lives at
    another slug, which the view redirects): the reader's usual case, so it
    costs a single round trip.
    """
    origin = origin_of(request)
    if origin is None or settings.DEBUG:
        return None
    row = (
        Rendering.objects.filter(
            publication=Subquery(current.values("pk")[:1]),
            language=get_language(),
            address=address,
            origin=origin,
            build=build_id(),
            series=content_version.get(),
        )
        .values_list("body", "policy", "publication__slug")
        .first()
    )
    if row is None or (slug is not None and row[2] != slug):
        return None
    body, policy, _slug = row
    return sent(body, policy)


def sent(body, policy):
    """A stored page as a response, with its inline style hashes, worked out
    when it was built."""
    response = HttpResponse(body)
    response._csp_update = policy
    return response


def stored_page(request, publication, address, build):
    """
    The page of ``publication`` at ``address`` (``Rendering.Address``) in
    the active language: sent from its stored bytes, or built by ``build``
    (a function of the request and the snapshot that returns the response)
    and stored for the next reader.
    """
    origin = origin_of(request)
    if origin is None or settings.DEBUG:
        # DEBUG: a template being edited shows its changes on reload.
        return build(request, snapshot_of(with_content(publication)))
    key = {
        "publication": publication,
        "language": get_language(),
        "address": address,
        "origin": origin,
        "build": build_id(),
        "series": content_version.get(),
    }
    stored = Rendering.objects.filter(**key).only("body", "policy").first()
    if stored is not None:
        return sent(stored.body, stored.policy)
    response = build(request, snapshot_of(with_content(publication)))
    if response.status_code == 200:
        body = response.content.decode()
        policy = inline_attribute_policy(body)
        response._csp_update = policy
        # What an earlier state of the series stored for it is not sent again.
        kept(Rendering, key, ("build", "series"), body=body, policy=policy)
    return response


def kept(model, key, fleeting, **stored):
    """
    One row of ``model`` at ``key`` with ``stored``, once however many
    servers build it at the same moment; rows of the same page that differ in
    a ``fleeting`` part of the key (an earlier build of the code…) are
    deleted, as nothing sends them again.
    """
    model.objects.bulk_create([model(**key, **stored)], ignore_conflicts=True)
    same_page = {name: value for name, value in key.items() if name not in fleeting}
    model.objects.filter(**same_page).exclude(
        **{name: key[name] for name in fleeting}
    ).delete()


def with_content(publication):
    """The publication with its content, read when a page is built from it."""
    if "content" in publication.get_deferred_fields():
        publication.content = (
            Publication.objects.filter(pk=publication.pk)
            .values_list("content", flat=True)
            .get()
        )
    return publication
