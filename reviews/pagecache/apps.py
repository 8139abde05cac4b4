from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PageCacheConfig(AppConfig):
    name = "reviews.pagecache"
    label = "pagecache"
    verbose_name = _("Page cache")

    def ready(self):
        from reviews.pagecache import middleware

        middleware.connect_signals()
