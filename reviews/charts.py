"""
The snapshot's charts, declared once: the page, the embeddable page and the
SVG download all draw a chart from the same ``Chart``.

A chart states its title, its unit and its source. Figures that do not share
the bars' scale (a channel counted over the whole meeting next to per-day
counts) are kept ``apart`` and shown beside the bars, not as one of them.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import dates

BAR_SCALE = 100  # the longest bar spans the whole width (percent)
# The downloadable SVG has a fixed size, room for a value after the longest bar.
SVG_WIDTH, SVG_BAR_WIDTH = 800, 660


@dataclass
class Chart:
    name: str
    title: str
    unit: str
    source: str
    rows: list  # (label, value)
    apart: list = field(default_factory=list)  # (label, value), not on the scale

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
            "height": y + 40,
            "bars": bars,
            "apart": apart,
            "note_y": note_y,
            "source_y": y + 24,
        }

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
        _("Number of registered participants"),
        source(snapshot),
        [
            (count.group.name, count.count)
            for count in snapshot.stakeholder_counts.all()
        ],
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


#: The charts by the name their addresses give them.
CHARTS = {"stakeholders": stakeholders, "participation": participation}
