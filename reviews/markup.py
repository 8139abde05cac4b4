"""
The small, safe markup editors write long texts in.

Texts are stored as a Markdown subset (paragraphs, **bold**, *italic*, lists,
links and ``<https://…>`` autolinks) so that the Spanish emphasis of the source
documents survives as content. Raw HTML is never stored: the validator refuses
it with a message an editor understands, the parser escapes it, and the output
goes through nh3's allow-list as a last line of defence.
"""

import difflib
import re

import nh3
from django.core.exceptions import ValidationError
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "strong", "em", "ul", "ol", "li", "a", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# A tag looks like "<b>", "</p>" or "<!--"; an autolink such as
# "<https://example.org>" is Markdown and stays allowed.
HTML_TAG = re.compile(r"<(?!(?:https?|mailto):)[/!?]?[a-zA-Z][^>]*>|<!--")

_parser = (
    MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    .enable(["emphasis", "list", "link", "autolink", "newline", "escape"])
    .enable(["paragraph", "backticks"])
)


def validate_markup(value):
    """Refuse raw HTML, pointing the editor to the Markdown equivalent."""
    if value and HTML_TAG.search(value):
        raise ValidationError(
            _(
                "HTML tags are not allowed. Write **bold** for emphasis, "
                "[text](https://…) for links and start lines with '- ' for lists."
            ),
            code="html_not_allowed",
        )


# A link whose text is its own address, as sanitised HTML writes it.
SELF_NAMED_LINK = re.compile(r'<a href="([^"]*)" rel="noopener">\1</a>')


def render_markup(value):
    """Render stored markup to sanitised HTML, safe to put in a template."""
    if not value:
        return ""
    html = _parser.render(value)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener",
    ).strip()
    # Print spells out a link's address after it, unless it is the link's
    # text already (class "url"); the class is added to sanitised HTML.
    marked = SELF_NAMED_LINK.sub(
        r'<a class="url" href="\1" rel="noopener">\1</a>', clean
    )
    return mark_safe(marked)  # nh3 has just sanitised it


def render_inline_markup(value):
    """Render markup for a one-paragraph place (a list item, a table cell)."""
    html = render_markup(value)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = mark_safe(html[3:-4])  # still the sanitised output
    return html


# Invisible, and refused by spreadsheets: everything below a space but tabs
# and line breaks.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def tidy(value):
    """
    Text as it is stored, whoever typed it where: line breaks as ``\\n``
    (browsers send text areas with ``\\r\\n``), no control characters, no
    surrounding whitespace, and whitespace alone taken for no text. The admin
    and every import apply it, so an unchanged round trip compares equal.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARACTERS.sub("", value).strip()


def marked_words(old, new):
    """
    ``old`` and ``new`` as HTML, escaped, with the words that differ marked
    (``<del>`` in the old text, ``<ins>`` in the new one).
    """
    before, after = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    old_html, new_html = [], []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        removed, added = "".join(before[a1:a2]), "".join(after[b1:b2])
        if op == "equal":
            old_html.append(escape(removed))
            new_html.append(escape(added))
            continue
        if removed:
            old_html.append(format_html("<del>{}</del>", removed))
        if added:
            new_html.append(format_html("<ins>{}</ins>", added))
    # Every piece was escaped above, as it was added.
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))
