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
from xml.parsers import expat

import openpyxl
import tablib
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from import_export.formats import base_formats

from reviews.spreadsheets.cells import SEPARATORS, is_blank


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


def header_name(header):
    """A header without the stray spaces spreadsheet programs keep around it."""
    return header.strip() if isinstance(header, str) else header


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
    tidy.headers = [header_name(headers[index]) for index in kept_columns] or None
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

    def parse(self, data):
        return xlsx_sheets(data, first_only=True)[0]


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


# Reading while counting -------------------------------------------------------
#
# An upload is read as a stream and refused the moment it goes past a limit,
# before what it would expand to is held: rows are counted as they arrive,
# repeated rows and columns are counted before they are repeated, and a cell's
# text is measured before it is kept. A few kilobytes of ODS may otherwise
# declare a cell of two thousand million spaces, and a few hundred of XLSX
# hold hundreds of thousands of rows.

#: No sheet has nearly this many columns; a row with more is not a sheet of ours.
MAX_COLUMNS = 256
#: openpyxl reads an XLSX file's texts before its first row, as one table of
#: objects (about 150 bytes each, measured): no sheet of ours holds nearly
#: this many different texts, or this much of them.
XLSX_MAX_SHARED_STRINGS = 200_000
XLSX_MAX_SHARED_STRINGS_BYTES = 16 * 1024 * 1024


def check_columns(count):
    if count > MAX_COLUMNS:
        raise ImportRefused(
            [_("A row has more than %(limit)s columns.") % {"limit": MAX_COLUMNS}]
        )


def check_cell_length(length, row):
    limit = settings.SPREADSHEET_MAX_CELL_CHARS
    if length > limit:
        # Reading stops here: the cell's whole length is never known.
        raise ImportRefused(
            [
                _("Row %(row)s has a cell of more than %(limit)s characters.")
                % {"row": row, "limit": limit}
            ]
        )


def check_workbook_rows(count):
    limit = settings.SPREADSHEET_MAX_WORKBOOK_ROWS
    if count > limit:
        raise ImportRefused(
            [
                _("The workbook has %(count)s rows; at most %(limit)s can be imported.")
                % {"count": count, "limit": limit}
            ]
        )


class SheetBuilder:
    """
    One sheet's rows as they are read: the first row with anything in it is
    the header, if it is the sheet's first; blank rows are counted, not kept.
    ``counted`` is shared by the sheets of one file, for the workbook's limit.
    """

    def __init__(self, title, counted):
        self.title, self.counted = title, counted
        self.rows, self.numbers, self.number = [], [], 1

    def add(self, values, repeated=1):
        """A row's values, trailing blanks dropped, ``repeated`` times over."""
        if values:
            # Data rows (the first row is the header), counted before a
            # repeated row is repeated.
            data_rows = repeated if self.rows else repeated - 1
            check_rows(len(self.rows) + repeated - 1)
            self.counted[0] += data_rows
            check_workbook_rows(self.counted[0])
            self.rows.extend(repeat(values, repeated))
            self.numbers.extend(range(self.number, self.number + repeated))
        self.number += repeated

    def dataset(self):
        dataset = tablib.Dataset(title=self.title)
        if self.rows and self.numbers[0] == 1:
            width = max(len(values) for values in self.rows)
            dataset.headers = self.rows[0] + [None] * (width - len(self.rows[0]))
            for values in self.rows[1:]:
                dataset.append(values + [None] * (width - len(values)))
            dataset.row_numbers = self.numbers[1:]
        return dataset


def trimmed(values):
    """``values`` without the blank cells at its end."""
    end = len(values)
    while end and is_blank(values[end - 1]):
        end -= 1
    return list(values[:end])


def check_shared_strings(data):
    """Refuse an XLSX file whose table of texts is too long to read."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        part = next(
            (m for m in archive.infolist() if m.filename == "xl/sharedStrings.xml"),
            None,
        )
        if part is None:
            return
        if part.file_size > XLSX_MAX_SHARED_STRINGS_BYTES:
            raise ImportRefused(
                [
                    _(
                        "This file would unpack to %(size)s, more than the "
                        "%(limit)s a spreadsheet may hold. It is refused."
                    )
                    % {
                        "size": filesizeformat(part.file_size),
                        "limit": filesizeformat(XLSX_MAX_SHARED_STRINGS_BYTES),
                    }
                ]
            )
        counted = [0]

        def count(name, attributes):
            if name.endswith(" si"):
                counted[0] += 1
                if counted[0] > XLSX_MAX_SHARED_STRINGS:
                    raise ImportRefused(
                        [
                            _(
                                "This file holds more than %(limit)s different "
                                "texts, more than a spreadsheet may hold. It is "
                                "refused."
                            )
                            % {"limit": XLSX_MAX_SHARED_STRINGS}
                        ]
                    )

        with archive.open(part) as texts:
            xml_parser(start=count).ParseFile(texts)


def xml_parser(**handlers):
    """expat, with ``start``, ``end`` and ``characters`` handlers, refusing
    entity declarations."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = handlers.get("start")
    parser.EndElementHandler = handlers.get("end")
    parser.CharacterDataHandler = handlers.get("characters")
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = refuse_declarations
    return parser


class XlsxSheetCounter:
    """
    expat's callbacks for one worksheet's XML, read before openpyxl reads it:
    openpyxl holds a cell's whole text at once, and reads a sheet without a
    declared size to its end before its first row. Rows with a value are
    counted, and each cell's text measured, as they stream by.
    """

    def __init__(self):
        self.rows, self.number, self.length = 0, 0, 0
        self.in_cell = self.row_has_value = False

    def start(self, name, attributes):
        local = name.rpartition(" ")[2]
        if local == "row":
            self.number = int(attributes.get("r") or self.number + 1)
            self.row_has_value = False
        elif local == "c":
            self.length, self.in_cell = 0, True

    def characters(self, data):
        if self.in_cell:
            self.length += len(data)
            check_cell_length(self.length, self.number)
            self.row_has_value = self.row_has_value or bool(data.strip())

    def end(self, name):
        local = name.rpartition(" ")[2]
        if local == "c":
            self.in_cell = False
        elif local == "row" and self.row_has_value:
            self.rows += 1
            check_rows(self.rows - 1)  # the first is the header


def check_worksheets(data):
    """Refuse an XLSX file with a sheet of too many rows or too long a cell."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in archive.infolist():
            if part.filename.startswith("xl/worksheets/") and part.filename.endswith(
                ".xml"
            ):
                counter = XlsxSheetCounter()
                with archive.open(part) as sheet:
                    xml_parser(
                        start=counter.start,
                        end=counter.end,
                        characters=counter.characters,
                    ).ParseFile(sheet)


def xlsx_sheets(data, first_only=False):
    """
    The sheets of an XLSX file (or its first), as Datasets named like the
    sheets, each row numbered as in the spreadsheet. openpyxl's read-only
    mode streams a sheet's XML; the shared texts it reads first are bounded
    by the size of their part of the zip.
    """
    check_shared_strings(data)
    check_worksheets(data)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    counted, sheets = [0], []
    try:
        for sheet in [book.active] if first_only else book.worksheets:
            builder = SheetBuilder(sheet.title, counted)
            # The sheet's own claim of its size is not believed: rows are
            # read as they come, and never wider than one column too many.
            sheet.reset_dimensions()
            for values in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True):
                values = trimmed(values)
                check_columns(len(values))
                builder.add(values)
            sheets.append(builder.dataset())
    finally:
        book.close()
    return sheets


# OpenDocument, read element by element ------------------------------------------
#
# tablib's reader keeps only the first paragraph of a cell (a long text loses
# all but its first paragraph) and drops empty cells that LibreOffice writes
# as one "repeated" cell, shifting the columns after them; odfpy holds the
# whole document in memory first. This reader keeps both, holds one cell at
# a time and never expands a million repeated empty rows or columns.

ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
ODS_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
ODS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"

TABLE = f"{ODS_TABLE} table"
ROW = f"{ODS_TABLE} table-row"
CELLS = (f"{ODS_TABLE} table-cell", f"{ODS_TABLE} covered-table-cell")
PARAGRAPH = f"{ODS_TEXT} p"
#: What LibreOffice writes for spaces (with a count), tabs and line breaks.
SPACES, TAB, LINE_BREAK = f"{ODS_TEXT} s", f"{ODS_TEXT} tab", f"{ODS_TEXT} line-break"


def ods_value(attributes, text):
    """A cell's value: a number, date, boolean or text; None when empty."""
    kind = attributes.get(f"{ODS_OFFICE} value-type")
    if kind in ("float", "percentage", "currency"):
        number = float(attributes[f"{ODS_OFFICE} value"])
        return int(number) if number.is_integer() else number
    if kind == "date":
        value = attributes[f"{ODS_OFFICE} date-value"]
        if "T" in value:
            return datetime.datetime.fromisoformat(value)
        return datetime.date.fromisoformat(value)
    if kind == "boolean":
        return attributes.get(f"{ODS_OFFICE} boolean-value") == "true"
    return "\n".join("".join(parts) for parts in text) if text else None


def ods_repeats(attributes, name):
    return int(attributes.get(f"{ODS_TABLE} {name}") or 1)


class OdsReader:
    """expat's callbacks for an ODS file's content.xml, building its sheets."""

    def __init__(self):
        self.sheets, self.counted = [], [0]
        self.sheet = self.row = self.cell = None
        # How deep inside the cell the reader is, and whether in a paragraph
        # of the cell itself: text counts only there (not in a comment's).
        self.depth, self.in_paragraph = 0, False

    def start(self, name, attributes):
        if self.cell is not None:
            self.depth += 1
            if name == PARAGRAPH and self.depth == 1:
                self.in_paragraph = True
                if self.cell["text"]:
                    self.add_text("")  # the line break between paragraphs
                self.cell["text"].append([])
            elif self.in_paragraph:
                if name == SPACES:
                    self.add_text(" ", int(attributes.get(f"{ODS_TEXT} c") or 1))
                elif name == TAB:
                    self.add_text("\t")
                elif name == LINE_BREAK:
                    self.add_text("\n")
        elif name in CELLS and self.row is not None:
            self.cell = {"attributes": attributes, "text": [], "length": 0}
            self.depth = 0
        elif name == ROW and self.sheet is not None:
            self.row = {"attributes": attributes, "values": [], "blanks": 0}
        elif name == TABLE:
            self.sheet = SheetBuilder(attributes.get(f"{ODS_TABLE} name"), self.counted)

    def add_text(self, text, times=1):
        """Text of the cell, measured before it is kept."""
        cell = self.cell
        cell["length"] += len(text) * times if text else 1
        check_cell_length(cell["length"], self.sheet.number)
        if text:
            cell["text"][-1].append(text * times)

    def characters(self, data):
        if self.in_paragraph:
            self.add_text(data)

    def end(self, name):
        if self.cell is not None:
            if self.depth:
                self.in_paragraph = self.in_paragraph and self.depth > 1
                self.depth -= 1
                return
            self.end_cell()
        elif name == ROW and self.row is not None:
            self.sheet.add(
                self.row["values"],
                ods_repeats(self.row["attributes"], "number-rows-repeated"),
            )
            self.row = None
        elif name == TABLE and self.sheet is not None:
            self.sheets.append(self.sheet.dataset())
            self.sheet = None

    def end_cell(self):
        cell, row, self.cell = self.cell, self.row, None
        value = ods_value(cell["attributes"], cell["text"])
        count = ods_repeats(cell["attributes"], "number-columns-repeated")
        if is_blank(value):
            row["blanks"] += count
            return
        values = row["values"]
        check_columns(len(values) + row["blanks"] + 1)
        values.extend(repeat(None, row["blanks"]))
        row["blanks"] = 0
        values.extend(repeat(value, min(count, MAX_COLUMNS + 1)))
        check_columns(len(values))


def refuse_declarations(*args):
    # A spreadsheet's XML declares no entities; one that does may be a
    # "billion laughs" or an attempt to read files (XXE).
    raise ImportRefused([_("This file could not be read as a spreadsheet.")])


def ods_sheets(data):
    """
    Every sheet of an ODS file as a Dataset named like the sheet, without
    blank rows, each row numbered as in the spreadsheet.
    """
    reader = OdsReader()
    parser = xml_parser(
        start=reader.start, end=reader.end, characters=reader.characters
    )
    with (
        zipfile.ZipFile(io.BytesIO(data)) as archive,
        archive.open("content.xml") as content,
    ):
        parser.ParseFile(content)
    return reader.sheets


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
