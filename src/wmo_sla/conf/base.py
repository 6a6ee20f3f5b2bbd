# SPDX-License-Identifier: EUPL-1.2
"""Base settings. Every value that differs per deployment comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

import dj_database_url

from .environ import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent

# Local data directory: the SQLite database, generated keys and uploaded files live here.
DATA_DIR = Path(env_str("WMO_SLA_DATA_DIR", str(Path.cwd() / "var"))).resolve()

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "wmo_sla.core",
    "wmo_sla.accounts",
    "wmo_sla.audit",
    "wmo_sla.contracts",
    "wmo_sla.kpis",
    "wmo_sla.ingest",
    "wmo_sla.web",
    "wmo_sla.benchmark",
    "wmo_sla.dialogue",
    "wmo_sla.publication",
    "wmo_sla.reporting",
    "wmo_sla.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "wmo_sla.accounts.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wmo_sla.urls"
WSGI_APPLICATION = "wmo_sla.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wmo_sla.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'wmo-sla.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL gives concurrent readers during ingest; a busy timeout avoids "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 30,
            # 64 MB page cache: ingest writes into indexed tables that outgrow the 2 MB default.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; "
                "PRAGMA temp_store=MEMORY;"
            ),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed-login throttling (django-axes): lock a username+IP pair after N failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Staff roles (contractmanager, functioneel beheerder) must use two-factor login when they set it up;
# WMO_SLA_REQUIRE_2FA forces every staff account to set it up before using the app.
WMO_SLA_REQUIRE_2FA = env_bool("WMO_SLA_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "wmo-sla"

# Keyed pseudonymisation of the BSN at ingest (HMAC-SHA256). Required in production; dev and demo
# keep a generated key in the data directory. Changing it breaks the link with earlier ingests.
WMO_SLA_PSEUDONYM_KEY = env_str("WMO_SLA_PSEUDONYM_KEY")
# Optional directory with the iWmo 3.2 XSDs (WMO301.xsd ... basisschema.xsd) for schema validation.
WMO_SLA_XSD_DIR = env_str("WMO_SLA_XSD_DIR", "") or None
# Upload limit for one ingest upload (bytes); zips are streamed from disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
WMO_SLA_MAX_UPLOAD_BYTES = env_int("WMO_SLA_MAX_UPLOAD_BYTES", 2 * 1024 * 1024 * 1024)
# Worker processes that parse messages during an ingest (the main process writes to the database).
WMO_SLA_INGEST_WORKERS = env_int("WMO_SLA_INGEST_WORKERS", min(2, os.cpu_count() or 1))
# Messages per database transaction during an ingest (an interrupted ingest loses at most one).
WMO_SLA_INGEST_CHUNK_SIZE = env_int("WMO_SLA_INGEST_CHUNK_SIZE", 2000)
# Uploads are processed in a background thread so the page can show progress.
WMO_SLA_INGEST_IN_BACKGROUND = env_bool("WMO_SLA_INGEST_IN_BACKGROUND", True)
# A columnar (Parquet) copy of the fact tables next to the database speeds up KPI runs; it is
# checked against the database on every read and rebuilt when it does not match (ADR 0011).
KPI_FACTS_CACHE = env_bool("WMO_SLA_KPI_FACTS_CACHE", True)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "wmo-sla@localhost")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # API tokens of aanbieders' systems (docs/reporting.md, "API voor aanbieders"); first, so
        # an unauthenticated request gets 401 with WWW-Authenticate.
        "wmo_sla.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    # Per client: anonymous callers by IP address, logged-in users and API tokens per user.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "600/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "wmo-sla API",
    "DESCRIPTION": "REST API van wmo-sla: stamgegevens van contracten, en (in latere versies) "
    "ingest, KPI's en rapportages. Aanbieder-gebruikers zien alleen hun eigen organisatie.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ContractKindEnum": "wmo_sla.contracts.constants.ContractKind",
        "NormKindEnum": "wmo_sla.contracts.constants.NormKind",
        "EenheidEnum": "wmo_sla.contracts.constants.Eenheid",
        "RoleEnum": "wmo_sla.accounts.roles.Role",
        "ReportStatusEnum": "wmo_sla.reporting.models.ReportStatus",
        "ReportDisplayStatusEnum": "wmo_sla.api.reporting_serializers.DISPLAY_STATUSES",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
