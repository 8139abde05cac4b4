"""
The snapshot workbook: one snapshot, one sheet per kind of content.

The sheets and their order come from the content map (``reviews.content``):
parents before the rows that name them, with each translated text in one
column per language side by side, so a translator can fill in hers. Its
import is all or nothing: every sheet is imported inside one transaction,
which is rolled back on a dry run or when any row fails.
"""

from dataclasses import dataclass, field

import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils.translation import gettext as _
from import_export.results import RowResult

from . import content
from .formats import XLSX, ImportRefused, check_rows, check_size, check_zip
from .resources import resource_for


def export_workbook(snapshot):
    """The snapshot as XLSX bytes, one sheet per kind of content."""
    book = tablib.Databook()
    for kind in content.CONTENT:
        dataset = resource_for(kind.model)().export(
            kind.of_snapshot(snapshot), force_native_type=True
        )
        dataset.title = kind.sheet
        book.add_sheet(dataset)
    return book.export("xlsx")


def read_workbook(data):
    """The workbook's sheets by name, or ImportRefused saying what is wrong."""
    check_size(len(data))
    check_zip(data, XLSX().name())
    try:
        book = tablib.Databook().load(data, "xlsx")
    except Exception:
        raise ImportRefused(
            [_("This file could not be read as an XLSX workbook.")]
        ) from None
    sheets = {dataset.title: dataset for dataset in book.sheets()}
    expected = [kind.sheet for kind in content.CONTENT]
    if missing := [name for name in expected if name not in sheets]:
        raise ImportRefused(
            [
                _("The workbook lacks the sheets %(missing)s. It needs: %(all)s.")
                % {"missing": ", ".join(missing), "all": ", ".join(expected)}
            ]
        )
    for dataset in sheets.values():
        check_rows(len(dataset))
    return sheets


def error_messages(result):
    """Every problem of an import-export result, naming row and column."""
    messages = []
    for error in result.base_errors:
        if isinstance(error.error, ImportRefused):
            messages.extend(str(message) for message in error.error.messages)
        else:
            messages.append(str(error.error))
    for number, errors in result.row_errors():
        messages.extend(
            _("Row %(row)s: %(message)s") % {"row": number + 1, "message": e.error}
            for e in errors
        )
    for row in result.invalid_rows:
        for column, column_messages in row.error_dict.items():
            for message in column_messages:
                if column == NON_FIELD_ERRORS:
                    messages.append(
                        _("Row %(row)s: %(message)s")
                        % {"row": row.number + 1, "message": message}
                    )
                else:
                    messages.append(
                        _("Row %(row)s, column “%(column)s”: %(message)s")
                        % {"row": row.number + 1, "column": column, "message": message}
                    )
    return messages


@dataclass
class SheetOutcome:
    name: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)


@dataclass
class WorkbookOutcome:
    sheets: list = field(default_factory=list)

    @property
    def errors(self):
        return [error for sheet in self.sheets for error in sheet.errors]

    @property
    def ok(self):
        return not self.errors


def check_scope(sheets, snapshot):
    """Refuse a workbook that describes another snapshot than ``snapshot``."""
    slugs = {str(row.get("slug")).strip() for row in sheets["snapshot"].dict}
    if slugs != {snapshot.slug}:
        raise ImportRefused(
            [
                _("This workbook is not for the snapshot “%(slug)s”.")
                % {"slug": snapshot.slug}
            ]
        )


def import_workbook(sheets, *, dry_run, snapshot=None, progress=None):
    """
    Import a workbook's sheets (from ``read_workbook``); on a dry run, or
    when anything fails, nothing is kept.

    ``snapshot``, when given, is the only snapshot the workbook may describe
    (the admin imports from one snapshot's page). ``progress`` is called once
    per row with the total number of rows.
    """
    if snapshot is not None:
        check_scope(sheets, snapshot)
    total = sum(len(sheets[kind.sheet]) for kind in content.CONTENT)
    outcome = WorkbookOutcome()
    with transaction.atomic():
        # Each snapshot moves once, before a rollback forbids any query.
        with content.collect_changes():
            for kind in content.CONTENT:
                result = resource_for(kind.model)().import_data(
                    sheets[kind.sheet],
                    dry_run=False,
                    progress=progress and (lambda: progress(total)),
                )
                outcome.sheets.append(
                    SheetOutcome(
                        name=kind.sheet,
                        new=result.totals[RowResult.IMPORT_TYPE_NEW],
                        updated=result.totals[RowResult.IMPORT_TYPE_UPDATE],
                        unchanged=result.totals[RowResult.IMPORT_TYPE_SKIP],
                        errors=error_messages(result),
                    )
                )
        if dry_run or not outcome.ok:
            transaction.set_rollback(True)
    return outcome
