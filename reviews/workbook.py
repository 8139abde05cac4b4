"""
Reading uploaded spreadsheets safely, and the snapshot workbook.

Every file goes through ``read_dataset`` or ``read_workbook`` before
django-import-export sees it: they refuse files over the upload limit, zips
that would unpack to more than a set size (checked in the zip's central
directory, before openpyxl opens anything) and anything that does not parse,
each with a message for the editor.

The workbook holds one snapshot, one sheet per kind of content, with the
English and Spanish columns side by side so a translator can fill in the
Spanish. Its import is all or nothing: every sheet is imported inside one
transaction, which is rolled back on a dry run or when any row fails.
"""

import io
import zipfile
from dataclasses import dataclass, field

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from import_export.results import RowResult

from . import resources
from .resources import ImportRefused


class ODS(base_formats.TablibFormat):
    """
    OpenDocument spreadsheets, read as the zips they are.

    import-export 4.4 declares ODS a text format, so its admin decodes an
    uploaded ODS file as UTF-8 and the import fails.
    """

    TABLIB_MODULE = base_formats.ODS.TABLIB_MODULE
    CONTENT_TYPE = base_formats.ODS.CONTENT_TYPE


#: The formats editors may upload and download, in the order the admin offers them.
FORMATS = (base_formats.XLSX, base_formats.CSV, ODS, base_formats.JSON)
ZIPPED_FORMATS = (base_formats.XLSX, ODS)


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
    except (zipfile.BadZipFile, ValueError, OSError):
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


def read_dataset(data, file_format):
    """The rows of an uploaded file, or ImportRefused saying what is wrong."""
    check_size(len(data))
    title = file_format.get_title()
    if isinstance(file_format, ZIPPED_FORMATS):
        check_zip(data, title.upper())
    try:
        if not file_format.is_binary():
            data = data.decode("utf-8-sig")
        dataset = file_format.create_dataset(data)
    except Exception:
        # Parsers fail in many ways on bad input; the editor needs one message.
        raise ImportRefused(
            [
                _(
                    "This file could not be read as %(format)s. Check that it is "
                    "a spreadsheet saved in that format."
                )
                % {"format": title.upper()}
            ]
        ) from None
    if not dataset.headers:
        raise ImportRefused([_("The file has no header row.")])
    check_rows(len(dataset))
    return dataset


@dataclass(frozen=True)
class Sheet:
    name: str
    resource: type
    #: The path from the sheet's model to its snapshot, for export.
    snapshot_path: str


SHEETS = (
    Sheet("snapshot", resources.SnapshotResource, "pk"),
    Sheet("meeting", resources.MeetingResource, "snapshot"),
    Sheet("people", resources.PersonResource, "meeting__snapshot"),
    Sheet("conclusions", resources.ConclusionResource, "snapshot"),
    Sheet("days", resources.MeetingDayResource, "meeting__snapshot"),
    Sheet("round_tables", resources.RoundTableResource, "day__meeting__snapshot"),
    Sheet("participation", resources.ParticipationFigureResource, "meeting__snapshot"),
    Sheet("timeline", resources.TimelineEventResource, "snapshot"),
    Sheet("timeline_figures", resources.TimelineFigureResource, "event__snapshot"),
    Sheet("stakeholder_groups", resources.StakeholderGroupResource, "counts__snapshot"),
    Sheet("stakeholder_counts", resources.StakeholderCountResource, "snapshot"),
)


def export_workbook(snapshot):
    """The snapshot as XLSX bytes, one sheet per kind of content."""
    book = tablib.Databook()
    for sheet in SHEETS:
        resource = sheet.resource()
        model = resource._meta.model
        queryset = model.objects.filter(**{sheet.snapshot_path: snapshot.pk})
        dataset = resource.export(queryset, force_native_type=True)
        dataset.title = sheet.name
        book.add_sheet(dataset)
    return book.export("xlsx")


def read_workbook(data):
    """The workbook's sheets by name, or ImportRefused saying what is wrong."""
    check_size(len(data))
    check_zip(data, "XLSX")
    try:
        book = tablib.Databook().load(data, "xlsx")
    except Exception:
        raise ImportRefused(
            [_("This file could not be read as an XLSX workbook.")]
        ) from None
    sheets = {dataset.title: dataset for dataset in book.sheets()}
    expected = [sheet.name for sheet in SHEETS]
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
    dry_run: bool
    sheets: list = field(default_factory=list)

    @property
    def errors(self):
        return [error for sheet in self.sheets for error in sheet.errors]

    @property
    def ok(self):
        return not self.errors


def import_workbook(data, *, dry_run, snapshot=None, progress=None):
    """
    Import a workbook; on a dry run, or when anything fails, nothing is kept.

    ``snapshot``, when given, is the only snapshot the workbook may describe
    (the admin imports from one snapshot's page). ``progress`` is called once
    per row with the total number of rows.
    """
    sheets = read_workbook(data)
    if snapshot is not None:
        slugs = {str(row.get("slug")).strip() for row in sheets["snapshot"].dict}
        if slugs != {snapshot.slug}:
            raise ImportRefused(
                [
                    _("This workbook is not for the snapshot “%(slug)s”.")
                    % {"slug": snapshot.slug}
                ]
            )
    total = sum(len(sheets[sheet.name]) for sheet in SHEETS)
    outcome = WorkbookOutcome(dry_run=dry_run)
    with transaction.atomic():
        for sheet in SHEETS:
            result = sheet.resource().import_data(
                sheets[sheet.name],
                dry_run=False,
                progress=progress and (lambda: progress(total)),
            )
            outcome.sheets.append(
                SheetOutcome(
                    name=sheet.name,
                    new=result.totals[RowResult.IMPORT_TYPE_NEW],
                    updated=result.totals[RowResult.IMPORT_TYPE_UPDATE],
                    unchanged=result.totals[RowResult.IMPORT_TYPE_SKIP],
                    errors=error_messages(result),
                )
            )
        if dry_run or not outcome.ok:
            transaction.set_rollback(True)
    return outcome
