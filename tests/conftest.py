"""Objects most tests need: the seed, users with and without rights, a browser."""

import http.server
import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import translation
from hypothesis import settings as hypothesis_settings
from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.translator import translator as translation_registry

from reviews.groups import EDITORS, PUBLISHERS, TRANSLATORS, sync_group
from reviews.models import Snapshot
from reviews.ops.management.commands.setup_site import SEED_DIFFERENCES
from reviews.pagecache.middleware import start_generation
from reviews.publishing import workflow
from reviews.publishing.models import Publication
from reviews.publishing.next_issue import start_next_issue
from reviews.translations.models import TranslationRecord
from reviews.translations.status import STALE, confirm, needing_work

from .pages import SCREENSHOTS
from .stack import redis as stack_redis

PASSWORD = "a-long-test-password-1"

# Property tests: CI runs each one with the examples it asks for (its count is
# out of the profile's 100); a local run, a fifth of them. HYPOTHESIS_PROFILE
# chooses one by name.
hypothesis_settings.register_profile("ci", max_examples=100)
hypothesis_settings.register_profile("local", max_examples=20)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI") == "true" else "local")
)


def examples(in_ci):
    """How many examples a property test runs: ``in_ci`` under the CI profile."""
    return max(1, round(in_ci * hypothesis_settings.default.max_examples / 100))


@pytest.fixture(scope="session", autouse=True)
def fast_password_hasher():
    """Hash the test users' passwords with MD5: PBKDF2's deliberate slowness
    would be half the suite's time. Only this process: the stack tests' app
    servers run with production settings and hash as production does."""
    with override_settings(
        PASSWORD_HASHERS=[
            "django.contrib.auth.hashers.MD5PasswordHasher",
            *settings.PASSWORD_HASHERS,
        ]
    ):
        yield


@pytest.fixture(autouse=True)
def default_language():
    """Start every test in English: a request through LocaleMiddleware leaves
    its language active on the thread, which would leak into the next test."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Start every test with an empty cache: pages kept by one test, under a
    generation it started, must not be served to the next."""
    cache.clear()
    yield
    cache.clear()


#: The seed's rows as the first ``loaddata`` of the run left them, table by
#: table: (model, columns, rows). Later loads write the same rows in one
#: statement per table, without loaddata's save and signals for each object.
SEED_ROWS = []


def seed_tables():
    """The models of fixtures/snapshot.json, in its order, with their pks."""
    fixture = json.loads((settings.BASE_DIR / "fixtures" / "snapshot.json").read_text())
    pks = {}
    for entry in fixture:
        pks.setdefault(apps.get_model(entry["model"]), []).append(entry["pk"])
    return pks


def publish_seed():
    """The seed's first publication, as ``make run`` makes it."""
    for snapshot in Snapshot.objects.filter(publications__isnull=True):
        publish(snapshot)


def load_seed():
    """
    Load the seed as ``loaddata snapshot`` does, then publish it as
    ``setup_site`` does, into tables without it.
    """
    tables = seed_tables()
    if any(model._base_manager.exists() for model in tables):
        # Rows already there: loaddata's updates, not bare inserts.
        call_command("loaddata", "snapshot", verbosity=0)
        publish_seed()
        return
    if not SEED_ROWS:
        call_command("loaddata", "snapshot", verbosity=0)
        publish_seed()
        # Loading left translation records; later loads copy rows and leave
        # none. Both say the same (no record: the translation is current),
        # and records name content types, which a live-server test's flush
        # may number anew: every test starts without them.
        TranslationRecord.objects.all().delete()
        tables[Publication] = list(Publication.objects.values_list("pk", flat=True))
        with connection.cursor() as cursor:
            for model, pks in tables.items():
                table, pk = model._meta.db_table, model._meta.pk.column
                marks = ", ".join(["%s"] * len(pks))
                cursor.execute(
                    f"SELECT * FROM {connection.ops.quote_name(table)}"
                    f" WHERE {connection.ops.quote_name(pk)} IN ({marks})",
                    pks,
                )
                columns = [column[0] for column in cursor.description]
                SEED_ROWS.append((model, columns, cursor.fetchall()))
        return
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for model, columns, rows in SEED_ROWS:
            cursor.executemany(
                f"INSERT INTO {quote(model._meta.db_table)}"
                f" ({', '.join(map(quote, columns))})"
                f" VALUES ({', '.join(['%s'] * len(columns))})",
                rows,
            )
        # As loaddata does: the next row created gets a free primary key.
        models = [model for model, _columns, _rows in SEED_ROWS]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


@pytest.fixture
def seed(db):
    """
    The full seed content of fixtures/snapshot.json, published once as
    ``make run`` publishes it; returns the snapshot (its working copy).
    """
    load_seed()
    return Snapshot.objects.get()


@pytest.fixture
def page_cache_checked(seed, settings):
    """
    A page cache generation started for the content as it is, and its check
    against the database not due again during the test: a page then costs
    its own queries only, whenever in the check's interval the test runs.
    """
    settings.PAGE_CACHE_CHECK_SECONDS = 3600
    start_generation()


def staff_user(username, permissions=None):
    """A staff user who may sign in to the admin, holding ``permissions``."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username, password=PASSWORD, is_staff=True
    )
    if permissions is not None:
        user.user_permissions.set(permissions)
    return user


def group_member(username, group):
    """A staff user whose only rights come from ``group``."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username, password=PASSWORD, is_staff=True
    )
    # A live-server test's flush empties the tables after it; its serialized
    # rollback brings the group back, but not always before the next test
    # asks for it: made again here the way every migrate makes it.
    user.groups.add(sync_group(group))
    return user


@pytest.fixture
def editor(db):
    """A staff user whose only rights come from the Editors group."""
    return group_member("editor", EDITORS)


@pytest.fixture
def publisher(db):
    """A staff user whose only rights come from the Publishers group."""
    return group_member("publisher", PUBLISHERS)


def signed_in_client(user):
    """A browser of its own, signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def publisher_client(publisher):
    return signed_in_client(publisher)


def translations_checked(snapshot, user=None):
    """
    Every stale translation of the snapshot marked still correct, as a
    translator does after reading it: for tests of what comes after.
    """
    for text in needing_work(snapshot):
        if text.state == STALE:
            confirm(text.obj, text.field, text.language, user)


def publish(snapshot, user=None, goes_live_at=None, parity_note=SEED_DIFFERENCES):
    """
    The working copy published, as a publisher's confirmation does it, once
    a translator has checked the texts an edit made stale.
    """
    translations_checked(snapshot, user)
    return workflow.publish(snapshot, user, goes_live_at, parity_note)


@pytest.fixture
def staff_without_permissions(db):
    """A staff user who may sign in to the admin but holds no permission."""
    return staff_user("visitor")


@pytest.fixture
def staff_with_auth_permissions(db):
    """Staff who manage accounts but are not editors of the content."""
    return staff_user(
        "accounts", Permission.objects.filter(content_type__app_label="auth")
    )


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def draft(seed):
    """The seed snapshot as a draft nobody has published."""
    seed.publications.all().delete()
    return seed


def pytest_terminal_summary(terminalreporter):
    """Say where the browser tests left their screenshots."""
    if SCREENSHOTS.is_dir() and any(SCREENSHOTS.iterdir()):
        terminalreporter.write_line(f"Browser screenshots: {SCREENSHOTS}")


HOSTILE = '<script>window.__xss=1</script>"><img src=x onerror=window.__xss=2>'


@pytest.fixture
def hostile_content(seed):
    """The seed with a script and an attribute-breaking payload in every text."""
    for model in translation_registry.get_registered_models():
        names = translation_registry.get_options_for_model(model).fields
        for obj in model.objects.all():
            for name in names:
                for language in AVAILABLE_LANGUAGES:
                    field = model._meta.get_field(f"{name}_{language}")
                    setattr(obj, field.name, HOSTILE[: field.max_length])
            obj.save()
    publish(seed)
    return seed


@pytest.fixture
def staff_who_may_only_edit(db):
    """Staff who may view and change the content but not import or export it."""
    return staff_user(
        "no-spreadsheets",
        Permission.objects.filter(
            content_type__app_label="reviews", codename__regex=r"^(view|change)_"
        ),
    )


@pytest.fixture
def content_dump(db):
    """A function returning every content row, to prove a database unchanged."""

    def dump():
        # modeltranslation reads untranslated names in the active language.
        with translation.override("en"):
            return {
                model._meta.label: sorted(
                    map(repr, model.objects.order_by().values_list())
                )
                for model in apps.get_app_config("reviews").get_models()
            }

    return dump


# Browsers ------------------------------------------------------------------

# Playwright's sync API keeps an event loop running in this thread; the ORM
# calls the fixtures make around it are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def unavailable(reason):
    """Skip on a laptop without Chromium; in CI a missing browser is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must run the browser tests.")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server):
    """Open a path of the live site in a fresh tab: open_page(path, width, locale)."""
    contexts = []

    def open_page(path, width=1280, locale="en-GB"):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale=locale
        )
        contexts.append(context)
        page = context.new_page()
        page.requests, page.dialogs = [], []
        page.on("request", lambda request: page.requests.append(request.url))
        page.on("dialog", lambda dialog: page.dialogs.append(dialog.message))
        page.goto(live_server.url + path)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def signed_in(browser, live_server):
    """A fresh tab signed in through the admin's form: signed_in(user, width)."""
    from django.urls import reverse

    contexts = []

    def sign_in(user, width=1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.site = live_server.url
        page.goto(live_server.url + reverse("admin:login"))
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/")
        return page

    yield sign_in
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def redis_server():
    """A Redis of the tests' own (tests.stack: in CI it must be there)."""
    server = stack_redis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def shared_cache(redis_server, settings):
    """The production cache backend on the test's own Redis, emptied."""
    settings.CACHES = {
        "default": {
            "BACKEND": "reviews.pagecache.backend.RedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "near",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    cache.clear()
    return redis_server.client()


def start_second_issue(seed, user):
    """Snapshot #2, started from #1's publication and retitled, not published."""
    second = start_next_issue(seed.publications.get(), user, "second-look")
    second.title_en = "A second look at the Regional Review"
    second.title_es = "Una segunda mirada a la Revisión Regional"
    second.save()
    return second


@pytest.fixture
def second_issue(seed, publisher):
    """Snapshot #2 on the site beside #1."""
    second = start_second_issue(seed, publisher)
    publish(second, publisher)
    return second


@pytest.fixture(scope="session")
def rscript():
    """Debian's Rscript, which researchers load the downloads in."""
    path = shutil.which("Rscript")
    if path is None:
        unavailable("R (Debian's r-base-core) is not installed")
    return path


@pytest.fixture
def other_site():
    """
    Another web site, a real server on another origin: other_site(html) serves
    ``html`` and returns its address. (A page faked by Playwright's routing
    has no address, and Chromium then refuses to let it frame localhost.)
    """
    servers = []

    def serve(html):
        class Page(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(html.encode())

            def log_message(self, *args):
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Page)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def translator(db):
    """A member of the Translators group: every target language, texts only."""
    return group_member("translator", TRANSLATORS)


@pytest.fixture
def translator_client(translator):
    return signed_in_client(translator)
