"""Languages: the catalogue, dates and numbers per language, and fallbacks."""

import datetime
import gettext as gettext_module
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from reviews import dates
from reviews.models import MeetingDay, TimelineEvent
from reviews.public.numbers import number

# Every language but the one the interface is written in has a catalogue.
TRANSLATED = [
    code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
]


def catalogue(language):
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"


def catalogue_entries(language):
    """
    The .po file's entries (header left out) as dicts of flags, msgctxt,
    msgid, msgid_plural and the list of msgstr: enough of the format to check.
    """
    entries = []
    for block in catalogue(language).read_text(encoding="utf-8").split("\n\n"):
        flags = re.findall(r"^#,(.*)$", block, flags=re.M)
        fields = {"flags": {flag.strip() for line in flags for flag in line.split(",")}}
        key = None
        for line in block.splitlines():
            match = re.match(
                r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (.*)$", line
            )
            if match:
                key, line = match.groups()
            if key and line.startswith('"'):
                # PO escapes (\" \\ \n) are JSON's.
                fields[key] = fields.get(key, "") + json.loads(line)
        if fields.get("msgid"):
            fields["strings"] = [
                value for name, value in fields.items() if name.startswith("msgstr")
            ]
            entries.append(fields)
    return entries


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_catalogue_is_complete(language):
    """Every entry of each language's catalogue is translated and none is fuzzy."""
    entries = catalogue_entries(language)
    assert len(entries) > 100
    assert [entry["msgid"] for entry in entries if not all(entry["strings"])] == []
    assert [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]] == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_compiled_catalogue_matches_the_po_file(language):
    """The committed .mo holds every translation of the .po, no GNU gettext needed."""
    with catalogue(language).with_suffix(".mo").open("rb") as compiled_file:
        compiled = gettext_module.GNUTranslations(compiled_file)
    for entry in catalogue_entries(language):
        context, msgid = entry.get("msgctxt"), entry["msgid"]
        if "msgid_plural" in entry:
            plural = entry["msgid_plural"]
            assert compiled.ngettext(msgid, plural, 1) == entry["strings"][0]
            assert compiled.ngettext(msgid, plural, 5) == entry["strings"][2]
        elif context:
            assert compiled.pgettext(context, msgid) == entry["strings"][0]
        else:
            assert compiled.gettext(msgid) == entry["strings"][0]


def test_django_reads_the_spanish_catalogue():
    """Interface strings come out in Spanish when Spanish is active."""
    with translation.override("es"):
        assert gettext("Main conclusions") == "Principales conclusiones"
        assert gettext("Skip to main content") == "Saltar al contenido principal"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Oct 2020", "Nov 2020", "Dec 2020", "Jan", "Feb", "Mar", "Apr"]),
        ("es", ["Oct 2020", "Nov 2020", "Dic 2020", "Ene", "Feb", "Mar", "Abr"]),
    ],
)
def test_timeline_months_are_named_per_language(language, expected):
    """The month axis comes from the dates; the year shows until it changes."""
    with translation.override(language):
        axis = dates.month_axis(datetime.date(2020, 10, 1), datetime.date(2021, 4, 28))
    assert [label for _month, label, _days in axis] == expected


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
def test_month_axis_is_on_the_page(client, seed, language):
    """The page shows the axis, uppercased by the stylesheet, in its language."""
    page = client.get(f"/{language}/").content.decode()
    axis = re.findall(r'<time datetime="\d{4}-\d{2}">([^<]+)</time>', page)
    december, january = ("Dic", "Ene") if language == "es" else ("Dec", "Jan")
    assert axis[2:4] == [f"{december} 2020", january]


@pytest.mark.parametrize(
    ("language", "start", "end", "expected"),
    [
        ("en", (2021, 4, 26), (2021, 4, 28), "April 26 to 28, 2021"),
        ("es", (2021, 4, 26), (2021, 4, 28), "26 al 28 de abril de 2021"),
        ("en", (2021, 3, 25), (2021, 3, 25), "March 25, 2021"),
        ("es", (2021, 3, 25), (2021, 3, 25), "25 de marzo de 2021"),
        ("en", (2021, 3, 30), (2021, 4, 2), "March 30 to April 2, 2021"),
        ("es", (2021, 3, 30), (2021, 4, 2), "30 de marzo al 2 de abril de 2021"),
        ("en", (2020, 12, 30), (2021, 1, 2), "December 30, 2020 to January 2, 2021"),
    ],
)
def test_day_ranges_read_naturally_in_each_language(language, start, end, expected):
    """Ranges of days follow each language's grammar."""
    with translation.override(language):
        assert dates.day_range(datetime.date(*start), datetime.date(*end)) == expected


@pytest.mark.django_db
def test_timeline_dates_match_the_seed_documents(seed):
    """Month ranges read "Between … and …" and the "From" prefix stays English."""
    webinars = seed.timeline.get(precision=TimelineEvent.Precision.MONTHS)
    consultations = seed.timeline.get(date_prefix_en="From")
    with translation.override("en"):
        assert webinars.dates_display() == "Between October 2020 and January 2021"
        assert consultations.dates_display() == "From April 13 to 15, 2021"
    with translation.override("es"):
        assert webinars.dates_display() == "Entre octubre 2020 y enero 2021"
        assert consultations.dates_display() == "13 al 15 de abril de 2021"


def test_numbers_are_grouped_per_language():
    """Thousands are grouped the way each language writes them."""
    with translation.override("en"):
        assert number(12345) == "12,345"
    with translation.override("es"):
        assert number(12345) in {"12.345", "12\xa0345"}


@pytest.mark.django_db
def test_missing_spanish_text_is_shown_in_english_marked_as_english(client, seed):
    """A session without Spanish shows the English text with lang="en"."""
    day = MeetingDay.objects.get(date=datetime.date(2021, 4, 26))
    day.session_es = ""
    day.save()
    page = client.get("/es/").content.decode()
    assert f'<p lang="en">{day.session_en}</p>' in page
    assert '<html lang="es">' in page


@pytest.mark.django_db
def test_complete_spanish_text_is_not_marked(client, seed):
    """With every Spanish text present, nothing on /es/ is marked English."""
    page = client.get("/es/").content.decode()
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'lang="en"' not in main
