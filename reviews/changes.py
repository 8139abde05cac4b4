"""
When a snapshot's content changed: every create, change and delete of any
kind of content (``reviews.content.CONTENT``), by any route (the admin, an
inline, an import, a restore, code), moves the ``updated_at`` of the
snapshots it belongs to in the same transaction, then sends
``content_changed``, which caches of a snapshot's pages listen to.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import Signal
from django.utils import timezone

from reviews.content import CONTENT, kind_of, snapshot_model

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
            snapshot_model().objects.filter(pk__in=snapshot_pks).update(
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
    touch(snapshot_model(), instance.__dict__.pop("_snapshots_before", ()))
    touch(sender, [instance.pk])


def _before_delete(sender, instance, **kwargs):
    # Before the row goes, while the path to its snapshots still exists.
    touch(sender, [instance.pk])


def _snapshot_saved_or_deleted(sender, instance, **kwargs):
    content_changed.send(sender=sender, snapshot_pks=[instance.pk])


def connect_signals():
    """Every create, change and delete of content moves its snapshots."""
    for kind in CONTENT:
        uid = f"reviews.changes.{kind.sheet}"
        if kind.model is snapshot_model():
            # ``Snapshot.save()`` moves its own ``updated_at``; caches still
            # need to know.
            for signal in (post_save, post_delete):
                signal.connect(
                    _snapshot_saved_or_deleted,
                    sender=snapshot_model(),
                    dispatch_uid=uid,
                )
            continue
        pre_save.connect(_before_save, sender=kind.model, dispatch_uid=uid)
        post_save.connect(_after_save, sender=kind.model, dispatch_uid=uid)
        pre_delete.connect(_before_delete, sender=kind.model, dispatch_uid=uid)
