"""
Keeping ``TranslationRecord`` true on every save of translated content.

Before a save, the text's columns as the database has them are read; after
it, for each translated field and target language:

- a translation saved with a new value (and not empty) was made from the
  source as it is now: its record says so;
- a source changed under a translation that has no record yet (content
  loaded before records existed) leaves one saying what the source was, so
  the translation shows as stale;
- otherwise nothing changes: a source changed under a recorded translation
  makes it stale by itself.

Raw saves count (a restored version, a fixture). ``QuerySet.update()`` sends
no signal, as for every other record of this site; the site never uses it on
texts.
"""

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save, pre_save
from modeltranslation.utils import build_localized_fieldname

from reviews.content import CONTENT
from reviews.languages import source_language, target_languages, translated_fields
from reviews.translations.models import TranslationRecord


def columns(model):
    """Every language column of the model's translated fields."""
    languages = [source_language(), *target_languages()]
    return [
        build_localized_fieldname(name, code)
        for name in translated_fields(model)
        for code in languages
    ]


def _before_save(sender, instance, **kwargs):
    stored = None
    if instance.pk is not None:
        stored = (
            sender._base_manager.filter(pk=instance.pk).values(*columns(sender)).first()
        )
    instance._texts_before = stored or {}


def _after_save(sender, instance, created, **kwargs):
    before = instance.__dict__.pop("_texts_before", {})
    source = source_language()
    user = reversion.get_user() if reversion.is_active() else None
    content_type = ContentType.objects.get_for_model(sender)
    for name in translated_fields(sender):
        source_column = build_localized_fieldname(name, source)
        source_now = getattr(instance, source_column) or ""
        source_then = before.get(source_column) or ""
        for language in target_languages():
            column = build_localized_fieldname(name, language)
            target = getattr(instance, column) or ""
            key = {
                "content_type": content_type,
                "object_id": str(instance.pk),
                "field": name,
                "language": language,
            }
            if target.strip() and target != (before.get(column) or ""):
                TranslationRecord.objects.update_or_create(
                    **key,
                    defaults={
                        "source": source_now,
                        "recorded_by": user,
                        "confirmed": False,
                    },
                )
            elif target.strip() and source_now != source_then and not created:
                TranslationRecord.objects.get_or_create(
                    **key, defaults={"source": source_then, "recorded_by": user}
                )


def connect_signals():
    for kind in CONTENT:
        if not translated_fields(kind.model):
            continue
        uid = f"reviews.translations.{kind.sheet}"
        pre_save.connect(_before_save, sender=kind.model, dispatch_uid=uid)
        post_save.connect(_after_save, sender=kind.model, dispatch_uid=uid)
