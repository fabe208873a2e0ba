"""Settings shared by every environment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: where the SQLite database and uploaded files live (not inside the package)
DATA_DIR = Path(os.environ.get("GONGKAI_WEB_DATA", Path.cwd() / "var")).resolve()

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS: list[str] = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]
#: demo mode: the demo users may log in and the demo data command may run (never in production)
DEMO = False

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "rules",
    "simple_history",
    "treebeard",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "gongkai_web.core",
    "gongkai_web.orgs",
    "gongkai_web.reports",
    "gongkai_web.supervision",
    "gongkai_web.registers",
    "gongkai_web.cases",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "gongkai_web.api",
    "gongkai_web.audits",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongkai_web.urls"
WSGI_APPLICATION = "gongkai_web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai_web.core.context.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'gongkai.sqlite3'}", conn_max_age=60, conn_health_checks=True,
    ),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "gongkai_web.orgs.backends.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# login throttling (django-axes): 5 failures for one user name from one address lock it for 15 minutes
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# sessions and cookies
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# uploads: files above 2.5 MB go to a temporary file; our own limit is checked by the forms
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
#: the largest document accepted for import (bytes)
GONGKAI_MAX_UPLOAD = 20 * 1024 * 1024

#: the main navigation: (label, URL name, who sees it: None everyone, "login" signed in, or a permission)
GONGKAI_NAV: list[tuple[str, str, str | None]] = [
    ("工作台", "home", "login"),
    ("机关", "orgs:agencies", "login"),
    ("年报监督", "supervision:overview", "supervision.view_overview"),
    ("登记簿和年度统计", "registers:home", "login"),
    ("依申请公开", "cases:home", "login"),
    ("批量核查", "audits:index", "audits.upload_audit"),
    ("系统管理", "admin:index", "orgs.manage_agencies"),
    ("公开年报", "public:index", None),
]

# the JSON API (gongkai_web.api): tokens for provinces' systems, sessions for the pages' users
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication",
                                       "rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["gongkai_web.api.jsonio.ModelJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["gongkai_web.api.jsonio.ModelJSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "gongkai_web.api.errors.handle",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # rate limits (gongkai_web.api.throttling): calls without a token per client address, with a
    # token per person; counted in each process's cache.  Behind a reverse proxy the client address
    # is the last one it adds to X-Forwarded-For (GONGKAI_API_PROXIES proxies in front).
    "DEFAULT_THROTTLE_CLASSES": ["gongkai_web.api.throttling.AnonThrottle",
                                 "gongkai_web.api.throttling.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("GONGKAI_API_RATE_ANON", "60/minute"),
                               "user": os.environ.get("GONGKAI_API_RATE_USER", "600/minute")},
    "NUM_PROXIES": int(os.environ.get("GONGKAI_API_PROXIES", "1")),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "政府信息公开工作年度报告 数据接口",
    "DESCRIPTION": "机关、年报（读取；填报人新建、修改）、核查结果和依申请公开台账（只读）。说明见 docs/api.md。",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "gongkai_web.api.schema.document_throttling"],
}
#: the largest JSON body the API reads (bytes)
GONGKAI_API_MAX_BODY = 5 * 1024 * 1024
# background jobs (django-tasks with its database backend): the web processes enqueue, the workers
# (`gongkai-web db_worker`, on the same database) run them
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# batch checks of published reports (gongkai_web.audits): explicit limits, each refusal a message per file
#: one file uploaded or taken from a ZIP (bytes)
GONGKAI_AUDIT_MAX_FILE = GONGKAI_MAX_UPLOAD
#: one upload (all files and ZIPs of one batch, bytes); a larger request is refused as a whole
GONGKAI_AUDIT_MAX_BATCH = 200 * 1024 * 1024
#: files of one batch (uploaded files plus ZIP members); a folder upload sends each file in the
#: request, so Django's own limit on files per request (default 100) is raised to it
GONGKAI_AUDIT_MAX_FILES = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = GONGKAI_AUDIT_MAX_FILES
#: the unpacked size of one ZIP (bytes); a member packed more than GONGKAI_AUDIT_MAX_RATIO times is a zip bomb
GONGKAI_AUDIT_MAX_UNPACKED = 500 * 1024 * 1024
GONGKAI_AUDIT_MAX_RATIO = 200
#: reader processes of one job (1: the worker process itself)
GONGKAI_AUDIT_WORKERS = 1

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"gongkai_web": {"level": "INFO"}},
}


def sqlite_options(db: Any) -> Any:
    """SQLite takes the write lock when a transaction starts (a save and its version check are
    one step) and waits for it instead of failing at once."""
    if db.get("ENGINE") == "django.db.backends.sqlite3":
        options = dict(db.get("OPTIONS") or {})
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("timeout", 20)
        db["OPTIONS"] = options
    return db


sqlite_options(DATABASES["default"])
