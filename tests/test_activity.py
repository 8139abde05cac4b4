"""A snapshot's activity: every change to it and its content, who, when, what."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from reviews.models import Conclusion, MeetingDay

from .test_history import edit

pytestmark = pytest.mark.django_db


@pytest.fixture
def versioned(seed):
    """The seed as `make run` leaves it: with a first version of everything."""
    call_command("createinitialrevisions", comment="Seed content", verbosity=0)
    return seed


def activity_url(snapshot):
    return reverse("admin:reviews_snapshot_activity", args=[snapshot.pk])


def test_the_activity_lists_changes_to_the_snapshot_and_its_parts(
    versioned, editor_client
):
    """A conclusion edited on its own page, the title, a day deleted: all listed."""
    conclusion = Conclusion.objects.get(order=1)
    old_text = conclusion.text_es
    edit(editor_client, conclusion, text_es="Una conclusión nueva")
    edit(editor_client, versioned, title_en="A later title")
    day = MeetingDay.objects.order_by("date").last()
    editor_client.post(
        reverse("admin:reviews_meetingday_delete", args=[day.pk]), {"post": "yes"}
    )
    page = editor_client.get(activity_url(versioned))
    assert page.status_code == 200
    entries = page.context["page"].object_list
    deleted, title, text = entries[:3]
    assert (deleted["deleted"], deleted["who"].username) == (True, "editor")
    assert [(str(c["label"]), c["new"]) for c in title["changes"]] == [
        ("title [en]", "A later title")
    ]
    [change] = text["changes"]
    assert (str(change["label"]), change["old"], change["new"]) == (
        "text [es]",
        old_text,
        "Una conclusión nueva",
    )
    html = page.content.decode()
    assert "<ins>nueva</ins>" in html
    assert "A later title" in html


def test_the_snapshot_page_links_to_its_activity(versioned, editor_client):
    """The snapshot's object tools offer the activity."""
    url = reverse("admin:reviews_snapshot_change", args=[versioned.pk])
    assert activity_url(versioned) in editor_client.get(url).content.decode()


def test_staff_without_rights_cannot_read_the_activity(
    versioned, client, staff_without_permissions
):
    """The activity is the editors'."""
    client.force_login(staff_without_permissions)
    assert client.get(activity_url(versioned)).status_code == 403


def test_the_activity_of_a_missing_snapshot_is_404(db, editor_client):
    """An unknown snapshot answers 404, not 500."""
    url = reverse("admin:reviews_snapshot_activity", args=[987654])
    assert editor_client.get(url).status_code == 404


def test_a_long_activity_is_paginated(versioned, editor_client, monkeypatch):
    """Beyond a page of changes, the older ones are on the next page."""
    from reviews.editorial.admin import activity

    monkeypatch.setattr(activity, "PER_PAGE", 2)
    for states in ("30", "31", "32"):
        edit(editor_client, versioned.meeting, member_states=states)
    first = editor_client.get(activity_url(versioned))
    assert "Page 1 of " in first.content.decode()
    second = editor_client.get(activity_url(versioned), {"page": "2"})
    assert second.context["page"].number == 2
    assert editor_client.get(activity_url(versioned), {"page": "x"}).status_code == 200
