"""
Rows every snapshot shares (stakeholder groups), as a publication names
them, found again when its content is written back into the database (the
next snapshot, a copy into the working copy): the group may have been
deleted since no working copy counted it, or typed in again under its slug.
"""


def row_now(obj, kind):
    """
    The primary key a shared object of a publication has now: its own, or
    that of the row holding its natural key since; or its own again, the
    object saved back as published, when neither exists.
    """
    rows = kind.model._base_manager
    if rows.filter(pk=obj.pk).exists():
        return obj.pk
    key = {name: getattr(obj, name) for name in kind.natural_key}
    if (same := rows.filter(**key).first()) is not None:
        return same.pk
    obj.save(force_insert=True)
    return obj.pk


def lead_to(obj, rows):
    """
    ``obj`` with each relation to a row of ``rows`` (``{(model, old pk): pk}``)
    leading to that row's key now.
    """
    for field in type(obj)._meta.concrete_fields:
        if field.is_relation:
            old = (field.related_model, getattr(obj, field.attname))
            if old in rows:
                setattr(obj, field.attname, rows[old])
    return obj
