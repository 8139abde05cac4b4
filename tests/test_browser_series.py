"""The series and its embeds in Chromium, as readers and other sites use them."""

import re

import pytest

from .pages import SCREENSHOTS, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHARTS = ["stakeholders", "participation", "timeline"]


def embed_code(page, chart):
    """The code the page offers to copy for ``chart``."""
    page.get_by_text("Embed this chart").nth(CHARTS.index(chart)).click()
    return page.locator(f"#embed-{chart}").input_value()


def frame_and_content_heights(page):
    frame = page.frame_locator("iframe").first
    content = frame.locator("html").evaluate(
        "html => Math.ceil(html.getBoundingClientRect().height)"
    )
    outer = page.locator("iframe").first.evaluate(
        "frame => Math.round(frame.getBoundingClientRect().height)"
    )
    source_bottom = frame.locator(".chart-source").evaluate(
        "p => Math.ceil(p.getBoundingClientRect().bottom)"
    )
    return outer, content, source_bottom


@pytest.mark.parametrize("chart", CHARTS)
def test_an_embed_pasted_on_another_site_fits_its_chart(
    seed, open_page, other_site, live_server, chart
):
    """In a 400 px column of another origin, the frame grows to its content."""
    code = embed_code(open_page("/en/"), chart)
    address = other_site(
        f'<!DOCTYPE html><html lang="en"><title>A partner</title>'
        f'<body><main style="width:400px">{code}</main></body></html>'
    )
    page = open_page("/", width=1280)
    page.goto(address)
    page.wait_for_function(
        "() => { const f = document.querySelector('iframe');"
        " return f && f.style.height !== ''; }"
    )
    outer, content, source_bottom = frame_and_content_heights(page)
    assert abs(outer - content) <= 2, (outer, content)
    assert source_bottom <= outer
    framed = page.frame_locator("iframe").first
    source = framed.locator(".chart-source").inner_text()
    assert f"{live_server.url}/en/snapshots/{seed.slug}/" in source
    assert "Version 1." in source and "No licence stated" in source
    screenshot(page, f"embed-{chart}-on-another-site")


@pytest.mark.parametrize("chart", CHARTS)
def test_an_embed_without_its_script_still_shows_its_source(
    seed, open_page, other_site, chart
):
    """A site that strips scripts keeps the frame's own height: all of it shows."""
    code = embed_code(open_page("/en/"), chart)
    frame_only = re.sub(r"<script[^>]*></script>", "", code)
    address = other_site(
        f'<!DOCTYPE html><html lang="en"><title>A partner</title>'
        f'<body><main style="width:400px">{frame_only}</main></body></html>'
    )
    page = open_page("/", width=1280)
    page.goto(address)
    page.frame_locator("iframe").first.locator(".chart-source").wait_for()
    outer, _content, source_bottom = frame_and_content_heights(page)
    assert source_bottom <= outer, (source_bottom, outer)


def test_the_archive_and_version_pages_pass_axe(second_issue, open_page):
    """axe-core finds no violation on the archive, a version page and the embeds."""
    from axe_playwright_python.sync_playwright import Axe

    addresses = [
        "/en/snapshots/",
        "/es/snapshots/",
        f"/en/snapshots/{second_issue.slug}/versions/1/",
        *(f"/es/snapshots/{second_issue.slug}/charts/{chart}/" for chart in CHARTS),
    ]
    for address in addresses:
        page = open_page(address)
        results = Axe().run(page)
        assert results.violations_count == 0, (address, results.generate_report())


@pytest.mark.parametrize("width", [320, 360])
def test_the_archive_fits_a_phone(second_issue, open_page, width):
    """No sideways scrolling on the archive."""
    page = open_page("/es/snapshots/", width=width)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    screenshot(page, f"archive-{width}")


@pytest.mark.parametrize("width", [320, 360, 1280])
def test_the_series_chart_fits_and_passes_axe(second_issue, open_page, width):
    """The archive's chart and its table: the page never scrolls sideways, axe 0."""
    from axe_playwright_python.sync_playwright import Axe

    page = open_page("/es/snapshots/", width=width)
    chart = page.locator(".series-chart")
    assert chart.locator(".bars li").count() == 6
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=SCREENSHOTS / f"series-chart-{width}.png")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    if width >= 360:
        # At 320 px the table may scroll in its own region; from 360 px it fits.
        table = chart.locator("table").bounding_box()
        assert table["x"] + table["width"] <= width
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("width", [320, 360])
def test_the_timeline_s_last_marker_shows_whole_on_a_phone(seed, open_page, width):
    """The 26–28 April marker is inside the page and not cut by its chart."""
    page = open_page("/en/", width=width)
    marker = page.locator(".gantt-rows li").last.locator("circle")
    box = marker.bounding_box()
    chart = page.locator(".gantt").bounding_box()
    assert box["x"] + box["width"] <= min(width, chart["x"] + chart["width"]) + 0.5
    clipped = marker.evaluate(
        """circle => {
          const r = circle.getBoundingClientRect();
          for (let e = circle.parentElement; e; e = e.parentElement) {
            const style = getComputedStyle(e);
            if (style.overflow !== "visible" && e.tagName !== "svg") {
              const box = e.getBoundingClientRect();
              const out = r.right > box.right + 0.5 || r.left < box.left - 0.5;
              if (out) return e.className;
            }
          }
          return null;
        }"""
    )
    assert clipped is None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".gantt").screenshot(path=SCREENSHOTS / f"timeline-{width}.png")


def test_the_timeline_axis_is_not_read_as_a_list_of_months(seed, open_page):
    """Screen readers get the events, not seven month names without meaning."""
    page = open_page("/en/")
    assert page.locator(".gantt-axis").get_attribute("aria-hidden") == "true"
    size = page.locator(".gantt-axis li").first.evaluate(
        "li => parseFloat(getComputedStyle(li).fontSize)"
    )
    assert size >= 12


#: Links that are controls, not words of a sentence, wherever they sit.
TAKE_AWAY = (
    ".downloads a, .chart-links a, .data-links a, .series-nav a, "
    ".language-switcher a, .contents a, .archive-title a"
)
TOO_SMALL = """(takeAway) => [...document.querySelectorAll('a, button, summary, input')]
  .filter(e => e.offsetParent !== null
    && (getComputedStyle(e).display !== 'inline' || e.matches(takeAway)))
  .map(e => [e.textContent.trim().slice(0, 30), e.getBoundingClientRect()])
  .filter(([, r]) => r.width < 24 || r.height < 24)
  .map(([text, r]) => `${text} ${Math.round(r.width)}x${Math.round(r.height)}`)"""


@pytest.mark.parametrize("width", [360, 1280])
def test_every_tap_target_outside_a_sentence_is_at_least_24_px(
    second_issue, open_page, width
):
    """
    WCAG 2.2 target size: every download, chart, series, contents and
    language link, and every other control but a link in running text
    (which WCAG exempts).
    """
    small = []
    for address in ("/en/", "/es/snapshots/"):
        page = open_page(address, width=width)
        small += page.evaluate(TOO_SMALL, TAKE_AWAY)
    assert small == []
