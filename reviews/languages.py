"""
The site's languages as code needs them, read from settings (``LANGUAGES``)
through modeltranslation's registry: no other module names a language.
"""

from django.conf import settings
from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.utils import build_localized_fieldname


def in_default_language(name):
    """The field that holds ``name`` in the site's default language."""
    return build_localized_fieldname(name, settings.LANGUAGE_CODE)


def in_every_language(name, value):
    """Field values giving ``name`` the same ``value`` in every language."""
    return {
        build_localized_fieldname(name, code): value for code in AVAILABLE_LANGUAGES
    }
