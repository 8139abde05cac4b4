"""The series and its embeds in Chromium, as readers and other sites use them."""

import re

import pytest

from .pages import screenshot

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
