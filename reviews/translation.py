"""
Fields that django-modeltranslation stores once per language.

Each field is stored once per language of ``settings.LANGUAGES``. Wherever the
field itself is required, it is required in every language of
``settings.CONTENT_REQUIRED_LANGUAGES``; optional texts (a session, a
description) may lack a translation, and the public pages then fall back to
the default language.
"""

from django.conf import settings
from modeltranslation.translator import TranslationOptions, register

from reviews.models import (
    Conclusion,
    Meeting,
    MeetingDay,
    Organiser,
    ParticipationFigure,
    Person,
    RoundTable,
    Snapshot,
    StakeholderGroup,
    TimelineEvent,
    TimelineFigure,
)


class ContentOptions(TranslationOptions):
    required_languages = tuple(settings.CONTENT_REQUIRED_LANGUAGES)


@register(Snapshot)
class SnapshotTranslationOptions(ContentOptions):
    fields = ("series", "title", "publisher", "licence_name")


@register(Meeting)
class MeetingTranslationOptions(ContentOptions):
    fields = (
        "name",
        "organisers",
        "website",
        "overview",
        "next_step",
        "recordings_note",
        "recordings_link_text",
        "recordings_url",
    )


@register(Organiser)
class OrganiserTranslationOptions(ContentOptions):
    fields = ("name", "abbreviation", "capacity")


@register(Person)
class PersonTranslationOptions(ContentOptions):
    fields = ("title", "organisation")


@register(Conclusion)
class ConclusionTranslationOptions(ContentOptions):
    fields = ("text",)


@register(MeetingDay)
class MeetingDayTranslationOptions(ContentOptions):
    fields = ("session",)


@register(RoundTable)
class RoundTableTranslationOptions(ContentOptions):
    fields = ("title",)


@register(ParticipationFigure)
class ParticipationFigureTranslationOptions(ContentOptions):
    fields = ("label",)


@register(TimelineEvent)
class TimelineEventTranslationOptions(ContentOptions):
    fields = ("title", "date_prefix", "description")


@register(TimelineFigure)
class TimelineFigureTranslationOptions(ContentOptions):
    fields = ("label",)


@register(StakeholderGroup)
class StakeholderGroupTranslationOptions(ContentOptions):
    fields = ("name",)
