"""Production: PostgreSQL through DATABASE_URL, HTTPS only, static files by whitenoise.

Refuses to start with DEBUG, without a secret key or allowed hosts; the demo users cannot log in
and the WSGI application refuses to start while any exist (``core.startup``).
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DATABASES, SECRET_KEY

DEBUG = False
DEMO = False

if os.environ.get("DJANGO_DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}:
    raise ImproperlyConfigured("生产环境不得开启调试模式（DJANGO_DEBUG）")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("生产环境必须设置 DJANGO_SECRET_KEY（至少50个字符的随机串）")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("生产环境必须设置 DJANGO_ALLOWED_HOSTS（逗号分隔的域名）")
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("生产环境必须设置 DATABASE_URL（PostgreSQL 数据库地址）")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    raise ImproperlyConfigured("生产环境应使用 PostgreSQL 数据库（多个进程共用一个数据库）")

SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SSL_REDIRECT", "1") != "0"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")]
