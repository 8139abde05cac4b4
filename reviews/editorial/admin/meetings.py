"""The meeting: its organisers, people, days, round tables and participation figures."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from reviews.editorial.admin.base import ContentAdmin, ContentInline
from reviews.models import (
    Meeting,
    MeetingDay,
    Organiser,
    ParticipationFigure,
    Person,
    RoundTable,
)


class OrganiserInline(ContentInline, TranslationTabularInline):
    model = Organiser
    extra = 0
    fields = ("order", "name", "abbreviation", "capacity")


class PersonInline(ContentInline, TranslationTabularInline):
    model = Person
    extra = 0
    fields = ("role", "order", "name", "title", "organisation")


class MeetingDayInline(ContentInline, TranslationTabularInline):
    model = MeetingDay
    extra = 0
    fields = ("date", "session")
    show_change_link = True


class ParticipationFigureInline(ContentInline, TranslationTabularInline):
    model = ParticipationFigure
    extra = 0
    fields = ("order", "channel", "day", "count", "label")

    def get_formset(self, request, obj=None, **kwargs):
        """Offer only this meeting's days."""
        formset = super().get_formset(request, obj, **kwargs)
        days = formset.form.base_fields.get("day")
        # Read-only, and so not in the form, for a translator.
        if days is not None:
            days.queryset = (
                days.queryset.filter(meeting=obj) if obj else days.queryset.none()
            )
        return formset


@admin.register(Meeting)
class MeetingAdmin(ContentAdmin, TranslationAdmin):
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
    inlines = (
        OrganiserInline,
        PersonInline,
        MeetingDayInline,
        ParticipationFigureInline,
    )


class RoundTableInline(ContentInline, TranslationTabularInline):
    model = RoundTable
    extra = 0
    fields = ("area", "title")


@admin.register(MeetingDay)
class MeetingDayAdmin(ContentAdmin, TranslationAdmin):
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
class RoundTableAdmin(ContentAdmin, TranslationAdmin):
    list_display = ("area", "title", "day")
    list_display_links = ("title",)
    list_filter = ("day__date", "area")
    search_fields = ("title",)
    list_select_related = ("day",)


@admin.register(Person)
class PersonAdmin(ContentAdmin, TranslationAdmin):
    list_display = ("name", "role", "order", "title", "organisation", "meeting")
    list_display_links = ("name",)
    list_editable = ("order",)
    list_filter = ("role", "meeting")
    search_fields = ("name", "title", "organisation")


@admin.register(Organiser)
class OrganiserAdmin(ContentAdmin, TranslationAdmin):
    list_display = ("name", "abbreviation", "order", "meeting")
    list_display_links = ("name",)
    list_editable = ("order",)
    list_filter = ("meeting",)
    search_fields = ("name", "abbreviation", "capacity")


@admin.register(ParticipationFigure)
class ParticipationFigureAdmin(ContentAdmin, TranslationAdmin):
    list_display = ("label", "channel", "day", "count", "order", "meeting")
    list_display_links = ("label",)
    list_editable = ("count", "order")
    list_filter = ("channel", "meeting")
    search_fields = ("label",)
    list_select_related = ("day", "meeting")
