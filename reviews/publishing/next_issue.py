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
    for field in type(obj)._meta.concrete_fields:
        if field.is_relation:
            old = (field.related_model, getattr(obj, field.attname))
            if old in copies:
                setattr(obj, field.attname, copies[old])
    return obj


def shared_row(obj, kind):
    """
    The primary key of the row a shared object of a publication is now:
    itself, or the row that took its natural key since (a stakeholder group
    typed in again), or itself brought back as published when it was
    deleted since, as no working copy counted it any more.
    """
    rows = kind.model._base_manager
    if rows.filter(pk=obj.pk).exists():
        return obj.pk
    key = {name: getattr(obj, name) for name in kind.natural_key}
    if (same := rows.filter(**key).first()) is not None:
        return same.pk
    obj.save(force_insert=True)
    return obj.pk


@transaction.atomic
def start_next_issue(publication, user, slug):
    """
    A new snapshot holding ``publication``'s content, numbered after every
    snapshot there is, at ``slug``, as one revision; returns it. Stakeholder
    groups are shared by every snapshot: the copy counts the same ones,
    those deleted since included (``shared_row``).
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
                    copies[kind.model, obj.pk] = shared_row(obj, kind)
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
