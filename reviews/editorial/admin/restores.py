"""
Restores and recoveries that change only what they name.

django-reversion reverts a version's whole revision, and a revision of a
snapshot carries all of its content along (``reviews.revisions``): restoring
a snapshot's version, or recovering one deleted conclusion, would roll back
every part of the snapshot. Here a restore writes back the object's own
fields, and those of the parts the editor ticks (the parts as they were,
rows added since removed); a recovery brings back the object and the parts
deleted with it. Each page first lists every object that will change, and
what; each needs the rights to change (add, delete) every kind it writes.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext

from reviews import changes
from reviews.revisions import revision_follows
from reviews.spreadsheets.imports import restore as write_back


def stored_values(obj):
    return {f.attname: f.value_from_object(obj) for f in obj._meta.concrete_fields}


def model_field(model, attname):
    return next(f for f in model._meta.concrete_fields if f.attname == attname)


@dataclass
class Plan:
    """What a restore or a recovery will write, and the rights it needs."""

    #: The versions written back, the object's own first.
    versions: list = field(default_factory=list)
    #: The rows removed: parts added since the version, when restored.
    removed: list = field(default_factory=list)

    def add(self, version):
        if version.pk not in {v.pk for v in self.versions}:
            self.versions.append(version)

    def needed_permissions(self):
        """(model, action) for every right the plan uses."""
        needed = set()
        for version in self.versions:
            model = version._model
            exists = model._base_manager.filter(pk=version.object_id).exists()
            needed.add((model, "change" if exists else "add"))
        needed |= {(type(row), "delete") for row in self.removed}
        return needed

    def allowed(self, user):
        return all(
            user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")
            for model, action in self.needed_permissions()
        )

    def preview(self):
        """Every object that will change: what it is, and each field's change."""
        entries = []
        for version in self.versions:
            model = version._model
            current = model._base_manager.filter(pk=version.object_id).first()
            now = stored_values(current) if current else {}
            then = version.field_dict
            changed = [
                (model_field(model, name), now.get(name), value)
                for name, value in then.items()
                if name != model._meta.pk.attname
                and (now.get(name) or None) != (value or None)
            ]
            if current is None or changed:
                entries.append(
                    {
                        "object": version.object_repr,
                        "kind": model._meta.verbose_name,
                        "action": "change" if current else "add",
                        "changes": changed if current else [],
                    }
                )
        entries += [
            {
                "object": str(row),
                "kind": row._meta.verbose_name,
                "action": "delete",
                "changes": [],
            }
            for row in self.removed
        ]
        return entries

    def carry_out(self):
        """Write the plan; raises ``UndoFailed`` when rows clash (nothing kept)."""
        for row in self.removed:
            row.delete()
        write_back(self.versions)
        # Written back raw, without the signals that move "last updated".
        for version in self.versions:
            changes.touch(version._model, [version.object_id])

    def summary(self):
        """What the plan did, in a sentence for the editor."""
        counts = {}
        for entry in self.preview():
            counts[entry["action"]] = counts.get(entry["action"], 0) + 1
        return gettext(
            "%(changed)s changed, %(added)s brought back, %(removed)s removed."
        ) % {
            "changed": counts.get("change", 0),
            "added": counts.get("add", 0),
            "removed": counts.get("delete", 0),
        }


def parts_of(model):
    """The parts of ``model`` a restore may also bring back, by accessor name."""
    return [
        name
        for name in revision_follows().get(model, [])
        if not model._meta.get_field(name).concrete
    ]


def part_versions(version, accessor):
    """The versions, in ``version``'s revision, of its parts along ``accessor``."""
    relation = version._model._meta.get_field(accessor)
    part_model, link = relation.related_model, relation.field.attname
    return [
        other
        for other in version.revision.version_set.select_related("content_type")
        if other.content_type.model_class() is part_model
        and str(other.field_dict.get(link)) == str(version.object_id)
    ]


def restore_plan(version, ticked):
    """The object's own fields, and the ticked parts as they were."""
    plan = Plan()
    plan.add(version)
    current = version._model._base_manager.filter(pk=version.object_id).first()
    for accessor in ticked:
        then = part_versions(version, accessor)
        for part in then:
            plan.add(part)
        if current is not None:
            kept = {str(part.object_id) for part in then}
            plan.removed += [
                row
                for row in getattr(current, accessor).all()
                if str(row.pk) not in kept
            ]
    return plan


def recover_plan(version):
    """The deleted object, and its parts (and theirs) deleted with it."""
    plan = Plan()
    pending = [version]
    while pending:
        current = pending.pop()
        plan.add(current)
        for accessor in parts_of(current._model):
            pending += [
                part
                for part in part_versions(current, accessor)
                if not part._model._base_manager.filter(pk=part.object_id).exists()
            ]
    return plan
