"""The WSGI application (gunicorn gongkai_web.wsgi); production settings unless told otherwise."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai_web.conf.production")

application = get_wsgi_application()

from gongkai_web.core.startup import refuse_demo_users  # noqa: E402

refuse_demo_users()
