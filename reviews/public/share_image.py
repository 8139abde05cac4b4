"""
Pictures drawn with Pillow: the one a shared link shows (Open Graph, Twitter
cards, 1200 × 630 PNG) and each chart as PNG.

It is laid out with Pillow from the snapshot's data in the active language:
series, title, the meeting's dates and the registered-participants total, in
the DejaVu Sans the site itself serves (``static/reviews/fonts``), so the
picture and the page look alike. Drawing and compressing a picture takes a
fifth of a second or more, so the bytes are cached under the publication
they show (a publication never changes), or for a working copy under its
``updated_at``, which any change of its content moves (``reviews.changes``).
The cache only saves work: a picture is drawn afresh when it cannot be
reached.
"""

import hashlib
import io
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils.text import get_text_list
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from reviews.public.charts import Timeline
from reviews.public.numbers import number

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
FONTS = Path(__file__).resolve().parent / "static" / "reviews" / "fonts"
# The site's palette (site.css).
BACKGROUND, ACCENT, TEXT, MUTED = "#e8f0f6", "#0b4f7c", "#1d2630", "#4a5562"
BAR, LINE = "#2d6f9c", "#d5dde4"
# Bump when the layout changes, so cached pictures of the old layout go.
LAYOUT = 2


def font(size, bold=False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def wrapped(draw, text, typeface, width, max_lines):
    """``text`` cut into lines that fit ``width``; the last one ends in … if cut."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=typeface) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(",.;:") + "…"
    return lines


def organisers_in_short(meeting):
    """
    The organisers as the picture's one line names them, each by its
    abbreviation ("IOM and ECLAC"); the meeting's sentence, which rarely
    fits, only when it lists none.
    """
    names = [
        organiser.abbreviation or organiser.name
        for organiser in meeting.organisations.all()
    ]
    if not names:
        return meeting.organisers
    return get_text_list(names, _("and"))


def draw(snapshot, address):
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    pen = ImageDraw.Draw(image)
    pen.rectangle([0, 0, WIDTH, 14], fill=ACCENT)
    text_width = WIDTH - 2 * MARGIN
    y = 64
    series = font(28, bold=True)
    pen.text((MARGIN, y), snapshot.series.upper(), font=series, fill=ACCENT)
    y += 56
    title = font(58, bold=True)
    heading = f"#{snapshot.number} – {snapshot.title}"
    for line in wrapped(pen, heading, title, text_width, 3):
        pen.text((MARGIN, y), line, font=title, fill=TEXT)
        y += 70
    meeting = getattr(snapshot, "meeting", None)
    if meeting is not None:
        y += 8
        pen.text(
            (MARGIN, y), meeting.dates_display(), font=font(34, bold=True), fill=TEXT
        )
        y += 48
        for line in wrapped(pen, meeting.name, font(26), text_width, 2):
            pen.text((MARGIN, y), line, font=font(26), fill=MUTED)
            y += 34
    # The headline figure sits on the bottom line, whatever the title's length.
    figure = font(96, bold=True)
    total = number(snapshot.registered_total)
    baseline = HEIGHT - 72
    if meeting is not None:
        # Who organised it, in the room the title leaves above the figure.
        organisers = _("Co-organized by %(organisers)s.") % {
            "organisers": organisers_in_short(meeting)
        }
        room = min(int((baseline - 96 - y) / 30), 2)
        lines = wrapped(pen, organisers, font(22), text_width, room) if room else []
        for line in lines:
            pen.text((MARGIN, y + 4), line, font=font(22), fill=MUTED)
            y += 30
    # Where to read it, as people share the picture without its link.
    pen.text(
        (WIDTH - MARGIN, HEIGHT - 24), address, font=font(22), fill=MUTED, anchor="rs"
    )
    pen.text((MARGIN, baseline), total, font=figure, fill=ACCENT, anchor="ls")
    label_x = MARGIN + pen.textlength(total, font=figure) + 20
    label = font(30)
    lines = wrapped(
        pen,
        _("registered participants in total"),
        label,
        WIDTH - MARGIN - label_x,
        2,
    )
    for index, line in enumerate(reversed(lines)):
        pen.text(
            (label_x, baseline - index * 38), line, font=label, fill=TEXT, anchor="ls"
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def cached(snapshot, name, build):
    """
    ``build()``'s bytes, kept until the snapshot's content changes; those of
    older versions expire with the pages (``PAGE_CACHE_SECONDS``).
    """
    publication = getattr(snapshot, "publication", None)
    version = f"p{publication.pk}" if publication else snapshot.updated_at.timestamp()
    key = f"picture:{LAYOUT}:{name}:{snapshot.pk}:{get_language()}:{version}"
    try:
        png = cache.get(key)
    except Exception:
        logger.warning("Cache unreachable; drawing %s afresh.", name, exc_info=True)
        return build()
    if png is None:
        png = build()
        try:
            cache.set(key, png, timeout=settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("Cache unreachable; %s not kept.", name, exc_info=True)
    return png


def share_image(snapshot, address):
    """
    The share image's PNG bytes for ``snapshot`` in the active language,
    naming ``address`` (the site's, without its scheme) as where to read it.
    """
    key = hashlib.sha256(address.encode()).hexdigest()[:16]
    return cached(snapshot, f"share-{key}", lambda: draw(snapshot, address))


class Canvas:
    """
    A white picture in the SVG's coordinates, drawn ``scale`` times larger:
    sharp on high-density screens and in documents.
    """

    def __init__(self, drawing, scale=2):
        self.scale = scale
        self.image = Image.new(
            "RGB", (drawing["width"] * scale, drawing["height"] * scale), "#ffffff"
        )
        self.pen = ImageDraw.Draw(self.image)

    def font(self, size, bold=False):
        return font(size * self.scale, bold)

    def text(self, x, y, text, size=14, bold=False, fill=TEXT):
        # The SVG places text by its baseline; so does anchor="ls".
        self.pen.text(
            (x * self.scale, y * self.scale),
            text,
            font=self.font(size, bold),
            fill=fill,
            anchor="ls",
        )

    def text_width(self, text, size=14, bold=False):
        return self.pen.textlength(text, font=self.font(size, bold)) / self.scale

    def bar(self, x, y, width, height):
        if width > 0:
            box = [x, y, x + width, y + height]
            self.pen.rounded_rectangle(
                [value * self.scale for value in box], radius=2 * self.scale, fill=BAR
            )

    def dot(self, x, y, radius):
        box = [x - radius, y - radius, x + radius, y + radius]
        self.pen.ellipse([value * self.scale for value in box], fill=BAR)

    def line(self, x1, y1, x2, y2, fill, width=1):
        self.pen.line(
            [value * self.scale for value in (x1, y1, x2, y2)],
            fill=fill,
            width=width * self.scale,
        )

    def png(self):
        buffer = io.BytesIO()
        self.image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()


def credits_digest(chart):
    # A chart's credits name the site's address, which differs from host to host.
    return hashlib.sha256("\n".join(chart.credits).encode()).hexdigest()[:16]


def chart_png(snapshot, chart):
    """A chart of ``snapshot`` as PNG, laid out like its SVG, cached."""
    name = f"chart-{chart.name}-{credits_digest(chart)}"
    return cached(snapshot, name, lambda: draw_chart(chart))


def series_chart_png(snapshots, chart):
    """
    The series chart as PNG, cached under the newest snapshot for the
    publications it shows: another one published draws it anew.
    """
    shown = "-".join(str(snapshot.publication.pk) for snapshot in snapshots)
    name = f"series-chart-{shown}-{credits_digest(chart)}"
    return cached(snapshots[-1], name, lambda: draw_chart(chart))


def draw_chart(chart):
    drawing = chart.drawing()
    canvas = Canvas(drawing)
    if isinstance(chart, Timeline):
        draw_timeline(canvas, chart, drawing)
    else:
        draw_bars(canvas, chart, drawing)
    return canvas.png()


def draw_bars(canvas, chart, drawing):
    # The bar chart's SVG draws in a group moved 16 to the right.
    left = 16
    canvas.text(left, 30, chart.title, size=20, bold=True)
    canvas.text(left, 52, chart.unit, fill=MUTED)
    for bar in drawing["bars"]:
        canvas.text(left, bar["y"], bar["label"])
        canvas.bar(left, bar["y"] + 6, float(bar["width"]), 18)
        value_x = left + float(bar["value_x"])
        canvas.text(value_x, bar["y"] + 20, number(bar["value"]), bold=True)
    if chart.apart:
        canvas.text(left, drawing["note_y"], chart.apart_note, fill=MUTED)
    for figure in drawing["apart"]:
        value = number(figure["value"])
        canvas.text(left, figure["y"], value, bold=True)
        offset = canvas.text_width(value + " ", bold=True)
        canvas.text(left + offset, figure["y"], figure["label"])
    draw_source(canvas, left, chart, drawing)


def draw_source(canvas, left, chart, drawing):
    canvas.text(left, drawing["source_y"], chart.source, size=12, fill=MUTED)
    for line in drawing["credits"]:
        canvas.text(left, line["y"], line["text"], size=12, fill=MUTED)


def draw_timeline(canvas, chart, drawing):
    canvas.text(16, 30, chart.title, size=20, bold=True)
    canvas.text(16, 52, chart.unit, fill=MUTED)
    for month in drawing["months"]:
        x = float(month["x"])
        canvas.line(x, 66, x, drawing["axis_bottom"], LINE)
        canvas.text(x + 4, 82, month["label"].upper(), size=12, bold=True, fill=ACCENT)
    canvas.line(16, 88, drawing["width"] - 16, 88, ACCENT, width=2)
    for row in drawing["rows"]:
        event = row["event"]
        label = f"{event.title} · {event.dates_display()}"
        canvas.text(16, row["y"], label, size=13, fill=MUTED)
        canvas.bar(float(row["x"]), row["y"] + 8, float(row["width"]), 14)
        if row["short"]:
            canvas.dot(float(row["middle"]), row["y"] + 15, 7)
    draw_source(canvas, 16, chart, drawing)
