"""The admin's languages and errors as posted: labels, error list, way back."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from reviews.models import Meeting, MeetingDay, ParticipationFigure

from .admin_forms import submitted


def change_url(obj):
    return reverse(f"admin:reviews_{obj._meta.model_name}_change", args=[obj.pk])


def post_meeting(client, **changes):
    """The meeting's page saved as a browser posts it, with ``changes``."""
    url = change_url(Meeting.objects.get())
    data = {**submitted(client.get(url)), **changes}
    return client.post(url, data)


def figure_field(name, row=0):
    """The POST name of ``name`` on a participation figure of the meeting's page."""
    prefix = ParticipationFigure._meta.get_field("meeting").remote_field
    return f"{prefix.get_accessor_name()}-{row}-{name}"


def test_translated_fields_are_labelled_with_their_language(seed, editor_client):
    """Each translated field says its language, in its label and its lang."""
    page = editor_client.get(change_url(Meeting.objects.get())).content.decode()
    assert ">Overview (Spanish):</label>" in page
    assert ">Overview (English):</label>" in page
    assert 'lang="es"' in page and 'name="overview_es"' in page
    assert "[es]" not in page


def test_labels_name_the_language_in_the_editors_language(seed, editor_client):
    """In Spanish, the labels say "(Inglés)" and "(Español)"."""
    url = change_url(Meeting.objects.get())
    page = editor_client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert ">Resumen (Español):</label>" in page
    assert ">Resumen (Inglés):</label>" in page


def test_a_refused_form_lists_each_error_by_field_and_language(seed, editor_client):
    """The banner names "Name (Spanish)" and links to its field."""
    response = post_meeting(editor_client, name_es="")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert (
        '<a href="#id_name_es" data-language="es">'
        "Name (Spanish): This field is required.</a>"
    ) in page


def test_an_error_in_a_tabular_inline_names_its_row_field_and_language(
    seed, editor_client
):
    """A participation figure's missing Spanish label is listed with its row."""
    field = figure_field("label_es")
    response = post_meeting(editor_client, **{field: ""})
    summary = response.context["error_summary"]
    assert [
        (error["name"], str(error["message"]), error["target"], error["language"])
        for error in summary
    ] == [
        (
            "Participation figure 1 – Label (Spanish)",
            "This field is required.",
            f"id_{field}",
            "es",
        )
    ]


def test_the_switch_counts_the_errors_each_language_holds(seed, editor_client):
    """The Spanish choice of the switch is marked with its two errors."""
    response = post_meeting(editor_client, name_es="", **{figure_field("label_es"): ""})
    languages = {
        language["code"]: language["errors"]
        for language in response.context["page_languages"]
    }
    assert languages == {"en": 0, "es": 2}
    assert '<span class="language-errors">(2 errors)</span>' in (
        response.content.decode()
    )


def test_a_form_error_without_a_field_is_listed_with_its_row(seed, editor_client):
    """Another editor's change to a figure is listed, linked to the figure's row."""
    url = change_url(Meeting.objects.get())
    data = submitted(editor_client.get(url))
    figure = ParticipationFigure.objects.get(pk=data[figure_field("id")])
    figure.count += 1
    figure.save()
    response = editor_client.post(url, {**data, figure_field("count"): "5"})
    [error] = response.context["error_summary"]
    assert (error["name"], error["target"], error["language"]) == (
        "Participation figure 1",
        "participation-0",
        "",
    )
    assert "“Count”" in str(error["message"])


def test_error_messages_are_escaped(seed, editor_client):
    """A hostile value quoted in an error stays text."""
    response = post_meeting(editor_client, website_es="<script>x</script>")
    page = response.content.decode()
    assert "<script>x</script>" not in page
    assert response.context["error_summary"]


def test_a_page_without_errors_has_no_banner(seed, editor_client):
    """An opened page shows the switch but no error list."""
    page = editor_client.get(change_url(Meeting.objects.get())).content.decode()
    assert 'class="language-switch"' in page
    assert 'class="error-summary"' not in page


def test_a_page_without_translated_fields_has_no_switch(seed, editor_client):
    """The stakeholder counts hold no text: no language switch."""
    count = seed.stakeholder_counts.first()
    page = editor_client.get(change_url(count)).content.decode()
    assert 'class="language-switch"' not in page


def test_help_texts_show_markup_as_typed(seed, editor_client):
    """The overview's help text shows "<https://…>" instead of swallowing it."""
    page = editor_client.get(change_url(Meeting.objects.get())).content.decode()
    assert "&lt;https://…&gt;" in page


def day_form(client, day, query=""):
    url = change_url(day) + query
    return url, submitted(client.get(url))


def test_saving_a_day_opened_from_its_meeting_returns_to_the_meeting(
    seed, editor_client
):
    """Saved with ?next= the meeting's page, the day's page goes back there."""
    day = MeetingDay.objects.first()
    meeting_url = change_url(day.meeting)
    url, data = day_form(editor_client, day, f"?next={meeting_url}")
    response = editor_client.post(url, {**data, "session_en": "A new session"})
    assert response.status_code == 302
    assert response["Location"] == meeting_url
    day.refresh_from_db()
    assert day.session_en == "A new session"


@pytest.mark.parametrize(
    "target",
    [
        "https://elsewhere.example/admin/",
        "//elsewhere.example/admin/",
        "/\\elsewhere.example/",
        "javascript:alert(1)",
    ],
)
def test_a_way_back_to_another_site_is_ignored(seed, editor_client, target):
    """Only a path of this site is followed; otherwise the day's list, as usual."""
    day = MeetingDay.objects.first()
    url, data = day_form(editor_client, day)
    response = editor_client.post(f"{url}?next={target}", data)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:reviews_meetingday_changelist")


def test_save_and_continue_stays_on_the_day(seed, editor_client):
    """Only "Save" goes back to the parent; "Save and continue" stays."""
    day = MeetingDay.objects.first()
    url, data = day_form(editor_client, day, f"?next={change_url(day.meeting)}")
    del data["_save"]
    response = editor_client.post(url, {**data, "_continue": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(change_url(day))


def test_cells_edited_in_a_list_are_named_after_their_column_and_row(
    seed, editor_client
):
    """The conclusions list's Order boxes each say which conclusion they order."""
    page = editor_client.get(reverse("admin:reviews_conclusion_changelist"))
    conclusion = page.context["cl"].result_list[0]
    label = escape(f"Order – {conclusion}")
    assert f'aria-label="{label}"' in page.content.decode()
