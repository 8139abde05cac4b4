from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """The content: every other app of the site reads it, it reads none of them."""

    name = "reviews"
    verbose_name = _("Regional Review snapshots")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from reviews import changes, groups, languages, revisions

        changes.connect_signals()
        revisions.register_revisions()
        post_migrate.connect(groups.keep_groups_in_step, dispatch_uid="reviews.groups")
        checks.register(languages.check_public_languages)
