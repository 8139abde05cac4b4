"""
The groups whose rights follow the content map: Editors hold every content
permission (``CONTENT_PERMISSIONS``) on every kind of content in
``reviews.content.CONTENT``, and nothing else.

They are kept in step after every ``migrate`` rather than by a one-off data
migration, so that a kind of content added later reaches the group too. A
permission an administrator removed from a group by hand is added back, and
one added by hand is left alone.
"""

from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

from reviews.content import CONTENT
from reviews.models import CONTENT_PERMISSIONS

EDITORS = "Editors"

#: Each group's name and the actions it holds on every kind of content.
GROUPS = {EDITORS: CONTENT_PERMISSIONS}


def content_permissions(models, actions, using=DEFAULT_DB_ALIAS):
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    types = ContentType.objects.db_manager(using).get_for_models(
        *models, for_concrete_models=False
    )
    return Permission.objects.using(using).filter(
        content_type__in=types.values(),
        codename__in=[
            f"{action}_{model._meta.model_name}"
            for model in models
            for action in actions
        ],
    )


def sync_group(name, models=None, using=DEFAULT_DB_ALIAS):
    """Make sure group ``name`` exists and holds its actions on ``models``."""
    from django.contrib.auth.models import Group

    models = [kind.model for kind in CONTENT] if models is None else models
    group, _created = Group.objects.using(using).get_or_create(name=name)
    group.permissions.add(*content_permissions(models, GROUPS[name], using))
    return group


def keep_groups_in_step(app_config, using=DEFAULT_DB_ALIAS, **kwargs):
    """
    ``post_migrate``: sent once per app. The content models of that app get
    their permissions (created here first, since this may run before the
    auth app's own handler) and each group its actions on them.
    """
    models = [
        kind.model for kind in CONTENT if kind.model._meta.app_config is app_config
    ]
    if not models:
        return
    create_permissions(app_config, verbosity=0, using=using)
    for name in GROUPS:
        sync_group(name, models, using)
