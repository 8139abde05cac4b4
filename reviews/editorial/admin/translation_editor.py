"""
The translation editor: every text of a snapshot in one target language,
its source beside it, on one page saved at once.

Each text shows its state (translated, missing, stale), what its source said
when it was translated and what it says now, how it differs from its source
in figures, links and emphasis, and the translations the site's own memory
suggests (``reviews.translations.memory``). One POST saves every text
changed as one revision, and marks the stale texts ticked "still correct";
like every content form of the admin (``forms.ContentForm``), the page is
signed with the texts it was opened with, and a save is refused whole when
someone changed one of them since.

Editors open it for every target language; translators for the languages
they translate (``reviews.translations.rights``), and the editor writes
nothing but that language's texts.
"""

from dataclasses import dataclass, field
from functools import cached_property

import reversion
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname
from reversion.models import Version

from reviews.content import CONTENT
from reviews.editorial.admin.forms import (
    SALT,
    as_text,
    deletion_of,
    describe_deletion,
    editor_name,
)
from reviews.editorial.admin.history import marked_words
from reviews.languages import source_language, target_languages, translated_fields
from reviews.markup import tidy
from reviews.translations.memory import memory_for
from reviews.translations.parity import marked
from reviews.translations.rights import writable_columns
from reviews.translations.status import MISSING, STALE, TRANSLATED, confirm, texts

#: The POST field naming the stale texts ticked "still correct".
CONFIRM = "still_correct"
OPENED_WITH = "opened_with"

STATES = {
    TRANSLATED: pgettext_lazy("translation state", "translated"),
    MISSING: pgettext_lazy("translation state", "missing"),
    STALE: pgettext_lazy("translation state", "stale"),
}

#: The filters of the list, each with its label and the texts it keeps.
FILTERS = {
    "all": (_("All"), lambda row: True),
    "missing": (_("Missing"), lambda row: row.text.state == MISSING),
    "stale": (_("Stale"), lambda row: row.text.state == STALE),
    "parity": (_("Differ from the source"), lambda row: bool(row.parity)),
}


def key_of(text):
    """The name of a text on the page: its kind's sheet, its object, its field."""
    return f"{text.kind.sheet}-{text.obj.pk}-{text.field}"


def field_label(text):
    return capfirst(type(text.obj)._meta.get_field(text.field).verbose_name)


@dataclass
class Row:
    """One text of the page, as the translator sees and edits it."""

    text: object
    #: What its text area shows: the stored translation, or what was typed.
    value: str
    suggestions: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    still_correct: bool = False

    @property
    def key(self):
        return key_of(self.text)

    @property
    def label(self):
        return field_label(self.text)

    @property
    def kind_label(self):
        return capfirst(type(self.text.obj)._meta.verbose_name)

    @property
    def state_label(self):
        return STATES[self.text.state]

    @property
    def needs_work(self):
        return self.text.state != TRANSLATED

    @property
    def typed(self):
        """Whether the translator changed it (a refused save shows it again)."""
        return self.value != self.text.translation

    @cached_property
    def source_change(self):
        """(then, now) marked word by word, for a source changed since."""
        if self.text.state != STALE:
            return None
        return marked_words(self.text.source_then, self.text.source)

    @cached_property
    def parity(self):
        """(what differs, source marked, translation marked), or None."""
        found = self.text.parity
        if not found:
            return None
        return (
            ", ".join(str(difference) for difference in found),
            marked(self.text.source, source_language(), found, "source"),
            marked(self.text.translation, self.text.language, found, "translation"),
        )

    @property
    def lines(self):
        """A text area tall enough for its source, within reason."""
        return min(14, max(3, len(self.text.source) // 45 + 2))


# Who may open the editor ----------------------------------------------------


def may_translate(user, language):
    """Whether ``user`` may write every text of ``language``."""
    for kind in CONTENT:
        names = translated_fields(kind.model)
        writable = writable_columns(user, kind.model)
        if names and writable is not None:
            columns = {build_localized_fieldname(name, language) for name in names}
            if not columns <= writable:
                return False
    return True


def editor_languages(user):
    """(code, name) of each target language ``user`` may open the editor for."""
    names = dict(settings.LANGUAGES)
    return [
        (code, names[code]) for code in target_languages() if may_translate(user, code)
    ]


# The page opened, and checked again on save ---------------------------------


def opened_values(found):
    """Each text's source and translation, as the page shows them."""
    return {
        key_of(text): [as_text(text.source), as_text(text.translation)]
        for text in found
    }


def sign(snapshot, language, found):
    return signing.dumps(
        {
            "snapshot": str(snapshot.pk),
            "language": language,
            "texts": opened_values(found),
        },
        salt=SALT,
        compress=True,
    )


class Tampered(Exception):
    """A POST this page cannot have sent: nothing of it is saved."""


def opened_with(request, snapshot, language):
    """The texts the page was opened with, from its signature."""
    try:
        opened = signing.loads(request.POST.get(OPENED_WITH, ""), salt=SALT)
    except signing.BadSignature:
        raise Tampered(
            gettext("This page could not be checked against the saved texts.")
        ) from None
    if (opened.get("snapshot"), opened.get("language")) != (
        str(snapshot.pk),
        language,
    ):
        raise Tampered(gettext("This form belongs to another page."))
    return opened["texts"]


def check_names(request, opened):
    """
    Refuse a POST naming anything but the texts the page was opened with
    (its signature says which): another object's, another snapshot's, a
    column of another language, a field that is no text.
    """
    keys = set(opened)
    allowed = keys | {OPENED_WITH, CONFIRM, "csrfmiddlewaretoken"}
    if set(request.POST) - allowed or set(request.POST.getlist(CONFIRM)) - keys:
        raise Tampered(
            gettext(
                "This form names texts that are not this snapshot's texts in "
                "this language."
            )
        )


def last_editor(obj):
    version = Version.objects.get_for_object(obj).select_related("revision__user")
    latest = version.first()
    return editor_name(latest and latest.revision.user) or gettext("Another editor")


def changed_since(found, opened):
    """
    A message for each text someone changed since the page was opened, and
    for each object deleted since.
    """
    now = opened_values(found)
    changed = [
        gettext("%(who)s changed “%(item)s” – %(field)s since you opened this page.")
        % {
            "who": last_editor(text.obj),
            "item": text.obj,
            "field": field_label(text),
        }
        for text in found
        if key_of(text) in opened and now[key_of(text)] != opened[key_of(text)]
    ]
    return [*deleted_since(now, opened), *changed]


def deleted_since(now, opened):
    """The deletion of each object whose texts the page held and that is gone."""
    sheets = {kind.sheet: kind.model for kind in CONTENT}
    gone = {tuple(key.split("-")[:2]) for key in opened.keys() - now.keys()}
    return [
        describe_deletion(*deletion_of(sheets[sheet], pk)) for sheet, pk in sorted(gone)
    ]


# Saving ---------------------------------------------------------------------


def typed(request, text, opened):
    """What the translator sent for ``text``, tidied; None: not changed."""
    key = key_of(text)
    if key not in request.POST:
        return None
    value = tidy(request.POST[key])
    was = opened.get(key, [None, as_text(text.translation)])[1]
    return None if value == was else value


def validate(rows):
    """Each changed text checked as its model field checks it; the errors."""
    for row in rows:
        if not row.typed:
            continue
        model_field = row.text.obj._meta.get_field(row.text.column)
        try:
            model_field.clean(row.value, row.text.obj)
        except ValidationError as error:
            row.errors = error.messages
    return [row for row in rows if row.errors]


def save(request, rows, language):
    """
    Write the changed texts, one save per object, as one revision, and mark
    the ticked stale texts still correct; the counts of both.
    """
    changed = [row for row in rows if row.typed]
    by_object = {}
    for row in changed:
        setattr(row.text.obj, row.text.column, row.value)
        by_object[(type(row.text.obj), row.text.obj.pk)] = row.text.obj
    if by_object:
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(
                ngettext(
                    "%(count)s text translated into %(language)s in the "
                    "translation editor",
                    "%(count)s texts translated into %(language)s in the "
                    "translation editor",
                    len(changed),
                )
                % {
                    "count": len(changed),
                    "language": dict(settings.LANGUAGES)[language],
                }
            )
            for obj in by_object.values():
                obj.save()
    confirmed = [
        row
        for row in rows
        if row.still_correct and row.text.state == STALE and row not in changed
    ]
    for row in confirmed:
        confirm(row.text.obj, row.text.field, language, request.user)
    return len(changed), len(confirmed)


def saved_messages(request, changed, confirmed):
    if changed:
        messages.success(
            request,
            ngettext("%(count)s text saved.", "%(count)s texts saved.", changed)
            % {"count": changed},
        )
    if confirmed:
        messages.success(
            request,
            ngettext(
                "%(count)s text marked still correct.",
                "%(count)s texts marked still correct.",
                confirmed,
            )
            % {"count": confirmed},
        )
    if not (changed or confirmed):
        messages.info(request, gettext("Nothing was changed: no text was saved."))


# The page -------------------------------------------------------------------


def chosen_filter(request):
    name = request.GET.get("filter", "all")
    return name if name in FILTERS else "all"


def page(admin, request, snapshot, language, rows, status=200, refusals=()):
    memory = memory_for(language)
    for row in rows:
        text = row.text
        row.suggestions = memory.suggestions(
            text.source, type(text.obj), text.obj.pk, text.field
        )
    chosen = chosen_filter(request)
    filters = [
        {
            "name": name,
            "label": label,
            "count": sum(1 for row in rows if keeps(row)),
            "chosen": name == chosen,
        }
        for name, (label, keeps) in FILTERS.items()
    ]
    keeps = FILTERS[chosen][1]
    # A refused save shows every text the translator changed, whatever the
    # filter: one left out would not be sent again, and her work lost.
    shown = [row for row in rows if keeps(row) or row.typed]
    names = dict(settings.LANGUAGES)
    return TemplateResponse(
        request,
        "admin/reviews/snapshot/translate.html",
        {
            **admin.admin_site.each_context(request),
            "opts": admin.opts,
            "original": snapshot,
            "object_id": snapshot.pk,
            "title": _("Translate into %(language)s") % {"language": names[language]},
            "language": language,
            "language_name": names[language],
            "source": source_language(),
            "source_name": names[source_language()],
            "rows": shown,
            "filters": filters,
            "chosen_filter": chosen,
            "refusals": refusals,
            "errors": [row for row in rows if row.errors],
            "opened_with": sign(snapshot, language, [row.text for row in rows]),
            "confirm_name": CONFIRM,
        },
        status=status,
    )


def translation_editor_view(admin):
    def view(request, object_id, language):
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        if language not in target_languages():
            raise Http404(gettext("No texts are translated into this language."))
        if not (
            admin.has_view_or_change_permission(request)
            and may_translate(request.user, language)
        ):
            raise PermissionDenied
        with transaction.atomic():
            # Locked while saving (ContentAdmin.get_object), so that two
            # saves are checked one after the other.
            snapshot = admin.get_object(request, object_id)
            if snapshot is None:
                raise Http404
            found = texts(snapshot, [language])
            if request.method == "GET":
                rows = [Row(text, text.translation) for text in found]
                return page(admin, request, snapshot, language, rows)
            try:
                opened = opened_with(request, snapshot, language)
                check_names(request, opened)
            except Tampered as refusal:
                return HttpResponseBadRequest(
                    str(refusal) + " " + gettext("Nothing was saved."),
                    content_type="text/plain; charset=utf-8",
                )
            ticked = set(request.POST.getlist(CONFIRM))
            rows = []
            for text in found:
                value = typed(request, text, opened)
                rows.append(
                    Row(
                        text,
                        text.translation if value is None else value,
                        still_correct=key_of(text) in ticked,
                    )
                )
            refusals = changed_since(found, opened)
            if refusals:
                return page(admin, request, snapshot, language, rows, 409, refusals)
            if validate(rows):
                return page(admin, request, snapshot, language, rows, 400)
            changed, confirmed = save(request, rows, language)
        saved_messages(request, changed, confirmed)
        return redirect(request.get_full_path())

    return view
