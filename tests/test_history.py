"""Every change is kept: editors see it, compare versions, restore, recover."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from reversion.models import Revision, Version

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


def as_a_browser_sends(data):
    """``data`` with the Windows line breaks a browser sends from a text area."""
    return {
        name: value.replace("\n", "\r\n") if isinstance(value, str) else value
        for name, value in data.items()
    }


@pytest.mark.parametrize("page", ["snapshot", "meeting"])
def test_a_save_that_changes_nothing_records_no_version(versioned, editor_client, page):
    """Saving a page as it was opened, line breaks and all, adds no revision."""
    obj = versioned if page == "snapshot" else versioned.meeting
    url = reverse(f"admin:reviews_{page}_change", args=[obj.pk])
    before = Revision.objects.count()
    data = as_a_browser_sends(submitted(editor_client.get(url)))
    assert editor_client.post(url, data).status_code == 302
    assert Revision.objects.count() == before


def test_a_text_sent_back_identical_is_not_named_as_a_change(versioned, editor_client):
    """Changing one conclusion names only it, not the overview sent back as it was."""
    url = reverse("admin:reviews_snapshot_change", args=[versioned.pk])
    data = as_a_browser_sends(submitted(editor_client.get(url)))
    data["conclusions-0-text_en"] = "A conclusion, reworded."
    assert editor_client.post(url, data).status_code == 302
    revision = Revision.objects.latest("pk")
    assert "Overview" not in revision.get_comment()
    assert "conclusion" in revision.get_comment()


def test_a_parts_history_lists_only_the_versions_that_changed_it(
    versioned, editor_client
):
    """Three saves of the meeting's own fields add nothing to a person's history."""
    person = versioned.meeting.people.first()
    for states in ("30", "31", "32"):
        edit(editor_client, versioned.meeting, member_states=states)
    assert Version.objects.get_for_object(person).count() == 4
    assert len(history(editor_client, person).context["history"]) == 1


def test_compare_marks_the_words_that_changed_escaped(versioned, editor_client):
    """Only the changed words are marked, and an editor's markup stays text."""
    meeting = Meeting.objects.get()
    edit(editor_client, meeting, name_en="The <b>old</b> regional name")
    edit(editor_client, meeting, name_en="The <b>new</b> regional name")
    newer, older = Version.objects.get_for_object(meeting)[:2]
    url = reverse("admin:reviews_meeting_compare", args=[meeting.pk])
    page = editor_client.get(url, {"older": older.pk, "newer": newer.pk})
    html = page.content.decode()
    assert "<td>The <del>&lt;b&gt;old&lt;/b&gt;</del> regional name</td>" in html
    assert "<td>The <ins>&lt;b&gt;new&lt;/b&gt;</ins> regional name</td>" in html
    assert "<b>new</b>" not in html


def test_an_item_without_versions_shows_an_empty_history(seed, editor_client):
    """Content loaded behind reversion's back has no versions yet: no 500."""
    assert not Version.objects.exists()
    response = editor_client.get(
        reverse("admin:reviews_snapshot_history", args=[seed.pk])
    )
    assert response.status_code == 200
    assert response.context["history"] == []
