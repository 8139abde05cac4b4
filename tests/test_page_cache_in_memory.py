"""
Each process keeps the shared cache's pages in memory too (reviews.pagecache.middleware.
NearCache): a page asked for again costs no round trip to Redis, and a
change announced through Redis, from this server or any other, reaches every
process before its next page. On a Redis of our own, on both databases.
"""

import os
import signal
from unittest import mock

from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from reviews.models import Conclusion
from reviews.opendata.tables import DATASETS
from reviews.pagecache import middleware as page_cache
from reviews.public.charts import CHARTS
from reviews.publishing import workflow

from .admin_forms import edit_conclusion, publish_through_admin
from .conftest import publish
from .stack import page_reads


def latest(language="en"):
    with translation.override(language):
        return reverse("reviews:latest")


def kept_in_memory(client, path, redis_client):
    """Ask for a page until this process serves it without Redis; its bytes."""
    client.get(path)
    page = client.get(path).content
    reads = page_reads(redis_client)
    assert client.get(path).content == page
    assert page_reads(redis_client) == reads, "the page is not kept in memory"
    return page


def change_unannounced(seed, text):
    """Publish a change behind the signals' back (as a raw SQL update or
    another site's migration would)."""
    Conclusion.objects.filter(snapshot=seed).update(text_en=text)
    with mock.patch.object(workflow, "announce"):
        publish(seed)


def test_a_page_asked_for_again_is_served_without_redis(seed, client, shared_cache):
    """Once built and fetched, the same page costs Redis nothing."""
    first = kept_in_memory(client, latest(), shared_cache)
    reads = page_reads(shared_cache)
    for _ in range(20):
        assert client.get(latest()).content == first
    assert page_reads(shared_cache) == reads


def test_an_announced_change_shows_on_the_next_request(seed, client, shared_cache):
    """A new generation published by any server empties the copies at once."""
    kept_in_memory(client, latest(), shared_cache)
    change_unannounced(seed, "Changed on another server.")
    assert b"Changed on another server." not in client.get(latest()).content
    page_cache.start_generation()
    assert b"Changed on another server." in client.get(latest()).content


def test_a_publication_in_the_admin_shows_on_the_next_request(
    seed, client, admin_client, shared_cache
):
    """Publishing announces itself: the copy in memory is not served."""
    kept_in_memory(client, latest(), shared_cache)
    conclusion = Conclusion.objects.filter(snapshot=seed).first()
    response = edit_conclusion(admin_client, conclusion, "Corrected in the admin.")
    assert response.status_code == 302
    assert b"Corrected in the admin." not in client.get(latest()).content
    assert publish_through_admin(admin_client, seed).status_code == 302
    assert b"Corrected in the admin." in client.get(latest()).content


def test_a_lost_subscription_never_serves_a_missed_change(seed, client, shared_cache):
    """
    Redis drops the subscription's connection (a restart, a network blip,
    CLIENT KILL) and a change is announced before this process notices:
    the copies kept from before are not trusted again.
    """
    kept_in_memory(client, latest(), shared_cache)
    assert shared_cache.client_kill_filter(_type="pubsub") >= 1
    change_unannounced(seed, "Announced while nobody listened.")
    page_cache.start_generation()
    assert b"Announced while nobody listened." in client.get(latest()).content


def test_clearing_the_cache_clears_every_copy(seed, client, shared_cache):
    """cache.clear() (after a loaddata, say) reaches the copies in memory."""
    kept_in_memory(client, latest(), shared_cache)
    change_unannounced(seed, "Loaded from a fixture.")
    cache.clear()
    assert b"Loaded from a fixture." in client.get(latest()).content


def test_the_process_that_clears_drops_its_copies_before_the_news_comes_back(
    seed, client, shared_cache
):
    """
    On a busy server Redis's announcement of the clear arrives after the
    next request; the process that cleared does not wait for it.
    """
    kept_in_memory(client, latest(), shared_cache)
    change_unannounced(seed, "Loaded on a busy server.")
    with mock.patch.object(page_cache.near_cache.subscription, "messages", list):
        cache.clear()
        assert b"Loaded on a busy server." in client.get(latest()).content


def every_page(seed, language):
    with translation.override(language):
        return [
            reverse("reviews:latest"),
            *(
                reverse("reviews:download", args=[seed.slug, dataset, kind])
                for dataset in DATASETS
                for kind in ("csv", "xlsx")
            ),
            *(
                reverse("reviews:chart_file", args=[seed.slug, chart, kind])
                for chart in CHARTS
                for kind in ("svg", "png")
            ),
        ]


def test_copies_stay_within_their_memory_budget(seed, client, shared_cache, settings):
    """The pages used longest ago make room for the latest."""
    largest = max(
        len(client.get(latest(language)).content) for language in ["en", "es"]
    )
    settings.PAGE_NEAR_CACHE_BYTES = 8 * largest
    pages = every_page(seed, "en") + every_page(seed, "es")
    for path in pages * 2:
        assert client.get(path).status_code == 200
    near = page_cache.near_cache
    assert 0 < near.size <= settings.PAGE_NEAR_CACHE_BYTES
    assert near.size == sum(len(entry["content"]) for entry in near.pages.values())
    assert len(near.pages) < len(pages), "nothing had to make room"
    client.get(latest("es"))
    reads = page_reads(shared_cache)
    client.get(latest("es"))
    assert page_reads(shared_cache) == reads, "the page used last was pushed out"


def test_a_page_over_an_eighth_of_the_budget_is_not_kept(
    seed, client, shared_cache, settings
):
    """One large download never pushes out every other page."""
    page = client.get(latest()).content
    settings.PAGE_NEAR_CACHE_BYTES = 8 * len(page) - 8
    for _ in range(3):
        client.get(latest())
    reads = page_reads(shared_cache)
    client.get(latest())
    assert page_reads(shared_cache) > reads


def test_with_redis_gone_pages_are_built_and_retried_calmly(
    seed, client, shared_cache, redis_server, caplog
):
    """Redis stops: pages come from the database; coming back, from memory again."""
    kept_in_memory(client, latest(), shared_cache)
    redis_server.stop()
    try:
        change_unannounced(seed, "Written while Redis was down.")
        for _ in range(3):
            response = client.get(latest())
            assert response.status_code == 200
            assert b"Written while Redis was down." in response.content
        assert "announcements unreachable" in caplog.text
    finally:
        redis_server.start()
    page_cache.near_cache.retry_at = 0.0
    page_cache.backoff.until = 0.0
    page = kept_in_memory(client, latest(), shared_cache)
    assert b"Written while Redis was down." in page


def test_everything_the_site_keeps_in_redis_expires(seed, client, shared_cache):
    """Pages, downloads, pictures and the generation: no key without a TTL."""
    slug = seed.slug
    for path in (
        latest(),
        latest("es"),
        f"/en/snapshots/{slug}/share.png",
        f"/es/snapshots/{slug}/charts/timeline.png",
        f"/en/snapshots/{slug}/data/stakeholders.csv",
    ):
        assert client.get(path).status_code == 200
    keys = list(shared_cache.scan_iter("near:*"))
    assert len(keys) >= 6
    assert all(shared_cache.ttl(key) > 0 for key in keys), [
        key for key in keys if shared_cache.ttl(key) <= 0
    ]


def test_a_hung_redis_is_asked_once_per_backoff_not_on_every_page(
    seed, client, shared_cache, redis_server
):
    """Redis hangs: the publication waits once, then pages come from the database."""
    kept_in_memory(client, latest(), shared_cache)
    os.kill(redis_server.process.pid, signal.SIGSTOP)
    try:
        with (
            mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many,
            mock.patch.object(cache, "set", wraps=cache.set),
        ):
            conclusion = Conclusion.objects.filter(snapshot=seed).first()
            conclusion.text_en = "Edited while Redis hung."
            conclusion.save()
            publish(seed)
            for _ in range(5):
                response = client.get(latest())
                assert b"Edited while Redis hung." in response.content
    finally:
        os.kill(redis_server.process.pid, signal.SIGCONT)
    assert get_many.call_count == 0, "Redis was asked again within the backoff"
    assert page_cache.backoff.waiting
