"""Settings for benchmarks only: the product's settings (database connections, logging,
middleware) plus a bare comparison view (bench/urls.py)."""

from carerecruit.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_COOKIES = False
# SQLite connections are closed after each request unless DB_CONN_MAX_AGE is set (the
# product's own setting, carerecruit/settings.py); bench/redirect.py runs both ways.
