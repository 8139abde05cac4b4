"""
gunicorn's configuration, read from the working directory:

    gunicorn reviewsite.wsgi

Every value can be changed from the environment (see .env.example).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# gthread serves keep-alive connections. One thread per worker by default:
# measured with `make bench` on 2 cores at 64 connections, 4 threads per
# worker gave a p99 of about 200 ms on cached pages, 1 thread about 60 ms
# (the threads of a worker share one interpreter lock).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
worker_class = "gthread"
# A request still running after this is ended and logged. Spreadsheet imports
# are limited (SPREADSHEET_MAX_ROWS) to finish well within it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
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
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
