from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Regional Review snapshots")
admin.site.site_title = _("Regional Review snapshots")
admin.site.index_title = _("Content")

urlpatterns = [
    path("admin/", admin.site.urls),
]
