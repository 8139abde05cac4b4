from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from reviews.editorial.view_on_site import view_on_site
from reviews.ops.health import healthz
from reviews.public import views
from reviews.public.sitemaps import ArchiveSitemap, SnapshotSitemap, VersionSitemap

admin.site.site_header = _("Regional Review snapshots")
admin.site.site_title = _("Regional Review snapshots")
admin.site.index_title = _("Content")

sitemaps = {
    "archive": ArchiveSitemap,
    "snapshots": SnapshotSitemap,
    "versions": VersionSitemap,
}

urlpatterns = [
    path("", views.language_redirect, name="language_redirect"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    re_path(
        r"^(?P<path>favicon\.ico|apple-touch-icon\.png)$",
        views.site_icon,
        name="site_icon",
    ),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": sitemaps},
        name="sitemap",
    ),
    path("healthz", healthz, name="healthz"),
    # Before the admin's own: its "View on site" redirect, without drafts.
    path(
        "admin/r/<path:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
    ),
    path("admin/", admin.site.urls),
    *i18n_patterns(path("", include("reviews.public.urls"))),
]

# An unreachable database answers 503 with Retry-After, not 500.
handler500 = "reviews.ops.health.server_error"
