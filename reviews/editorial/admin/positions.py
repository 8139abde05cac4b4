"""
Positions editors change freely: swap two conclusions, renumber people.

A position (``order``) is unique within its parent for conclusions, people
and timeline figures, because spreadsheets name those rows by it. Saving a
swap row by row passes through a moment where two rows hold one position,
which the database refuses. Deferrable constraints would cure that on
PostgreSQL only (SQLite cannot defer a unique constraint), so one way serves
both databases: the formsets of inlines and of the lists' editable columns
check the rows as the save will leave them, against each other and against
the database (another editor's new row included), and then save in two
steps, first moving the rows whose position changes out of the way.

A position left empty puts the item last, after its parent's other items.
"""

from django import forms
from django.db import models
from django.db.models import Max, Q
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reviews.content import kind_of
from reviews.models import LARGEST_POSITION

POSITION = "order"

GOES_LAST = _("Leave empty to put it after the others.")


def has_position(model):
    return any(field.name == POSITION for field in model._meta.concrete_fields)


def parent_field(model):
    """The foreign key to the parent whose items a position orders."""
    return kind_of(model).hops[0]


def next_position(model, parent_pk, taken=()):
    """The position after the parent's last item, in the database or ``taken``."""
    stored = (
        model._base_manager.filter(**{parent_field(model).attname: parent_pk})
        .aggregate(last=Max(POSITION))
        .get("last")
    )
    last = max([p for p in (stored, *taken) if p is not None], default=-1)
    return min(last + 1, LARGEST_POSITION)


def unique_keys(model):
    """(fields, condition, constraint) of every uniqueness rule of ``model``."""
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            fields = [model._meta.get_field(name) for name in constraint.fields]
            yield fields, constraint.condition, constraint


def key_of(instance, fields):
    key = tuple(getattr(instance, field.attname) for field in fields)
    # NULLs never clash in a unique constraint.
    return None if None in key else key


def holds(instance, condition):
    if condition is None:
        return True
    against = instance._get_field_expression_map(meta=instance._meta)
    return Q(condition).check(against)


def clash_message(fields, constraint, key, other):
    names = [field.name for field in fields]
    if POSITION not in names:
        return constraint.get_violation_error_message()
    return gettext("Position %(position)s is already taken by “%(other)s”.") % {
        "position": key[names.index(POSITION)],
        "other": other,
    }


class PositionInput(forms.NumberInput):
    """A position with buttons moving its row up or down (``positions.js``)."""

    def __init__(self, attrs=None):
        super().__init__({"data-position": "", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        return format_html(
            '{}<span class="move-buttons">'
            '<button type="button" data-move="-1" title="{}" aria-label="{}">↑</button>'
            '<button type="button" data-move="1" title="{}" aria-label="{}">↓</button>'
            "</span>",
            super().render(name, value, attrs, renderer),
            *[gettext("Move up")] * 2,
            *[gettext("Move down")] * 2,
        )


class PositionsFormSet:
    """
    Mix into a model formset (before it): rows are checked as the save leaves
    them, and saved in two steps (``make_room``).
    """

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.formset_of_rows = self
        return form

    def staying_forms(self):
        """The forms whose rows remain after the save, with their new values."""
        deleted = set(self.deleted_forms) if self.can_delete else set()
        return [
            form
            for form in self.forms
            if form not in deleted
            and form.is_valid()
            and not getattr(form, "gone", None)
            and (form.instance.pk is not None or form.has_changed())
        ]

    def rows_in_form(self):
        """Primary keys of the stored rows this formset shows (and may move)."""
        return {form.instance.pk for form in self.forms if form.instance.pk}

    def clean(self):
        # Replaces the formsets' own check of duplicates between forms, which
        # misses conditional constraints and never looks at the database.
        if any(self.errors):
            return
        self.place_new_rows_last()
        for fields, condition, constraint in unique_keys(self.model):
            self.refuse_clashes(fields, condition, constraint)

    def place_new_rows_last(self):
        """Number the rows left without a position after their parent's last."""
        if not has_position(self.model):
            return
        parent = parent_field(self.model)
        staying = self.staying_forms()
        for form in staying:
            if not getattr(form, "goes_last", False):
                continue
            parent_pk = getattr(form.instance, parent.attname)
            taken = [
                getattr(other.instance, POSITION)
                for other in staying
                if not getattr(other, "goes_last", False)
                and getattr(other.instance, parent.attname) == parent_pk
            ]
            form.instance.order = next_position(self.model, parent_pk, taken)
            form.cleaned_data[POSITION] = form.instance.order
            form.goes_last = False

    def refuse_clashes(self, fields, condition, constraint):
        holders = {}
        for form in self.staying_forms():
            key = key_of(form.instance, fields)
            if key is not None and holds(form.instance, condition):
                holders.setdefault(key, []).append(form)
        if not holders:
            return
        first = fields[0]
        stored = self.model._base_manager.filter(
            **{f"{first.attname}__in": {key[0] for key in holders}}
        ).exclude(pk__in=self.rows_in_form())
        if condition is not None:
            stored = stored.filter(condition)
        others = {key_of(row, fields): row for row in stored}
        for key, holding in holders.items():
            other = others.get(key)
            if other is None and len(holding) == 1:
                continue
            message = clash_message(
                fields, constraint, key, holding[0].instance if other is None else other
            )
            field = next(
                (f.name for f in reversed(fields) if f.name in holding[0].fields), None
            )
            for form in holding[1:] if other is None else holding:
                form.add_error(field, message)

    def make_room(self):
        """
        The first step of the save: move every stored row whose position
        changes, or which goes, to a position no row will hold, so that the
        rows saved next can take any position.
        """
        if getattr(self, "_room_made", False) or not any(
            any(f.name == POSITION for f in fields)
            for fields, _condition, _constraint in unique_keys(self.model)
        ):
            return
        self._room_made = True
        parent = parent_field(self.model)
        deleted = set(self.deleted_forms) if self.can_delete else set()
        moving = [
            form.instance
            for form in self.initial_forms
            if form.instance.pk is not None
            and (form in deleted or POSITION in form.changed_data)
        ]
        for parent_pk in {getattr(row, parent.attname) for row in moving}:
            rows = self.model._base_manager.filter(**{parent.attname: parent_pk})
            taken = set(rows.values_list(POSITION, flat=True)) | {
                getattr(form.instance, POSITION)
                for form in self.staying_forms()
                if getattr(form.instance, parent.attname) == parent_pk
            }
            free = (p for p in range(LARGEST_POSITION, -1, -1) if p not in taken)
            for row in moving:
                if getattr(row, parent.attname) == parent_pk:
                    # A raw update: the row's own save, next, is the change.
                    rows.filter(pk=row.pk).update(**{POSITION: next(free)})

    def save(self, commit=True):
        if commit:
            self.make_room()
        return super().save(commit)
