"""Settings for benchmarks only: the product's settings plus a bare comparison view."""

import os

from carerecruit.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_COOKIES = False
# Quiet request logging: the benchmark measures the app, not the console.
LOGGING = {"version": 1, "disable_existing_loggers": True}

# Diagnosis only (bench/redirect.py --sqlite-conn-max-age): the product closes SQLite
# connections after every request (CONN_MAX_AGE = 0 in carerecruit/settings.py).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and "BENCH_SQLITE_CONN_MAX_AGE" in os.environ:  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["BENCH_SQLITE_CONN_MAX_AGE"])  # noqa: F405
