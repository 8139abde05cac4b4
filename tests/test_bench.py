"""make bench reads wrk's report right (the figures in the README come from it)."""

import os
from unittest import mock

import pytest

from bench import site

WRK_REPORT = """Running 10s test @ http://127.0.0.1:8000/en/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     7.07ms   12.14ms 222.35ms   93.50%
    Req/Sec     1.62k   304.52     2.13k    74.50%
  Latency Distribution
     50%    4.48ms
     75%    6.10ms
     90%   12.30ms
     99%    1.02s
  32279 requests in 10.01s, 706.13MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:   3225.84
Transfer/sec:     70.55MB
"""


def test_wrk_report_is_read_field_by_field():
    """Rate, percentiles, errors and non-2xx answers come from their own lines."""
    with mock.patch.object(site.subprocess, "run") as run:
        run.return_value.stdout = WRK_REPORT
        figures = site.wrk("http://127.0.0.1:8000/en/", 10, 16)
    assert figures == {
        "rate": 3225.84,
        "requests": 32279,
        "p50": 4.48,
        "p99": 1020.0,
        "non_2xx": 7,
        "errors": 5,
    }


def test_cpu_per_request_is_the_workers_cpu_over_the_requests():
    """CPU per request: what the workers used during the run, over its requests."""
    used = iter([{1: 10.0, 2: 20.0}, {1: 12.0, 2: 24.4355}])
    with (
        mock.patch.object(site.subprocess, "run") as run,
        mock.patch.object(site, "cpu_seconds", lambda workers: next(used)),
    ):
        run.return_value.stdout = WRK_REPORT
        figures = site.wrk("http://127.0.0.1:8000/en/", 10, 16, workers=[1, 2])
    assert figures["cpu"] == pytest.approx(6.4355 / 32279)
    assert site.cpu(figures) == "0.20 ms"


def test_cpu_per_request_is_not_given_when_a_worker_was_replaced():
    """A worker replaced during the run took its CPU with it: no figure."""
    used = iter([{1: 10.0, 2: 20.0}, {1: 12.0, 3: 0.5}])
    with (
        mock.patch.object(site.subprocess, "run") as run,
        mock.patch.object(site, "cpu_seconds", lambda workers: next(used)),
    ):
        run.return_value.stdout = WRK_REPORT
        figures = site.wrk("http://127.0.0.1:8000/en/", 10, 16, workers=[1, 2])
    assert figures["cpu"] is None
    assert site.cpu(figures) == "n/a"


def test_cpu_seconds_reads_the_process_stat_file():
    """This process's own CPU, as /proc says it; a process gone is left out."""
    first = site.cpu_seconds([os.getpid()])[os.getpid()]
    sum(i * i for i in range(2_000_000))
    assert site.cpu_seconds([os.getpid()])[os.getpid()] > first > 0
    assert site.cpu_seconds([2**22 + 1]) == {}
