"""
The next snapshot of a series, started from what the last one published:
its meeting, days, round tables, people, conclusions, timeline and counts
copied as a new working copy numbered one higher, for editors to change
into the new issue. Nothing of it is public until it is published.
"""

import reversion
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from reviews.content import CONTENT, snapshot_model
from reviews.publishing.content import objects_of
from reviews.publishing.shared import lead_to, row_now


def next_free_number():
    return (
        snapshot_model().objects.aggregate(highest=Max("number"))["highest"] or 0
    ) + 1


def as_new_row(obj, copies):
    """
    ``obj`` made a new row whose relations to rows already copied (by
    ``(model, old pk)`` in ``copies``) lead to their copies.
    """
    obj.pk = None
    obj._state.adding = True
    return lead_to(obj, copies)


@transaction.atomic
def start_next_issue(publication, user, slug):
    """
    A new snapshot holding ``publication``'s content, numbered after every
    snapshot there is, at ``slug``, as one revision; returns it. Stakeholder
    groups are shared by every snapshot: the copy counts the same ones,
    those deleted since included (``shared.row_now``).
    """
    objects = objects_of(publication.content)
    copies = {}
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(
            _("Started from %(publication)s") % {"publication": publication}
        )
        for kind in CONTENT:
            for obj in objects.get(kind.label, []):
                if kind.shared:
                    copies[kind.model, obj.pk] = row_now(obj, kind)
                    continue
                old_pk = obj.pk
                row = as_new_row(obj, copies)
                if kind.model is snapshot_model():
                    row.number = next_free_number()
                    row.slug = slug
                row.save()
                copies[kind.model, old_pk] = row.pk
    return snapshot_model().objects.get(
        pk=copies[snapshot_model(), publication.snapshot_id]
    )
