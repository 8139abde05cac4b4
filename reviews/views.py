"""
The public pages: the snapshot in the reader's language, and its open data.

Views stay thin: which snapshots a visitor may see and what the page needs
are questions for ``Snapshot.objects``; the tables and JSON are built in
``open_data``.
"""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from .models import Snapshot
from .open_data import DATASETS, citation, export, snapshot_json

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_safe
def language_redirect(request):
    """Send the reader to her language: Spanish if the browser asks, else English."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        response = redirect("reviews:latest")
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def render_snapshot(request, snapshot):
    meeting = getattr(snapshot, "meeting", None)
    url = request.build_absolute_uri(snapshot.get_absolute_url())
    response = render(
        request,
        "reviews/snapshot_detail.html",
        {
            "snapshot": snapshot,
            "meeting": meeting,
            "citation": citation(snapshot, url) if meeting else "",
        },
    )
    return private_if_draft(response, snapshot)


def private_if_draft(response, snapshot):
    """A preview is for the editor only: keep it out of caches and indexes."""
    if not snapshot.is_published:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def latest(request):
    snapshot = Snapshot.objects.published().for_page().first()
    if snapshot is None:
        raise Http404
    return render_snapshot(request, snapshot)


def visible_snapshot(request, slug):
    return get_object_or_404(
        Snapshot.objects.visible_to(request.user).for_page(), slug=slug
    )


@require_safe
def snapshot_detail(request, slug):
    return render_snapshot(request, visible_snapshot(request, slug))


def data_snapshot(request, slug):
    """A snapshot whose meeting is described: the open data is about it."""
    snapshot = get_object_or_404(
        Snapshot.objects.visible_to(request.user).with_content(), slug=slug
    )
    if not hasattr(snapshot, "meeting"):
        raise Http404
    return snapshot, request.build_absolute_uri(snapshot.get_absolute_url())


@require_safe
def download(request, slug, dataset, file_format):
    snapshot, url = data_snapshot(request, slug)
    build_table, file_name = DATASETS[dataset]
    response = HttpResponse(
        export(build_table(snapshot), file_format, citation(snapshot, url)),
        content_type=CONTENT_TYPES[file_format],
    )
    name = f"{snapshot.slug}-{file_name}-{translation.get_language()}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Access-Control-Allow-Origin"] = "*"
    return private_if_draft(response, snapshot)


@require_safe
def data_json(request, slug):
    snapshot, url = data_snapshot(request, slug)
    response = JsonResponse(
        snapshot_json(snapshot, url),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return private_if_draft(response, snapshot)


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    return HttpResponse(
        f"User-agent: *\nDisallow: /admin/\n\nSitemap: {sitemap}\n",
        content_type="text/plain; charset=utf-8",
    )
