"""Grantdesk settings: one module, every deployment difference read from the environment.

With nothing set, Grantdesk runs embedded: SQLite, Celery eager, e-mail written to
files under ``var/mail``. ``DATABASE_URL`` switches to PostgreSQL, ``REDIS_URL`` to a
real broker (and a separate worker process), ``GRANTDESK_PRODUCTION=1`` to the
hardened production configuration that ``manage.py check --deploy`` accepts.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GRANTDESK_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_bool("GRANTDESK_PRODUCTION")
DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when GRANTDESK_PRODUCTION=1.")
    SECRET_KEY = "insecure-development-key-only-for-the-embedded-demo-and-tests"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("GRANTDESK_SITE_URL", "http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_fsm",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "grants",
    "grants.accounts",
    "grants.apply",
    "grants.portal",
    "workflow",
    "documents",
    "finance",
    "config.apps.GrantdeskConfig",  # deployment checks (config/checks.py)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before LocaleMiddleware: Dutch unless the language switch chose otherwise (not the browser's).
    "grants.accounts.language.DutchFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Early, before anything can look up what the address carries: a NUL (%00) in it is a 400.
    "config.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Inside CSP (its page's script nonce must reach the policy header): a page for an empty 405.
    "config.middleware.MethodNotAllowedPageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "grants.accounts.context_processors.portal",
            ],
        },
    },
]
# Every form renders through templates/forms/ in the NL Design System look (grants/accounts).
FORM_RENDERER = "grants.accounts.forms_renderer.GrantdeskFormRenderer"

# --- Database -------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # Health checks: a kept connection is pinged before its first use in a request or a task.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "grantdesk.sqlite3",
            # SQLite serialises writers; wait for the lock instead of failing at once.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ---------------------------------------------------------------------------
AUTH_USER_MODEL = "grants.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "grants.accounts.backends.SignInBackend",  # Django's ModelBackend, see there
    # Never reached to authenticate (SignInBackend ends every attempt); listed so that sessions
    # signed in through it before SignInBackend existed stay valid (Django drops a session whose
    # backend is not listed here).
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Throttle sign-in attempts: five failures lock the username and address for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("GRANTDESK_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
# A Dutch page that says how long to wait and offers a password reset, not a bare 403.
AXES_LOCKOUT_CALLABLE = "grants.accounts.views.locked_out"

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Files -----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Front-end packages come from the npm registry (package.json); only their built files are
# served, as static "vendor/<package path>" (collecting all of node_modules would fail on CSS that
# points at files the packages do not ship, and would publish their sources).
NODE_MODULES = BASE_DIR / "node_modules"
VENDOR_PACKAGES = [
    "@utrecht/component-library-css/dist",
    "@utrecht/design-tokens/dist",
    "@fontsource-variable/noto-sans",
]
STATICFILES_DIRS += [
    (f"vendor/{path}", NODE_MODULES / path) for path in VENDOR_PACKAGES if (NODE_MODULES / path).is_dir()
]
STATICFILES_FINDERS = [
    "config.staticfiles.FileSystemFinder",  # STATICFILES_DIRS, minus a vendor file that breaks collectstatic
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]

# Uploads and letters live outside the web root and are served only by views that
# check permission, never by the web server.
MEDIA_ROOT = Path(os.environ.get("GRANTDESK_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
GRANTDESK_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# --- E-mail ------------------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
    EMAIL_TIMEOUT = 30
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Grantdesk <noreply@grantdesk.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ------------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# The cache (the workbench's figures) is shared by every web process through Redis when there is
# one, under its own key prefix beside Celery's keys. Never clear it as a whole: Django's
# RedisCache.clear() is FLUSHDB, which would empty the broker's queues too.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "grantdesk"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
CELERY_BROKER_URL = REDIS_URL or "memory://"
# Embedded mode has no worker: tasks run in the web process, right after commit.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup would close the database connection before and after every task (a new
# PostgreSQL backend per letter); config/celery.py instead applies Django's own request rules
# (CONN_MAX_AGE, health checks, drop a broken connection) around each task.
CELERY_DB_REUSE_MAX = 1_000_000
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Retry countdowns stay below this, or Redis re-delivers a message still being retried.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULE: dict = {}

# --- Scheduled jobs: the Awb calendar (workflow/tasks.py, issue 7) -------------------------------
# Daily, early in the Amsterdam morning, before officers start. Each job is idempotent:
# a second run on the same day sends nothing again (keyed OutgoingEmail rows).
CELERY_BEAT_SCHEDULE.update(
    {
        "decision-term-warnings": {
            "task": "workflow.tasks.send_decision_term_warnings",
            "schedule": crontab(hour=6, minute=0),
        },
        "overdue-decisions-digest": {
            "task": "workflow.tasks.send_overdue_decisions_digest",
            "schedule": crontab(hour=6, minute=10),
        },
        "report-reminders": {
            "task": "workflow.tasks.send_report_reminders",
            "schedule": crontab(hour=6, minute=20),
        },
    }
)

# --- Letters: rendering and e-mail retries (documents/, issue 5) ------------------------------------
# Temporary SMTP errors retry with exponential backoff: BACKOFF * 2**n seconds, capped at
# BACKOFF_MAX (kept well below the Redis visibility_timeout above), MAX_RETRIES times; then
# the letter is failed for an officer to retry. Letters and e-mails that no task moved on
# for STUCK_SECONDS (a worker killed mid-task) are re-queued by the periodic job.
GRANTDESK_LETTER_RETRY_BACKOFF = float(os.environ.get("GRANTDESK_LETTER_RETRY_BACKOFF", "30"))
GRANTDESK_LETTER_RETRY_BACKOFF_MAX = min(
    float(os.environ.get("GRANTDESK_LETTER_RETRY_BACKOFF_MAX", "900")),
    CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] / 2,
)
GRANTDESK_LETTER_MAX_RETRIES = int(os.environ.get("GRANTDESK_LETTER_MAX_RETRIES", "10"))
GRANTDESK_LETTER_STUCK_SECONDS = float(os.environ.get("GRANTDESK_LETTER_STUCK_SECONDS", "900"))
CELERY_BEAT_SCHEDULE["requeue-stuck-letters"] = {
    "task": "documents.tasks.requeue_stuck_letters",
    "schedule": 300.0,  # every five minutes
}

# --- Security ------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": ["'none'"],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GRANTDESK_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Seven INFO lines a letter ("Step 1 - Fetching and parsing HTML", ...): thousands for a
        # ranking round, and measurable time in a worker at --loglevel=INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
