"""
The public pages: the snapshot in the reader's language, and its open data.

Views stay thin: which snapshots a visitor may see and what the page needs
are questions for ``Snapshot.objects``; the tables and JSON are built in
``reviews.opendata.tables``, the data package in ``reviews.opendata.datapackage``,
charts in ``charts``.
"""

import functools

from csp.decorators import csp_replace
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from reviews.languages import readers_language
from reviews.models import Snapshot
from reviews.opendata import datapackage
from reviews.opendata import series as opendata_series
from reviews.opendata.series import SERIES_DATASETS
from reviews.opendata.tables import (
    DATASETS,
    about,
    bibtex,
    citation,
    ris,
    snapshot_json,
)
from reviews.public import series, structured_data
from reviews.public.charts import CHARTS, credited
from reviews.public.files import file_path
from reviews.public.pdf import printed_edition
from reviews.public.renderings import (
    snapshot_of,
    stored_page,
    stored_page_of_current,
    with_content,
)
from reviews.public.series_chart import credited_series, series_chart
from reviews.public.share_image import chart_png, series_chart_png, share_image
from reviews.public.xml_text import xml_text
from reviews.publishing.models import Publication, Rendering, Withdrawal

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "zip": "application/zip",
    "svg": "image/svg+xml; charset=utf-8",
    "png": "image/png",
    "pdf": "application/pdf",
}


@require_safe
def language_redirect(request):
    """Send the reader to her public language: Spanish if asked for, else English."""
    with translation.override(readers_language(request)):
        response = redirect("reviews:latest")
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def render_snapshot(request, snapshot, **context):
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
            "preview": not hasattr(snapshot, "publication"),
            "neighbours": series.neighbours(snapshot),
            "keywords": structured_data.keywords(),
            **series.version_history(snapshot),
            **context,
        },
    )
    return private_if_preview(response, snapshot)


def private_if_preview(response, snapshot):
    """
    A working copy (a preview, a snapshot nobody has published) is for the
    editors only: keep it out of caches and indexes.
    """
    if not hasattr(snapshot, "publication"):
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
    return response


def current_publications():
    # The content is read only when a page is built from it, not to send one.
    return Publication.objects.defer("content")


@require_safe
def archive(request):
    """Every snapshot on the site, the newest first, and the series chart."""
    snapshots = series.archive()
    return render(
        request,
        "reviews/archive.html",
        {
            "snapshots": snapshots,
            "series_chart": series_chart(series.described_first_issue_first(snapshots)),
            "series_tables": SERIES_DATASETS.values(),
        },
    )


@require_safe
def latest(request):
    current = Publication.objects.ordered_home()
    if stored := stored_page_of_current(request, Rendering.Address.HOME, current):
        return stored
    publication = current_publications().home()
    if publication is None:
        raise Http404
    return stored_page(request, publication, Rendering.Address.HOME, render_snapshot)


def working_copy(request, slug):
    """
    The working copy of a snapshot that is not on the site, for the editors
    who may see it; 410 Gone for anyone else once it has been unpublished,
    404 for one never published.
    """
    snapshot = (
        Snapshot.objects.editable_by(request.user)
        .with_content()
        .filter(slug=slug)
        .first()
    )
    if snapshot is not None:
        return snapshot
    if Withdrawal.objects.filter(snapshot__publications__slug=slug).exists():
        raise Gone
    raise Http404


class Gone(Exception):
    """A snapshot that was on the site and was taken off it."""


def published_or_working_copy(request, slug):
    """
    ``(publication, None)`` when the snapshot is on the site, whatever the
    visitor (staff too see what the public sees at its address), else
    ``(None, working copy)`` for editors; 404 or 410 otherwise. A snapshot
    published since under another slug redirects (``MovedTo``).
    """
    publication = current_publications().current_of(slug)
    if publication is not None:
        if publication.slug != slug:
            raise MovedTo(publication.slug)
        return publication, None
    return None, working_copy(request, slug)


class MovedTo(Exception):
    def __init__(self, slug):
        super().__init__(slug)
        self.slug = slug


def snapshot_view(view):
    """
    Answer for a snapshot's addresses what a reader expects when the
    snapshot is not where the address says: a permanent redirect to its
    new slug (the rest of the address kept), 410 Gone once unpublished.
    """

    @functools.wraps(view)
    def wrapper(request, slug, **kwargs):
        try:
            return view(request, slug, **kwargs)
        except MovedTo as moved:
            match = request.resolver_match
            target = reverse(
                f"{match.namespace}:{match.url_name}",
                kwargs={**match.kwargs, "slug": moved.slug},
            )
            return redirect(target, permanent=True)
        except Gone:
            return render(request, "410.html", {"request": request}, status=410)

    return wrapper


@require_safe
@snapshot_view
def snapshot_detail(request, slug):
    current = Publication.objects.ordered_current_of(slug)
    address = Rendering.Address.SNAPSHOT
    if stored := stored_page_of_current(request, address, current, slug):
        return stored
    publication, snapshot = published_or_working_copy(request, slug)
    if publication is None:
        return render_snapshot(request, snapshot)
    return stored_page(
        request, publication, Rendering.Address.SNAPSHOT, render_snapshot
    )


def version_of(current, number):
    """
    The version ``number`` of ``current``'s snapshot that is on the site
    (``current`` itself when it is that one); 410 Gone for one taken off with
    its snapshot before it came back, 404 for any other number.
    """
    if number == current.number:
        return current
    versions = Publication.objects.filter(
        snapshot_id=current.snapshot_id, number=number
    )
    shown = versions.live().first()
    if shown is not None:
        return shown
    # It was read and cited before it was taken off: gone, not unknown.
    if versions.filter(goes_live_at__lte=timezone.now()).exists():
        raise Gone
    raise Http404


@require_safe
@snapshot_view
def version_detail(request, slug, number):
    """
    One publication at its permanent address, read-only: the current one
    says so, an earlier one says it has been replaced and links the current.
    """
    publication, _snapshot = published_or_working_copy(request, slug)
    if publication is None:
        raise Http404
    snapshot = snapshot_of(with_content(version_of(publication, number)))
    snapshot.shown_as_version = True
    return render_snapshot(
        request, snapshot, version_page=True, current_publication=publication
    )


@require_safe
@snapshot_view
def edition_pdf(request, slug, number=None):
    """
    A publication's PDF edition in the reader's language: the current one's,
    or that of the version ``number``. A working copy has none.
    """
    publication, _snapshot = published_or_working_copy(request, slug)
    if publication is None:
        raise Http404
    if number is not None:
        publication = version_of(publication, number)
    snapshot = snapshot_of(with_content(publication))
    # An edition is of one version: it prints that version's permanent
    # address, which shows what the reader holds, not the latest.
    snapshot.shown_as_version = True

    def page():
        return render_snapshot(request, snapshot, pdf_edition=True)

    response = HttpResponse(
        printed_edition(request, publication, page), content_type=CONTENT_TYPES["pdf"]
    )
    name = f"{snapshot.slug}-v{publication.number}-{translation.get_language()}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def visible_snapshot(request, slug):
    """The snapshot a download shows: its current publication, else the working copy."""
    publication, snapshot = published_or_working_copy(request, slug)
    if publication is not None:
        return snapshot_of(with_content(publication))
    return snapshot


def shown_snapshot(request, slug, number=None):
    """
    The snapshot a file shows: the version ``number``'s when given (its
    page's files), else the snapshot's as its readers see it.
    """
    if number is None:
        return visible_snapshot(request, slug)
    publication, _snapshot = published_or_working_copy(request, slug)
    if publication is None:
        raise Http404
    snapshot = snapshot_of(with_content(version_of(publication, int(number))))
    snapshot.shown_as_version = True
    return snapshot


def data_snapshot(request, slug, number=None):
    """
    A snapshot whose meeting is described, the open data is about it (see
    ``shown_snapshot``), and its page's address.
    """
    snapshot = shown_snapshot(request, slug, number)
    if not hasattr(snapshot, "meeting"):
        raise Http404
    return snapshot, request.build_absolute_uri(structured_data.page_path(snapshot))


def file_stem(snapshot):
    """How a snapshot's downloads are named: with the version, for a version's."""
    if getattr(snapshot, "shown_as_version", False):
        return f"{snapshot.slug}-v{snapshot.publication.number}"
    return snapshot.slug


def open_file(request, snapshot, content, file_format, name, attachment=True):
    """
    A file of the snapshot's open data: named for the reader's language, open
    to scripts on other sites, and linked to its licence and data package.
    """
    response = data_file(
        request,
        content,
        file_format,
        f"{file_stem(snapshot)}-{name}" if attachment else None,
        file_path(snapshot, "datapackage"),
        [snapshot.licence_url] if snapshot.licence_url else [],
    )
    return private_if_preview(response, snapshot)


def data_file(request, content, file_format, stem, package, licences):
    """
    Open data as a file: an attachment named ``stem`` and the reader's
    language (inline when None), open to scripts on other sites, linked to
    the data package at ``package`` and to its licences' addresses.
    """
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    if stem:
        file_name = f"{stem}-{translation.get_language()}"
        response["Content-Disposition"] = (
            f'attachment; filename="{file_name}.{file_format}"'
        )
    response["Access-Control-Allow-Origin"] = "*"
    package = request.build_absolute_uri(package)
    links = [f'<{package}>; rel="describedby"; type="application/json"']
    links += [f'<{url}>; rel="license"' for url in licences]
    response["Link"] = ", ".join(links)
    return response


def series_snapshots(request):
    """The snapshots on the site whose meeting is described, the first issue first."""
    snapshots = series.described_first_issue_first(series.archive())
    return snapshots, request.build_absolute_uri(reverse("reviews:archive"))


def series_file(request, snapshots, content, file_format, name):
    licences = sorted({s.licence_url for s in snapshots if s.licence_url})
    package = reverse("reviews:series_datapackage")
    stem = f"regional-review-snapshots-{name}"
    return data_file(request, content, file_format, stem, package, licences)


@require_safe
def series_download(request, dataset, file_format):
    """One table of every snapshot on the site, stacked."""
    snapshots, url = series_snapshots(request)
    table = SERIES_DATASETS[dataset]
    if file_format == "csv":
        content = table.csv(snapshots)
    else:
        content = table.xlsx(snapshots, opendata_series.about(snapshots, url))
    return series_file(request, snapshots, content, file_format, table.file_name)


@require_safe
def series_data_json(request):
    snapshots, _url = series_snapshots(request)
    response = JsonResponse(
        opendata_series.series_json(
            snapshots,
            lambda snapshot: request.build_absolute_uri(snapshot.get_absolute_url()),
        ),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def series_datapackage_json(request):
    snapshots, url = series_snapshots(request)
    content = datapackage.as_json(opendata_series.descriptor(snapshots, url))
    response = HttpResponse(content, content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def series_datapackage_zip(request):
    snapshots, url = series_snapshots(request)
    content = opendata_series.zipped(snapshots, url)
    return series_file(request, snapshots, content, "zip", "datapackage")


@require_safe
def series_chart_file(request, file_format):
    """The series chart to take away, as SVG or PNG; 404 until there are two."""
    snapshots, url = series_snapshots(request)
    chart = series_chart(snapshots)
    if chart is None:
        raise Http404
    credited_series(chart, snapshots, url)
    if file_format == "png":
        content = series_chart_png(snapshots, chart)
    else:
        content = chart_svg(request, chart)
    return series_file(request, snapshots, content, file_format, "chart")


@require_safe
@snapshot_view
def download(request, slug, dataset, file_format, number=None):
    snapshot, url = data_snapshot(request, slug, number)
    table = DATASETS[dataset]
    if file_format == "csv":
        content = table.csv(snapshot)
    else:
        content = table.xlsx(snapshot, about(snapshot, url))
    return open_file(request, snapshot, content, file_format, table.file_name)


@require_safe
@snapshot_view
def data_json(request, slug, number=None):
    snapshot, url = data_snapshot(request, slug, number)
    response = JsonResponse(
        snapshot_json(snapshot, url),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return private_if_preview(response, snapshot)


@require_safe
@snapshot_view
def datapackage_json(request, slug, number=None):
    snapshot, url = data_snapshot(request, slug, number)
    response = HttpResponse(
        datapackage.as_json(datapackage.descriptor(snapshot, url)),
        content_type="application/json",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return private_if_preview(response, snapshot)


@require_safe
@snapshot_view
def datapackage_zip(request, slug, number=None):
    snapshot, url = data_snapshot(request, slug, number)
    content = datapackage.zipped(snapshot, url)
    return open_file(request, snapshot, content, "zip", "datapackage")


@require_safe
@snapshot_view
def citation_file(request, slug, file_format, number=None):
    snapshot, url = data_snapshot(request, slug, number)
    build = bibtex if file_format == "bib" else ris
    content = build(snapshot, url)
    return open_file(request, snapshot, content, file_format, "citation")


@require_safe
@snapshot_view
def share_png(request, slug, number=None):
    snapshot = shown_snapshot(request, slug, number)
    address = request.get_host() + structured_data.page_path(snapshot)
    response = HttpResponse(share_image(snapshot, address), content_type="image/png")
    return private_if_preview(response, snapshot)


def snapshot_chart(request, slug, name, number=None):
    """A chart as it leaves the page: credited with the page's address."""
    snapshot, url = data_snapshot(request, slug, number)
    chart = CHARTS[name](snapshot)
    if chart is None:  # nothing to draw yet, e.g. a timeline without events
        raise Http404
    return snapshot, credited(chart, snapshot, url)


def chart_svg(request, chart):
    """A chart as the SVG file its template draws."""
    return xml_text(
        render_to_string(
            chart.svg_template,
            {"chart": chart, "drawing": chart.drawing()},
            request=request,
        )
    )


@require_safe
@snapshot_view
def chart_file(request, slug, name, file_format, number=None):
    """A chart to take away: SVG to edit or print, PNG for slides and documents."""
    snapshot, chart = snapshot_chart(request, slug, name, number)
    if file_format == "png":
        content = chart_png(snapshot, chart)
    else:
        content = chart_svg(request, chart)
    return open_file(request, snapshot, content, file_format, f"chart-{name}")


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@require_safe
@snapshot_view
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
    return private_if_preview(response, snapshot)


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
