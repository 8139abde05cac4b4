"""A title with a word longer than the screen, in Chromium: it wraps, the page never
scrolls sideways."""

import pytest

from .conftest import publish, start_second_issue
from .pages import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

#: A compound with nowhere to break it, as long as an editor may paste one.
LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitänswitwe" * 3

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture
def long_titled_second_issue(seed, publisher):
    """Snapshot #2 on the site, its title one long word in both languages."""
    second = start_second_issue(seed, publisher)
    second.title_en = LONG_WORD
    second.title_es = LONG_WORD + "n"
    second.save()
    publish(second, publisher)
    return second


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_archive_wraps_a_title_longer_than_the_screen(
    long_titled_second_issue, open_page, width, language
):
    """The archive's entry for it breaks the word instead of widening the page."""
    page = open_page(f"/{language}/snapshots/", width=width)
    assert page.get_by_role("link", name=LONG_WORD).first.is_visible()
    assert page.evaluate(OVERFLOW) <= 0
    screenshot(page, f"archive-long-title-{language}-{width}")


@pytest.mark.parametrize("width", [320, 360])
def test_the_next_snapshot_link_wraps_a_long_title(
    long_titled_second_issue, seed, open_page, width
):
    """#1's link to #2 wraps on a phone: the page keeps its width."""
    page = open_page(seed.get_absolute_url(), width=width)
    link = page.locator(".series-next a")
    assert LONG_WORD in link.inner_text()
    assert page.evaluate(OVERFLOW) <= 0
    box = link.bounding_box()
    assert box["x"] + box["width"] <= width
