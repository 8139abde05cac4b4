"""
Whether a translation states what its source states: the same numbers
(read as each language writes them: 1,000 / 1.000 / 1 000, 28 %, 2021), the
same links (by the site they lead to: a Spanish page may link the Spanish
version of an English page's address) and the same emphasis (``**bold**``
spans and list items of the Markdown subset).
"""

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.formats import get_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

#: Digits in groups of three after any language's grouping separator (a
#: space too), a decimal part, and a percent sign after an optional space.
NUMBER = re.compile(
    r"(?<![\w.,])\d+(?:[.,\u00a0\u202f ]\d{3}(?!\d))*(?:[.,]\d+)?(?:\s?%)?"
)
LINK = re.compile(r"\[[^\]]*\]\((https?://[^)\s]+)\)|<(https?://[^>\s]+)>")
BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
LIST_ITEM = re.compile(r"^\s*- ", re.MULTILINE)
SPACES = "\u00a0\u202f "


@dataclass(frozen=True)
class Difference:
    """One thing source and translation disagree on, with the tokens of each."""

    what: str
    source_tokens: tuple[str, ...]
    translation_tokens: tuple[str, ...]

    def __str__(self):
        return str(LABELS[self.what])


LABELS = {
    "numbers": _("Numbers"),
    "links": _("Links"),
    "bold": _("Bold spans"),
    "list_items": _("List items"),
}


def value_of(token, language):
    """A number as the language writes it, as (value, is a percentage)."""
    percent = token.rstrip().endswith("%")
    digits = token.rstrip("% ").strip()
    for space in SPACES:
        digits = digits.replace(space, "")
    decimal = get_format("DECIMAL_SEPARATOR", language)
    grouping = get_format("THOUSAND_SEPARATOR", language)
    whole, _sep, fraction = (
        digits.rpartition(decimal)
        if decimal in digits
        else (
            digits,
            "",
            "",
        )
    )
    whole = whole.replace(grouping, "").replace(decimal, "")
    # Any other separator left groups digits too (1,000 in a Spanish text).
    whole = re.sub(r"[.,]", "", whole)
    value = f"{int(whole)}" if whole else "0"
    if fraction.strip("0"):
        value += "." + fraction.rstrip("0")
    return value, percent


def numbers(text, language):
    return Counter(value_of(token, language) for token in NUMBER.findall(text))


def shown(value):
    number, percent = value
    return f"{number}%" if percent else number


def link_sites(text):
    return Counter(
        urlsplit(first or second).hostname or "" for first, second in LINK.findall(text)
    )


def differences(source, translation, source_language, language):
    """What the translation states otherwise than its source; empty when nothing."""
    found = []
    before, after = numbers(source, source_language), numbers(translation, language)
    if before != after:
        found.append(
            Difference(
                "numbers",
                tuple(shown(value) for value in sorted((before - after).elements())),
                tuple(shown(value) for value in sorted((after - before).elements())),
            )
        )
    before, after = link_sites(source), link_sites(translation)
    if before != after:
        found.append(
            Difference(
                "links",
                tuple(sorted((before - after).elements())),
                tuple(sorted((after - before).elements())),
            )
        )
    for what, pattern in (("bold", BOLD), ("list_items", LIST_ITEM)):
        before, after = pattern.findall(source), pattern.findall(translation)
        if len(before) != len(after):
            found.append(
                Difference(
                    what,
                    tuple(str(item).strip() for item in before),
                    tuple(str(item).strip() for item in after),
                )
            )
    return found


def marked(text, language, found, side):
    """
    ``text`` as HTML, escaped, with the tokens ``found`` (differences) names
    on this ``side`` ("source" or "translation") in ``<mark>``.
    """
    wanted = {
        difference.what: set(getattr(difference, f"{side}_tokens"))
        for difference in found
    }
    spans = []
    if "numbers" in wanted:
        spans += [
            match.span()
            for match in NUMBER.finditer(text)
            if shown(value_of(match.group(), language)) in wanted["numbers"]
        ]
    if "links" in wanted:
        spans += [
            match.span()
            for match in LINK.finditer(text)
            if (urlsplit(match.group(1) or match.group(2)).hostname or "")
            in wanted["links"]
        ]
    for what, pattern in (("bold", BOLD), ("list_items", LIST_ITEM)):
        if what in wanted:
            spans += [match.span() for match in pattern.finditer(text)]
    pieces, at = [], 0
    for start, end in sorted(spans):
        if start < at:
            continue
        pieces.append(escape(text[at:start]))
        pieces.append(format_html("<mark>{}</mark>", text[start:end]))
        at = end
    pieces.append(escape(text[at:]))
    # Every piece was escaped as it was added.
    return mark_safe("".join(pieces))
