"""Spreadsheets as people save them: blank rows, separators, encodings, ODS."""

import csv
import io

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reviews.models import Conclusion, StakeholderCount
from reviews.spreadsheets.formats import CSV
from reviews.spreadsheets.workbook import export_workbook

from .conftest import examples
from .spreadsheets import (
    FORMAT_INDEX,
    confirm,
    messages_of,
    ods_like_libreoffice,
    preview,
    with_formatted_empty_rows,
    xlsx_bytes,
)

SLUG = "regional-review-latin-america-caribbean-2021"
COUNT_HEADERS = ["snapshot", "group", "order", "count"]


def workbook_import(client, snapshot, content, name="snapshot.xlsx"):
    return client.post(
        reverse("admin:reviews_snapshot_workbook_import", args=[snapshot.pk]),
        {"workbook": SimpleUploadedFile(name, content)},
    )


def sheet_counts(response):
    return {
        sheet.name: (sheet.new, sheet.updated, sheet.unchanged)
        for sheet in response.context["outcome"].sheets
    }


def test_workbook_with_formatted_empty_rows_changes_nothing(seed, editor_client):
    """Formatted but empty rows below every sheet are not rows to import."""
    content = with_formatted_empty_rows(export_workbook(seed))
    response = workbook_import(editor_client, seed, content)
    assert response.status_code == 200, response.context["form"].errors
    counts = sheet_counts(response)
    assert all(new == updated == 0 for new, updated, _ in counts.values())
    assert counts["conclusions"] == (0, 0, 5)


def test_changelist_import_ignores_formatted_empty_rows(seed, editor_client):
    """An XLSX with styled empty rows below the data previews without duplicates."""
    content = with_formatted_empty_rows(
        xlsx_bytes(COUNT_HEADERS, [[SLUG, "governments", 1, 231]])
    )
    response = preview(editor_client, "stakeholdercount", content, "xlsx")
    assert response.status_code == 200, messages_of(response)
    confirm(editor_client, "stakeholdercount", response)
    assert StakeholderCount.objects.get(group__slug="governments").count == 231


def test_row_numbers_stay_those_of_the_spreadsheet(seed, editor_client):
    """A row of spaces is skipped, and the row after it keeps its own number."""
    content = xlsx_bytes(
        COUNT_HEADERS,
        [
            [SLUG, "governments", 1, 5],
            [" ", "  ", None, " "],
            [SLUG, "academia", 2, "x"],
        ],
    )
    response = preview(editor_client, "stakeholdercount", content, "xlsx")
    assert response.status_code == 400
    assert messages_of(response) == [
        "Row 4, column “count”: “x” is not a whole number."
    ]


def conclusion_csv(separator, encoding):
    """A CSV as a spreadsheet program saves it, with its separator and encoding."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator)
    writer.writerow(["snapshot", "order", "text_en", "text_es"])
    writer.writerow([SLUG, "6", "Sixth; at last, too.", "Sexta conclusión: años"])
    return out.getvalue().encode(encoding)


CSV_FILES = {
    "semicolons, Windows-1252 (Spanish Excel)": (";", "cp1252"),
    "tabs, UTF-8": ("\t", "utf-8"),
    "commas, UTF-8 with BOM": (",", "utf-8-sig"),
    "semicolons, UTF-8 with BOM": (";", "utf-8-sig"),
}


@pytest.mark.parametrize("case", CSV_FILES, ids=list(CSV_FILES))
def test_csv_separators_and_encodings_are_detected(seed, editor_client, case):
    """A CSV saved with ;, tabs, a BOM or Windows-1252 imports with its accents."""
    separator, encoding = CSV_FILES[case]
    content = conclusion_csv(separator, encoding)
    response = preview(editor_client, "conclusion", content)
    assert response.status_code == 200, messages_of(response)
    confirm(editor_client, "conclusion", response)
    conclusion = Conclusion.objects.get(order=6)
    assert conclusion.text_es == "Sexta conclusión: años"
    assert conclusion.text_en == "Sixth; at last, too."


def test_a_csv_in_another_encoding_names_the_fix(seed, editor_client):
    """A CSV that is neither UTF-8 nor Windows-1252 says how to save it."""
    content = b"snapshot,order,text_en,text_es\r\n" + b"x,1,\x81\x8d,y\r\n"
    response = preview(editor_client, "conclusion", content)
    assert response.status_code == 400
    assert any(
        "“CSV UTF-8”" in str(e) for e in response.context["form"].errors["import_file"]
    )


def test_a_csv_with_an_unknown_separator_says_so(seed, editor_client):
    """A header read as one column names the separators that work."""
    content = b"snapshot|group|order|count\r\nx|y|1|2\r\n"
    response = preview(editor_client, "stakeholdercount", content)
    assert response.status_code == 400
    assert (
        "The header row “snapshot|group|order|count” is a single column. Separate "
        "the columns with commas, semicolons or tabs."
        in response.context["form"].errors["import_file"]
    )


def test_exported_csv_starts_with_a_byte_order_mark(seed, editor_client):
    """Excel shows the accents of an exported CSV: it is UTF-8 with a BOM."""
    response = editor_client.post(
        reverse("admin:reviews_conclusion_export"),
        {
            "format": FORMAT_INDEX["csv"],
            "resource": "0",
            **{
                f"conclusionresource_{name}": "on"
                for name in ("snapshot", "order", "text_en", "text_es")
            },
        },
    )
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbfsnapshot,order")
    assert "conclusión".encode() in response.content or "ó".encode() in response.content


def test_workbook_saved_as_ods_imports_unchanged(seed, editor_client, content_dump):
    """The workbook saved by LibreOffice as ODS previews as unchanged, cell for cell."""
    content = ods_like_libreoffice(export_workbook(seed))
    before = content_dump()
    response = workbook_import(editor_client, seed, content, "snapshot.ods")
    assert response.status_code == 200, response.context["form"].errors
    assert all(
        new == updated == 0 for new, updated, _ in sheet_counts(response).values()
    ), [s.changes for s in response.context["outcome"].sheets if s.changes]
    assert content_dump() == before


def test_an_edited_ods_workbook_imports_from_the_command_line(seed, tmp_path):
    """import_snapshot reads ODS too; paragraphs and spaces survive."""
    content = ods_like_libreoffice(export_workbook(seed))
    path = tmp_path / "snapshot.ods"
    path.write_bytes(content)
    out = io.StringIO()
    call_command("import_snapshot", str(path), stdout=out)
    assert "conclusions: 0 new, 0 updated, 5 unchanged" in out.getvalue()


def test_ods_changelist_import_keeps_empty_cells_in_place(seed, editor_client):
    """An ODS with neighbouring empty cells does not shift the columns after them."""
    from reviews.spreadsheets.resources import MeetingResource

    content = ods_like_libreoffice(MeetingResource().export().export("xlsx"))
    response = preview(editor_client, "meeting", content, "ods")
    assert response.status_code == 200, messages_of(response)
    assert response.context["outcome"].sheets[0].unchanged == 1


def test_an_ods_row_repeated_a_million_times_is_refused_unexpanded(
    seed, editor_client, content_dump
):
    """A repeated data row counts as the rows it stands for, before expanding."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="counts")
    for values, repeated in [(COUNT_HEADERS, 1), ([SLUG, "academia", 1, 2], 10**6)]:
        row = TableRow(numberrowsrepeated=repeated)
        for value in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    before = content_dump()
    response = preview(editor_client, "stakeholdercount", out.getvalue(), "ods")
    assert response.status_code == 400
    limit = django_settings.SPREADSHEET_MAX_ROWS
    assert (
        f"The sheet has 1000000 rows; at most {limit} can be imported."
        in response.context["form"].errors["import_file"]
    )
    assert content_dump() == before


HEADER_NAMES = st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True)
CELL_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"),
    max_size=20,
)


@settings(max_examples=examples(200), deadline=None)
@given(
    headers=st.lists(HEADER_NAMES, min_size=2, max_size=5, unique=True),
    data=st.data(),
    separator=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_any_csv_a_spreadsheet_program_writes_reads_back(
    headers, data, separator, encoding
):
    """Whatever the texts, separator and encoding, every cell comes back as written."""
    alphabet = CELL_TEXT
    if encoding == "cp1252":
        alphabet = CELL_TEXT.filter(lambda text: can_encode(text, "cp1252"))
    rows = data.draw(
        st.lists(
            st.lists(alphabet, min_size=len(headers), max_size=len(headers)).filter(
                lambda row: any(cell.strip() for cell in row)
            ),
            max_size=5,
        )
    )
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator)
    writer.writerows([headers, *rows])
    content = out.getvalue().encode(encoding)
    # Bytes that are valid UTF-8 are read as UTF-8: a Windows-1252 file is
    # told apart only when it is not (as any accented Spanish letter makes it).
    assume(
        encoding != "cp1252" or not can_decode(content, "utf-8") or content.isascii()
    )
    dataset = CSV().create_dataset(content)
    assert dataset.headers == headers
    assert [list(row) for row in dataset] == rows


def can_decode(content, encoding):
    try:
        content.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def can_encode(text, encoding):
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True
