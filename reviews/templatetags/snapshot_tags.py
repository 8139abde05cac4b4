"""Template helpers for the public pages: markup, numbers, dates, languages."""

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from modeltranslation.utils import get_language

from reviews import dates
from reviews.markup import render_inline_markup, render_markup

register = template.Library()

register.filter("markup", render_markup)
register.filter("inline_markup", render_inline_markup)
register.filter("day_heading", dates.day_heading)


@register.filter
def number(value):
    """A count with the active language's digit grouping: 1,234 / 1 234."""
    return number_format(value, force_grouping=True)


@register.simple_tag
def lang_if_fallback(obj, field):
    """
    ` lang="en"` when the text shown for ``field`` is the English fallback of
    a missing translation, so screen readers pronounce it as English.
    """
    language = get_language()
    if getattr(obj, f"{field}_{language}", None):
        return ""
    for fallback in settings.MODELTRANSLATION_FALLBACK_LANGUAGES:
        if fallback != language and getattr(obj, f"{field}_{fallback}", None):
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
def x_default_url(context):
    """
    This page's address without a language prefix, as the sitemap gives it:
    it sends each reader to her own language (``/`` and LocaleMiddleware).
    """
    default = f"/{settings.LANGUAGE_CODE}/"
    url = translate_url(context["request"].path, settings.LANGUAGE_CODE)
    if url.startswith(default):
        url = "/" + url.removeprefix(default)
    return context["request"].build_absolute_uri(url)


def bar_chart(title, description, rows):
    """
    A horizontal bar chart as inline SVG, from ``(label, value)`` rows.

    Bars and positions are percentages and text keeps its CSS size, so the
    chart stays legible from a phone to print without a viewBox scaling it.
    """
    largest = max((value for _label, value in rows), default=0) or 1
    row_height = 46
    bars = [
        {
            "label": label,
            "value": value,
            "width": f"{value / largest * 80:.2f}",
            "value_x": f"{value / largest * 80 + 1.5:.2f}",
            "y": index * row_height,
        }
        for index, (label, value) in enumerate(rows)
    ]
    return {
        "title": title,
        "description": description,
        "bars": bars,
        "height": len(bars) * row_height,
    }


@register.inclusion_tag("includes/bar_chart.html")
def stakeholder_chart(snapshot):
    return bar_chart(
        _("Registered participants by stakeholder group"),
        _("Bar chart. The same figures are in the table beside it."),
        [
            (count.group.name, count.count)
            for count in snapshot.stakeholder_counts.all()
        ],
    )


@register.inclusion_tag("includes/bar_chart.html")
def participation_chart(meeting):
    return bar_chart(
        _("Participants by channel and day"),
        _("Bar chart. The same figures are in the list beside it."),
        [
            (
                f"{figure.get_channel_display()} · "
                + (dates.day_heading(figure.day.date) if figure.day else _("all days")),
                figure.count,
            )
            for figure in meeting.participation.all()
        ],
    )


@register.filter
def languages_from(language):
    """The site's languages, the reader's first: for pages shown in all of them."""
    codes = [code for code, _name in settings.LANGUAGES]
    return sorted(codes, key=lambda code: code != language)
