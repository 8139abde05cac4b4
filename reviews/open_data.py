"""
The snapshot's figures as open data: tables for CSV and XLSX, and JSON.

Every table is built in the active language from the same prefetched objects
the page shows, so a download always says what the page says.
"""

import tablib
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as _

from . import cells, dates


def citation(snapshot, url):
    """The "how to cite" line: source, address and the date of the data."""
    return _(
        "How to cite: %(series)s #%(number)s – %(title)s. %(meeting)s. "
        "%(url)s (data of %(date)s)."
    ) % {
        "series": snapshot.series,
        "number": snapshot.number,
        "title": snapshot.title,
        "meeting": snapshot.meeting.name,
        "url": url,
        "date": dates.one_day(snapshot.updated_at.date()),
    }


def stakeholder_table(snapshot):
    table = tablib.Dataset(headers=[_("Stakeholder group"), _("Registered")])
    for count in snapshot.stakeholder_counts.all():
        table.append([count.group.name, count.count])
    return table


def participation_table(snapshot):
    table = tablib.Dataset(
        headers=[_("Channel"), _("Date"), _("Participants"), _("Description")]
    )
    for figure in snapshot.meeting.participation.all():
        day = figure.day.date.isoformat() if figure.day else _("Whole meeting")
        table.append([figure.get_channel_display(), day, figure.count, figure.label])
    return table


def timeline_table(snapshot):
    table = tablib.Dataset(
        headers=[
            _("Event"),
            _("Start date"),
            _("End date"),
            _("Dates"),
            _("Qualifier"),
            _("Value"),
            _("What it counts"),
        ]
    )
    for event in snapshot.timeline.all():
        when = [
            event.title,
            event.start_date.isoformat(),
            event.end_date.isoformat(),
            event.dates_display(),
        ]
        figures = event.figures.all()
        if not figures:
            table.append([*when, "", "", ""])
        for figure in figures:
            qualifier = figure.get_qualifier_display()
            table.append([*when, qualifier, figure.value, figure.label])
    return table


# The URL names each table; its file name is translated for the reader.
DATASETS = {
    "stakeholders": (
        stakeholder_table,
        pgettext_lazy("file name", "registered-participants"),
    ),
    "participation": (participation_table, pgettext_lazy("file name", "participation")),
    "timeline": (timeline_table, pgettext_lazy("file name", "timeline")),
}


def export(table, file_format, cite):
    """The table as CSV or XLSX bytes, escaped, with the citation in it."""
    safe = tablib.Dataset(headers=table.headers, title=table.title)
    for row in table:
        safe.append([cells.written(value) for value in row])
    if file_format == "csv":
        # A blank row keeps the citation apart from the data for readers
        # and tools that stop at the first empty line.
        safe.append([""] * safe.width)
        safe.append([cells.written(cite)] + [""] * (safe.width - 1))
        return safe.export("csv").encode("utf-8-sig")
    safe.title = _("Data")[:31]
    about = tablib.Dataset(title=_("How to cite")[:31])
    about.append([cells.written(cite)])
    return tablib.Databook([safe, about]).export("xlsx")


def snapshot_json(snapshot, url):
    """The whole snapshot in the active language, as plain data."""
    meeting = snapshot.meeting
    return {
        "language": get_language(),
        "url": url,
        "citation": citation(snapshot, url),
        "series": snapshot.series,
        "number": snapshot.number,
        "title": snapshot.title,
        "updated": snapshot.updated_at.isoformat(),
        "meeting": {
            "name": meeting.name,
            "organisers": meeting.organisers,
            "start_date": meeting.start_date.isoformat(),
            "end_date": meeting.end_date.isoformat(),
            "dates": meeting.dates_display(),
            "website": meeting.website,
            "member_states": meeting.member_states,
            "associate_members": meeting.associate_members,
            "overview": meeting.overview,
            "next_step": meeting.next_step,
            "next_step_year": meeting.next_step_year,
            "people": [
                {
                    "role": person.role,
                    "name": person.name,
                    "title": person.title,
                    "organisation": person.organisation,
                }
                for person in meeting.people.all()
            ],
            "days": [
                {
                    "date": day.date.isoformat(),
                    "heading": dates.day_heading(day.date),
                    "session": day.session,
                    "round_tables": [
                        {"area": table.area, "title": table.title}
                        for table in day.round_tables.all()
                    ],
                }
                for day in meeting.days.all()
            ],
            "participation": [
                {
                    "channel": figure.channel,
                    "date": figure.day.date.isoformat() if figure.day else None,
                    "count": figure.count,
                    "label": figure.label,
                }
                for figure in meeting.participation.all()
            ],
            "recordings": {
                "note": meeting.recordings_note,
                "link_text": meeting.recordings_link_text,
                "url": meeting.recordings_url,
            },
        },
        "conclusions": [conclusion.text for conclusion in snapshot.conclusions.all()],
        "timeline": [
            {
                "title": event.title,
                "start_date": event.start_date.isoformat(),
                "end_date": event.end_date.isoformat(),
                "dates": event.dates_display(),
                "description": event.description,
                "figures": [
                    {
                        "qualifier": figure.qualifier,
                        "value": figure.value,
                        "label": figure.label,
                    }
                    for figure in event.figures.all()
                ],
            }
            for event in snapshot.timeline.all()
        ],
        "registered_participants": {
            "total": snapshot.registered_total,
            "groups": [
                {
                    "group": count.group.slug,
                    "name": count.group.name,
                    "count": count.count,
                }
                for count in snapshot.stakeholder_counts.all()
            ],
        },
    }
