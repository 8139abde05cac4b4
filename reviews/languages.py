"""
The site's languages as code needs them, read from settings (``LANGUAGES``)
through modeltranslation's registry: no other module names a language.
"""

from django.conf import settings
from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname


def in_default_language(name):
    """The field that holds ``name`` in the site's default language."""
    return build_localized_fieldname(name, settings.LANGUAGE_CODE)


def in_every_language(name, value):
    """Field values giving ``name`` the same ``value`` in every language."""
    return {
        build_localized_fieldname(name, code): value for code in AVAILABLE_LANGUAGES
    }


def translated_fields(model):
    """The model's translated fields, in the order the model declares them."""
    try:
        translated = translator.get_options_for_model(model).fields
    except NotRegistered:
        return ()
    return tuple(field.name for field in model._meta.fields if field.name in translated)
