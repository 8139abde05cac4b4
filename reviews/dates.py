"""
Dates as each language writes them, from Django's month names.

English puts the year once at the end ("April 26 to 28, 2021"), Spanish
repeats the month's preposition ("26 al 28 de abril de 2021"). The patterns
are Django date formats kept in the catalogue, so a translator can change how
a range reads without touching code, and no month name is ever typed. A
language whose catalogue does not give them (one just added) writes its dates
in Django's own format for it ("26 avril 2021 – 28 avril 2021"), never in
English order around its month names ("avril 26 to 28, 2021").
"""

import calendar
import datetime

from django.utils.formats import date_format, get_format
from django.utils.translation import get_language, pgettext

#: The language the code's messages are written in (gettext's msgids): its
#: patterns are the msgids themselves.
MESSAGES_LANGUAGE = "en"


def own_pattern(translated, english):
    """
    ``translated`` (a ``pgettext`` of ``english``, written out at each call
    so that ``makemessages`` finds it) when the active language's catalogue
    gives it, else None: gettext answers a language without it with the
    English msgid.
    """
    if translated == english and get_language().split("-")[0] != MESSAGES_LANGUAGE:
        return None
    return translated


def day_heading(day):
    """A day of the meeting as its heading reads: "April 26", "26 abril"."""
    pattern = own_pattern(pgettext("day heading date format", "F j"), "F j")
    return date_format(day, pattern or get_format("MONTH_DAY_FORMAT"))


def one_day(day):
    pattern = own_pattern(pgettext("full date format", "F j, Y"), "F j, Y")
    return date_format(day, pattern or get_format("DATE_FORMAT"))


def day_range(start, end):
    """ "April 26 to 28, 2021" / "26 al 28 de abril de 2021"."""
    if start == end:
        return one_day(start)
    joined = own_pattern(
        pgettext("range of days", "%(first)s to %(last)s"), "%(first)s to %(last)s"
    )
    if joined is None:
        # Without the catalogue's patterns, whole dates in the language's
        # own format are the range that is right in every language.
        return f"{one_day(start)} – {one_day(end)}"
    if start.year != end.year:
        first, last = one_day(start), one_day(end)
    elif start.month != end.month:
        first = date_format(start, pgettext("first day of a range", "F j"))
        last = one_day(end)
    else:
        first = date_format(start, pgettext("first day in the same month", "F j"))
        last = date_format(end, pgettext("last day in the same month", "j, Y"))
    return joined % {"first": first, "last": last}


def month_range(start, end):
    """ "Between October 2020 and January 2021"."""
    month = pgettext("month of a range of months", "F Y")
    return pgettext("range of months", "Between %(first)s and %(last)s") % {
        "first": date_format(start, month),
        "last": date_format(end, month),
    }


def months_between(start, end):
    """The first day of every month from ``start``'s to ``end``'s."""
    month = start.replace(day=1)
    while month <= end:
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)


def month_axis(start, end):
    """
    A timeline's months as ``(first day, label, number of days)``: "OCT 2020",
    …, "JAN", "FEB". The year is written only on months outside the last
    month's year, which the reader takes as the timeline's own.
    """
    return [
        (
            month,
            date_format(
                month,
                pgettext("month on a timeline axis", "M")
                if month.year == end.year
                else pgettext("month and year on a timeline axis", "M Y"),
            ),
            calendar.monthrange(month.year, month.month)[1],
        )
        for month in months_between(start, end)
    ]


#: Beyond this many months, a timeline's axis counts years instead.
MOST_MONTHS_ON_AN_AXIS = 36


def timeline_axis(start, end):
    """
    A timeline's axis as ``(first day, label, number of days)``, from the
    first of ``start``'s month (or year) to ``end``: months while they fit,
    whole years beyond MOST_MONTHS_ON_AN_AXIS, so that a valid but very long
    timeline still draws a few dozen ticks, not a thousand.
    """
    months = month_axis(start.replace(day=1), end)
    if len(months) <= MOST_MONTHS_ON_AN_AXIS:
        return months
    return [
        (
            datetime.date(year, 1, 1),
            str(year),
            366 if calendar.isleap(year) else 365,
        )
        for year in range(start.year, end.year + 1)
    ]
