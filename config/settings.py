"""Claimdesk settings: one file, switched by environment variables.

Defaults run locally with nothing installed (SQLite, DEBUG on). Production sets
DEBUG=false, SECRET_KEY and DATABASE_URL; see README "Configuration".
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "true")

# A development key is only acceptable while DEBUG is on: production must bring its own.
_DEV_SECRET_KEY = "django-insecure-claimdesk-development-only"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (
    not SECRET_KEY
    or SECRET_KEY == _DEV_SECRET_KEY
    or len(set(SECRET_KEY)) < 5
    or len(SECRET_KEY) < 50
):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value when DEBUG is off "
        "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
# Where the site is reached (scheme, host and port, no path): the absolute URLs of what
# the worker sends outside a request (webhooks, rendered as through the API: annotate.
# webhooks.rendering) start with it, and no webhook may point back at it (annotate.
# webhooks.addresses). Production sets its public address, e.g. https://claimdesk.example.org.
CLAIMDESK_SITE_URL = os.environ.get("CLAIMDESK_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_site = urlsplit(CLAIMDESK_SITE_URL)
if _site.scheme not in {"http", "https"} or not _site.hostname or _site.path:
    raise ImproperlyConfigured("CLAIMDESK_SITE_URL must be an http(s) origin: https://host[:port]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "csp",
    "simple_history",
    # The task framework and its database queue: webhook deliveries (annotate.webhooks).
    "django_tasks",
    "django_tasks_db",
    "articles",
    "annotate",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # 429 for a login the guard refused, on any login view (config/login.py).
    "config.login.LoginGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Services name the acting user themselves; this covers writes made elsewhere (admin).
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite in the project folder unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections with health checks rather than psycopg's pool: gunicorn's
        # sync workers serve one request at a time per process, so a per-process pool would
        # hold one busy connection anyway. Keeping that one connection open for a minute saves
        # the connect cost, and CONN_HEALTH_CHECKS replaces it at the start of a request when
        # PostgreSQL has restarted meanwhile, so the app recovers by itself.
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast while PostgreSQL is down instead of hanging a worker.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["connect_timeout"] = envint("DATABASE_CONNECT_TIMEOUT", 5)
    # No JIT: the workspace's claims query (5,000 claims with note aggregates) is estimated
    # costly enough for PostgreSQL to JIT-compile it, which took 800 of its 870 ms for a
    # query that runs in 70 ms (bench/RESULTS.md). Our queries are short OLTP reads that
    # never repay compiling. An `options` in DATABASE_URL comes after this, so it can
    # turn JIT back on.
    options["options"] = " ".join(filter(None, ["-c jit=off", options.get("options")]))
else:
    # Wait on a locked SQLite file rather than failing, and start writes as IMMEDIATE so
    # concurrent writers queue instead of deadlocking on lock upgrade.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Shared state of the web processes. Sessions are rows in the database (Django's default
# backend); the API's throttles and the login guard count in this cache, which must be shared
# by every gunicorn worker and every web instance: a per-process cache (Django's default,
# local memory) would give a guesser one budget per process (README "Scaling out"). The
# default is a table in the app's own database, created on every `migrate` (annotate.apps),
# so no other service is needed. Past MAX_ENTRIES rows it culls expired counters first, then
# a third of the rest: keep it well above the live counters (users and anonymous addresses
# active within a throttle's window, failed-login pairs within LOGIN_FAILURE_WINDOW).
# Django's database cache with `set` in one statement (config.cache): each API request sets
# its throttle counter.
CACHES = {
    "default": {
        "BACKEND": "config.cache.UpsertDatabaseCache",
        "LOCATION": "claimdesk_cache",
        "OPTIONS": {"MAX_ENTRIES": envint("CLAIMDESK_CACHE_MAX_ENTRIES", 20_000)},
    }
}

# Password guessing: this many failed logins per username and address within the window
# (seconds) lock that pair out with 429 until the window passes. The guard is the
# authentication backend, so it holds on every login path: ours, the admin's, any library's
# (config/login.py). A further password backend would need the same guard around it.
AUTHENTICATION_BACKENDS = ["config.login.ThrottledModelBackend"]
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW = envint("LOGIN_FAILURE_WINDOW", 15 * 60)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# A reviewer's working day, not a week: sessions end after 12 idle hours.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 12 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic writes. CI's production-like runs go side by side, each with its own.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Production hardening; each line is what `manage.py check --deploy` asks for. HTTPS=false
# is for a production-like run on plain http (docker-compose on localhost, CI's smoke run):
# secure cookies would otherwise never be sent back and login would fail.
HTTPS = envbool("HTTPS", "false" if DEBUG else "true")
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "true")
# Content-Security-Policy (django-csp): scripts and styles only from our own static files,
# never inline, so markup that slipped through escaping could not run. htmx's own indicator
# <style> is off (htmx-config in base.html); the stylesheet has its rules. Swagger UI is
# served by drf-spectacular's split view, whose script is a file too.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# The data API (annotate/api). Token first: an anonymous request is answered 401 with a
# WWW-Authenticate header rather than 403. Rates are per user (per address when anonymous);
# writes get a lower budget than reads.
CLAIMDESK_API_READ_RATE = os.environ.get("CLAIMDESK_API_READ_RATE", "1200/minute")
CLAIMDESK_API_WRITE_RATE = os.environ.get("CLAIMDESK_API_WRITE_RATE", "120/minute")
CLAIMDESK_API_PAGE_SIZE = envint("CLAIMDESK_API_PAGE_SIZE", 100)
CLAIMDESK_API_MAX_PAGE_SIZE = envint("CLAIMDESK_API_MAX_PAGE_SIZE", 1000)
# The largest request body read into memory (Django's default, stated): the largest real
# write, a source's excerpt, is a few kilobytes. A larger body answers 413 (the API in its
# JSON error shape, config.errors.bad_request for pages).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MiB
# Bulk import (POST /api/v1/articles/{slug}/import/, annotate.imports) is one transaction
# in one request: these bound how long it holds its locks, and keep it within a request's
# time (gunicorn's WEB_TIMEOUT, 30 s). It writes 19 (PostgreSQL) to 47 (SQLite) annotations
# a second, a claim with its citations and notes or a link (bench/RESULTS.md), so 300 take
# about 16 s at worst; a larger upload answers 413 naming the limit: split it.
CLAIMDESK_IMPORT_MAX_ITEMS = envint("CLAIMDESK_IMPORT_MAX_ITEMS", 300)
CLAIMDESK_IMPORT_MAX_BYTES = envint("CLAIMDESK_IMPORT_MAX_BYTES", 20 * 1024 * 1024)

REST_FRAMEWORK = {
    # JSON with a nesting limit (annotate.api.parsers); forms as DRF parses them.
    "DEFAULT_PARSER_CLASSES": [
        "annotate.api.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["annotate.api.permissions.MayRead"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "annotate.api.pagination.IdCursorPagination",
    # JSON only, errors included: /api/docs/ is the place to browse the API.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": [
        "annotate.api.throttles.ReadThrottle",
        "annotate.api.throttles.WriteThrottle",
    ],
    "EXCEPTION_HANDLER": "annotate.api.errors.exception_handler",
    # Anonymous budgets are per address: trust X-Forwarded-For only from this many proxies
    # (0: use the connection's address, so a client cannot pick its own).
    "NUM_PROXIES": envint("CLAIMDESK_API_NUM_PROXIES", 0),
    "DATETIME_FORMAT": "iso-8601",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Claimdesk API",
    "DESCRIPTION": "Claims, sources and confidence notes on contested news reports.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Request bodies are documented as JSON only (forms are still parsed): one schema under
    # three media types makes generated clients send every body as multipart
    # (openapi-python-client issues 1276 and 1451; annotate/tests/api/test_generated_client.py).
    "PARSER_WHITELIST": ["annotate.api.parsers.DepthLimitedJSONParser"],
    "ENUM_NAME_OVERRIDES": {
        "VerdictEnum": "annotate.models.Verdict",
        "KindEnum": "annotate.models.ClaimKind",
        "StanceEnum": "annotate.models.Stance",
        "ReliabilityEnum": "annotate.models.Reliability",
        "LikelihoodEnum": "annotate.models.Likelihood",
        "AnalyticConfidenceEnum": "annotate.models.AnalyticConfidence",
        # Named, now that an import item's "type" is a field too: the name it always had.
        "TypeEnum": "annotate.models.RelationType",
        "ImportItemTypeEnum": "annotate.api.import_views.ITEM_TYPES",
        "ImportOutcomeEnum": "annotate.api.import_views.OUTCOMES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "annotate.api.schema.add_error_responses",
    ],
}

# Product settings.
CLAIMDESK_PUBLIC_READ = envbool("CLAIMDESK_PUBLIC_READ", "false")
CLAIMDESK_ORGANISATION = os.environ.get("CLAIMDESK_ORGANISATION", "Claimdesk")
CLAIMDESK_DEMO_PASSWORD = os.environ.get("CLAIMDESK_DEMO_PASSWORD", "claimdesk-demo")
# A claim is disputed when its reviewers' likelihoods cover this many steps of the
# seven-step scale or more (annotate.disagreement holds the one definition).
CLAIMDESK_DISPUTED_SPAN = envint("CLAIMDESK_DISPUTED_SPAN", 3)
# An open workspace asks this often (seconds) whether its claims changed (annotate.views.live):
# an unchanged answer costs one query, so the interval trades freshness against load.
CLAIMDESK_LIVE_POLL_SECONDS = envint("CLAIMDESK_LIVE_POLL_SECONDS", 3)
# Re-anchoring (annotate.reanchoring.anchoring) proposes a span's new place by similarity only when
# quote and context together score at least this, from 0 to 100; below it the span is
# orphaned for a lead to re-attach. Exact matches don't depend on it.
CLAIMDESK_REANCHOR_MIN_SCORE = float(os.environ.get("CLAIMDESK_REANCHOR_MIN_SCORE", "80"))

# Webhooks (annotate.webhooks). Deliveries are tasks in the database (django-tasks-db),
# run by `manage.py db_worker` processes beside the web server (README "Webhooks").
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A failing endpoint is tried again after each of these waits in turn (seconds; the last
# repeats): 5 s, 30 s, 2 min, 10 min, 1 h, 3 h, 6 h, 12 h, 24 h.
CLAIMDESK_WEBHOOK_RETRY_DELAYS = [
    float(delay)
    for delay in envlist(
        "CLAIMDESK_WEBHOOK_RETRY_DELAYS", "5,30,120,600,3600,10800,21600,43200,86400"
    )
]
# ...and disabled after this many consecutive failures (with the defaults above, after
# about two days of failing), the reason recorded; its owner re-enables it.
CLAIMDESK_WEBHOOK_MAX_FAILURES = envint("CLAIMDESK_WEBHOOK_MAX_FAILURES", 10)
# Seconds each network step of a delivery (connect, send, each read) may take.
CLAIMDESK_WEBHOOK_TIMEOUT = float(os.environ.get("CLAIMDESK_WEBHOOK_TIMEOUT", "10"))
# Private, loopback, link-local and reserved addresses are refused as webhook targets
# (SSRF: a webhook must not reach into the network the server sits in). On for a receiver
# on the same machine or network (development, tests); the app itself stays refused.
CLAIMDESK_WEBHOOK_ALLOW_PRIVATE = envbool("CLAIMDESK_WEBHOOK_ALLOW_PRIVATE", "false")
