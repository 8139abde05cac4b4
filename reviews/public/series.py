"""
The snapshots on the site as a series: the archive, newest first, and each
snapshot's neighbours, as their current publications show them.
"""

from django.db.models import F, Q, Subquery

from reviews.public.renderings import snapshot_of
from reviews.publishing.models import Publication


def archive():
    """Every snapshot on the site, the newest issue first, in one query."""
    current = Publication.objects.current().order_by("-snapshot__number")
    return [snapshot_of(publication) for publication in current]


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
