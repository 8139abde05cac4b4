"""
The snapshot's figures as open data: tidy tables for CSV and XLSX, and JSON.

Every table is declared once, as ``Table`` with its ``Column`` list, and the
CSV, the XLSX, the data package's Table Schema and the README all come from
that declaration. Column names and coded values (``zoom``, ``more_than``,
``months``) are the same in every language, so a script written against the
English files reads the Spanish ones; titles and descriptions of the columns,
and the texts in the rows, are in the reader's language.

The JSON is derived from the content map (``reviews.content.CONTENT``): it
walks the kinds of content from the snapshot down, so a new kind of content
appears in it without a change here.
"""

import datetime
import html
import re
from dataclasses import dataclass
from urllib.parse import urljoin

import tablib
from django.db import models
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from modeltranslation.fields import TranslationField

from reviews import dates
from reviews.content import CONTENT, kind_of
from reviews.markup import render_markup, validate_markup
from reviews.models import ParticipationFigure, TimelineEvent, TimelineFigure
from reviews.spreadsheets import cells


@dataclass(frozen=True)
class Column:
    """One column: its stable name, and a title and meaning in each language."""

    name: str
    title: Promise
    description: Promise
    type: str = "string"  # a Table Schema type: string, integer, date, boolean
    required: bool = True
    values: tuple[str, ...] = ()  # the only values allowed, when coded

    def schema(self):
        field = {
            "name": self.name,
            "title": str(self.title),
            "description": str(self.description),
            "type": self.type,
        }
        if self.type == "date":
            field["format"] = "%Y-%m-%d"
        constraints = {"required": True} if self.required else {}
        if self.values:
            constraints["enum"] = list(self.values)
        if constraints:
            field["constraints"] = constraints
        return field


#: A missing date, number or yes/no in a CSV file.
MISSING = "NA"
#: The workbook's sheets, named alike in every language.
DATA_SHEET, ABOUT_SHEET = "data", "about"


@dataclass(frozen=True)
class Table:
    """A downloadable table: one row per thing it counts, nothing else."""

    name: str
    file_name: Promise
    title: Promise
    description: Promise
    columns: tuple[Column, ...]
    rows: object  # a function of a snapshot giving one tuple per row
    primary_key: tuple[str, ...] = ()
    # (columns here, table referred to, its columns)
    foreign_key: tuple[tuple[str, ...], str, tuple[str, ...]] | None = None

    @property
    def headers(self):
        return [column.name for column in self.columns]

    def dataset(self, snapshot, *, text_file=False):
        """
        The table's rows as cells: text escaped, numbers and dates kept. In a
        text file a missing date, number or yes/no is written ``NA``, which R
        reads as missing (an empty cell would be an empty text in a column
        of dates) and pandas too; an empty text stays empty.
        """
        table = tablib.Dataset(headers=self.headers)
        for row in self.rows(snapshot):
            table.append(
                [
                    MISSING
                    if text_file and value is None and column.type != "string"
                    else cells.written(value, text_file=text_file)
                    for column, value in zip(self.columns, row, strict=True)
                ]
            )
        return table

    def csv(self, snapshot):
        """Only the table, header and rows, in UTF-8 without a byte-order mark."""
        return self.dataset(snapshot, text_file=True).export("csv").encode("utf-8")

    def xlsx(self, snapshot, about):
        """The table on a first sheet; what its columns mean and how to cite next."""
        data = self.dataset(snapshot)
        # The same sheet names in every language: scripts open them by name.
        data.title = DATA_SHEET
        notes = tablib.Dataset(
            headers=[_("Column"), _("Title"), _("Meaning")],
            title=ABOUT_SHEET,
        )
        rows = [(c.name, str(c.title), str(c.description)) for c in self.columns]
        rows += [("", "", "")] + [(label, value, "") for label, value in about]
        for row in rows:
            notes.append([cells.written(value) for value in row])
        return tablib.Databook([data, notes]).export("xlsx")

    def schema(self):
        schema = {
            "fields": [column.schema() for column in self.columns],
            "missingValues": ["", MISSING],
        }
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        if self.foreign_key:
            fields, resource, reference = self.foreign_key
            schema["foreignKeys"] = [
                {
                    "fields": list(fields),
                    "reference": {"resource": resource, "fields": list(reference)},
                }
            ]
        return schema


def plain_text(markup):
    """A Markdown text as plain text: paragraphs and list items on their own lines."""
    rendered = re.sub(r"</(p|li)>", "\n", str(render_markup(markup)))
    lines = (line.strip() for line in html.unescape(strip_tags(rendered)).split("\n"))
    return "\n".join(line for line in lines if line)


def stakeholder_rows(snapshot):
    for count in snapshot.stakeholder_counts.all():
        yield count.group.slug, count.group.name, count.count


def participation_rows(snapshot):
    for figure in snapshot.meeting.participation.all():
        day = figure.day.date if figure.day else None
        yield figure.channel, day, day is None, figure.count, figure.label


def timeline_rows(snapshot):
    for event in snapshot.timeline.all():
        yield (
            event.start_date,
            event.end_date,
            event.precision,
            event.title,
            event.dates_display(),
            plain_text(event.description),
        )


def timeline_figure_rows(snapshot):
    for event in snapshot.timeline.all():
        for figure in event.figures.all():
            yield (
                event.start_date,
                figure.order,
                figure.qualifier,
                figure.value,
                figure.label,
                figure.summarises_registrations,
            )


def coded(model, field, title, description):
    """A column of coded values, whose codes are the model field's choices."""
    values = tuple(value for value, _label in model._meta.get_field(field).choices)
    return Column(field, title, description, values=values)


def event_start_column(name):
    return Column(
        name,
        gettext_lazy("Event start date"),
        gettext_lazy("First day of the timeline event; identifies the event."),
        type="date",
    )


TABLES = (
    Table(
        "stakeholders",
        pgettext_lazy("file name", "registered-participants"),
        gettext_lazy("Registered participants by stakeholder group"),
        gettext_lazy(
            "How many people registered for the meeting, one row per "
            "stakeholder group. The groups add up to the total."
        ),
        (
            Column(
                "group",
                gettext_lazy("Group code"),
                gettext_lazy("Stable code of the stakeholder group."),
            ),
            Column(
                "group_name",
                gettext_lazy("Stakeholder group"),
                gettext_lazy("Name of the stakeholder group."),
            ),
            Column(
                "registered",
                gettext_lazy("Registered"),
                gettext_lazy("Number of people of this group who registered."),
                type="integer",
            ),
        ),
        stakeholder_rows,
        primary_key=("group",),
    ),
    Table(
        "participation",
        pgettext_lazy("file name", "participation"),
        gettext_lazy("Participation by channel and day"),
        gettext_lazy(
            "How many people followed the meeting, per channel: per day, or "
            "for the whole meeting when the channel only counts all days "
            "together. Do not add a whole-meeting row to the days' rows."
        ),
        (
            coded(
                ParticipationFigure,
                "channel",
                gettext_lazy("Channel"),
                gettext_lazy("Where people followed the meeting."),
            ),
            Column(
                "date",
                gettext_lazy("Date"),
                gettext_lazy("The day counted; empty for a whole-meeting figure."),
                type="date",
                required=False,
            ),
            Column(
                "whole_meeting",
                gettext_lazy("Whole meeting"),
                gettext_lazy(
                    "True when the figure counts all days of the meeting together."
                ),
                type="boolean",
            ),
            Column(
                "participants",
                gettext_lazy("Participants"),
                gettext_lazy("Number of people."),
                type="integer",
            ),
            Column(
                "description",
                gettext_lazy("Description"),
                gettext_lazy("What the number counts."),
            ),
        ),
        participation_rows,
    ),
    Table(
        "timeline",
        pgettext_lazy("file name", "timeline"),
        gettext_lazy("Organization and preparation timeline"),
        gettext_lazy(
            "The steps that prepared the meeting, one row per step. When "
            "the date precision is “months”, only the months are known: the "
            "dates are the first day of the first month and the last day of "
            "the last month."
        ),
        (
            event_start_column("start_date"),
            Column(
                "end_date",
                gettext_lazy("End date"),
                gettext_lazy("Last day of the event."),
                type="date",
            ),
            coded(
                TimelineEvent,
                "precision",
                gettext_lazy("Date precision"),
                gettext_lazy(
                    "day: a single day; days: the exact days; months: only "
                    "the months are known."
                ),
            ),
            Column(
                "title",
                gettext_lazy("Event"),
                gettext_lazy("Name of the step."),
            ),
            Column(
                "dates",
                gettext_lazy("Dates"),
                gettext_lazy("The dates as the page writes them."),
            ),
            Column(
                "description",
                gettext_lazy("Description"),
                gettext_lazy("What happened, as plain text."),
                required=False,
            ),
        ),
        timeline_rows,
        primary_key=("start_date",),
    ),
    Table(
        "timeline-figures",
        pgettext_lazy("file name", "timeline-figures"),
        gettext_lazy("Figures of the timeline"),
        gettext_lazy(
            "The numbers that describe each step of the timeline, one row "
            "per number, linked to the step by its start date."
        ),
        (
            event_start_column("event_start_date"),
            Column(
                "order",
                gettext_lazy("Order"),
                gettext_lazy("Position of the figure within its event."),
                type="integer",
            ),
            coded(
                TimelineFigure,
                "qualifier",
                gettext_lazy("Qualifier"),
                gettext_lazy(
                    "exact: the value is exact; more_than: the true number "
                    "is above the value."
                ),
            ),
            Column(
                "value",
                gettext_lazy("Value"),
                gettext_lazy("The number."),
                type="integer",
            ),
            Column(
                "label",
                gettext_lazy("What it counts"),
                gettext_lazy("What the number counts."),
            ),
            Column(
                "summarises_registrations",
                gettext_lazy("Summarises registrations"),
                gettext_lazy("True when the figure states how many people registered."),
                type="boolean",
            ),
        ),
        timeline_figure_rows,
        primary_key=("event_start_date", "order"),
        foreign_key=(("event_start_date",), "timeline", ("start_date",)),
    ),
)

#: The tables by the name their address and the data package give them.
DATASETS = {table.name: table for table in TABLES}


# Who publishes, under what licence, and how to cite ------------------------


def edition(snapshot):
    """
    Which edition a reader has: a publication's version and the day it went
    live, or, for a working copy only editors see, the day it last changed.
    """
    day = dates.one_day(snapshot.updated_at.date())
    publication = getattr(snapshot, "publication", None)
    if publication is None:
        return _("last updated %(date)s") % {"date": day}
    return _("version %(version)s, %(date)s") % {
        "version": publication.number,
        "date": day,
    }


def cited_url(snapshot, url):
    """A publication is cited at its version's own address, which never changes."""
    publication = getattr(snapshot, "publication", None)
    return urljoin(url, publication.get_absolute_url()) if publication else url


def citation(snapshot, url):
    """
    The "how to cite" text in the active language: publisher, the meeting's
    year, the snapshot, its version's address, the version and its day.
    """
    values = {
        "publisher": snapshot.publisher,
        "year": snapshot.meeting.start_date.year,
        "series": snapshot.series,
        "number": snapshot.number,
        "title": snapshot.title,
        "meeting": snapshot.meeting.name,
        "url": cited_url(snapshot, url),
        "edition": edition(snapshot),
    }
    if snapshot.publisher:
        return (
            _(
                "%(publisher)s (%(year)s). %(series)s #%(number)s – %(title)s. "
                "%(meeting)s. %(url)s (%(edition)s)."
            )
            % values
        )
    return (
        _(
            "%(series)s #%(number)s – %(title)s (%(year)s). %(meeting)s. "
            "%(url)s (%(edition)s)."
        )
        % values
    )


def licence_statement(snapshot):
    """The licence and its address, or that none is stated: never an invented one."""
    if not snapshot.licence_name:
        return _(
            "No licence is stated for this content: ask the publisher before "
            "reusing it beyond quotation."
        )
    if snapshot.licence_url:
        return f"{snapshot.licence_name} ({snapshot.licence_url})"
    return snapshot.licence_name


def about(snapshot, url):
    """The facts every download states next to its data, as (label, text) pairs."""
    facts = [(_("Source"), url)]
    if snapshot.publisher:
        facts.append((_("Publisher"), snapshot.publisher))
    facts += [
        (_("Licence"), licence_statement(snapshot)),
        (_("Version"), capfirst(edition(snapshot))),
        (_("How to cite"), citation(snapshot, url)),
    ]
    return facts


# The whole snapshot as JSON, from the content map ---------------------------


def json_value(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    return value


def natural_key_value(obj):
    """A related object as a reader names it: a day by its date, a group by slug."""
    names = [
        name
        for name in kind_of(obj).natural_key
        if not obj._meta.get_field(name).is_relation
    ]
    values = [json_value(getattr(obj, name)) for name in names]
    return values[0] if len(values) == 1 else values


def object_fields(obj, skip):
    """
    One object's own fields in the active language: coded values as codes
    with their label beside, Markdown as plain text and HTML, relations by
    natural key. ``skip`` names the relations the nesting already says.
    """
    data = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or isinstance(field, TranslationField):
            continue
        if field.name in skip:
            continue
        if field.is_relation:
            related = getattr(obj, field.name)
            data[field.name] = None if related is None else natural_key_value(related)
            continue
        value = getattr(obj, field.name)
        if validate_markup in field.validators:
            data[field.name] = plain_text(value)
            data[f"{field.name}_html"] = str(render_markup(value))
            continue
        data[field.name] = json_value(value)
        if field.choices:
            data[f"{field.name}_label"] = str(
                getattr(obj, f"get_{field.name}_display")()
            )
    if hasattr(obj, "dates_display"):
        data["dates"] = obj.dates_display()
    return data


def content_tree():
    """
    The content map as a tree: for each path from the snapshot, the kinds
    one step further (``meeting`` → ``meeting__people``, ``meeting__days`` …).
    """
    children = {}
    for kind in CONTENT:
        path = kind.path_from_snapshot
        if path:
            parent = path.rpartition("__")[0]
            children.setdefault(parent, []).append(kind)
    return children


def serialise(obj, path, tree):
    kind = kind_of(obj)
    nested = {
        child.path_from_snapshot.rpartition("__")[2]: child
        for child in tree.get(path, ())
    }
    # The relation up to the parent is what the nesting already says.
    up = {kind.hops[0].name} if kind.hops and kind.hops[0].concrete else set()
    data = object_fields(obj, skip=up | set(nested))
    for name, child in nested.items():
        value = getattr(obj, name, None)
        if isinstance(value, models.Manager):
            data[name] = [
                serialise(item, child.path_from_snapshot, tree) for item in value.all()
            ]
        else:
            data[name] = (
                None
                if value is None
                else serialise(value, child.path_from_snapshot, tree)
            )
    return data


def snapshot_json(snapshot, url):
    """The whole snapshot in the active language, as plain data."""
    data = {
        "language": get_language(),
        "url": url,
        "publisher": snapshot.publisher or None,
        "licence": (
            {"name": snapshot.licence_name, "url": snapshot.licence_url or None}
            if snapshot.licence_name
            else None
        ),
        "citation": citation(snapshot, url),
        # When any of its content last changed (reviews.changes).
        "updated": snapshot.updated_at.isoformat(),
        "version": getattr(getattr(snapshot, "publication", None), "number", None),
        "registered_total": snapshot.registered_total,
    }
    data.update(serialise(snapshot, "", content_tree()))
    return data


# The citation for reference managers ----------------------------------------

BIBTEX_SPECIAL = str.maketrans(
    {char: f"\\{char}" for char in "&%$#_{}"} | {"\\": r"\textbackslash{}"}
)


def bibtex(snapshot, url):
    """A BibTeX ``@misc`` entry: the publisher as an institutional author."""
    publication = getattr(snapshot, "publication", None)
    fields = {
        "author": snapshot.publisher,
        "title": snapshot.full_title,
        "year": str(snapshot.meeting.start_date.year),
        "version": str(publication.number) if publication else "",
        "note": capfirst(edition(snapshot)),
        "language": get_language(),
    }
    values = {
        name: value.translate(BIBTEX_SPECIAL) for name, value in fields.items() if value
    }
    if "author" in values:
        # Braces keep an institution from being read as a person's names.
        values["author"] = f"{{{values['author']}}}"
    lines = [f"  {name} = {{{value}}}" for name, value in values.items()]
    lines.append(f"  url = {{{cited_url(snapshot, url)}}}")
    key = f"{snapshot.slug}-{get_language()}"
    return "@misc{" + key + ",\n" + ",\n".join(lines) + "\n}\n"


def ris(snapshot, url):
    """An RIS record (``TY  - ELEC``), the other format reference managers import."""
    publication = getattr(snapshot, "publication", None)
    tags = [
        ("TY", "ELEC"),
        ("AU", snapshot.publisher),
        ("PB", snapshot.publisher),
        ("TI", snapshot.full_title),
        ("T2", snapshot.meeting.name),
        ("PY", str(snapshot.meeting.start_date.year)),
        ("ET", str(publication.number) if publication else ""),
        ("Y2", snapshot.updated_at.date().isoformat()),
        ("UR", cited_url(snapshot, url)),
        ("LA", get_language()),
        ("ER", ""),
    ]
    # One line per tag: a line break inside a value would start a new tag.
    return "".join(
        f"{tag}  - {' '.join(value.split())}\r\n"
        for tag, value in tags
        if value or tag == "ER"
    )
