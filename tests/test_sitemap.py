"""The sitemap's dates, as a search engine reads them to know what to fetch again."""

import datetime
import xml.etree.ElementTree as ET

from django.test import Client
from django.utils import timezone

from reviews.publishing import workflow
from reviews.publishing.models import Publication, Withdrawal

SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def lastmod(address):
    """The ``lastmod`` the sitemap gives ``address``."""
    root = ET.fromstring(Client().get("/sitemap.xml").content)
    for url in root.iterfind("s:url", SITEMAP):
        if url.findtext("s:loc", namespaces=SITEMAP) == f"http://testserver{address}":
            return datetime.date.fromisoformat(
                url.findtext("s:lastmod", namespaces=SITEMAP)
            )
    raise AssertionError(f"{address} is not in the sitemap")


def test_the_archive_is_modified_when_a_snapshot_is_taken_off(
    second_issue, seed, publisher
):
    """Unpublishing changes the archive: its lastmod says so, as a publish does."""
    earlier = timezone.now() - datetime.timedelta(days=30)
    Publication.objects.update(goes_live_at=earlier, created_at=earlier)
    assert lastmod("/en/snapshots/") == earlier.date()
    workflow.unpublish(second_issue, publisher)
    taken_off = Withdrawal.objects.get().withdrawn_at
    assert lastmod("/en/snapshots/") == taken_off.date()
    assert lastmod("/es/snapshots/") == taken_off.date()


def test_the_archive_is_modified_when_its_newest_publication_went_live(seed):
    """With nothing taken off, the archive changed when the newest went live."""
    newest = Publication.objects.get()
    assert lastmod("/en/snapshots/") == newest.goes_live_at.date()
