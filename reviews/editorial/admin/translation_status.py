"""
A snapshot's translations at a glance: per kind of content (in the content
map's order) and target language, how many texts are translated, missing,
stale, or differ from their source in figures, links or emphasis; each
count opens the list of those texts on the same page, each linked to its
field, a stale one with "Still correct".
"""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from reviews.editorial.admin.publishing import field_url, page, snapshot_or_404
from reviews.editorial.admin.still_correct import may_confirm, offer
from reviews.languages import source_language, target_languages
from reviews.translations.parity import marked
from reviews.translations.status import MISSING, STALE, TRANSLATED, texts

PARITY = "parity"
#: The columns of the summary, each a list of texts of its own.
COLUMNS = {
    TRANSLATED: _("Translated"),
    MISSING: _("Missing"),
    STALE: _("Stale"),
    PARITY: _("Parity differences"),
}


def is_in(text, column):
    return bool(text.parity) if column == PARITY else text.state == column


def summary(found, here):
    """One row per kind and language that has texts: each column's count and list."""
    rows = {}
    for text in found:
        rows.setdefault((text.kind, text.language), []).append(text)
    names = dict(settings.LANGUAGES)
    return [
        {
            "kind": kind.model._meta.verbose_name_plural,
            "language": names[language],
            "counts": [
                {
                    "label": label,
                    "count": sum(is_in(text, column) for text in group),
                    "url": here
                    + "?"
                    + urlencode(
                        {"kind": kind.sheet, "language": language, "state": column}
                    ),
                }
                for column, label in COLUMNS.items()
            ],
        }
        for (kind, language), group in rows.items()
    ]


def listed(request, found, kind, language, column):
    """The texts of one count, as its table shows them."""
    return [
        {
            "text": text,
            "field": text.obj._meta.get_field(text.field).verbose_name,
            "url": field_url(text.obj, text.column),
            "source": marked(text.source, source_language(), text.parity, "source"),
            "translation": marked(
                text.translation, text.language, text.parity, "translation"
            ),
            "differences": text.parity,
            "confirm": text.state == STALE
            and may_confirm(request.user, text)
            and {**offer(text), "next": request.get_full_path()},
        }
        for text in found
        if text.kind.sheet == kind and text.language == language and is_in(text, column)
    ]


def translation_status_view(admin):
    # Its "Still correct" forms post to each object's own address.
    @require_safe
    def view(request, object_id):
        snapshot = snapshot_or_404(admin, request, object_id)
        found = texts(snapshot)
        chosen = [request.GET.get(name) for name in ("kind", "language", "state")]
        kinds = {text.kind.sheet: text.kind for text in found}
        rows = None
        if any(chosen):
            kind, language, column = chosen
            if (
                kind not in kinds
                or language not in target_languages()
                or column not in COLUMNS
            ):
                return HttpResponseBadRequest(
                    gettext("Choose a count of the table to list its texts."),
                    content_type="text/plain; charset=utf-8",
                )
            rows = listed(request, found, kind, language, column)
            chosen = {
                "kind": kinds[kind].model._meta.verbose_name_plural,
                "language": dict(settings.LANGUAGES)[language],
                "state": COLUMNS[column],
            }
        return page(
            admin,
            request,
            snapshot,
            "translations.html",
            _("Translations of %(snapshot)s") % {"snapshot": snapshot},
            summary=summary(found, request.path),
            rows=rows,
            chosen=chosen,
            columns=COLUMNS.values(),
            source_language=source_language(),
        )

    return view
