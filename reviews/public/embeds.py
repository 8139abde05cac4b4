"""
The code a communications officer copies to show a chart on another site:
a frame of the chart's embed page, at a height that shows all of it
without a script, and the site's small script that fits the frame to its
content as it changes (the embed page tells its height by ``postMessage``).
"""

from django.templatetags.static import PrefixNode
from django.urls import reverse
from django.utils.html import format_html


def unversioned_static(path):
    """
    A static file's address without its content hash: embed code is pasted
    once and kept, so it must name the file as every deploy serves it.
    """
    return PrefixNode.handle_simple("STATIC_URL") + path


def embed_code(request, snapshot, chart):
    """The HTML to paste: a titled, lazy frame and the script that fits it."""
    frame = request.build_absolute_uri(
        reverse("reviews:chart_embed", args=[snapshot.slug, chart.name])
    )
    script = request.build_absolute_uri(unversioned_static("reviews/embed-host.js"))
    return format_html(
        '<iframe src="{}" title="{}" width="100%" height="{}" '
        'style="border:0;max-width:100%" loading="lazy"></iframe>\n'
        '<script src="{}" async></script>',
        frame,
        f"{chart.title} – {snapshot.full_title}",
        chart.frame_height,
        script,
    )
