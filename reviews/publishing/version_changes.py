"""
What changed from one publication of a snapshot to the next, as a reader of
one language sees it: each item added or removed, and each field whose
value changed, in content order. Texts compare in the reader's language
only; what an editor changed behind the page (a slug, a timestamp, a
position that moved nothing) is left out.
"""

from dataclasses import dataclass

from django.template.defaultfilters import yesno
from django.utils.formats import localize, number_format
from django.utils.text import Truncator, capfirst
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

from reviews.content import CONTENT
from reviews.languages import source_language, target_languages, translated_fields
from reviews.markup import marked_words
from reviews.publishing.content import stored_fields, wired_objects

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
#: Columns that record how the content was kept, not what it says.
BOOKKEEPING = {"slug", "created_at", "updated_at", "order"}


@dataclass
class Change:
    action: str
    kind: str
    item: str
    field: str = ""
    #: The old and new values, escaped, the words that differ marked.
    old: str = ""
    new: str = ""


def shown_fields(model, language):
    """(field, label) of the columns a reader of ``language`` reads."""
    other_languages = {
        build_localized_fieldname(name, code)
        for name in translated_fields(model)
        for code in (source_language(), *target_languages())
        if code != language
    }
    for field in stored_fields(model):
        if field.primary_key or field.is_relation or field.attname in other_languages:
            continue
        if field.name in BOOKKEEPING:
            continue
        # A language's column is labelled as its text ("Text", not "Text [en]").
        yield field, capfirst(getattr(field, "translated_field", field).verbose_name)


def value_of(field, obj):
    """A value as the reader's page writes it: counts grouped, switches yes/no."""
    value = getattr(obj, field.attname)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if value is None:
        return ""
    if isinstance(value, bool):
        return yesno(value)
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    return str(localize(value))


def named(obj):
    """An item as a list of changes names it: its own words, briefly."""
    return Truncator(str(obj)).words(8)


def changes_between(earlier, later, language=None):
    """The changes from ``earlier`` to ``later``, for readers of ``language``."""
    language = language or get_language()
    before, after = wired_objects(earlier.content), wired_objects(later.content)
    found = []
    for kind in CONTENT:
        name = capfirst(kind.model._meta.verbose_name)
        old, new = before.get(kind.model, {}), after.get(kind.model, {})
        for pk, obj in new.items():
            if pk not in old:
                found.append(Change(ADDED, name, named(obj)))
                continue
            for field, label in shown_fields(kind.model, language):
                was, now = value_of(field, old[pk]), value_of(field, obj)
                if was != now:
                    was_marked, now_marked = marked_words(was, now)
                    found.append(
                        Change(CHANGED, name, named(obj), label, was_marked, now_marked)
                    )
        found += [
            Change(REMOVED, name, named(obj))
            for pk, obj in old.items()
            if pk not in new
        ]
    return found
