from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reviews.models import Snapshot
from reviews.spreadsheets.workbook import export_workbook


class Command(BaseCommand):
    help = "Write a snapshot as an XLSX workbook, one sheet per kind of content."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the snapshot's slug")
        parser.add_argument("file", type=Path, help="where to write, e.g. snap.xlsx")

    def handle(self, *args, slug, file, **options):
        try:
            snapshot = Snapshot.objects.get(slug=slug)
        except Snapshot.DoesNotExist:
            raise CommandError(
                _("No snapshot has the slug “%(slug)s”.") % {"slug": slug}
            ) from None
        try:
            file.write_bytes(export_workbook(snapshot))
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(reason)s.")
                % {"file": file, "reason": error.strerror}
            ) from None
        self.stdout.write(
            _("Wrote %(slug)s to %(file)s.") % {"slug": snapshot.slug, "file": file}
        )
