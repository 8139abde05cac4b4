"""
"Needs translation": a changelist filter of every translated kind of
content, by missing or stale texts, in one target language or in any.
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from reviews.editorial.admin.languages import LANGUAGE_NAMES
from reviews.languages import target_languages
from reviews.translations.status import MISSING, STALE, needing_work_in

#: Each choice's states, by the word its value ends with.
STATES = {
    MISSING: ((MISSING,), pgettext_lazy("translation state", "missing")),
    STALE: ((STALE,), pgettext_lazy("translation state", "stale")),
    "any": ((MISSING, STALE), pgettext_lazy("translation state", "missing or stale")),
}
#: The value's first word for every target language at once.
ANY_LANGUAGE = "any"


class NeedsTranslationFilter(admin.SimpleListFilter):
    title = _("needs translation")
    parameter_name = "translation"

    def languages(self):
        """Each choice of language: every target one, and all at once if several."""
        choices = [(code, LANGUAGE_NAMES[code]) for code in target_languages()]
        if len(choices) > 1:
            choices.append((ANY_LANGUAGE, _("Any language")))
        return choices

    def lookups(self, request, model_admin):
        return [
            (f"{code}-{state}", format_lazy("{}: {}", name, label))
            for code, name in self.languages()
            for state, (_states, label) in STATES.items()
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        code, _dash, state = value.rpartition("-")
        if code not in dict(self.languages()) or state not in STATES:
            raise IncorrectLookupParameters(value)
        languages = None if code == ANY_LANGUAGE else [code]
        states, _label = STATES[state]
        return queryset.filter(
            pk__in=needing_work_in(queryset.model, states, languages)
        )
