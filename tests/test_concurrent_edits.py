"""Two editors on one object: nothing either of them typed is lost."""

import pytest
from django.test import Client
from django.urls import reverse

from reviews.models import Conclusion, Meeting

from .admin_forms import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def meeting_url():
    return reverse("admin:reviews_meeting_change", args=[Meeting.objects.get().pk])


def messages_in(response):
    form = response.context["adminform"].form
    return [str(message) for message in form.non_field_errors()]


def test_a_stale_save_is_refused_and_both_edits_end_in_the_database(
    seed, editor_client, second_editor_client
):
    """The second save names the first editor's change; saving again keeps both."""
    first = submitted(editor_client.get(meeting_url()))
    second = submitted(second_editor_client.get(meeting_url()))
    assert (first["member_states"], second["associate_members"]) == ("29", "3")

    saved = editor_client.post(meeting_url(), {**first, "member_states": "30"})
    assert saved.status_code == 302
    refused = second_editor_client.post(
        meeting_url(), {**second, "associate_members": "4"}
    )
    assert refused.status_code == 200
    [message] = messages_in(refused)
    assert "“Member States” from “29” to “30”" in message
    assert "editor" in message  # who changed it
    again = submitted(refused)
    assert (again["member_states"], again["associate_members"]) == ("30", "4")

    assert second_editor_client.post(meeting_url(), again).status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.member_states, meeting.associate_members) == (30, 4)


def test_when_both_change_the_same_field_the_second_keeps_hers_knowingly(
    seed, editor_client, second_editor_client
):
    """Her value stays in the form, and she is told what it replaces."""
    first = submitted(editor_client.get(meeting_url()))
    second = submitted(second_editor_client.get(meeting_url()))
    editor_client.post(meeting_url(), {**first, "member_states": "30"})
    refused = second_editor_client.post(
        meeting_url(), {**second, "member_states": "31"}
    )
    [message] = messages_in(refused)
    assert "from “29” to “30”" in message and "your value is kept" in message
    assert submitted(refused)["member_states"] == "31"
    second_editor_client.post(meeting_url(), submitted(refused))
    assert Meeting.objects.get().member_states == 31


def test_a_stale_inline_row_is_refused(seed, editor_client, second_editor_client):
    """Conclusions edited under the snapshot by two editors: the second is told."""
    url = reverse("admin:reviews_snapshot_change", args=[seed.pk])
    first = submitted(editor_client.get(url))
    second = submitted(second_editor_client.get(url))
    prefix = next(name for name in first if name.endswith("-0-text_es"))
    editor_client.post(url, {**first, prefix: "Primera versión."})
    refused = second_editor_client.post(url, {**second, prefix: "Segunda versión."})
    assert refused.status_code == 200
    assert "Primera versión." in refused.content.decode()
    assert Conclusion.objects.filter(text_es="Primera versión.").exists()


def test_a_tampered_or_missing_signature_is_refused(seed, editor_client):
    """A form that does not carry what it was opened with saves nothing."""
    data = submitted(editor_client.get(meeting_url()))
    for opened_with in ("", data["opened_with"][:-4] + "AAAA"):
        response = editor_client.post(
            meeting_url(),
            {**data, "opened_with": opened_with, "member_states": "1"},
        )
        assert response.status_code == 200
        assert "reload the page" in " ".join(messages_in(response))
    assert Meeting.objects.get().member_states == 29


def test_text_boxes_send_windows_line_breaks_and_store_unix_ones(seed, editor_client):
    """CRLF from a browser's text area is stored as LF; spaces around are trimmed."""
    data = submitted(editor_client.get(meeting_url()))
    overview = data["overview_en"].replace("\n", "\r\n")
    response = editor_client.post(
        meeting_url(), {**data, "overview_en": f" {overview} "}
    )
    assert response.status_code == 302
    stored = Meeting.objects.get().overview_en
    assert "\r" not in stored
    assert stored == data["overview_en"].strip()


def test_history_names_only_what_really_changed(seed, editor_client):
    """Re-sent text areas are not changes: only the edited number is logged."""
    from django.contrib.admin.models import LogEntry

    data = submitted(editor_client.get(meeting_url()))
    windows = {
        name: value.replace("\n", "\r\n")
        for name, value in data.items()
        if name.startswith("overview_")
    }
    editor_client.post(meeting_url(), {**data, **windows, "member_states": "30"})
    entry = LogEntry.objects.latest("action_time")
    assert entry.get_change_message() == "Changed Member States."
