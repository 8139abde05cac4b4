"""
The editors' admin.

Every content model has its own changelist (so it can be searched, filtered,
imported and exported as a spreadsheet) and also appears as an inline under
its parent, where editors usually work. English and Spanish sit in tabs. The
snapshot's page also exports and imports the whole snapshot as one workbook.
"""

from pathlib import Path

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportActionMixin, ImportExportMixin
from import_export.formats.base_formats import XLSX
from import_export.tmp_storages import TempFolderStorage
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from . import resources
from .forms import SpreadsheetImportForm, WorkbookConfirmForm, WorkbookImportForm
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
from .resources import ImportRefused
from .workbook import FORMATS, error_messages, export_workbook, import_workbook


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


class SpreadsheetMixin(ImportExportMixin, ExportActionMixin):
    """
    Import and export on the changelist, and "export selected" as an action.

    Uploads are checked by SpreadsheetImportForm before import-export reads
    them; a refused file or a failing row answers 400, and the confirmed
    import is all or nothing (see SpreadsheetResource.import_data).
    """

    formats = FORMATS
    import_form_class = SpreadsheetImportForm
    import_template_name = "admin/reviews/import.html"

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = response.context_data
        result = context.get("result")
        failed = result and (result.has_errors() or result.has_validation_errors())
        if failed:
            context["error_messages"] = error_messages(result)
        if failed or context["form"].errors:
            response.status_code = 400
        return response

    def get_valid_export_item_pks(self, request):
        """Rows an "export selected" may name: those the editor can see."""
        return self.get_export_queryset(request).values_list("pk", flat=True)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The file changed since its preview, or the data did; nothing was kept.
            for message in error_messages(result):
                messages.error(request, message)
            return HttpResponseRedirect(
                reverse("admin:{}_{}_import".format(*self.get_model_info()))
            )
        return super().process_result(result, request)


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
class SnapshotAdmin(SpreadsheetMixin, TabbedTranslationAdmin):
    resource_classes = [resources.SnapshotResource]
    change_form_template = "admin/reviews/snapshot/change_form.html"
    workbook_template = "admin/reviews/snapshot/workbook_import.html"
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
        extra_context = {
            **(extra_context or {}),
            "has_import_permission": self.has_import_permission(request),
            "has_export_permission": self.has_export_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        warn_about_registration_headline(request, form.instance)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/workbook/",
                self.admin_site.admin_view(self.workbook_export_view),
                name="reviews_snapshot_workbook_export",
            ),
            path(
                "<path:object_id>/workbook/import/",
                self.admin_site.admin_view(self.workbook_import_view),
                name="reviews_snapshot_workbook_import",
            ),
            *super().get_urls(),
        ]

    def workbook_snapshot(self, request, object_id, permitted):
        if not permitted:
            raise PermissionDenied
        snapshot = self.get_object(request, object_id)
        if snapshot is None:
            raise Http404
        return snapshot

    def workbook_export_view(self, request, object_id):
        snapshot = self.workbook_snapshot(
            request, object_id, self.has_export_permission(request)
        )
        response = HttpResponse(
            export_workbook(snapshot), content_type=XLSX.CONTENT_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{snapshot.slug}.xlsx"'
        return response

    def workbook_import_view(self, request, object_id):
        """Upload, preview (a dry run), then confirm; all or nothing."""
        snapshot = self.workbook_snapshot(
            request,
            object_id,
            self.has_import_permission(request) and self.has_change_permission(request),
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": snapshot,
            "title": _("Import workbook"),
        }
        if "confirm" in request.POST:
            confirm_form = WorkbookConfirmForm(request.POST)
            if confirm_form.is_valid():
                storage = TempFolderStorage(
                    name=confirm_form.cleaned_data["import_file_name"],
                    read_mode="rb",
                )
                try:
                    content = storage.read()
                except OSError:
                    pass
                else:
                    storage.remove()
                    return self.finish_workbook_import(
                        request, snapshot, content, context
                    )
            context["refusal"] = [gettext("The preview has expired; upload again.")]
            form = WorkbookImportForm()
        else:
            form = WorkbookImportForm(request.POST or None, request.FILES or None)
            if form.is_valid():
                try:
                    outcome = import_workbook(
                        form.content, dry_run=True, snapshot=snapshot
                    )
                except ImportRefused as refusal:
                    form.add_error("workbook", refusal.messages)
                    outcome = None
                context["outcome"] = outcome
                if outcome and outcome.ok:
                    storage = TempFolderStorage(read_mode="rb")
                    storage.save(form.content)
                    context["confirm_form"] = WorkbookConfirmForm(
                        initial={"import_file_name": Path(storage.name).name}
                    )
        context["form"] = form
        outcome = context.get("outcome")
        failed = form.errors or context.get("refusal") or (outcome and not outcome.ok)
        return TemplateResponse(
            request, self.workbook_template, context, status=400 if failed else 200
        )

    def finish_workbook_import(self, request, snapshot, content, context):
        try:
            outcome = import_workbook(content, dry_run=False, snapshot=snapshot)
        except ImportRefused as refusal:
            outcome = None
            context["refusal"] = refusal.messages
        if outcome and outcome.ok:
            messages.success(request, gettext("The workbook has been imported."))
            return HttpResponseRedirect(
                reverse("admin:reviews_snapshot_change", args=[snapshot.pk])
            )
        context.update(outcome=outcome, form=WorkbookImportForm())
        return TemplateResponse(request, self.workbook_template, context, status=400)


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
class MeetingAdmin(SpreadsheetMixin, TabbedTranslationAdmin):
    resource_classes = [resources.MeetingResource]
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
class MeetingDayAdmin(SpreadsheetMixin, TabbedTranslationAdmin):
    resource_classes = [resources.MeetingDayResource]
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
class RoundTableAdmin(SpreadsheetMixin, TabbedTranslationAdmin):
    resource_classes = [resources.RoundTableResource]
    list_display = ("area", "title", "day")
    list_display_links = ("title",)
    list_filter = ("day__date", "area")
    search_fields = ("title",)
    list_select_related = ("day",)


@admin.register(Person)
class PersonAdmin(SpreadsheetMixin, TabbedTranslationAdmin):
    resource_classes = [resources.PersonResource]
    list_display = ("name", "role", "order", "title", "organisation", "meeting")
    list_display_links = ("name",)
    list_editable = ("order",)
    list_filter = ("role", "meeting")
    search_fields = ("name", "title", "organisation")


@admin.register(Conclusion)
class ConclusionAdmin(SpreadsheetMixin, TabbedTranslationAdmin):
    resource_classes = [resources.ConclusionResource]
    list_display = ("__str__", "order", "snapshot")
    list_editable = ("order",)
    list_filter = ("snapshot",)
    search_fields = ("text",)


@admin.register(ParticipationFigure)
class ParticipationFigureAdmin(SpreadsheetMixin, TabbedTranslationAdmin):
    resource_classes = [resources.ParticipationFigureResource]
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
class TimelineEventAdmin(SpreadsheetMixin, TabbedTranslationAdmin):
    resource_classes = [resources.TimelineEventResource]
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
class TimelineFigureAdmin(SpreadsheetMixin, TabbedTranslationAdmin):
    resource_classes = [resources.TimelineFigureResource]
    list_display = ("label", "qualifier", "value", "order", "event")
    list_display_links = ("label",)
    list_editable = ("value", "order")
    list_filter = ("qualifier", "summarises_registrations", "event__snapshot")
    search_fields = ("label", "event__title")
    list_select_related = ("event",)


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(SpreadsheetMixin, TabbedTranslationAdmin):
    resource_classes = [resources.StakeholderGroupResource]
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(StakeholderCount)
class StakeholderCountAdmin(SpreadsheetMixin, admin.ModelAdmin):
    resource_classes = [resources.StakeholderCountResource]
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
