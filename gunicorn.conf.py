"""
gunicorn's configuration, read from the working directory:

    gunicorn reviewsite.wsgi

Every value can be changed from the environment (see .env.example).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threads let one worker serve keep-alive connections and wait on the
# database or Redis for one request while answering another.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
# A request still running after this is ended and logged. Spreadsheet imports
# are limited (SPREADSHEET_MAX_ROWS) to finish well within it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Replace workers now and then, at different times, so a slow leak never
# grows and they never all restart together.
max_requests = 10_000
max_requests_jitter = 1_000
# Heartbeat files in memory: a busy disk cannot stall the workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Which proxies may say, in X-Forwarded-Proto, that a request came in over
# HTTPS (Django then reads it through SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
