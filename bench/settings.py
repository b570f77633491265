"""Settings for benchmarks only: the product's settings plus a bare comparison view."""

from carerecruit.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_COOKIES = False
# Quiet request logging: the benchmark measures the app, not the console.
LOGGING = {"version": 1, "disable_existing_loggers": True}
