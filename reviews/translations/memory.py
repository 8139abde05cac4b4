"""
A translation memory made of the site's own translations.

Every text of every object (of every snapshot) whose translation into a
language is current (*translated*, ``status``) is a pair: what the source
says now, and what the translation says. A text being translated is offered
the translations of the pairs whose source says the same (score 100) or
nearly the same (a similarity score, with rapidfuzz), best first. A memory is
built once for a language, in a few queries whatever the content's size,
and then asked as often as needed.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from modeltranslation.utils import build_localized_fieldname
from rapidfuzz import fuzz, process

from reviews.content import CONTENT
from reviews.languages import source_language, translated_fields
from reviews.translations.models import TranslationRecord
from reviews.translations.status import TRANSLATED, state_of

#: Suggestions offered for one text, at most.
MOST_SUGGESTIONS = 3
#: Below this similarity (0–100) a source is too different to help.
LEAST_SCORE = 70
EXACT = 100


@dataclass(frozen=True)
class Pair:
    """A source text and its current translation, and where they are kept."""

    model: type
    pk: str
    field: str
    source: str
    translation: str


@dataclass(frozen=True)
class Suggestion:
    translation: str
    #: 100 for the same source, less the more the sources differ.
    score: int
    #: The source the suggested translation was made for.
    source: str

    @property
    def exact(self):
        return self.score == EXACT


class Memory:
    """The translated pairs of one target language, asked by source text."""

    def __init__(self, pairs):
        self.pairs = list(pairs)
        self.sources = [pair.source for pair in self.pairs]

    def suggestions(self, source, model, pk, field, most=MOST_SUGGESTIONS):
        """
        Translations of sources like ``source``, best first, one per distinct
        translation, without the pair of the text itself (``model``, ``pk``,
        ``field``).
        """
        if not source.strip():
            return []
        matches = process.extract(
            source,
            self.sources,
            scorer=fuzz.ratio,
            score_cutoff=LEAST_SCORE,
            limit=None,
        )
        found, seen = [], set()
        # Best first; among equal scores, in the content's order.
        for _source, score, index in sorted(matches, key=lambda m: (-m[1], m[2])):
            pair = self.pairs[index]
            if (pair.model, pair.pk, pair.field) == (model, str(pk), field):
                continue
            if pair.translation in seen:
                continue
            seen.add(pair.translation)
            exact = pair.source == source
            found.append(
                Suggestion(
                    pair.translation,
                    EXACT if exact else min(int(score), EXACT - 1),
                    pair.source,
                )
            )
            if len(found) == most:
                break
        return found


def memory_for(language):
    """
    The memory of ``language``: one query per kind of content with texts,
    and one for the translations' records.
    """
    source = source_language()
    records = {
        (record["content_type"], record["object_id"], record["field"]): record["source"]
        for record in TranslationRecord.objects.filter(language=language).values(
            "content_type", "object_id", "field", "source"
        )
    }
    pairs = []
    for kind in CONTENT:
        fields = translated_fields(kind.model)
        if not fields:
            continue
        content_type = ContentType.objects.get_for_model(kind.model).pk
        columns = {
            name: (
                build_localized_fieldname(name, source),
                build_localized_fieldname(name, language),
            )
            for name in fields
        }
        every_column = [column for both in columns.values() for column in both]
        rows = kind.model._base_manager.order_by("pk").values("pk", *every_column)
        for row in rows:
            pk = str(row["pk"])
            for name, (source_column, column) in columns.items():
                text, translation = row[source_column] or "", row[column] or ""
                then = records.get((content_type, pk, name))
                current = state_of(text, translation, then) == TRANSLATED
                if text.strip() and translation.strip() and current:
                    pairs.append(Pair(kind.model, pk, name, text, translation))
    return Memory(pairs)
