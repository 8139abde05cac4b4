"""Template helpers for the public pages: markup, numbers, dates, languages."""

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.utils import build_localized_fieldname, get_language

from reviews import dates
from reviews.markup import render_inline_markup, render_markup
from reviews.models import MeetingDay, RoundTable

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


@register.simple_tag
def meeting_schedule(meeting):
    """
    The meeting's days, each with its round tables in ``tables``, read in
    one query: days LEFT JOINed with their round tables, grouped here.

    A prefetch would spend one query on days and another on round tables;
    this keeps the public page within its budget of eight. The rows become
    ordinary model instances, so translated fields still fall back like
    everywhere else.
    """
    day_fields = [
        build_localized_fieldname("session", code) for code in AVAILABLE_LANGUAGES
    ]
    table_fields = [
        "round_tables__" + build_localized_fieldname("title", code)
        for code in AVAILABLE_LANGUAGES
    ]
    rows = (
        MeetingDay.objects.filter(meeting=meeting)
        .order_by("date", "round_tables__area")
        .values(
            "pk",
            "date",
            *day_fields,
            "round_tables__pk",
            "round_tables__area",
            *table_fields,
        )
    )
    days = {}
    for row in rows:
        day = days.get(row["pk"])
        if day is None:
            day = days[row["pk"]] = MeetingDay(
                pk=row["pk"],
                meeting=meeting,
                date=row["date"],
                **{field: row[field] for field in day_fields},
            )
            day.tables = []
        if row["round_tables__pk"] is not None:
            day.tables.append(
                RoundTable(
                    pk=row["round_tables__pk"],
                    day=day,
                    area=row["round_tables__area"],
                    **{
                        field.removeprefix("round_tables__"): row[field]
                        for field in table_fields
                    },
                )
            )
    return list(days.values())


@register.simple_tag
def timeline_axis(snapshot):
    """
    The timeline as a chart: its months, and where each event's bar starts
    and ends on a grid of one column per day (counted from 1).
    """
    events = list(snapshot.timeline.all())
    if not events:
        return {"months": [], "days": 0, "bars": []}
    start = min(event.start_date for event in events).replace(day=1)
    months = dates.month_axis(start, max(event.end_date for event in events))

    def column(day):
        return (day - start).days + 1

    return {
        "months": months,
        "days": sum(length for _month, _label, length in months),
        "bars": [
            (event, column(event.start_date), column(event.end_date) + 1)
            for event in events
        ],
    }
