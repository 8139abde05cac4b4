"""
The public pages: the snapshot in the reader's language, and its open data.

Views stay thin: which snapshots a visitor may see and what the page needs
are questions for ``Snapshot.objects``; the tables and JSON are built in
``reviews.opendata.tables``, the data package in ``reviews.opendata.datapackage``,
charts in ``charts``.
"""

from csp.decorators import csp_replace
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from reviews.models import Snapshot
from reviews.opendata import datapackage
from reviews.opendata.tables import (
    DATASETS,
    about,
    bibtex,
    citation,
    ris,
    snapshot_json,
)
from reviews.public.charts import CHARTS
from reviews.public.share_image import chart_png, share_image

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "zip": "application/zip",
    "svg": "image/svg+xml; charset=utf-8",
    "png": "image/png",
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
    charts = {name: build(snapshot) for name, build in CHARTS.items()}
    response = render(
        request,
        "reviews/snapshot_detail.html",
        {
            "snapshot": snapshot,
            "meeting": meeting,
            "citation": citation(snapshot, url) if meeting else "",
            "charts": charts,
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


def open_file(request, snapshot, content, file_format, name, attachment=True):
    """
    A file of the snapshot's open data: named for the reader's language, open
    to scripts on other sites, and linked to its licence and data package.
    """
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    if attachment:
        file_name = f"{snapshot.slug}-{name}-{translation.get_language()}"
        response["Content-Disposition"] = (
            f'attachment; filename="{file_name}.{file_format}"'
        )
    response["Access-Control-Allow-Origin"] = "*"
    package = request.build_absolute_uri(
        reverse("reviews:datapackage", kwargs={"slug": snapshot.slug})
    )
    links = [f'<{package}>; rel="describedby"; type="application/json"']
    if snapshot.licence_url:
        links.append(f'<{snapshot.licence_url}>; rel="license"')
    response["Link"] = ", ".join(links)
    return private_if_draft(response, snapshot)


@require_safe
def download(request, slug, dataset, file_format):
    snapshot, url = data_snapshot(request, slug)
    table = DATASETS[dataset]
    if file_format == "csv":
        content = table.csv(snapshot)
    else:
        content = table.xlsx(snapshot, about(snapshot, url))
    return open_file(request, snapshot, content, file_format, table.file_name)


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
def datapackage_json(request, slug):
    snapshot, url = data_snapshot(request, slug)
    response = HttpResponse(
        datapackage.as_json(datapackage.descriptor(snapshot, url)),
        content_type="application/json",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return private_if_draft(response, snapshot)


@require_safe
def datapackage_zip(request, slug):
    snapshot, url = data_snapshot(request, slug)
    content = datapackage.zipped(snapshot, url)
    return open_file(request, snapshot, content, "zip", "datapackage")


@require_safe
def citation_file(request, slug, file_format):
    snapshot, url = data_snapshot(request, slug)
    build = bibtex if file_format == "bib" else ris
    content = build(snapshot, url)
    return open_file(request, snapshot, content, file_format, "citation")


@require_safe
def share_png(request, slug):
    snapshot = visible_snapshot(request, slug)
    response = HttpResponse(share_image(snapshot), content_type="image/png")
    return private_if_draft(response, snapshot)


def snapshot_chart(request, slug, name):
    snapshot, _url = data_snapshot(request, slug)
    chart = CHARTS[name](snapshot)
    if chart is None:  # nothing to draw yet, e.g. a timeline without events
        raise Http404
    return snapshot, chart


@require_safe
def chart_file(request, slug, name, file_format):
    """A chart to take away: SVG to edit or print, PNG for slides and documents."""
    snapshot, chart = snapshot_chart(request, slug, name)
    if file_format == "png":
        content = chart_png(snapshot, chart)
    else:
        content = render_to_string(
            chart.svg_template,
            {"chart": chart, "drawing": chart.drawing()},
            request=request,
        )
    return open_file(request, snapshot, content, file_format, f"chart-{name}")


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@require_safe
def chart_embed(request, slug, name):
    """
    One chart on a page of its own that other sites may show in a frame:
    the only page without X-Frame-Options, and whose policy allows any
    ancestor. Every other page keeps refusing to be framed.
    """
    snapshot, chart = snapshot_chart(request, slug, name)
    response = render(
        request,
        "reviews/chart_embed.html",
        {
            "snapshot": snapshot,
            "chart": chart,
            "page_url": request.build_absolute_uri(snapshot.get_absolute_url()),
        },
    )
    return private_if_draft(response, snapshot)


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    return HttpResponse(
        f"User-agent: *\nDisallow: /admin/\n\nSitemap: {sitemap}\n",
        content_type="text/plain; charset=utf-8",
    )


@require_safe
def site_icon(request, path):
    """Browsers and phones ask the site's root for its icons: point them there."""
    return redirect(static(f"reviews/{path}"), permanent=True)
