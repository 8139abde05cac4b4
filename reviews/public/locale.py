"""
Only public languages reach readers. A language added to ``LANGUAGES`` is
edited and translated in the admin first; until ``PUBLIC_LANGUAGES`` lists
it, every public address in it answers 404 and no redirect picks it, however
the reader's browser or cookie asks for it. The admin, whose addresses have
no language, still speaks it.
"""

from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from reviews.languages import is_public, readers_language


class PublicLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, for the public languages only."""

    def process_request(self, request):
        super().process_request(request)
        language = translation.get_language()
        if not is_public(language) and (
            translation.get_language_from_path(request.path_info) == language
        ):
            # With a public language active, i18n_patterns' prefix no longer
            # matches "/fr/…": a 404, in a language the reader can have.
            translation.activate(readers_language(request))
            request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if response.status_code == 404 and not is_public(translation.get_language()):
            # An address without a language ("/snapshots/…/") is redirected
            # into the active one: a public one, the browser's if it can be.
            with translation.override(readers_language(request)):
                return super().process_response(request, response)
        return super().process_response(request, response)
