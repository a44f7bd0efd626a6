"""Settings for Patchwise: one file, every knob read from the environment.

DEBUG is off unless set. With DEBUG=1 (what `make run` sets) nothing else is needed: SQLite under
``var/``, Celery's filesystem broker under ``var/broker/``, email printed to the console. With
DEBUG off the site refuses to start without ``SECRET_KEY`` and ``ALLOWED_HOSTS`` and turns the
secure-cookie, HSTS and SSL switches on by default, so ``manage.py check --deploy`` is clean.
Every variable is listed in ``.env.example`` and in the README; a ``.env`` file beside
``manage.py`` supplies those the environment leaves unset.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from portal.lib.env import (
    ConfigError,
    env_bool,
    env_int,
    env_list,
    env_path,
    env_required,
    env_str,
    load_env_file,
)

BASE_DIR = Path(__file__).resolve().parent.parent
# Variables from ``.env`` (what `make run` writes) fill in what the real environment leaves unset,
# so `manage.py` run by hand sees the same configuration as the processes `make run` starts.
load_env_file(Path(env_str("PATCHWISE_ENV_FILE") or BASE_DIR / ".env"))
VAR_DIR = Path(env_str("PATCHWISE_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# --- Core -------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)

if DEBUG:
    # A development key: never used when DEBUG is off, where a real one is required below.
    SECRET_KEY = (
        env_str("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production-0123456789"
    )
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
else:
    SECRET_KEY = env_required("SECRET_KEY", "set it to a long random string when DEBUG is off.")
    if len(SECRET_KEY) < 50:
        raise ConfigError("SECRET_KEY must be at least 50 characters long when DEBUG is off.")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ConfigError("ALLOWED_HOSTS is not set: list the host names this site answers to.")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_NAME = env_str("SITE_NAME", "Patchwise")
# Where the site is reached from outside: e-mails sent without a request (reminders from beat)
# build their links on it. Default: the dev server, or the first ALLOWED_HOSTS name over HTTPS.
SITE_URL = (
    env_str("SITE_URL")
    or ("http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0].lstrip('.')}")
).rstrip("/")
if not SITE_URL.startswith(("http://", "https://")) or "*" in SITE_URL:
    raise ConfigError(
        "SITE_URL must be an absolute http(s) URL, e.g. https://patchwise.example.com "
        "(set it when ALLOWED_HOSTS starts with a wildcard)."
    )
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "csp",
    # Our apps come after django.contrib.auth so that, after a migrate, their permissions exist
    # before portal grants them to the Authors group.
    "portal",
    "courses",
    "labs",
    "teams",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"
AUTH_USER_MODEL = "portal.User"

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
                "csp.context_processors.nonce",
                "portal.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------

_default_db = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL") or _default_db
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
except Exception as exc:  # dj-database-url raises several types for a bad URL.
    raise ConfigError(f"DATABASE_URL could not be parsed ({exc}).") from None
if not _db.get("ENGINE") or not _db.get("NAME"):
    raise ConfigError(
        "DATABASE_URL must name a database, e.g. postgres://user@host:5432/patchwise."
    )
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0
    # A file, not memory, so that a Celery worker started by a test sees the test database.
    _db["TEST"] = {"NAME": env_str("PATCHWISE_TEST_DB") or str(VAR_DIR / "test-db.sqlite3")}
    _db["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication (django-allauth) ------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "portal:home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
if ACCOUNT_EMAIL_VERIFICATION not in {"mandatory", "optional", "none"}:
    raise ConfigError("ACCOUNT_EMAIL_VERIFICATION must be mandatory, optional or none.")
if not DEBUG:
    ACCOUNT_EMAIL_VERIFICATION = "mandatory"  # never relaxed in production
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# allauth's own rate limits (login failures, sign-ups, password resets) stay on, with its defaults.
ACCOUNT_RATE_LIMITS_ENABLED = env_bool("ACCOUNT_RATE_LIMITS_ENABLED", True)
if not ACCOUNT_RATE_LIMITS_ENABLED:
    ACCOUNT_RATE_LIMITS = False

# Password of the demo accounts that `manage.py seed_demo` creates (refused when DEBUG is off).
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "patchwise-demo")

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME

# --- Sessions, cookies and transport security ----------------------------------------------------

_secure_default = not DEBUG
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", _secure_default)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", _secure_default)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _secure_default)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", _secure_default)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", _secure_default)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Static files ------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

# --- Email -----------------------------------------------------------------------------------

EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Patchwise <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ------------------------------------------------------------------------------------

BROKER_DIR = Path(env_str("PATCHWISE_BROKER_DIR", str(VAR_DIR / "broker")))
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or env_str("REDIS_URL") or "filesystem://"
if CELERY_BROKER_URL == "filesystem://":
    # The embedded broker: producer and worker share one folder; a short poll keeps latency low.
    for _sub in ("queue", "processed", "control"):
        (BROKER_DIR / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.05,
    }
elif not CELERY_BROKER_URL.startswith(("redis://", "rediss://", "amqp://", "memory://")):
    raise ConfigError("REDIS_URL / CELERY_BROKER_URL must be a redis:// or amqp:// URL.")
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # tasks write their outcome to the database
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 150, minimum=1)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request never waits long on a broker that is down: two quick retries, then the job stays
# in the outbox (saved, ``sent_at`` empty) and beat's sweep sends it when the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Cache (allauth's rate limits live here, so it must be shared by every web process) ---------

_redis_url = env_str("REDIS_URL")
if _redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Labs and grading ---------------------------------------------------------------------------

CONTENT_DIR = BASE_DIR / "content"  # articles, paths, quizzes and lab bundles as files
LAB_CONTENT_DIR = CONTENT_DIR / "labs"
LAB_VERSIONS_DIR = VAR_DIR / "lab-versions"  # stored versions extracted for the worker
LAB_WORK_DIR = VAR_DIR / "lab-work"  # short-lived workspaces built for one grading
# The same variables `python -m labs.sandbox.provision` reads. None (unset) leaves the choice to
# the sandbox engine's own default, so settings need not import the engine to compute it.
SANDBOX_RUNTIMES_DIR = env_path("PATCHWISE_SANDBOX_RUNTIMES_DIR")
SANDBOX_WORK_DIR = env_path("PATCHWISE_SANDBOX_WORK_DIR")
SANDBOX_SLOTS = env_int("PATCHWISE_SANDBOX_SLOTS", 8, minimum=1)
SANDBOX_WALL_SECONDS = env_int("SANDBOX_WALL_SECONDS", 20, minimum=1)
SANDBOX_MEMORY_MB = env_int("SANDBOX_MEMORY_MB", 256, minimum=64)
SANDBOX_PROCESSES = env_int("SANDBOX_PROCESSES", 64, minimum=16)
SANDBOX_FILE_SIZE_MB = env_int("SANDBOX_FILE_SIZE_MB", 16, minimum=1)
# One submission in flight per learner per lab, and at most this many per learner per minute.
LAB_SUBMISSIONS_PER_MINUTE = env_int("LAB_SUBMISSIONS_PER_MINUTE", 6, minimum=1)
# A grading still "running" this long after it started is presumed lost and is re-queued.
GRADING_DEADLINE_SECONDS = env_int("GRADING_DEADLINE_SECONDS", 180, minimum=10)
# Grader errors (ours, not the learner's) are retried this many times before being reported.
GRADING_MAX_ATTEMPTS = env_int("GRADING_MAX_ATTEMPTS", 3, minimum=1)
# A queued job the broker never took (it was down) is sent again by the sweep after this long.
GRADING_OUTBOX_GRACE_SECONDS = env_int("GRADING_OUTBOX_GRACE_SECONDS", 5, minimum=1)
# Lab versions that `load_labs` validates at once (each grading takes its own sandbox slot).
LAB_VALIDATION_PARALLEL = env_int("LAB_VALIDATION_PARALLEL", 2, minimum=1)
# Days an emailed team invitation stays valid (resending starts a new period).
TEAM_INVITATION_DAYS = env_int("TEAM_INVITATION_DAYS", 7, minimum=1)
# Team reminders: "due soon" this many hours before an assignment is due, "overdue" after; beat
# checks every TEAM_REMINDER_INTERVAL_MINUTES (each person gets each reminder once at most).
TEAM_REMINDER_DUE_SOON_HOURS = env_int("TEAM_REMINDER_DUE_SOON_HOURS", 48, minimum=1)
TEAM_REMINDER_INTERVAL_MINUTES = env_int("TEAM_REMINDER_INTERVAL_MINUTES", 60, minimum=1)
CELERY_BEAT_SCHEDULE = {
    "requeue-stale-gradings": {"task": "labs.tasks.requeue_stale", "schedule": 30.0},
    "send-team-reminders": {
        "task": "teams.tasks.send_reminders",
        "schedule": 60.0 * TEAM_REMINDER_INTERVAL_MINUTES,
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Internationalisation ----------------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Logging ----------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "portal.lib.jsonlog.JsonLinesFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "json_stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One JSON object per line for every finished grading (labs/services/job_log.py), for
        # log shippers and jq; not propagated, so it is not also written as plain text.
        "patchwise.grading": {"handlers": ["json_stderr"], "level": "INFO", "propagate": False},
    },
}
if CELERY_BROKER_URL == "filesystem://":
    # The embedded broker has no host, and kombu warns "No hostname was supplied" each time a
    # process first queues a task; nothing can go wrong on a network connection that is a folder.
    LOGGING["loggers"]["kombu.connection"] = {"level": "ERROR"}
