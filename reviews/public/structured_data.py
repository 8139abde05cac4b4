"""
What the snapshot's page tells search engines besides its text: its one
canonical address per language with an x-default, and schema.org JSON-LD.
Plain functions of the request and the snapshot; the template tags of
``snapshot_tags`` only hand them over.
"""

import json

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reviews.languages import public_languages
from reviews.opendata.tables import TABLES, citation, plain_text
from reviews.public.files import file_path

#: Where and what every snapshot of the site is about: for search engines,
#: dataset search and the PDF edition's keywords.
REGION = gettext_lazy("Latin America and the Caribbean")
KEYWORDS = (
    gettext_lazy("migration"),
    gettext_lazy("Global Compact for Safe, Orderly and Regular Migration"),
    REGION,
    gettext_lazy("IOM"),
    gettext_lazy("ECLAC"),
)


def keywords():
    return ", ".join(str(keyword) for keyword in KEYWORDS)


DOWNLOAD_FORMATS = (
    ("csv", "text/csv"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
)


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


def page_path(snapshot):
    """The page's own path: a version page's is its version's, never the snapshot's."""
    if getattr(snapshot, "shown_as_version", False):
        return snapshot.publication.get_absolute_url()
    return snapshot.get_absolute_url()


def addresses(request, snapshot):
    """
    The snapshot's one canonical address per language, and its x-default.
    ``/en/`` shows the latest snapshot too, but names its permanent page as
    canonical, so search engines list one address per page.
    """
    languages = []
    for code in public_languages():
        with translation.override(code):
            languages.append((code, request.build_absolute_uri(page_path(snapshot))))
    return {
        "canonical": dict(languages)[translation.get_language()],
        "languages": languages,
        "x_default": request.build_absolute_uri(unprefixed(page_path(snapshot))),
    }


def organisation(organiser):
    """One organiser as a schema.org ``Organization``."""
    described = {"@type": "Organization", "name": organiser.name}
    if organiser.abbreviation:
        described["alternateName"] = organiser.abbreviation
    if organiser.capacity:
        described["description"] = organiser.capacity
    return described


def json_ld(request, snapshot, addresses, share_image):
    """
    schema.org ``Event`` (the meeting) and ``Dataset`` (its downloads) as
    JSON-LD text, for search engines and dataset search. Meant for a data
    block, not a script: browsers never run it, and ``<``, ``>`` and ``&``
    are escaped so no text in it can close the element.
    """
    meeting = snapshot.meeting
    canonical = addresses["canonical"]
    language = translation.get_language()

    def absolute(name, **kwargs):
        return request.build_absolute_uri(file_path(snapshot, name, **kwargs))

    publisher = (
        {"@type": "Organization", "name": snapshot.publisher}
        if snapshot.publisher
        else None
    )
    organisers = [organisation(row) for row in meeting.organisations.all()]
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
        "url": meeting.website,
        "inLanguage": language,
    }
    downloads = [
        {
            "@type": "DataDownload",
            "name": str(table.title),
            "encodingFormat": file_format,
            "contentUrl": absolute(
                "download", dataset=table.name, file_format=extension
            ),
        }
        for table in TABLES
        for extension, file_format in DOWNLOAD_FORMATS
    ]
    downloads += [
        {
            "@type": "DataDownload",
            "name": _("Data package (ZIP)"),
            "encodingFormat": "application/zip",
            "contentUrl": absolute("datapackage_zip"),
        },
        {
            "@type": "DataDownload",
            "name": _("Data package description"),
            "encodingFormat": "application/json",
            "contentUrl": absolute("datapackage"),
        },
    ]
    dataset = {
        "@type": "Dataset",
        "@id": f"{canonical}#data",
        "name": snapshot.full_title,
        "description": " ".join(str(table.description) for table in TABLES),
        "url": canonical,
        "inLanguage": language,
        "keywords": [str(keyword) for keyword in KEYWORDS],
        "spatialCoverage": {"@type": "Place", "name": str(REGION)},
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
    if organisers:
        event["organizer"] = organisers
    # The snapshot is the organisers' account of their meeting; a publisher,
    # when one is named, publishes it (and is its creator if no organiser is).
    if organisers or publisher:
        dataset["creator"] = organisers or publisher
    if publisher:
        dataset["publisher"] = publisher
    if snapshot.licence_url:
        dataset["license"] = snapshot.licence_url
    elif snapshot.licence_name:
        dataset["license"] = snapshot.licence_name
    data = {"@context": "https://schema.org", "@graph": [event, dataset]}
    text = json.dumps(data, ensure_ascii=False, indent=1)
    for char in "<>&":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text
