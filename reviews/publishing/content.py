"""
A snapshot's content as one JSON value, and back as the objects pages read.

``serialise`` walks the content map (``reviews.content.CONTENT``): every
kind's rows of the snapshot, every concrete field, each translated text once
per language. ``unpack`` turns that value back into unsaved model instances
wired to one another as ``Snapshot.objects.with_content()`` would return
them (every relation cached, every list prefetched in its model's order), so
the templates, tables, charts and citation build the same page from a
publication as from the working copy, without a query.
"""

import datetime
import functools

from django.core.serializers.json import DjangoJSONEncoder
from modeltranslation.translator import NotRegistered, translator

from reviews.content import CONTENT, kind_of, snapshot_model

#: Bumped when the layout below changes; ``unpack`` reads every format it knows.
FORMAT = 1


@functools.cache
def stored_fields(model):
    """
    The columns a publication keeps: every concrete field but the untranslated
    alias of a translated text (``title`` beside ``title_en``, ``title_es``),
    which modeltranslation fills from the active language.
    """
    try:
        aliases = set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        aliases = set()
    return [field for field in model._meta.concrete_fields if field.name not in aliases]


def to_json(field, value):
    if isinstance(value, datetime.date | datetime.datetime):
        return DjangoJSONEncoder().default(value)
    return value


def serialise(snapshot, models=None):
    """
    ``{"format": 1, "content": {label: [row, …]}}`` for ``snapshot``, rows as
    ``{attname: value}`` in primary-key order. ``models`` maps labels to
    model classes (a migration's historical models, without the kinds added
    later); the installed ones by default.
    """
    content = {}
    for kind in CONTENT:
        model = models.get(kind.label) if models is not None else kind.model
        if model is None:
            continue  # a kind of content added after the migration reading it
        lookup = kind.snapshot_path or "pk"
        rows = model._base_manager.filter(**{lookup: snapshot.pk}).order_by("pk")
        if kind.shared:
            rows = rows.distinct()
        fields = stored_fields(model)
        content[kind.label] = [
            {
                field.attname: to_json(field, getattr(row, field.attname))
                for field in fields
            }
            for row in rows
        ]
    return {"format": FORMAT, "content": content}


def objects_of(value):
    """
    Unsaved instances of every row of a serialised snapshot, by label. A kind
    of content added since it was serialised had no rows then.
    """
    objects = {kind.label: [] for kind in CONTENT}
    for label, rows in value["content"].items():
        try:
            kind = next(kind for kind in CONTENT if kind.label == label)
        except StopIteration:
            continue  # a kind of content since removed from the map
        fields = {field.attname: field for field in stored_fields(kind.model)}
        objects[label] = [
            kind.model(
                **{
                    name: fields[name].to_python(cell)
                    for name, cell in row.items()
                    if name in fields
                }
            )
            for row in rows
        ]
    return objects


def unpack(value):
    """The snapshot of a serialised value, with its content wired as pages read it."""
    (snapshot,) = wired_objects(value)[snapshot_model()].values()
    return snapshot


def wired_objects(value):
    """
    Every object of a serialised value, by model and primary key, wired to
    one another as ``unpack`` wires them.
    """
    objects = objects_of(value)
    by_model = {}
    for label, instances in objects.items():
        by_model[kind_of_label(label).model] = {obj.pk: obj for obj in instances}
    for model, instances in by_model.items():
        for instance in instances.values():
            instance._state.adding = False
            instance._state.db = "default"
            instance._prefetched_objects_cache = {}
        cache_forward_relations(model, instances, by_model)
    for model, instances in by_model.items():
        cache_reverse_relations(model, instances, by_model)
    return by_model


def kind_of_label(label):
    return next(kind for kind in CONTENT if kind.label == label)


def cache_forward_relations(model, instances, by_model):
    """Each foreign key to a kind of content leads to its instance, not a query."""
    for field in model._meta.concrete_fields:
        if not field.is_relation or field.related_model not in by_model:
            continue
        targets = by_model[field.related_model]
        for instance in instances.values():
            target_pk = getattr(instance, field.attname)
            field.set_cached_value(instance, targets.get(target_pk))


def cache_reverse_relations(model, instances, by_model):
    """
    Each list of a kind of content (a snapshot's conclusions, a day's round
    tables) is prefetched, in its model's order; a reverse one-to-one (the
    snapshot's meeting) is cached, ``None`` when there is none.
    """
    if kind_of(model).shared:
        # A stakeholder group's counts are every snapshot's, not this one's.
        return
    for relation in model._meta.related_objects:
        related = relation.related_model
        if related not in by_model:
            continue
        children = {}
        for child in by_model[related].values():
            children.setdefault(getattr(child, relation.field.attname), []).append(
                child
            )
        for instance in instances.values():
            own = children.get(instance.pk, [])
            if relation.one_to_one:
                relation.set_cached_value(instance, own[0] if own else None)
                continue
            accessor = relation.get_accessor_name()
            queryset = getattr(instance, accessor).all()
            queryset._result_cache = in_model_order(related, own)
            queryset._prefetch_done = True
            instance._prefetched_objects_cache[relation.cache_name] = queryset


def in_model_order(model, objects):
    """``objects`` sorted as ``model.Meta.ordering`` sorts its rows."""
    ordered = list(objects)
    for name in reversed(list(model._meta.ordering)):
        descending = name.startswith("-")
        name = name.lstrip("-")
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        attname = field.attname

        def key(obj, attname=attname):
            value = getattr(obj, attname)
            return (value is None, value if value is not None else 0)

        ordered.sort(key=key, reverse=descending)
    return ordered
