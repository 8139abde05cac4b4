"""Whatever an editor types, the admin answers with a form, never a 500."""

import datetime

import pytest
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, transaction
from django.urls import reverse

from reviews.content import CONTENT
from reviews.models import Meeting, Snapshot, StakeholderCount, TimelineEvent

from .admin_forms import submitted

pytestmark = pytest.mark.django_db


def new_snapshot(client, **meeting):
    """The snapshot add page as a browser posts it after "Add another Meeting"."""
    data = submitted(client.get(reverse("admin:reviews_snapshot_add")))
    data.update(
        {
            "series_en": "Key milestones and progress",
            "series_es": "Hitos clave y avances",
            "number": "2",
            "title_en": "Second issue",
            "title_es": "Segunda entrega",
            "slug": "second-issue",
            "status": "draft",
            "meeting-TOTAL_FORMS": "1",
            **{f"meeting-0-{name}": value for name, value in meeting.items()},
        }
    )
    return client.post(reverse("admin:reviews_snapshot_add"), data)


def test_a_new_snapshot_with_a_partial_meeting_gets_form_errors(seed, editor_client):
    """The README's way, with only the meeting's name and dates: errors, no 500."""
    response = new_snapshot(
        editor_client,
        name_en="Second meeting",
        name_es="Segunda reunión",
        start_date="2022-04-26",
        end_date="2022-04-28",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required." in page
    assert "Second meeting" in page  # what was typed is kept
    assert not Snapshot.objects.filter(slug="second-issue").exists()


def test_a_new_snapshot_with_its_whole_meeting_is_saved(seed, editor_client):
    """Filled in completely on the snapshot's page, both are created."""
    texts = {
        f"{name}_{language}": f"{name} {language}"
        for name in (
            "name",
            "organisers",
            "overview",
            "next_step",
            "recordings_note",
            "recordings_link_text",
        )
        for language in ("en", "es")
    }
    urls = {
        f"{name}_{language}": "https://example.org/"
        for name in ("website", "recordings_url")
        for language in ("en", "es")
    }
    response = new_snapshot(
        editor_client,
        **texts,
        **urls,
        start_date="2022-04-26",
        end_date="2022-04-28",
        member_states="30",
        associate_members="4",
        next_step_year="2026",
    )
    assert response.status_code == 302
    assert Meeting.objects.get(snapshot__slug="second-issue").member_states == 30


def change(client, obj, **values):
    url = reverse(f"admin:reviews_{obj._meta.model_name}_change", args=[obj.pk])
    return client.post(url, {**submitted(client.get(url)), **values})


def test_a_date_in_9999_is_refused_and_the_site_stays_up(client, seed, editor_client):
    """A timeline event ending 31 December 9999 is refused with the bounds."""
    event = TimelineEvent.objects.filter(precision="months").first()
    response = change(editor_client, event, end_date="9999-12-31")
    assert response.status_code == 200
    assert "Dates run from 1 January 2000 to 31 December 2100." in (
        response.content.decode()
    )
    for path in ("/en/", "/es/", seed.get_absolute_url()):
        assert client.get(path).status_code == 200


def test_a_count_beyond_any_database_is_refused(seed, editor_client):
    """2⁶³−1 registered participants: refused on every database alike."""
    count = StakeholderCount.objects.first()
    response = change(editor_client, count, count=str(2**63 - 1))
    assert response.status_code == 200
    assert "A count cannot be more than 10,000,000." in response.content.decode()
    count.refresh_from_db()
    assert count.count < 10_000_000


def bounded_fields():
    for kind in CONTENT:
        for field in kind.model._meta.concrete_fields:
            # The bounds declared on the field, not those Django adds per
            # database, which are what this test proves unnecessary.
            for validator in field._validators:
                if isinstance(validator, MaxValueValidator | MinValueValidator):
                    yield pytest.param(
                        kind, field, validator, id=f"{kind.sheet}.{field.name}"
                    )


@pytest.mark.parametrize(("kind", "field", "validator"), list(bounded_fields()))
def test_every_bound_holds_in_the_database_too(seed, kind, field, validator):
    """A write that skips validation cannot pass a bound either, on any database."""
    obj = kind.of_snapshot(seed).first()
    step = datetime.timedelta(days=1) if "date" in field.name else 1
    beyond = (
        validator.limit_value + step
        if isinstance(validator, MaxValueValidator)
        else validator.limit_value - step
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        kind.model.objects.filter(pk=obj.pk).update(**{field.name: beyond})


def test_the_widest_valid_timeline_renders_at_a_bounded_size(client, seed):
    """An event from 2000 to 2100 is valid; the page still renders, and not huge."""
    event = TimelineEvent.objects.filter(precision="months").first()
    event.start_date = datetime.date(2000, 1, 1)
    event.end_date = datetime.date(2100, 12, 31)
    event.full_clean()
    event.save()
    for path in ("/en/", "/es/"):
        response = client.get(path)
        assert response.status_code == 200
        assert len(response.content) < 400_000


def test_a_malformed_choice_in_an_autocomplete_is_a_form_error(seed, editor_client):
    """A stakeholder group sent as " " (found by the property test) gives errors."""
    url = reverse("admin:reviews_snapshot_change", args=[seed.pk])
    data = submitted(editor_client.get(url))
    response = editor_client.post(url, {**data, "stakeholder_counts-0-group": " "})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()


def test_control_characters_never_reach_a_spreadsheet(client, seed, editor_client):
    """An ESC typed into a name (found by the property test) is dropped on the
    way in, and text already holding one still downloads as XLSX."""
    meeting = Meeting.objects.get()
    response = change(editor_client, meeting, name_en="Regional\x1b Review")
    assert response.status_code == 302
    assert Meeting.objects.get().name_en == "Regional Review"
    Meeting.objects.update(name_en="Regional\x1b Review")
    for dataset in ("participation", "stakeholders", "timeline"):
        url = f"/en/snapshots/{seed.slug}/data/{dataset}.xlsx"
        assert client.get(url).status_code == 200
    export = reverse("admin:reviews_snapshot_workbook_export", args=[seed.pk])
    assert editor_client.get(export).status_code == 200


@pytest.mark.parametrize("field", ["snapshot", "group"])
def test_a_related_item_beyond_any_key_is_a_form_error(seed, editor_client, field):
    """A choice of 2⁶³ (found by the property test) is refused, not a 500."""
    count = StakeholderCount.objects.first()
    response = change(editor_client, count, **{field: str(2**63)})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()


@pytest.mark.parametrize("kind", CONTENT, ids=str)
def test_an_empty_to_field_parameter_opens_the_page(seed, editor_client, kind):
    """``?_to_field=`` (empty) names no field: the page opens, no 500."""
    obj = kind.of_snapshot(seed).first()
    opts = kind.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    assert editor_client.get(url + "?_to_field=").status_code == 200
