"""
The production stack for real: two gunicorn app servers on loopback sharing
one PostgreSQL database and one Redis, with production settings. Editors
change the working copy; what the public sees changes only when a
publisher publishes, through the admin as a browser posts it.
"""

import csv
import io
import os
import re
import signal
import socket
import threading
import time

import pytest
from django.conf import settings

from bench.stack import Proxy

from .stack import Browser, answered_by, page_reads, required, running_stack

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """Two app servers, A and B, an editor and a publisher (tests.stack.Stack)."""
    with running_stack(tmp_path_factory.mktemp("stack")) as running:
        yield running


def first_conclusion(database):
    return database.query(
        'SELECT id, snapshot_id, "order", text_en, text_es FROM reviews_conclusion'
        ' ORDER BY snapshot_id, "order" LIMIT 1'
    )[0]


def test_both_servers_are_healthy(stack):
    """/healthz answers 200 on each app server."""
    for server in stack.servers:
        response = server.get("/healthz")
        assert response.status == 200, response.text


def edit_first_conclusion(stack, server, text_en):
    """
    The editor corrects a conclusion of the working copy through ``server``,
    its Spanish with it (or publishing would wait for it as stale).
    """
    pk, snapshot, order, _, _text_es = first_conclusion(stack.database)
    response = stack.editor.on(server).edit(
        f"/admin/reviews/conclusion/{pk}/change/",
        {
            "snapshot": snapshot,
            "order": order,
            "text_en": text_en,
            "text_es": f"{text_en} (es)",
        },
    )
    assert response.status == 302, response.text[:3000]
    return response


def publish(stack, server, goes_live_at=""):
    """The publisher publishes the working copy through ``server``."""
    pk, _slug = stack.snapshot()
    return stack.publisher.on(server).publish(pk, goes_live_at)


def publish_first_conclusion(stack, server, text_en):
    """An edit of the working copy, then its publication, both through ``server``."""
    edit_first_conclusion(stack, server, text_en)
    return publish(stack, server)


def test_a_publication_made_through_one_server_shows_on_the_other(stack):
    """
    An editor saves through A and B's page is unchanged (304 to its ETag);
    a publisher publishes through A and B's very next page shows it.
    """
    first, second = stack.servers
    assert second.get("/en/").status == 200
    cached = second.get("/en/")
    assert cached.headers["ETag"]
    edit_first_conclusion(stack, first, "Published through the first server.")
    unchanged = second.get("/en/", **{"If-None-Match": cached.headers["ETag"]})
    assert unchanged.status == 304, "a save of the working copy changed the page"
    publish(stack, first)
    fresh = second.get("/en/", **{"If-None-Match": cached.headers["ETag"]})
    assert fresh.status == 200
    assert b"Published through the first server." in fresh.body


def test_every_worker_keeps_pages_in_memory_and_drops_them_on_a_publication(stack):
    """
    Once each of B's workers has served /en/, B answers it without asking
    Redis, and an editor's save through A changes nothing of that; a
    publication through A shows on B's next page, whichever worker answers.
    """
    site, redis = stack.site, stack.redis
    first, second = stack.servers
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
    edit_first_conclusion(stack, first, "Published while B kept the page in memory.")
    reads = page_reads(redis.client())
    for worker in workers:
        with answered_by(worker, workers):
            for _ in range(10):
                page = second.get("/en/").body
                assert b"while B kept the page in memory" not in page
    assert page_reads(redis.client()) == reads, "a save dropped B's pages"
    publish(stack, first)
    for worker in workers:
        with answered_by(worker, workers):
            page = second.get("/en/").body
        assert b"Published while B kept the page in memory." in page


def test_an_import_previewed_on_one_server_is_confirmed_on_the_other(stack):
    """
    The upload waits in shared storage: preview on A, confirm on B; the
    import changes the working copy only, public once published.
    """
    database = stack.database
    first, second = stack.servers
    pk, _, order, _, _text_es = first_conclusion(database)
    slug = database.query(
        "SELECT s.slug FROM reviews_snapshot s JOIN reviews_conclusion c"
        " ON c.snapshot_id = s.id WHERE c.id = %s",
        pk,
    )[0][0]
    sheet = io.StringIO()
    writer = csv.writer(sheet)
    writer.writerow(["snapshot", "order", "text_en", "text_es"])
    writer.writerow(
        [slug, order, "Imported across two servers.", "Importado entre dos servidores."]
    )

    editor = Browser(first.port)
    editor.sign_in("admin", stack.password)
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
    cache = stack.redis
    prefix = (
        f"{stack.site.environment['DJANGO_CACHE_KEY_PREFIX']}:1:django-import-export-"
    )
    uploads = list(cache.client().scan_iter(match=prefix + "*"))
    assert len(uploads) == 2
    assert all(0 < cache.client().ttl(key) <= 60 * 60 for key in uploads)

    response = editor.on(second).post(
        "/admin/reviews/conclusion/process_import/", confirm
    )
    assert response.status == 302, response.text[:3000]
    assert not cache.client().exists(*uploads)
    assert first_conclusion(database)[3] == "Imported across two servers."
    assert b"Imported across two servers." not in first.get("/en/").body
    publish(stack, second)
    for server in stack.servers:
        assert b"Imported across two servers." in server.get("/en/").body


def test_with_redis_stopped_pages_are_still_served_and_publishing_succeeds(stack):
    """
    Redis goes away mid-run: pages come from the database, an edit saves
    and its publication through A shows on B.
    """
    redis = stack.redis
    first, second = stack.servers
    second.get("/es/")
    redis.stop()
    try:
        for server in stack.servers:
            for path in ("/en/", "/es/"):
                response = server.get(path)
                assert response.status == 200, response.text[:2000]
        for server in stack.servers:
            health = server.get("/healthz")
            assert health.status == 200, "the balancer would drop the whole site"
            assert b'"cache": "degraded"' in health.body
        publish_first_conclusion(stack, first, "Published while Redis was down.")
        assert b"Published while Redis was down." in second.get("/en/").body
    finally:
        redis.start()
    assert b'"cache": "ok"' in first.get("/healthz").body
    # Back up, the cache must not serve what it kept before the outage.
    assert b"Published while Redis was down." in second.get("/en/").body


def test_with_postgresql_unreachable_pages_answer_503(stack):
    """No database: every page is a 503 with Retry-After, in the reader's language."""
    server = Browser(
        stack.site.serve(
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


def every_page(site, servers, path="/en/"):
    """``path`` as each worker of each app server answers it."""
    pages = []
    for server in servers:
        workers = site.workers(server.port, count=2)
        for worker in workers:
            with answered_by(worker, workers):
                pages.append(server.get(path).body)
    return pages


def wait_out_the_bound(site, saved_at, servers, text):
    """
    Until PAGE_CACHE_CHECK_SECONDS after the publication was made: how long
    some worker went on answering a page without it (printed, for the README).
    """
    bound = saved_at + settings.PAGE_CACHE_CHECK_SECONDS
    stale_until = None
    while time.monotonic() < bound:
        if any(text not in page for page in every_page(site, servers)):
            stale_until = time.monotonic()
    print(
        "stale for",
        "none" if stale_until is None else f"{stale_until - saved_at:.1f} s",
        f"(bound {settings.PAGE_CACHE_CHECK_SECONDS} s)",
    )


def test_redis_restarted_from_a_dump_older_than_a_publication_serves_it_in_the_bound(
    stack,
):
    """
    Redis saves its dump, a publisher publishes, Redis is killed and
    restarted on its folder (the old generation and pages are back): from
    PAGE_CACHE_CHECK_SECONDS after the publication, every worker of both
    servers shows it.
    """
    site, redis = stack.site, stack.redis
    first, _ = servers = stack.servers
    every_page(site, servers)
    redis.save()
    try:
        publish_first_conclusion(stack, first, "Published after Redis saved its dump.")
        saved_at = time.monotonic()
        redis.kill()
        redis.start()
        wait_out_the_bound(site, saved_at, servers, b"after Redis saved its dump")
        for page in every_page(site, servers):
            assert b"Published after Redis saved its dump." in page
    finally:
        (redis.folder / "dump.rdb").unlink(missing_ok=True)


def test_a_publication_made_while_redis_hangs_shows_within_the_bound_despite_a_reload(
    stack,
):
    """
    Redis hangs (SIGSTOP) while a publisher publishes and B is reloaded
    (SIGHUP): from PAGE_CACHE_CHECK_SECONDS after the publication every
    worker of both servers shows it, while Redis still hangs and once it
    resumes.
    """
    site, redis = stack.site, stack.redis
    first, second = servers = stack.servers
    every_page(site, servers)
    reloaded = site.workers(second.port, count=2)
    os.kill(redis.process.pid, signal.SIGSTOP)
    try:
        publish_first_conclusion(stack, first, "Published while Redis hung.")
        saved_at = time.monotonic()
        os.kill(site.servers[second.port].pid, signal.SIGHUP)
        while set(site.workers(second.port, count=2)) & set(reloaded):
            time.sleep(0.2)
        wait_out_the_bound(site, saved_at, servers, b"Published while Redis hung.")
        for page in every_page(site, servers):
            assert b"Published while Redis hung." in page
    finally:
        os.kill(redis.process.pid, signal.SIGCONT)
    for page in every_page(site, servers):
        assert b"Published while Redis hung." in page
    assert b'"cache": "ok"' in second.get("/healthz").body


def drip(sockets, rounds, done):
    """Each socket sends one more line (or kilobyte of body) every 2 s."""
    for _ in range(rounds):
        for sock, piece in sockets:
            sock.sendall(piece)
        time.sleep(2)
    done.set()


def test_behind_nginx_slow_clients_hold_no_worker(stack, tmp_path):
    """
    Five clients sending a header line every 2 s and five sending 60 KB
    bodies a kilobyte at a time, through the shipped nginx.conf: B's two
    workers answer other requests meanwhile.
    """
    second = stack.second
    proxy = required(Proxy, tmp_path / "nginx", second.port)
    proxy.start()
    sockets = []
    try:
        for _ in range(5):
            sock = socket.create_connection(("127.0.0.1", proxy.port))
            sock.sendall(b"GET /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            sockets.append((sock, b"X-Slow: yes\r\n"))
        for _ in range(5):
            sock = socket.create_connection(("127.0.0.1", proxy.port))
            sock.sendall(
                b"POST /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: 61440\r\n\r\n"
            )
            sockets.append((sock, b"a" * 1024))
        done = threading.Event()
        dripping = threading.Thread(target=drip, args=(sockets, 5, done))
        dripping.start()
        time.sleep(1)
        for path in ("/healthz", "/en/", "/es/", "/healthz", "/en/"):
            assert Browser(proxy.port).get(path).status == 200
            # Answered while every slow client is still sending.
            assert not done.is_set()
        dripping.join()
    finally:
        for sock, _ in sockets:
            sock.close()
        proxy.stop()
