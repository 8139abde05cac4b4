"""
The project's settings with a third language, Portuguese, configured as a
deployment would: for tests/test_languages.py, which runs the project with
them in a subprocess.
"""

import os

from reviewsite.settings import *  # noqa: F403
from reviewsite.settings import LANGUAGES

LANGUAGES = [*LANGUAGES, ("pt", "Português")]

# The project's migrations know its two languages; a deployment adding one
# would make a migration. Here the tables come straight from the models.
MIGRATION_MODULES = {"reviews": None, "publishing": None}
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["TEST_PROJECT_DATABASE"],
    }
}
