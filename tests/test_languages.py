"""Languages come from settings: a third one is a settings change, not code."""

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


def manage(tmp_path, *arguments, public="en,es"):
    """A command of the project with French configured, public or not."""
    return projects.manage(
        "tests.third_language_settings",
        tmp_path,
        *arguments,
        environment={"DJANGO_PUBLIC_LANGUAGES": public},
    )


def each_sheet(path, change):
    """Every sheet of a workbook passed through ``change(headers, rows)``."""
    book = openpyxl.load_workbook(path)
    for worksheet in book.worksheets:
        rows = [list(row) for row in worksheet.iter_rows(values_only=True)]
        if not rows:
            continue
        headers, rows = change(rows[0], rows[1:])
        worksheet.delete_rows(1, worksheet.max_row)
        worksheet.delete_cols(1, worksheet.max_column)
        for row in [headers, *rows]:
            worksheet.append(row)
    book.save(path)


def without_french(headers, rows):
    """A workbook as exported before French was added."""
    kept = [n for n, header in enumerate(headers) if not str(header).endswith("_fr")]
    return [headers[n] for n in kept], [[row[n] for n in kept] for row in rows]


def translated_into_french(headers, rows):
    """Every French text filled in, here with its English words."""
    for row in rows:
        for n, header in enumerate(headers):
            if str(header).endswith("_fr"):
                row[n] = row[headers.index(str(header).removesuffix("_fr") + "_en")]
    return headers, rows


PAGES = """
import json
from django.test import Client
client = Client(HTTP_HOST="localhost")
paths = ("/fr/", "/en/", "/sitemap.xml")
answers = [client.get(path) for path in paths]
pages = [[answer.status_code, answer.content.decode()] for answer in answers]
redirect = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
print(json.dumps(pages + [[redirect.status_code, redirect.get("Location", "")]]))
"""


PUBLISH = """
from reviews.models import Snapshot
from reviews.publishing import workflow
try:
    workflow.publish(Snapshot.objects.get(), user=None, parity_note="As the sources.")
except workflow.Incomplete as refusal:
    print("refused:", len(refusal.untranslated), "untranslated")
else:
    print("published")
"""


def pages(tmp_path, public):
    return json.loads(
        manage(tmp_path, "shell", "--no-imports", "--command", PAGES, public=public)
    )


def test_french_is_edited_first_and_public_only_once_translated(tmp_path):
    """
    French added to LANGUAGES is editable, not public: /fr/ answers 404, a
    French browser is sent to English, the sitemap and hreflang leave it
    out, and workbooks without French columns still import. Listed in
    PUBLIC_LANGUAGES, it is refused at publishing until every text is
    translated; then /fr/ is public, with French dates and messages.
    """
    manage(tmp_path, "migrate", "--run-syncdb", "--verbosity", "0")
    manage(tmp_path, "loaddata", "snapshot", "--verbosity", "0")
    assert "published" in manage(tmp_path, "shell", "--no-imports", "-c", PUBLISH)
    french, english, sitemap, redirect = pages(tmp_path, "en,es")
    assert french[0] == 404
    assert english[0] == 200
    assert 'hreflang="fr"' not in english[1] and "Français" not in english[1]
    assert 'hreflang="fr"' not in sitemap[1]
    assert redirect == [302, "/en/"]

    book = tmp_path / "snapshot.xlsx"
    manage(tmp_path, "export_snapshot", SLUG, str(book))
    headers = [cell.value for cell in openpyxl.load_workbook(book)["conclusions"][1]]
    assert headers == ["snapshot", "order", "text_en", "text_es", "text_fr"]
    before_french = tmp_path / "before-french.xlsx"
    before_french.write_bytes(book.read_bytes())
    each_sheet(before_french, without_french)
    output = manage(tmp_path, "import_snapshot", str(before_french))
    assert "conclusions: 0 new, 0 updated, 5 unchanged" in output

    refused = manage(
        tmp_path, "shell", "--no-imports", "-c", PUBLISH, public="en,es,fr"
    )
    assert "refused:" in refused
    each_sheet(book, translated_into_french)
    translate(book, "conclusions", "order", "1", "text_fr", "Le **Pacte mondial**.")
    manage(tmp_path, "import_snapshot", str(book))
    published = manage(
        tmp_path, "shell", "--no-imports", "-c", PUBLISH, public="en,es,fr"
    )
    assert "published" in published
    french, english, sitemap, redirect = pages(tmp_path, "en,es,fr")
    assert french[0] == 200
    page = french[1]
    assert '<html lang="fr">' in page
    assert "Le <strong>Pacte mondial</strong>." in page
    assert "Principales conclusions" in page
    assert "du 26 au 28 avril 2021" in page
    assert 'hreflang="fr"' in english[1] and "Français" in english[1]
    assert 'hreflang="fr"' in sitemap[1]
    assert redirect == [302, "/fr/"]
