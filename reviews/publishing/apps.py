from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    """Publications of snapshots; the groups' rights on them: ``reviews.groups``."""

    name = "reviews.publishing"
    label = "publishing"
    verbose_name = _("Publishing")
    default_auto_field = "django.db.models.BigAutoField"
