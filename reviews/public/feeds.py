"""
The series' Atom feed, one per public language: every publication that has
gone live, a new snapshot or a new version of one, newest first, each entry
at the version's permanent address.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext

from reviews.public import series
from reviews.public.xml_text import xml_text


class PublicationsFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return gettext("Regional Review snapshots")

    def subtitle(self):
        return gettext(
            "New snapshots of the Regional Review of the Global Compact for "
            "Migration in Latin America and the Caribbean, and new versions "
            "of them."
        )

    def link(self):
        return reverse("reviews:archive")

    def feed_url(self):
        return reverse("reviews:feed")

    def items(self):
        return series.announcements()

    def item_title(self, snapshot):
        if snapshot.publication.number == 1:
            return xml_text(snapshot.full_title)
        return xml_text(
            gettext("%(title)s, version %(version)s")
            % {
                "title": snapshot.full_title,
                "version": snapshot.publication.number,
            }
        )

    def item_description(self, snapshot):
        meeting = getattr(snapshot, "meeting", None)
        if snapshot.publication.number == 1:
            announcement = gettext("A new snapshot of %(series)s.")
        else:
            announcement = gettext(
                "A new version of this snapshot of %(series)s: it replaces "
                "version %(previous)s."
            )
        lines = [
            announcement
            % {"series": snapshot.series, "previous": snapshot.publication.number - 1}
        ]
        if meeting is not None:
            lines.append(f"{meeting.name} ({meeting.dates_display()})")
        return xml_text(" ".join(lines))

    def item_link(self, snapshot):
        return snapshot.publication.get_absolute_url()

    def item_pubdate(self, snapshot):
        return snapshot.publication.goes_live_at

    def item_updateddate(self, snapshot):
        return snapshot.publication.goes_live_at

    def item_author_name(self, snapshot):
        return xml_text(snapshot.publisher) or None
