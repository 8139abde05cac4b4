"""The chart files to take away (SVG, PNG), whatever the editors pasted."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from .conftest import publish, start_second_issue

CHARTS = ["stakeholders", "participation", "timeline"]


@pytest.fixture
def pasted_from_word(seed, publisher):
    """Snapshot #2 whose series, title and licence hold Word's line break."""
    second = start_second_issue(seed, publisher)
    second.series_en = "Key milestones\x0band progress"
    second.title_en = "A second look\x0bat the review"
    second.licence_name_en = "CC BY\x0b4.0"
    second.licence_name_es = "CC BY 4.0"
    second.licence_url = "https://creativecommons.org/licenses/by/4.0/"
    second.save()
    publish(second, publisher)
    return second


def svg_text(address):
    """The SVG at ``address`` parsed as XML, as an editor's program reads it."""
    response = Client().get(address)
    assert response.status_code == 200
    return " ".join(ET.fromstring(response.content).itertext())


@pytest.mark.parametrize("chart", CHARTS)
def test_a_snapshots_chart_file_is_well_formed_xml(pasted_from_word, chart):
    """The line break became a space: the SVG parses and says where it is from."""
    text = svg_text(f"/en/snapshots/{pasted_from_word.slug}/charts/{chart}.svg")
    assert "Key milestones and progress" in text


def test_the_series_chart_file_is_well_formed_xml(pasted_from_word):
    """The archive's chart to take away parses too, its licence line intact."""
    text = svg_text("/en/snapshots/chart.svg")
    assert "CC BY 4.0" in text


def test_the_png_charts_are_drawn(pasted_from_word):
    """Each chart's PNG, and the series chart's, is drawn from the same text."""
    addresses = [
        "/en/snapshots/chart.png",
        *(f"/en/snapshots/{pasted_from_word.slug}/charts/{c}.png" for c in CHARTS),
    ]
    for address in addresses:
        response = Client().get(address)
        assert response.status_code == 200, address
        assert response.content.startswith(b"\x89PNG")
