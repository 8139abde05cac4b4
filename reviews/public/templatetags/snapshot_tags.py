"""Template helpers for the public pages: markup, numbers, dates, languages."""

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.safestring import mark_safe
from modeltranslation.utils import build_localized_fieldname, get_language

from reviews import dates, languages
from reviews.markup import render_inline_markup, render_markup
from reviews.public import embeds, numbers, schedule, structured_data
from reviews.public.files import file_path

register = template.Library()

register.filter("markup", render_markup)
register.filter("inline_markup", render_inline_markup)
register.filter("day_heading", dates.day_heading)
register.filter("full_date", dates.one_day)
register.filter("number", numbers.number)
register.simple_tag(schedule.meeting_schedule, name="meeting_schedule")
# A download's address: on a version's page, that version's file.
register.simple_tag(file_path, name="file_url")


@register.simple_tag
def lang_if_fallback(obj, field):
    """
    ` lang="en"` when the text shown for ``field`` is the English fallback of
    a missing translation, so screen readers pronounce it as English.
    """
    language = get_language()
    if getattr(obj, build_localized_fieldname(field, language), None):
        return ""
    for fallback in settings.MODELTRANSLATION_FALLBACK_LANGUAGES:
        if fallback != language and getattr(
            obj, build_localized_fieldname(field, fallback), None
        ):
            return mark_safe(f' lang="{fallback}"')
    return ""


@register.simple_tag(takes_context=True)
def url_in(context, language):
    """
    This page's address in another language, for the switcher and hreflang;
    the language's home when this page has no such address (a 404).
    """
    request = context["request"]
    url = translate_url(request.path, language)
    if url == request.path and language != get_language():
        with translation.override(language):
            url = reverse("reviews:latest")
    return request.build_absolute_uri(url)


@register.simple_tag(takes_context=True)
def absolute_path(context, path):
    """A path of the site with the scheme and host, as links shared elsewhere need."""
    return context["request"].build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def absolute_url(context, name, *args):
    """``{% url %}`` with the scheme and host."""
    return absolute_path(context, reverse(name, args=args))


@register.simple_tag(takes_context=True)
def snapshot_addresses(context, snapshot):
    """The snapshot's canonical address per language and its x-default."""
    return structured_data.addresses(context["request"], snapshot)


@register.inclusion_tag("includes/chart.html", takes_context=True)
def chart(context, name, beside=True):
    """A chart of the page, with its title, unit, source and take-away links."""
    snapshot = context["snapshot"]
    return {
        "chart": context["charts"].get(name),
        "snapshot": snapshot,
        # A preview without its meeting has no downloads yet.
        "links": hasattr(snapshot, "meeting"),
        "beside": beside,
        "request": context.get("request"),
    }


@register.simple_tag(takes_context=True, name="embed_code")
def embed_code_tag(context, snapshot, chart):
    """The HTML another site pastes to show ``chart``; shown with ``force_escape``."""
    return embeds.embed_code(context["request"], snapshot, chart)


register.simple_tag(languages.public_languages, name="public_languages")


@register.filter
def languages_from(language):
    """The public languages, the reader's first: for pages shown in all of them."""
    return sorted(languages.public_languages(), key=lambda code: code != language)


@register.simple_tag(takes_context=True, name="structured_data")
def structured_data_tag(context, snapshot, addresses, share_image):
    """The snapshot's JSON-LD, for a ``<script type="application/ld+json">``."""
    text = structured_data.json_ld(context["request"], snapshot, addresses, share_image)
    return mark_safe(text)  # JSON with every <, > and & escaped
