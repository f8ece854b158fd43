"""gunicorn settings, read from the environment so compose and CI share one file."""

import multiprocessing
import os

bind = os.environ.get("BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Sync workers: the app is synchronous and each request is short. 2 x cores + 1 is
# gunicorn's own rule of thumb; WEB_CONCURRENCY overrides it (as on most platforms).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 10
accesslog = "-"
errorlog = "-"
# Don't write the Authorization header (API tokens) or cookies to the access log.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
