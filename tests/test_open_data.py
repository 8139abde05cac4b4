"""Open data: tidy CSV and XLSX tables, the JSON, the data package, the citation."""

import csv
import datetime
import io
import json
import zipfile

import openpyxl
import pandas
import pytest
from django import forms
from django.core.exceptions import ValidationError
from frictionless import Package
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviews.markup import tidy
from reviews.models import Snapshot
from reviews.opendata.tables import TABLES
from reviews.spreadsheets import cells

from .conftest import examples, publish
from .open_data import LANGUAGES, SHAPES, download, url

pytestmark = pytest.mark.django_db

CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def xlsx_sheets(response):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return {sheet.title: list(sheet.values) for sheet in book.worksheets}


@pytest.fixture
def licensed(seed):
    """The seed with a publisher and a licence, as an editor would set them."""
    seed.publisher_en = "IOM and ECLAC"
    seed.publisher_es = "OIM y CEPAL"
    seed.licence_name_en = "Creative Commons Attribution 4.0 International"
    seed.licence_name_es = "Creative Commons Atribución 4.0 Internacional"
    seed.licence_url = CC_BY
    seed.save()
    publish(seed)
    return seed


@pytest.mark.pandas
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("dataset", list(SHAPES))
def test_pandas_reads_every_csv_with_its_shape_and_types(
    client, seed, language, dataset
):
    """pandas.read_csv gives the right rows, integer counts and no stray lines."""
    response = download(client, seed, language, dataset, "csv")
    assert not response.content.startswith(b"\xef\xbb\xbf")
    frame = pandas.read_csv(io.BytesIO(response.content))
    rows, dtypes = SHAPES[dataset]
    assert len(frame) == rows
    assert {name: str(dtype) for name, dtype in frame.dtypes.items()} == dtypes


@pytest.mark.pandas
@pytest.mark.parametrize("dataset", list(SHAPES))
def test_headers_and_codes_are_the_same_in_both_languages(client, seed, dataset):
    """A script written for the English file reads the Spanish one unchanged."""
    english, spanish = (
        pandas.read_csv(
            io.BytesIO(download(client, seed, lang, dataset, "csv").content)
        )
        for lang in LANGUAGES
    )
    assert list(english.columns) == list(spanish.columns)
    for column in ("group", "channel", "precision", "qualifier", "whole_meeting"):
        if column in english:
            assert list(english[column]) == list(spanish[column])


@pytest.mark.pandas
def test_whole_meeting_figures_and_month_spans_say_so_in_their_own_columns(
    client, seed
):
    """No "Whole meeting" in a date column; month-precise spans are marked."""
    participation = pandas.read_csv(
        io.BytesIO(download(client, seed, "es", "participation", "csv").content),
        parse_dates=["date"],
    )
    whole = participation[participation.whole_meeting]
    assert list(whole.channel) == ["youtube"]
    assert whole.date.isna().all()
    assert participation[~participation.whole_meeting].date.notna().all()
    timeline = pandas.read_csv(
        io.BytesIO(download(client, seed, "en", "timeline", "csv").content)
    )
    webinars = timeline[timeline.precision == "months"]
    assert list(webinars.start_date) == ["2020-10-01"]
    assert list(webinars.end_date) == ["2021-01-31"]


def test_timeline_figures_name_their_event_and_qualifier_as_codes(client, seed):
    """Each figure is a row keyed to its event; "more than" is a code, not prose."""
    rows = csv_rows(download(client, seed, "es", "timeline-figures", "csv"))
    assert rows[0] == [
        "event_start_date",
        "order",
        "qualifier",
        "value",
        "label",
        "summarises_registrations",
    ]
    assert rows[-1][:4] == ["2021-04-26", "1", "more_than", "980"]
    assert rows[-1][4:] == ["representantes registrados", "TRUE"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_xlsx_has_date_cells_integers_and_an_about_sheet(client, seed, language):
    """Dates are date cells, counts numbers; the second sheet explains and cites."""
    sheets = xlsx_sheets(download(client, seed, language, "participation", "xlsx"))
    data, about = list(sheets.values())
    assert data[0] == (
        "channel",
        "date",
        "whole_meeting",
        "participants",
        "description",
    )
    assert data[1][:4] == ("zoom", datetime.datetime(2021, 4, 26), False, 691)
    assert data[4][:4] == ("youtube", None, True, 782)
    cite = "Cómo citar" if language == "es" else "How to cite"
    assert any(row[0] == cite for row in about)
    text = " ".join(str(cell) for row in about for cell in row if cell)
    assert "2021" in text
    assert f"http://testserver/{language}/snapshots/{seed.slug}/" in text


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_formula_like_cells_are_escaped(client, seed, file_format):
    """Text that a spreadsheet would run as a formula is kept as text."""
    attacks = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"]
    counts = seed.stakeholder_counts.select_related("group")
    for count, attack in zip(counts, attacks, strict=False):
        count.group.name_en = attack
        count.group.save()
    publish(seed)
    response = download(client, seed, "en", "stakeholders", file_format)
    if file_format == "csv":
        names = [row[1] for row in csv_rows(response)[1:5]]
    else:
        names = [row[1] for row in xlsx_sheets(response)["data"][1:5]]
    assert names == ["'" + attack for attack in attacks]


def get_json(client, snapshot, language):
    response = client.get(url("reviews:data_json", snapshot, language))
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


@pytest.mark.parametrize(
    ("language", "title", "emphasis"),
    [
        ("en", "A snapshot of the Regional Review", "Global Compact for Migration"),
        ("es", "Una instantánea de la Revisión Regional", "Pacto Mundial"),
    ],
)
def test_json_gives_the_whole_snapshot_as_plain_text_and_html(
    client, seed, language, title, emphasis
):
    """Every part of the snapshot, Markdown as plain text with its HTML beside."""
    data = get_json(client, seed, language)
    assert data["language"] == language
    assert data["title"] == title
    assert data["registered_total"] == 982
    meeting = data["meeting"]
    assert len(meeting["days"]) == 3
    assert len(meeting["days"][1]["round_tables"]) == 3
    assert len(data["stakeholder_counts"]) == 12
    assert len(data["conclusions"]) == 5
    assert len(data["timeline"]) == 5
    assert [figure["count"] for figure in meeting["participation"]] == [
        691,
        608,
        468,
        782,
    ]
    texts = " ".join(conclusion["text"] for conclusion in data["conclusions"])
    assert "**" not in texts + meeting["overview"]
    assert emphasis in texts
    html = " ".join(conclusion["text_html"] for conclusion in data["conclusions"])
    assert html.startswith("<p>")
    if language == "es":  # the Spanish source emphasises it, the English does not
        assert f"<strong>{emphasis}</strong>" in html
    assert data["licence"] is None


def machine_names(value):
    """The keys and coded values of a JSON document, texts left out."""
    if isinstance(value, dict):
        return {
            key: machine_names(item)
            for key, item in value.items()
            if key
            in {"slug", "channel", "qualifier", "precision", "role", "status", "day"}
            or isinstance(item, dict | list)
        } | {"keys": sorted(value)}
    if isinstance(value, list):
        return [machine_names(item) for item in value]
    return value


def test_json_keys_and_codes_are_the_same_in_both_languages(client, seed):
    """Keys, slugs and codes (channel, qualifier…) do not change with the language."""
    english, spanish = (get_json(client, seed, language) for language in LANGUAGES)
    assert machine_names(english) == machine_names(spanish)
    assert english["stakeholder_counts"][0]["group"]["slug"] == "governments"
    qualifiers = {
        figure["qualifier"]
        for event in spanish["timeline"]
        for figure in event["figures"]
    }
    assert qualifiers == {"exact", "more_than"}


@pytest.mark.pandas
@pytest.mark.parametrize("language", LANGUAGES)
def test_data_package_validates_with_frictionless(client, licensed, language, tmp_path):
    """The ZIP holds a README and a datapackage.json that frictionless validates."""
    response = client.get(url("reviews:datapackage_zip", licensed, language))
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "README.md" in archive.namelist()
        archive.extractall(tmp_path)
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert [resource["name"] for resource in package["resources"]] == [
        table.name for table in TABLES
    ]
    assert package["licenses"] == [
        {
            "title": licensed.licence_name_es
            if language == "es"
            else licensed.licence_name_en,
            "path": CC_BY,
        }
    ]
    assert package["contributors"][0]["role"] == "publisher"
    assert "2021" in package["citation"]
    readme = (tmp_path / "README.md").read_text()
    assert "data/participation.csv" in readme


def test_package_without_a_licence_states_none(client, seed):
    """The seed has no licence: the package claims none and the README says so."""
    package = json.loads(client.get(url("reviews:datapackage", seed, "en")).content)
    assert "licenses" not in package
    assert package["resources"][0]["path"] == "data/stakeholders.csv"
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(url("reviews:datapackage_zip", seed, "en")).content)
    )
    assert "No licence is stated" in archive.read("README.md").decode()


def test_package_paths_lead_to_the_downloads(client, seed):
    """datapackage.json's relative paths resolve to the CSV addresses online."""
    package_url = url("reviews:datapackage", seed, "es")
    package = json.loads(client.get(package_url).content)
    for resource in package["resources"]:
        address = package_url.rsplit("/", 1)[0] + "/" + resource["path"]
        assert client.get(address).status_code == 200, address


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "IOM and ECLAC (2021). Key milestones and progress #1 – A snapshot of "
            "the Regional Review.",
        ),
        (
            "es",
            "OIM y CEPAL (2021). Hitos clave y avances #1 – Una instantánea de la "
            "Revisión Regional.",
        ),
    ],
)
def test_citation_names_publisher_year_address_and_last_update(
    client, licensed, language, expected
):
    """
    The page's citation has the publisher, the meeting's year, the address
    of the version read, and that version's number and day.
    """
    page = client.get(f"/{language}/").content.decode()
    assert expected in page
    version_url = f"http://testserver/{language}/snapshots/{licensed.slug}/versions/2/"
    assert version_url in page
    version = "(version 2, " if language == "en" else "(versión 2, "
    assert version in page
    assert 'rel="license"' in page


def test_page_says_when_no_licence_is_stated(client, seed):
    """The seed sets no licence: the page says so and invents none."""
    page = client.get("/es/").content.decode()
    assert "No se indica ninguna licencia" in page
    assert 'rel="license"' not in page


def test_downloads_link_their_licence_and_package(client, licensed):
    """Each file names its licence and data package in its Link header."""
    response = download(client, licensed, "en", "stakeholders", "csv")
    assert f'<{CC_BY}>; rel="license"' in response["Link"]
    assert 'datapackage.json>; rel="describedby"' in response["Link"]


@pytest.mark.parametrize("file_format", ["bib", "ris"])
def test_citation_downloads_for_reference_managers(client, licensed, file_format):
    """BibTeX and RIS carry the publisher, year and address."""
    response = client.get(
        url("reviews:citation", licensed, "es", file_format=file_format)
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "OIM y CEPAL" in text
    assert "2021" in text
    assert f"/es/snapshots/{licensed.slug}/" in text
    if file_format == "bib":
        assert text.startswith("@misc{")
    else:
        assert text.startswith("TY  - ELEC\r\n")
        assert text.endswith("ER  - \r\n")


def test_a_form_with_a_licence_address_but_no_name_says_so(seed):
    """The editor's form (one name field per language) shows the error, no crash."""

    class LicenceForm(forms.ModelForm):
        licence_url = forms.URLField(required=False, assume_scheme="https")

        class Meta:
            model = Snapshot
            fields = ["licence_name_en", "licence_name_es", "licence_url"]

    form = LicenceForm(
        data={"licence_name_en": "", "licence_name_es": "", "licence_url": CC_BY},
        instance=seed,
    )
    assert not form.is_valid()
    assert list(form.errors) == ["licence_url"]


def test_a_licence_address_needs_its_name(seed):
    """An editor who gives a licence's address is asked for its name."""
    seed.licence_url = CC_BY
    with pytest.raises(ValidationError) as error:
        seed.full_clean()
    assert error.value.error_dict["licence_url"][0].code == "licence_without_name"


@pytest.mark.parametrize("language", LANGUAGES)
def test_page_links_to_every_download(client, seed, language):
    """The page links each table as CSV and XLSX, the JSON, the package, a citation."""
    page = client.get(f"/{language}/").content.decode()
    base = f"/{language}/snapshots/{seed.slug}/"
    for dataset in ("stakeholders", "participation", "timeline"):
        for file_format in ("csv", "xlsx"):
            assert f'href="{base}data/{dataset}.{file_format}"' in page
    for address in ("data.json", "datapackage.zip", "citation.bib", "citation.ris"):
        assert f'href="{base}{address}"' in page
    assert 'class="citation"' in page


def test_unknown_data_sets_are_not_found(client, seed):
    """Only the declared tables and formats exist."""
    base = f"/en/snapshots/{seed.slug}/"
    assert client.get(base + "data/people.csv").status_code == 404
    assert client.get(base + "data/timeline.pdf").status_code == 404
    assert client.get(base + "citation.doc").status_code == 404
    assert (
        client.get("/en/snapshots/no-such-snapshot/datapackage.zip").status_code == 404
    )


def test_downloads_refuse_posts(client, seed):
    """Downloads are read-only."""
    assert client.post(url("reviews:datapackage_zip", seed, "en")).status_code == 405


def test_editor_previews_a_drafts_data_privately(editor_client, draft):
    """An editor may download a draft's data; it is not cached or indexed."""
    for address in ("data.json", "datapackage.zip", "data/timeline.csv"):
        response = editor_client.get(f"/en/snapshots/{draft.slug}/{address}")
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex"


def test_the_public_gets_no_data_of_a_draft(client, draft):
    """A draft's package and citation are not found by the public."""
    for address in ("datapackage.json", "datapackage.zip", "citation.bib"):
        assert client.get(f"/en/snapshots/{draft.slug}/{address}").status_code == 404


# Names an editor may type: quotes, commas, line breaks, formulas, accents
# (control characters other than tabs and line breaks never get stored:
# reviews.markup.tidy).
names = st.text(
    alphabet=st.characters(exclude_categories=["Cs", "Cc"], include_characters="\n\t"),
    min_size=1,
    max_size=60,
).filter(str.strip)


@pytest.mark.pandas
@settings(
    max_examples=examples(60),
    deadline=None,
    # The seed is loaded once for all examples on purpose.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=names)
def test_any_group_name_keeps_the_csv_tidy(client, seed, name):
    """Whatever a group is called, pandas reads 12 rows and the name back."""
    group = seed.stakeholder_counts.select_related("group").first().group
    group.name_en = name
    group.save()
    publish(seed)
    response = download(client, seed, "en", "stakeholders", "csv")
    frame = pandas.read_csv(
        io.BytesIO(response.content), keep_default_na=False, dtype={"group_name": str}
    )
    assert len(frame) == 12
    assert str(frame.registered.dtype) == "int64"
    # Read back as imports read it: tidy, as the admin stores names too.
    assert cells.text(frame.group_name[0]) == tidy(name)


@pytest.mark.parametrize("language", ["en", "es"])
def test_workbook_sheets_have_the_same_names_in_every_language(client, seed, language):
    """A script opens the sheet "data" whatever the language it downloaded."""
    response = download(client, seed, language, "participation", "xlsx")
    assert list(xlsx_sheets(response)) == ["data", "about"]


def test_a_missing_date_is_written_na_and_an_empty_text_stays_empty(client, seed):
    """R and pandas read the whole meeting's row's date as missing, not as text."""
    rows = csv_rows(download(client, seed, "en", "participation", "csv"))
    header, *data = rows
    whole_meeting = [
        row for row in data if row[header.index("whole_meeting")] == "TRUE"
    ]
    assert whole_meeting
    assert {row[header.index("date")] for row in whole_meeting} == {"NA"}


def test_every_table_is_linked_from_the_page(client, seed):
    """Each table's CSV and XLSX can be reached from the snapshot's page."""
    page = client.get(f"/en/snapshots/{seed.slug}/").content.decode()
    for table in TABLES:
        for file_format in ("csv", "xlsx"):
            assert (
                url(
                    "reviews:download",
                    seed,
                    "en",
                    dataset=table.name,
                    file_format=file_format,
                )
                in page
            )


def test_the_spanish_data_package_readme_is_wholly_in_spanish(client, seed):
    """Its explanation of the files is translated like the rest."""
    response = client.get(url("reviews:datapackage_zip", seed, "es"))
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        readme = archive.read("README.md").decode()
    assert "Este es un paquete de datos Frictionless" in readme
    assert "This is a Frictionless" not in readme
    assert "se escribe NA" in readme
