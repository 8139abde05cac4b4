"""Import and export of one kind of content from its changelist."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from import_export.admin import ExportActionMixin, ImportExportMixin

from ..formats import FORMATS, ImportRefused
from ..forms import SpreadsheetImportForm
from ..resources import resource_for
from ..workbook import error_messages


class SpreadsheetMixin(ImportExportMixin, ExportActionMixin):
    """
    Import and export on the changelist, and "export selected" as an action.

    The resource is the model's own (``resource_for``). Uploads are parsed
    once, by the formats of ``reviews.formats``; a refused file or a failing
    row answers 400, and the confirmed import is all or nothing (see
    SpreadsheetResource.import_data).
    """

    formats = FORMATS
    # Stored and read as bytes; the formats decode text files themselves.
    from_encoding = None
    import_form_class = SpreadsheetImportForm
    import_template_name = "admin/reviews/import.html"

    def get_resource_classes(self, request):
        return [resource_for(self.model)]

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, ImportRefused):
            form.add_error("import_file", error.messages)
        else:
            super().add_data_read_fail_error_to_form(form, error)

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
