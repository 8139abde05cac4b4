"""
A snapshot's texts in one target language as XLIFF 1.2, the file Trados,
memoQ and OmegaT read and write, and its import back.

The file holds one ``<file>`` (named after the snapshot's slug) and one unit
per translated text, in content order (``reviews.translations.status``):
its id names the text as the workbook does, by sheet, natural key and field
(``conclusions/3/text``); its source is the English as exported, its target
the current translation, with the state translators' tools show (missing,
stale or translated) and, for a stale one, a note with the English it was
translated from. translate-toolkit writes and reads it.

Each unit records what it was exported from: its source, and a digest of
its target in a context group of its own (tools keep both). On import, a
unit whose source the site no longer has is not applied but listed as
stale, so a translation of older English never replaces a newer one; a
unit whose translation changed on the site since the export is applied
only if the file left it as exported (then it is nothing to apply), and
otherwise listed too, so neither translator's work is silently lost. Only
targets are read; an empty target leaves the text as it is (tools leave the
targets of untranslated units empty). A file for another snapshot or
language, or naming a text this snapshot lacks, is refused whole.

Uploads are untrusted: a DOCTYPE or entity declaration (a "billion laughs",
an external entity) is refused by a first pass of expat before any parser
that could expand it reads the file, and translate-toolkit's own parser
resolves no entities and opens no network.
"""

import dataclasses
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export.results import RowResult
from translate.storage import xliff

from reviews import changes, content
from reviews.languages import source_language, translated_fields
from reviews.markup import tidy
from reviews.spreadsheets import cells
from reviews.spreadsheets.exported_from import digest
from reviews.spreadsheets.formats import ImportRefused, check_size
from reviews.spreadsheets.imports import ImportOutcome, SheetOutcome, check_permissions
from reviews.spreadsheets.resources import RowChange, resource_for
from reviews.spreadsheets.workbook import NAMED_ROWS, snapshot_column
from reviews.translations.status import MISSING, STALE, texts

XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"
CONTENT_TYPE = "application/x-xliff+xml"


class Xliff12File(xliff.xlifffile):
    """translate-toolkit's XLIFF store, writing version 1.2 instead of 1.1."""

    namespace = XLIFF_12
    XMLskeleton = xliff.xlifffile.XMLskeleton.replace("1.1", "1.2")


#: The context group holding the digest of a unit's target as exported.
EXPORTED = "x-reviews-exported"
EXPORTED_TARGET = "x-reviews-target-digest"

#: The unit state each text's status is shown with, as XLIFF 1.2 names it.
STATES = {
    MISSING: xliff.xliffunit.S_NEEDS_TRANSLATION,
    STALE: xliff.xliffunit.S_NEEDS_REVIEW,
}


class UnitIds:
    """Each text's unit id: its sheet, its natural key within the snapshot, field."""

    def __init__(self):
        self.resources = {}

    def key(self, kind, obj):
        if kind not in self.resources:
            self.resources[kind] = resource_for(kind.model)()
        resource = self.resources[kind]
        return [
            "" if value is None else str(value)
            for value in (
                resource.cell_value(field, obj)
                for field in resource.id_fields()
                if field.column_name != snapshot_column(kind)
            )
        ]

    def of(self, text):
        return "/".join([text.kind.sheet, *self.key(text.kind, text.obj), text.field])


def texts_by_id(snapshot, language):
    ids = UnitIds()
    return {ids.of(text): text for text in texts(snapshot, [language])}


# Export ------------------------------------------------------------------------


def export_xliff(snapshot, language):
    """The snapshot's texts in ``language`` as XLIFF 1.2 bytes."""
    store = Xliff12File(sourcelanguage=source_language(), targetlanguage=language)
    store.switchfile(snapshot.slug, createifmissing=True)
    store.removedefaultfile()
    for unit_id, text in texts_by_id(snapshot, language).items():
        if not text.source.strip():
            continue  # nothing to translate
        unit = store.addsourceunit(text.source, filename=snapshot.slug)
        unit.setid(unit_id)
        unit.settarget(text.translation, lang=language)
        unit.set_state_n(STATES.get(text.state, unit.S_TRANSLATED))
        unit.createcontextgroup(
            EXPORTED, [(EXPORTED_TARGET, digest(text.translation))], purpose=EXPORTED
        )
        if text.state == STALE:
            # The translation was made for other English: a near match.
            unit.getlanguageNode(lang=None, index=1).set(
                "state-qualifier", "fuzzy-match"
            )
            unit.addnote(
                _("The English when this was translated: %(source)s")
                % {"source": text.source_then},
                origin="developer",
            )
    return bytes(store)


# Reading -----------------------------------------------------------------------


def not_xliff():
    return ImportRefused([_("This file could not be read as an XLIFF file.")])


def refuse_declarations(*args):
    # XLIFF declares no entities; a file that does may be a "billion laughs"
    # or an attempt to read the server's files (an external entity).
    raise ImportRefused(
        [_("This file declares a DOCTYPE or entities, which XLIFF never needs.")]
    )


def check_xml(data):
    """Refuse what is not plain XML, before a parser that could expand it."""
    if data.startswith(b"PK"):
        raise ImportRefused(
            [_("This file is a zip archive, not an XLIFF file. Upload the .xlf.")]
        )
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = refuse_declarations
    parser.EntityDeclHandler = refuse_declarations
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        raise not_xliff() from None


def read_xliff(data):
    """The XLIFF store in ``data``, or ImportRefused saying what is wrong."""
    check_size(len(data))
    check_xml(data)
    try:
        store = Xliff12File.parsestring(data)
    except Exception:
        # translate-toolkit fails in many ways on XML that is no XLIFF.
        raise not_xliff() from None
    if not store.namespace.startswith("urn:oasis:names:tc:xliff:document:1."):
        raise not_xliff()
    if len(store.units) > settings.SPREADSHEET_MAX_ROWS:
        raise ImportRefused(
            [
                _("The file has %(count)s units; at most %(limit)s can be imported.")
                % {"count": len(store.units), "limit": settings.SPREADSHEET_MAX_ROWS}
            ]
        )
    return store


# Import ------------------------------------------------------------------------


@dataclasses.dataclass
class StaleUnit:
    """A unit translated from English the site no longer has: not applied."""

    unit_id: str
    exported: str
    now: str


@dataclasses.dataclass
class OvertakenUnit:
    """A translation changed on the site since the export, and in the file."""

    unit_id: str
    in_file: str
    now: str


@dataclasses.dataclass
class XliffOutcome(ImportOutcome):
    stale: list = dataclasses.field(default_factory=list)
    overtaken: list = dataclasses.field(default_factory=list)


def exported_target(unit):
    """The digest of the unit's target as exported; None in a file without it."""
    for group in unit.getcontextgroups(EXPORTED):
        for context_type, value in group:
            if context_type == EXPORTED_TARGET:
                return value.strip()
    return None


def check_file(store, snapshot, language):
    """Refuse a file made for another snapshot, language or source language."""
    names = [name or "" for name in store.getfilenames()]
    problems = []
    if names != [snapshot.slug]:
        problems.append(
            _(
                "This file is for the snapshot “%(other)s”, not “%(slug)s”: "
                "export the file from this snapshot's page."
            )
            % {"other": cells.shorten(", ".join(names)), "slug": snapshot.slug}
        )
    for expected, found, message in (
        (
            language,
            store.gettargetlanguage(),
            _(
                "The file's target language is “%(found)s”, but this import "
                "needs “%(expected)s”."
            ),
        ),
        (
            source_language(),
            store.getsourcelanguage(),
            _(
                "The file's source language is “%(found)s”, but this import "
                "needs “%(expected)s”."
            ),
        ),
    ):
        if (found or "").lower() != expected:
            problems.append(
                message % {"found": cells.shorten(found or ""), "expected": expected}
            )
    if problems:
        raise ImportRefused(problems)


def units_of(store, snapshot, known):
    """(id, unit) of every unit, or ImportRefused naming unknown or repeated ids."""
    prefix = f"{snapshot.slug}{xliff.ID_SEPARATOR}"
    units = [(unit.getid().removeprefix(prefix), unit) for unit in store.units]
    ids = [unit_id for unit_id, _unit in units]
    problems = [
        _("The unit “%(id)s” names no text of this snapshot.")
        % {"id": cells.shorten(unit_id)}
        for unit_id in ids
        if unit_id not in known
    ]
    problems += [
        _("The unit “%(id)s” is given twice.") % {"id": cells.shorten(unit_id)}
        for unit_id in sorted({i for i in ids if ids.count(i) > 1})
    ]
    if problems:
        more = len(problems) - NAMED_ROWS
        raise ImportRefused(
            [
                *problems[:NAMED_ROWS],
                *([_("… and %(count)s more.") % {"count": more}] if more > 0 else []),
            ]
        )
    return units


def apply_unit(sheet, number, unit_id, text, target):
    """Write one unit's target into its text, noting the change or the problem."""
    obj, column = text.obj, text.column
    setattr(obj, column, target)
    try:
        obj.clean_fields(exclude=[f.name for f in obj._meta.fields if f.name != column])
    except ValidationError as error:
        sheet.errors.extend(
            _("Unit “%(id)s”: %(message)s") % {"id": unit_id, "message": message}
            for message in error.messages
        )
        return
    obj.save()
    sheet.updated += 1
    sheet.changes.append(
        RowChange(
            number=number,
            import_type=RowResult.IMPORT_TYPE_UPDATE,
            key=unit_id,
            cells=[(column, text.translation, target)],
            instance=obj,
        )
    )


def import_xliff(store, *, snapshot, language, dry_run, user=None):
    """
    Apply the targets of a read XLIFF file to ``snapshot``'s texts in
    ``language``; on a dry run, or when anything fails, nothing is kept.
    ``user``, when given, needs the permissions of every text it changes.
    """
    check_file(store, snapshot, language)
    known = texts_by_id(snapshot, language)
    units = units_of(store, snapshot, known)
    sheets = {
        kind.model: SheetOutcome(name=kind.sheet, model=kind.model)
        for kind in content.CONTENT
        if translated_fields(kind.model)
    }
    outcome = XliffOutcome(sheets=list(sheets.values()))
    with transaction.atomic():
        with changes.collect_changes():
            for number, (unit_id, unit) in enumerate(units, start=1):
                text = known[unit_id]
                sheet = sheets[text.kind.model]
                if tidy(unit.source or "") != tidy(text.source):
                    outcome.stale.append(StaleUnit(unit_id, unit.source, text.source))
                    continue
                target = tidy(unit.target or "")
                exported = exported_target(unit)
                if (
                    not target
                    or target == tidy(text.translation)
                    or digest(target) == exported
                ):
                    # Nothing new, or left as exported: a translation made
                    # on the site since stays.
                    sheet.unchanged += 1
                    continue
                if exported not in (None, digest(text.translation)):
                    outcome.overtaken.append(
                        OvertakenUnit(unit_id, target, text.translation)
                    )
                    continue
                apply_unit(sheet, number, unit_id, text, target)
        if user is not None:
            check_permissions(outcome, user)
        if dry_run or not outcome.ok:
            transaction.set_rollback(True)
    return outcome
