"""The shared page cache: fast for visitors, never stale after a publication."""

import logging
from unittest import mock

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from reviews.content import page_query_budget
from reviews.models import Conclusion
from reviews.pagecache import build
from reviews.publishing import workflow
from reviews.publishing.models import Rendering

from .admin_forms import edit_conclusion, publish_through_admin, submitted
from .conftest import PASSWORD, publish
from .stack import DEAD_REDIS


@pytest.fixture(autouse=True, params=["local memory", "Redis"])
def cache_backend(request, settings):
    """Every test on the embedded default and on production's shared Redis
    (whose pages each process also keeps in memory); the content is checked
    against the database no more than hourly, so that the queries counted
    never depend on the machine's speed."""
    settings.PAGE_CACHE_CHECK_SECONDS = 60 * 60
    if request.param == "Redis":
        request.getfixturevalue("shared_cache")


def latest(language="en"):
    with translation.override(language):
        return reverse("reviews:latest")


def test_a_visitors_second_request_is_served_without_the_database(
    seed, client, django_assert_num_queries
):
    """The public page is built once, then served from the cache."""
    first = client.get(latest())
    with django_assert_num_queries(0):
        second = client.get(latest())
    assert second.status_code == 200
    assert second.content == first.content


def test_each_language_is_cached_on_its_own(seed, client):
    """The Spanish page never comes out of the English one's cache entry."""
    english = client.get(latest("en"))
    spanish = client.get(latest("es"))
    assert client.get(latest("es")).content == spanish.content
    assert spanish.content != english.content
    assert b'lang="es"' in spanish.content


def test_pages_tell_browsers_and_proxies_how_to_cache_them(seed, client):
    """Cache-Control, ETag and Last-Modified on a public page; a revalidation is 304."""
    response = client.get(latest())
    assert response["Cache-Control"].startswith("public, max-age=")
    assert response["ETag"]
    assert response["Last-Modified"]
    assert "Cookie" in response["Vary"]
    again = client.get(latest(), headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    since = client.get(
        latest(), headers={"if-modified-since": response["Last-Modified"]}
    )
    assert since.status_code == 304


def test_downloads_are_cached_too(seed, client, django_assert_num_queries):
    """A CSV download is built once per language."""
    url = reverse("reviews:download", args=[seed.slug, "stakeholders", "csv"])
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]
    assert second["Content-Type"] == first["Content-Type"]


def test_a_cached_page_carries_nothing_of_one_request(seed, client):
    """No CSRF token, no CSP nonce and no cookie in what is kept for everyone."""
    client.get(latest())
    response = client.get(latest())
    assert b"csrfmiddlewaretoken" not in response.content
    assert b"nonce" not in response.content
    assert "nonce" not in response["Content-Security-Policy"]
    assert not response.cookies


def test_a_publication_shows_on_the_next_request_and_an_edit_alone_never(
    seed, client, editor, publisher_client
):
    """
    An editor corrects a conclusion: visitors keep the cached publication;
    once a publisher publishes, they see the correction at once.
    """
    client.get(latest())
    conclusion = Conclusion.objects.filter(snapshot=seed).first()
    editor_client = Client()
    editor_client.force_login(editor)
    response = edit_conclusion(editor_client, conclusion, "A corrected conclusion.")
    assert response.status_code == 302
    assert b"A corrected conclusion." not in client.get(latest()).content
    assert publish_through_admin(publisher_client, seed).status_code == 302
    assert b"A corrected conclusion." in client.get(latest()).content


def test_an_edit_inline_under_the_snapshot_shows_once_published(
    seed, client, admin_client
):
    """Deleting a conclusion from the snapshot's own form is seen once published."""
    client.get(latest())
    form = admin_client.get(reverse("admin:reviews_snapshot_change", args=[seed.pk]))
    data = submitted(form)
    conclusion = Conclusion.objects.get(pk=data["conclusions-0-id"])
    data["conclusions-0-DELETE"] = "on"
    response = admin_client.post(
        reverse("admin:reviews_snapshot_change", args=[seed.pk]), data
    )
    assert response.status_code == 302, response.context and [
        formset.errors for formset in response.context["inline_admin_formsets"]
    ]
    assert not Conclusion.objects.filter(pk=conclusion.pk).exists()
    first_words = conclusion.text_en.split(".")[0].encode()
    assert first_words in client.get(latest()).content
    assert publish_through_admin(admin_client, seed).status_code == 302
    assert first_words not in client.get(latest()).content


def test_unpublishing_a_snapshot_hides_it_at_once(seed, client, publisher_client):
    """Unpublished, a snapshot's cached page answers 410 on the next request."""
    url = seed.get_absolute_url()
    assert client.get(url).status_code == 200
    unpublish = reverse("admin:reviews_snapshot_unpublish", args=[seed.pk])
    assert publisher_client.post(unpublish).status_code == 302
    assert client.get(url).status_code == 410
    republish = reverse("admin:reviews_snapshot_republish", args=[seed.pk, 1])
    assert publisher_client.post(republish).status_code == 302
    assert client.get(url).status_code == 200


def test_an_import_shows_once_published(seed, client, tmp_path):
    """A workbook imported on the command line shows on the pages once published."""
    conclusions = Conclusion.objects.filter(snapshot=seed)
    original = {c.pk: c.text_en for c in conclusions}
    # A workbook with a new text, then the database back as it was without
    # signals, as a raw SQL edit would: the cache never heard of either.
    conclusions.update(text_en="Imported text.")
    workbook = tmp_path / "snapshot.xlsx"
    call_command("export_snapshot", seed.slug, str(workbook), verbosity=0)
    # As a workbook made by hand: without the record of what it was exported
    # from, which would keep the texts changed since (tests of exported_from).
    book = openpyxl.load_workbook(workbook)
    del book["exported_from"]
    book.save(workbook)
    for pk, text in original.items():
        Conclusion.objects.filter(pk=pk).update(text_en=text)
    assert b"Imported text." not in client.get(latest()).content
    call_command("import_snapshot", str(workbook), "--dry-run", verbosity=0)
    assert b"Imported text." not in client.get(latest()).content
    call_command("import_snapshot", str(workbook), verbosity=0)
    assert b"Imported text." not in client.get(latest()).content
    publish(seed)
    assert b"Imported text." in client.get(latest()).content


def test_a_signed_in_editor_always_sees_a_fresh_page(seed, client, editor):
    """Editors are never served what the cache kept for visitors."""
    client.get(latest())
    editor_client = Client()
    editor_client.force_login(editor)
    Conclusion.objects.filter(snapshot=seed).update(text_en="Changed behind.")
    # Published behind the cache's back: no announcement reaches it.
    with mock.patch.object(workflow, "announce"):
        publish(seed)
    assert b"Changed behind." in editor_client.get(latest()).content
    assert b"Changed behind." not in client.get(latest()).content


def test_a_visitor_with_a_stale_session_cookie_is_served_from_the_cache(
    seed, client, django_assert_num_queries
):
    """A session cookie that signs no one in does not bypass the cache."""
    client.get(latest())
    client.cookies["sessionid"] = "not-a-session"
    with django_assert_num_queries(1):  # the session lookup only
        assert client.get(latest()).status_code == 200


def test_a_draft_preview_is_never_cached(draft, editor, client):
    """An editor's preview of a draft is private and never shown to visitors."""
    url = draft.get_absolute_url()
    editor_client = Client()
    editor_client.force_login(editor)
    assert editor_client.get(url)["Cache-Control"] == "private, no-store"
    assert client.get(url).status_code == 404


def test_query_strings_are_not_cached(
    seed, client, page_cache_checked, django_assert_max_num_queries
):
    """Random query strings cannot fill the cache: they are built each time."""
    client.get(latest() + "?x=1")
    with django_assert_max_num_queries(page_query_budget()):
        assert client.get(latest() + "?x=2").status_code == 200


@pytest.mark.parametrize("path", ["/", "/robots.txt", "/sitemap.xml"])
def test_pages_outside_the_snapshot_are_not_cached(seed, client, path):
    """The language redirect and the files for robots are answered each time."""
    response = client.get(path, headers={"accept-language": "es"})
    assert "ETag" not in response


@override_settings(CACHES=DEAD_REDIS)
def test_with_redis_down_pages_are_served_and_the_failure_logged(seed, client, caplog):
    """Redis unreachable: the page comes from the database, the error is logged."""
    with caplog.at_level(logging.WARNING, logger="reviews.pagecache.middleware"):
        response = client.get(latest())
    assert response.status_code == 200
    assert b"Regional Review" in response.content
    assert "Page cache unreachable" in caplog.text


@override_settings(CACHES=DEAD_REDIS)
def test_with_redis_down_a_publisher_still_publishes(
    seed, client, publisher_client, caplog
):
    """Redis unreachable: the invalidation fails quietly, the publication is made."""
    conclusion = Conclusion.objects.filter(snapshot=seed).first()
    response = edit_conclusion(publisher_client, conclusion, "Saved without Redis.")
    assert response.status_code == 302
    with caplog.at_level(logging.ERROR, logger="reviews.pagecache.middleware"):
        response = publish_through_admin(publisher_client, seed)
    assert response.status_code == 302
    assert seed.publications.count() == 2
    assert "new page cache generation" in caplog.text
    assert b"Saved without Redis." in client.get(latest()).content


def test_a_visitor_signed_in_through_the_login_form_sees_fresh_pages(seed, client):
    """After signing in, the same browser stops getting the visitors' copy."""
    client.get(latest())
    Conclusion.objects.filter(snapshot=seed).update(text_en="Fresh for staff.")
    with mock.patch.object(workflow, "announce"):
        publish(seed)
    assert b"Fresh for staff." not in client.get(latest()).content
    User.objects.create_superuser("boss", password=PASSWORD)
    client.post(reverse("admin:login"), {"username": "boss", "password": PASSWORD})
    assert b"Fresh for staff." in client.get(latest()).content


def test_a_page_built_while_the_content_changed_is_not_kept_as_current(
    seed, client, django_assert_max_num_queries
):
    """A change during a page's building makes the next request build it again."""
    from reviews.pagecache import middleware as page_cache
    from reviews.public import views

    build = views.render_snapshot

    def build_while_an_editor_saves(request, snapshot):
        response = build(request, snapshot)
        page_cache.invalidate()
        return response

    with mock.patch.object(views, "render_snapshot", build_while_an_editor_saves):
        client.get(latest())
    with CaptureQueriesContext(connection) as queries:
        client.get(latest())
    assert len(queries) > 0
    with django_assert_max_num_queries(0):
        client.get(latest())


def test_a_generation_gone_back_to_before_a_publication_serves_no_stale_page(
    seed, client, settings
):
    """Redis restored from a dump taken before a publication: it still shows."""
    from reviews.pagecache import middleware as page_cache

    settings.PAGE_CACHE_CHECK_SECONDS = 0
    client.get(latest())
    dumped = cache.get(page_cache.GENERATION_KEY)
    conclusion = Conclusion.objects.filter(snapshot=seed).first()
    conclusion.text_en = "Edited after the dump."
    conclusion.save()
    publish(seed)
    cache.set(page_cache.GENERATION_KEY, dumped)
    assert b"Edited after the dump." in client.get(latest()).content


@override_settings(ALLOWED_HOSTS=["127.0.0.1", "testserver"])
def test_host_variants_share_one_copy_and_add_none(
    seed, client, django_assert_num_queries
):
    """Host: 127.0.0.1:<port> is served the copy for 127.0.0.1, and never kept."""
    for port in (8001, 8002):
        with CaptureQueriesContext(connection) as queries:
            client.get(latest(), headers={"host": f"127.0.0.1:{port}"})
        assert len(queries) > 0, "a variant's page was kept"
    canonical = client.get(latest(), headers={"host": "127.0.0.1"}).content
    with django_assert_num_queries(0):
        variant = client.get(latest(), headers={"host": "127.0.0.1:8003"})
    assert variant.content == canonical
    assert b"127.0.0.1:800" not in canonical


def test_a_new_release_builds_pages_anew_and_keeps_only_its_own(seed, client):
    """After a deploy of other code, readers get its page; the old copy is deleted."""
    client.get("/en/")
    before = set(Rendering.objects.values_list("build", flat=True))
    cache.clear()
    with mock.patch.object(build, "source_digest", lambda: "the next release"):
        assert client.get("/en/").status_code == 200
        assert set(Rendering.objects.values_list("build", flat=True)) == {
            build.build_id()
        }
        assert build.build_id() not in before


def test_a_new_release_is_not_served_the_old_releases_cached_pages(seed, client):
    """
    A deploy that fixes a template shows at once: the shared cache's pages
    of the code before are not sent by the code after, and back again.
    """
    client.get("/en/")
    with mock.patch.object(build, "source_digest", lambda: "the next release"):
        assert client.get("/en/").status_code == 200
        # Built by the new code, as a request that missed the cache is.
        assert Rendering.objects.filter(build=build.build_id()).exists()
