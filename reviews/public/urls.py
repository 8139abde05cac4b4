from django.urls import path, re_path
from django.views.decorators.http import require_safe

from reviews.opendata.tables import DATASETS
from reviews.public import views
from reviews.public.charts import CHARTS
from reviews.public.feeds import PublicationsFeed


def one_of(names):
    return "|".join(names)


#: A snapshot's files, each as (address below the snapshot's, view, URL name).
SNAPSHOT_FILES = [
    (r"share\.png", views.share_png, "share_image"),
    (r"data\.json", views.data_json, "data_json"),
    (r"datapackage\.json", views.datapackage_json, "datapackage"),
    (r"datapackage\.zip", views.datapackage_zip, "datapackage_zip"),
    (r"citation\.(?P<file_format>bib|ris)", views.citation_file, "citation"),
    (
        rf"data/(?P<dataset>{one_of(DATASETS)})\.(?P<file_format>csv|xlsx)",
        views.download,
        "download",
    ),
    (
        rf"charts/(?P<name>{one_of(CHARTS)})\.(?P<file_format>svg|png)",
        views.chart_file,
        "chart_file",
    ),
]

app_name = "reviews"

urlpatterns = [
    path("", views.latest, name="latest"),
    path("snapshots/", views.archive, name="archive"),
    path("feed/", require_safe(PublicationsFeed()), name="feed"),
    re_path(
        r"^snapshots/chart\.(?P<file_format>svg|png)$",
        views.series_chart_file,
        name="series_chart_file",
    ),
    path("snapshots/data.json", views.series_data_json, name="series_data_json"),
    path(
        "snapshots/datapackage.json",
        views.series_datapackage_json,
        name="series_datapackage",
    ),
    path(
        "snapshots/datapackage.zip",
        views.series_datapackage_zip,
        name="series_datapackage_zip",
    ),
    re_path(
        rf"^snapshots/data/(?P<dataset>{one_of(DATASETS)})\.(?P<file_format>csv|xlsx)$",
        views.series_download,
        name="series_download",
    ),
    path("snapshots/<slug:slug>/", views.snapshot_detail, name="snapshot"),
    path(
        "snapshots/<slug:slug>/versions/<int:number>/",
        views.version_detail,
        name="version",
    ),
    path("snapshots/<slug:slug>/edition.pdf", views.edition_pdf, name="pdf"),
    path(
        "snapshots/<slug:slug>/versions/<int:number>/edition.pdf",
        views.edition_pdf,
        name="version_pdf",
    ),
    *(
        re_path(rf"^snapshots/(?P<slug>[-\w]+)/{below}$", view, name=name)
        for below, view, name in SNAPSHOT_FILES
    ),
    # Each version's own files, which its page links (reviews.public.files).
    *(
        re_path(
            rf"^snapshots/(?P<slug>[-\w]+)/versions/(?P<number>[0-9]+)/{below}$",
            view,
            name=f"version_{name}",
        )
        for below, view, name in SNAPSHOT_FILES
    ),
    re_path(
        rf"^snapshots/(?P<slug>[-\w]+)/charts/(?P<name>{one_of(CHARTS)})/$",
        views.chart_embed,
        name="chart_embed",
    ),
]
