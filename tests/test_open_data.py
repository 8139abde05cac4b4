"""Open data: each figure set as CSV and XLSX, and the whole snapshot as JSON."""

import csv
import io
import json

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def download(client, snapshot, language, dataset, file_format):
    with translation.override(language):
        url = reverse(
            "reviews:download",
            kwargs={
                "slug": snapshot.slug,
                "dataset": dataset,
                "file_format": file_format,
            },
        )
    response = client.get(url)
    assert response.status_code == 200
    return response


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_sheets(response):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return {sheet.title: list(sheet.values) for sheet in book.worksheets}


@pytest.mark.parametrize(
    ("language", "header", "first_row"),
    [
        ("en", ["Stakeholder group", "Registered"], ["Governments", "228"]),
        ("es", ["Grupo de partes interesadas", "Registrados"], ["Gobiernos", "228"]),
    ],
)
def test_stakeholder_counts_download_as_csv_in_the_page_language(
    client, seed, language, header, first_row
):
    """The CSV has translated headers, every group, and a citation line."""
    response = download(client, seed, language, "stakeholders", "csv")
    assert response["Content-Type"].startswith("text/csv")
    assert f"-{language}.csv" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == header
    assert rows[1] == first_row
    assert sum(int(row[1]) for row in rows[1:13]) == 982
    cite = "Cómo citar" if language == "es" else "How to cite"
    assert rows[-1][0].startswith(cite)
    assert f"http://testserver/{language}/snapshots/{seed.slug}/" in rows[-1][0]


def test_participation_downloads_as_xlsx_with_a_citation_sheet(client, seed):
    """The XLSX opens in a spreadsheet: data on one sheet, how to cite on another."""
    response = download(client, seed, "es", "participation", "xlsx")
    sheets = xlsx_sheets(response)
    data, about = sheets["Datos"], sheets["Cómo citar"]
    assert data[0] == ("Canal", "Fecha", "Participantes", "Descripción")
    assert data[1] == ("Zoom", "2021-04-26", 691, "participantes vía Zoom")
    assert data[4][:3] == ("YouTube", "Toda la reunión", 782)
    assert about[0][0].startswith("Cómo citar: Hitos clave y avances #1")


def test_timeline_downloads_one_row_per_figure(client, seed):
    """Each timeline figure is a row, with its event's dates as data and as text."""
    rows = csv_rows(download(client, seed, "en", "timeline", "csv"))
    assert rows[0][:4] == ["Event", "Start date", "End date", "Dates"]
    assert [
        "Six thematic webinars",
        "2020-10-01",
        "2021-01-31",
        "Between October 2020 and January 2021",
        "Exactly",
        "750",
        "representatives",
    ] in rows
    more_than = [row for row in rows if row[4:6] == ["More than", "980"]]
    assert len(more_than) == 1


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_formula_like_cells_are_escaped(client, seed, file_format):
    """Text that a spreadsheet would run as a formula is kept as text."""
    attacks = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"]
    counts = seed.stakeholder_counts.select_related("group")
    for count, attack in zip(counts, attacks, strict=False):
        count.group.name_en = attack
        count.group.save()
    response = download(client, seed, "en", "stakeholders", file_format)
    if file_format == "csv":
        names = [row[0] for row in csv_rows(response)[1:5]]
    else:
        names = [row[0] for row in xlsx_sheets(response)["Data"][1:5]]
    assert names == ["'" + attack for attack in attacks]


@pytest.mark.parametrize(
    ("language", "title", "heading"),
    [
        ("en", "A snapshot of the Regional Review", "April 26"),
        ("es", "Una instantánea de la Revisión Regional", "26 abril"),
    ],
)
def test_json_gives_the_whole_snapshot_in_either_language(
    client, seed, language, title, heading
):
    """The JSON endpoint carries every part of the snapshot in one language."""
    with translation.override(language):
        url = reverse("reviews:data_json", kwargs={"slug": seed.slug})
    response = client.get(url)
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["language"] == language
    assert data["title"] == title
    assert data["meeting"]["days"][0]["heading"] == heading
    assert len(data["meeting"]["days"][1]["round_tables"]) == 3
    assert data["registered_participants"]["total"] == 982
    assert len(data["registered_participants"]["groups"]) == 12
    assert len(data["conclusions"]) == 5
    assert len(data["timeline"]) == 5
    assert [figure["count"] for figure in data["meeting"]["participation"]] == [
        691,
        608,
        468,
        782,
    ]


@pytest.mark.parametrize("language", ["en", "es"])
def test_page_links_to_every_download(client, seed, language):
    """The page links each figure set as CSV and XLSX, and the JSON, with a citation."""
    page = client.get(f"/{language}/").content.decode()
    base = f"/{language}/snapshots/{seed.slug}/"
    for dataset in ("stakeholders", "participation", "timeline"):
        for file_format in ("csv", "xlsx"):
            assert f'href="{base}data/{dataset}.{file_format}"' in page
    assert f'href="{base}data.json"' in page
    assert 'class="citation"' in page


def test_unknown_data_sets_are_not_found(client, seed):
    """Only the three figure sets and two formats exist."""
    base = f"/en/snapshots/{seed.slug}/data/"
    assert client.get(base + "people.csv").status_code == 404
    assert client.get(base + "timeline.pdf").status_code == 404


def test_editor_previews_a_drafts_data_privately(editor_client, draft):
    """An editor may download a draft's data; it is not cached or indexed."""
    response = editor_client.get(f"/en/snapshots/{draft.slug}/data.json")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
