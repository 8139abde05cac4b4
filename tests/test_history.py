"""Every change is kept: editors see it, compare versions, restore, recover."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from reversion.models import Version

from reviews.models import Conclusion, Meeting

from .admin_forms import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def versioned(seed):
    """The seed as `make run` leaves it: with a first version of everything."""
    call_command("createinitialrevisions", comment="Seed content", verbosity=0)
    return seed


def edit(client, obj, **values):
    url = reverse(f"admin:reviews_{obj._meta.model_name}_change", args=[obj.pk])
    response = client.post(url, {**submitted(client.get(url)), **values})
    assert response.status_code == 302, response.context and response.context.get(
        "errors"
    )
    return response


def history(client, obj):
    url = reverse(f"admin:reviews_{obj._meta.model_name}_history", args=[obj.pk])
    return client.get(url)


def test_history_shows_old_and_new_values_in_every_language(versioned, editor_client):
    """Two edits later, the history says who changed what, from what, to what."""
    meeting = Meeting.objects.get()
    edit(editor_client, meeting, member_states="30")
    edit(editor_client, meeting, next_step_es="El Foro")
    page = history(editor_client, meeting)
    assert page.status_code == 200
    changes = [entry["changes"] for entry in page.context["history"]]
    assert [(c["label"], c["old"], c["new"]) for c in changes[1]] == [
        ("member States", "29", "30")
    ]
    [(label, old, new)] = [(c["label"], c["old"], c["new"]) for c in changes[0]]
    assert (str(label), new) == ("next step [es]", "El Foro")
    assert old == meeting.next_step_es
    assert changes[2] is None  # the seed's own version
    assert "editor" in page.content.decode()


def test_two_versions_compare_field_by_field(versioned, editor_client):
    """The compare page lists every field, the changed ones marked."""
    meeting = Meeting.objects.get()
    edit(editor_client, meeting, member_states="30", associate_members="4")
    newer, older = Version.objects.get_for_object(meeting)[:2]
    url = reverse("admin:reviews_meeting_compare", args=[meeting.pk])
    page = editor_client.get(url, {"older": older.pk, "newer": newer.pk})
    assert page.status_code == 200
    changed = {
        str(row["label"]): (row["old"], row["new"])
        for row in page.context["rows"]
        if row["changed"]
    }
    assert changed == {"member States": ("29", "30"), "associate members": ("3", "4")}
    assert len(page.context["rows"]) > 20  # every field, in every language


@pytest.mark.parametrize(
    "query", [{}, {"older": "x", "newer": "1"}, {"older": "999999", "newer": "1"}]
)
def test_comparing_needs_two_versions_of_this_item(versioned, editor_client, query):
    """Missing, malformed or foreign version numbers answer 404, not 500."""
    meeting = Meeting.objects.get()
    conclusion_version = Version.objects.get_for_object(Conclusion.objects.first())[0]
    query = {**query, "newer": query.get("newer", conclusion_version.pk)}
    url = reverse("admin:reviews_meeting_compare", args=[meeting.pk])
    assert editor_client.get(url, query).status_code == 404


def test_staff_without_rights_cannot_read_the_history(
    versioned, client, staff_without_permissions
):
    """The history and the comparison are the editors'."""
    client.force_login(staff_without_permissions)
    meeting = Meeting.objects.get()
    assert history(client, meeting).status_code == 403
    url = reverse("admin:reviews_meeting_compare", args=[meeting.pk])
    assert client.get(url, {"older": 1, "newer": 2}).status_code == 403


def test_a_version_is_restored(versioned, editor_client):
    """Opening an old version and saving it brings its values back."""
    meeting = Meeting.objects.get()
    edit(editor_client, meeting, member_states="30")
    first = Version.objects.get_for_object(meeting).last()
    url = reverse("admin:reviews_meeting_revision", args=[meeting.pk, first.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    assert editor_client.post(url, submitted(page)).status_code == 302
    assert Meeting.objects.get().member_states == 29


def test_a_deleted_conclusion_is_recovered(versioned, editor_client):
    """Deleted by mistake, found in the recover list, brought back whole."""
    conclusion = Conclusion.objects.get(order=2)
    text = conclusion.text_es
    url = reverse("admin:reviews_conclusion_delete", args=[conclusion.pk])
    editor_client.post(url, {"post": "yes"})
    assert not Conclusion.objects.filter(order=2).exists()
    [version] = Version.objects.get_deleted(Conclusion)
    recover = editor_client.get(reverse("admin:reviews_conclusion_recoverlist"))
    assert escape(version.object_repr) in recover.content.decode()
    url = reverse("admin:reviews_conclusion_recover", args=[version.pk])
    page = editor_client.get(url)
    assert editor_client.post(url, submitted(page)).status_code == 302
    assert Conclusion.objects.get(order=2).text_es == text


def test_an_item_without_versions_shows_an_empty_history(seed, editor_client):
    """Content loaded behind reversion's back has no versions yet: no 500."""
    assert not Version.objects.exists()
    response = editor_client.get(
        reverse("admin:reviews_snapshot_history", args=[seed.pk])
    )
    assert response.status_code == 200
    assert response.context["history"] == []
