"""
gunicorn's configuration, read from the working directory:

    gunicorn reviewsite.wsgi

Every value can be changed from the environment (see .env.example); a
variable left empty means its default.
"""

import multiprocessing
import os


def env(name, default):
    return os.environ.get(name, "").strip() or default


def env_int(name, default):
    return int(env(name, default))


bind = env("GUNICORN_BIND", "127.0.0.1:8000")
# Not gunicorn's own WEB_CONCURRENCY: gunicorn reads that when it starts and
# stops on an empty one.
workers = env_int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
# Synchronous workers take a connection only when idle and close it after
# the answer, so requests spread evenly over the workers. Measured with
# `make bench` on 2 cores at 64 keep-alive connections: gthread workers
# (1 thread each) kept their connections, one worker holding 42 of them and
# three 1 or 2, and the p99 was about 65 ms; sync workers gave 18 ms at the
# same requests per second. Keep-alive to browsers is the TLS proxy's work,
# and that proxy should buffer requests (nginx does), as a sync worker waits
# for a slow client. GUNICORN_THREADS above 1 makes gunicorn use gthread.
worker_class = "sync"
threads = env_int("GUNICORN_THREADS", 1)
# A request still running after this is ended and logged. Spreadsheet imports
# are limited (SPREADSHEET_MAX_ROWS) to finish well within it.
timeout = env_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
# Seconds an idle keep-alive connection stays open (gthread workers only).
keepalive = 5
# Replace workers now and then, at different times, so a slow leak never
# grows and they never all restart together; rarely, as a restart stalls
# the requests waiting on that worker (every 10,000 showed in the p99).
max_requests = 100_000
max_requests_jitter = 10_000
# Heartbeat files in memory: a busy disk cannot stall the workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Which proxies may say, in X-Forwarded-Proto, that a request came in over
# HTTPS (Django then reads it through SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = env("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = env("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
