"""An earlier version's page in Chromium: what a researcher downloads from it."""

import pytest

from .conftest import publish

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def corrected(seed, publisher):
    """The seed published again with the first day's Zoom figure corrected."""
    figure = seed.meeting.participation.get(count=691)
    figure.count = 1500
    figure.save()
    publish(seed, publisher)
    return seed


def test_the_csv_downloaded_from_version_1_has_version_1s_figures(
    corrected, open_page, tmp_path
):
    """Its CSV link saves version 1's file, with 691 as the page shows."""
    page = open_page(f"/en/snapshots/{corrected.slug}/versions/1/")
    assert "This is an earlier version" in page.locator(".notice").inner_text()
    link = page.locator('a[href$="/versions/1/data/participation.csv"]')
    with page.expect_download() as download:
        link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == f"{corrected.slug}-v1-participation-en.csv"
    table = saved.read_text()
    assert ",691," in table and "1500" not in table
