"""Development and demo: SQLite in ./var, DEBUG, demo users allowed."""

from __future__ import annotations

from pathlib import Path

from .base import *  # noqa: F403
from .base import DATA_DIR

DEBUG = True
DEMO = True
SECRET_KEY = "dev-only-not-secret-" + "gongkai"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
DATA_DIR.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# static files straight from the apps (no collectstatic before running)
STATIC_ROOT: Path | None = None  # type: ignore[no-redef]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
