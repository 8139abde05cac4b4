"""
The site's languages as code needs them, read from settings (``LANGUAGES``)
through modeltranslation's registry: no other module names a language.
"""

from django.conf import settings
from django.core import checks
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
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


def is_public(code):
    """Whether readers may get ``code``: a language in ``PUBLIC_LANGUAGES``."""
    return code in public_languages()


def readers_language(request):
    """
    The public language a reader asks for: her language cookie, then her
    browser's Accept-Language, in its order of preference; the first public
    language when she asks for none of them. A language that is edited but
    not yet public is never picked (Django's own choice would pick it).
    """
    asked = [request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)] + [
        code
        for code, _quality in parse_accept_lang_header(
            request.headers.get("Accept-Language", "")
        )
    ]
    for code in filter(None, asked):
        try:
            supported = translation.get_supported_language_variant(code)
        except LookupError:
            continue
        if is_public(supported):
            return supported
    return next(iter(public_languages()), settings.LANGUAGE_CODE)


def check_public_languages(app_configs=None, **kwargs):
    """Warn of a ``PUBLIC_LANGUAGES`` naming a language the site does not have."""
    codes = [code for code, _name in settings.LANGUAGES]
    return [
        checks.Warning(
            f"PUBLIC_LANGUAGES names {code!r}, which is not in LANGUAGES: "
            "readers never get it.",
            hint="Add the language to LANGUAGES, or remove it from "
            "PUBLIC_LANGUAGES (DJANGO_PUBLIC_LANGUAGES).",
            id="reviews.W101",
        )
        for code in getattr(settings, "PUBLIC_LANGUAGES", ())
        if code not in codes
    ]
