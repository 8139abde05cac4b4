"""
The form behind every content page and inline of the admin.

It tidies text the way imports do (``reviews.markup.tidy``), and it refuses a
save based on data another editor has changed since the form was opened:
each form carries, signed, the values it was opened with; when the database
no longer holds them, the save is refused with what the other editor
changed, old and new, and the form comes back with the editor's own changes
kept and the other editor's merged in, ready to be saved again.
"""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import localize
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.models import Revision, Version

from reviews.content import kind_of
from reviews.editorial.admin.positions import (
    GOES_LAST,
    POSITION,
    next_position,
    parent_field,
)
from reviews.languages import translated_fields
from reviews.markup import tidy

SALT = "reviews.editorial.admin.opened-with"


def as_text(value):
    """A field's value, comparable whatever side it comes from."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return tidy(str(value))


def editor_name(user):
    return user and (user.get_full_name() or user.get_username())


def deletion_of(model, pk):
    """
    (the row, who, when) for the row ``pk`` of ``model`` another editor
    deleted, who and when None if unknown. Deleted on its own page, the
    admin's log says; deleted from its parent's page, the parent's first
    revision without it does. A row without any history (or an id made up)
    is named by its kind: either way nothing is saved into it.
    """
    content_type = ContentType.objects.get_for_model(model)
    entry = (
        LogEntry.objects.filter(
            content_type=content_type, object_id=str(pk), action_flag=DELETION
        )
        .select_related("user")
        .order_by("-action_time")
        .first()
    )
    if entry is not None:
        return entry.object_repr, entry.user, entry.action_time
    last = (
        Version.objects.get_for_object_reference(model, pk)
        .select_related("revision")
        .first()
    )
    if last is None:
        return model._meta.verbose_name, None, None
    parent = kind_of(model).hops[0]
    holds_it = Version.objects.filter(
        revision=OuterRef("pk"), content_type=content_type, object_id=str(pk)
    )
    revision = (
        Revision.objects.filter(
            date_created__gte=last.revision.date_created,
            version__content_type=ContentType.objects.get_for_model(
                parent.related_model
            ),
            version__object_id=str(last.field_dict.get(parent.attname)),
        )
        .exclude(Exists(holds_it))
        .select_related("user")
        .order_by("date_created", "pk")
        .first()
    )
    if revision is None:
        return last.object_repr, None, None
    return last.object_repr, revision.user, revision.date_created


def describe_deletion(item, user, when):
    values = {
        "item": item,
        "who": editor_name(user) or gettext("another editor"),
        "when": localize(timezone.localtime(when)) if when else "",
    }
    if when:
        return (
            gettext(
                "“%(item)s” was deleted by %(who)s at %(when)s; your changes to "
                "it were not saved."
            )
            % values
        )
    return (
        gettext("“%(item)s” was deleted by %(who)s; your changes to it were not saved.")
        % values
    )


class GoneRowsFormSet:
    """
    Mix into a model formset (before it), whose form is a ``GoneRowForm``
    and whose class is given the ``request`` it answers: a
    row another editor deleted since the page was opened is reported, its
    changes are dropped, and the rest of the form saves (a formset would
    otherwise refuse the whole save with a hidden "Select a valid choice" on
    the row's id).
    """

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.is_bound and i < self.initial_form_count() and form.instance.pk is None:
            pk_field = self.model._meta.pk
            try:
                pk = pk_field.to_python(form.data.get(form.add_prefix(pk_field.name)))
            except forms.ValidationError:
                pk = None
            if pk is not None:
                form.gone = describe_deletion(*deletion_of(self.model, pk))
                # Said at once: a row that is not saved never reaches a page.
                messages.warning(self.request, form.gone)
        return form


class GoneRowForm(forms.ModelForm):
    """A form whose row may have been deleted meanwhile (``GoneRowsFormSet``)."""

    #: What to tell the editor when another editor deleted this form's row.
    gone = None

    def full_clean(self):
        if self.gone:
            # Nothing of a deleted row is saved, so nothing in it can be wrong.
            self._errors, self.cleaned_data = forms.utils.ErrorDict(), {}
            return
        super().full_clean()

    def has_changed(self):
        return not self.gone and super().has_changed()

    def non_field_errors(self):
        # Shown on the row when the page comes back, without blocking a save.
        errors = super().non_field_errors()
        if self.gone:
            return self.error_class([self.gone, *errors], error_class="nonfield")
        return errors


class ContentForm(GoneRowForm):
    opened_with = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["opened_with"] = self.sign(self.stored_values())
        if POSITION in self.fields:
            position = self.fields[POSITION]
            position.required = False
            position.help_text = format_lazy("{} {}", position.help_text, GOES_LAST)
            if self.instance._state.adding:
                self.initial[POSITION] = None

    @property
    def changed_data(self):
        """
        What the editor really changed: a text area sent back with Windows
        line breaks, or a value re-sent unchanged, is not a change, so the
        history names only the fields that differ.

        Not cached: a formset asks each form whether it changed before it
        cleans it, when only the raw values can be compared.
        """
        cleaned = getattr(self, "cleaned_data", {})
        return [
            name
            for name in super().changed_data
            if name != "opened_with"
            and not (
                name in cleaned
                and as_text(cleaned[name]) == as_text(self[name].initial)
            )
        ]

    def model_field_names(self):
        names = {field.name for field in self.instance._meta.concrete_fields}
        return [name for name in self.fields if name in names]

    def stored_values(self):
        """The values of this form's fields as the instance holds them."""
        return {
            name: as_text(
                self.instance._meta.get_field(name).value_from_object(self.instance)
            )
            for name in self.model_field_names()
        }

    def sign(self, values):
        return signing.dumps(
            {"pk": str(self.instance.pk), "values": values}, salt=SALT, compress=True
        )

    def clean(self):
        cleaned_data = super().clean()
        for name, value in cleaned_data.items():
            if isinstance(value, str):
                cleaned_data[name] = tidy(value)
        if POSITION in self.fields and cleaned_data.get(POSITION) is None:
            self.place_last(cleaned_data)
        self.refuse_incomplete()
        if self.instance.pk is not None and not self.errors:
            self.refuse_stale(cleaned_data)
        return cleaned_data

    def place_last(self, cleaned_data):
        """
        An item without a position goes after its parent's others (a formset
        then numbers its new rows one after another).
        """
        parent = parent_field(self._meta.model)
        chosen = cleaned_data.get(parent.name)
        parent_pk = chosen.pk if chosen else getattr(self.instance, parent.attname)
        cleaned_data[POSITION] = next_position(self._meta.model, parent_pk)
        self.goes_last = True

    def refuse_incomplete(self):
        """
        A required field this form does not show, still empty, would fail in
        the database; say so instead (a safety net: pages show them all).
        """
        missing = [
            str(field.verbose_name)
            for field in self.instance._meta.concrete_fields
            if field.name not in self.fields
            and field.name not in translated_fields(type(self.instance))
            and not (field.primary_key or field.null or field.has_default())
            and not isinstance(field, models.ForeignKey)
            and field.value_from_object(self.instance) in (None, "")
            and not field.blank
        ]
        if missing:
            raise forms.ValidationError(
                _("Fill in %(fields)s on this item's own page.")
                % {"fields": ", ".join(missing)},
                code="incomplete",
            )

    def refuse_stale(self, cleaned_data):
        try:
            opened = signing.loads(cleaned_data.get("opened_with") or "", salt=SALT)
        except signing.BadSignature:
            opened = None
        if opened is None or opened["pk"] != str(self.instance.pk):
            raise forms.ValidationError(
                _(
                    "This form could not be checked against the saved data; "
                    "reload the page."
                ),
                code="unsigned",
            )
        # Only the fields signed when the page was built: a formset adds its
        # id and parent fields to inline forms after that.
        opened, now = opened["values"], self.stored_values()
        stored = {name: now[name] for name in opened}
        theirs = [name for name in opened if stored[name] != opened[name]]
        if not theirs:
            return
        mine = {
            name for name in opened if as_text(cleaned_data.get(name)) != opened[name]
        }
        self.rebase(stored, keep=mine)
        raise forms.ValidationError(
            [self.describe(name, opened, stored, name in mine) for name in theirs],
            code="stale",
        )

    def describe(self, name, opened, stored, also_mine):
        field = self.fields[name]
        message = (
            _(
                "%(who)s changed “%(field)s” from “%(old)s” to “%(new)s” since you "
                "opened this page; your value is kept: save again to keep it."
            )
            if also_mine
            else _(
                "%(who)s changed “%(field)s” from “%(old)s” to “%(new)s” since you "
                "opened this page; the form now shows their value."
            )
        )
        return message % {
            "who": self.last_editor() or gettext("Another editor"),
            "field": field.label,
            "old": self.shown(field, opened[name]),
            "new": self.shown(field, stored[name]),
        }

    def shown(self, field, text):
        """A stored value as the editor reads it (a choice's label, not its key)."""
        if isinstance(field, forms.ModelChoiceField) and text:
            return str(field.queryset.filter(pk=text).first() or text)
        choices = dict(getattr(field, "choices", ()) or ())
        return str(choices.get(text, localize(text)))

    def last_editor(self):
        version = Version.objects.get_for_object(self.instance).first()
        return editor_name(version and version.revision.user)

    def rebase(self, stored, keep):
        """
        Show the other editor's values where this editor changed nothing, keep
        hers elsewhere, and sign the form as opened with the data as it is now.
        """
        data = self.data.copy()
        for name, value in stored.items():
            if name in keep:
                continue
            key = self.add_prefix(name)
            if isinstance(self.fields[name].widget, forms.CheckboxInput):
                if value:
                    data[key] = "on"
                else:
                    data.pop(key, None)
            else:
                data[key] = value
        data[self.add_prefix("opened_with")] = self.sign(stored)
        self.data = data
