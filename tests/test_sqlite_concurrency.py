"""
SQLite under a long import: other editors' saves wait instead of failing.

The site runs as in production (gunicorn, two workers) on a SQLite file,
while ``import_snapshot`` writes a long workbook from another process.
"""

import sqlite3
import subprocess
import sys
import time

import pytest
from openpyxl import load_workbook

from bench.stack import ROOT, Site

from .stack import Browser

pytestmark = pytest.mark.stack

#: Rows added to the workbook: enough that the import holds the write lock
#: for several seconds, longer than SQLite's default busy timeout (5 s).
ROWS = 5_000


@pytest.fixture
def site(tmp_path):
    database = tmp_path / "db.sqlite3"
    site = Site(f"sqlite:///{database}", "", tmp_path)
    site.database = database
    site.password = site.install()
    yield site
    site.stop()


def long_workbook(site, folder):
    """The seed's workbook plus many stakeholder groups (rows of their own)."""
    path = folder / "long.xlsx"
    slug = (
        sqlite3.connect(site.database)
        .execute("SELECT slug FROM reviews_snapshot")
        .fetchone()[0]
    )
    site.manage("export_snapshot", slug, str(path))
    workbook = load_workbook(path)
    sheet = workbook["stakeholder_groups"]
    for n in range(ROWS):
        sheet.append([f"long-{n:05}", f"Group {n}", f"Grupo {n}"])
    workbook.save(path)
    return path


def import_in_background(site, path, *options):
    return subprocess.Popen(
        [sys.executable, "manage.py", "import_snapshot", str(path), *options],
        cwd=ROOT,
        env=site.environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_writing(database, process):
    """Until the import holds SQLite's write lock (or has finished)."""
    while process.poll() is None:
        connection = sqlite3.connect(database, timeout=0, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("ROLLBACK")
        except sqlite3.OperationalError:
            return
        finally:
            connection.close()
        time.sleep(0.05)
    pytest.fail("the import ended before it was seen writing")


def test_the_database_is_in_wal_mode(site):
    """Readers never wait for the writer."""
    mode = sqlite3.connect(site.database).execute("PRAGMA journal_mode").fetchone()
    assert mode == ("wal",)


def test_an_editors_save_during_a_long_import_succeeds(site, tmp_path):
    """The save waits for the import's lock and is then saved, not refused."""
    path = long_workbook(site, tmp_path)
    server = Browser(site.serve())
    editor = server
    editor.sign_in("admin", site.password)
    pk, snapshot, order, text_es = (
        sqlite3.connect(site.database)
        .execute('SELECT id, snapshot_id, "order", text_es FROM reviews_conclusion')
        .fetchone()
    )
    importing = import_in_background(site, path)
    wait_until_writing(site.database, importing)
    response = editor.edit(
        f"/admin/reviews/conclusion/{pk}/change/",
        {
            "snapshot": snapshot,
            "order": order,
            "text_en": "Saved during an import.",
            "text_es": text_es,
        },
    )
    _, errors = importing.communicate(timeout=120)
    assert response.status == 302, response.text[:2000]
    assert importing.returncode == 0, errors
    saved = sqlite3.connect(site.database).execute(
        "SELECT text_en FROM reviews_conclusion WHERE id = ?", (pk,)
    )
    assert saved.fetchone() == ("Saved during an import.",)
    groups = sqlite3.connect(site.database).execute(
        "SELECT count(*) FROM reviews_stakeholdergroup WHERE slug LIKE 'long-%'"
    )
    assert groups.fetchone() == (ROWS,)


def test_two_imports_at_once_both_succeed(site, tmp_path):
    """A second import waits for the first; no row is blamed for a lock."""
    path = long_workbook(site, tmp_path)
    first = import_in_background(site, path, "--dry-run")
    wait_until_writing(site.database, first)
    second = import_in_background(site, path, "--dry-run")
    for process in (first, second):
        output, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors
        assert "locked" not in output + errors
