"""
A snapshot's tables as a Frictionless Data Package, per language.

``datapackage.json`` describes every table of ``tables.TABLES`` with its
Table Schema, and names the source, the publisher, the licence (only when the
editors stated one) and the citation. Its resources point to ``data/<name>.csv``,
a path that is right both next to the package's address on the site and
inside the ZIP, which adds a short README.
"""

import io
import json
import zipfile

from django.template.loader import render_to_string
from django.utils.translation import get_language

from reviews.opendata.tables import TABLES, about, citation


def descriptor(snapshot, url):
    """The package's ``datapackage.json`` in the active language, as a dict."""
    meeting = snapshot.meeting
    package = {
        "profile": "tabular-data-package",
        "name": f"{snapshot.slug}-{get_language()}",
        "title": snapshot.full_title,
        "description": meeting.name,
        "homepage": url,
        "language": get_language(),
        "created": snapshot.updated_at.isoformat(timespec="seconds"),
        "citation": citation(snapshot, url),
        "sources": [{"title": meeting.name, "path": meeting.website}],
    }
    if snapshot.publisher:
        package["contributors"] = [{"title": snapshot.publisher, "role": "publisher"}]
    if snapshot.licence_name:
        licence = {"title": snapshot.licence_name}
        if snapshot.licence_url:
            licence["path"] = snapshot.licence_url
        package["licenses"] = [licence]
    package["resources"] = resources(TABLES)
    return package


def resources(tables):
    """The package's description of each table, at its path in the package."""
    return [
        {
            "name": table.name,
            "path": f"data/{table.name}.csv",
            "profile": "tabular-data-resource",
            "title": str(table.title),
            "description": str(table.description),
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": table.schema(),
        }
        for table in tables
    ]


def as_json(package):
    return json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")


def zipped(snapshot, url):
    """The whole package, README included, as the bytes of a ZIP file."""
    return zipped_package(
        descriptor(snapshot, url), TABLES, about(snapshot, url), snapshot
    )


def zipped_package(package, tables, facts, content):
    """
    ``package`` with a README stating ``facts`` and each of ``tables`` as a
    CSV of ``content`` (a snapshot, or the snapshots of a series), zipped.
    """
    readme = render_to_string(
        "reviews/datapackage_readme.md",
        {"package": package, "tables": tables, "about": facts},
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", as_json(package))
        archive.writestr("README.md", readme)
        for table in tables:
            archive.writestr(f"data/{table.name}.csv", table.csv(content))
    return buffer.getvalue()
