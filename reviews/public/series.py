"""
The snapshots on the site as a series: the archive, newest first, and each
snapshot's neighbours, as their current publications show them.
"""

from django.db.models import F, Q, Subquery

from reviews.public.renderings import snapshot_of
from reviews.publishing.models import Publication
from reviews.publishing.version_changes import changes_between


def archive():
    """Every snapshot on the site, the newest issue first, in one query."""
    current = Publication.objects.current().order_by("-snapshot__number")
    return [snapshot_of(publication) for publication in current]


def described_first_issue_first(snapshots):
    """The ``snapshots`` whose meeting is described, the first issue first."""
    return [s for s in reversed(snapshots) if hasattr(s, "meeting")]


def neighbours(snapshot):
    """
    The snapshots on the site numbered just before and just after
    ``snapshot`` (None where there is none), as their readers see them, in
    one query.
    """
    others = Publication.objects.current().exclude(snapshot_id=snapshot.pk)
    before = others.filter(snapshot__number__lt=snapshot.number).order_by(
        "-snapshot__number"
    )
    after = others.filter(snapshot__number__gt=snapshot.number).order_by(
        "snapshot__number"
    )
    found = {
        publication.snapshot_number: snapshot_of(publication)
        for publication in Publication.objects.filter(
            Q(pk=Subquery(before.values("pk")[:1]))
            | Q(pk=Subquery(after.values("pk")[:1]))
        ).annotate(snapshot_number=F("snapshot__number"))
    }
    previous = [found[n] for n in sorted(found) if n < snapshot.number]
    following = [found[n] for n in sorted(found) if n > snapshot.number]
    return (previous[-1] if previous else None, following[0] if following else None)


def announcements():
    """Every publication that has gone live, each version, the newest first."""
    return [
        snapshot_of(publication)
        for publication in Publication.objects.live().newest_first()[:50]
    ]


def earlier_versions(publication):
    """The snapshot's versions on the site before ``publication``, the latest first."""
    return list(
        Publication.objects.live()
        .filter(snapshot_id=publication.snapshot_id, number__lt=publication.number)
        .order_by("-number")
    )


def version_history(snapshot):
    """
    What a snapshot's page says of its versions: the earlier ones, and what
    changed since the one before, in the active language. Empty for a
    working copy.
    """
    publication = getattr(snapshot, "publication", None)
    if publication is None:
        return {"earlier_versions": [], "changes": []}
    earlier = earlier_versions(publication)
    return {
        "earlier_versions": earlier,
        "changes": changes_between(earlier[0], publication) if earlier else [],
    }
