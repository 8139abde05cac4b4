"""Upload forms that refuse bad spreadsheets before the importer reads them."""

from django import forms
from django.utils.translation import gettext_lazy as _
from import_export.forms import ImportForm

from .resources import ImportRefused
from .workbook import check_size, read_dataset, read_workbook


def read_upload(upload, read):
    """``read`` applied to the upload's bytes; any refusal becomes a form error."""
    try:
        # The size is known before reading, so an oversized file is never read.
        check_size(upload.size)
        return read(b"".join(upload.chunks()))
    except ImportRefused as refusal:
        raise forms.ValidationError(refusal.messages) from None


class SpreadsheetImportForm(ImportForm):
    """import-export's upload form, refusing unreadable or dangerous files."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.format_classes = formats

    def clean(self):
        cleaned_data = super().clean()
        upload = cleaned_data.get("import_file")
        index = cleaned_data.get("format")
        if upload and index not in (None, ""):
            file_format = self.format_classes[int(index)]()
            try:
                read_upload(upload, lambda data: read_dataset(data, file_format))
            except forms.ValidationError as error:
                self.add_error("import_file", error)
        return cleaned_data


class WorkbookImportForm(forms.Form):
    workbook = forms.FileField(
        label=_("Workbook"),
        help_text=_("An XLSX file exported from this snapshot, edited or translated."),
    )

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        self.content = read_upload(upload, lambda data: read_workbook(data) and data)
        return upload


class WorkbookConfirmForm(forms.Form):
    """The second step: the workbook already checked, kept on the server."""

    # Only a name tempfile made in the temporary folder, never a path or
    # another file there: the confirmed file is deleted after its import.
    import_file_name = forms.RegexField(
        regex=r"^tmp[A-Za-z0-9_]{6,}$", widget=forms.HiddenInput
    )
