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


def source_language():
    """The language translations are made from (``SOURCE_LANGUAGE``)."""
    return getattr(settings, "SOURCE_LANGUAGE", settings.LANGUAGE_CODE)


def target_languages():
    """Every language of the settings but the source, in their order."""
    return [code for code, _name in settings.LANGUAGES if code != source_language()]


def public_languages():
    """
    The languages readers get (``PUBLIC_LANGUAGES``; every language of the
    settings unless it says otherwise): a language added to ``LANGUAGES``
    is edited and translated before it is listed there.
    """
    codes = [code for code, _name in settings.LANGUAGES]
    chosen = getattr(settings, "PUBLIC_LANGUAGES", None)
    return codes if chosen is None else [code for code in codes if code in chosen]
