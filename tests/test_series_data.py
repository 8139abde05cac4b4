"""
The figures of every snapshot at once, as a researcher takes them: each
table stacked with its snapshot and version, in pandas, R and frictionless.
"""

import io
import json
import subprocess
import zipfile

import openpyxl
import pandas
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from frictionless import Package

from reviews.opendata.tables import TABLES

from .conftest import start_second_issue
from .open_data import LANGUAGES, SHAPES
from .test_open_data_in_r import READ


def series_url(name, language, *args):
    with translation.override(language):
        return reverse(f"reviews:{name}", args=args)


def fetched(address):
    response = Client().get(address)
    assert response.status_code == 200, address
    return response


@pytest.mark.pandas
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("dataset", list(SHAPES))
def test_pandas_reads_every_table_of_the_series_with_its_snapshot(
    second_issue, language, dataset
):
    """Both snapshots' rows, each led by its snapshot and version numbers."""
    response = fetched(series_url("series_download", language, dataset, "csv"))
    frame = pandas.read_csv(io.BytesIO(response.content))
    rows, dtypes = SHAPES[dataset]
    assert len(frame) == 2 * rows
    assert dict(frame.dtypes.astype(str)) == {
        "snapshot": "int64",
        "version": "int64",
        **dtypes,
    }
    assert sorted(set(frame["snapshot"])) == [1, 2]
    assert "regional-review-snapshots-" in response["Content-Disposition"]


@pytest.mark.r
@pytest.mark.parametrize("dataset", list(SHAPES))
def test_r_reads_every_table_of_the_series(second_issue, rscript, tmp_path, dataset):
    """read.csv gives both snapshots' rows with an integer snapshot column."""
    path = tmp_path / f"{dataset}.csv"
    path.write_bytes(
        fetched(series_url("series_download", "es", dataset, "csv")).content
    )
    result = subprocess.run(
        [rscript, "--vanilla", "-e", READ, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    read = json.loads(result.stdout)
    assert read["rows"] == 2 * SHAPES[dataset][0]
    assert read["columns"]["snapshot"] == "integer"


@pytest.mark.pandas
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_series_data_package_validates(second_issue, tmp_path, language):
    """frictionless finds every stacked table valid, keys included."""
    response = fetched(series_url("series_datapackage_zip", language))
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        archive.extractall(tmp_path)
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert [resource["name"] for resource in package["resources"]] == [
        table.name for table in TABLES
    ]
    assert package["language"] == language
    assert "licenses" not in package, "the seed states no licence"
    served = json.loads(fetched(series_url("series_datapackage", language)).content)
    assert served == package


def test_the_series_workbook_leads_each_row_with_its_snapshot(second_issue):
    """The XLSX has the stacked data and says where each snapshot comes from."""
    response = fetched(series_url("series_download", "en", "stakeholders", "xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    data, about = book.worksheets
    header = [cell.value for cell in data[1]]
    assert header[:2] == ["snapshot", "version"]
    assert {row[0] for row in data.iter_rows(min_row=2, values_only=True)} == {1, 2}
    notes = " ".join(
        str(cell) for row in about.iter_rows(values_only=True) for cell in row if cell
    )
    assert "A second look at the Regional Review, version 1" in notes


def test_the_series_json_holds_every_snapshot_in_its_language(second_issue):
    """One document with each snapshot's data, the first issue first."""
    data = json.loads(fetched(series_url("series_data_json", "es")).content)
    assert data["language"] == "es"
    assert [snapshot["number"] for snapshot in data["snapshots"]] == [1, 2]
    assert data["snapshots"][1]["title"] == "Una segunda mirada a la Revisión Regional"


def test_the_series_files_leave_out_what_is_not_published(seed, publisher):
    """A started next issue is not in the series data until published."""
    start_second_issue(seed, publisher)
    response = fetched(series_url("series_download", "en", "stakeholders", "csv"))
    assert {
        line.split(",")[0] for line in response.content.decode().splitlines()[1:]
    } == {"1"}


def test_the_archive_links_every_series_file(second_issue):
    """Every table, the package and the JSON are linked from the archive."""
    archive = fetched(series_url("archive", "en")).content.decode()
    for table in TABLES:
        for file_format in ("csv", "xlsx"):
            assert (
                series_url("series_download", "en", table.name, file_format) in archive
            )
    assert series_url("series_datapackage_zip", "en") in archive
    assert series_url("series_data_json", "en") in archive
