"""
What a snapshot's content is: the one declaration everything else reads.

``CONTENT`` lists every kind of content, in the order a workbook holds it
(parents before the rows that name them), each with

- ``sheet``: its sheet in the snapshot workbook;
- ``snapshot_path``: the ORM path from the model to its snapshot;
- ``natural_key``: the fields that identify one row to a person (a snapshot's
  slug, a day's date), used by spreadsheets instead of database ids;
- ``select``: relations read with its rows wherever they are listed.

The public page's prefetches, the workbook, the admin, the cache of "when did
this snapshot change" and the tests are all derived from it: a new kind of
content is one entry here plus its model, admin and resource.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import Signal
from django.utils import timezone

from . import models
from .languages import translated_fields


@dataclass(frozen=True)
class Kind:
    model: type
    sheet: str
    snapshot_path: str
    natural_key: tuple[str, ...]
    select: tuple[str, ...] = ()
    #: False for kinds the public page reads in a query of its own (see
    #: ``Snapshot.objects.for_page``) instead of through a prefetch.
    prefetched_for_page: bool = field(default=True)

    def __str__(self):
        return self.sheet

    @cached_property
    def hops(self):
        """The model fields walked from this model to its snapshot."""
        fields, model = [], self.model
        for name in filter(None, self.snapshot_path.split("__")):
            relation = model._meta.get_field(name)
            fields.append(relation)
            model = relation.related_model
        if model is not models.Snapshot:
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
            return models.Snapshot.objects.filter(pk__in=pks)
        lookup = f"{self.path_from_snapshot}__in"
        return models.Snapshot.objects.filter(**{lookup: pks}).distinct()

    def of_snapshot(self, snapshot):
        """This kind's objects that belong to ``snapshot``, without repeats."""
        lookup = self.snapshot_path or "pk"
        objects = self.model.objects.filter(**{lookup: snapshot.pk})
        return objects.distinct() if self.shared else objects


CONTENT = (
    Kind(models.Snapshot, "snapshot", "", ("slug",)),
    Kind(models.Meeting, "meeting", "snapshot", ("snapshot",)),
    Kind(models.Person, "people", "meeting__snapshot", ("meeting", "order")),
    Kind(models.Conclusion, "conclusions", "snapshot", ("snapshot", "order")),
    Kind(
        models.MeetingDay,
        "days",
        "meeting__snapshot",
        ("meeting", "date"),
        prefetched_for_page=False,
    ),
    Kind(
        models.RoundTable,
        "round_tables",
        "day__meeting__snapshot",
        ("day", "area"),
        select=("day__meeting__snapshot",),
        prefetched_for_page=False,
    ),
    Kind(
        models.ParticipationFigure,
        "participation",
        "meeting__snapshot",
        ("meeting", "channel", "day"),
        select=("day",),
    ),
    Kind(models.TimelineEvent, "timeline", "snapshot", ("snapshot", "start_date")),
    Kind(
        models.TimelineFigure,
        "timeline_figures",
        "event__snapshot",
        ("event", "order"),
        select=("event__snapshot",),
    ),
    Kind(
        models.StakeholderGroup,
        "stakeholder_groups",
        "counts__snapshot",
        ("slug",),
    ),
    Kind(
        models.StakeholderCount,
        "stakeholder_counts",
        "snapshot",
        ("snapshot", "group"),
        select=("group",),
    ),
)

KINDS = {kind.model: kind for kind in CONTENT}


def kind_of(model):
    """The entry of a content model (or of an instance's model)."""
    return KINDS[model if isinstance(model, type) else type(model)]


# When a snapshot's content changed ------------------------------------------

#: Sent after the snapshots' ``updated_at`` moved, in the same transaction,
#: with ``snapshot_pks``: what caches of a snapshot's pages listen to.
content_changed = Signal()

_pending = ContextVar("pending_content_changes", default=None)


def touch(model, pks):
    """
    Move ``updated_at`` of every snapshot that objects of ``model`` belong to.

    Inside ``collect_changes()`` this only notes the objects; the snapshots
    are moved once when the block ends.
    """
    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return
    pending = _pending.get()
    if pending is not None:
        pending.setdefault(model, set()).update(pks)
        return
    kind = kind_of(model)
    # Chunks keep a huge import under every database's limit on parameters.
    for start in range(0, len(pks), 10_000):
        snapshots = kind.snapshots(pks[start : start + 10_000])
        snapshot_pks = list(snapshots.values_list("pk", flat=True))
        if snapshot_pks:
            models.Snapshot.objects.filter(pk__in=snapshot_pks).update(
                updated_at=timezone.now()
            )
            content_changed.send(sender=model, snapshot_pks=snapshot_pks)


@contextmanager
def collect_changes():
    """
    Gather the changes of a long run of saves (an import) and move each
    snapshot once at the end, instead of once per row. Call it inside the
    run's transaction so the move commits or rolls back with the rows.
    """
    if _pending.get() is not None:
        yield
        return
    token = _pending.set({})
    try:
        yield
        changes = _pending.get()
    finally:
        _pending.reset(token)
    for model, pks in changes.items():
        touch(model, sorted(pks))


# Raw saves count too: a restored version (django-reversion) is a change.


def _before_save(sender, instance, **kwargs):
    # A change may move the object to another snapshot: the one it leaves
    # has changed too, so note where it belongs before the row is written.
    if not instance._state.adding:
        kind = kind_of(sender)
        instance._snapshots_before = list(
            kind.snapshots([instance.pk]).values_list("pk", flat=True)
        )


def _after_save(sender, instance, **kwargs):
    touch(models.Snapshot, instance.__dict__.pop("_snapshots_before", ()))
    touch(sender, [instance.pk])


def _before_delete(sender, instance, **kwargs):
    # Before the row goes, while the path to its snapshots still exists.
    touch(sender, [instance.pk])


def _snapshot_saved_or_deleted(sender, instance, **kwargs):
    content_changed.send(sender=sender, snapshot_pks=[instance.pk])


def connect_signals():
    """Every create, change and delete of content moves its snapshots."""
    for kind in CONTENT:
        uid = f"reviews.content.{kind.sheet}"
        if kind.model is models.Snapshot:
            # Its own ``updated_at`` is ``auto_now``; caches still need to know.
            for signal in (post_save, post_delete):
                signal.connect(
                    _snapshot_saved_or_deleted, sender=models.Snapshot, dispatch_uid=uid
                )
            continue
        pre_save.connect(_before_save, sender=kind.model, dispatch_uid=uid)
        post_save.connect(_after_save, sender=kind.model, dispatch_uid=uid)
        pre_delete.connect(_before_delete, sender=kind.model, dispatch_uid=uid)


# History ---------------------------------------------------------------------


def revision_follows():
    """
    What each model's revision carries along, from the map: a parent follows
    its parts (a snapshot its meeting, conclusions, timeline and counts; a
    meeting its people, days and figures…), and a count follows the shared
    group it names, so one revision of a snapshot holds all of its content.
    """
    follows = {kind.model: [] for kind in CONTENT}
    for kind in CONTENT:
        if not kind.hops:
            continue
        first = kind.hops[0]
        if first.concrete:
            follows[first.related_model].append(first.remote_field.get_accessor_name())
        else:
            follows[first.related_model].append(first.field.name)
    return follows


def register_revisions():
    """
    Keep every version of every kind of content (django-reversion), in
    each language's own field: the untranslated name of a translated field
    reads and writes whichever language is active, so it is left out.
    """
    import reversion

    for model, follow in revision_follows().items():
        reversion.register(
            model,
            follow=follow,
            # A restore is a change: it moves "last updated", never rewinds it.
            exclude=(*translated_fields(model), "updated_at"),
        )
