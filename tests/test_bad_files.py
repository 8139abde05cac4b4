"""Bad files get a clear message, a 400 and an unchanged database."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from reviews.spreadsheets.workbook import export_workbook

from .spreadsheets import csv_bytes, messages_of, preview, xlsx_bytes, zip_bomb

SLUG = "regional-review-latin-america-caribbean-2021"
COUNT_HEADERS = ["snapshot", "group", "order", "count"]
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def counts(*rows, file_format="csv"):
    build = csv_bytes if file_format == "csv" else xlsx_bytes
    return build(COUNT_HEADERS, rows)


BAD_FILES = {
    "not a spreadsheet": (
        "stakeholdercount",
        PNG,
        "xlsx",
        "This file is not a spreadsheet in XLSX format.",
    ),
    "binary as csv": (
        "stakeholdercount",
        PNG,
        "csv",
        "This file could not be read as CSV. Check that it is a spreadsheet saved "
        "in that format.",
    ),
    "empty file": ("stakeholdercount", b"", "csv", "The submitted file is empty."),
    "no expected columns": (
        "stakeholdercount",
        csv_bytes(["snapshot", "group"], [[SLUG, "governments"]]),
        "csv",
        "Missing columns: order, count.",
    ),
    "text in a number column": (
        "stakeholdercount",
        counts([SLUG, "governments", 1, "lots"]),
        "csv",
        "Row 2, column “count”: “lots” is not a whole number.",
    ),
    "negative count": (
        "stakeholdercount",
        counts([SLUG, "governments", 1, -3], file_format="xlsx"),
        "xlsx",
        "Row 2, column “count”: A count cannot be negative.",
    ),
    "date that does not parse": (
        "meetingday",
        csv_bytes(
            ["snapshot", "date", "session_en", "session_es"],
            [[SLUG, "26 April", "", ""]],
        ),
        "csv",
        "Row 2, column “date”: “26 April” is not a date; write it as YYYY-MM-DD.",
    ),
    "unknown stakeholder group": (
        "stakeholdercount",
        counts([SLUG, "martians", 1, 3]),
        "csv",
        "Row 2, column “group”: No stakeholder group matches “martians”.",
    ),
    "unknown snapshot slug": (
        "stakeholdercount",
        counts(["no-such-snapshot", "governments", 1, 3]),
        "csv",
        "Row 2, column “snapshot”: No snapshot matches “no-such-snapshot”.",
    ),
    "duplicate identities": (
        "stakeholdercount",
        counts([SLUG, "governments", 1, 3], [SLUG, "governments", 2, 4]),
        "csv",
        "Rows 2 and 3 describe the same stakeholder count (snapshot, group).",
    ),
    "cell of 100,000 characters": (
        "conclusion",
        csv_bytes(
            ["snapshot", "order", "text_en", "text_es"], [[SLUG, 9, "x" * 100_000, "y"]]
        ),
        "csv",
        "Row 2, column “text_en”: This cell has 100000 characters; the limit is 10000.",
    ),
    "zip bomb": (
        "stakeholdercount",
        zip_bomb(),
        "xlsx",
        "This file would unpack to 2.8\xa0GB, more than the 100.0\xa0MB "
        "a spreadsheet may hold. It is refused.",
    ),
}


def problems(response):
    """Messages from the form and from the rows, as the editor reads them."""
    form_errors = [
        str(e) for e in response.context["form"].errors.get("import_file", [])
    ]
    return form_errors + messages_of(response)


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_file_in_the_admin(seed, editor_client, content_dump, case):
    """Each bad file is refused with a message saying what is wrong."""
    model, content, file_format, message = BAD_FILES[case]
    before = content_dump()
    response = preview(editor_client, model, content, file_format)
    assert response.status_code == 400
    assert message in problems(response)
    assert "confirm_form" not in response.context
    assert "Traceback" not in response.content.decode()
    assert content_dump() == before


def test_file_over_the_upload_limit(seed, editor_client, content_dump, settings):
    """A file over the limit is refused unread, and the error states the limit."""
    settings.SPREADSHEET_MAX_UPLOAD_BYTES = 1024
    before = content_dump()
    content = counts(*([SLUG, "governments", 1, 3] for _ in range(100)))
    response = preview(editor_client, "stakeholdercount", content)
    assert response.status_code == 400
    assert (
        f"The file is {len(content) / 1024:.1f}\xa0KB; files up to 1.0\xa0KB can be "
        "imported." in problems(response)
    )
    assert content_dump() == before


def workbook_problems(response):
    outcome = response.context.get("outcome")
    sheet_errors = [e for s in outcome.sheets for e in s.errors] if outcome else []
    form_errors = response.context["form"].errors.get("workbook", [])
    return [str(e) for e in form_errors] + sheet_errors


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (PNG, "This file is not a spreadsheet in XLSX or ODS format."),
        (zip_bomb(), "It is refused."),
        (counts([SLUG, "governments", 1, 3], file_format="xlsx"), "lacks the sheets"),
    ],
    ids=["not a spreadsheet", "zip bomb", "without the expected sheets"],
)
def test_bad_workbook_in_the_admin(seed, editor_client, content_dump, content, message):
    """The snapshot's workbook import refuses bad files the same way."""
    before = content_dump()
    response = editor_client.post(
        reverse("admin:reviews_snapshot_workbook_import", args=[seed.pk]),
        {"workbook": SimpleUploadedFile("book.xlsx", content)},
    )
    assert response.status_code == 400
    assert any(message in m for m in workbook_problems(response))
    assert content_dump() == before


def test_workbook_sheet_without_its_columns(seed, editor_client, content_dump):
    """A sheet that lost a column is named with the columns it lacks."""
    book = openpyxl.load_workbook(io.BytesIO(export_workbook(seed)))
    book["people"].delete_cols(5)
    out = io.BytesIO()
    book.save(out)
    before = content_dump()
    response = editor_client.post(
        reverse("admin:reviews_snapshot_workbook_import", args=[seed.pk]),
        {"workbook": SimpleUploadedFile("book.xlsx", out.getvalue())},
    )
    assert response.status_code == 400
    assert "Missing columns: title_en." in workbook_problems(response)
    assert content_dump() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "The file is empty."), (zip_bomb(), "It is refused."), (PNG, "XLSX")],
    ids=["empty", "zip bomb", "not a spreadsheet"],
)
def test_bad_workbook_on_the_command_line(
    seed, tmp_path, content_dump, content, message
):
    """import_snapshot refuses bad files with a message, not a traceback."""
    path = tmp_path / "book.xlsx"
    path.write_bytes(content)
    before = content_dump()
    with pytest.raises(CommandError, match=message):
        call_command("import_snapshot", str(path), stdout=io.StringIO())
    assert content_dump() == before


def test_a_workbook_over_its_row_budget_is_refused(seed, editor_client, settings):
    """All sheets together count against one budget, stated in the refusal."""
    settings.SPREADSHEET_MAX_WORKBOOK_ROWS = 40
    response = editor_client.post(
        reverse("admin:reviews_snapshot_workbook_import", args=[seed.pk]),
        {"workbook": SimpleUploadedFile("book.xlsx", export_workbook(seed))},
    )
    assert response.status_code == 400
    assert any(
        "at most 40 can be imported" in message
        for message in workbook_problems(response)
    )
