"""
Pictures drawn with Pillow: the one a shared link shows (Open Graph, Twitter
cards, 1200 × 630 PNG) and each chart as PNG.

It is laid out with Pillow from the snapshot's data in the active language:
series, title, the meeting's dates and the registered-participants total, in
the DejaVu Sans the site itself serves (``static/reviews/fonts``), so the
picture and the page look alike. Drawing costs tens of milliseconds, so the
bytes are cached under the snapshot's ``updated_at``: any change of its
content moves that date (``reviews.content``) and so asks for a new picture.
"""

import io
from pathlib import Path

from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from .templatetags.snapshot_tags import number

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
FONTS = Path(__file__).resolve().parent / "static" / "reviews" / "fonts"
# The site's palette (site.css).
BACKGROUND, ACCENT, TEXT, MUTED = "#e8f0f6", "#0b4f7c", "#1d2630", "#4a5562"
BAR = "#2d6f9c"
# Bump when the layout changes, so cached pictures of the old layout go.
LAYOUT = 1


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


def draw(snapshot):
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
    baseline = HEIGHT - 64
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


def share_image(snapshot):
    """The PNG's bytes for ``snapshot`` in the active language, cached."""
    version = snapshot.updated_at.timestamp()
    key = f"share-image:{LAYOUT}:{snapshot.pk}:{get_language()}:{version}"
    png = cache.get(key)
    if png is None:
        png = draw(snapshot)
        cache.set(key, png, timeout=None)
    return png


def chart_png(chart, scale=2):
    """
    A chart as PNG, laid out like its SVG (``Chart.drawing``) and drawn at
    twice its size, sharp on high-density screens and in documents.
    """
    drawing = chart.drawing()
    image = Image.new(
        "RGB", (drawing["width"] * scale, drawing["height"] * scale), "#ffffff"
    )
    pen = ImageDraw.Draw(image)
    regular, bold = font(14 * scale), font(14 * scale, bold=True)

    def write(x, y, text, typeface=regular, fill=TEXT):
        # The SVG places text by its baseline; so does anchor="ls".
        pen.text(
            ((x + 16) * scale, y * scale), text, font=typeface, fill=fill, anchor="ls"
        )

    write(0, 30, chart.title, font(20 * scale, bold=True))
    write(0, 52, chart.unit, fill=MUTED)
    for bar in drawing["bars"]:
        write(0, bar["y"], bar["label"])
        left, top = 16 * scale, (bar["y"] + 6) * scale
        width = float(bar["width"]) * scale
        if width:
            pen.rounded_rectangle(
                [left, top, left + width, top + 18 * scale], radius=2 * scale, fill=BAR
            )
        write(float(bar["value_x"]), bar["y"] + 20, number(bar["value"]), bold)
    if chart.apart:
        write(0, drawing["note_y"], chart.apart_note, fill=MUTED)
    for figure in drawing["apart"]:
        value = number(figure["value"])
        write(0, figure["y"], value, bold)
        offset = pen.textlength(value + " ", font=bold) / scale
        write(offset, figure["y"], figure["label"])
    write(0, drawing["source_y"], chart.source, font(12 * scale), MUTED)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
