"""
`make bench`: how fast a 10,000-row stakeholder sheet goes in and out.

Everything happens inside a transaction that is rolled back, so the database
is left as it was. Each step runs twice: once for the time, once under
tracemalloc for the peak memory of that step (tracing slows Python down, so
it would distort the times); the process's peak RSS is printed at the end.
Then each hostile upload of ``bench.hostile`` is read in a fresh process,
and its peak resident memory printed with what the editor is told.
"""

import tempfile
import time
import tracemalloc
from resource import RUSAGE_SELF, getrusage

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from import_export import fields, resources, widgets

from bench.hostile import HOSTILE, peak_memory
from reviews.languages import in_every_language
from reviews.models import Snapshot, StakeholderCount, StakeholderGroup
from reviews.spreadsheets.formats import XLSX
from reviews.spreadsheets.resources import StakeholderCountResource

SNAPSHOTS = 100
GROUPS = 100


class PlainStakeholderCountResource(resources.ModelResource):
    """What django-import-export does out of the box, for comparison."""

    snapshot = fields.Field(
        attribute="snapshot",
        column_name="snapshot",
        widget=widgets.ForeignKeyWidget(Snapshot, "slug"),
    )
    group = fields.Field(
        attribute="group",
        column_name="group",
        widget=widgets.ForeignKeyWidget(StakeholderGroup, "slug"),
    )

    class Meta:
        model = StakeholderCount
        fields = ("snapshot", "group", "order", "count")
        import_id_fields = ("snapshot", "group")
        skip_unchanged = True


def create_targets():
    Snapshot.objects.bulk_create(
        Snapshot(
            **in_every_language("series", "Bench"),
            **in_every_language("title", f"Bench {number}"),
            number=number + 1,
            slug=f"bench-{number:03}",
        )
        for number in range(SNAPSHOTS)
    )
    StakeholderGroup.objects.bulk_create(
        StakeholderGroup(
            slug=f"bench-group-{n:03}", **in_every_language("name", f"G{n}")
        )
        for n in range(GROUPS)
    )


def stakeholder_sheet():
    """XLSX bytes of a 10,000-row stakeholder sheet."""
    resource = StakeholderCountResource()
    dataset = resource.export(StakeholderCount.objects.none())
    for s in range(SNAPSHOTS):
        for g in range(GROUPS):
            dataset.append((f"bench-{s:03}", f"bench-group-{g:03}", g, s * g % 997))
    return XLSX().export_data(dataset)


def measure(step):
    """Seconds and peak megabytes of ``step``, each on a fresh savepoint."""
    with transaction.atomic():
        start = time.perf_counter()
        step()
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    with transaction.atomic():
        tracemalloc.start()
        step()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        transaction.set_rollback(True)
    return seconds, peak


class Command(BaseCommand):
    help = (
        "Time a 10,000-row stakeholder sheet's dry run, import and export, "
        "for this site's resource and a plain django-import-export one."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            create_targets()
            sheet = stakeholder_sheet()
            rows = SNAPSHOTS * GROUPS
            figures = {
                name: self.bench(resource_class, sheet)
                for name, resource_class in (
                    ("this site", StakeholderCountResource),
                    ("plain import-export", PlainStakeholderCountResource),
                )
            }
            transaction.set_rollback(True)
        self.report(figures, rows, len(sheet))
        self.report_hostile()

    def bench(self, resource_class, sheet):
        def load(dry_run):
            dataset = XLSX().create_dataset(sheet)
            result = resource_class().import_data(dataset, dry_run=dry_run)
            assert not result.has_errors() and not result.has_validation_errors()

        def export():
            XLSX().export_data(resource_class().export(StakeholderCount.objects.all()))

        dry_run = measure(lambda: load(dry_run=True))
        real = measure(lambda: load(dry_run=False))
        # The export needs the rows in the database, inside the same savepoint.
        with transaction.atomic():
            load(dry_run=False)
            exported = measure(export)
            transaction.set_rollback(True)
        return {"dry run": dry_run, "import": real, "export": exported}

    def report(self, figures, rows, size):
        names = list(figures)
        self.stdout.write(
            f"{rows:,}-row stakeholder sheet, XLSX of {size / 1024:.0f} KB, "
            f"on {connection.vendor}\n"
        )
        self.stdout.write(f"{'':24}" + "".join(f"{name:>22}" for name in names))
        for step in ("dry run", "import", "export"):
            for label, value in (
                (f"{step} time", lambda s, p: f"{s:.2f} s"),
                (f"{step} rows/s", lambda s, p: f"{rows / s:,.0f}"),
                (f"{step} peak memory", lambda s, p: f"{p:.0f} MB"),
            ):
                self.stdout.write(
                    f"{label:24}"
                    + "".join(f"{value(*figures[n][step]):>22}" for n in names)
                )
        rss = getrusage(RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"\nWhole process, both resources: peak RSS {rss:.0f} MB")
        self.stdout.write("Targets: dry run and import < 5 s, export < 2 s, < 300 MB.")

    def report_hostile(self):
        self.stdout.write("\nHostile uploads, each read in a fresh process:")
        with tempfile.TemporaryDirectory() as folder:
            for name, (extension, build) in HOSTILE.items():
                data = build()
                start = time.perf_counter()
                measured = peak_memory(data, extension, folder)
                self.stdout.write(
                    f"  {name} ({len(data) / 1024:,.0f} KB): peak RSS "
                    f"{measured['peak']:.0f} MB (from {measured['before']:.0f}), "
                    f"{time.perf_counter() - start:.1f} s: {measured['outcome']}"
                )
        self.stdout.write("Target: every peak < 200 MB.")
