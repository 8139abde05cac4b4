"""Editors in a real browser: two of them on one meeting, through the admin."""

import pytest
from django.urls import reverse

from reviews.models import Meeting

from .pages import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def sign_in(signed_in, editor):
    """A fresh browser signed in to the admin as the editor, through its form."""
    return lambda: signed_in(editor)


def test_two_editors_on_one_meeting_keep_both_edits(seed, live_server, sign_in):
    """The second save is refused with the first editor's change; then both stay."""
    url = live_server.url + reverse(
        "admin:reviews_meeting_change", args=[Meeting.objects.get().pk]
    )
    first, second = sign_in(), sign_in()
    first.goto(url)
    second.goto(url)

    first.fill("#id_member_states", "30")
    first.click("input[name=_save]")
    first.wait_for_url("**/reviews/meeting/")

    second.fill("#id_associate_members", "4")
    second.click("input[name=_save]")
    screenshot(second, "admin-stale-save-refused")
    assert "“Member States” from “29” to “30”" in second.inner_text("#content")
    assert second.input_value("#id_member_states") == "30"
    assert second.input_value("#id_associate_members") == "4"

    second.click("input[name=_save]")
    second.wait_for_url("**/reviews/meeting/")
    meeting = Meeting.objects.get()
    assert (meeting.member_states, meeting.associate_members) == (30, 4)
