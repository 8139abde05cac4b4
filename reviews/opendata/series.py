"""
Every table of every published snapshot stacked, for researchers who take
the figures of the whole series at once: each table of ``tables.TABLES``
with the snapshot's number and version before its own columns, as CSV, XLSX
and JSON and one Frictionless data package. The per-snapshot files are
unchanged.
"""

import dataclasses

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from reviews.opendata.datapackage import resources, zipped_package
from reviews.opendata.tables import TABLES, Column, licence_statement, snapshot_json

SNAPSHOT = Column(
    "snapshot",
    gettext_lazy("Snapshot"),
    gettext_lazy("Number of the snapshot in the series (#1, #2, …)."),
    type="integer",
)
VERSION = Column(
    "version",
    gettext_lazy("Version"),
    gettext_lazy("Version of the snapshot the row was published in."),
    type="integer",
)


def stacked(table):
    """``table`` for a list of snapshots: their rows, each led by its snapshot."""

    def rows(snapshots):
        for snapshot in snapshots:
            for row in table.rows(snapshot):
                yield (snapshot.number, snapshot.publication.number, *row)

    foreign_key = None
    if table.foreign_key:
        fields, resource, reference = table.foreign_key
        foreign_key = (("snapshot", *fields), resource, ("snapshot", *reference))
    return dataclasses.replace(
        table,
        columns=(SNAPSHOT, VERSION, *table.columns),
        rows=rows,
        primary_key=("snapshot", *table.primary_key) if table.primary_key else (),
        foreign_key=foreign_key,
    )


SERIES_TABLES = tuple(stacked(table) for table in TABLES)
SERIES_DATASETS = {table.name: table for table in SERIES_TABLES}


def about(snapshots, url):
    """What every series download states next to its data, as (label, text) pairs."""
    facts = [(_("Source"), url)]
    for snapshot in snapshots:
        facts.append(
            (
                f"#{snapshot.number}",
                _("%(title)s, version %(version)s. Licence: %(licence)s")
                % {
                    "title": snapshot.full_title,
                    "version": snapshot.publication.number,
                    "licence": licence_statement(snapshot),
                },
            )
        )
    return facts


def series_json(snapshots, url_of):
    """Every snapshot's JSON, in the active language, the first issue first."""
    return {
        "language": get_language(),
        "snapshots": [
            snapshot_json(snapshot, url_of(snapshot)) for snapshot in snapshots
        ],
    }


def shared_licence(snapshots):
    """The licence every snapshot states, when they all state the same one."""
    licences = {(s.licence_name, s.licence_url) for s in snapshots}
    if len(licences) == 1:
        ((name, path),) = licences
        if name:
            return {"title": name, **({"path": path} if path else {})}
    return None


def descriptor(snapshots, url):
    """The series' ``datapackage.json`` in the active language, as a dict."""
    package = {
        "profile": "tabular-data-package",
        "name": f"regional-review-snapshots-{get_language()}",
        "title": _("Regional Review snapshots: every table of every snapshot"),
        "description": _(
            "The tables of every published snapshot of the Regional Review, "
            "stacked: each row names its snapshot and version."
        ),
        "homepage": url,
        "language": get_language(),
        "sources": [
            {"title": snapshot.full_title, "path": snapshot.meeting.website}
            for snapshot in snapshots
        ],
    }
    publishers = sorted({s.publisher for s in snapshots if s.publisher})
    if publishers:
        package["contributors"] = [
            {"title": name, "role": "publisher"} for name in publishers
        ]
    if licence := shared_licence(snapshots):
        package["licenses"] = [licence]
    package["resources"] = resources(SERIES_TABLES)
    return package


def zipped(snapshots, url):
    """The whole series package, README included, as the bytes of a ZIP file."""
    return zipped_package(
        descriptor(snapshots, url), SERIES_TABLES, about(snapshots, url), snapshots
    )
