"""
The snapshots as a series: the archive, previous and next, the Atom feeds,
the sitemap, and the next issue started from the last one.
"""

import datetime
import re
import time
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from reviews.content import CONTENT
from reviews.publishing import workflow

from .conftest import publish, start_second_issue

SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def in_language(language, name, *args):
    with translation.override(language):
        return reverse(name, args=args)


def page(address):
    response = Client().get(address)
    assert response.status_code == 200, address
    return response.content.decode()


def test_the_next_issue_starts_as_a_copy_of_the_last_publication(seed, publisher):
    """Every kind of content is copied under a new number; #1 is left as it was."""
    before = {kind.label: kind.of_snapshot(seed).count() for kind in CONTENT}
    second = start_second_issue(seed, publisher)
    assert second.number == 2
    assert {kind.label: kind.of_snapshot(second).count() for kind in CONTENT} == before
    assert {kind.label: kind.of_snapshot(seed).count() for kind in CONTENT} == before
    assert second.meeting.pk != seed.meeting.pk
    assert second.registered_total == seed.registered_total


def test_the_next_issue_is_not_public_until_published(seed, publisher):
    """A started issue is a working copy: readers get 404, the archive omits it."""
    second = start_second_issue(seed, publisher)
    assert Client().get(second.get_absolute_url()).status_code == 404
    assert "second look" not in page("/en/snapshots/")


def test_the_archive_lists_every_snapshot_newest_first(second_issue, seed):
    """Each with its dates, headline figure and version, in the page's language."""
    english = page(in_language("en", "reviews:archive"))
    assert english.index("A second look") < english.index("A snapshot of the Regional")
    assert "April 26 to 28, 2021" in english
    assert "982</span> registered participants" in english
    assert f'href="{second_issue.get_absolute_url()}"' in english
    spanish = page(in_language("es", "reviews:archive"))
    assert spanish.index("Una segunda mirada") < spanish.index("Una instantánea")
    assert "registrados" in spanish
    assert "Versión 1" in spanish


def test_the_archive_leaves_out_a_snapshot_taken_off_the_site(
    second_issue, seed, publisher
):
    """Unpublished, a snapshot leaves the archive and its neighbours' links."""
    workflow.unpublish(second_issue, publisher)
    assert "A second look" not in page("/en/snapshots/")
    assert "Next snapshot" not in page(seed.get_absolute_url())


def test_the_archive_says_so_when_nothing_is_published(db):
    """An empty site answers its archive with a sentence, not an error."""
    assert "No snapshot has been published yet." in page("/en/snapshots/")


def test_each_snapshot_links_the_one_before_and_after(seed, publisher):
    """#1's stored page learns of #2 when #2 is published, and links it."""
    first = page(seed.get_absolute_url())
    assert "Next snapshot" not in first
    assert 'href="/en/snapshots/"' in first
    second = start_second_issue(seed, publisher)
    publish(second, publisher)
    first = page(seed.get_absolute_url())
    assert 'rel="next"' in first and "A second look" in first
    assert "Previous snapshot" not in first
    later = page(second.get_absolute_url())
    assert 'rel="prev"' in later and "A snapshot of the Regional Review" in later
    assert "Next snapshot" not in later


def test_a_scheduled_issue_is_linked_once_it_has_gone_live(seed, publisher, settings):
    """No job runs at its time: the pages built before name the series they saw."""
    settings.PAGE_CACHE_CHECK_SECONDS = 0
    second = start_second_issue(seed, publisher)
    soon = timezone.now() + datetime.timedelta(seconds=1)
    publish(second, publisher, goes_live_at=soon)
    assert "Next snapshot" not in page(seed.get_absolute_url())
    time.sleep(max(0.0, (soon - timezone.now()).total_seconds()) + 0.05)
    assert "Next snapshot" in page(seed.get_absolute_url())


def test_the_home_page_shows_the_latest_and_links_the_archive(second_issue):
    """``/en/`` is the newest snapshot, with the way to the others."""
    home = page("/en/")
    assert "A second look" in home
    assert 'href="/en/snapshots/"' in home and 'rel="prev"' in home


def test_the_feed_announces_every_publication_in_its_language(
    second_issue, seed, publisher
):
    """One Atom entry per publication and version, newest first, at its version."""
    workflow.republish(seed.publications.get(number=1), publisher)
    english = feedparser.parse(page("/en/feed/"))
    assert english.version == "atom10"
    assert english.feed.language == "en"
    titles = [entry.title for entry in english.entries]
    assert titles == [
        "Key milestones and progress #1 – A snapshot of the Regional Review, version 2",
        "Key milestones and progress #2 – A second look at the Regional Review",
        "Key milestones and progress #1 – A snapshot of the Regional Review",
    ]
    assert english.entries[0].link == (
        "http://testserver" + in_language("en", "reviews:version", seed.slug, 2)
    )
    assert "replaces version 1" in english.entries[0].summary
    spanish = feedparser.parse(page("/es/feed/"))
    assert spanish.feed.language == "es"
    assert spanish.entries[1].title.endswith(
        "Una segunda mirada a la Revisión Regional"
    )
    assert spanish.entries[1].link.startswith("http://testserver/es/snapshots/")
    assert len({entry.id for entry in english.entries + spanish.entries}) == 6


def test_the_feed_is_advertised_by_the_pages(second_issue):
    """Feed readers find it from the snapshot page and the archive."""
    for address in ("/es/", "/es/snapshots/"):
        assert (
            '<link rel="alternate" type="application/atom+xml" href="/es/feed/"'
            in page(address)
        )


def test_the_feed_leaves_out_a_version_not_yet_live(seed, publisher):
    """A scheduled publication is announced when it goes live, not before."""
    later = timezone.now() + datetime.timedelta(days=2)
    publish(seed, publisher, goes_live_at=later)
    entries = feedparser.parse(page("/en/feed/")).entries
    assert [entry.title.endswith("version 2") for entry in entries] == [False]


def test_the_feed_escapes_what_editors_wrote(seed, publisher):
    """A title with markup arrives as text in the feed reader."""
    seed.title_en = "<script>alert(1)</script> & more"
    seed.title_es = "<script>alert(1)</script> y más"
    seed.save()
    publish(seed, publisher)
    body = page("/en/feed/")
    assert "<script>" not in body
    (entry, *_rest) = feedparser.parse(body).entries
    assert "<script>alert(1)</script> & more" in entry.title


def sitemap_addresses():
    root = ET.fromstring(page("/sitemap.xml"))
    return [loc.text for loc in root.iterfind("s:url/s:loc", SITEMAP)]


def test_the_sitemap_lists_the_archive_and_every_version(second_issue, seed, publisher):
    """Readers' search engines find every page a citation may name."""
    workflow.republish(seed.publications.get(number=1), publisher)
    listed = sitemap_addresses()
    for language in ("en", "es"):
        for address in (
            in_language(language, "reviews:archive"),
            in_language(language, "reviews:version", seed.slug, 1),
            in_language(language, "reviews:version", seed.slug, 2),
            in_language(language, "reviews:version", second_issue.slug, 1),
        ):
            assert f"http://testserver{address}" in listed


def test_the_sitemap_leaves_out_a_snapshot_taken_off(second_issue, publisher):
    """Its versions answer 410: they are not listed."""
    workflow.unpublish(second_issue, publisher)
    assert not [a for a in sitemap_addresses() if second_issue.slug in a]


@pytest.mark.parametrize("address", ["/en/snapshots/", "/en/feed/"])
def test_the_series_pages_refuse_writes(seed, address):
    """They are read-only: a POST answers 405."""
    assert Client().post(address).status_code == 405


def test_a_version_says_what_changed_since_the_one_before(seed, publisher):
    """Per language, the changed words marked; the earlier version linked."""
    conclusion = seed.conclusions.get(order=2)
    conclusion.text_en = conclusion.text_en.replace("pandemic", "crisis")
    conclusion.text_es = conclusion.text_es.replace("pandemia", "crisis")
    conclusion.save()
    publish(seed, publisher)
    english = page(seed.get_absolute_url())
    assert "What changed since version 1" in english
    assert "<del>pandemic</del>" in english and "<ins>crisis</ins>" in english
    assert "Main conclusion “2. Throughout the round tables, as well as…”, Text:" in (
        english
    )
    assert 'href="/en/snapshots/' + seed.slug + '/versions/1/"' in english
    spanish = page(in_language("es", "reviews:snapshot", seed.slug))
    assert "Qué cambió desde la versión 1" in spanish
    assert "<del>pandemia</del>" in spanish and "pandemic" not in spanish


def test_a_version_published_again_says_nothing_changed(seed, publisher):
    """Republishing the same content lists no change."""
    workflow.republish(seed.publications.get(number=1), publisher)
    assert "No text or figure changed" in page(seed.get_absolute_url())


def test_the_first_version_lists_no_changes(seed):
    """Version 1 has nothing before it."""
    assert "What changed since" not in page(seed.get_absolute_url())


def test_what_changed_is_escaped(seed, publisher):
    """A changed text with markup shows as text in the list of changes."""
    seed.title_en = "<img src=x onerror=alert(1)>"
    seed.title_es = "<img src=x onerror=alert(1)> es"
    seed.save()
    publish(seed, publisher)
    english = page(seed.get_absolute_url())
    assert "<img src=x" not in english
    assert "&lt;img" in english


@pytest.mark.parametrize(
    ("language", "named"), [("en", ", version 1 ·"), ("es", ", versión 1 ·")]
)
def test_a_version_page_is_titled_with_its_version(seed, language, named):
    """Tabs, bookmarks and search results tell a version from the current page."""
    snapshot_page = page(f"/{language}/snapshots/{seed.slug}/")
    version_page = page(f"/{language}/snapshots/{seed.slug}/versions/1/")
    title = re.compile(r"<title>(.*?)</title>", re.S)
    assert named in title.search(version_page).group(1)
    assert named not in title.search(snapshot_page).group(1)
