"""
Fields that django-modeltranslation stores once per language.

English and Spanish are both required wherever the field itself is required;
optional texts (a session, a description) may lack Spanish, and the public
pages then fall back to English.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Conclusion,
    Meeting,
    MeetingDay,
    ParticipationFigure,
    Person,
    RoundTable,
    Snapshot,
    StakeholderGroup,
    TimelineEvent,
    TimelineFigure,
)


class BilingualOptions(TranslationOptions):
    required_languages = ("en", "es")


@register(Snapshot)
class SnapshotTranslationOptions(BilingualOptions):
    fields = ("series", "title", "publisher", "licence_name")


@register(Meeting)
class MeetingTranslationOptions(BilingualOptions):
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


@register(Person)
class PersonTranslationOptions(BilingualOptions):
    fields = ("title", "organisation")


@register(Conclusion)
class ConclusionTranslationOptions(BilingualOptions):
    fields = ("text",)


@register(MeetingDay)
class MeetingDayTranslationOptions(BilingualOptions):
    fields = ("session",)


@register(RoundTable)
class RoundTableTranslationOptions(BilingualOptions):
    fields = ("title",)


@register(ParticipationFigure)
class ParticipationFigureTranslationOptions(BilingualOptions):
    fields = ("label",)


@register(TimelineEvent)
class TimelineEventTranslationOptions(BilingualOptions):
    fields = ("title", "date_prefix", "description")


@register(TimelineFigure)
class TimelineFigureTranslationOptions(BilingualOptions):
    fields = ("label",)


@register(StakeholderGroup)
class StakeholderGroupTranslationOptions(BilingualOptions):
    fields = ("name",)
