"""
The groups whose rights follow the content map. Editors hold every content
permission (``CONTENT_PERMISSIONS``) on every kind of content in
``reviews.content.CONTENT`` and may see the publications; Publishers hold
the same and may also publish, schedule, unpublish and republish
(``publishing.publish_snapshot``); Translators see the content and translate
into every target language (``translations.translate_<language>``).
Nothing else: no users, no groups.

They are kept in step after every ``migrate`` rather than by a one-off data
migration, so that a kind of content added later reaches the groups too. A
permission an administrator removed from a group by hand is added back, and
one added by hand is left alone.
"""

from dataclasses import dataclass

from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

from reviews.content import CONTENT
from reviews.languages import target_languages
from reviews.models import CONTENT_PERMISSIONS

EDITORS = "Editors"
PUBLISHERS = "Publishers"
TRANSLATORS = "Translators"
#: Beyond the content: publications are listed to both groups and made by one.
SEE_PUBLICATIONS = "publishing.view_publication"
PUBLISH = "publishing.publish_snapshot"


@dataclass(frozen=True)
class Rights:
    #: The actions held on every kind of content.
    content_actions: tuple[str, ...]
    #: Other permissions, as ``app_label.codename``.
    permissions: tuple[str, ...] = ()
    #: Whether the group translates into every target language of the
    #: settings (``translations.translate_<language>``).
    translates: bool = False

    def named_permissions(self):
        if not self.translates:
            return self.permissions
        return (
            *self.permissions,
            *(
                f"translations.{translate_codename(code)}"
                for code in target_languages()
            ),
        )


def translate_codename(language):
    """The permission to write texts in ``language``."""
    return f"translate_{language}"


def make_translate_permissions(app_config, using):
    """One translate permission per target language of the settings."""
    from django.conf import settings
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    model = app_config.get_model("TranslationRecord")
    content_type = ContentType.objects.db_manager(using).get_for_model(model)
    names = dict(settings.LANGUAGES)
    for language in target_languages():
        Permission.objects.using(using).get_or_create(
            content_type=content_type,
            codename=translate_codename(language),
            defaults={"name": f"Can translate into {names[language]}"},
        )


GROUPS = {
    EDITORS: Rights(CONTENT_PERMISSIONS, (SEE_PUBLICATIONS,)),
    PUBLISHERS: Rights(CONTENT_PERMISSIONS, (SEE_PUBLICATIONS, PUBLISH)),
    # Translators see everything and change only their languages' texts
    # (reviews.translations.rights).
    TRANSLATORS: Rights(("view",), (SEE_PUBLICATIONS,), translates=True),
}


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


def named_permissions(names, using=DEFAULT_DB_ALIAS):
    """The permissions named ``app_label.codename`` that exist in the database."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    wanted = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.using(using).filter(wanted)


def sync_group(name, models=None, using=DEFAULT_DB_ALIAS):
    """Make sure group ``name`` exists and holds its rights on ``models``."""
    from django.contrib.auth.models import Group

    rights = GROUPS[name]
    models = [kind.model for kind in CONTENT] if models is None else models
    group, _created = Group.objects.using(using).get_or_create(name=name)
    group.permissions.add(
        *content_permissions(models, rights.content_actions, using),
        *named_permissions(rights.named_permissions(), using),
    )
    return group


def keep_groups_in_step(app_config, using=DEFAULT_DB_ALIAS, **kwargs):
    """
    ``post_migrate``: sent once per app. The content models of that app, and
    the other permissions the groups name in it, get their permissions
    (created here first, since this may run before the auth app's own
    handler), and each group its rights on them.
    """
    models = [
        kind.model for kind in CONTENT if kind.model._meta.app_config is app_config
    ]
    named_here = any(
        permission.split(".")[0] == app_config.label
        for rights in GROUPS.values()
        for permission in rights.named_permissions()
    )
    if not (models or named_here):
        return
    create_permissions(app_config, verbosity=0, using=using)
    if app_config.label == "translations":
        make_translate_permissions(app_config, using)
    for name in GROUPS:
        sync_group(name, models, using)
