"""
A snapshot's texts in one language as XLIFF for translators' tools: the
export, and the import through the workbook's own preview, confirmation
and undo (``WorkbookImportView``), its stale units listed in the preview.
"""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from reviews.editorial.admin.workbook import (
    WorkbookImportView,
    may_export,
    may_import,
    snapshot_or_404,
)
from reviews.languages import target_languages
from reviews.spreadsheets.forms import XliffImportForm
from reviews.spreadsheets.xliff import CONTENT_TYPE, export_xliff, import_xliff


def target_language_or_404(language):
    if language not in target_languages():
        raise Http404
    return language


def export_xliff_view(admin):
    @require_safe
    def view(request, object_id, language):
        target_language_or_404(language)
        snapshot = snapshot_or_404(
            admin,
            request,
            object_id,
            may_export(admin, request) or may_import(admin, request, language),
        )
        response = HttpResponse(
            export_xliff(snapshot, language), content_type=CONTENT_TYPE
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{snapshot.slug}.{language}.xlf"'
        )
        return response

    return view


class XliffImportView(WorkbookImportView):
    """Upload, preview, confirm and undo an XLIFF file of one target language."""

    template_name = "admin/reviews/snapshot/xliff_import.html"
    form_class = XliffImportForm
    title = _("Import XLIFF")
    workbook = False

    def permitted(self, request, language):
        self.language = target_language_or_404(language)
        return may_import(self.admin, request, language)

    def purpose(self):
        return f"xliff:{self.snapshot.pk}:{self.language}"

    def read(self, data):
        return XliffImportForm.read(data)

    def run(self, parsed, *, dry_run):
        return import_xliff(
            parsed,
            snapshot=self.snapshot,
            language=self.language,
            dry_run=dry_run,
            user=self.request.user,
        )

    def render(self, status=200, **context):
        return super().render(status, language=self.language, **context)

    def imported_message(self, outcome):
        return ngettext(
            "The XLIFF file has been imported: %(updated)s text changed.",
            "The XLIFF file has been imported: %(updated)s texts changed.",
            outcome.updated,
        ) % {"updated": outcome.updated}
