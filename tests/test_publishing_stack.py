"""
Publishing on the production stack: two gunicorn app servers on one
PostgreSQL database and one Redis, with the page cache on. A scheduled
publication goes live on every server at its time with nobody in the admin;
a reader reading while a publisher publishes sees one publication or the
other, never a page (or a download) made of both.
"""

import json
import re
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings

from .stack import answered_by, page_reads, running_stack

pytestmark = pytest.mark.stack

#: How long after PAGE_CACHE_CHECK_SECONDS a page may take to turn over: the
#: polling itself (every worker of both servers in turn) and a busy machine.
MARGIN_SECONDS = 3
#: How far ahead the publisher schedules: time for the confirmation page and
#: its POST, then for reading the old publication from the cache meanwhile.
AHEAD_SECONDS = 12

HEADLINE = re.compile(
    r'<p class="headline"><a [^>]*><span class="figure-number">([^<]*)<'
)
TOTAL = re.compile(r'<p class="total"><span class="figure-number">([^<]*)<')


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """Two app servers, A and B, an editor and a publisher (tests.stack.Stack)."""
    with running_stack(tmp_path_factory.mktemp("publishing")) as running:
        yield running


def first_count(stack):
    """The first registration count: (id, snapshot, group, order, count)."""
    return stack.database.query(
        'SELECT id, snapshot_id, group_id, "order", count'
        ' FROM reviews_stakeholdercount ORDER BY "order", id LIMIT 1'
    )[0]


def registered_total(stack):
    return stack.database.query("SELECT sum(count) FROM reviews_stakeholdercount")[0][0]


def change_first_count(stack, by):
    """The editor changes a registration count: the headline figure changes."""
    pk, snapshot, group, order, count = first_count(stack)
    response = stack.editor.edit(
        f"/admin/reviews/stakeholdercount/{pk}/change/",
        {"snapshot": snapshot, "group": group, "order": order, "count": count + by},
    )
    assert response.status == 302, response.text[:3000]


def write_first_conclusion(stack, text_en, text_es):
    """The editor rewrites the first conclusion in both languages."""
    pk, snapshot, order = stack.database.query(
        'SELECT id, snapshot_id, "order" FROM reviews_conclusion'
        ' ORDER BY "order" LIMIT 1'
    )[0]
    response = stack.editor.edit(
        f"/admin/reviews/conclusion/{pk}/change/",
        {"snapshot": snapshot, "order": order, "text_en": text_en, "text_es": text_es},
    )
    assert response.status == 302, response.text[:3000]


def publish(stack, goes_live_at=""):
    """The publisher publishes the working copy through A."""
    pk, _slug = stack.snapshot()
    stack.publisher.publish(pk, goes_live_at)
    return stack.publication_numbers()[-1]


def figures(page):
    """The registered total as the headline and the registrations section say it."""
    text = page.decode()
    return [
        int(re.sub(r"\D", "", found))
        for pattern in (HEADLINE, TOTAL)
        for found in pattern.findall(text)
    ]


def every_page(stack, path):
    """``path`` as each worker of each app server answers it."""
    pages = []
    for server in stack.servers:
        workers = stack.site.workers(server.port, count=2)
        for worker in workers:
            with answered_by(worker, workers):
                response = server.get(path)
                assert response.status == 200, response.text[:2000]
                pages.append(response.body)
    return pages


def totals_shown(stack):
    """Every registered total every worker shows, on /en/ and /es/."""
    return {
        total
        for path in ("/en/", "/es/")
        for page in every_page(stack, path)
        for total in figures(page)
    }


def test_a_scheduled_publication_goes_live_on_every_server_at_its_time(stack):
    """
    A publisher schedules a change of the headline figure a few seconds
    ahead: until then every worker of both servers sends the old figure from
    the page cache, in English and Spanish; from its time the new figure
    shows everywhere within PAGE_CACHE_CHECK_SECONDS, with nobody in the admin.
    """
    old = registered_total(stack)
    change_first_count(stack, 1000)
    assert totals_shown(stack) == {old}, "the working copy showed before publishing"
    goes_live = datetime.now(UTC).replace(microsecond=0) + timedelta(
        seconds=AHEAD_SECONDS
    )
    # As typed in the site's time zone, to the second.
    assert settings.TIME_ZONE == "UTC"
    number = publish(stack, goes_live.strftime("%Y-%m-%d %H:%M:%S"))
    goes_live_at = time.monotonic() + (goes_live - datetime.now(UTC)).total_seconds()
    assert time.monotonic() < goes_live_at - 2, "publishing took the time it had"
    assert stack.database.query(
        "SELECT goes_live_at FROM publishing_publication WHERE number = %s", number
    )[0][0] == goes_live.replace(tzinfo=UTC)

    # The scheduled publication started a new generation: every worker reads
    # it and the page once, then keeps the page in memory.
    for _ in range(2):
        assert totals_shown(stack) == {old}
    reads = page_reads(stack.redis.client())
    checked = 0
    while time.monotonic() < goes_live_at - 1:
        assert totals_shown(stack) == {old}, "the new figure showed before its time"
        checked += 1
    assert checked, "no page was read before the go-live time"
    assert page_reads(stack.redis.client()) == reads, "pages were not from the cache"

    while time.monotonic() < goes_live_at:
        time.sleep(0.05)
    deadline = goes_live_at + settings.PAGE_CACHE_CHECK_SECONDS + MARGIN_SECONDS
    shown = totals_shown(stack)
    while shown != {old + 1000} and time.monotonic() < deadline:
        shown = totals_shown(stack)
    print(
        f"the new figure everywhere {time.monotonic() - goes_live_at:.1f} s after"
        f" its go-live time (bound {settings.PAGE_CACHE_CHECK_SECONDS} s)"
    )
    assert shown == {old + 1000}


class Reader(threading.Thread):
    """
    A reader reading /en/, /es/ and data.json on one server over and over,
    keeping what each answer showed and when it was asked and answered.
    """

    def __init__(self, server, slug, state_of):
        super().__init__(daemon=True)
        self.server, self.state_of = server, state_of
        self.paths = ("/en/", "/es/", f"/en/snapshots/{slug}/data.json")
        self.reads = []
        self.stop = threading.Event()
        self.error = None

    def run(self):
        try:
            while not self.stop.is_set():
                for path in self.paths:
                    asked = time.monotonic()
                    response = self.server.get(path)
                    answered = time.monotonic()
                    assert response.status == 200, (path, response.status)
                    state = self.state_of(path, response.body)
                    self.reads.append((asked, answered, path, state))
        except BaseException as error:  # reported by the test's thread
            self.error = error


def test_a_reader_never_sees_a_mix_of_two_publications(stack):
    """
    While a publisher publishes a change of the headline figure (top of the
    page, and the registrations section) and of a conclusion (further down),
    readers on both servers read /en/, /es/ and data.json continuously: each
    answer is the old publication whole or the new one whole; before the
    publish only the old, from PAGE_CACHE_CHECK_SECONDS after it only the new.
    """
    old_texts = ("Conclusion, first publication.", "Conclusión, primera publicación.")
    new_texts = ("Conclusion, second publication.", "Conclusión, segunda publicación.")
    write_first_conclusion(stack, *old_texts)
    old_number = publish(stack)
    old_total = registered_total(stack)
    write_first_conclusion(stack, *new_texts)
    change_first_count(stack, 7)
    new_total = old_total + 7
    _, slug = stack.snapshot()

    def state_of(path, body):
        """'old', 'new', or what was mixed."""
        if path.endswith("data.json"):
            data = json.loads(body)
            text = body.decode()
            seen = (
                data["version"],
                data["registered_total"],
                old_texts[0] in text,
                new_texts[0] in text,
            )
            if seen == (old_number, old_total, True, False):
                return "old"
            if seen == (old_number + 1, new_total, False, True):
                return "new"
            return f"mixed data.json: {seen}"
        old_text, new_text = old_texts[path == "/es/"], new_texts[path == "/es/"]
        text = body.decode()
        seen = (tuple(figures(body)), old_text in text, new_text in text)
        if seen == ((old_total, old_total), True, False):
            return "old"
        if seen == ((new_total, new_total), False, True):
            return "new"
        return f"mixed {path}: {seen}"

    for server in stack.servers:
        for path in ("/en/", "/es/", f"/en/snapshots/{slug}/data.json"):
            assert state_of(path, server.get(path).body) == "old"
    readers = [Reader(server, slug, state_of) for server in stack.servers]
    for reader in readers:
        reader.start()
    try:
        while any(len(reader.reads) < 30 for reader in readers):
            assert all(reader.is_alive() for reader in readers)
            time.sleep(0.05)
        publishing = time.monotonic()
        assert publish(stack) == old_number + 1
        published = time.monotonic()
        while time.monotonic() < (
            published + settings.PAGE_CACHE_CHECK_SECONDS + MARGIN_SECONDS
        ):
            assert all(reader.is_alive() for reader in readers)
            time.sleep(0.1)
    finally:
        for reader in readers:
            reader.stop.set()
        for reader in readers:
            reader.join(30)
    for reader in readers:
        assert reader.error is None, reader.error
    reads = [read for reader in readers for read in reader.reads]
    mixed = [state for *_, state in reads if state not in ("old", "new")]
    assert not mixed, mixed[:5]
    before = [state for _, answered, _, state in reads if answered < publishing]
    assert before and set(before) == {"old"}
    after = [
        (asked, path, state) for asked, _, path, state in reads if asked > published
    ]
    assert any(state == "new" for _, _, state in after)
    bound = published + settings.PAGE_CACHE_CHECK_SECONDS
    late = [(path, state) for asked, path, state in after if asked > bound]
    assert late and {state for _, state in late} == {"new"}
    for path in ("/en/", "/es/", f"/en/snapshots/{slug}/data.json"):
        assert {state for _, read, state in after if read == path} >= {"new"}
    old_after = sum(state == "old" for *_, state in after)
    print(
        f"{len(reads)} reads, {len(before)} before the publish,"
        f" {len(after)} after it ({old_after} of them still old)"
    )
