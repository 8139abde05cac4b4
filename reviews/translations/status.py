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

from reviews.content import CONTENT, kind_of
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


def texts_of(kind, objects, records, languages):
    """The translated texts of ``objects`` of one kind, given their records."""
    source = source_language()
    found = []
    for obj in objects:
        for name in translated_fields(kind.model):
            source_text = getattr(obj, build_localized_fieldname(name, source))
            for language in languages:
                translation = getattr(obj, build_localized_fieldname(name, language))
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


def texts(snapshot, languages=None):
    """Every translated text of the snapshot, in content order, for each language."""
    languages = languages or target_languages()
    per_kind = [
        (kind, list(kind.of_snapshot(snapshot)))
        for kind in CONTENT
        if translated_fields(kind.model)
    ]
    records = records_for(
        {kind.model: [obj.pk for obj in objects] for kind, objects in per_kind}
    )
    found = []
    for kind, objects in per_kind:
        found += texts_of(kind, objects, records, languages)
    return found


def texts_of_objects(objects, languages=None):
    """
    The translated texts of these objects (of any kinds of content), their
    records read in one query: what a page holding them all shows.
    """
    languages = languages or target_languages()
    objects = [obj for obj in objects if obj.pk is not None]
    by_model = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj.pk)
    records = records_for(by_model)
    found = []
    for obj in objects:
        found += texts_of(kind_of(obj), [obj], records, languages)
    return found


def needing_work_in(model, states=(MISSING, STALE), languages=None):
    """
    The primary keys of ``model``'s objects with a text in one of ``states``
    in one of ``languages`` (every target language by default): two queries,
    the texts' columns and the model's records.
    """
    languages = languages or target_languages()
    kind = kind_of(model)
    fields = translated_fields(model)
    columns = [
        build_localized_fieldname(name, language)
        for name in fields
        for language in [source_language(), *languages]
    ]
    rows = model._base_manager.values("pk", *columns)
    content_type = ContentType.objects.get_for_model(model)
    records = {
        (record["object_id"], record["field"], record["language"]): record["source"]
        for record in TranslationRecord.objects.filter(
            content_type=content_type, language__in=languages
        ).values("object_id", "field", "language", "source")
    }
    source = source_language()
    return {
        row["pk"]
        for row in rows
        for name in fields
        for language in languages
        if state_of(
            row[build_localized_fieldname(name, source)],
            row[build_localized_fieldname(name, language)],
            records.get((str(row["pk"]), name, language)),
            optional=name in kind.translation_optional,
        )
        in states
    }


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
