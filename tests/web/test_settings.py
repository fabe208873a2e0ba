"""Settings: Chinese UI, migrations complete, the production settings pass ``check --deploy`` and
refuse DEBUG, a missing secret, SQLite and the demo accounts."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from gongkai_web.core.startup import refuse_demo_users
from gongkai_web.testing import People

PROD_ENV = {
    "DJANGO_SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-" + "x" * 20,
    "DJANGO_ALLOWED_HOSTS": "gongkai.example.gov.cn",
    "DATABASE_URL": "postgres://gongkai@127.0.0.1:5432/gongkai",
    "DJANGO_SETTINGS_MODULE": "gongkai_web.conf.production",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))} | env
    return subprocess.run([sys.executable, "-m", "gongkai_web", *args], env=full, capture_output=True,
                          text=True, timeout=120)


def test_chinese_and_china_time() -> None:
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_migrations_are_complete(db: None) -> None:
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_production_passes_the_deploy_check() -> None:
    r = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


@pytest.mark.parametrize(("change", "message"), [
    ({"DJANGO_DEBUG": "1"}, "不得开启调试模式"),
    ({"DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY"),
    ({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, "PostgreSQL"),
    ({"DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS"),
])
def test_production_refuses_to_start(change: dict[str, str], message: str) -> None:
    r = run_manage("check", env=PROD_ENV | change)
    assert r.returncode != 0
    assert message in r.stderr


def test_production_refuses_demo_users(people: People) -> None:
    with override_settings(DEMO=False):
        refuse_demo_users()  # none yet
        people.drafter_a.is_demo = True
        people.drafter_a.save()
        with pytest.raises(ImproperlyConfigured, match="演示账号"):
            refuse_demo_users()
        with pytest.raises(SystemCheckError, match=r"gongkai_web\.E001"):
            call_command("check", "--database", "default", stdout=StringIO(), stderr=StringIO())
