"""
The editors' admin.

Every content model has its own changelist (so it can be searched, filtered
and, later, imported and exported) and also appears as an inline under its
parent, where editors usually work. English and Spanish sit in tabs.
"""

from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from .models import (
    Conclusion,
    Meeting,
    MeetingDay,
    ParticipationFigure,
    Person,
    RoundTable,
    Snapshot,
    StakeholderCount,
    StakeholderGroup,
    TimelineEvent,
    TimelineFigure,
)


def warn_about_registration_headline(request, snapshot):
    """Tell the editor when "more than N registered" disagrees with the groups."""
    total = snapshot.registered_total
    for figure in snapshot.registration_headline_mismatches():
        messages.warning(
            request,
            _(
                "The timeline says “%(figure)s” but the stakeholder groups add "
                "up to %(total)s registered participants. Correct one of them."
            )
            % {"figure": figure, "total": total},
        )


class ConclusionInline(TranslationStackedInline):
    model = Conclusion
    extra = 0
    fields = ("order", "text")


class StakeholderCountInline(admin.TabularInline):
    model = StakeholderCount
    extra = 0
    fields = ("order", "group", "count")
    autocomplete_fields = ("group",)


class MeetingInline(TranslationStackedInline):
    model = Meeting
    extra = 0
    max_num = 1
    show_change_link = True
    fields = ("name", "start_date", "end_date")


@admin.register(Snapshot)
class SnapshotAdmin(TabbedTranslationAdmin):
    list_display = (
        "title",
        "series",
        "number",
        "status",
        "registered_total_display",
        "updated_at",
    )
    list_display_links = ("title",)
    list_filter = ("status",)
    search_fields = ("title", "series", "slug")
    prepopulated_fields = {"slug": ("title_en",)}
    readonly_fields = ("registered_total_display", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("series", "number", "title", "status")}),
        (
            _("Advanced"),
            {
                "classes": ("collapse",),
                "fields": (
                    "slug",
                    "registered_total_display",
                    "created_at",
                    "updated_at",
                ),
            },
        ),
    )
    inlines = (MeetingInline, ConclusionInline, StakeholderCountInline)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("stakeholder_counts")

    @admin.display(description=_("registered participants (total)"))
    def registered_total_display(self, snapshot):
        return snapshot.registered_total

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and (
            snapshot := self.get_object(request, object_id)
        ):
            warn_about_registration_headline(request, snapshot)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        warn_about_registration_headline(request, form.instance)


class PersonInline(TranslationTabularInline):
    model = Person
    extra = 0
    fields = ("role", "order", "name", "title", "organisation")


class MeetingDayInline(TranslationTabularInline):
    model = MeetingDay
    extra = 0
    fields = ("date", "session")
    show_change_link = True


class ParticipationFigureInline(TranslationTabularInline):
    model = ParticipationFigure
    extra = 0
    fields = ("order", "channel", "day", "count", "label")

    def get_formset(self, request, obj=None, **kwargs):
        """Offer only this meeting's days."""
        formset = super().get_formset(request, obj, **kwargs)
        days = formset.form.base_fields["day"]
        days.queryset = (
            days.queryset.filter(meeting=obj) if obj else days.queryset.none()
        )
        return formset


@admin.register(Meeting)
class MeetingAdmin(TabbedTranslationAdmin):
    list_display = ("name", "start_date", "end_date", "snapshot")
    list_filter = ("start_date",)
    search_fields = ("name", "organisers")
    date_hierarchy = "start_date"
    fieldsets = (
        (
            None,
            {"fields": ("snapshot", "name", "organisers", "start_date", "end_date")},
        ),
        (_("Participating States"), {"fields": ("member_states", "associate_members")}),
        (_("Overview"), {"fields": ("overview", "next_step", "next_step_year")}),
        (
            _("Links"),
            {
                "fields": (
                    "website",
                    "recordings_note",
                    "recordings_link_text",
                    "recordings_url",
                )
            },
        ),
    )
    inlines = (PersonInline, MeetingDayInline, ParticipationFigureInline)
    # Django 6 makes https the default scheme for typed-in addresses; do it now.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class RoundTableInline(TranslationTabularInline):
    model = RoundTable
    extra = 0
    fields = ("area", "title")


@admin.register(MeetingDay)
class MeetingDayAdmin(TabbedTranslationAdmin):
    list_display = ("date", "meeting", "round_table_count")
    list_filter = ("meeting",)
    search_fields = ("session", "round_tables__title")
    inlines = (RoundTableInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("round_tables")

    @admin.display(description=_("round tables"))
    def round_table_count(self, day):
        return len(day.round_tables.all())


@admin.register(RoundTable)
class RoundTableAdmin(TabbedTranslationAdmin):
    list_display = ("area", "title", "day")
    list_display_links = ("title",)
    list_filter = ("day__date", "area")
    search_fields = ("title",)
    list_select_related = ("day",)


@admin.register(Person)
class PersonAdmin(TabbedTranslationAdmin):
    list_display = ("name", "role", "order", "title", "organisation", "meeting")
    list_display_links = ("name",)
    list_editable = ("order",)
    list_filter = ("role", "meeting")
    search_fields = ("name", "title", "organisation")


@admin.register(Conclusion)
class ConclusionAdmin(TabbedTranslationAdmin):
    list_display = ("__str__", "order", "snapshot")
    list_editable = ("order",)
    list_filter = ("snapshot",)
    search_fields = ("text",)


@admin.register(ParticipationFigure)
class ParticipationFigureAdmin(TabbedTranslationAdmin):
    list_display = ("label", "channel", "day", "count", "order", "meeting")
    list_display_links = ("label",)
    list_editable = ("count", "order")
    list_filter = ("channel", "meeting")
    search_fields = ("label",)
    list_select_related = ("day", "meeting")


class TimelineFigureInline(TranslationTabularInline):
    model = TimelineFigure
    extra = 0
    fields = ("order", "qualifier", "value", "label", "summarises_registrations")


@admin.register(TimelineEvent)
class TimelineEventAdmin(TabbedTranslationAdmin):
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
class TimelineFigureAdmin(TabbedTranslationAdmin):
    list_display = ("label", "qualifier", "value", "order", "event")
    list_display_links = ("label",)
    list_editable = ("value", "order")
    list_filter = ("qualifier", "summarises_registrations", "event__snapshot")
    search_fields = ("label", "event__title")
    list_select_related = ("event",)


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(TabbedTranslationAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(StakeholderCount)
class StakeholderCountAdmin(admin.ModelAdmin):
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
