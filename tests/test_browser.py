"""The snapshot in a real browser: Debian's Chromium driven by Playwright."""

import io

import pytest

from .pages import SCREENSHOTS, missing_lines, page_words, screenshot

SECTIONS = [
    "overview",
    "conclusions",
    "structure",
    "participation",
    "timeline",
    "registered",
    "recordings",
    "open-data",
]

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback brings back the Editors group that the flush after
    # each live-server test would otherwise take from the tests that follow.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize(("locale", "language"), [("es-CL", "es"), ("en-US", "en")])
def test_home_opens_in_the_browser_language(seed, open_page, locale, language):
    """Opening / lands on the snapshot in the browser's language."""
    page = open_page("/", locale=locale)
    assert page.url.endswith(f"/{language}/")
    assert page.locator("html").get_attribute("lang") == language


def test_reader_switches_language_and_back(seed, open_page):
    """The switcher moves between /en/ and /es/ on the same page."""
    page = open_page("/en/")
    page.get_by_role("link", name="Español").click()
    page.wait_for_url("**/es/")
    assert page.locator("h1").inner_text().lower() == (
        "#1 – una instantánea de la revisión regional"
    )
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/")
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_section_and_figure_is_shown(seed, open_page, language):
    """All sections are visible, every seed line is read on screen, charts are named."""
    page = open_page(f"/{language}/")
    for section in SECTIONS:
        assert page.locator(f"#{section}").is_visible(), section
    assert missing_lines(page.inner_text("body"), language) == []
    charts = page.locator("figure.chart")
    assert charts.count() == 3
    for index in range(3):
        assert charts.nth(index).locator(".chart-title").inner_text()
        assert charts.nth(index).locator(".chart-unit").inner_text()
        assert charts.nth(index).locator(".chart-source").is_visible()
    total = page.locator("#registered .total").inner_text()
    assert page_words(total).startswith(" 982 ")
    assert all(url.startswith(page.url.split("/", 3)[0]) for url in page.requests)


@pytest.mark.parametrize("width", [320, 360, 1280])
@pytest.mark.parametrize("language", ["en", "es"])
def test_no_horizontal_scrolling(seed, open_page, language, width):
    """The page fits the screen from a small phone to a desktop."""
    page = open_page(f"/{language}/", width=width)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width
    screenshot(page, f"snapshot-{language}-{width}")


@pytest.mark.parametrize("language", ["en", "es"])
def test_axe_finds_no_accessibility_violations(seed, open_page, language):
    """axe-core reports no violation of WCAG or its best practices."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(open_page(f"/{language}/"))
    assert results.violations_count == 0, results.generate_report()


def pdf_pages(pdf):
    """
    Each page of a PDF as its lines of text, top to bottom, and the share of
    the page's height between the first line and the last.
    """
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        lines = {}

        def collect(text, matrix, text_matrix, font, size, lines=lines):
            if text.strip():
                y = round(text_matrix[5] * matrix[3] + matrix[5])
                lines[y] = f"{lines.get(y, '')} {text.strip()}".strip()

        page.extract_text(visitor_text=collect)
        heights = sorted(lines, reverse=True)
        used = (heights[0] - heights[-1]) / float(page.mediabox.height)
        pages.append(([lines[y] for y in heights], used))
    return pages


def folded(text):
    return " ".join(text.lower().split())


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_print_fills_its_pages_and_keeps_headings_with_their_content(
    seed, open_page, language, paper
):
    """
    No mostly blank page, no heading or label ("Download this chart:") alone
    at the foot of a page, each address printed once, pages numbered.
    """
    page = open_page(f"/{language}/")
    body = folded(page.locator("body").inner_text())
    # Headings whose words also appear elsewhere ("April 28" heads a day and
    # dates a figure) cannot be told apart on paper; the others can.
    headings = [
        heading
        for heading in map(
            folded,
            page.locator("h1, h2, h3, figcaption, .total").all_inner_texts(),
        )
        if body.count(heading) == 1
    ]
    page.evaluate("document.fonts.ready.then(() => true)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(path=SCREENSHOTS / f"snapshot-{language}-{paper}.pdf", format=paper)
    pages = pdf_pages(pdf)
    assert 2 <= len(pages) <= 6
    for number, (lines, _used) in enumerate(pages, start=1):
        assert folded(lines[-1]).replace(" ", "") == f"{number}/{len(pages)}"
        del lines[-1]  # the page number, in the page's margin
    for number, (lines, used) in enumerate(pages[:-1], start=1):
        assert used >= 0.25, f"page {number} is mostly blank"
        last = folded(lines[-1])
        assert not (len(last) >= 8 and any(last in heading for heading in headings)), (
            f"page {number} ends on the heading {lines[-1]!r}"
        )
        assert not last.endswith(":"), f"page {number} ends on the label {last!r}"
    footer = folded(page.locator(".site-footer").inner_text())
    last_page = [line for line in pages[-1][0] if folded(line) not in footer]
    assert last_page, "the last page holds only the footer"
    text = " ".join(" ".join(lines) for lines, _used in pages).replace(" ", "")
    address = f"https://pactomigracion.cepal.org/{language}"
    # A link whose text is its address is not spelled twice; the recordings'
    # link ("clicking here") is followed by its address.
    assert f"{address}({address})" not in text
    assert f"({address})" in text


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_phones_first_screen_shows_dates_organisers_and_headline(
    seed, open_page, language
):
    """At 360 × 640 the dates, organisers and the 982 total are on the first screen."""
    page = open_page(f"/{language}/", width=360)
    page.set_viewport_size({"width": 360, "height": 640})
    for selector in (".meeting-dates", ".headline"):
        box = page.locator(f".masthead {selector}").bounding_box()
        assert box["y"] + box["height"] <= 640, selector
    assert page.locator(".masthead .meeting-organisers").bounding_box()["y"] < 640
    assert "982" in page.locator(".masthead .headline").inner_text()
    screenshot(page, f"first-screen-{language}-360")


def test_at_a_glance_comes_before_the_overview_on_a_phone(seed, open_page):
    """On a narrow screen the facts box is read before the long overview."""
    page = open_page("/es/", width=360)
    facts = page.locator("#overview .facts").bounding_box()
    prose = page.locator("#overview .prose").bounding_box()
    assert facts["y"] < prose["y"]


def test_embed_page_shows_in_another_sites_frame_and_the_page_does_not(
    seed, open_page, live_server, other_site
):
    """A chart's embed page renders in a frame from another origin; the page refuses."""
    page = open_page("/en/")
    # The embeddable page's link, inside the (closed) embed code.
    embed = page.locator("details.embed-code a").first
    embed_url = live_server.url + embed.get_attribute("href")
    page_url = f"{live_server.url}/en/"
    address = other_site(
        f'<iframe id="embed" src="{embed_url}"></iframe>'
        f'<iframe id="page" src="{page_url}"></iframe>'
    )
    page.goto(address)
    page.wait_for_load_state("load")
    framed = page.frame_locator("#embed")
    assert framed.locator("figure.chart .chart-title").inner_text()
    # Chromium shows its own error page in place of a refused frame.
    frames = [frame.url for frame in page.frames]
    assert embed_url in frames
    assert page_url not in frames


def test_embed_page_has_no_accessibility_violations(seed, open_page):
    """The embeddable chart passes axe on its own."""
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(f"/es/snapshots/{seed.slug}/charts/participation/")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_no_payload_in_user_text_runs(hostile_content, open_page):
    """Script and onerror payloads in every translated field are shown, never run."""
    for language in ("en", "es"):
        page = open_page(f"/{language}/")
        page.wait_for_load_state("load")
        assert page.evaluate("window.__xss") is None
        assert page.locator('script:not([type="application/ld+json"])').count() == 0
        assert page.locator("main img").count() == 0
        assert page.get_by_text("<script>window.__xss=1</script>").count() > 0
        assert page.dialogs == []
