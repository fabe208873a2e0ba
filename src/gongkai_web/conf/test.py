"""Tests: SQLite in memory unless DATABASE_URL names a PostgreSQL server; fast hashing."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from .base import *  # noqa: F403
from .base import sqlite_options

DEBUG = False
DEMO = True
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = {
    "default": dj_database_url.parse(os.environ["DATABASE_URL"]) if os.environ.get("DATABASE_URL")
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
}
sqlite_options(DATABASES["default"])
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# static files straight from the apps (no collectstatic before running)
STATIC_ROOT: Path | None = None  # type: ignore[no-redef]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# the API's rate limits far above what a test sends (the throttling test sets its own low rates)
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute",  # noqa: F405
                                                              "user": "100000/minute"}}
