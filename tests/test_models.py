"""The rules of the content hold in the database and speak to editors clearly."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from reviews.models import (
    MeetingDay,
    ParticipationFigure,
    RoundTable,
    StakeholderCount,
    TimelineEvent,
    TimelineFigure,
)

pytestmark = pytest.mark.django_db

NEGATIVE = "A count cannot be negative."
END_BEFORE_START = "The end date cannot be before the start date."


def messages_of(obj, language="en"):
    """All validation messages full_clean() gives, in the given language."""
    with translation.override(language):
        with pytest.raises(ValidationError) as error:
            obj.full_clean()
        return [str(message) for message in error.value.messages]


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (StakeholderCount, "count"),
        (ParticipationFigure, "count"),
        (TimelineFigure, "value"),
    ],
)
def test_database_refuses_negative_counts(seed, model, field):
    """Even a write that skips validation cannot store a negative figure."""
    row = model.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field: -1})


@pytest.mark.parametrize("model", [TimelineEvent])
def test_database_refuses_end_before_start(seed, model):
    """An end date before its start cannot be stored, whoever writes it."""
    row = model.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(end_date=date(2000, 1, 1))


def test_meeting_end_before_start_is_refused_in_database(seed):
    """The meeting's own dates are checked by the database too."""
    with pytest.raises(IntegrityError), transaction.atomic():
        type(seed.meeting).objects.update(end_date=date(2021, 4, 1))


def test_negative_count_message(seed):
    """An editor typing -5 is told that a count cannot be negative."""
    count = StakeholderCount.objects.first()
    count.count = -5
    assert NEGATIVE in messages_of(count)
    assert "Una cifra no puede ser negativa." in messages_of(count, "es")


def test_end_before_start_message(seed):
    """An editor who swaps the dates is told which one is wrong, in her language."""
    event = TimelineEvent.objects.first()
    event.end_date = date(2020, 9, 1)
    assert END_BEFORE_START in messages_of(event)
    assert (
        "La fecha de término no puede ser anterior a la fecha de inicio."
        in messages_of(event, "es")
    )
    meeting = seed.meeting
    meeting.end_date = date(2021, 4, 25)
    assert END_BEFORE_START in messages_of(meeting)


def test_day_outside_the_meeting_is_refused(seed):
    """A round table cannot be put on a day the meeting does not cover."""
    day = MeetingDay(meeting=seed.meeting, date=date(2021, 4, 30))
    [message] = messages_of(day)
    assert "is outside the meeting" in message
    [message_es] = messages_of(day, "es")
    assert "queda fuera de la reunión" in message_es


def test_round_table_area_must_be_one_to_five(seed):
    """Area 6 does not exist in the Global Compact's review."""
    table = RoundTable(
        day=MeetingDay.objects.last(), area=6, title_en="x", title_es="y"
    )
    assert "The area must be a number from 1 to 5." in messages_of(table)


def test_missing_spanish_text_is_refused_where_required(seed):
    """A round table without its Spanish title cannot be saved by an editor."""
    table = RoundTable(day=MeetingDay.objects.last(), area=5, title_en="Inclusion")
    table.day.round_tables.all().delete()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        table.full_clean()
    assert set(error.value.message_dict) == {"title_es"}


def test_optional_spanish_text_may_be_missing(seed):
    """Optional texts (a day's session) may exist in English only."""
    day = MeetingDay.objects.get(date=date(2021, 4, 26))
    day.session_es = ""
    day.full_clean()
    with translation.override("es"):
        assert day.session == day.session_en


def test_single_day_event_cannot_span_days(seed):
    """An event marked as one day must start and end on the same date."""
    event = TimelineEvent.objects.get(precision="day", start_date=date(2021, 3, 25))
    event.end_date = date(2021, 3, 27)
    assert any("must end on the day it starts" in m for m in messages_of(event))


def test_participation_day_must_belong_to_the_meeting(seed):
    """A figure cannot point at another meeting's day."""
    from reviews.models import Meeting, Snapshot

    other = Snapshot.objects.create(
        series_en="S", series_es="S", number=2, title_en="T", title_es="T", slug="other"
    )
    other_meeting = Meeting.objects.create(
        snapshot=other,
        start_date=date(2022, 1, 1),
        end_date=date(2022, 1, 2),
        member_states=1,
        associate_members=0,
        next_step_year=2023,
    )
    foreign_day = MeetingDay.objects.create(
        meeting=other_meeting, date=date(2022, 1, 1)
    )
    figure = ParticipationFigure.objects.first()
    figure.day = foreign_day
    assert "This day belongs to another meeting." in messages_of(figure)
    assert Meeting.objects.count() == 2


def test_duplicate_stakeholder_group_in_a_snapshot_is_refused(seed):
    """Counting the same group twice would inflate the total."""
    first = StakeholderCount.objects.first()
    duplicate = StakeholderCount(snapshot=seed, group=first.group, count=1, order=99)
    assert "This snapshot already counts this stakeholder group." in messages_of(
        duplicate
    )


def test_total_is_computed_from_the_groups(seed):
    """Changing a group's count changes the total; nobody types the total."""
    StakeholderCount.objects.filter(group__slug="others").update(count=171)
    assert seed.registered_total == 983


def test_headline_that_disagrees_with_the_total_is_reported(seed):
    """ "More than 980" is flagged once the groups add up to 980 or less."""
    StakeholderCount.objects.filter(group__slug="others").update(count=160)
    assert seed.registered_total == 972
    [mismatch] = seed.registration_headline_mismatches()
    assert mismatch.value == 980


def test_html_in_long_texts_is_refused(seed):
    """Raw HTML is refused with a pointer to the Markdown an editor can use."""
    conclusion = seed.conclusions.first()
    conclusion.text_es = "Texto con <b>negrita</b>"
    [message] = messages_of(conclusion)
    assert "HTML tags are not allowed" in message
    conclusion.text_es = "Texto con **negrita** y <https://pactomigracion.cepal.org/es>"
    conclusion.full_clean()


def test_every_model_names_itself_readably(seed):
    """Admin lists and messages show a readable name for every object."""
    from django.apps import apps

    for model in apps.get_app_config("reviews").get_models():
        obj = model.objects.first()
        assert obj is not None, model
        assert str(obj).strip(), model
        assert "object (" not in str(obj), model


def test_meeting_cannot_move_away_from_its_days(seed):
    """Shortening the meeting would leave 28 April's round tables outside it."""
    meeting = seed.meeting
    meeting.end_date = date(2021, 4, 27)
    [message] = messages_of(meeting)
    assert "2021-04-28" in message
    assert "would fall outside its new dates" in message


def test_snapshot_full_title_is_in_the_active_language(seed):
    """Series, number and title read together, as citations and lists show them."""
    assert (
        seed.full_title
        == "Key milestones and progress #1 – A snapshot of the Regional Review"
    )
    with translation.override("es"):
        assert seed.full_title == (
            "Hitos clave y avances #1 – Una instantánea de la Revisión Regional"
        )
        assert str(seed) == seed.full_title
