"""Stakeholder groups, shared by every snapshot, and each snapshot's counts."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from reviews.editorial.admin.base import ContentAdmin
from reviews.editorial.admin.registrations import warn_about_registration_headline
from reviews.languages import in_default_language
from reviews.models import StakeholderCount, StakeholderGroup


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(ContentAdmin, TranslationAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": (in_default_language("name"),)}


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
