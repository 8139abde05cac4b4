"""Uploads that would expand to far more are refused as read, within a memory bound."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bench.hostile import HOSTILE, ods_spaces_bomb, peak_memory

from .spreadsheets import messages_of, preview

#: Megabytes a worker may reach reading any upload (it starts near 80).
MEMORY_BOUND = 200

REFUSALS = {
    "ODS, one cell of 2,000,000,000 spaces": (
        "Row 2 has a cell of more than 10000 characters."
    ),
    "ODS, a data row repeated 1,000,000 times": "at most 20000 can be imported",
    "ODS, 1,000 rows of 16,384 repeated columns": "more than 256 columns",
    "XLSX, 780,000 rows": "at most 20000 can be imported",
    "XLSX, one cell of 90,000,000 characters": (
        "Row 2 has a cell of more than 10000 characters."
    ),
    # Claiming every column and row costs nothing: the sheet is read.
    "XLSX, dimension A1:XFD1048576": "read",
    "XLSX, 700,000 shared strings": "more than 200000 different texts",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_upload_is_read_within_the_memory_bound(tmp_path, name):
    """Each file is refused (or read) before a worker's memory passes the bound."""
    extension, build = HOSTILE[name]
    measured = peak_memory(build(), extension, tmp_path)
    assert measured["peak"] < MEMORY_BOUND, measured
    assert REFUSALS[name] in measured["outcome"]


def test_the_admin_refuses_a_hostile_upload_with_400(seed, editor_client, content_dump):
    """Through the import page, the editor reads why, and nothing is written."""
    before = content_dump()
    response = preview(editor_client, "conclusion", ods_spaces_bomb(), "ods")
    assert response.status_code == 400
    problems = messages_of(response) + [
        str(e) for e in response.context["form"].errors.get("import_file", [])
    ]
    assert "Row 2 has a cell of more than 10000 characters." in problems
    assert content_dump() == before


def test_the_workbook_import_refuses_a_hostile_upload_with_400(seed, editor_client):
    """A snapshot's workbook import refuses the same file the same way."""
    response = editor_client.post(
        reverse("admin:reviews_snapshot_workbook_import", args=[seed.pk]),
        {"workbook": SimpleUploadedFile("book.ods", ods_spaces_bomb())},
    )
    assert response.status_code == 400
    assert (
        "Row 2 has a cell of more than 10000 characters." in response.content.decode()
    )
