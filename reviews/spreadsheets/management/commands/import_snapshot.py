from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reviews.spreadsheets.formats import ImportRefused
from reviews.spreadsheets.imports import confirmed_import
from reviews.spreadsheets.workbook import (
    described_snapshots,
    import_workbook,
    read_workbook,
)

#: Below this many rows the import is over before a bar would help.
PROGRESS_FROM_ROWS = 200


class ProgressBar:
    """A one-line bar on the command's stderr, so stdout keeps only the summary."""

    width = 40

    def __init__(self, stream):
        self.stream = stream
        self.done = 0

    def __call__(self, total):
        self.done += 1
        if total < PROGRESS_FROM_ROWS:
            return
        if self.done % max(total // 100, 1) and self.done != total:
            return
        filled = self.width * self.done // total
        bar = "#" * filled + "-" * (self.width - filled)
        end = "\n" if self.done == total else ""
        # Plain text: stderr would otherwise paint the bar as an error.
        line = f"\r[{bar}] {self.done}/{total} rows{end}"
        self.stream.write(line, style_func=str, ending="")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import a snapshot workbook (XLSX or ODS). All or nothing: when any row is "
        "wrong, nothing is saved and every problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the workbook, e.g. snap.xlsx")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="show what would change without saving anything",
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s.")
                % {"file": file, "reason": error.strerror}
            ) from None
        try:
            sheets = read_workbook(content)
            progress = ProgressBar(self.stderr)
            if dry_run:
                outcome = import_workbook(sheets, dry_run=True, progress=progress)
            else:
                outcome = confirmed_import(
                    lambda: import_workbook(sheets, dry_run=False, progress=progress),
                    user=None,
                    file_name=file.name,
                    preview=None,
                    workbook=True,
                    before=described_snapshots(sheets),
                )
        except ImportRefused as refusal:
            raise CommandError("\n".join(refusal.messages)) from None
        for sheet in outcome.sheets:
            self.stdout.write(
                _(
                    "%(sheet)s: %(new)s new, %(updated)s updated, "
                    "%(unchanged)s unchanged"
                )
                % {
                    "sheet": sheet.name,
                    "new": sheet.new,
                    "updated": sheet.updated,
                    "unchanged": sheet.unchanged,
                }
            )
            for message in sheet.errors:
                self.stderr.write(f"  {sheet.name}: {message}")
        # Cells the file left as exported keep the value changed since.
        for cell in outcome.kept:
            self.stdout.write(f"  {cell}")
        if not outcome.ok:
            raise CommandError(_("Nothing was imported: correct the problems above."))
        self.stdout.write(
            _("Dry run: nothing was saved.")
            if dry_run
            else _("The workbook has been imported.")
        )
