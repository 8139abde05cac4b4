"""The seed fixture holds every figure and date of the source documents as data."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from reviews.models import (
    Meeting,
    MeetingDay,
    ParticipationFigure,
    Person,
    RoundTable,
    StakeholderCount,
    TimelineEvent,
    TimelineFigure,
)

SEEDS = Path(__file__).parent / "seeds"
INTEGER_TYPES = (models.IntegerField, models.PositiveIntegerField)

pytestmark = pytest.mark.django_db


def integer_field(model, name):
    field = model._meta.get_field(name)
    assert isinstance(field, INTEGER_TYPES), (
        f"{model.__name__}.{name} is not an integer"
    )
    return field


def date_field(model, name):
    field = model._meta.get_field(name)
    assert type(field) is models.DateField, f"{model.__name__}.{name} is not a date"
    return field


def test_meeting_dates_and_states_are_dates_and_integers(seed):
    """26–28 April 2021, 29 member States and 3 associate members are data."""
    meeting = seed.meeting
    date_field(Meeting, "start_date")
    date_field(Meeting, "end_date")
    integer_field(Meeting, "member_states")
    integer_field(Meeting, "associate_members")
    integer_field(Meeting, "next_step_year")
    assert (meeting.start_date, meeting.end_date) == (
        date(2021, 4, 26),
        date(2021, 4, 28),
    )
    assert (meeting.member_states, meeting.associate_members) == (29, 3)
    assert meeting.next_step_year == 2022


def test_each_day_and_round_table_is_on_its_date(seed):
    """The three days are dates; areas 1–3 fall on 27 April and 4–5 on 28 April."""
    date_field(MeetingDay, "date")
    integer_field(RoundTable, "area")
    days = MeetingDay.objects.filter(meeting=seed.meeting)
    assert [day.date for day in days] == [date(2021, 4, d) for d in (26, 27, 28)]
    tables = {table.area: table.date for table in RoundTable.objects.all()}
    assert tables == {
        1: date(2021, 4, 27),
        2: date(2021, 4, 27),
        3: date(2021, 4, 27),
        4: date(2021, 4, 28),
        5: date(2021, 4, 28),
    }


def test_participation_is_counted_per_channel_and_day(seed):
    """Zoom 691, 608 and 468 per day and YouTube 782 for the whole meeting."""
    integer_field(ParticipationFigure, "count")
    figures = {
        (figure.channel, figure.day.date if figure.day else None): figure.count
        for figure in ParticipationFigure.objects.select_related("day")
    }
    assert figures == {
        ("zoom", date(2021, 4, 26)): 691,
        ("zoom", date(2021, 4, 27)): 608,
        ("zoom", date(2021, 4, 28)): 468,
        ("youtube", None): 782,
    }


def test_timeline_events_have_dates_and_figures(seed):
    """Each preparation step has its dates, precision and figures as numbers."""
    date_field(TimelineEvent, "start_date")
    date_field(TimelineEvent, "end_date")
    integer_field(TimelineFigure, "value")
    events = TimelineEvent.objects.prefetch_related("figures")
    assert [(e.start_date, e.end_date, e.precision) for e in events] == [
        (date(2020, 10, 1), date(2021, 1, 31), "months"),
        (date(2021, 3, 25), date(2021, 3, 25), "day"),
        (date(2021, 4, 12), date(2021, 4, 12), "day"),
        (date(2021, 4, 13), date(2021, 4, 15), "days"),
        (date(2021, 4, 26), date(2021, 4, 28), "days"),
    ]
    assert [[f.value for f in e.figures.all()] for e in events] == [
        [6, 750],
        [200, 57, 21],
        [47, 11, 20],
        [200],
        [980],
    ]
    headline = events[4].figures.get()
    assert headline.qualifier == TimelineFigure.Qualifier.MORE_THAN
    assert headline.summarises_registrations


def test_stakeholder_groups_total_982(seed):
    """Twelve groups, in the documents' order, add up to 982 registered."""
    integer_field(StakeholderCount, "count")
    counts = [
        (count.group.slug, count.count)
        for count in StakeholderCount.objects.select_related("group")
    ]
    assert counts == [
        ("governments", 228),
        ("agencies-funds-and-programs", 192),
        ("national-human-rights-institutions", 19),
        ("parliamentarians", 13),
        ("diasporas", 93),
        ("civil-society-organizations", 137),
        ("workers-organizations", 12),
        ("academia", 82),
        ("authorities-and-local-communities", 16),
        ("regional-processes-and-platforms", 10),
        ("international-cooperation", 10),
        ("others", 170),
    ]
    assert seed.registered_total == 982
    assert seed.registration_headline_mismatches() == []


def stored_numbers():
    """Every integer and every day, month and year of a date stored in the app."""
    numbers = set()
    for model in apps.get_app_config("reviews").get_models():
        for field in model._meta.concrete_fields:
            if field.primary_key or field.name == "order" or field.is_relation:
                continue
            for value in model.objects.values_list(field.attname, flat=True):
                if isinstance(field, INTEGER_TYPES) and value is not None:
                    numbers.add(value)
                elif isinstance(value, date):
                    numbers.update({value.day, value.year})
    return numbers


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_number_in_the_source_document_is_stored_as_data(seed, language):
    """No figure of a seed document lives only inside prose."""
    text = (SEEDS / f"{language}.txt").read_text()
    # "COVID-19" names a disease and the link target holds no number.
    text = text.replace("COVID-19", "COVID")
    numbers = {int(token) for token in re.findall(r"\d+", text)}
    assert numbers, "the seed document should contain figures"
    assert numbers - stored_numbers() == set()


def test_people_keep_their_accents_in_both_languages(seed):
    """Names are stored once, with their accents (Pérez, Bárcena, Valdés)."""
    names = list(Person.objects.values_list("name", flat=True))
    assert names == [
        "Alicia Bárcena",
        "António Vitorino",
        "Felipe González",
        "Nancy Pérez",
        "Berenice Valdés",
    ]
    opened = Person.objects.filter(role=Person.Role.OPENED).first()
    with translation.override("es"):
        assert opened.title == "Secretaria Ejecutiva"
    assert opened.title == "Executive Secretary"


def test_spanish_conclusions_keep_their_bold_emphasis(seed):
    """The emphasis of the Spanish document is stored as **bold** markup."""
    with translation.override("es"):
        first = seed.conclusions.first().text
    assert "**Pacto Mundial**" in first
    assert "**" not in seed.conclusions.first().text_en


def test_every_translated_text_exists_in_both_languages(seed):
    """Each required text of the seed has an English and a Spanish version."""
    from modeltranslation.translator import translator

    for model in translator.get_registered_models():
        options = translator.get_options_for_model(model)
        for name in options.fields:
            if model._meta.get_field(name).blank:
                continue
            for obj in model.objects.all():
                assert getattr(obj, f"{name}_en"), f"{obj!r}.{name}_en is empty"
                assert getattr(obj, f"{name}_es"), f"{obj!r}.{name}_es is empty"
