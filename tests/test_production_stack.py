"""
The production stack for real: two gunicorn app servers on loopback sharing
one PostgreSQL database and one Redis, with production settings.
"""

import csv
import io
import re

import pytest

from bench.stack import Site

from .stack import Browser, answered_by, page_reads, postgres_database, redis

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """Two app servers, A and B; yields (site, database, redis, A, B, password)."""
    database, cache = postgres_database(), redis()
    database.create()
    cache.start()
    site = Site(database.url, cache.url, tmp_path_factory.mktemp("stack"))
    try:
        password = site.install()
        first, second = Browser(site.serve()), Browser(site.serve())
        yield site, database, cache, first, second, password
    finally:
        site.stop()
        cache.stop()
        database.drop()


def first_conclusion(database):
    return database.query(
        'SELECT id, snapshot_id, "order", text_en, text_es FROM reviews_conclusion'
        ' ORDER BY snapshot_id, "order" LIMIT 1'
    )[0]


def test_both_servers_are_healthy(stack):
    """/healthz answers 200 on each app server."""
    *_, first, second, _ = stack
    for server in (first, second):
        response = server.get("/healthz")
        assert response.status == 200, response.text


def edit_first_conclusion(server, database, password, text_en):
    """Sign in to ``server`` as the administrator and correct a conclusion."""
    pk, snapshot, order, _, text_es = first_conclusion(database)
    server.sign_in("admin", password)
    return server.edit(
        f"/admin/reviews/conclusion/{pk}/change/",
        {"snapshot": snapshot, "order": order, "text_en": text_en, "text_es": text_es},
    )


def test_an_edit_through_one_server_shows_on_the_other(stack):
    """An editor saves through A; B's very next page shows it."""
    _, database, _, first, second, password = stack
    assert second.get("/en/").status == 200
    cached = second.get("/en/")
    assert cached.headers["ETag"]
    response = edit_first_conclusion(
        first, database, password, "Edited through the first server."
    )
    assert response.status == 302, response.text[:3000]
    fresh = second.get("/en/", **{"If-None-Match": cached.headers["ETag"]})
    assert fresh.status == 200
    assert b"Edited through the first server." in fresh.body


def test_every_worker_keeps_pages_in_memory_and_drops_them_on_an_edit(stack):
    """
    Once each of B's workers has served /en/, B answers it without asking
    Redis; an edit through A shows on B's next page, whichever worker
    answers it.
    """
    site, database, redis, first, second, password = stack
    workers = site.workers(second.port, count=2)
    for worker in workers:
        with answered_by(worker, workers):
            # The first request after a new generation reads it, then the page.
            for _ in range(3):
                assert second.get("/en/").status == 200
    reads = page_reads(redis.client())
    for _ in range(20):
        assert second.get("/en/").status == 200
    assert page_reads(redis.client()) == reads, "B asked Redis for a page it had"
    response = edit_first_conclusion(
        first, database, password, "Edited while B kept the page in memory."
    )
    assert response.status == 302, response.text[:3000]
    for worker in workers:
        with answered_by(worker, workers):
            page = second.get("/en/").body
        assert b"Edited while B kept the page in memory." in page


def test_an_import_previewed_on_one_server_is_confirmed_on_the_other(stack):
    """The upload waits in shared storage: preview on A, confirm on B."""
    _, database, _, first, second, password = stack
    pk, _, order, _, text_es = first_conclusion(database)
    slug = database.query(
        "SELECT s.slug FROM reviews_snapshot s JOIN reviews_conclusion c"
        " ON c.snapshot_id = s.id WHERE c.id = %s",
        pk,
    )[0][0]
    sheet = io.StringIO()
    writer = csv.writer(sheet)
    writer.writerow(["snapshot", "order", "text_en", "text_es"])
    writer.writerow([slug, order, "Imported across two servers.", text_es])

    editor = first
    editor.sign_in("admin", password)
    form = editor.get("/admin/reviews/conclusion/import/")
    csv_choice = next(
        value
        for value, label in re.findall(
            r'<option value="([^"]*)"[^>]*>\s*([^<]*)</option>', form.text
        )
        if label.strip().lower() == "csv"
    )
    preview = editor.post(
        "/admin/reviews/conclusion/import/",
        {"format": csv_choice, "resource": "0"},
        files={"import_file": ("conclusions.csv", sheet.getvalue().encode())},
    )
    assert preview.status == 200, preview.text[:3000]
    confirm = preview.hidden_inputs()
    # The form carries a key into the editor's session, never a file name.
    assert confirm.get("upload") and "import_file_name" not in confirm
    # The upload (and what its preview showed) waits in the shared Redis,
    # and expires if never confirmed.
    site, _, cache, *_ = stack
    prefix = f"{site.environment['DJANGO_CACHE_KEY_PREFIX']}:1:django-import-export-"
    uploads = list(cache.client().scan_iter(match=prefix + "*"))
    assert len(uploads) == 2
    assert all(0 < cache.client().ttl(key) <= 60 * 60 for key in uploads)

    response = editor.on(second).post(
        "/admin/reviews/conclusion/process_import/", confirm
    )
    assert response.status == 302, response.text[:3000]
    assert not cache.client().exists(*uploads)
    assert first_conclusion(database)[3] == "Imported across two servers."
    assert b"Imported across two servers." in first.get("/en/").body


def test_with_redis_stopped_pages_are_still_served_and_saves_succeed(stack):
    """Redis goes away mid-run: pages come from the database, edits still save."""
    _, database, redis, first, second, password = stack
    second.get("/es/")
    redis.stop()
    try:
        for server in (first, second):
            for path in ("/en/", "/es/"):
                response = server.get(path)
                assert response.status == 200, response.text[:2000]
        assert first.get("/healthz").status == 503
        response = edit_first_conclusion(
            first, database, password, "Saved while Redis was down."
        )
        assert response.status == 302, response.text[:3000]
        assert b"Saved while Redis was down." in second.get("/en/").body
    finally:
        redis.start()
    assert first.get("/healthz").status == 200
    # Back up, the cache must not serve what it kept before the outage.
    assert b"Saved while Redis was down." in second.get("/en/").body


def test_with_postgresql_unreachable_pages_answer_503(stack):
    """No database: every page is a 503 with Retry-After, in the reader's language."""
    site, *_ = stack
    server = Browser(
        site.serve(
            workers=1, DATABASE_URL="postgres://reviews:reviews@127.0.0.1:9/nowhere"
        )
    )
    for path, language in (("/en/", "en"), ("/es/", "es")):
        response = server.get(path)
        assert response.status == 503
        assert response.headers["Retry-After"]
        assert f'<html lang="{language}">' in response.text
    assert "no está disponible" in server.get("/es/").text
    assert server.get("/healthz").status == 503
