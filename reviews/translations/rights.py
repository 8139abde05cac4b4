"""
Who may change which language's texts.

A translator holds ``translations.translate_<language>`` for each language
they translate into (the Translators group: every target language), and
only *view* on the content: they change the texts of those languages, by
every route that writes texts (the admin's fields, the translation editor,
the workbook's columns, XLIFF), and nothing else. Editors change everything.
The permissions are made for the languages of the settings on every
``migrate`` (``reviews.groups``).
"""

from modeltranslation.utils import build_localized_fieldname

from reviews.groups import translate_codename
from reviews.languages import target_languages, translated_fields


def languages_translated_by(user):
    """The target languages ``user`` may write texts in."""
    return [
        language
        for language in target_languages()
        if user.has_perm(f"translations.{translate_codename(language)}")
    ]


def writable_columns(user, model):
    """
    The columns of ``model`` ``user`` may change: all with *change* on it,
    else the translated columns of the languages they translate.
    """
    opts = model._meta
    if user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        return None  # every column
    return {
        build_localized_fieldname(name, language)
        for name in translated_fields(model)
        for language in languages_translated_by(user)
    }
