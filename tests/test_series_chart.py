"""The series chart on the archive: the snapshots' figures compared, and its files."""

import re
import xml.etree.ElementTree as ElementTree

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from reviews.public.share_image import font
from reviews.publishing.next_issue import start_next_issue

from .conftest import publish, start_second_issue

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
SVG = "{http://www.w3.org/2000/svg}"


def licensed(snapshot):
    """The snapshot under CC BY 4.0, named in both languages."""
    snapshot.licence_name_en = snapshot.licence_name_es = "CC BY 4.0"
    snapshot.licence_url = CC_BY
    snapshot.save()
    return snapshot


def get(address, client=None):
    return (client or Client()).get(address)


def page(address):
    response = get(address)
    assert response.status_code == 200, address
    return response.content.decode()


def chart_section(html):
    """The archive's series chart, from its heading to its download links."""
    start = html.index('<section class="series-chart"')
    return html[start : html.index("</section>", start)]


def grown(snapshot):
    """The snapshot with figures of its own: 1,234 more registered, 1,507 on Zoom."""
    group = snapshot.stakeholder_counts.order_by("pk").first()
    group.count += 1234
    group.save()
    busiest = snapshot.meeting.participation.filter(channel="zoom").order_by("count")
    figure = busiest.last()
    figure.count = 1507
    figure.save()
    return snapshot


def next_issue(previous, user, slug, title):
    """The issue after ``previous``'s publication, retitled, not published."""
    snapshot = start_next_issue(previous.publications.get(), user, slug)
    snapshot.title_en = title
    snapshot.save()
    return snapshot


@pytest.fixture
def second_grown(seed, publisher):
    """Snapshot #2 on the site, with figures of its own beside #1's."""
    second = grown(start_second_issue(seed, publisher))
    publish(second, publisher)
    return second


def test_there_is_no_chart_with_one_snapshot_published(seed):
    """One snapshot has nothing to be compared with: no chart, no empty one."""
    for address in ("/en/snapshots/", "/es/snapshots/"):
        html = page(address)
        assert "series-chart" not in html
        assert "/snapshots/chart.svg" not in html


def test_the_chart_compares_both_snapshots_in_english(second_grown):
    """Each figure's bars and the table give #1's and then #2's numbers."""
    chart = chart_section(page("/en/snapshots/"))
    bars = chart[: chart.index("<table")]
    for label in (
        "Registered participants · #1",
        "Registered participants · #2",
        "Zoom, the busiest day · #1",
        "Zoom, the busiest day · #2",
    ):
        assert label in bars
    assert bars.index("982") < bars.index("2,216")
    assert bars.index(">691<") < bars.index("1,507")
    table = chart[chart.index("<table") :]
    assert table.index("#1") < table.index("#2")
    assert "A snapshot of the Regional Review" in table
    assert "A second look at the Regional Review" in table
    assert "April 26 to 28, 2021" in table
    for count in ("982", "2,216", "691", "1,507", "782"):
        assert f'<td class="numeric">{count}</td>' in table


def test_the_chart_writes_numbers_the_spanish_way(second_grown):
    """On the Spanish archive, thousands are grouped with a space, not a comma."""
    chart = chart_section(page("/es/snapshots/"))
    assert "Participantes registrados · #2" in chart
    assert '<td class="numeric">2\xa0216</td>' in chart
    assert '<span class="bar-value">1\xa0507</span>' in chart
    assert "2,216" not in chart
    assert "Una segunda mirada a la Revisión Regional" in chart
    assert "26 al 28 de abril de 2021" in chart


def test_a_figure_one_snapshot_does_not_state_is_marked_not_drawn(seed, publisher):
    """#2 without its YouTube figure: no bar for it, and the table says so."""
    second = start_second_issue(seed, publisher)
    second.meeting.participation.filter(channel="youtube").delete()
    publish(second, publisher)
    chart = chart_section(page("/en/snapshots/"))
    assert "YouTube, all days together · #1" in chart
    assert "YouTube, all days together · #2" not in chart
    last_row = chart[chart.index('<th scope="row">#2') : chart.index("</tbody>")]
    assert last_row.count("not stated") == 1


def test_a_snapshot_being_written_is_not_in_the_chart(second_grown, publisher):
    """#3, started but not published, adds no bar and no row."""
    third = next_issue(second_grown, publisher, "third-look", "A third look")
    grown(third)
    chart = chart_section(page("/en/snapshots/"))
    assert "#3" not in chart and "A third look" not in chart
    assert "3,450" not in chart


def test_an_editor_signed_in_sees_no_draft_in_the_chart(
    second_grown, editor_client, publisher
):
    """The chart shows what readers see, whoever asks: never a working copy."""
    third = next_issue(second_grown, publisher, "third-look", "A third look")
    grown(third)
    response = get("/en/snapshots/", editor_client)
    chart = chart_section(response.content.decode())
    assert "#3" not in chart and "A third look" not in chart
    svg = get("/en/snapshots/chart.svg", editor_client).content.decode()
    assert "#3" not in svg


def test_a_draft_second_issue_leaves_the_archive_without_chart(seed, publisher):
    """With #2 only started, #1 is alone on the site: no chart, no chart file."""
    start_second_issue(seed, publisher)
    assert "series-chart" not in page("/en/snapshots/")
    assert get("/en/snapshots/chart.svg").status_code == 404


def test_the_chart_shows_a_new_snapshot_as_soon_as_it_is_published(seed, publisher):
    """The archive kept for readers is built again when #2 is published."""
    for _reading in range(2):  # the second reading is the kept page
        assert "series-chart" not in page("/en/snapshots/")
    second = grown(start_second_issue(seed, publisher))
    publish(second, publisher)
    chart = chart_section(page("/en/snapshots/"))
    assert "Registered participants · #2" in chart and "2,216" in chart


def test_the_svg_download_is_credited(second_grown):
    """The SVG names the archive, then each snapshot's year, version and licence."""
    response = get("/es/snapshots/chart.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert "regional-review-snapshots-chart-es.svg" in response["Content-Disposition"]
    svg = response.content.decode()
    assert svg.startswith('<?xml version="1.0"')
    assert ">http://testserver/es/snapshots/</text>" in svg
    lines = re.findall(r">(#\d[^<]*)</text>", svg)
    assert [line.split(" ")[0] for line in lines] == ["#1", "#2"]
    assert all("No se indica ninguna licencia" in line for line in lines)
    assert ">2\xa0216</text>" in svg


def test_the_svg_download_states_each_snapshot_s_version_and_licence(
    seed, publisher, second_grown
):
    """#1 republished under a licence, #2 without: each line says its own."""
    publish(licensed(seed), publisher)
    svg = page("/en/snapshots/chart.svg")
    assert f">#1 (2021), version 2. Licence: CC BY 4.0 ({CC_BY})</text>" in svg
    assert ">#2 (2021), version 1. No licence stated" in svg


def test_the_png_download_is_a_picture(second_grown):
    """A PNG for slides and documents, named for the series and language."""
    response = get("/en/snapshots/chart.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert "regional-review-snapshots-chart-en.png" in response["Content-Disposition"]


def test_the_archive_links_both_downloads(second_grown):
    """The archive offers the chart as SVG and PNG in the page's language."""
    chart = chart_section(page("/es/snapshots/"))
    assert 'href="/es/snapshots/chart.svg" download' in chart
    assert 'href="/es/snapshots/chart.png" download' in chart


@pytest.mark.parametrize("file_format", ["svg", "png"])
def test_the_downloads_are_not_found_with_one_snapshot(seed, file_format):
    """Until two snapshots are on the site there is no chart to take away."""
    assert get(f"/en/snapshots/chart.{file_format}").status_code == 404


@pytest.mark.parametrize("name", ["chart.gif", "chart.svg/", "chart.SVG", "charts.svg"])
def test_an_address_beside_the_downloads_is_not_found(second_grown, name):
    """Only .svg and .png are charts: any other ending is a plain 404."""
    assert get(f"/en/snapshots/{name}").status_code == 404


@pytest.mark.parametrize("file_format", ["svg", "png"])
def test_the_downloads_refuse_a_post(second_grown, file_format):
    """The chart files are read, never written to."""
    response = Client().post(f"/en/snapshots/chart.{file_format}")
    assert response.status_code == 405


def test_a_hostile_title_is_shown_as_text(seed, publisher):
    """A title with markup reaches the table escaped, never as a script."""
    second = start_second_issue(seed, publisher)
    second.title_en = '<script>alert("x")</script>'
    second.save()
    publish(second, publisher)
    chart = chart_section(page("/en/snapshots/"))
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in chart
    assert "<script>" not in chart


def queries_of(address):
    """How many queries a reader's first request of ``address`` costs."""
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert get(address).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "address", ["/en/snapshots/", "/en/snapshots/chart.svg", "/en/snapshots/chart.png"]
)
def test_the_chart_costs_the_same_queries_for_three_snapshots_as_for_two(
    second_grown, publisher, address
):
    """No query per snapshot: a third published costs the archive nothing more."""
    with_two = queries_of(address)
    third = next_issue(second_grown, publisher, "third-look", "A third look")
    publish(third, publisher)
    with_three = queries_of(address)
    assert "Registered participants · #3" in page("/en/snapshots/chart.svg")
    assert with_three == with_two


def overflowing_texts(svg):
    """
    Each text of a bar chart's SVG that runs past the drawing's right edge,
    measured in the font the drawing names (DejaVu Sans, served by the site).
    """
    drawing = ElementTree.fromstring(svg)
    width = float(drawing.get("width"))
    group = drawing.find(f"{SVG}g")
    left = float(re.match(r"translate\(([\d.]+)", group.get("transform")).group(1))
    past = []
    for text in group.iter(f"{SVG}text"):
        words = "".join(text.itertext())
        size = int(text.get("font-size", drawing.get("font-size")))
        bold = text.get("font-weight") == "bold"
        end = left + float(text.get("x", 0)) + font(size, bold).getlength(words)
        if end > width:
            past.append((words, round(end)))
    return past


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_text_of_a_bar_chart_runs_off_its_drawing(second_issue, seed, language):
    """Titles, labels and credits of every bar chart fit the SVG, in each language."""
    addresses = [f"/{language}/snapshots/chart.svg"] + [
        f"/{language}/snapshots/{seed.slug}/charts/{name}.svg"
        for name in ("stakeholders", "participation")
    ]
    for address in addresses:
        response = get(address)
        assert response.status_code == 200, address
        assert overflowing_texts(response.content) == [], address
