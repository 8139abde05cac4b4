"""
What a working copy still lacks before it can be published.

A draft may leave empty what its meeting does not know yet (the content
map's ``required_to_publish``: the recordings link, the next step, the
counts of States…); a publication may not. Translated texts are needed in
every language of ``CONTENT_REQUIRED_LANGUAGES``.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from reviews.content import CONTENT
from reviews.languages import translated_fields


@dataclass(frozen=True)
class Gap:
    """An empty field a publication needs: which object, field and language."""

    obj: object
    #: The form field's name (``overview_es``), as the admin names it.
    field_name: str
    label: str
    language: str = ""

    def __str__(self):
        return f"{self.obj._meta.verbose_name.capitalize()} “{self.obj}” – {self.label}"


def empty(value):
    return value is None or (isinstance(value, str) and not value.strip())


def gaps(snapshot):
    """Every field the content map requires to publish that is empty, in map order."""
    found = []
    for kind in CONTENT:
        if not kind.required_to_publish:
            continue
        translated = set(translated_fields(kind.model))
        for obj in kind.of_snapshot(snapshot).order_by("pk"):
            for name in kind.required_to_publish:
                field = kind.model._meta.get_field(name)
                if name not in translated:
                    if empty(getattr(obj, field.attname)):
                        found.append(Gap(obj, name, capfirst(field.verbose_name)))
                    continue
                for code in settings.CONTENT_REQUIRED_LANGUAGES:
                    column = build_localized_fieldname(name, code)
                    if empty(getattr(obj, column)):
                        label = _("%(field)s (%(language)s)") % {
                            "field": capfirst(field.verbose_name),
                            "language": dict(settings.LANGUAGES)[code],
                        }
                        found.append(Gap(obj, column, str(label), code))
    return found
