"""Template helpers for the public pages: markup, numbers, dates, languages."""

import json

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.utils import build_localized_fieldname, get_language

from reviews import dates
from reviews.markup import render_inline_markup, render_markup
from reviews.models import MeetingDay, RoundTable
from reviews.opendata.tables import TABLES, citation, plain_text
from reviews.public import numbers

DOWNLOAD_FORMATS = (
    ("csv", "text/csv"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
)

register = template.Library()

register.filter("markup", render_markup)
register.filter("inline_markup", render_inline_markup)
register.filter("day_heading", dates.day_heading)
register.filter("full_date", dates.one_day)
register.filter("number", numbers.number)


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
def absolute_url(context, name, *args):
    """``{% url %}`` with the scheme and host, as links shared elsewhere need."""
    return context["request"].build_absolute_uri(reverse(name, args=args))


def unprefixed(path):
    """
    An address without its language prefix, as the sitemap gives x-default:
    it sends each reader to her own language (``/`` and LocaleMiddleware).
    """
    default = f"/{settings.LANGUAGE_CODE}/"
    url = translate_url(path, settings.LANGUAGE_CODE)
    if url.startswith(default):
        url = "/" + url.removeprefix(default)
    return url


@register.simple_tag(takes_context=True)
def snapshot_addresses(context, snapshot):
    """
    The snapshot's one canonical address per language, and its x-default.
    ``/en/`` shows the latest snapshot too, but names its permanent page as
    canonical, so search engines list one address per page.
    """
    request = context["request"]
    languages = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            languages.append(
                (code, request.build_absolute_uri(snapshot.get_absolute_url()))
            )
    return {
        "canonical": dict(languages)[translation.get_language()],
        "languages": languages,
        "x_default": request.build_absolute_uri(
            unprefixed(snapshot.get_absolute_url())
        ),
    }


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
    }


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


@register.simple_tag(takes_context=True)
def structured_data(context, snapshot, addresses, share_image):
    """
    schema.org ``Event`` (the meeting) and ``Dataset`` (its downloads) as
    JSON-LD, for search engines and dataset search. A data block, not a
    script: browsers never run it, and ``<`` is escaped so no text in it can
    close the element.
    """
    request = context["request"]
    meeting = snapshot.meeting
    canonical = addresses["canonical"]
    language = translation.get_language()

    def absolute(name, **kwargs):
        return request.build_absolute_uri(
            reverse(name, kwargs={"slug": snapshot.slug, **kwargs})
        )

    publisher = (
        {"@type": "Organization", "name": snapshot.publisher}
        if snapshot.publisher
        else None
    )
    event = {
        "@type": "Event",
        "@id": f"{canonical}#meeting",
        "name": meeting.name,
        "startDate": meeting.start_date.isoformat(),
        "endDate": meeting.end_date.isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
        "location": {"@type": "VirtualLocation", "url": meeting.website},
        "description": plain_text(meeting.overview).split("\n")[0],
        "organizer": {"@type": "Organization", "name": capfirst(meeting.organisers)},
        "url": meeting.website,
        "inLanguage": language,
    }
    downloads = [
        {
            "@type": "DataDownload",
            "name": str(table.title),
            "encodingFormat": file_format,
            "contentUrl": absolute(
                "reviews:download", dataset=table.name, file_format=extension
            ),
        }
        for table in TABLES
        for extension, file_format in DOWNLOAD_FORMATS
    ]
    downloads.append(
        {
            "@type": "DataDownload",
            "name": _("Data package (ZIP)"),
            "encodingFormat": "application/zip",
            "contentUrl": absolute("reviews:datapackage_zip"),
        }
    )
    dataset = {
        "@type": "Dataset",
        "@id": f"{canonical}#data",
        "name": snapshot.full_title,
        "description": " ".join(str(table.description) for table in TABLES),
        "url": canonical,
        "sameAs": absolute("reviews:datapackage"),
        "inLanguage": language,
        "isAccessibleForFree": True,
        "dateModified": snapshot.updated_at.date().isoformat(),
        "temporalCoverage": "{}/{}".format(
            min(
                [meeting.start_date] + [e.start_date for e in snapshot.timeline.all()]
            ).isoformat(),
            meeting.end_date.isoformat(),
        ),
        "citation": citation(snapshot, canonical),
        "about": {"@id": f"{canonical}#meeting"},
        "image": share_image,
        "distribution": downloads,
    }
    if publisher:
        dataset["publisher"] = dataset["creator"] = publisher
    if snapshot.licence_url:
        dataset["license"] = snapshot.licence_url
    elif snapshot.licence_name:
        dataset["license"] = snapshot.licence_name
    data = {"@context": "https://schema.org", "@graph": [event, dataset]}
    text = json.dumps(data, ensure_ascii=False, indent=1)
    for char in "<>&":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return mark_safe(text)  # JSON with every <, > and & escaped
