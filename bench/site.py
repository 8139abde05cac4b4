"""
`make bench`: the production stack under load, on loopback.

Starts gunicorn (workers for this machine, gunicorn.conf.py) with production
settings on a database of its own (PostgreSQL when TEST_POSTGRES_URL or
DATABASE_URL names a server, else a SQLite file) and a Redis of its own (when
redis-server is installed), loads the seed, and prints side by side the
requests per second, latencies and the workers' CPU per request of ``/en/``
from the page cache, ``/en/`` uncached (a query string bypasses the page
cache: the page is sent from the publication's stored rendering), and the
same bytes served from memory by the same stack (the ceiling); then 30 s at
64 connections on ``/en/`` and ``/es/``, and on their uncached addresses.
Queries per page are counted in this process, for the request that builds a
publication's page and for one sent from its stored rendering, at the
seed's size and with ten times the content, inside a transaction that is
rolled back. The uncached figures are printed beside those from before
publishing (``BEFORE_PUBLISHING``), when every page was built from the
database.

wrk (Debian's ``wrk`` package) makes the load.
"""

import os
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
from django.test.utils import CaptureQueriesContext, override_settings

from bench import spreadsheets, stack
from bench.ceiling import CEILING_PATH
from reviews.content import page_query_budget
from reviews.models import Conclusion, Person, Snapshot, StakeholderCount
from reviews.ops.management.commands.setup_site import SEED_DIFFERENCES
from reviews.publishing import workflow
from reviews.publishing.models import Publication, Rendering

#: wrk's script for the long runs: two addresses in turn.
IN_TURN = """
local paths = {"%s", "%s"}
local n = 0
request = function()
    n = n + 1
    return wrk.format(nil, paths[n %% 2 + 1])
end
"""
#: The uncached public page before publishing (issue 18), built from the
#: database on every request, on the same 2-core machine.
BEFORE_PUBLISHING = {
    "queries": 8,
    "cpu_ms": 19.0,
    "rate": 103.0,
    "p99_64": 1150.0,
}
#: What a public page sent from a publication's stored rendering may cost.
TARGET = {"rate": 1000.0, "queries": 2}
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
        parser.add_argument(
            "--pages-only",
            action="store_true",
            help="Leave out the spreadsheet figures (minutes on a busy machine).",
        )

    def handle(self, *args, seconds, long_seconds, connections, pages_only, **options):
        if shutil.which("wrk") is None:
            raise CommandError("wrk is needed: apt-get install wrk")
        queries = self.queries_per_page()
        with tempfile.TemporaryDirectory() as folder:
            self.load(Path(folder), seconds, long_seconds, connections, queries)
        if not pages_only:
            self.stdout.write("\nSpreadsheets:")
            call_command(spreadsheets.Command(), stdout=self.stdout)

    # Queries per page -------------------------------------------------------

    def queries_per_page(self):
        """
        Queries of ``/en/`` built from the current publication (its first
        request, which stores the page) and sent from its stored rendering
        (every later one), with the seed and with ten times the content.
        Returns the stored page's count with the seed.
        """
        # DEBUG builds every page afresh (reviews.public.renderings).
        with transaction.atomic(), override_settings(DEBUG=False):
            if not Snapshot.objects.exists():
                call_command("loaddata", "snapshot", verbosity=0)
            if not Publication.objects.exists():
                for snapshot in Snapshot.objects.all():
                    workflow.publish(snapshot, None, parity_note=SEED_DIFFERENCES)
            snapshot = Publication.objects.home().snapshot
            Rendering.objects.all().delete()
            seed = self.count_queries(), self.count_queries()
            multiply_content(snapshot, 10)
            workflow.publish(snapshot, None, parity_note=SEED_DIFFERENCES)
            larger = self.count_queries(), self.count_queries()
            transaction.set_rollback(True)
        self.stdout.write(
            f"Queries per page ({connection.vendor}), /en/ from a publication: "
            f"sent from its stored rendering {seed[1]} with the seed, {larger[1]} "
            f"with 10× the content (the first request, which builds and stores "
            f"it: {seed[0]} and {larger[0]}; the content map's budget for "
            f"building: {page_query_budget()})\n"
        )
        return seed[1]

    def count_queries(self):
        client = Client(headers={"host": "localhost"})
        with CaptureQueriesContext(connection) as queries:
            # A query string bypasses the page cache, not the stored page.
            response = client.get("/en/?queries")
        assert response.status_code == 200, response.status_code
        return len(queries)

    # Load ------------------------------------------------------------------

    def load(self, folder, seconds, long_seconds, connections, queries):
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
            # Each uncached address once: its page is built and stored.
            for path in ("/en/?uncached", "/es/?uncached"):
                fetch(port, path)
            config = runpy.run_path(str(stack.ROOT / "gunicorn.conf.py"))
            workers = site.workers(port, count=config["workers"])
            self.stdout.write(
                f"Stack: gunicorn, {config['workers']} {config['worker_class']} "
                f"workers × {config['threads']} threads, {database.vendor}, "
                f"{'Redis' if redis else 'local-memory cache (no redis-server)'}\n"
            )
            runs = {
                "/en/ cached": wrk(base + "/en/", seconds, connections, workers),
                "/en/ uncached": wrk(
                    base + "/en/?uncached", seconds, connections, workers
                ),
                "ceiling (memory)": wrk(
                    base + CEILING_PATH, seconds, connections, workers
                ),
            }
            self.side_by_side(runs, connections, seconds)
            self.long_run(base, long_seconds, workers, "/en/", "/es/")
            uncached = self.long_run(
                base, long_seconds, workers, "/en/?uncached", "/es/?uncached"
            )
            self.against_before(runs["/en/ uncached"], uncached, queries)
        finally:
            site.stop()
            if redis:
                redis.stop()
            database.drop()

    def long_run(self, base, seconds, workers, *paths):
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write(IN_TURN % paths)
            script.flush()
            run = wrk(base, seconds, 64, workers, script.name)
        self.stdout.write(
            f"\n{seconds} s at 64 connections, {' and '.join(paths)} in turn: "
            f"{run['requests']:,} requests, {run['rate']:,.0f} requests/s, "
            f"p50 {run['p50']:.1f} ms, p99 {run['p99']:.1f} ms, "
            f"CPU {cpu(run)} a request, "
            f"non-2xx {run['non_2xx']}, socket errors {run['errors']}"
        )
        return run

    def against_before(self, run, long, queries):
        """The uncached page now and before publishing, and the target."""
        before = BEFORE_PUBLISHING
        rows = (
            ("queries per page", f"{queries}", f"{before['queries']}"),
            (
                "worker CPU per request",
                cpu(run),
                f"{before['cpu_ms']:.0f} ms",
            ),
            (
                "requests/s (16 connections)",
                f"{run['rate']:,.0f}",
                f"{before['rate']:,.0f}",
            ),
            (
                "p99 at 64 connections",
                f"{long['p99']:,.1f} ms",
                f"{before['p99_64']:,.0f} ms",
            ),
        )
        self.stdout.write(
            "\nUncached /en/, sent from the publication's stored page, against "
            "the page built from the database before publishing (issue 18, "
            "2 cores):\n"
            f"{'':30}{'now':>14}{'before':>14}"
        )
        for name, now, then in rows:
            self.stdout.write(f"{name:30}{now:>14}{then:>14}")
        met = run["rate"] >= TARGET["rate"] and queries <= TARGET["queries"]
        self.stdout.write(
            f"Target: at least {TARGET['rate']:,.0f} requests/s uncached with at "
            f"most {TARGET['queries']} queries: {'met' if met else 'NOT met'} "
            f"({os.cpu_count()} cores here)\n"
        )

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
            f"{'× ceiling':>11}{'CPU/request':>13}{'non-2xx':>9}"
        )
        for name, run in runs.items():
            self.stdout.write(
                f"{name:20}{run['rate']:>12,.0f}{run['p50']:>9.1f}{run['p99']:>9.1f}"
                f"{run['rate'] / ceiling:>11.3f}{cpu(run):>13}{run['non_2xx']:>9}"
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


def cpu_seconds(workers):
    """
    User and system CPU each worker has used so far (``/proc/<pid>/stat``),
    by process id; a worker gone (replaced by gunicorn) is left out.
    """
    tick = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in workers:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        # After the command name, in parentheses: fields 3 onwards.
        fields = stat.rpartition(")")[2].split()
        used[pid] = (int(fields[11]) + int(fields[12])) / tick
    return used


def cpu(run):
    """The workers' CPU per request of a run, for printing."""
    if run.get("cpu") is None:
        return "n/a"
    return f"{run['cpu'] * 1000:.2f} ms"


def wrk(url, seconds, connections, workers=(), script=None):
    """
    wrk's figures for ``url``; with ``workers``, also the CPU they used per
    request (None when one of them was replaced during the run).
    """
    command = ["wrk", "--latency", "-t2", f"-c{connections}", f"-d{seconds}s"]
    command += ["-H", PROXY_HEADER, "-H", HOST_HEADER]
    if script:
        command += ["-s", script]
    before = cpu_seconds(workers)
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    after = cpu_seconds(workers)
    figures = {
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
    if workers:
        complete = before.keys() == after.keys() == set(workers)
        used = sum(after.values()) - sum(before.values())
        figures["cpu"] = (
            used / figures["requests"] if complete and figures["requests"] else None
        )
    return figures


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
