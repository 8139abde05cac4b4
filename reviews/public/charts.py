"""
The snapshot's charts, declared once: the page, the embeddable page and the
SVG download all draw a chart from the same ``Chart``.

A chart states its title, its unit and its source. Figures that do not share
the bars' scale (a channel counted over the whole meeting next to per-day
counts) are kept ``apart`` and shown beside the bars, not as one of them.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from reviews import dates

BAR_SCALE = 100  # the longest bar spans the whole width (percent)
# The downloadable SVG has a fixed size, room for a value after the longest bar.
SVG_WIDTH, SVG_BAR_WIDTH = 800, 660
# Its drawing area, between the margins, for charts drawn to a time scale.
SVG_PLOT_WIDTH = SVG_WIDTH - 32
ONE_DAY = datetime.timedelta(days=1)
# An embed's frame, before its script fits it: room for the heading, source
# and credits, then per row, at the narrow width of a column (pixels).
FRAME_ALLOWANCE, FRAME_BAR_ROW, FRAME_TIMELINE_ROW = 160, 68, 90
# The figures kept apart: their note, then a line each.
FRAME_APART_NOTE, FRAME_APART_ROW = 80, 28
# Events shorter than this many days get a marker: on a phone a few days of a
# seven-month axis are a pixel or two wide.
SHORT_EVENT_DAYS = 7


def percent(value):
    return f"{value:.3f}"


class Credited:
    """What a chart that has left the page says under its source."""

    @property
    def credits(self):
        return [line for line in (self.address, self.licence) if line]


@dataclass
class Chart(Credited):
    """A bar chart: one bar per row, on one scale."""

    template = "includes/bar_chart.html"
    svg_template = "reviews/bar_chart.svg"

    name: str
    title: str
    unit: str
    source: str
    rows: list  # (label, value)
    apart: list = field(default_factory=list)  # (label, value), not on the scale
    #: Under the source when the chart leaves the page (``credited``).
    address: str = ""
    licence: str = ""

    def drawing(self):
        """
        Where everything goes in the downloadable SVG: one row per bar, the
        label above its bar, then the figures kept apart, then the source.
        """
        top, row = 74, 48
        bars = [
            {
                "label": label,
                "value": value,
                "y": top + index * row,
                "width": f"{float(length) / BAR_SCALE * SVG_BAR_WIDTH:.1f}",
                "value_x": f"{float(length) / BAR_SCALE * SVG_BAR_WIDTH + 8:.1f}",
            }
            for index, (label, value, length) in enumerate(self.bars)
        ]
        y = top + len(bars) * row + 8
        note_y = y + 16
        if self.apart:
            y += 28
        apart = []
        for label, value in self.apart:
            apart.append({"label": label, "value": value, "y": y + 16})
            y += 28
        return {
            "width": SVG_WIDTH,
            "height": y + 40 + CREDIT_LINE * len(self.credits),
            "bars": bars,
            "apart": apart,
            "note_y": note_y,
            "source_y": y + 24,
            "credits": credit_lines(self.credits, y + 24),
        }

    @property
    def frame_height(self):
        apart = (
            FRAME_APART_NOTE + FRAME_APART_ROW * len(self.apart) if self.apart else 0
        )
        return FRAME_ALLOWANCE + FRAME_BAR_ROW * len(self.rows) + apart

    @property
    def apart_note(self):
        return _("Counted over the whole meeting, not per day:")

    @property
    def bars(self):
        """Each row with its bar's length in percent of the longest."""
        largest = max((value for _label, value in self.rows), default=0) or 1
        return [
            (label, value, f"{value / largest * BAR_SCALE:.2f}")
            for label, value in self.rows
        ]


#: The height of each line of credit under a chart's source.
CREDIT_LINE = 16


def credit_lines(lines, source_y):
    """Each line of credit with its height in the drawing, under the source."""
    return [
        {"text": line, "y": source_y + CREDIT_LINE * (index + 1)}
        for index, line in enumerate(lines)
    ]


def credited(chart, snapshot, url):
    """
    ``chart`` as it leaves the page (a file, a frame on another site): its
    source names the version, then the page's address and the licence.
    """
    publication = getattr(snapshot, "publication", None)
    if publication is not None:
        chart.source = _("%(source)s Version %(number)s.") % {
            "source": chart.source,
            "number": publication.number,
        }
    chart.address, chart.licence = url, licence_line(snapshot)
    return chart


def licence_line(snapshot):
    if not snapshot.licence_name:
        return _("No licence stated: ask the publisher before reusing it.")
    licence = snapshot.licence_name
    if snapshot.licence_url:
        licence = f"{licence} ({snapshot.licence_url})"
    return _("Licence: %(licence)s") % {"licence": licence}


def source(snapshot):
    """ "Source: IOM and ECLAC, Key milestones and progress #1 (2021)"."""
    meeting = getattr(snapshot, "meeting", None)
    values = {
        "publisher": snapshot.publisher,
        "work": f"{snapshot.series} #{snapshot.number}",
        # A draft being written may not describe its meeting yet.
        "year": meeting.start_date.year if meeting else snapshot.created_at.year,
    }
    if snapshot.publisher:
        return _("Source: %(publisher)s, %(work)s (%(year)s).") % values
    return _("Source: %(work)s (%(year)s).") % values


def stakeholders(snapshot):
    return Chart(
        "stakeholders",
        _("Registered participants by stakeholder group"),
        _("Number of registered participants, the largest group first"),
        source(snapshot),
        # The bars compare the groups, largest first; the table beside them
        # keeps the order the source document lists them in.
        sorted(
            (
                (count.group.name, count.count)
                for count in snapshot.stakeholder_counts.all()
            ),
            key=lambda row: -row[1],
        ),
    )


def participation(snapshot):
    if not hasattr(snapshot, "meeting"):
        return None
    figures = list(snapshot.meeting.participation.all())
    return Chart(
        "participation",
        _("Participants by channel and day"),
        _("Number of participants per day"),
        source(snapshot),
        [
            (f"{f.get_channel_display()} · {dates.day_heading(f.day.date)}", f.count)
            for f in figures
            if f.day
        ],
        apart=[
            (
                _("%(channel)s, all days together")
                % {"channel": f.get_channel_display()},
                f.count,
            )
            for f in figures
            if not f.day
        ],
    )


@dataclass
class Timeline(Credited):
    """
    The timeline drawn to scale: each event placed in percent of the whole
    span, each month as wide as its days. An event too short to see at that
    scale, a day or three on a phone, gets a marker of a fixed size.
    """

    template = "includes/timeline_chart.html"
    svg_template = "reviews/timeline_chart.svg"

    name: str
    title: str
    unit: str
    source: str
    months: list  # dicts: month, label, days, x (percent)
    bars: list  # dicts: event, x, width, middle (percent), short
    address: str = ""
    licence: str = ""

    @property
    def frame_height(self):
        return FRAME_ALLOWANCE + 40 + FRAME_TIMELINE_ROW * len(self.bars)

    def drawing(self):
        """The downloadable SVG's layout: the axis, then a row per event."""

        def pixels(value):
            return f"{16 + float(value) / 100 * SVG_PLOT_WIDTH:.1f}"

        top, row = 104, 48
        rows = [
            {
                "event": bar["event"],
                "y": top + index * row,
                "x": pixels(bar["x"]),
                "width": f"{float(bar['width']) / 100 * SVG_PLOT_WIDTH:.1f}",
                "middle": pixels(bar["middle"]),
                "short": bar["short"],
            }
            for index, bar in enumerate(self.bars)
        ]
        bottom = top + len(rows) * row
        return {
            "width": SVG_WIDTH,
            "height": bottom + 40 + CREDIT_LINE * len(self.credits),
            "months": [
                {**month, "x": pixels(month["x"]), "label_x": pixels(month["x"])}
                for month in self.months
            ],
            "rows": rows,
            "axis_bottom": bottom - 12,
            "source_y": bottom + 20,
            "credits": credit_lines(self.credits, bottom + 20),
        }


def timeline(snapshot):
    events = list(snapshot.timeline.all())
    if not events:
        return None
    months = dates.timeline_axis(
        min(event.start_date for event in events),
        max(event.end_date for event in events),
    )
    start = months[0][0]
    total = sum(length for _month, _label, length in months)

    def position(day):
        return (day - start).days / total * 100

    return Timeline(
        "timeline",
        _("The preparation, month by month"),
        _("One bar per step, from its first day to its last"),
        source(snapshot),
        months=[
            {
                "month": month,
                "label": label,
                "days": length,
                "x": percent(position(month)),
            }
            for month, label, length in months
        ],
        bars=[
            {
                "event": event,
                "x": percent(position(event.start_date)),
                "width": percent(
                    position(event.end_date + ONE_DAY) - position(event.start_date)
                ),
                "middle": percent(
                    (position(event.start_date) + position(event.end_date + ONE_DAY))
                    / 2
                ),
                "short": (event.end_date - event.start_date).days < SHORT_EVENT_DAYS,
            }
            for event in events
        ],
    )


#: The charts by the name their addresses give them.
CHARTS = {
    "participation": participation,
    "timeline": timeline,
    "stakeholders": stakeholders,
}
