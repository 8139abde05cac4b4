"""
An earlier version's files: the tables, charts, JSON and data package its
page links hold the figures that page shows, not the latest version's.
"""

import datetime
import io
import json
import re
import zipfile

import pandas
import pytest
from django.test import Client
from django.utils import timezone
from frictionless import Package

from reviews.publishing import workflow

from .conftest import publish

#: Zoom on the first day, as version 1 has it and version 2 corrects it.
FIRST, CORRECTED = 691, 1500


@pytest.fixture
def corrected(seed, publisher):
    """The seed published again with the first day's Zoom figure corrected."""
    figure = seed.meeting.participation.get(count=FIRST)
    figure.count = CORRECTED
    figure.save()
    publish(seed, publisher)
    return seed


def version_page(snapshot, number, language="en"):
    response = Client().get(f"/{language}/snapshots/{snapshot.slug}/versions/{number}/")
    assert response.status_code == 200
    return response.content.decode()


def linked(page, suffix):
    """The one address of ``page`` whose ``href`` ends with ``suffix``."""
    (address,) = set(re.findall(rf'href="([^"]*{re.escape(suffix)})"', page))
    return address


def fetched(address):
    response = Client().get(address)
    assert response.status_code == 200, address
    return response


@pytest.mark.pandas
@pytest.mark.parametrize("language", ["en", "es"])
def test_an_earlier_versions_table_has_its_figures(corrected, language):
    """Version 1's participation CSV gives 691, as its page does, not 1,500."""
    page = version_page(corrected, 1, language)
    frame = pandas.read_csv(
        io.BytesIO(fetched(linked(page, "data/participation.csv")).content)
    )
    assert FIRST in set(frame["participants"])
    assert CORRECTED not in set(frame["participants"])


def test_the_current_versions_table_has_the_correction(corrected):
    """Version 2's page and the snapshot's page both give 1,500."""
    for page in (version_page(corrected, 2), fetched(corrected.get_absolute_url())):
        text = page if isinstance(page, str) else page.content.decode()
        csv = fetched(linked(text, "data/participation.csv")).content.decode()
        assert str(CORRECTED) in csv and f",{FIRST}," not in csv


def test_an_earlier_versions_chart_file_has_its_figures(corrected):
    """The SVG to take away from version 1's page draws 691 and says version 1."""
    svg = fetched(linked(version_page(corrected, 1), "charts/participation.svg"))
    text = svg.content.decode()
    assert ">691<" in text and "1,500" not in text
    assert "Version 1." in text
    assert "/versions/1/" in text


def test_an_earlier_versions_json_is_that_version(corrected):
    """data.json of version 1's page says version 1 and its figure."""
    data = json.loads(fetched(linked(version_page(corrected, 1), "data.json")).content)
    assert data["version"] == 1
    counts = [figure["count"] for figure in data["meeting"]["participation"]]
    assert FIRST in counts and CORRECTED not in counts


@pytest.mark.pandas
def test_an_earlier_versions_data_package_validates_with_its_figures(
    corrected, tmp_path
):
    """frictionless finds version 1's package valid, with version 1's figures."""
    page = version_page(corrected, 1, "es")
    content = fetched(linked(page, "datapackage.zip")).content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(tmp_path)
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    table = (tmp_path / "data" / "participation.csv").read_text()
    assert f",{FIRST}," in table and str(CORRECTED) not in table
    package = json.loads(fetched(linked(page, "datapackage.json")).content)
    assert "/versions/1/" in package["homepage"]


def test_an_earlier_versions_structured_data_names_its_files(corrected):
    """Dataset search is told of version 1's files on version 1's page."""
    page = version_page(corrected, 1)
    pattern = r'<script type="application/ld\+json">(.*?)</script>'
    (block,) = re.findall(pattern, page, flags=re.S)
    graph = json.loads(block)["@graph"]
    (dataset,) = [node for node in graph if node["@type"] == "Dataset"]
    addresses = [download["contentUrl"] for download in dataset["distribution"]]
    assert addresses
    assert all(f"/{corrected.slug}/versions/1/" in address for address in addresses)


def test_a_versions_files_are_named_for_it(corrected):
    """A download from version 1's page says so in its file name."""
    csv = fetched(f"/en/snapshots/{corrected.slug}/versions/1/data/participation.csv")
    assert f'"{corrected.slug}-v1-participation' in csv["Content-Disposition"]


@pytest.mark.parametrize(
    "suffix",
    ["data/participation.csv", "charts/participation.png", "data.json"],
)
def test_an_unknown_versions_files_are_not_found(corrected, suffix):
    """A version never published answers 404, whatever the number."""
    for number in ("3", "0", "99999999999999999999"):
        address = f"/en/snapshots/{corrected.slug}/versions/{number}/{suffix}"
        assert Client().get(address).status_code == 404, address


def test_a_scheduled_versions_files_wait_for_its_time(corrected, publisher):
    """Version 3, not yet live, has no files to download."""
    later = timezone.now() + datetime.timedelta(days=1)
    publish(corrected, publisher, goes_live_at=later)
    address = f"/en/snapshots/{corrected.slug}/versions/3/datapackage.zip"
    assert Client().get(address).status_code == 404


def test_a_withdrawn_snapshots_version_files_are_gone(corrected, publisher):
    """Taken off the site, a version's files answer 410."""
    workflow.unpublish(corrected, publisher)
    address = f"/en/snapshots/{corrected.slug}/versions/1/data/participation.xlsx"
    assert Client().get(address).status_code == 410


def test_a_versions_files_refuse_writes(corrected):
    """They are read-only: a POST answers 405."""
    address = f"/en/snapshots/{corrected.slug}/versions/1/data.json"
    assert Client().post(address).status_code == 405
