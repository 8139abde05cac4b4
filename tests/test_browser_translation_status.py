"""Translation status in Chromium: marks by their fields, the status page, fit, axe."""

import pytest
from django.urls import reverse

from reviews.groups import TRANSLATORS
from reviews.models import Conclusion

from .conftest import group_member
from .pages import screenshot
from .test_browser_admin import axe_report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def translator_page(signed_in):
    """A tab signed in as a translator: translator_page(width)."""

    def translator_page(width=1280):
        return signed_in(group_member("translator", TRANSLATORS), width)

    return translator_page


@pytest.fixture
def marked_seed(seed):
    """The seed with one conclusion's English changed and another's Spanish gone."""
    first, second = Conclusion.objects.filter(snapshot=seed).order_by("order")[:2]
    first.text_en = first.text_en.replace("Governments", "All governments", 1)
    first.save()
    second.text_es = ""
    second.save()
    return seed, first


def fits(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 360])
def test_a_page_with_marks_fits_and_passes_axe(marked_seed, translator_page, width):
    """A stale conclusion's page, its change unfolded: fits, axe 0."""
    _seed, stale = marked_seed
    page = translator_page(width)
    page.goto(
        page.site
        + reverse("admin:reviews_conclusion_change", args=[stale.pk])
        + "#id_text_es"
    )
    page.locator(".source-change summary").click()
    assert page.locator("#id_text_es").is_visible()
    assert page.locator("ins", has_text="All governments").is_visible()
    assert fits(page, width)
    count, report = axe_report(page)
    assert count == 0, report
    screenshot(page, f"translation-marks-{width}")


@pytest.mark.parametrize("width", [1280, 360])
def test_the_snapshot_page_with_marks_fits_and_passes_axe(
    marked_seed, translator_page, width
):
    """The snapshot's page as a translator sees it, its inlines marked: fits, axe 0."""
    seed, _stale = marked_seed
    page = translator_page(width)
    page.goto(page.site + reverse("admin:reviews_snapshot_change", args=[seed.pk]))
    page.get_by_label("Spanish", exact=True).check()
    assert page.locator(".translation-missing").first.is_visible()
    assert fits(page, width)
    count, report = axe_report(page)
    assert count == 0, report
    screenshot(page, f"translation-snapshot-marks-{width}")


def test_still_correct_from_the_field_clears_its_mark(marked_seed, translator_page):
    """The button beside the mark confirms and brings the translator back."""
    _seed, stale = marked_seed
    page = translator_page()
    url = reverse("admin:reviews_conclusion_change", args=[stale.pk])
    page.goto(page.site + url + "#id_text_es")
    page.get_by_role("button", name="Still correct").click()
    page.wait_for_url(f"**{url}")
    assert page.locator(".messagelist").is_visible()
    assert page.locator(".translation-stale").count() == 0


@pytest.mark.parametrize("width", [1280, 360])
def test_the_status_page_fits_and_passes_axe(marked_seed, translator_page, width):
    """The counts and a stale list: fits, axe 0; its link opens the Spanish field."""
    seed, stale = marked_seed
    page = translator_page(width)
    page.goto(
        page.site + reverse("admin:reviews_snapshot_translations", args=[seed.pk])
    )
    assert fits(page, width)
    count, report = axe_report(page)
    assert count == 0, report
    screenshot(page, f"translation-status-{width}")
    page.get_by_role("link", name="Stale: 1 (main conclusions, Spanish)").click()
    page.locator("#translation-texts").wait_for()
    page.wait_for_load_state("load")
    assert fits(page, width)
    count, report = axe_report(page)
    assert count == 0, report
    screenshot(page, f"translation-status-stale-{width}")
    page.locator("#translation-texts th a").first.click()
    page.wait_for_url(f"**/conclusion/{stale.pk}/change/**")
    assert page.locator("#id_text_es").is_visible()
    assert page.get_by_label("Spanish", exact=True).is_checked()
