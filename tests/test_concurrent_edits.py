"""Two editors on one object: nothing either of them typed is lost."""

import pytest
from django.core.management import call_command
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


@pytest.fixture
def maria_client(db):
    """A second editor, with a name of her own."""
    from reviews.groups import EDITORS, sync_group

    from .conftest import staff_user

    maria = staff_user("maria")
    maria.groups.add(sync_group(EDITORS))
    client = Client()
    client.force_login(maria)
    return client


def warnings_in(response):
    return [
        str(message)
        for message in response.context["messages"]
        if message.level_tag == "warning"
    ]


def snapshot_url(snapshot):
    return reverse("admin:reviews_snapshot_change", args=[snapshot.pk])


def conclusion_rows(data):
    total = int(data["conclusions-TOTAL_FORMS"])
    return {int(data[f"conclusions-{i}-id"]): f"conclusions-{i}-" for i in range(total)}


def test_a_row_deleted_on_its_own_page_meanwhile_is_reported_and_the_rest_saves(
    seed, editor_client, maria_client
):
    """Maria deletes conclusion 2; the editor's save of conclusion 3 still goes in."""
    mine = submitted(editor_client.get(snapshot_url(seed)))
    gone, kept = (Conclusion.objects.get(snapshot=seed, order=n) for n in (2, 3))
    url = reverse("admin:reviews_conclusion_delete", args=[gone.pk])
    assert maria_client.post(url, {"post": "yes"}).status_code == 302
    rows = conclusion_rows(mine)
    mine[f"{rows[gone.pk]}text_en"] = "My edit of a deleted conclusion"
    mine[f"{rows[kept.pk]}text_en"] = "My edit"
    response = editor_client.post(snapshot_url(seed), mine, follow=True)
    assert response.redirect_chain, response.context["errors"]
    kept.refresh_from_db()
    assert kept.text_en == "My edit"
    assert not Conclusion.objects.filter(pk=gone.pk).exists()
    [warning] = warnings_in(response)
    assert warning.startswith(f"“{gone}” was deleted by maria at ")
    assert warning.endswith("; your changes to it were not saved.")


def test_a_row_deleted_from_its_parents_page_meanwhile_names_who_deleted_it(
    seed, editor_client, maria_client
):
    """Deleted in maria's inline: the editor's save names her, and saves the rest."""
    call_command("createinitialrevisions", comment="Seed content", verbosity=0)
    mine = submitted(editor_client.get(snapshot_url(seed)))
    gone = Conclusion.objects.get(snapshot=seed, order=2)
    theirs = submitted(maria_client.get(snapshot_url(seed)))
    theirs[f"{conclusion_rows(theirs)[gone.pk]}DELETE"] = "on"
    assert maria_client.post(snapshot_url(seed), theirs).status_code == 302
    mine["title_en"] = "A title of mine"
    response = editor_client.post(snapshot_url(seed), mine, follow=True)
    assert response.redirect_chain, response.context["errors"]
    seed.refresh_from_db()
    assert seed.title_en == "A title of mine"
    assert any(
        warning.startswith(f"“{gone}” was deleted by maria at ")
        for warning in warnings_in(response)
    )


def test_a_deleted_row_is_marked_on_its_row_when_the_page_comes_back(
    seed, editor_client, maria_client
):
    """With another error on the page, the deleted row says so, and is no error."""
    mine = submitted(editor_client.get(snapshot_url(seed)))
    gone = Conclusion.objects.get(snapshot=seed, order=2)
    url = reverse("admin:reviews_conclusion_delete", args=[gone.pk])
    maria_client.post(url, {"post": "yes"})
    response = editor_client.post(snapshot_url(seed), {**mine, "title_en": ""})
    assert response.status_code == 200
    [conclusions] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "conclusions"
    ]
    [form] = [form for form in conclusions.forms if form.gone]
    assert "was deleted by maria" in str(form.non_field_errors())
    assert not any(conclusions.errors)


def test_a_row_deleted_meanwhile_does_not_block_the_lists_editable_column(
    seed, editor_client, maria_client
):
    """The conclusions' Order column saves the rows still there."""
    from .admin_forms import inline_rows, submitted_list

    url = reverse("admin:reviews_conclusion_changelist")
    mine = submitted_list(editor_client.get(url))
    rows = {int(mine[f"{row}id"]): row for row in inline_rows(mine, "form")}
    gone = Conclusion.objects.get(snapshot=seed, order=2)
    kept = Conclusion.objects.get(snapshot=seed, order=3)
    maria_client.post(
        reverse("admin:reviews_conclusion_delete", args=[gone.pk]), {"post": "yes"}
    )
    mine[f"{rows[gone.pk]}order"] = "20"
    mine[f"{rows[kept.pk]}order"] = "30"
    response = editor_client.post(url, mine)
    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.order == 30
    assert not Conclusion.objects.filter(order=20).exists()
