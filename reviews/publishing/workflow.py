"""
What a publisher does: publish (now or at a time), unpublish, republish an
earlier publication, and copy one into the working copy to continue from it.

Each is one transaction. Publishing locks the snapshot's row first: every
change of its content moves that row too (``reviews.changes``), in the
change's own transaction, so while the lock is held no edit can commit, and
the publication holds the content of one moment, never half of an import.
``publications_changed`` is sent inside the transaction; the page cache,
which listens, starts a new generation at once and again on the commit.
"""

import reversion
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.content import CONTENT, snapshot_model
from reviews.languages import public_languages, target_languages
from reviews.publishing import completeness
from reviews.publishing.content import objects_of, serialise, stored_fields
from reviews.publishing.models import Publication, Rendering, Withdrawal
from reviews.publishing.shared import lead_to, row_now
from reviews.translations import status as translation_status
from reviews.translations.status import TRANSLATED

#: Sent after a publication was made, cancelled or a snapshot unpublished.
publications_changed = Signal()


class Refused(Exception):
    """A publishing action that cannot be done, with the reason for the person."""


class Incomplete(Refused):
    """Empty fields a publication needs, or texts not translated for it."""

    def __init__(self, gaps=(), untranslated=()):
        super().__init__(_("The working copy lacks what a publication needs."))
        self.gaps = list(gaps)
        self.untranslated = list(untranslated)


class DifferencesNotAccepted(Refused):
    """Translations that state other figures, links or emphasis, and no reason."""

    def __init__(self, texts):
        super().__init__(
            _(
                "Some translations state other figures, links or emphasis than "
                "their source: say why they may be published."
            )
        )
        self.texts = texts


def check_translations(snapshot, parity_note):
    """
    Refuse texts of a public language that are missing or stale, and
    differences of parity without the publisher's reason; the differences
    accepted, as they are recorded with the publication.
    """
    shown = [code for code in public_languages() if code in target_languages()]
    texts = translation_status.texts(snapshot, shown)
    if untranslated := [text for text in texts if text.state != TRANSLATED]:
        raise Incomplete(untranslated=untranslated)
    differing = [text for text in texts if text.parity]
    if differing and not parity_note.strip():
        raise DifferencesNotAccepted(differing)
    return [
        {
            "object": f"{text.kind.label}:{text.obj.pk}",
            "field": text.column,
            "differences": [difference.what for difference in text.parity],
        }
        for text in differing
    ]


def announce():
    # Sent inside the transaction: listeners that must act after the commit
    # (the page cache starts a generation now and again then) say so.
    publications_changed.send(sender=Publication)


def locked(snapshot):
    return snapshot_model().objects.select_for_update().get(pk=snapshot.pk)


def next_number(snapshot):
    latest = snapshot.publications.order_by("-number").first()
    return latest.number + 1 if latest else 1


def make_publication(snapshot, user, content, goes_live_at, **recorded):
    now = timezone.now()
    try:
        with transaction.atomic():
            publication = Publication.objects.create(
                snapshot=snapshot,
                number=next_number(snapshot),
                slug=content["content"][snapshot_model()._meta.label][0]["slug"],
                content=content,
                published_by=user,
                publisher_name=user.get_username() if user else "",
                created_at=now,
                goes_live_at=max(goes_live_at or now, now),
                **recorded,
            )
    except IntegrityError as error:
        # SQLite takes no row lock: two publishers of one snapshot at once.
        raise Refused(
            _("Another publication of this snapshot was made at the same moment.")
        ) from error
    forget_superseded_pages(snapshot, publication)
    announce()
    return publication


def forget_superseded_pages(snapshot, publication):
    """
    The pages stored for publications no reader will see at the snapshot's
    address again: all but the new one and, until it goes live, the current.
    """
    live = Publication.objects.live().filter(snapshot=snapshot).newest_first()
    keep = [publication.pk, *live.values_list("pk", flat=True)[:1]]
    Rendering.objects.filter(publication__snapshot=snapshot).exclude(
        publication__in=keep
    ).delete()


@transaction.atomic
def publish(snapshot, user, goes_live_at=None, parity_note=""):
    """
    A new publication of the working copy, refused while it has gaps or
    untranslated texts, and while translations differ from their source
    without ``parity_note``, the publisher's reason, kept with it.
    """
    snapshot = locked(snapshot)
    if gaps := completeness.gaps(snapshot):
        raise Incomplete(gaps)
    accepted = check_translations(snapshot, parity_note)
    return make_publication(
        snapshot,
        user,
        serialise(snapshot),
        goes_live_at,
        parity_note=parity_note.strip() if accepted else "",
        parity_differences=accepted,
    )


@transaction.atomic
def republish(publication, user, goes_live_at=None):
    """A new publication with an earlier one's content, as it was."""
    snapshot = locked(publication.snapshot)
    return make_publication(
        snapshot,
        user,
        publication.content,
        goes_live_at,
        republished_from=publication,
        parity_note=publication.parity_note,
        parity_differences=publication.parity_differences,
    )


@transaction.atomic
def unpublish(snapshot, user):
    """
    Take the snapshot off the site now, keeping its publications; scheduled
    ones that have not gone live are cancelled, so it stays off.
    """
    snapshot = locked(snapshot)
    now = timezone.now()
    Publication.objects.filter(snapshot=snapshot).scheduled(now).delete()
    Withdrawal.objects.update_or_create(
        snapshot=snapshot, defaults={"withdrawn_at": now, "withdrawn_by": user}
    )
    announce()


@transaction.atomic
def cancel(publication):
    """Cancel a scheduled publication before anyone has seen it."""
    if not Publication.objects.scheduled().filter(pk=publication.pk).exists():
        raise Refused(
            _("This publication has gone live: it can no longer be cancelled.")
        )
    publication.delete()
    announce()


# Copying a publication into the working copy -------------------------------


def unique_fields(model):
    """The columns that identify a row among its siblings (a position, a day)."""
    names = set()
    for constraint in model._meta.constraints:
        names.update(getattr(constraint, "fields", ()))
    names.update(
        f.name for f in model._meta.concrete_fields if f.unique and not f.primary_key
    )
    return {model._meta.get_field(name).attname for name in names}


def row_values(obj):
    return {
        field.attname: getattr(obj, field.attname) for field in stored_fields(type(obj))
    }


@transaction.atomic
def copy_into_working_copy(publication, user):
    """
    Make the working copy hold the publication's content again, as one
    revision of the history: rows changed since are written back, rows
    added since are deleted, rows deleted since come back with their ids.
    A row whose identifying columns changed (a position swapped) is deleted
    and written again, so two rows never claim one position on the way.
    Stakeholder groups are shared by every snapshot: renamed back, never
    deleted; one deleted since comes back, unless a group took its slug
    since, which is then counted instead. Returns how many rows were
    written and deleted.
    """
    snapshot = locked(publication.snapshot)
    wanted = objects_of(publication.content)
    written = deleted = 0
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(
            _("Copied from publication %(number)s") % {"number": publication.number}
        )
        # Children first, so a parent's delete does not count them twice.
        for kind in reversed(CONTENT):
            published = {obj.pk: obj for obj in wanted.get(kind.label, [])}
            keys = unique_fields(kind.model)
            for current in kind.of_snapshot(snapshot):
                old = published.get(current.pk)
                moved = old is not None and any(
                    getattr(old, key) != getattr(current, key) for key in keys
                )
                if (old is None and not kind.shared) or (moved and not kind.shared):
                    current.delete()
                    deleted += 1
        # Shared rows found again under another key: {(model, old pk): pk}.
        moved_shared = {}
        for kind in CONTENT:
            existing = {
                obj.pk: obj
                for obj in kind.model._base_manager.filter(
                    pk__in=[obj.pk for obj in wanted.get(kind.label, [])]
                )
            }
            for obj in wanted.get(kind.label, []):
                lead_to(obj, moved_shared)
                if kind.shared and obj.pk not in existing:
                    # Deleted since: saved back, or the row typed in again
                    # under its slug, which then keeps its own values.
                    now = row_now(obj, kind)
                    if now == obj.pk:
                        written += 1
                    else:
                        moved_shared[kind.model, obj.pk] = now
                    continue
                current = existing.get(obj.pk)
                if current is not None and row_values(current) == row_values(obj):
                    continue
                obj._state.adding = current is None
                obj.save(force_insert=current is None)
                written += 1
    return written, deleted
