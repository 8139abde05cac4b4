"""
Where each translated text of a snapshot stands, per target language.

A text is *missing* when its source says something and the translation is
empty, *stale* when the source no longer says what it said when the
translation was saved or confirmed (its ``TranslationRecord``), and
*translated* otherwise. A text whose source is empty needs nothing.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from reviews.content import CONTENT
from reviews.languages import source_language, target_languages, translated_fields
from reviews.translations.models import TranslationRecord
from reviews.translations.parity import differences

TRANSLATED, MISSING, STALE = "translated", "missing", "stale"


@dataclass
class Text:
    """One translated text of one object in one target language."""

    kind: object
    obj: object
    field: str
    language: str
    source: str
    translation: str
    #: What the source said when the translation was saved; None: no record.
    source_then: str | None
    state: str

    @property
    def column(self):
        return build_localized_fieldname(self.field, self.language)

    @property
    def parity(self):
        """How its figures, links and emphasis differ from the source's."""
        if self.state == MISSING:
            return []
        return differences(
            self.source, self.translation, source_language(), self.language
        )


def state_of(source, translation, source_then, optional=False):
    if not (source or "").strip():
        return TRANSLATED
    if not (translation or "").strip():
        return TRANSLATED if optional else MISSING
    if source_then is not None and source_then != source:
        return STALE
    return TRANSLATED


def records_for(objects):
    """The records of these objects, by (model, pk, field, language), in one query."""
    wanted = Q(pk__in=[])
    for model, pks in objects.items():
        if pks:
            wanted |= Q(
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=[str(pk) for pk in pks],
            )
    found = {}
    for record in TranslationRecord.objects.filter(wanted).select_related(
        "content_type"
    ):
        key = (
            record.content_type.model_class(),
            record.object_id,
            record.field,
            record.language,
        )
        found[key] = record.source
    return found


def texts(snapshot, languages=None):
    """Every translated text of the snapshot, in content order, for each language."""
    languages = languages or target_languages()
    source = source_language()
    per_kind = []
    for kind in CONTENT:
        fields = translated_fields(kind.model)
        if fields:
            per_kind.append((kind, fields, list(kind.of_snapshot(snapshot))))
    records = records_for(
        {kind.model: [obj.pk for obj in objects] for kind, _f, objects in per_kind}
    )
    found = []
    for kind, fields, objects in per_kind:
        for obj in objects:
            for name in fields:
                source_text = getattr(obj, build_localized_fieldname(name, source))
                for language in languages:
                    translation = getattr(
                        obj, build_localized_fieldname(name, language)
                    )
                    then = records.get((kind.model, str(obj.pk), name, language))
                    found.append(
                        Text(
                            kind,
                            obj,
                            name,
                            language,
                            source_text or "",
                            translation or "",
                            then,
                            state_of(
                                source_text,
                                translation,
                                then,
                                optional=name in kind.translation_optional,
                            ),
                        )
                    )
    return found


def needing_work(snapshot, languages=None):
    """The texts a publication may not show: missing or stale."""
    return [text for text in texts(snapshot, languages) if text.state != TRANSLATED]


def confirm(obj, field, language, user):
    """
    Mark a translation as still correct for its source as the database has
    it now (not as ``obj`` may remember it).
    """
    column = build_localized_fieldname(field, source_language())
    stored = type(obj)._base_manager.filter(pk=obj.pk).values_list(column, flat=True)
    source = stored.first() or ""
    TranslationRecord.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        field=field,
        language=language,
        defaults={
            "source": source,
            "recorded_by": user,
            "recorded_at": timezone.now(),
            "confirmed": True,
        },
    )
