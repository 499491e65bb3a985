"""Django settings for djpackages, all read from the environment (django-environ).

Every setting has a default that runs the embedded set-up (SQLite in the project folder,
DEBUG on); production sets ``DATABASE_URL``, ``SECRET_KEY``, ``DEBUG=off`` and ``ALLOWED_HOSTS``.
Only the process environment is read, never a ``.env`` file: a production file in the project
folder (docker compose's, from ``.env.production.example``) changes neither ``make run`` nor the tests.
"""
import os
import tempfile
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
# Keys that are public (this file, .env.production.example) and so never a production secret.
PLACEHOLDER_SECRET_KEYS = {"django-insecure-dev-only-key-change-me", "change-me-to-a-long-random-string"}
if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-dev-only-key-change-me")
else:
    SECRET_KEY = env.str("SECRET_KEY")
    if not SECRET_KEY.strip() or SECRET_KEY in PLACEHOLDER_SECRET_KEYS:
        raise ImproperlyConfigured("SECRET_KEY is empty or a placeholder; set a long random value with DEBUG off")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Behind a proxy that terminates TLS: trust its X-Forwarded-Proto so that API links say https
# (and so that the settings below know a request came over HTTPS).
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only, when the site is served over TLS (all off by default: the embedded set-up and the
# containers' own health checks speak plain HTTP). /healthz is never redirected, so that those
# checks keep working with SECURE_SSL_REDIRECT on.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "core",  # before rest_framework: its rest_framework/api.html overrides DRF's
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "categories",
    "packages",
    "grids",
    "search",
    "fetchers",
    "mirror",
    "apiv3",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the session: the cache tells editors' answers apart (core.viewers). The session and
    # user are lazy, so a request without a session cookie still costs nothing before a hit.
    "core.conditional.APIResponseCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "djpackages.urls"
WSGI_APPLICATION = "djpackages.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A persistent connection is checked before the first query of each request and replaced when it
# died (a database restart, pg_terminate_backend), instead of failing that request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, commands) share the file: wait for locks instead of failing,
    # and take the write lock when a transaction starts, so that waiting works.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
    }
    # A file rather than memory, so that the worker processes the tests start share the test
    # database; one per test run, so that runs side by side do not meet.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(tempfile.gettempdir(), f"djpackages-test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
# Upstream renders every datetime in New York time; keep that default for byte-for-byte fidelity.
TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Tests and the dev server serve static files from the finders; no collectstatic needed there.
WHITENOISE_USE_FINDERS = DEBUG
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "core.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # The API is public and read-only: no credentials are read (editors log in to the admin).
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.V4Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "core.schema.V4AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "djpackages API v4",
    "DESCRIPTION": "Read-only API of Django packages, grids and categories, compatible with djangopackages.org's v4 (and, under the tag v3, its v3).",
    "VERSION": "4",
    # The v4 paths' prefix, left out of their tags and operation ids (v3's are tagged v3).
    "SCHEMA_PATH_PREFIX": "/api/v4",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Anyone may read the API from a browser on another origin; nothing else is shared.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified"]
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=1000)
# Days the change feed (/api/v4/changes/) keeps changes at least; older ones are pruned by the sweep.
CHANGE_FEED_RETENTION_DAYS = env.int("CHANGE_FEED_RETENTION_DAYS", default=30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django's own console handler would print each of its lines a second time.
    "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# Fetchers: base URLs of the outside APIs (enterprise, self-hosted or local test servers may
# replace them) and the tokens, each sent only to its own API's host.
GITHUB_API_URL = env.str("GITHUB_API_URL", default="https://api.github.com")
GITLAB_API_URL = env.str("GITLAB_API_URL", default="https://gitlab.com/api/v4")
BITBUCKET_API_URL = env.str("BITBUCKET_API_URL", default="https://api.bitbucket.org/2.0")
CODEBERG_API_URL = env.str("CODEBERG_API_URL", default="https://codeberg.org/api/v1")
PYPI_JSON_URL = env.str("PYPI_JSON_URL", default="https://pypi.org/pypi")
GITHUB_TOKEN = env.str("GITHUB_TOKEN", default="")
GITLAB_TOKEN = env.str("GITLAB_TOKEN", default="")
BITBUCKET_TOKEN = env.str("BITBUCKET_TOKEN", default="")
CODEBERG_TOKEN = env.str("CODEBERG_TOKEN", default="")
# Seconds an attempt may take to connect, and to wait for each read of an answer; neither past the
# end of the refresh's time budget (seconds from its start, retries and back-off included).
FETCH_CONNECT_TIMEOUT = env.float("FETCH_CONNECT_TIMEOUT", default=5.0)
FETCH_READ_TIMEOUT = env.float("FETCH_READ_TIMEOUT", default=30.0)
REFRESH_TIME_BUDGET_SECONDS = env.float("REFRESH_TIME_BUDGET_SECONDS", default=60.0)
# Bytes (decoded) an answer's body may have; a larger one is refused unparsed. PyPI's largest
# answers for Django packages run to half a megabyte.
FETCH_MAX_BODY_BYTES = env.int("FETCH_MAX_BODY_BYTES", default=5 * 1024 * 1024)
# Keep-alive connections a process keeps per upstream host: at least the worker's concurrency
# (threads), or connections beyond it are closed after each use.
FETCH_POOL_SIZE = env.int("FETCH_POOL_SIZE", default=32)

# Cache: shared by all processes when CACHE_URL names Redis (rate-limit blocks, queued-package
# markers, the sweep lock); per process otherwise, which suits the single-process embedded set-up.
CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://"),
    # Rendered API answers, per process: keyed by their validators, so never stale, only evicted.
    "api": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "djpackages-api",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": env.int("API_CACHE_ENTRIES", default=5000)},
    },
}
API_CACHE_MAX_BODY = env.int("API_CACHE_MAX_BODY", default=256 * 1024)  # bytes; larger answers are not kept
if not env.bool("API_CACHE", default=True):  # e.g. to measure rendering itself
    CACHES["api"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}

# Celery. With no broker configured (the embedded default) tasks run in-process, eagerly.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL == "memory://")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies is delivered again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Seconds a task may run: by default a refresh's HTTP budget plus a minute for the rest of its work.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=int(REFRESH_TIME_BUDGET_SECONDS) + 60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis hands an unacknowledged task to another worker after this many seconds: longer than a
# task may run (system check fetchers.W001), so that only tasks whose worker died come back, and
# short enough that they come back within minutes. Workers look for such tasks every 10 s
# (kombu's default throttle would make that every 100 s).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
    "unacked_restore_throttle": 1,
}
# The schedule lives in the database (the admin's "Periodic tasks"); beat touches its heartbeat file
# at every wake-up (at least every 5 s), which compose's health check reads.
CELERY_BEAT_SCHEDULER = "fetchers.beat:HeartbeatScheduler"
BEAT_HEARTBEAT_FILE = env.str("BEAT_HEARTBEAT_FILE", default=os.path.join(tempfile.gettempdir(), "djpackages-beat.heartbeat"))
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Refresh pipeline: every package at least once per REFRESH_INTERVAL; a sweep enqueues at most
# REFRESH_SWEEP_SIZE packages, within each host's request budget (limits' syntax, shared by all
# workers through RATE_LIMIT_STORAGE_URL: a Redis URL in production, memory:// in one process).
REFRESH_INTERVAL_HOURS = env.float("REFRESH_INTERVAL_HOURS", default=20)
REFRESH_SWEEP_MINUTES = env.int("REFRESH_SWEEP_MINUTES", default=5)
REFRESH_SWEEP_SIZE = env.int("REFRESH_SWEEP_SIZE", default=500)
REFRESH_MAX_RETRIES = env.int("REFRESH_MAX_RETRIES", default=5)
# Without a broker, refreshes that are queued ("Refresh now") run on this many threads of the
# process that queued them (fetchers.background); 0 runs them inside the caller.
REFRESH_THREADS = env.int("REFRESH_THREADS", default=2)
# Without a broker, "Refresh now" (and adding a package in the admin) refreshes at most
# REFRESH_NOW_LIMIT packages at once and waits at most REFRESH_NOW_WAIT_SECONDS for them, to say
# how each went; the others are queued on the threads above.
REFRESH_NOW_LIMIT = env.int("REFRESH_NOW_LIMIT", default=5)
REFRESH_NOW_WAIT_SECONDS = env.float("REFRESH_NOW_WAIT_SECONDS", default=10.0)
RATE_LIMIT_STORAGE_URL = env.str("RATE_LIMIT_STORAGE_URL", default="memory://")
RATE_LIMITS = {
    GITHUB_API_URL: env.str("RATE_LIMIT_GITHUB", default="5000/hour"),
    GITLAB_API_URL: env.str("RATE_LIMIT_GITLAB", default="2000/minute"),
    BITBUCKET_API_URL: env.str("RATE_LIMIT_BITBUCKET", default="1000/hour"),
    CODEBERG_API_URL: env.str("RATE_LIMIT_CODEBERG", default="1000/hour"),
    PYPI_JSON_URL: env.str("RATE_LIMIT_PYPI", default="300/minute"),
}
