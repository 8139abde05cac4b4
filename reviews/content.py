"""
What a snapshot's content is: the one declaration everything else reads.

``CONTENT`` lists every kind of content, in the order a workbook holds it
(parents before the rows that name them), each with

- ``label``: its model, as ``app_label.ModelName``;
- ``sheet``: its sheet in the snapshot workbook;
- ``snapshot_path``: the ORM path from the model to its snapshot;
- ``natural_key``: the fields that identify one row to a person (a snapshot's
  slug, a day's date), used by spreadsheets instead of database ids;
- ``select``: relations read with its rows wherever they are listed;
- ``required_to_publish``: fields a draft may leave empty while the meeting
  does not know them yet, but a publication must have, translated texts in
  every language (``reviews.publishing.completeness``);
- ``translation_optional``: translated fields a language may leave empty
  (``reviews.translations.status``);
- ``added_since_first_workbooks``: whether a workbook exported before the
  kind existed, without its sheet, still imports.

The public page's prefetches and query budget, what a publication holds
and must have, the workbook, the resources,
the JSON, the history, the Editors group's permissions, the cache of "when did
this snapshot change" and the tests are all derived from it. The README's
"Adding a kind of content" lists what else a new kind needs.

Models are named by label and looked up when first used, so that the models
module can read this map without importing itself back.
"""

from dataclasses import dataclass
from functools import cached_property

from django.apps import apps


@dataclass(frozen=True)
class Kind:
    label: str
    sheet: str
    snapshot_path: str
    natural_key: tuple[str, ...]
    select: tuple[str, ...] = ()
    #: False for kinds the public page reads in a query of its own (see
    #: ``Snapshot.objects.for_page``) instead of through a prefetch.
    prefetched_for_page: bool = True
    required_to_publish: tuple[str, ...] = ()
    #: Translated fields another language may rightly leave empty: grammar
    #: of one language (an English "From" before dates), not a text.
    translation_optional: tuple[str, ...] = ()
    #: A kind added after workbooks were first exported: a file saved before
    #: has no sheet of it, and importing one leaves these rows as they are.
    added_since_first_workbooks: bool = False

    def __str__(self):
        return self.sheet

    @cached_property
    def model(self):
        return apps.get_model(self.label)

    @cached_property
    def hops(self):
        """The model fields walked from this model to its snapshot."""
        fields, model = [], self.model
        for name in filter(None, self.snapshot_path.split("__")):
            relation = model._meta.get_field(name)
            fields.append(relation)
            model = relation.related_model
        if model is not snapshot_model():
            raise ValueError(f"{self.snapshot_path!r} does not lead to a snapshot")
        return fields

    @cached_property
    def path_from_snapshot(self):
        """
        The same path walked the other way, from a snapshot to these objects:
        ``meeting__people`` for a person, whose path is ``meeting__snapshot``.
        Empty for the snapshot itself.
        """
        names = [
            relation.field.name
            if relation.auto_created and not relation.concrete
            else relation.remote_field.get_accessor_name()
            for relation in reversed(self.hops)
        ]
        return "__".join(names)

    @cached_property
    def many_per_snapshot(self):
        """Whether one snapshot has many of these (a list) or one (its meeting)."""
        return any(
            relation.concrete and not relation.one_to_one for relation in self.hops
        )

    @cached_property
    def shared(self):
        """
        Whether one object may belong to several snapshots (a stakeholder
        group is counted by every snapshot that names it).
        """
        return any(not relation.concrete for relation in self.hops)

    def snapshots(self, pks):
        """The snapshots these objects (by primary key) belong to."""
        if not self.snapshot_path:
            return snapshot_model().objects.filter(pk__in=pks)
        lookup = f"{self.path_from_snapshot}__in"
        return snapshot_model().objects.filter(**{lookup: pks}).distinct()

    def of_snapshot(self, snapshot):
        """This kind's objects that belong to ``snapshot``, without repeats."""
        lookup = self.snapshot_path or "pk"
        objects = self.model.objects.filter(**{lookup: snapshot.pk})
        return objects.distinct() if self.shared else objects


CONTENT = (
    Kind("reviews.Snapshot", "snapshot", "", ("slug",)),
    Kind(
        "reviews.Meeting",
        "meeting",
        "snapshot",
        ("snapshot",),
        required_to_publish=(
            "website",
            "member_states",
            "associate_members",
            "overview",
            "next_step",
            "next_step_year",
            "recordings_note",
            "recordings_link_text",
            "recordings_url",
        ),
    ),
    Kind(
        "reviews.Organiser",
        "organisers",
        "meeting__snapshot",
        ("meeting", "order"),
        added_since_first_workbooks=True,
    ),
    Kind("reviews.Person", "people", "meeting__snapshot", ("meeting", "order")),
    Kind("reviews.Conclusion", "conclusions", "snapshot", ("snapshot", "order")),
    Kind(
        "reviews.MeetingDay",
        "days",
        "meeting__snapshot",
        ("meeting", "date"),
        prefetched_for_page=False,
    ),
    Kind(
        "reviews.RoundTable",
        "round_tables",
        "day__meeting__snapshot",
        ("day", "area"),
        select=("day__meeting__snapshot",),
        prefetched_for_page=False,
    ),
    Kind(
        "reviews.ParticipationFigure",
        "participation",
        "meeting__snapshot",
        ("meeting", "channel", "day"),
        select=("day",),
    ),
    Kind(
        "reviews.TimelineEvent",
        "timeline",
        "snapshot",
        ("snapshot", "start_date"),
        translation_optional=("date_prefix",),
    ),
    Kind(
        "reviews.TimelineFigure",
        "timeline_figures",
        "event__snapshot",
        ("event", "order"),
        select=("event__snapshot",),
    ),
    Kind(
        "reviews.StakeholderGroup",
        "stakeholder_groups",
        "counts__snapshot",
        ("slug",),
    ),
    Kind(
        "reviews.StakeholderCount",
        "stakeholder_counts",
        "snapshot",
        ("snapshot", "group"),
        select=("group",),
    ),
)


def snapshot_model():
    """The model every kind of content leads to: the first entry's."""
    return CONTENT[0].model


def kind_of(model, default=LookupError):
    """
    The entry of a content model (or of an instance's model); ``default``
    for anything else if given, otherwise ``LookupError``.
    """
    label = (model if isinstance(model, type) else type(model))._meta.label
    for kind in CONTENT:
        if kind.label == label:
            return kind
    if default is LookupError:
        raise LookupError(f"{label} is not a kind of content")
    return default


def content_models():
    """Every content model, in the map's order."""
    return [kind.model for kind in CONTENT]


def page_query_budget():
    """
    The queries the public page needs whatever the content's size, as
    ``Snapshot.objects.for_page`` reads it: one for the snapshot and what it
    has one of (its meeting), one per list of its own that is prefetched, and
    one joined query for the kinds read otherwise (the meeting's days with
    their round tables).
    """
    prefetched = [
        kind
        for kind in CONTENT
        if kind.many_per_snapshot and not kind.shared and kind.prefetched_for_page
    ]
    read_otherwise = any(not kind.prefetched_for_page for kind in CONTENT)
    return 1 + len(prefetched) + int(read_otherwise)
