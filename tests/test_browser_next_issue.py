"""Starting the next snapshot in Chromium, as an editor of the series does it."""

import pytest
from django.urls import reverse

from reviews.models import Snapshot

from .conftest import publish
from .pages import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def axe_report(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return results.violations_count, results.generate_report()


def assert_fits_and_passes_axe(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    count, report = axe_report(page)
    assert count == 0, report


def test_an_editor_starts_the_next_snapshot_from_its_page(seed, signed_in, editor):
    """The object tool, a slug typed in, the new snapshot's page: nothing blocked."""
    page = signed_in(editor)
    blocked = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and blocked.append(message.text)
        ),
    )
    page.goto(page.site + reverse("admin:reviews_snapshot_change", args=[seed.pk]))
    page.get_by_role("link", name="Start the next snapshot").click()
    page.wait_for_url("**/next/")
    page.get_by_label("Slug of the new snapshot").fill("second-look")
    page.get_by_role("button", name="Start the next snapshot").click()
    second = Snapshot.objects.get(slug="second-look")
    page.wait_for_url(f"**{reverse('admin:reviews_snapshot_change', args=[second.pk])}")
    message = page.inner_text(".messagelist")
    assert f"“{second}” was started from" in message
    assert page.locator("#id_number").input_value() == "2"
    assert page.locator("#id_title_en").input_value() == seed.title_en
    screenshot(page, "next-issue-started")
    assert blocked == []


@pytest.mark.parametrize("width", [1280, 360])
def test_the_form_fits_and_passes_axe(seed, signed_in, editor, publisher, width):
    """
    The form for one publication, for a choice of two, and refusing a taken
    slug: no wider than the screen, axe 0.
    """
    page = signed_in(editor, width)
    form = page.site + reverse("admin:reviews_snapshot_next", args=[seed.pk])
    page.goto(form)
    assert_fits_and_passes_axe(page, width)
    screenshot(page, f"next-issue-form-{width}")
    publish(seed, publisher)
    page.goto(form)
    assert page.get_by_label("Version 2, published").is_checked()
    assert_fits_and_passes_axe(page, width)
    screenshot(page, f"next-issue-choice-{width}")
    page.get_by_label("Slug of the new snapshot").fill(seed.slug)
    page.get_by_role("button", name="Start the next snapshot").click()
    page.wait_for_selector(".errornote")
    assert "is used by another snapshot" in page.inner_text("#content-main")
    assert_fits_and_passes_axe(page, width)
    screenshot(page, f"next-issue-refused-{width}")
