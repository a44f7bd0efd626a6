"""gunicorn settings for the web process (``gunicorn -c deploy/gunicorn.conf.py portal.wsgi``).

The web process serves pages and queues jobs; it never runs learner code, so it runs as an
unprivileged user. Every value can be changed from the environment file without editing this one.
"""

from __future__ import annotations

import multiprocessing
import os

#: Behind the reverse proxy only: it terminates TLS and forwards to this address.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
#: Synchronous workers: pages are short and the database is the bottleneck, not the CPU.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
#: A request that takes longer than this is a bug (grading runs in the worker, not here).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
#: Recycle workers now and then, so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
#: Bounded request lines and headers: the proxy already limits bodies (lab bundles up to 5 MB).
limit_request_line = 8190
limit_request_fields = 100
#: The proxy's address: X-Forwarded-* headers are trusted from it alone.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
#: Load the app before forking: workers share its memory and a broken release fails at start.
preload_app = True
