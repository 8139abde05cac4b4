"""
What built a page: the identity of this code and of the settings that shape
pages. Stored pages (``reviews.public.renderings``) and the page cache's
copies are kept per build, so a deploy that changes a template, a catalogue,
a static file or the code is never sent a page the release before built,
while servers of both releases share one cache during a rolling deploy.
"""

import functools
import hashlib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.signals import setting_changed

from reviews.languages import public_languages

#: What the site's files are made of, read once per process: the templates,
#: the translations, the static files' manifest and the code.
SOURCE_PATTERNS = ("templates/**/*", "reviews/**/*.py", "**/locale/**/*.mo")


@functools.cache
def source_digest():
    digest = hashlib.sha256()
    roots = {Path(settings.BASE_DIR)} | {
        Path(config.path)
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR)
    }
    files = sorted(
        {
            path
            for root in roots
            for pattern in SOURCE_PATTERNS
            for path in root.glob(pattern)
            if path.is_file() and ".venv" not in path.parts
        }
    )
    for path in files:
        digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
        digest.update(path.read_bytes())
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    if manifest and staticfiles_storage.exists(manifest):
        with staticfiles_storage.open(manifest) as file:
            digest.update(file.read())
    return digest.hexdigest()


def build_id():
    """This code's and these settings' identity: what a stored page was built by."""
    shaping = repr(
        (
            settings.LANGUAGES,
            # Pages link to each public language (switcher, hreflang).
            public_languages(),
            settings.LANGUAGE_CODE,
            settings.STATIC_URL,
            settings.TIME_ZONE,
        )
    )
    return hashlib.sha256((source_digest() + shaping).encode()).hexdigest()


def forget_sources(setting, **kwargs):
    if setting in ("TEMPLATES", "STORAGES", "LOCALE_PATHS"):
        source_digest.cache_clear()


setting_changed.connect(forget_sources, dispatch_uid="reviews.pagecache.build")
