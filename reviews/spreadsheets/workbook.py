"""
The snapshot workbook: one snapshot, one sheet per kind of content.

The sheets and their order come from the content map (``reviews.content``):
parents before the rows that name them, with each translated text in one
column per language side by side, so a translator can fill in hers. It is
read from XLSX or ODS, whichever the spreadsheet program saved. Its import
is all or nothing: every sheet is imported inside one transaction, which is
rolled back on a dry run or when any row fails.
"""

import tablib
from django.db import transaction
from django.utils.translation import gettext as _

from reviews import changes, content
from reviews.models import Snapshot
from reviews.spreadsheets import cells, exported_from
from reviews.spreadsheets.formats import (
    ImportRefused,
    check_size,
    check_zip,
    ods_sheets,
    row_number,
    without_blank_rows,
    xlsx_sheets,
)
from reviews.spreadsheets.imports import ImportOutcome, SheetOutcome, check_permissions
from reviews.spreadsheets.resources import resource_for

#: At most this many rows are named when a workbook strays from its snapshot.
NAMED_ROWS = 20


def kinds_in(sheets):
    """The kinds of content the workbook's sheets hold, in the map's order."""
    return [kind for kind in content.CONTENT if kind.sheet in sheets]


def export_workbook(snapshot):
    """
    The snapshot as XLSX bytes, one sheet per kind of content, and the
    hidden record of what it was exported from (``exported_from``).
    """
    book, datasets = tablib.Databook(), {}
    for kind in content.CONTENT:
        dataset = resource_for(kind.model)().export(
            kind.of_snapshot(snapshot), force_native_type=True
        )
        dataset.title = kind.sheet
        book.add_sheet(dataset)
        datasets[kind] = dataset
    book.add_sheet(exported_from.record(datasets))
    return exported_from.hidden(book.export("xlsx"))


def workbook_sheets(data):
    """Every sheet of an XLSX or ODS file, told apart by what the zip holds."""
    members = check_zip(data, _("XLSX or ODS"))
    try:
        if "xl/workbook.xml" in members:
            return xlsx_sheets(data)
        if "content.xml" in members:
            return ods_sheets(data)
    except ImportRefused:
        raise
    except Exception:
        # Parsers fail in many ways on bad input; the editor needs one message.
        pass
    raise ImportRefused([_("This file could not be read as an XLSX or ODS workbook.")])


def read_workbook(data):
    """The workbook's sheets by name, or ImportRefused saying what is wrong."""
    check_size(len(data))
    sheets = {
        dataset.title: without_blank_rows(dataset) for dataset in workbook_sheets(data)
    }
    expected = [kind.sheet for kind in content.CONTENT]
    if missing := [
        kind.sheet
        for kind in content.CONTENT
        if kind.sheet not in sheets and not kind.added_since_first_workbooks
    ]:
        raise ImportRefused(
            [
                _("The workbook lacks the sheets %(missing)s. It needs: %(all)s.")
                % {"missing": ", ".join(missing), "all": ", ".join(expected)}
            ]
        )
    # The rows of each sheet and of the whole workbook were counted as they
    # were read (formats.SheetBuilder), within the limits.
    return sheets


def snapshot_column(kind):
    """The column naming the snapshot a row belongs to; None when shared."""
    if kind.shared:
        return None
    return "slug" if kind.model is Snapshot else "snapshot"


def slug_in(value):
    """The slug a cell names; never an error, whatever the cell holds."""
    return "" if value is None else str(value).strip()


def described_snapshots(sheets):
    """The existing snapshots a workbook's snapshot sheet names."""
    dataset = sheets["snapshot"]
    if "slug" not in (dataset.headers or ()):
        return []
    slugs = {slug_in(value) for value in dataset["slug"]}
    return list(Snapshot.objects.filter(slug__in=slugs))


def check_scope(sheets, snapshot):
    """
    Refuse a workbook with any row of another snapshot than ``snapshot``:
    imported on a snapshot's page, it may change only that snapshot (and the
    stakeholder groups it counts, which every snapshot shares).
    """
    problems = []
    for kind in kinds_in(sheets):
        column, dataset = snapshot_column(kind), sheets[kind.sheet]
        if column is None or column not in (dataset.headers or ()):
            continue  # a missing column is reported with the sheet's columns
        for index, value in enumerate(dataset[column]):
            slug = slug_in(value)
            if slug != snapshot.slug:
                problems.append(
                    _(
                        "Sheet “%(sheet)s”, row %(row)s is for the snapshot "
                        "“%(other)s”, not “%(slug)s”."
                    )
                    % {
                        "sheet": kind.sheet,
                        "row": row_number(dataset.row_numbers, index),
                        "other": cells.shorten(slug),
                        "slug": snapshot.slug,
                    }
                )
    if problems:
        more = len(problems) - NAMED_ROWS
        raise ImportRefused(
            [
                _(
                    "This workbook can only change the snapshot “%(slug)s” on "
                    "its page; import other snapshots from their own pages."
                )
                % {"slug": snapshot.slug},
                *problems[:NAMED_ROWS],
                *(
                    [_("… and %(count)s more rows.") % {"count": more}]
                    if more > 0
                    else []
                ),
            ]
        )


def import_workbook(sheets, *, dry_run, snapshot=None, user=None, progress=None):
    """
    Import a workbook's sheets (from ``read_workbook``); on a dry run, or
    when anything fails, nothing is kept.

    ``snapshot``, when given, is the only snapshot the workbook may describe
    (the admin imports from one snapshot's page); ``user``, when given, needs
    each sheet's own permissions. ``progress`` is called once per row with
    the total number of rows.
    """
    if snapshot is not None:
        check_scope(sheets, snapshot)
    kept = []
    if record := exported_from.read_record(sheets):
        snapshots = [snapshot] if snapshot else described_snapshots(sheets)
        kept = exported_from.reconcile(sheets, record, snapshots)
    total = sum(len(sheets[kind.sheet]) for kind in kinds_in(sheets))
    outcome = ImportOutcome(kept=kept)
    with transaction.atomic():
        # Each snapshot moves once, before a rollback forbids any query.
        with changes.collect_changes():
            for kind in kinds_in(sheets):
                result = resource_for(kind.model)().import_data(
                    sheets[kind.sheet],
                    dry_run=False,
                    progress=progress and (lambda: progress(total)),
                )
                outcome.sheets.append(SheetOutcome.of(kind.sheet, kind.model, result))
        if user is not None:
            check_permissions(outcome, user)
        if dry_run or not outcome.ok:
            transaction.set_rollback(True)
    return outcome
