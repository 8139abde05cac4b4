"""
The spreadsheet formats editors upload and download, read safely.

Every format here checks a file before and after its parser sees it: files
over the upload limit, zips that would unpack to more than a set size
(checked in the zip's central directory, before openpyxl opens anything),
anything that does not parse and sheets with too many rows are refused with
``ImportRefused``, whose messages an editor reads. django-import-export's
admin parses an upload once, with these formats.
"""

import io
import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from import_export.formats import base_formats


class ImportRefused(Exception):
    """A whole file cannot be imported; carries the messages for the editor."""

    def __init__(self, messages):
        super().__init__(" ".join(str(message) for message in messages))
        self.messages = list(messages)


def check_size(size):
    limit = settings.SPREADSHEET_MAX_UPLOAD_BYTES
    if size == 0:
        raise ImportRefused([_("The file is empty.")])
    if size > limit:
        raise ImportRefused(
            [
                _("The file is %(size)s; files up to %(limit)s can be imported.")
                % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
            ]
        )


def check_zip(data, format_name):
    """Refuse a zip that is not one, or that would unpack to too much."""
    not_a_spreadsheet = _("This file is not a spreadsheet in %(format)s format.") % {
        "format": format_name
    }
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, TypeError):
        raise ImportRefused([not_a_spreadsheet]) from None
    # Python's zipfile stops decompressing a member at the size the directory
    # declares, so checking the declared sizes bounds what openpyxl can unpack.
    unpacked = sum(member.file_size for member in members)
    limit = settings.SPREADSHEET_MAX_UNPACKED_BYTES
    if unpacked > limit:
        raise ImportRefused(
            [
                _(
                    "This file would unpack to %(size)s, more than the %(limit)s "
                    "a spreadsheet may hold. It is refused."
                )
                % {"size": filesizeformat(unpacked), "limit": filesizeformat(limit)}
            ]
        )


def check_rows(count):
    limit = settings.SPREADSHEET_MAX_ROWS
    if count > limit:
        raise ImportRefused(
            [
                _("The sheet has %(count)s rows; at most %(limit)s can be imported.")
                % {"count": count, "limit": limit}
            ]
        )


def unreadable(format_name):
    return ImportRefused(
        [
            _(
                "This file could not be read as %(format)s. Check that it is "
                "a spreadsheet saved in that format."
            )
            % {"format": format_name}
        ]
    )


class CheckedFormat:
    """A format whose ``create_dataset`` refuses bad files with a message."""

    zipped = False

    def get_read_mode(self):
        # Bytes in, whatever the format: decoding is this class's business.
        return "rb"

    def name(self):
        return self.get_title().upper()

    def create_dataset(self, data):
        check_size(len(data))
        if self.zipped:
            check_zip(data, self.name())
        try:
            if isinstance(data, bytes) and not self.is_binary():
                data = data.decode("utf-8-sig")
            dataset = super().create_dataset(data)
        except Exception:
            # Parsers fail in many ways on bad input; the editor needs one message.
            raise unreadable(self.name()) from None
        if not dataset.headers:
            raise ImportRefused([_("The file has no header row.")])
        check_rows(len(dataset))
        return dataset


class XLSX(CheckedFormat, base_formats.XLSX):
    zipped = True


class ODS(CheckedFormat, base_formats.TablibFormat):
    """
    OpenDocument spreadsheets, read as the zips they are.

    import-export 4.4 declares ODS a text format, so its admin decodes an
    uploaded ODS file as UTF-8 and the import fails.
    """

    zipped = True
    TABLIB_MODULE = base_formats.ODS.TABLIB_MODULE
    CONTENT_TYPE = base_formats.ODS.CONTENT_TYPE


class CSV(CheckedFormat, base_formats.CSV):
    pass


class JSON(CheckedFormat, base_formats.JSON):
    pass


#: The formats editors may upload and download, in the order the admin offers them.
FORMATS = (XLSX, CSV, ODS, JSON)
