"""
The project's settings with a third language, French, configured as a
deployment would: for tests/test_languages.py, which runs the project with
them in a subprocess. French is edited but not public unless
``DJANGO_PUBLIC_LANGUAGES`` lists it; a few of its messages are translated
in ``tests/locale``.
"""

import os

from reviewsite.settings import *  # noqa: F403
from reviewsite.settings import BASE_DIR, LANGUAGES, LOCALE_PATHS

LANGUAGES = [*LANGUAGES, ("fr", "Français")]
# A few of the site's messages in French (tests/locale: its .po and .mo).
LOCALE_PATHS = [BASE_DIR / "tests" / "locale", *LOCALE_PATHS]

# The project's migrations know its two languages; a deployment adding one
# would make a migration. Here the tables come straight from the models.
MIGRATION_MODULES = {"reviews": None, "publishing": None}
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["TEST_PROJECT_DATABASE"],
    }
}
