"""Upload forms that refuse bad spreadsheets before the importer reads them."""

from django import forms
from django.utils.translation import gettext_lazy as _
from import_export.forms import ImportForm

from reviews.spreadsheets.formats import ImportRefused, check_size
from reviews.spreadsheets.workbook import read_workbook
from reviews.spreadsheets.xliff import read_xliff


def refuse_oversized(upload):
    """The size is known before reading, so an oversized file is never read."""
    try:
        check_size(upload.size)
    except ImportRefused as refusal:
        raise forms.ValidationError(refusal.messages) from None


class SpreadsheetImportForm(ImportForm):
    """
    import-export's upload form, refusing files over the upload limit; the
    format itself (``reviews.spreadsheets.formats``) refuses what does not parse.
    """

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        refuse_oversized(upload)
        return upload


class SnapshotFileForm(forms.Form):
    """
    A file of one snapshot, read once: ``content`` its bytes to keep,
    ``parsed`` what ``read`` made of them to preview.
    """

    file_field = None

    @staticmethod
    def read(content):
        raise NotImplementedError

    def clean(self):
        upload = self.cleaned_data.get(self.file_field)
        if upload is None:
            return self.cleaned_data
        try:
            refuse_oversized(upload)
            self.content = b"".join(upload.chunks())
            self.parsed = self.read(self.content)
        except forms.ValidationError as error:
            self.add_error(self.file_field, error)
        except ImportRefused as refusal:
            self.add_error(self.file_field, refusal.messages)
        return self.cleaned_data


class WorkbookImportForm(SnapshotFileForm):
    file_field = "workbook"
    read = staticmethod(read_workbook)
    workbook = forms.FileField(
        label=_("Workbook"),
        help_text=_(
            "An XLSX or ODS file exported from this snapshot, edited or translated."
        ),
    )


class XliffImportForm(SnapshotFileForm):
    file_field = "translation_file"
    read = staticmethod(read_xliff)
    translation_file = forms.FileField(
        label=_("XLIFF file"),
        help_text=_(
            "An XLIFF file exported from this snapshot for this language, "
            "translated in a tool such as Trados, memoQ or OmegaT."
        ),
    )


class ImportConfirmForm(forms.Form):
    """The second step: the file already checked, kept on the server."""

    # A key into the editor's own session, never a file name or a path.
    upload = forms.RegexField(regex=r"^[A-Za-z0-9_-]{20,64}$", widget=forms.HiddenInput)


class UndoForm(forms.Form):
    """Undo the revision the page showed, and only that one."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
