"""
Spreadsheet columns for every content model (django-import-export).

Each resource names its columns once; a translated field becomes one column
per language of the site (``title_en``, ``title_es``, …), side by side, from
modeltranslation's registry: a bare ``title`` would be written into whatever
language the editor happens to be using, so such a column is refused.
Relations are written as keys a person can read (a snapshot's slug, a day's
date, a stakeholder group's slug), and every row is identified by its natural
key from the content map (``reviews.content``), so importing the same file
twice changes nothing and an edited file updates rows instead of duplicating
them. The README lists the columns.
"""

import dataclasses
import datetime
import operator
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.declarative import ModelDeclarativeMetaclass
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import RowResult
from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.utils import build_localized_fieldname

from reviews import changes, content
from reviews.languages import target_languages, translated_fields
from reviews.markup import marked_words
from reviews.models import (
    Conclusion,
    Meeting,
    MeetingDay,
    Organiser,
    ParticipationFigure,
    Person,
    RoundTable,
    Snapshot,
    StakeholderCount,
    StakeholderGroup,
    TimelineEvent,
    TimelineFigure,
)
from reviews.publishing.models import Publication
from reviews.spreadsheets import cells
from reviews.spreadsheets.formats import ImportRefused, header_name, row_number


class TextWidget(widgets.CharWidget):
    """Text cells: undo the export's formula escape and refuse huge cells."""

    def clean(self, value, row=None, **kwargs):
        return cells.text(super().clean(value, row, **kwargs))


class WholeNumberWidget(widgets.IntegerWidget):
    """Counts and positions: whole numbers only, with a message an editor reads."""

    def clean(self, value, row=None, **kwargs):
        return cells.whole_number(value)


class DayWidget(widgets.DateWidget):
    """Dates as YYYY-MM-DD text or as the spreadsheet's own date cells."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def clean(self, value, row=None, **kwargs):
        return cells.day(value)


class YesNoWidget(widgets.BooleanWidget):
    """Ticks: anything other than a clear yes or no is an error, not a silent no."""

    TRUE_VALUES = [*widgets.BooleanWidget.TRUE_VALUES, "yes", "Yes", "YES"]
    FALSE_VALUES = [*widgets.BooleanWidget.FALSE_VALUES, "no", "No", "NO", "", None]

    def clean(self, value, row=None, **kwargs):
        if value in self.TRUE_VALUES:
            return True
        if value in self.FALSE_VALUES:
            return False
        raise ValueError(
            _("“%(value)s” is neither TRUE nor FALSE.")
            % {"value": cells.shorten(value)}
        )


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """
    A relation written as readable keys of its target.

    ``lookups`` are paths on the target model; the cell holds the value of the
    last one, and ``context`` names the columns of the same row that hold the
    others (a day is "this date in the snapshot of the ``snapshot`` column").
    Every target is read once per import, not once per row.
    """

    def __init__(self, model, lookups, context=(), parse=None, **kwargs):
        super().__init__(model, field=lookups[-1], **kwargs)
        self.lookups = lookups
        self.context = context
        self.parse = parse or parse_text
        self.reset()

    def reset(self):
        self.targets = None
        self.keys_by_pk = None

    def key(self, value, row):
        context = (parse_text(row.get(column)) for column in self.context)
        return (*context, self.parse(value))

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        if self.targets is None:
            pks = {
                tuple(key): pk
                for *key, pk in self.model.objects.values_list(*self.lookups, "pk")
            }
            objects = self.model.objects.in_bulk(pks.values())
            self.targets = {key: objects[pk] for key, pk in pks.items()}
        key = self.key(value, row or {})
        try:
            return self.targets[key]
        except (KeyError, TypeError):
            raise ValueError(
                _("No %(target)s matches “%(key)s”.")
                % {
                    "target": self.model._meta.verbose_name,
                    "key": " / ".join(cells.shorten(part) for part in key),
                }
            ) from None

    def render_pk(self, pk):
        """The cell for the target with this primary key, read once per export."""
        if self.keys_by_pk is None:
            self.keys_by_pk = dict(
                self.model.objects.values_list("pk", self.lookups[-1])
            )
        return self.keys_by_pk.get(pk, "")


def parse_text(value):
    return str(value).strip()


def parse_day(value):
    return cells.day(value)


class NaturalKeyLoader(BaseInstanceLoader):
    """
    Finds the existing object a row describes by its natural key.

    All candidates are read in one query, so a 10,000-row sheet does not
    cost 10,000 lookups.
    """

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.instances = {
            resource.identity_of(instance): instance
            for instance in resource.get_queryset()
        }

    def get_instance(self, row):
        try:
            return self.instances.get(self.resource.identity_of_row(row))
        except ValidationError:
            # A new object as far as we can tell; importing its cells then
            # reports this problem along with any other in the row.
            return None


COMPARISONS = {
    "exact": operator.eq,
    "gte": operator.ge,
    "gt": operator.gt,
    "lte": operator.le,
    "lt": operator.lt,
}


def condition_holds(condition, instance, exclude=()):
    """
    A CHECK condition evaluated on an unsaved instance, without a query.

    Understands comparisons of fields with constants or F() of other fields;
    returns None for anything else, so the caller lets the database decide.
    Like SQL, a comparison with an empty (NULL) value passes.
    """
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            result = condition_holds(child, instance, exclude)
        else:
            lookup, expected = child
            name, _, comparison = lookup.partition("__")
            compare = COMPARISONS.get(comparison or "exact")
            if isinstance(expected, F):
                expected = (
                    None
                    if expected.name in exclude
                    else getattr(instance, expected.name)
                )
            elif compare is None or hasattr(expected, "resolve_expression"):
                return None
            value = None if name in exclude else getattr(instance, name)
            result = value is None or expected is None or compare(value, expected)
        if result is None:
            return None
        results.append(result)
    combined = all(results) if condition.connector == Q.AND else any(results)
    return not combined if condition.negated else combined


def identity_part(value):
    return value.pk if isinstance(value, models.Model) else value


def per_language(model, names):
    """``names`` with each translated field as one column per language."""
    translated = translated_fields(model)
    return tuple(
        column
        for name in names
        for column in (
            [build_localized_fieldname(name, code) for code in AVAILABLE_LANGUAGES]
            if name in translated
            else [name]
        )
    )


def translation_columns(model):
    """
    The model's columns in the languages translated into: a file may leave
    them out (one exported before a language was added), leaving those texts
    as they are; the source language's and every other column are required.
    """
    return {
        build_localized_fieldname(name, code)
        for name in translated_fields(model)
        for code in target_languages()
    }


def plain(value):
    """A cell's value as the preview shows and the session stores it (JSON)."""
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@dataclasses.dataclass
class RowChange:
    """A row an import adds or changes: its cells' old and new values."""

    number: int
    import_type: str
    key: str
    #: (column, old value, new value) of each cell that changes.
    cells: list = dataclasses.field(default_factory=list)
    #: The object written; not kept with the preview.
    instance: object = dataclasses.field(default=None, compare=False, repr=False)

    @property
    def pk(self):
        return self.instance and self.instance.pk

    @property
    def is_new(self):
        return self.import_type == RowResult.IMPORT_TYPE_NEW

    @property
    def shown_cells(self):
        """
        (column, old, new, old words, new words) of each changed cell: for a
        text changed in place, its old and new words as HTML with only those
        that differ marked (``reviews.markup.marked_words``), else None.
        """
        for column, old, new in self.cells:
            if not self.is_new and isinstance(old, str) and isinstance(new, str):
                yield (column, old, new, *marked_words(old, new))
            else:
                yield column, old, new, None, None

    def as_json(self):
        return [self.number, self.import_type, self.key, self.cells]

    @classmethod
    def from_json(cls, data):
        number, import_type, key, cells = data
        return cls(number, import_type, key, [tuple(cell) for cell in cells])


class SpreadsheetMetaclass(ModelDeclarativeMetaclass):
    """
    Completes each resource from the content map and the translation
    registry: its rows are keyed by the model's natural key, and each
    translated field it names becomes one column per language.
    """

    by_model = {}

    def __new__(cls, name, bases, attrs):
        meta = attrs.get("Meta")
        model = getattr(meta, "model", None)
        if model is not None:
            meta.fields = per_language(model, meta.fields)
            meta.import_id_fields = content.kind_of(model).natural_key
        resource = super().__new__(cls, name, bases, attrs)
        if model is not None:
            cls.by_model[model] = resource
        return resource


def resource_for(model):
    """The spreadsheet resource of a content model."""
    return SpreadsheetMetaclass.by_model[model]


class SpreadsheetResource(resources.ModelResource, metaclass=SpreadsheetMetaclass):
    """What every content resource shares: strict columns, natural keys, checks."""

    #: Columns files of older versions of the site have and this one ignores.
    retired_columns = ()

    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "CharField": TextWidget,
        "TextField": TextWidget,
        "URLField": TextWidget,
        "SlugField": TextWidget,
        "DateField": DayWidget,
        "BooleanField": YesNoWidget,
        "IntegerField": WholeNumberWidget,
        "PositiveIntegerField": WholeNumberWidget,
        "PositiveSmallIntegerField": WholeNumberWidget,
    }

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        instance_loader_class = NaturalKeyLoader
        # The preview lists changed cells itself (``changes``), as values.
        skip_html_diff = True
        store_instance = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        #: The rows the last import added or changed, as RowChange.
        self.changes = []
        #: The spreadsheet's number of each row of the last dataset imported.
        self.row_numbers = None

    # Headers ---------------------------------------------------------------

    def header_problems(self, headers):
        """Messages about the header row, or an empty list when it is usable."""
        headers = [str(header) for header in headers or () if header]
        if not headers:
            return [_("The sheet has no header row.")]
        expected = [field.column_name for field in self.fields.values()]
        translated = translated_fields(self._meta.model)
        problems = [
            _(
                "The column “%(column)s” does not say which language it is in; "
                "name it %(names)s."
            )
            % {
                "column": column,
                "names": get_text_list(
                    per_language(self._meta.model, [column]), _("or")
                ),
            }
            for column in headers
            if column in translated
        ]
        optional = translation_columns(self._meta.model)
        if missing := [
            column
            for column in expected
            if column not in headers and column not in optional
        ]:
            problems.append(
                _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}
            )
        if unknown := [
            column
            for column in headers
            if column not in expected
            and column not in translated
            and column not in self.retired_columns
        ]:
            problems.append(
                _("Unknown columns: %(columns)s. The expected columns are: %(all)s.")
                % {"columns": ", ".join(unknown), "all": ", ".join(expected)}
            )
        if duplicated := sorted({c for c in headers if headers.count(c) > 1}):
            problems.append(
                _("Columns given twice: %(columns)s.")
                % {"columns": ", ".join(duplicated)}
            )
        return problems

    def reset_widgets(self):
        """Forget targets read before, which an earlier import may have changed."""
        for field in self.fields.values():
            if isinstance(field.widget, NaturalKeyWidget):
                field.widget.reset()

    # Identity --------------------------------------------------------------

    def id_fields(self):
        return [self.fields[name] for name in self.get_import_id_fields()]

    def identity_of(self, instance):
        meta = instance._meta
        return tuple(
            getattr(instance, meta.get_field(field.attribute).attname)
            for field in self.id_fields()
        )

    def identity_of_row(self, row):
        """The row's natural key; a ValidationError names the faulty column."""
        key = []
        for field in self.id_fields():
            try:
                key.append(identity_part(field.clean(row)))
            except ValueError as error:
                raise ValidationError({field.column_name: str(error)}) from None
        return tuple(key)

    def check_duplicates(self, dataset):
        """Refuse a file in which two rows describe the same object."""
        first_rows, problems = {}, []
        for index, values in enumerate(dataset):
            row = dict(zip(dataset.headers, values, strict=False))
            try:
                key = self.identity_of_row(row)
            except ValidationError:
                continue  # reported on the row itself
            number = row_number(self.row_numbers, index)
            if key in first_rows:
                problems.append(
                    _(
                        "Rows %(first)s and %(second)s describe the same "
                        "%(what)s (%(columns)s)."
                    )
                    % {
                        "first": first_rows[key],
                        "second": number,
                        "what": self._meta.model._meta.verbose_name,
                        "columns": ", ".join(f.column_name for f in self.id_fields()),
                    }
                )
            else:
                first_rows[key] = number
        if problems:
            raise ImportRefused(problems)

    # Import hooks -----------------------------------------------------------

    def refuse_bad_file(self, dataset):
        """Raise ImportRefused when the file as a whole cannot be imported."""
        self.reset_widgets()
        if dataset.headers:
            dataset.headers = [header_name(header) for header in dataset.headers]
        if problems := self.header_problems(dataset.headers):
            raise ImportRefused(problems)
        self.check_duplicates(dataset)

    def import_instance(self, instance, row, **kwargs):
        """Like import-export's, but errors are keyed by the column's header."""
        errors = {}
        for field in self.get_import_fields():
            try:
                self.import_field(field, instance, row, **kwargs)
            except ValueError as error:
                errors[field.column_name] = ValidationError(str(error), code="invalid")
        if errors:
            raise ValidationError(errors)

    def validate_instance(
        self, instance, import_validation_errors=None, validate_unique=True
    ):
        """
        Run the model's validation, reporting each error under its column.

        This is Django's full_clean without the queries that cannot fail here,
        so a sheet of thousands of rows does not cost thousands of queries:
        relations found by a NaturalKeyWidget exist, uniqueness that the
        natural key implies is checked by the loader and check_duplicates, and
        simple CHECK constraints are evaluated in Python.
        """
        errors = dict(import_validation_errors or {})
        columns = {field.attribute: field.column_name for field in self.fields.values()}
        failed = {f.attribute for f in self.fields.values() if f.column_name in errors}
        found = {
            field.attribute
            for field in self.fields.values()
            if isinstance(field.widget, NaturalKeyWidget)
            and field.get_value(instance) is not None
        }
        problems = []
        try:
            instance.full_clean(
                exclude=failed | found,
                validate_unique=not self.implies_uniqueness(),
                validate_constraints=False,
            )
        except ValidationError as error:
            problems.append(error)
            # One message per wrong value: a negative count need not also
            # break the "count is not negative" constraint.
            failed |= set(error.update_error_dict({}))
        try:
            self.validate_constraints(instance, exclude=failed)
        except ValidationError as error:
            problems.append(error)
        for problem in problems:
            for name, messages in problem.update_error_dict({}).items():
                column = columns.get(name, NON_FIELD_ERRORS)
                errors.setdefault(column, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def implied_by_identity(self, names):
        """Whether objects with different natural keys always differ on ``names``."""
        return {field.attribute for field in self.id_fields()} <= set(names)

    def implies_uniqueness(self):
        meta = self._meta.model._meta
        unique_sets = [
            [field.name]
            for field in meta.concrete_fields
            if field.unique and not field.primary_key
        ]
        return all(
            self.implied_by_identity(names)
            for names in [*unique_sets, *meta.unique_together]
        )

    def validate_constraints(self, instance, exclude):
        model = type(instance)
        errors = []
        for constraint in model._meta.constraints:
            if isinstance(
                constraint, models.UniqueConstraint
            ) and self.implied_by_identity(constraint.fields):
                continue
            try:
                holds = None
                if isinstance(constraint, models.CheckConstraint):
                    holds = condition_holds(constraint.condition, instance, exclude)
                if holds is None:
                    constraint.validate(model, instance, exclude=exclude)
                elif not holds:
                    raise ValidationError(
                        constraint.get_violation_error_message(),
                        code=constraint.violation_error_code,
                    )
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)

    def import_data(self, dataset, dry_run=False, **kwargs):
        """All or nothing: any failing row rolls the whole file back."""
        self.changes = []
        self.row_numbers = getattr(dataset, "row_numbers", None)
        try:
            self.refuse_bad_file(dataset)
        except ImportRefused as refusal:
            # Reported before any row is read, so one problem is one message.
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            result.row_numbers, result.changes = self.row_numbers, []
            result.append_base_error(self.get_error_result_class()(refusal))
            return result
        kwargs.update(use_transactions=True, rollback_on_validation_errors=True)
        result = super().import_data(dataset, dry_run=dry_run, **kwargs)
        result.row_numbers = self.row_numbers
        result.changes = self.changes
        return result

    def import_data_inner(self, *args, **kwargs):
        # Inside import_data's transaction: the snapshots the rows belong to
        # move once, and only if the import is kept.
        with changes.collect_changes():
            return super().import_data_inner(*args, **kwargs)

    def bulk_create(self, *args, **kwargs):
        # Saved without signals, so the content map is told here.
        created = list(self.create_instances)
        super().bulk_create(*args, **kwargs)
        changes.touch(self._meta.model, [instance.pk for instance in created])

    def bulk_update(self, *args, **kwargs):
        updated = [instance.pk for instance in self.update_instances]
        super().bulk_update(*args, **kwargs)
        changes.touch(self._meta.model, updated)

    def after_import_row(self, row, row_result, **kwargs):
        if row_result.import_type in (
            RowResult.IMPORT_TYPE_NEW,
            RowResult.IMPORT_TYPE_UPDATE,
        ):
            instance = row_result.instance
            self.changes.append(
                RowChange(
                    number=row_number(self.row_numbers, kwargs["row_number"] - 1),
                    import_type=row_result.import_type,
                    key=" / ".join(
                        str(self.cell_value(field, instance))
                        for field in self.id_fields()
                    ),
                    cells=self.changed_cells(instance, row_result.original),
                    instance=instance,
                )
            )
        if progress := kwargs.get("progress"):
            progress()

    # Changes ----------------------------------------------------------------

    def cell_value(self, field, instance):
        """What the spreadsheet's cell holds for ``field``, unescaped."""
        if instance is None:
            return None
        if isinstance(field.widget, NaturalKeyWidget):
            attname = instance._meta.get_field(field.attribute).attname
            return plain(field.widget.render_pk(getattr(instance, attname)))
        return plain(field.get_value(instance))

    def changed_fields(self, instance, original):
        """
        The import fields whose value differs between the two objects; an
        empty cell matches a text never given (NULL), as the columns of a
        newly added language are: adding a language changes no row.
        """
        meta = instance._meta
        changed = []
        for field in self.get_import_fields():
            if field.readonly:
                continue
            name = meta.get_field(field.attribute).attname
            new = getattr(instance, name)
            old = None if original is None else getattr(original, name)
            if new != old and {new, old} != {"", None}:
                changed.append(field)
        return changed

    def changed_cells(self, instance, original):
        return [
            (
                field.column_name,
                self.cell_value(field, original),
                self.cell_value(field, instance),
            )
            for field in self.changed_fields(instance, original)
        ]

    # Export -----------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(*content.kind_of(self._meta.model).select)

    def get_queryset(self):
        return self.filter_export(super().get_queryset())

    def before_export(self, queryset, **kwargs):
        self.reset_widgets()

    def export_field(self, field, instance, **kwargs):
        if isinstance(field.widget, NaturalKeyWidget):
            # By primary key from a map read once, not by a query per row.
            attname = instance._meta.get_field(field.attribute).attname
            value = field.widget.render_pk(getattr(instance, attname))
        else:
            value = super().export_field(field, instance, **kwargs)
        return cells.written(value)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged rows are skipped; relations compare by key, without a query."""
        if not self._meta.skip_unchanged or import_validation_errors:
            return False
        return not self.changed_fields(instance, original)


def slug_field(name, model):
    """A relation written as the slug of a snapshot or stakeholder group."""
    return fields.Field(
        attribute=name, column_name=name, widget=NaturalKeyWidget(model, ("slug",))
    )


class SnapshotResource(SpreadsheetResource):
    # Workbooks exported before publishing had the snapshot's status: still
    # imported, that column is not read. Only a publisher publishes.
    retired_columns = ("status",)

    def validate_instance(
        self, instance, import_validation_errors=None, validate_unique=True
    ):
        """A new snapshot never takes a slug another one was published under."""
        errors = dict(import_validation_errors or {})
        if (
            instance._state.adding
            and Publication.objects.under_slug_of_another(instance.slug).exists()
        ):
            errors.setdefault("slug", []).append(
                _("The slug “%(slug)s” is used by another snapshot: choose another.")
                % {"slug": instance.slug}
            )
        super().validate_instance(instance, errors, validate_unique)

    class Meta(SpreadsheetResource.Meta):
        model = Snapshot
        fields = (
            "slug",
            "series",
            "number",
            "title",
            "publisher",
            "licence_name",
            "licence_url",
        )


class MeetingResource(SpreadsheetResource):
    snapshot = slug_field("snapshot", Snapshot)

    class Meta(SpreadsheetResource.Meta):
        model = Meeting
        fields = (
            "snapshot",
            "start_date",
            "end_date",
            "member_states",
            "associate_members",
            "next_step_year",
            *translated_fields(Meeting),
        )


def meeting_field():
    """The meeting of a row, written as its snapshot's slug."""
    return fields.Field(
        attribute="meeting",
        column_name="snapshot",
        widget=NaturalKeyWidget(Meeting, ("snapshot__slug",)),
    )


class OrganiserResource(SpreadsheetResource):
    meeting = meeting_field()

    class Meta(SpreadsheetResource.Meta):
        model = Organiser
        fields = ("meeting", "order", "name", "abbreviation", "capacity")


class PersonResource(SpreadsheetResource):
    meeting = meeting_field()

    class Meta(SpreadsheetResource.Meta):
        model = Person
        fields = (
            "meeting",
            "order",
            "role",
            "name",
            "title",
            "organisation",
        )


class ConclusionResource(SpreadsheetResource):
    snapshot = slug_field("snapshot", Snapshot)

    class Meta(SpreadsheetResource.Meta):
        model = Conclusion
        fields = ("snapshot", "order", "text")


class MeetingDayResource(SpreadsheetResource):
    meeting = meeting_field()

    class Meta(SpreadsheetResource.Meta):
        model = MeetingDay
        fields = ("meeting", "date", "session")


def day_field():
    """A meeting day, written as its date next to the row's ``snapshot``."""
    return fields.Field(
        attribute="day",
        column_name="date",
        widget=NaturalKeyWidget(
            MeetingDay,
            ("meeting__snapshot__slug", "date"),
            context=("snapshot",),
            parse=parse_day,
        ),
    )


def snapshot_column(path):
    """The snapshot a row belongs to through its parent; read-only, for keys."""
    return fields.Field(attribute=path, column_name="snapshot", readonly=True)


class RoundTableResource(SpreadsheetResource):
    snapshot = snapshot_column("day__meeting__snapshot__slug")
    day = day_field()

    class Meta(SpreadsheetResource.Meta):
        model = RoundTable
        fields = ("snapshot", "day", "area", "title")


class ParticipationFigureResource(SpreadsheetResource):
    meeting = meeting_field()
    day = day_field()

    class Meta(SpreadsheetResource.Meta):
        model = ParticipationFigure
        fields = ("meeting", "channel", "day", "order", "count", "label")


class TimelineEventResource(SpreadsheetResource):
    snapshot = slug_field("snapshot", Snapshot)

    class Meta(SpreadsheetResource.Meta):
        model = TimelineEvent
        fields = (
            "snapshot",
            "start_date",
            "end_date",
            "precision",
            *translated_fields(TimelineEvent),
        )


class TimelineFigureResource(SpreadsheetResource):
    snapshot = snapshot_column("event__snapshot__slug")
    event = fields.Field(
        attribute="event",
        column_name="event_start_date",
        widget=NaturalKeyWidget(
            TimelineEvent,
            ("snapshot__slug", "start_date"),
            context=("snapshot",),
            parse=parse_day,
        ),
    )

    class Meta(SpreadsheetResource.Meta):
        model = TimelineFigure
        fields = (
            "snapshot",
            "event",
            "order",
            "qualifier",
            "value",
            "label",
            "summarises_registrations",
        )


class StakeholderGroupResource(SpreadsheetResource):
    class Meta(SpreadsheetResource.Meta):
        model = StakeholderGroup
        fields = ("slug", "name")


class StakeholderCountResource(SpreadsheetResource):
    snapshot = slug_field("snapshot", Snapshot)
    group = slug_field("group", StakeholderGroup)

    class Meta(SpreadsheetResource.Meta):
        model = StakeholderCount
        fields = ("snapshot", "group", "order", "count")
        # Saved in batches: its only unique constraint is its natural key,
        # so rows of one file cannot collide in a way validation would miss.
        use_bulk = True
        batch_size = 1000
