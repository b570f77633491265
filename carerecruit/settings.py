"""Django settings for carerecruit.

Every value that differs between a laptop and production comes from an environment
variable read through :mod:`carerecruit.lib.env`; the defaults run a fresh checkout on
SQLite with no server. No I/O happens at import.
"""

from pathlib import Path

import dj_database_url

from carerecruit.lib.env import env_base_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
# Local data folder for the embedded SQLite database (ignored by git).
DATA_DIR = Path(env_str("CARERECRUIT_DATA_DIR", str(BASE_DIR.parent / "data")))

DEBUG = env_bool("DEBUG", False)
# The development key is only accepted while DEBUG is on or in tests; `check --deploy`
# flags it, and production sets SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789abcdef")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "carerecruit.govuk",
    "carerecruit.reference",
    "carerecruit.organisations",
    "carerecruit.campaigns",
    "carerecruit.tracking",
    "carerecruit.candidates",
    "carerecruit.adstats",
    "carerecruit.placements",
    "carerecruit.vacancies",
    "carerecruit.talentbank",
    "carerecruit.workforce",
    "carerecruit.insights",
    "carerecruit.regional",
    "carerecruit.forecast",
    "carerecruit.reports",
    "carerecruit.api",
    "carerecruit.pages",
    "carerecruit.demo",
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
    # Last, as django-axes asks: turns a locked-out sign-in into our lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "carerecruit.urls"
WSGI_APPLICATION = "carerecruit.wsgi.application"

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
                "carerecruit.govuk.context_processors.site",
            ],
        },
    },
]
# Candidates submit forms with only the strictly necessary CSRF cookie; when it is
# missing or stale they get a plain-English page, not Django's developer page.
CSRF_FAILURE_VIEW = "carerecruit.pages.views.csrf_failure"
# One renderer for every form: GOV.UK field templates (label, hint, error message).
FORM_RENDERER = "carerecruit.govuk.renderers.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'carerecruit.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker write rollups while pages read; IMMEDIATE transactions avoid
    # "database is locked" upgrades when two requests write at once.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }
    # Closed after each request by default (the embedded default is for one user's demo);
    # DB_CONN_MAX_AGE=60 keeps them, several times faster under a burst of clicks
    # (docs/performance.md, "Tracked-link redirect").
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisations.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses sign-in while a username + address pair is locked out (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failed sign-ins for one username from one address lock that pair for 15 minutes;
# a successful sign-in resets the count.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "organisations/locked_out.html"
# The same client address rule as visitor counting (honours TRUSTED_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "carerecruit.tracking.visitors.client_ip"
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "staff:login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
# The built front-end assets (carerecruit/static/build, made by `npm run build`) and our
# own scripts live in the package's static folder, which belongs to no app.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
# Tracked-link clicks are appended here by the redirect and moved into the database by
# the worker (carerecruit/tracking/spool.py); a local disk of the web server's machine.
# Empty: each click is written to the database inside the request instead.
CLICK_SPOOL_DIR = env_str("CLICK_SPOOL_DIR", str(DATA_DIR / "click-spool"))
# Serve the built assets straight from the app folders when not collected (dev, tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "carerecruit <no-reply@carerecruit.localhost>")

# Background work through Django's tasks API with a database-backed queue.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
# A council subdomain may not be ours to promise HTTPS for: both off unless the operator
# knows the whole domain is HTTPS-only (then `check --deploy` stops warning).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)
# Reverse proxies in front of the app that append to X-Forwarded-For (0 = none: use
# REMOTE_ADDR). Used only for the daily visitor hash; the IP address is never stored.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# The region this deployment serves: a second region is configuration, not a fork.
CARERECRUIT_REGION_CODE = env_str("CARERECRUIT_REGION_CODE", "E12000005")
CARERECRUIT_SITE_NAME = env_str("CARERECRUIT_SITE_NAME", "Care jobs West Midlands")
CARERECRUIT_CONTACT_EMAIL = env_str("CARERECRUIT_CONTACT_EMAIL", "care.jobs@example.org")
# The site's public address, for links in e-mails sent outside any request (alerts
# from the worker); no trailing slash.
CARERECRUIT_BASE_URL = env_base_url("CARERECRUIT_BASE_URL", "http://127.0.0.1:8000")
# Seconds between dashboard self-refreshes (htmx polling).
CARERECRUIT_LIVE_REFRESH_SECONDS = env_int("CARERECRUIT_LIVE_REFRESH_SECONDS", 5)
# Days a candidate's self-service link (/me/<token>/) works after it is sent.
CARERECRUIT_SELFSERVICE_LINK_DAYS = env_int("CARERECRUIT_SELFSERVICE_LINK_DAYS", 7)

# --- Open API (/api/v1/, carerecruit.api) ----------------------------------------------
# Read-only JSON for partners' BI tools. Organisation API tokens (Authorization: Bearer)
# authenticate; every error is a JSON body with a 4xx; the browsable API is off (JSON only).
# Throttling counts per token in the "api" cache below, shared by every gunicorn process
# (docs/api.md).
CARERECRUIT_API_RATE_LIMIT = env_str("CARERECRUIT_API_RATE_LIMIT", "120/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["carerecruit.api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["carerecruit.api.authentication.HasApiToken"],
    "DEFAULT_THROTTLE_CLASSES": ["carerecruit.api.throttling.ApiTokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "carerecruit.api.negotiation.JsonOnlyNegotiation",
    "DEFAULT_PAGINATION_CLASS": "carerecruit.api.pagination.ApiPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "carerecruit.api.errors.json_exception_handler",
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "carerecruit open API",
    "DESCRIPTION": (
        "Read-only aggregates for a region's adult social care recruitment: campaigns and "
        "their funnel, open vacancies, placements and retention, workforce figures and the "
        "regional datasets. No personal data. Counts of 1 to 4 outside their owner show as "
        '"<5" and rates from them as "withheld".'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
}
# Caches: "default" stays Django's per-process memory cache (nothing else uses a cache);
# "api" holds the API's throttle counters and must be shared across processes, so it is
# the database (table made by carerecruit/api/migrations, so `migrate` is enough).
# CARERECRUIT_API_CACHE=locmem is for a single-process run only.
_API_CACHE = env_str("CARERECRUIT_API_CACHE", "database")
if _API_CACHE not in ("database", "locmem"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"CARERECRUIT_API_CACHE={_API_CACHE!r}: use database or locmem")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "api": (
        {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "carerecruit_api_cache"}
        if _API_CACHE == "database"
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "carerecruit-api"}
    ),
}
# --- end of the Open API block ---------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # An ordinary 403 (a role that may read but not change) logs one line, no traceback.
    "filters": {"permission_denied_one_line": {"()": "carerecruit.lib.logfilters.PermissionDeniedWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Access to personal data; ship this logger to durable storage in production.
        "carerecruit.audit": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["permission_denied_one_line"]},
    },
}
