"""Editors reorder rows in a real browser, with the mouse and the keyboard."""

import pytest
from django.urls import reverse

from reviews.models import Conclusion, Person

from .conftest import PASSWORD
from .pages import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def signed_in(open_page, editor):
    """A page of the admin, opened by the editor signed in through its form."""

    def signed_in(path):
        page = open_page(reverse("admin:login") + f"?next={path}")
        page.fill("#id_username", editor.username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"**{path}")
        return page

    return signed_in


def test_a_conclusion_moved_down_with_its_button_is_saved_there(seed, signed_in):
    """Clicking the first conclusion's down button and saving swaps 1 and 2."""
    first, second = Conclusion.objects.filter(order__in=(1, 2)).order_by("order")
    page = signed_in(reverse("admin:reviews_snapshot_change", args=[seed.pk]))
    page.locator("#conclusions-group button[data-move='1']").first.click()
    rows = page.locator("#conclusions-group .inline-related.has_original")
    assert rows.nth(1).locator("input[data-position]").input_value() == "2"
    screenshot(page, "admin-conclusion-moved-down")
    page.click("input[name=_save]")
    page.wait_for_url("**/reviews/snapshot/")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.order, second.order) == (2, 1)
    assert page.dialogs == []


def test_a_person_moved_up_from_the_keyboard_is_saved_there(seed, signed_in):
    """Tab to the second person's up button, press Enter, then save."""
    people = list(Person.objects.filter(meeting=seed.meeting).order_by("order"))
    page = signed_in(reverse("admin:reviews_meeting_change", args=[seed.meeting.pk]))
    up = (
        page.locator("#people-group tr.has_original")
        .nth(1)
        .locator("button[data-move='-1']")
    )
    up.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.dataset.move") == "-1"
    page.click("input[name=_save]")
    page.wait_for_url("**/reviews/meeting/")
    for person in people[:2]:
        person.refresh_from_db()
    assert (people[0].order, people[1].order) == (2, 1)
