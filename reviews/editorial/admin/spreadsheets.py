"""Import and export of one kind of content from its changelist."""

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from import_export.admin import ExportActionMixin, ImportExportMixin
from import_export.forms import SelectableFieldsExportForm

from reviews.content import kind_of
from reviews.editorial.admin.uploads import StoredUpload
from reviews.spreadsheets.formats import FORMATS, ImportRefused
from reviews.spreadsheets.forms import ImportConfirmForm, SpreadsheetImportForm
from reviews.spreadsheets.imports import (
    ImportOutcome,
    SheetOutcome,
    check_permissions,
    confirmed_import,
)
from reviews.spreadsheets.resources import resource_for
from reviews.spreadsheets.storage import StorageUnavailable


class UploadInMemory:
    """What import-export's preview reads an upload from, in place of a file."""

    name = None

    def __init__(self, data):
        self.data = data

    def read(self):
        return self.data


class ExportForm(SelectableFieldsExportForm):
    class Media:
        # The admin's script names the "Select all" box of this page.
        js = ("reviews/admin.js",)


class SpreadsheetMixin(ImportExportMixin, ExportActionMixin):
    """
    Import and export on the changelist, and "export selected" as an action.

    The resource is the model's own (``resource_for``). Uploads are parsed
    once, by the formats of ``reviews.spreadsheets.formats``; a refused file, a failing
    row or a row the editor may not add or change answers 400. The preview
    lists each new and changed row; the confirmed import, of the file kept by
    ``StoredUpload`` (never of a file the form names), is all or nothing,
    refused when someone changed those rows meanwhile, and one revision.
    """

    formats = FORMATS
    # Stored and read as bytes; the formats decode text files themselves.
    from_encoding = None
    import_form_class = SpreadsheetImportForm
    export_form_class = ExportForm
    confirm_form_class = ImportConfirmForm
    import_template_name = "admin/reviews/import.html"

    def get_resource_classes(self, request):
        return [resource_for(self.model)]

    def stored_uploads(self, request):
        return StoredUpload(
            request,
            self.get_tmp_storage_class(),
            purpose=f"import:{self.model._meta.label_lower}",
        )

    def sheet_outcome(self, result):
        """The file's outcome, named like the model's sheet in the workbook."""
        return SheetOutcome.of(kind_of(self.model).sheet, self.model, result)

    def import_page(self):
        return HttpResponseRedirect(
            reverse("admin:{}_{}_import".format(*self.get_model_info()))
        )

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, ImportRefused):
            form.add_error("import_file", error.messages)
        else:
            super().add_data_read_fail_error_to_form(form, error)

    def write_to_tmp_storage(self, import_file, input_format):
        # The preview reads the upload from memory: only a preview that can
        # be confirmed is kept, by StoredUpload.
        return UploadInMemory(b"".join(import_file.chunks()))

    def get_confirm_form_initial(self, request, import_form):
        # Filled in by import_action, once the preview says what will change.
        return {}

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = response.context_data
        result = context.get("result")
        if result is None:
            if context["form"].errors:
                response.status_code = 400
            return response
        form = context["form"]
        outcome = ImportOutcome([self.sheet_outcome(result)])
        check_permissions(outcome, request.user)
        context["outcome"] = outcome
        context["error_messages"] = outcome.errors
        if outcome.ok and "confirm_form" in context:
            upload = form.cleaned_data["import_file"]
            try:
                key = self.stored_uploads(request).keep(
                    b"".join(upload.chunks()),
                    file_name=upload.name,
                    preview=outcome.changes_as_json(),
                    format=int(form.cleaned_data["format"]),
                )
            except StorageUnavailable:
                context.pop("confirm_form")
                context["error_messages"] = [StorageUnavailable.message]
                response.status_code = 503
                return response
            context["confirm_form"] = ImportConfirmForm(initial={"upload": key})
        else:
            context.pop("confirm_form", None)
            response.status_code = 400
        return response

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """Import the previewed file, which only the editor's session can name."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ImportConfirmForm(request.POST)
        try:
            upload = form.is_valid() and self.stored_uploads(request).take(
                form.cleaned_data["upload"]
            )
        except StorageUnavailable:
            # The preview is still there to confirm once storage is back.
            messages.error(request, StorageUnavailable.message)
            return self.import_page()
        if not upload:
            messages.error(
                request, gettext("The preview has expired; upload the file again.")
            )
            return self.import_page()
        try:
            dataset = self.get_import_formats()[
                upload.extra["format"]
            ]().create_dataset(upload.data)
        except ImportRefused as refusal:
            for message in refusal.messages:
                messages.error(request, message)
            return self.import_page()
        results = []

        def run():
            result = resource_for(self.model)().import_data(
                dataset,
                dry_run=False,
                raise_errors=False,
                file_name=upload.file_name,
                user=request.user,
                retain_instance_in_row_result=True,
            )
            results.append(result)
            outcome = ImportOutcome([self.sheet_outcome(result)])
            check_permissions(outcome, request.user)
            return outcome

        outcome = confirmed_import(
            run,
            user=request.user,
            file_name=upload.file_name,
            preview=upload.preview,
            workbook=False,
        )
        if not outcome.ok:
            # The file, the data or the rights changed since the preview.
            for message in [*outcome.errors, *outcome.conflicts]:
                messages.error(request, message)
            return self.import_page()
        return self.process_result(results[0], request)

    def add_success_message(self, result, request):
        outcome = self.sheet_outcome(result)
        messages.success(
            request,
            gettext(
                "Import finished: %(new)s new, %(updated)s changed and "
                "%(unchanged)s unchanged %(models)s."
            )
            % {
                "new": outcome.new,
                "updated": outcome.updated,
                "unchanged": outcome.unchanged,
                "models": self.opts.verbose_name_plural,
            },
        )

    def export_action(self, request):
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            # The export reads the changelist's filters from the query string;
            # unknown or malformed ones are answered as the changelist answers
            # them, with the export page without filters and the error flag.
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")

    def get_valid_export_item_pks(self, request):
        """Rows an "export selected" may name: those the editor can see."""
        return self.get_export_queryset(request).values_list("pk", flat=True)
