"""
The spreadsheet formats editors upload and download, read safely.

Every format here checks a file before and after its parser sees it: files
over the upload limit, zips that would unpack to more than a set size
(checked in the zip's central directory, before openpyxl opens anything),
anything that does not parse and sheets with too many rows are refused with
``ImportRefused``, whose messages an editor reads. django-import-export's
admin parses an upload once, with these formats.

Files come as spreadsheet programs save them: rows left formatted but empty
below the data, or holding only spaces, are dropped (``without_blank_rows``)
while each row keeps its number in the spreadsheet for messages; a CSV may
be UTF-8 (with or without the BOM Excel adds) or Windows-1252, separated by
commas, semicolons (Spanish-locale programs) or tabs.
"""

import datetime
import io
import zipfile
from itertools import repeat

import tablib
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from odf.opendocument import load as load_opendocument
from odf.table import TableRow

from reviews.spreadsheets.cells import SEPARATORS


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
    if not members:
        raise ImportRefused([not_a_spreadsheet])
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
    return {member.filename for member in members}


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


#: The spreadsheet row of a dataset's first data row (the header is row 1).
FIRST_DATA_ROW = 2


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def without_blank_rows(dataset):
    """
    ``dataset`` without rows and unnamed columns that hold nothing but blanks.

    Spreadsheet programs keep formatted but empty cells below and beside the
    data; they are not rows anyone meant to import. Headers lose surrounding
    spaces. The spreadsheet number of every kept row is in
    ``dataset.row_numbers``, for messages.
    """
    headers = list(dataset.headers or ())
    rows = list(dataset)
    kept_columns = [
        index
        for index, header in enumerate(headers)
        if not is_blank(header)
        or any(not is_blank(row[index]) for row in rows if index < len(row))
    ]
    tidy = tablib.Dataset(title=dataset.title)
    # Spreadsheet programs keep stray spaces around header names.
    tidy.headers = [
        header.strip() if isinstance(header, str) else header
        for header in (headers[index] for index in kept_columns)
    ] or None
    row_numbers = []
    numbers = getattr(dataset, "row_numbers", None) or range(FIRST_DATA_ROW, 2**62)
    for number, row in zip(numbers, rows, strict=False):
        values = [row[index] if index < len(row) else None for index in kept_columns]
        if not all(is_blank(value) for value in values):
            tidy.append(values)
            row_numbers.append(number)
    tidy.row_numbers = row_numbers
    return tidy


def row_number(row_numbers, index):
    """The spreadsheet row of the dataset's row ``index`` (counted from 0)."""
    if row_numbers and 0 <= index < len(row_numbers):
        return row_numbers[index]
    return index + FIRST_DATA_ROW


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
            dataset = self.parse(data)
        except ImportRefused:
            raise
        except Exception:
            # Parsers fail in many ways on bad input; the editor needs one message.
            raise unreadable(self.name()) from None
        dataset = without_blank_rows(dataset)
        if not dataset.headers:
            raise ImportRefused([_("The file has no header row.")])
        check_rows(len(dataset))
        return dataset

    def parse(self, data):
        if isinstance(data, bytes) and not self.is_binary():
            data = data.decode("utf-8-sig")
        return super().create_dataset(data)


class XLSX(CheckedFormat, base_formats.XLSX):
    zipped = True


class ODS(CheckedFormat, base_formats.TablibFormat):
    """
    OpenDocument spreadsheets, read as the zips they are, by ``ods_sheets``.

    import-export 4.4 declares ODS a text format, so its admin decodes an
    uploaded ODS file as UTF-8 and the import fails.
    """

    zipped = True
    TABLIB_MODULE = base_formats.ODS.TABLIB_MODULE
    CONTENT_TYPE = base_formats.ODS.CONTENT_TYPE

    def parse(self, data):
        return next(iter(ods_sheets(data)))


# OpenDocument, read cell by cell ---------------------------------------------
#
# tablib's reader keeps only the first paragraph of a cell (a long text loses
# all but its first paragraph) and drops empty cells that LibreOffice writes
# as one "repeated" cell, shifting the columns after them. This reader keeps
# both, and never expands a million repeated empty rows or columns.

ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
ODS_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
ODS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def ods_attribute(element, namespace, name):
    return element.attributes.get((namespace, name))


def ods_text(element):
    """The text of a paragraph, with LibreOffice's spaces, tabs and breaks."""
    parts = []
    for node in element.childNodes:
        if node.nodeType == node.TEXT_NODE:
            parts.append(node.data)
            continue
        tag = node.qname
        if tag == (ODS_TEXT, "s"):
            parts.append(" " * int(ods_attribute(node, ODS_TEXT, "c") or 1))
        elif tag == (ODS_TEXT, "tab"):
            parts.append("\t")
        elif tag == (ODS_TEXT, "line-break"):
            parts.append("\n")
        else:
            parts.append(ods_text(node))
    return "".join(parts)


def ods_value(cell):
    """A cell's value: a number, date, boolean or text; None when empty."""
    kind = ods_attribute(cell, ODS_OFFICE, "value-type")
    if kind in ("float", "percentage", "currency"):
        number = float(ods_attribute(cell, ODS_OFFICE, "value"))
        return int(number) if number.is_integer() else number
    if kind == "date":
        value = ods_attribute(cell, ODS_OFFICE, "date-value")
        if "T" in value:
            return datetime.datetime.fromisoformat(value)
        return datetime.date.fromisoformat(value)
    if kind == "boolean":
        return ods_attribute(cell, ODS_OFFICE, "boolean-value") == "true"
    paragraphs = [
        ods_text(node) for node in cell.childNodes if node.qname == (ODS_TEXT, "p")
    ]
    return "\n".join(paragraphs) if paragraphs else None


def ods_repeats(element, name):
    return int(ods_attribute(element, ODS_TABLE, name) or 1)


#: No sheet has nearly this many columns; a row with more is not a sheet of ours.
ODS_MAX_COLUMNS = 256


def ods_row(row):
    """A row's values, empty cells kept in place and trailing ones dropped."""
    values, blanks = [], 0
    for cell in row.childNodes:
        if cell.qname not in (
            (ODS_TABLE, "table-cell"),
            (ODS_TABLE, "covered-table-cell"),
        ):
            continue
        value, count = ods_value(cell), ods_repeats(cell, "number-columns-repeated")
        if is_blank(value):
            blanks += count
            continue
        values.extend(repeat(None, blanks))
        blanks = 0
        values.extend(repeat(value, min(count, ODS_MAX_COLUMNS + 1)))
        if len(values) > ODS_MAX_COLUMNS:
            raise ImportRefused(
                [
                    _("A row has more than %(limit)s columns.")
                    % {"limit": ODS_MAX_COLUMNS}
                ]
            )
    return values


def ods_sheets(data):
    """
    Every sheet of an ODS file as a Dataset named like the sheet, without
    blank rows, each row numbered as in the spreadsheet.
    """
    document = load_opendocument(io.BytesIO(data))
    sheets = []
    for table in document.spreadsheet.childNodes:
        if table.qname != (ODS_TABLE, "table"):
            continue
        rows, numbers, number = [], [], 1
        for row in table.getElementsByType(TableRow):
            values, count = ods_row(row), ods_repeats(row, "number-rows-repeated")
            if values:
                # Data rows so far (the first row is the header), counted
                # before a repeated row is expanded.
                check_rows(len(rows) + count - 1)
                rows.extend(repeat(values, count))
                numbers.extend(range(number, number + count))
            number += count
        dataset = tablib.Dataset(title=ods_attribute(table, ODS_TABLE, "name"))
        if rows and numbers[0] == 1:
            width = max(len(values) for values in rows)
            dataset.headers = rows[0] + [None] * (width - len(rows[0]))
            for values in rows[1:]:
                dataset.append(values + [None] * (width - len(values)))
            dataset.row_numbers = numbers[1:]
        sheets.append(dataset)
    return sheets


#: Tried in order: UTF-8 (a BOM is dropped), then what Excel on Windows saves.
ENCODINGS = ("utf-8-sig", "cp1252")


def decoded(data):
    """The text of a CSV file, or ImportRefused naming the encoding problem."""
    if b"\0" in data:
        raise unreadable("CSV")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused(
        [
            _(
                "This CSV file is neither UTF-8 nor Windows-1252 text. Save it "
                "again as “CSV UTF-8” and upload that file."
            )
        ]
    )


def separator(text):
    """The separator the header row uses most, outside quotes."""
    header, in_quotes = [], False
    for character in text:
        if character == '"':
            in_quotes = not in_quotes
        elif character in "\r\n" and not in_quotes:
            break
        elif not in_quotes:
            header.append(character)
    counts = {candidate: header.count(candidate) for candidate in SEPARATORS}
    best = max(SEPARATORS, key=counts.get)
    return best if counts[best] else SEPARATORS[0]


class CSV(CheckedFormat, base_formats.CSV):
    def parse(self, data):
        text = decoded(data) if isinstance(data, bytes) else data.lstrip("\ufeff")
        dataset = tablib.Dataset().load(text, "csv", delimiter=separator(text))
        if dataset.headers and len(dataset.headers) == 1:
            raise ImportRefused(
                [
                    _(
                        "The header row “%(header)s” is a single column. Separate "
                        "the columns with commas, semicolons or tabs."
                    )
                    % {"header": dataset.headers[0]}
                ]
            )
        return dataset

    def export_data(self, dataset, **kwargs):
        # A byte-order mark is how Excel knows the file is UTF-8 and shows
        # accents correctly; without it Excel reads Windows-1252.
        return "\ufeff" + super().export_data(dataset, **kwargs)


class JSON(CheckedFormat, base_formats.JSON):
    pass


#: The formats editors may upload and download, in the order the admin offers them.
FORMATS = (XLSX, CSV, ODS, JSON)
