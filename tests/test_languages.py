"""Languages come from settings: a third one is a settings change, not code."""

import io
import json

import openpyxl
from django.conf import settings

from reviews.content import CONTENT
from reviews.spreadsheets.resources import per_language, resource_for

from . import projects

SLUG = "regional-review-latin-america-caribbean-2021"


def test_every_translated_column_comes_once_per_language():
    """Each resource has a column per language for each translated field."""
    codes = [code for code, _name in settings.LANGUAGES]
    for kind in CONTENT:
        headers = resource_for(kind.model)().get_export_headers()
        for column in headers:
            stem, _, code = column.rpartition("_")
            if code in codes:
                assert [f"{stem}_{other}" for other in codes] == list(
                    per_language(kind.model, [stem])
                ), column
                assert all(f"{stem}_{other}" in headers for other in codes), column


def manage(tmp_path, *arguments):
    """A command of the project, run with Portuguese configured."""
    return projects.manage("tests.third_language_settings", tmp_path, *arguments)


def translate(path, sheet, key_column, key, column, text):
    """Fill one cell of a workbook, as a translator would in her program."""
    book = openpyxl.load_workbook(path)
    worksheet = book[sheet]
    headers = [cell.value for cell in worksheet[1]]
    assert column in headers, headers
    for row in worksheet.iter_rows(min_row=2):
        if str(row[headers.index(key_column)].value) == key:
            row[headers.index(column)].value = text
    book.save(path)


PAGES = """
import json
from django.test import Client
client = Client(HTTP_HOST="localhost")
responses = [client.get(path) for path in ("/pt/", "/sitemap.xml")]
print(json.dumps([[r.status_code, r.content.decode()] for r in responses]))
"""


PUBLISH = """
from reviews.models import Snapshot
from reviews.publishing import workflow
workflow.publish(Snapshot.objects.get(), user=None, parity_note="As the sources.")
"""


def test_a_third_language_is_a_settings_change(tmp_path):
    """With Portuguese configured, its columns export, import and publish."""
    manage(tmp_path, "migrate", "--run-syncdb", "--verbosity", "0")
    manage(tmp_path, "loaddata", "snapshot", "--verbosity", "0")
    book = tmp_path / "snapshot.xlsx"
    manage(tmp_path, "export_snapshot", SLUG, str(book))

    headers = [
        cell.value
        for cell in openpyxl.load_workbook(io.BytesIO(book.read_bytes()))[
            "conclusions"
        ][1]
    ]
    assert headers == ["snapshot", "order", "text_en", "text_es", "text_pt"]
    translate(book, "snapshot", "slug", SLUG, "title_pt", "Um retrato da Revisão")
    translate(book, "conclusions", "order", "1", "text_pt", "O **Pacto Global** é.")
    output = manage(tmp_path, "import_snapshot", str(book))
    assert "conclusions: 0 new, 1 updated, 4 unchanged" in output
    manage(tmp_path, "shell", "--no-imports", "--command", PUBLISH)

    (status, page), (sitemap_status, sitemap) = json.loads(
        manage(tmp_path, "shell", "--no-imports", "--command", PAGES)
    )
    assert status == sitemap_status == 200
    assert '<html lang="pt">' in page
    assert "#1 – Um retrato da Revisão" in page
    assert "O <strong>Pacto Global</strong> é." in page
    # Untranslated texts fall back to English, marked as such.
    assert '<li lang="en">' in page
    assert 'hreflang="pt"' in page
    assert "Português" in page
    assert 'hreflang="pt"' in sitemap
