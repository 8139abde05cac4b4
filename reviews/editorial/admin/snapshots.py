"""The snapshot's page: its texts, meeting, conclusions and counts, and its workbook."""

from django.contrib import admin
from django.db.models import Prefetch
from django.urls import path
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from reviews.editorial.admin.activity import activity_view
from reviews.editorial.admin.base import ContentAdmin, ContentInline
from reviews.editorial.admin.forms import ContentForm
from reviews.editorial.admin.next_issue import (
    may_start_next_issue,
    next_issue_view,
    slug_taken_error,
)
from reviews.editorial.admin.publishing import (
    may_publish,
    preview_view,
    public_state,
    publication_action_view,
    publications_view,
    publish_view,
    unpublish_view,
)
from reviews.editorial.admin.registrations import warn_about_registration_headline
from reviews.editorial.admin.translation_editor import (
    editor_languages,
    translation_editor_view,
)
from reviews.editorial.admin.translation_status import translation_status_view
from reviews.editorial.admin.workbook import (
    WorkbookImportView,
    export_workbook_view,
    may_export,
    may_import,
    may_undo,
)
from reviews.editorial.admin.xliff import XliffImportView, export_xliff_view
from reviews.languages import in_default_language, target_languages
from reviews.models import Conclusion, Meeting, Snapshot, StakeholderCount
from reviews.publishing.models import Publication
from reviews.spreadsheets.imports import undoable_revision


class ConclusionInline(ContentInline, TranslationStackedInline):
    model = Conclusion
    extra = 0
    fields = ("order", "text")


class StakeholderCountInline(ContentInline, admin.TabularInline):
    model = StakeholderCount
    extra = 0
    fields = ("order", "group", "count")
    autocomplete_fields = ("group",)


class MeetingInline(ContentInline, TranslationStackedInline):
    """
    The meeting, whole: a new snapshot's meeting can be written here (its
    people, days and figures then on the meeting's own page).
    """

    model = Meeting
    extra = 0
    max_num = 1
    show_change_link = True


class SnapshotForm(ContentForm):
    def clean_slug(self):
        """Never a slug another snapshot was published under."""
        slug = self.cleaned_data["slug"]
        if Publication.objects.under_slug_of_another(slug, self.instance.pk).exists():
            raise slug_taken_error(slug)
        return slug


@admin.register(Snapshot)
class SnapshotAdmin(ContentAdmin, TranslationAdmin):
    form = SnapshotForm
    change_form_template = "admin/reviews/snapshot/change_form.html"
    list_display = (
        "title",
        "series",
        "number",
        "public_state_display",
        "registered_total_display",
        "updated_at",
    )
    list_display_links = ("title",)
    search_fields = ("title", "series", "slug")
    prepopulated_fields = {"slug": (in_default_language("title"),)}
    readonly_fields = ("registered_total_display", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("series", "number", "title")}),
        (
            _("Publication"),
            {
                "fields": ("publisher", "licence_name", "licence_url"),
                "description": _(
                    "Stated on the page, in every download and in the data "
                    "package. Leave the licence empty when none has been granted."
                ),
            },
        ),
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
        return (
            super()
            .get_queryset(request)
            .select_related("withdrawal")
            .prefetch_related(
                "stakeholder_counts",
                Prefetch(
                    "publications",
                    queryset=Publication.objects.defer("content").order_by(),
                ),
            )
        )

    @admin.display(description=_("on the site"))
    def public_state_display(self, snapshot):
        return public_state(snapshot)

    @admin.display(description=_("registered participants (total)"))
    def registered_total_display(self, snapshot):
        return snapshot.registered_total

    def change_view(self, request, object_id, form_url="", extra_context=None):
        snapshot = self.get_object(request, object_id)
        if request.method == "GET" and snapshot:
            warn_about_registration_headline(request, snapshot)
        extra_context = {
            **(extra_context or {}),
            "has_import_permission": self.has_import_permission(request),
            "has_export_permission": self.has_export_permission(request),
            "may_export": may_export(self, request),
            "may_import": may_import(self, request),
            "xliff_languages": target_languages(),
            # Offered here too, not only on the import's own page.
            "undoable": snapshot
            and may_undo(request.user)
            and undoable_revision(snapshot),
            "may_publish": may_publish(request.user),
            # Publications come prefetched with the snapshot.
            "may_start_next_issue": snapshot
            and bool(snapshot.publications.all())
            and may_start_next_issue(request.user),
            "translation_languages": editor_languages(request.user),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        warn_about_registration_headline(request, form.instance)

    def get_urls(self):
        def view(make, *args):
            return self.admin_site.admin_view(make(self, *args))

        return [
            path(
                "<path:object_id>/preview/<str:language>/",
                view(preview_view),
                name="reviews_snapshot_preview",
            ),
            path(
                "<path:object_id>/publish/",
                view(publish_view),
                name="reviews_snapshot_publish",
            ),
            path(
                "<path:object_id>/publications/",
                view(publications_view),
                name="reviews_snapshot_publications",
            ),
            path(
                "<path:object_id>/unpublish/",
                view(unpublish_view),
                name="reviews_snapshot_unpublish",
            ),
            path(
                "<path:object_id>/next/",
                view(next_issue_view),
                name="reviews_snapshot_next",
            ),
            *(
                path(
                    f"<path:object_id>/publications/<int:number>/{action}/",
                    view(publication_action_view, action),
                    name=f"reviews_snapshot_{action}",
                )
                for action in ("republish", "copy", "cancel")
            ),
            path(
                "<path:object_id>/translate/<str:language>/",
                view(translation_editor_view),
                name="reviews_snapshot_translate",
            ),
            path(
                "<path:object_id>/translations/",
                view(translation_status_view),
                name="reviews_snapshot_translations",
            ),
            path(
                "<path:object_id>/activity/",
                self.admin_site.admin_view(activity_view(self)),
                name="reviews_snapshot_activity",
            ),
            path(
                "<path:object_id>/workbook/",
                self.admin_site.admin_view(export_workbook_view(self)),
                name="reviews_snapshot_workbook_export",
            ),
            path(
                "<path:object_id>/workbook/import/",
                self.admin_site.admin_view(WorkbookImportView.as_view(admin=self)),
                name="reviews_snapshot_workbook_import",
            ),
            path(
                "<path:object_id>/xliff/<str:language>/",
                self.admin_site.admin_view(export_xliff_view(self)),
                name="reviews_snapshot_xliff_export",
            ),
            path(
                "<path:object_id>/xliff/<str:language>/import/",
                self.admin_site.admin_view(XliffImportView.as_view(admin=self)),
                name="reviews_snapshot_xliff_import",
            ),
            *super().get_urls(),
        ]


@admin.register(Conclusion)
class ConclusionAdmin(ContentAdmin, TranslationAdmin):
    list_display = ("__str__", "order", "snapshot")
    list_editable = ("order",)
    list_filter = ("snapshot",)
    search_fields = ("text",)
