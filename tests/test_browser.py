"""The snapshot in a real browser: Debian's Chromium driven by Playwright."""

import os
import re
from pathlib import Path

import pytest

from .pages import SCREENSHOTS, missing_lines, page_words

# Playwright's sync API keeps an event loop running in this thread; the ORM
# calls the fixtures make around it are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
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


def unavailable(reason):
    """Skip on a laptop without Chromium; in CI a missing browser is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must run the browser tests.")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server):
    """Open a path of the live site in a fresh tab: open_page(path, width, locale)."""
    contexts = []

    def open_page(path, width=1280, locale="en-GB"):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale=locale
        )
        contexts.append(context)
        page = context.new_page()
        page.requests, page.dialogs = [], []
        page.on("request", lambda request: page.requests.append(request.url))
        page.on("dialog", lambda dialog: page.dialogs.append(dialog.message))
        page.goto(live_server.url + path)
        return page

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    print(f"Screenshot: {path}")


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
    charts = page.locator("svg[role=img]")
    assert charts.count() == 2
    for index in range(2):
        assert charts.nth(index).locator("title").text_content()
        assert charts.nth(index).locator("desc").text_content()
    total = page.locator("#registered .total").inner_text()
    assert page_words(total).startswith(" 982 ")
    assert all(url.startswith(page.url.split("/", 3)[0]) for url in page.requests)


@pytest.mark.parametrize("width", [360, 1280])
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


def test_page_prints_on_a_few_a4_pages(seed, open_page):
    """The print stylesheet puts the snapshot on a few A4 pages."""
    page = open_page("/en/")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(path=SCREENSHOTS / "snapshot-en.pdf", format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 6


def test_no_payload_in_user_text_runs(hostile_content, open_page):
    """Script and onerror payloads in every translated field are shown, never run."""
    for language in ("en", "es"):
        page = open_page(f"/{language}/")
        page.wait_for_load_state("load")
        assert page.evaluate("window.__xss") is None
        assert page.locator("script, main img").count() == 0
        assert page.get_by_text("<script>window.__xss=1</script>").count() > 0
        assert page.dialogs == []
