"""The preparation timeline: its events and their figures."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from reviews.editorial.admin.base import ContentAdmin, ContentInline
from reviews.editorial.admin.registrations import warn_about_registration_headline
from reviews.models import TimelineEvent, TimelineFigure


class TimelineFigureInline(ContentInline, TranslationTabularInline):
    model = TimelineFigure
    extra = 0
    fields = ("order", "qualifier", "value", "label", "summarises_registrations")


@admin.register(TimelineEvent)
class TimelineEventAdmin(ContentAdmin, TranslationAdmin):
    list_display = ("title", "start_date", "end_date", "precision", "snapshot")
    list_filter = ("precision", "snapshot")
    search_fields = ("title", "description")
    date_hierarchy = "start_date"
    fieldsets = (
        (None, {"fields": ("snapshot", "title", "description")}),
        (_("When"), {"fields": ("start_date", "end_date", "precision", "date_prefix")}),
    )
    inlines = (TimelineFigureInline,)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        warn_about_registration_headline(request, form.instance.snapshot)


@admin.register(TimelineFigure)
class TimelineFigureAdmin(ContentAdmin, TranslationAdmin):
    list_display = ("label", "qualifier", "value", "order", "event")
    list_display_links = ("label",)
    list_editable = ("value", "order")
    list_filter = ("qualifier", "summarises_registrations", "event__snapshot")
    search_fields = ("label", "event__title")
    list_select_related = ("event",)
