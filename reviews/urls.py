from django.urls import path, re_path

from . import views
from .open_data import DATASETS

app_name = "reviews"

urlpatterns = [
    path("", views.latest, name="latest"),
    path("snapshots/<slug:slug>/", views.snapshot_detail, name="snapshot"),
    path("snapshots/<slug:slug>/data.json", views.data_json, name="data_json"),
    re_path(
        r"^snapshots/(?P<slug>[-\w]+)/data/(?P<dataset>{})\.(?P<file_format>csv|xlsx)$".format(
            "|".join(DATASETS)
        ),
        views.download,
        name="download",
    ),
]
