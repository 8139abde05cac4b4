"""
`make bench`: the production stack under load, on loopback.

Starts gunicorn (workers for this machine, gunicorn.conf.py) with production
settings on a database of its own (PostgreSQL when TEST_POSTGRES_URL or
DATABASE_URL names a server, else a SQLite file) and a Redis of its own (when
redis-server is installed), loads the seed, and prints side by side the
requests per second and latencies of ``/en/`` from the page cache, ``/en/``
built afresh, and the same bytes served from memory by the same stack (the
ceiling); then 30 s at 64 connections on ``/en/`` and ``/es/``. Queries per
page are counted in this process, at the seed's size and with ten times the
content, inside a transaction that is rolled back.

wrk (Debian's ``wrk`` package) makes the load.
"""

import re
import runpy
import shutil
import subprocess
import tempfile
from http.client import HTTPConnection
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench import spreadsheets, stack
from bench.ceiling import CEILING_PATH
from reviews.content import page_query_budget
from reviews.models import Conclusion, Person, Snapshot, StakeholderCount

#: wrk's script for the long run: /en/ and /es/ in turn.
BOTH_LANGUAGES = """
local paths = {"/en/", "/es/"}
local n = 0
request = function()
    n = n + 1
    return wrk.format(nil, paths[n % 2 + 1])
end
"""
PROXY_HEADER = "X-Forwarded-Proto: https"
# The site's host as the proxy in front passes it on (nginx.conf: no port);
# pages are cached for the host as ALLOWED_HOSTS names it.
HOST_HEADER = "Host: 127.0.0.1"


class Command(BaseCommand):
    help = "Benchmark the production stack on loopback (see the module's docstring)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seconds", type=int, default=10, help="Length of each side-by-side run."
        )
        parser.add_argument(
            "--long-seconds",
            type=int,
            default=30,
            help="Length of the 64-connection run.",
        )
        parser.add_argument(
            "--connections",
            type=int,
            default=16,
            help="Connections of the side-by-side runs.",
        )

    def handle(self, *args, seconds, long_seconds, connections, **options):
        if shutil.which("wrk") is None:
            raise CommandError("wrk is needed: apt-get install wrk")
        self.queries_per_page()
        with tempfile.TemporaryDirectory() as folder:
            self.load(Path(folder), seconds, long_seconds, connections)
        self.stdout.write("\nSpreadsheets:")
        call_command(spreadsheets.Command(), stdout=self.stdout)

    # Queries per page -------------------------------------------------------

    def queries_per_page(self):
        with transaction.atomic():
            if not Snapshot.objects.published().exists():
                call_command("loaddata", "snapshot", verbosity=0)
            snapshot = Snapshot.objects.published().first()
            counts = [self.count_queries(), None]
            multiply_content(snapshot, 10)
            counts[1] = self.count_queries()
            transaction.set_rollback(True)
        self.stdout.write(
            f"Queries per page ({connection.vendor}), built afresh: "
            f"{counts[0]} with the seed, {counts[1]} with 10× the content "
            f"(the content map's budget: {page_query_budget()})\n"
        )

    def count_queries(self):
        client = Client(headers={"host": "localhost"})
        with CaptureQueriesContext(connection) as queries:
            # A query string bypasses the page cache: the page is built.
            response = client.get("/en/?queries")
        assert response.status_code == 200, response.status_code
        return len(queries)

    # Load ------------------------------------------------------------------

    def load(self, folder, seconds, long_seconds, connections):
        database, redis = self.database(), self.redis()
        site = stack.Site(database.url, redis.url if redis else "", folder)
        try:
            site.install()
            ceiling = folder / "ceiling.html"
            port = site.serve(
                workers=None,
                DJANGO_SETTINGS_MODULE="bench.settings",
                BENCH_CEILING_FILE=str(ceiling),
            )
            base = f"http://127.0.0.1:{port}"
            ceiling.write_bytes(fetch(port, "/en/"))
            assert fetch(port, CEILING_PATH) == fetch(port, "/en/")
            config = runpy.run_path(str(stack.ROOT / "gunicorn.conf.py"))
            self.stdout.write(
                f"Stack: gunicorn, {config['workers']} {config['worker_class']} "
                f"workers × {config['threads']} threads, {database.vendor}, "
                f"{'Redis' if redis else 'local-memory cache (no redis-server)'}\n"
            )
            runs = {
                "/en/ cached": wrk(base + "/en/", seconds, connections),
                "/en/ uncached": wrk(base + "/en/?uncached", seconds, connections),
                "ceiling (memory)": wrk(base + CEILING_PATH, seconds, connections),
            }
            self.side_by_side(runs, connections, seconds)
            with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
                script.write(BOTH_LANGUAGES)
                script.flush()
                long = wrk(base, long_seconds, 64, script.name)
            self.stdout.write(
                f"\n{long_seconds} s at 64 connections, /en/ and /es/ in turn: "
                f"{long['requests']:,} requests, {long['rate']:,.0f} requests/s, "
                f"p50 {long['p50']:.1f} ms, p99 {long['p99']:.1f} ms, "
                f"non-2xx {long['non_2xx']}, socket errors {long['errors']}\n"
            )
        finally:
            site.stop()
            if redis:
                redis.stop()
            database.drop()

    def database(self):
        try:
            database = stack.PostgresDatabase(stack.postgres_server_url())
            database.create()
            database.vendor = "PostgreSQL"
        except Exception as error:
            self.stdout.write(f"No PostgreSQL ({error}); SQLite instead.")
            database = SQLiteFile()
        return database

    def redis(self):
        try:
            redis = stack.Redis()
        except stack.Unavailable:
            return None
        redis.start()
        return redis

    def side_by_side(self, runs, connections, seconds):
        ceiling = runs["ceiling (memory)"]["rate"]
        self.stdout.write(
            f"{seconds} s each at {connections} connections:\n"
            f"{'':20}{'requests/s':>12}{'p50 ms':>9}{'p99 ms':>9}"
            f"{'× ceiling':>11}{'non-2xx':>9}"
        )
        for name, run in runs.items():
            self.stdout.write(
                f"{name:20}{run['rate']:>12,.0f}{run['p50']:>9.1f}{run['p99']:>9.1f}"
                f"{run['rate'] / ceiling:>11.3f}{run['non_2xx']:>9}"
            )


class SQLiteFile:
    vendor = "SQLite"

    def __init__(self):
        self.folder = tempfile.TemporaryDirectory()
        self.url = f"sqlite:///{self.folder.name}/bench.sqlite3"

    def drop(self):
        self.folder.cleanup()


def fetch(port, path):
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "GET", path, headers=dict(h.split(": ") for h in (PROXY_HEADER, HOST_HEADER))
    )
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200:
        raise CommandError(f"{path} answered {response.status}")
    return body


def wrk(url, seconds, connections, script=None):
    command = ["wrk", "--latency", "-t2", f"-c{connections}", f"-d{seconds}s"]
    command += ["-H", PROXY_HEADER, "-H", HOST_HEADER]
    if script:
        command += ["-s", script]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "p50": milliseconds(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99": milliseconds(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "non_2xx": int(
            (re.search(r"Non-2xx or 3xx responses: (\d+)", output) or [0, 0])[1]
        ),
        "errors": sum(
            int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output)
        ),
    }


def milliseconds(value):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def vars_of(row):
    """A row's field values by attribute name, to build a copy of it."""
    return {
        field.attname: getattr(row, field.attname)
        for field in row._meta.concrete_fields
    }


def multiply_content(snapshot, times):
    """Add copies of the snapshot's lists until it holds ``times`` as much."""
    groups = []
    originals = {
        model: list(model.objects.filter(**owner))
        for model, owner in (
            (Conclusion, {"snapshot": snapshot}),
            (Person, {"meeting": snapshot.meeting}),
        )
    }
    for copy in range(1, times):
        for model, rows in originals.items():
            # Positions stay unique and within their bounds (0 to 9,999).
            model.objects.bulk_create(
                model(**{**vars_of(row), "id": None, "order": row.order + 100 * copy})
                for row in rows
            )
        counts = list(StakeholderCount.objects.filter(snapshot=snapshot))
        for count in counts:
            group = count.group
            group.pk = None
            group.slug = f"{group.slug}-{copy}"
            groups.append(group)
    groups = type(groups[0]).objects.bulk_create(groups) if groups else []
    counts = list(StakeholderCount.objects.filter(snapshot=snapshot))
    StakeholderCount.objects.bulk_create(
        StakeholderCount(
            snapshot=snapshot, group=group, order=1000 + n, count=counts[0].count
        )
        for n, group in enumerate(groups)
    )
