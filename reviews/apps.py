from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Regional Review snapshots")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import cache, content

        content.connect_signals()
        content.register_revisions()
        cache.connect_signals()
