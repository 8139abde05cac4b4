"""
The project's settings with one more kind of content (``tests.new_kind``):
for tests/test_groups.py, which migrates a project with it in a subprocess.
"""

import os

from reviews import content
from reviewsite.settings import *  # noqa: F403
from reviewsite.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.new_kind"]

# The new kind's entry in the content map, as a new model of the content app
# would have it; read before any app is loaded.
content.CONTENT = (
    *content.CONTENT,
    content.Kind("new_kind.Note", "notes", "snapshot", ("snapshot", "order")),
)

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["TEST_PROJECT_DATABASE"],
    }
}
