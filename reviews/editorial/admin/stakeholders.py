"""Stakeholder groups, shared by every snapshot, and each snapshot's counts."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from reviews.editorial.admin.base import ContentAdmin
from reviews.editorial.admin.registrations import warn_about_registration_headline
from reviews.languages import in_default_language
from reviews.models import Snapshot, StakeholderCount, StakeholderGroup


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(ContentAdmin, TranslationAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": (in_default_language("name"),)}
    readonly_fields = ("counted_by",)

    @admin.display(description=_("Counted by"))
    def counted_by(self, group):
        """
        The snapshots that count the group, linked: it is shared, so renaming
        it here renames it in each of them (their next publications).
        """
        snapshots = (
            Snapshot.objects.filter(stakeholder_counts__group=group).order_by("number")
            if group.pk
            else []
        )
        if not snapshots:
            return _("No snapshot counts this group yet.")
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:reviews_snapshot_change", args=[snapshot.pk]), snapshot)
                for snapshot in snapshots
            ),
        )
        return format_html(
            "{} {}",
            links,
            _("(a change here changes every one of them when it is next published)"),
        )


@admin.register(StakeholderCount)
class StakeholderCountAdmin(ContentAdmin):
    list_display = ("group", "count", "order", "snapshot")
    list_display_links = ("group",)
    list_editable = ("count", "order")
    list_filter = ("snapshot",)
    search_fields = ("group__name", "group__slug")
    list_select_related = ("group", "snapshot")
    autocomplete_fields = ("group",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        warn_about_registration_headline(request, obj.snapshot)
