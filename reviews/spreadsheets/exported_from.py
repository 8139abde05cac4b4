"""
What a workbook was exported from, so that its import cannot silently
overwrite a value changed since (README: "Spreadsheets").

The export adds a hidden sheet, ``exported_from``, holding a short digest of
every cell of every row as exported, by sheet and natural key. On import,
each cell of a row the record names is one of three cases:

- the file holds the value exported and the database still has it, or the
  database has what the file says: nothing to decide;
- the file holds the value exported but the database has changed since
  (another editor, an ODS imported meanwhile): the file did not change that
  cell, so the newer value is kept, and the preview lists it;
- both the file and the database changed it, differently: the import is
  refused whole, naming each such cell, since either choice would lose
  someone's work.

A workbook without the sheet (made by hand, or exported before it existed)
imports as before. The digests keep the values themselves out of the
hidden sheet, and many rows share one cell so that the record adds few rows
to the workbook's limits.
"""

import dataclasses
import datetime
import hashlib
import io
import json
from decimal import Decimal

import openpyxl
import tablib
from django.conf import settings
from django.utils.translation import gettext as _

from reviews import content
from reviews.markup import tidy
from reviews.spreadsheets import cells
from reviews.spreadsheets.formats import ImportRefused, row_number
from reviews.spreadsheets.resources import resource_for

SHEET = "exported_from"
HEADERS = ["sheet", "rows"]


def normal(value):
    """A cell as text, however the file's program typed it (dates, whole floats)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, float | Decimal) and value == int(value):
        return str(int(value))
    if isinstance(value, str):
        return tidy(value)
    return str(value)


def digest(value):
    return hashlib.sha256(normal(value).encode()).hexdigest()[:12]


def key_of(dataset, row, kind):
    """The row's natural key as its cells write it."""
    columns = [field.column_name for field in resource_for(kind.model)().id_fields()]
    values = dict(zip(dataset.headers or (), row, strict=False))
    return " / ".join(normal(values.get(column)) for column in columns)


def digests(dataset, kind):
    """{key: {column: digest}} of every row of an exported or read sheet."""
    return {
        key_of(dataset, row, kind): {
            column: digest(value)
            for column, value in zip(dataset.headers, row, strict=False)
        }
        for row in dataset
    }


# Export ------------------------------------------------------------------------


def record(datasets):
    """The hidden sheet for the exported ``datasets`` ({kind: dataset})."""
    sheet = tablib.Dataset(headers=HEADERS, title=SHEET)
    # Rows share a cell, kept under the cell limit of imports.
    limit = settings.SPREADSHEET_MAX_CELL_CHARS - 200
    for kind, dataset in datasets.items():
        chunk, size = {}, 0
        for key, values in digests(dataset, kind).items():
            length = len(json.dumps({key: values}))
            if chunk and size + length > limit:
                sheet.append([kind.sheet, json.dumps(chunk)])
                chunk, size = {}, 0
            chunk[key], size = values, size + length
        if chunk:
            sheet.append([kind.sheet, json.dumps(chunk)])
    return sheet


def hidden(xlsx):
    """The XLSX bytes with the record's sheet hidden from the person editing."""
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    book[SHEET].sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Import ------------------------------------------------------------------------


def unreadable_record():
    return ImportRefused(
        [
            _(
                "The workbook's hidden sheet “%(sheet)s” has been changed and "
                "cannot be read. Export the workbook again, or delete that sheet "
                "to import the file as one made by hand."
            )
            % {"sheet": SHEET}
        ]
    )


def read_record(sheets):
    """{sheet: {key: {column: digest}}} from the workbook, or None without one."""
    dataset = sheets.get(SHEET)
    if dataset is None:
        return None
    if list(dataset.headers or ()) != HEADERS:
        raise unreadable_record()
    found = {}
    try:
        for name, rows in dataset:
            found.setdefault(str(name), {}).update(json.loads(rows))
    except (TypeError, ValueError):
        raise unreadable_record() from None
    if not all(
        isinstance(values, dict) and all(isinstance(v, str) for v in values.values())
        for rows in found.values()
        for values in rows.values()
    ):
        raise unreadable_record()
    return found


@dataclasses.dataclass
class KeptValue:
    """A cell the file left as exported, whose newer value the import keeps."""

    sheet: str
    row: int
    column: str
    value: object

    def __str__(self):
        return _(
            "Sheet “%(sheet)s”, row %(row)s, column “%(column)s”: changed since "
            "the export to “%(value)s”, which is kept."
        ) % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": cells.shorten(normal(self.value)),
        }


def current_rows(kind, snapshots):
    """The database's rows of ``kind`` as an export writes them, by key."""
    dataset = tablib.Dataset()
    for snapshot in snapshots:
        exported = resource_for(kind.model)().export(
            kind.of_snapshot(snapshot), force_native_type=True
        )
        dataset.headers = exported.headers
        dataset.extend(exported)
    return {
        key_of(dataset, row, kind): dict(zip(dataset.headers, row, strict=False))
        for row in dataset
    }


def reconcile(sheets, exported, snapshots):
    """
    Keep the newer value of every cell the file left as ``exported`` but
    the database changed since, in ``sheets`` themselves; returns them as
    KeptValue. Raises ImportRefused naming the cells both changed.
    """
    kept, clashes = [], []
    for kind in content.CONTENT:
        record_rows = exported.get(kind.sheet)
        dataset = sheets.get(kind.sheet)
        if not record_rows or dataset is None or not dataset.headers:
            continue
        now = current_rows(kind, snapshots)
        for index, row in enumerate(list(dataset)):
            key = key_of(dataset, row, kind)
            then, current = record_rows.get(key), now.get(key)
            if then is None or current is None:
                continue  # a row added in the file, or deleted since
            values = dict(zip(dataset.headers, row, strict=False))
            number = row_number(dataset.row_numbers, index)
            for column, was in then.items():
                if column not in values or column not in current:
                    continue
                in_file, in_database = digest(values[column]), digest(current[column])
                if in_database == was or in_file == in_database:
                    continue
                if in_file == was:
                    values[column] = current[column]
                    kept.append(KeptValue(kind.sheet, number, column, current[column]))
                else:
                    clashes.append(
                        _(
                            "Sheet “%(sheet)s”, row %(row)s, column “%(column)s”: "
                            "the file changes it to “%(file)s”, but since the "
                            "export it was changed to “%(now)s”."
                        )
                        % {
                            "sheet": kind.sheet,
                            "row": number,
                            "column": column,
                            "file": cells.shorten(normal(values[column])),
                            "now": cells.shorten(normal(current[column])),
                        }
                    )
            dataset[index] = [values.get(header) for header in dataset.headers]
    if clashes:
        raise ImportRefused(
            [
                _(
                    "This workbook would overwrite values changed since it was "
                    "exported. Export it again and redo these changes there:"
                ),
                *clashes,
            ]
        )
    return kept
