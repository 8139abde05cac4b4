"""The Editors group follows the content map, kept in step on every migrate."""

import json

from django.contrib.auth.models import Group

from reviews.content import CONTENT
from reviews.groups import EDITORS, GROUPS

from . import projects

NOTE_PERMISSIONS = """
import json
from django.contrib.auth.models import Group
editors = Group.objects.get(name="Editors")
print(json.dumps(sorted(
    editors.permissions.filter(content_type__app_label="new_kind")
    .values_list("codename", flat=True)
)))
"""

DROP_EXPORT = """
from django.contrib.auth.models import Group, Permission
Group.objects.get(name="Editors").permissions.remove(
    Permission.objects.get(codename="export_note")
)
"""


def manage(tmp_path, *arguments):
    """A command of the project, run with the new kind of content installed."""
    return projects.manage("tests.new_kind_settings", tmp_path, *arguments)


def note_permissions(tmp_path):
    return json.loads(
        manage(tmp_path, "shell", "--no-imports", "--command", NOTE_PERMISSIONS)
    )


def test_a_new_kind_of_content_reaches_the_editors_group_on_migrate(tmp_path):
    """A model added to the content map gives Editors its six permissions."""
    manage(tmp_path, "migrate", "--run-syncdb", "--verbosity", "0")
    assert note_permissions(tmp_path) == sorted(
        f"{action}_note" for action in GROUPS[EDITORS].content_actions
    )


def test_every_migrate_brings_back_a_content_permission_removed(tmp_path):
    """The group is kept in step on each migrate, not once by a data migration."""
    manage(tmp_path, "migrate", "--run-syncdb", "--verbosity", "0")
    manage(tmp_path, "shell", "--no-imports", "--command", DROP_EXPORT)
    assert "export_note" not in note_permissions(tmp_path)
    manage(tmp_path, "migrate", "--verbosity", "0")
    assert "export_note" in note_permissions(tmp_path)


def test_editors_hold_six_permissions_on_every_kind_of_content(db):
    """After the test database's migrate, each kind's six permissions."""
    granted = set(
        Group.objects.get(name=EDITORS).permissions.values_list(
            "content_type__model", "codename"
        )
    )
    for kind in CONTENT:
        name = kind.model._meta.model_name
        for action in GROUPS[EDITORS].content_actions:
            assert (name, f"{action}_{name}") in granted
