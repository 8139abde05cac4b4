"""
The series chart on the archive: registered participants and participation,
snapshot by snapshot, the first issue first, once two are on the site.

It is a ``charts.Chart`` like each snapshot's own, so the archive, the SVG
and the PNG draw it as they draw those. Its bars are grouped by figure, one
bar per snapshot, so a reader compares an issue with the one before; a
table beside them gives every figure with the snapshot's title and dates.

Each figure is one that every snapshot states the same way: the registered
participants, each channel's busiest day (the people of one day, not the sum
of the days, which would count a person once a day) and each channel's
count over the whole meeting. It is all read from the snapshots' current
publications, which the archive has already loaded: the chart costs no query.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from reviews.public.charts import Chart, licence_line

#: Fewer snapshots than this on the site and there is nothing to compare.
COMPARED_AT_LEAST = 2


@dataclass(frozen=True)
class Figure:
    """One figure the chart compares: its name and how a snapshot states it."""

    label: str
    of: Callable  # snapshot -> count, or None where the snapshot has none


@dataclass
class SeriesChart(Chart):
    """The series chart, with its table and, once credited, a line per issue."""

    #: The figures' names, the table's columns.
    columns: list = field(default_factory=list)
    #: (snapshot, [count or None per column]), the first issue first.
    table: list = field(default_factory=list)
    issues: list = field(default_factory=list)

    @property
    def credits(self):
        return [line for line in (self.address, *self.issues) if line]


def busiest_day(channel):
    def of(snapshot):
        counts = [
            figure.count
            for figure in snapshot.meeting.participation.all()
            if figure.channel == channel and figure.day
        ]
        return max(counts, default=None)

    return of


def whole_meeting(channel):
    def of(snapshot):
        counts = [
            figure.count
            for figure in snapshot.meeting.participation.all()
            if figure.channel == channel and not figure.day
        ]
        return counts[0] if counts else None

    return of


def figures(snapshots):
    """What the chart compares, in the order the snapshots list their channels."""
    channels = {}
    for snapshot in snapshots:
        for figure in snapshot.meeting.participation.all():
            channels.setdefault(
                (figure.channel, figure.day is None), figure.get_channel_display()
            )
    compared = [Figure(_("Registered participants"), lambda s: s.registered_total)]
    for (channel, overall), name in channels.items():
        if overall:
            label = _("%(channel)s, all days together") % {"channel": name}
            compared.append(Figure(label, whole_meeting(channel)))
        else:
            label = _("%(channel)s, the busiest day") % {"channel": name}
            compared.append(Figure(label, busiest_day(channel)))
    return compared


def source(snapshots):
    """ "Source: IOM and ECLAC, Key milestones and progress."; bars name the issues."""
    newest = snapshots[-1]
    publishers = {snapshot.publisher for snapshot in snapshots}
    if len(publishers) == 1 and newest.publisher:
        return _("Source: %(publisher)s, %(series)s.") % {
            "publisher": newest.publisher,
            "series": newest.series,
        }
    return _("Source: %(series)s.") % {"series": newest.series}


def series_chart(snapshots):
    """
    The chart of ``snapshots`` (published, their meetings described, the
    first issue first), or None when there are fewer than two to compare.
    """
    if len(snapshots) < COMPARED_AT_LEAST:
        return None
    compared = figures(snapshots)
    table = [
        (snapshot, [figure.of(snapshot) for figure in compared])
        for snapshot in snapshots
    ]
    rows = [
        (f"{figure.label} · #{snapshot.number}", counts[column])
        for column, figure in enumerate(compared)
        for snapshot, counts in table
        if counts[column] is not None
    ]
    return SeriesChart(
        "series",
        _("Registered participants and participation, snapshot by snapshot"),
        _("Number of people, the first snapshot first"),
        source(snapshots),
        rows,
        columns=[figure.label for figure in compared],
        table=table,
    )


def credited_series(chart, snapshots, url):
    """
    ``chart`` as it leaves the archive (a file, read without the archive's
    table): the archive's address, then a line per snapshot with its
    meeting's year, its version and its licence, "#1 (2021), version 2.
    Licence: …". One line each keeps the drawing's width whatever the number
    of snapshots, and each snapshot may state a licence of its own.
    """
    chart.address = url
    chart.issues = [
        _("#%(number)s (%(year)s), version %(version)s. %(licence)s")
        % {
            "number": snapshot.number,
            "year": snapshot.meeting.start_date.year,
            "version": snapshot.publication.number,
            "licence": licence_line(snapshot),
        }
        for snapshot in snapshots
    ]
    return chart
