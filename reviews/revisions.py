"""
History: every version of every kind of content, kept by django-reversion,
with what each model's revision carries along derived from the content map.
"""

import reversion

from reviews.content import CONTENT
from reviews.languages import translated_fields


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
    for model, follow in revision_follows().items():
        reversion.register(
            model,
            follow=follow,
            # A restore is a change: it moves "last updated", never rewinds it.
            exclude=(*translated_fields(model), "updated_at"),
        )
