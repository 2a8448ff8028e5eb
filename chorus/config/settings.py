"""Django settings for Chorus. Every knob comes from a CHORUS_* environment variable."""

from __future__ import annotations

import os

import dj_database_url

from chorus.config.env import REPO_DIR, csv, flag, secret_key, var_dir
from chorus.media.storage import media_storage

VAR_DIR = var_dir()
BASE_DIR = REPO_DIR / "chorus"

SECRET_KEY = secret_key()
DEBUG = flag("CHORUS_DEBUG", default=False)
ALLOWED_HOSTS = csv("CHORUS_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = csv("CHORUS_CSRF_TRUSTED_ORIGINS", "")
BASE_URL = os.environ.get("CHORUS_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "chorus.accounts",
    "chorus.orgs",
    "chorus.audit",
    "chorus.vault",
    "chorus.workers",
    "chorus.ops",
    "chorus.media",
    "chorus.publishing",
    "chorus.connectors",
    "chorus.api",
    "chorus.web",
    "chorus.notifications",
    "chorus.links",
]

MIDDLEWARE = [
    "chorus.ops.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chorus.accounts.middleware.UserLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "chorus.audit.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "chorus.web.middleware.PolicyErrorMiddleware",
    "chorus.ops.middleware.MetricsMiddleware",
]

ROOT_URLCONF = "chorus.config.urls"
WSGI_APPLICATION = "chorus.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chorus.web.context.shell",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("CHORUS_DATABASE_URL", f"sqlite:///{VAR_DIR / 'chorus.sqlite3'}"),
        conn_max_age=int(os.environ.get("CHORUS_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN,
    # so two writers queue on the busy timeout instead of failing on lock upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file too, not SQLite's shared-cache memory database: that one fails at
    # once on lock conflicts between threads (worker, live server) instead of waiting.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Login throttling (django-axes): lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("CHORUS_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("CHORUS_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "chorus.accounts.views.locked_out"
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = flag("CHORUS_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("lo", "ລາວ")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["chorus.formats"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Front-end libraries copied from npm packages by `make assets`.
VENDOR_DIR = os.environ.get("CHORUS_VENDOR_DIR", str(REPO_DIR / "var" / "vendor"))
STATICFILES_DIRS = [VENDOR_DIR] if os.path.isdir(VENDOR_DIR) else []
MEDIA_ROOT = os.environ.get("CHORUS_MEDIA_ROOT", str(VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Uploaded media: local disk under MEDIA_ROOT, or an S3-compatible bucket when
# CHORUS_S3_BUCKET is set (workers on several machines). See chorus/media/storage.py.
STORAGES = {
    "default": media_storage(os.environ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CHORUS_MEDIA_MAX_BYTES = int(os.environ.get("CHORUS_MEDIA_MAX_BYTES", str(1024**3)))
# Media named by URL in a bulk import: size cap, and whether private addresses (an intranet
# file server) may be fetched; off by default so an import cannot probe the local network.
CHORUS_MEDIA_FETCH_MAX_BYTES = int(
    os.environ.get("CHORUS_MEDIA_FETCH_MAX_BYTES", str(200 * 1024**2))
)
CHORUS_MEDIA_FETCH_PRIVATE = flag("CHORUS_MEDIA_FETCH_PRIVATE", default=False)
CHORUS_MEDIA_MAX_PIXELS = int(os.environ.get("CHORUS_MEDIA_MAX_PIXELS", "50000000"))
# Whether accounts may be connected at servers on private addresses (a self-hosted PDS or
# Mastodon instance on the intranet, loopback); off by default, so connecting an account
# cannot make the server probe its own network.
CHORUS_CONNECT_PRIVATE = flag("CHORUS_CONNECT_PRIVATE", default=False)
WHITENOISE_USE_FINDERS = True

EMAIL_BACKEND = os.environ.get(
    "CHORUS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("CHORUS_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("CHORUS_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("CHORUS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CHORUS_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = flag("CHORUS_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("CHORUS_EMAIL_FROM", "Chorus <chorus@localhost>")

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Encryption of secrets at rest (chorus.vault).
CHORUS_ENCRYPTION_KEY_FILE = os.environ.get(
    "CHORUS_ENCRYPTION_KEY_FILE", str(VAR_DIR / "encryption.keys")
)

INVITATION_MAX_AGE_DAYS = int(os.environ.get("CHORUS_INVITATION_DAYS", "7"))
WORKER_HEARTBEAT_SECONDS = 5
WORKER_STALE_SECONDS = 30

LOG_FORMAT = os.environ.get("CHORUS_LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "chorus.ops.logging.RequestIdFilter"},
        "secret_paths": {"()": "chorus.ops.logging.SecretPathFilter"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["request_id", "secret_paths"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("CHORUS_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # One line per HTTP request to a network is noise; errors are logged by the engine.
        "httpx": {"level": "WARNING"},
    },
}

# Connectors: one per network (chorus.connectors.<network>).
CHORUS_CONNECTORS = [
    "chorus.connectors.webhook.connector.WebhookConnector",
    "chorus.connectors.bluesky.connector.BlueskyConnector",
    "chorus.connectors.mastodon.connector.MastodonConnector",
]
# Loops every worker runs beside the task queue.
CHORUS_WORKER_LOOPS = [
    "chorus.publishing.delivery.loop.DeliveryLoop",
    "chorus.workers.periodic.PeriodicLoop",
]
# (function(now), every N seconds), run by every worker; each is safe to run twice.
CHORUS_PERIODIC_DUTIES = [
    ("chorus.notifications.daily.run_due_summaries", 60),
    ("chorus.connectors.health.check_due_accounts", 600),
]
# Accounts nothing has reached for this long are checked (credentials still valid?), at
# most this many per run.
CHORUS_ACCOUNT_CHECK_HOURS = float(os.environ.get("CHORUS_ACCOUNT_CHECK_HOURS", "6"))
CHORUS_ACCOUNT_CHECK_BATCH = int(os.environ.get("CHORUS_ACCOUNT_CHECK_BATCH", "50"))
CHORUS_DELIVERY_LEASE_SECONDS = float(os.environ.get("CHORUS_DELIVERY_LEASE_SECONDS", "120"))
CHORUS_DELIVERY_CONCURRENCY = int(os.environ.get("CHORUS_DELIVERY_CONCURRENCY", "16"))
CHORUS_DELIVERY_MAX_ATTEMPTS = int(os.environ.get("CHORUS_DELIVERY_MAX_ATTEMPTS", "8"))
CHORUS_DELIVERY_BACKOFF_BASE = float(os.environ.get("CHORUS_DELIVERY_BACKOFF_BASE", "5"))
CHORUS_DELIVERY_BACKOFF_CAP = float(os.environ.get("CHORUS_DELIVERY_BACKOFF_CAP", "3600"))
CHORUS_DELIVERY_CHECK_DELAY = float(os.environ.get("CHORUS_DELIVERY_CHECK_DELAY", "10"))
CHORUS_DELIVERY_POLL_SECONDS = float(os.environ.get("CHORUS_DELIVERY_POLL_SECONDS", "0.5"))
# Where short links (<CHORUS_PUBLIC_URL>/l/<code>) point: the address people reach this
# installation at, or a shorter domain that forwards /l/ to it.
CHORUS_PUBLIC_URL = os.environ.get("CHORUS_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
