"""
What every import shares, whether of one kind of content from its
changelist or of a whole snapshot workbook: its outcome per sheet with the
rows it adds and changes, the permissions each sheet needs, the check that
nobody changed those rows between the preview and the confirmation, and the
revision (django-reversion) that records a confirmed import.
"""

import dataclasses

import reversion
from django.conf import settings
from django.contrib.auth import get_permission_codename
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from import_export.results import RowResult
from reversion.models import Version

from reviews import changes, content
from reviews.models import Snapshot
from reviews.spreadsheets import cells
from reviews.spreadsheets.formats import ImportRefused, row_number
from reviews.spreadsheets.models import UndoableChange
from reviews.spreadsheets.resources import RowChange
from reviews.translations.rights import writable_columns

#: At most this many cells are named when a translator's file strays.
NAMED_CELLS = 20


def error_messages(result):
    """Every problem of an import-export result, naming row and column."""
    numbers = getattr(result, "row_numbers", None)
    messages = []
    for error in result.base_errors:
        if isinstance(error.error, ImportRefused):
            messages.extend(str(message) for message in error.error.messages)
        else:
            messages.append(str(error.error))
    for number, errors in result.row_errors():
        messages.extend(
            _("Row %(row)s: %(message)s")
            % {"row": row_number(numbers, number - 1), "message": e.error}
            for e in errors
        )
    for row in result.invalid_rows:
        number = row_number(numbers, row.number - 1)
        for column, column_messages in row.error_dict.items():
            for message in column_messages:
                if column == NON_FIELD_ERRORS:
                    messages.append(
                        _("Row %(row)s: %(message)s")
                        % {"row": number, "message": message}
                    )
                else:
                    messages.append(
                        _("Row %(row)s, column “%(column)s”: %(message)s")
                        % {"row": number, "column": column, "message": message}
                    )
    return messages


@dataclasses.dataclass
class SheetOutcome:
    """One sheet (or one uploaded file) of an import: counts, rows, problems."""

    name: str
    model: type = None
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = dataclasses.field(default_factory=list)
    #: The rows it adds or changes (RowChange), in the spreadsheet's order.
    changes: list = dataclasses.field(default_factory=list)

    @classmethod
    def of(cls, name, model, result):
        return cls(
            name=name,
            model=model,
            new=result.totals[RowResult.IMPORT_TYPE_NEW],
            updated=result.totals[RowResult.IMPORT_TYPE_UPDATE],
            unchanged=result.totals[RowResult.IMPORT_TYPE_SKIP],
            errors=error_messages(result),
            changes=result.changes,
        )


@dataclasses.dataclass
class ImportOutcome:
    sheets: list = dataclasses.field(default_factory=list)
    #: What other editors changed since the preview (see ``conflicts``).
    conflicts: list = dataclasses.field(default_factory=list)
    #: Cells the file left as exported whose newer value is kept
    #: (``reviews.spreadsheets.exported_from``).
    kept: list = dataclasses.field(default_factory=list)

    @property
    def errors(self):
        return [error for sheet in self.sheets for error in sheet.errors]

    @property
    def ok(self):
        return not self.errors and not self.conflicts

    @property
    def new(self):
        return sum(sheet.new for sheet in self.sheets)

    @property
    def updated(self):
        return sum(sheet.updated for sheet in self.sheets)

    def changes_as_json(self):
        """The preview's rows, kept with the upload until it is confirmed."""
        return {
            sheet.name: [change.as_json() for change in sheet.changes]
            for sheet in self.sheets
        }


# Permissions -------------------------------------------------------------------


def translator_problem(sheet, writable):
    """
    Why a translator, who may change only the ``writable`` columns (those
    of their languages), may not import ``sheet``, naming the cells; or None.
    """
    outside = []
    for change in sheet.changes:
        if change.is_new:
            outside.append(_("row %(row)s (new)") % {"row": change.number})
            continue
        outside.extend(
            _("row %(row)s, column “%(column)s”")
            % {"row": change.number, "column": column}
            for column, _old, _new in change.cells
            if column not in writable
        )
    if not outside:
        return None
    more = len(outside) - NAMED_CELLS
    return _(
        "Your account translates, so this file may change only the columns of "
        "your languages (%(columns)s), but it changes these cells of the sheet "
        "“%(sheet)s”: %(cells)s. Nothing was imported."
    ) % {
        "columns": ", ".join(sorted(writable)),
        "sheet": sheet.name,
        "cells": "; ".join(outside[:NAMED_CELLS])
        + (_(" … and %(count)s more") % {"count": more} if more > 0 else ""),
    }


def permission_problem(user, sheet):
    """
    Why ``user`` may not import ``sheet``, or None: a sheet needs the import
    permission of its own model, and add or change for the rows it adds or
    changes, as the model's admin would ask. A translator (no *change*, but
    the columns of their languages) may change those columns only.
    """
    if not sheet.new and not sheet.updated:
        return None
    writable = writable_columns(user, sheet.model)
    if writable:
        return translator_problem(sheet, writable)
    opts = sheet.model._meta
    actions = [
        (
            settings.IMPORT_EXPORT_IMPORT_PERMISSION_CODE,
            pgettext("permission", "import"),
        )
    ]
    if sheet.new:
        actions.append(("add", pgettext("permission", "add")))
    if sheet.updated:
        actions.append(("change", pgettext("permission", "change")))
    missing = [
        label
        for action, label in actions
        if not user.has_perm(
            f"{opts.app_label}.{get_permission_codename(action, opts)}"
        )
    ]
    if not missing:
        return None
    return _(
        "This sheet adds %(new)s and changes %(updated)s %(models)s, but your "
        "account may not %(actions)s %(models)s. Ask an administrator for "
        "these permissions, or remove the sheet's changes."
    ) % {
        "new": sheet.new,
        "updated": sheet.updated,
        "models": opts.verbose_name_plural,
        "actions": get_text_list(missing, _("or")),
    }


def check_permissions(outcome, user):
    """Add a problem to each sheet that ``user`` may not import."""
    for sheet in outcome.sheets:
        if problem := permission_problem(user, sheet):
            sheet.errors.append(problem)


# Conflicts ---------------------------------------------------------------------


def conflicts(preview, outcome):
    """
    What other editors changed, between the preview and now, in the rows the
    import touches: the preview's ``changes_as_json`` against the changes the
    same file makes now. A row the preview left unchanged but that now
    changes was edited meanwhile too (the file would undo that edit).
    """
    problems = []
    for sheet in outcome.sheets:
        before = {
            change.number: change
            for change in map(RowChange.from_json, preview.get(sheet.name, []))
        }
        now = {change.number: change for change in sheet.changes}
        for number in sorted(before.keys() | now.keys()):
            problems.extend(
                conflicting_cells(
                    sheet.name, number, before.get(number), now.get(number)
                )
            )
    return problems


def conflicting_cells(sheet, number, before, now):
    """Messages for one row whose current values differ from the preview's."""
    if before == now:
        return []
    # A cell the import leaves alone holds the file's value in the database.
    was = {column: old for column, old, _new in before.cells} if before else {}
    is_now = {column: old for column, old, _new in now.cells} if now else {}
    file_values = {
        column: new
        for change in (before, now)
        if change
        for column, _old, new in change.cells
    }
    messages = []
    for column in sorted(was.keys() | is_now.keys()):
        old = was.get(column, file_values.get(column))
        new = is_now.get(column, file_values.get(column))
        if old != new:
            messages.append(
                _(
                    "Sheet “%(sheet)s”, row %(row)s, column “%(column)s”: since "
                    "your preview another editor changed it from “%(old)s” to "
                    "“%(new)s”."
                )
                % {
                    "sheet": sheet,
                    "row": number,
                    "column": column,
                    "old": cells.shorten("" if old is None else old),
                    "new": cells.shorten("" if new is None else new),
                }
            )
    return messages


# Revisions ---------------------------------------------------------------------


class Aborted(Exception):
    """Leaves a revision block so that nothing of the import is recorded."""


def touched_snapshots(outcome):
    """The snapshots whose content a kept import added or changed."""
    snapshots = set()
    for sheet in outcome.sheets:
        pks = [change.pk for change in sheet.changes if change.pk is not None]
        snapshots.update(content.kind_of(sheet.model).snapshots(pks))
    return snapshots


def dated_after_the_changes():
    """
    Date the revision being made after the snapshot's "last updated" moved:
    reversion dates it when its block starts, and ``undoable_revision``
    tells later changes by comparing the two.
    """
    reversion.set_date_created(timezone.now())


def comment(file_name, user, outcome, *, workbook):
    values = {
        "file": file_name,
        "user": user.get_username() if user else _("the command line"),
        "new": outcome.new,
        "updated": outcome.updated,
    }
    if workbook:
        return (
            _(
                "Workbook import of %(file)s by %(user)s: "
                "%(updated)s updated, %(new)s new"
            )
            % values
        )
    return (
        _("Import of %(file)s by %(user)s: %(updated)s updated, %(new)s new") % values
    )


def save_revision(snapshots, user, text):
    """One revision holding each snapshot with all of its content; returns it."""
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(text)
        for snapshot in snapshots:
            reversion.add_to_revision(snapshot)
    # The snapshot's newest version is the one just saved, in this
    # transaction (reversion's block does not hand its revision back).
    return (
        Version.objects.get_for_object(snapshots[0])
        .select_related("revision")
        .first()
        .revision
    )


def confirmed_import(run, *, user, file_name, preview, workbook, before=()):
    """
    Run ``run()`` (which imports, checks the user's permissions and returns
    an ImportOutcome) for real: refused, with nothing written, when it
    failed or when rows changed since ``preview``; otherwise recorded as one
    revision of every snapshot it touched, named after the file, the user
    and its counts. ``before`` are snapshots whose state before the import
    is saved first, in a revision that the import's revision names (an
    UndoableChange), so the import can be undone in one step.
    """
    before = list(before)
    with transaction.atomic():
        if before:
            earlier = save_revision(
                before, user, _("Before the import of %(file)s") % {"file": file_name}
            )
        try:
            with reversion.create_revision():
                outcome = run()
                if preview is not None:
                    outcome.conflicts = conflicts(preview, outcome)
                if not outcome.ok:
                    raise Aborted
                reversion.set_user(user)
                reversion.set_comment(
                    comment(file_name, user, outcome, workbook=workbook)
                )
                dated_after_the_changes()
                if before:
                    reversion.add_meta(UndoableChange, before=earlier)
                for snapshot in {*before, *touched_snapshots(outcome)}:
                    reversion.add_to_revision(snapshot)
        except Aborted:
            transaction.set_rollback(True)
    return outcome


# Undo --------------------------------------------------------------------------


class UndoFailed(Exception):
    """The earlier values cannot all be written back; nothing was changed."""


def restore(versions):
    """
    Write back the values of ``versions``, re-creating rows deleted since:
    an existing row by ``update()`` (no signals), a re-created one by
    ``save()`` (the signals of ``reviews.changes`` note it).

    Unlike ``Revision.revert``, the fields a version leaves out (the
    timestamps) keep their current values instead of becoming NULL. A row
    that clashes with one not yet restored (two conclusions swapping their
    order) is retried once the others are in place.
    """
    pending = list(versions)
    while pending:
        failed = []
        for version in pending:
            model, values = version._model, version.field_dict
            try:
                with transaction.atomic():
                    pk = values[model._meta.pk.attname]
                    if not model.objects.filter(pk=pk).update(**values):
                        model(**values).save(force_insert=True)
            except IntegrityError:
                failed.append(version)
        if len(failed) == len(pending):
            raise UndoFailed(", ".join(str(version) for version in failed))
        pending = failed
    if orphans := without_parents(versions):
        raise UndoFailed(", ".join(orphans))


def without_parents(versions):
    """
    The rows written back whose parent is gone (a count's stakeholder group
    deleted since), each named with it: the database checks foreign keys
    only at commit, after the page had already read the missing parent.
    """
    wanted = {}
    for version in versions:
        model, values = version._model, version.field_dict
        for field in model._meta.concrete_fields:
            key = values.get(field.attname, values.get(field.name))
            if field.is_relation and key is not None:
                wanted.setdefault(field, []).append((version, key))
    orphans = []
    for field, rows in wanted.items():
        there = set(
            field.related_model._base_manager.filter(
                pk__in=[key for _version, key in rows]
            ).values_list("pk", flat=True)
        )
        orphans += [
            _("%(row)s, whose %(parent)s was deleted")
            % {"row": version, "parent": field.verbose_name}
            for version, key in rows
            if key not in there
        ]
    return orphans


def undoable_revision(snapshot):
    """
    The snapshot's last revision, when it can still be undone: it names the
    revision holding the content as it was (an UndoableChange, saved by
    ``confirmed_import`` and ``undo``), and nothing changed the snapshot's
    content since (its "last updated" is not later than the revision).
    """
    latest = (
        Version.objects.get_for_object(snapshot)
        .select_related("revision__undoable_change")
        .first()
    )
    if latest is None:
        return None
    revision = latest.revision
    if (
        not hasattr(revision, "undoable_change")
        or snapshot.updated_at > revision.date_created
    ):
        return None
    return revision


def undo(snapshot, revision, user):
    """
    Bring ``snapshot`` back to the revision ``revision`` names as its
    before-state: rows created since are deleted (a shared stakeholder group
    only when no snapshot counts it any more), every other row gets its
    earlier values back. The undo is a revision too, naming ``revision`` as
    its own before-state, so it can itself be undone.
    """
    before = revision.undoable_change.before
    kept = {
        (version.content_type.model_class(), version.object_id)
        for version in before.version_set.select_related("content_type")
    }
    created = {
        kind: [
            pk
            for pk in kind.of_snapshot(snapshot).values_list("pk", flat=True)
            if (kind.model, str(pk)) not in kept
        ]
        for kind in content.CONTENT
        if kind.model is not Snapshot
    }
    with transaction.atomic(), reversion.create_revision():
        # Children before the parents they name; shared rows last, once free.
        for kind in reversed(content.CONTENT):
            objects = kind.model.objects.filter(pk__in=created.get(kind, ()))
            if kind.shared:
                first_hop = kind.snapshot_path.split("__")[0]
                objects = objects.filter(**{f"{first_hop}__isnull": True})
            objects.delete()
        restore(before.version_set.all())
        # Rows that were still there got their values back by ``update()``,
        # which sends no signals (only re-created rows went through
        # ``save()``): so move the snapshot's "last updated" and tell its
        # caches here, whatever the undo wrote.
        changes.touch(Snapshot, [snapshot.pk])
        reversion.set_user(user)
        reversion.set_comment(
            _("Undo of “%(change)s”") % {"change": revision.get_comment()}
        )
        reversion.add_meta(UndoableChange, before=revision)
        reversion.add_to_revision(Snapshot.objects.get(pk=snapshot.pk))
        dated_after_the_changes()
