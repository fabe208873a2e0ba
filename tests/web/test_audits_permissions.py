"""Who may upload and see batch checks: an allowed and a denied case for every view, and the rule
and the list query agree.  Only 主管部门 and 系统管理员 upload; a supervisor sees only their own
batches (even one above them sees none of them); a denied request changes nothing."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from gongkai_web.audits import actions
from gongkai_web.audits.models import Audit, AuditEntry, AuditEvent, AuditFile
from gongkai_web.orgs.models import User
from gongkai_web.testing import People

from .test_audits import run_worker

ClientFor = Callable[[User], Client]
REPORT = "平潭综合实验区管委会办公室2023年度政府信息公开工作年度报告\n一、总体情况\n".encode()

#: who may open a supervisor's batch: the supervisor and an administrator; nobody else
READERS = {"supervisor": True, "admin": True, "city_supervisor": False, "approver_a": False, "drafter_a": False,
           "dept_drafter": False}
#: who may upload: any 主管部门 or 系统管理员
UPLOADERS = {"supervisor": True, "city_supervisor": True, "admin": True, "approver_a": False, "drafter_a": False,
             "dept_drafter": False}


@pytest.fixture
def audit(transactional_db: None, people: People) -> Audit:
    made = actions.create_audit(people.supervisor, "县里的批次",
                                [actions.Upload("通知.txt", len(REPORT), io.BytesIO(REPORT)),
                                 actions.Upload("旧稿.doc", 3, io.BytesIO(b"doc"))])
    run_worker()
    made.refresh_from_db()
    assert made.status == Audit.Status.DONE and made.entries.count() == 2
    return made


def state() -> tuple[object, ...]:
    return (list(Audit.objects.values_list("pk", "status", "runs", "title")), AuditFile.objects.count(),
            AuditEntry.objects.count(), AuditEvent.objects.count(), DBTaskResult.objects.count())


@pytest.mark.parametrize(("who", "allowed"), UPLOADERS.items())
def test_index(audit: Audit, people: People, client_for: ClientFor, who: str, allowed: bool) -> None:
    response = client_for(getattr(people, who)).get(reverse("audits:index"))
    assert response.status_code == (200 if allowed else 403)
    if allowed:
        listed = audit.title in response.content.decode()
        assert listed == READERS[who]  # another supervisor's batch is not listed


@pytest.mark.parametrize(("who", "allowed"), UPLOADERS.items())
def test_upload(audit: Audit, people: People, client_for: ClientFor, who: str, allowed: bool) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = state()
    response = client_for(getattr(people, who)).post(
        reverse("audits:index"), {"title": "新批次", "files": [SimpleUploadedFile("a.txt", REPORT)]})
    if allowed:
        assert response.status_code == 302
        new = Audit.objects.get(title="新批次")
        assert new.created_by == getattr(people, who) and new.status == Audit.Status.QUEUED
        assert DBTaskResult.objects.filter(id=new.task_id).exists()
    else:
        assert response.status_code == 403
        assert state() == before


@pytest.mark.parametrize("view", ["detail", "progress", "entry"])
@pytest.mark.parametrize(("who", "allowed"), READERS.items())
def test_read_views(audit: Audit, people: People, client_for: ClientFor, view: str, who: str,
                    allowed: bool) -> None:
    kwargs = {"pk": audit.pk, **({"position": 0} if view == "entry" else {})}
    response = client_for(getattr(people, who)).get(reverse(f"audits:{view}", kwargs=kwargs))
    assert response.status_code == (200 if allowed else 404)
    if allowed:
        assert "通知.txt" in response.content.decode()


@pytest.mark.parametrize("fmt", ["xlsx", "html"])
@pytest.mark.parametrize(("who", "allowed"), READERS.items())
def test_download(audit: Audit, people: People, client_for: ClientFor, fmt: str, who: str, allowed: bool) -> None:
    response = client_for(getattr(people, who)).get(reverse("audits:download", kwargs={"pk": audit.pk, "fmt": fmt}))
    assert response.status_code == (200 if allowed else 404)
    if allowed:
        assert response.content.startswith(b"PK" if fmt == "xlsx" else b"<!")


def test_download_waits_for_the_batch_to_finish(audit: Audit, people: People, client_for: ClientFor) -> None:
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.RUNNING)
    url = reverse("audits:download", kwargs={"pk": audit.pk, "fmt": "xlsx"})
    assert client_for(people.supervisor).get(url).status_code == 404


@pytest.mark.parametrize(("who", "allowed"), READERS.items())
def test_rerun(audit: Audit, people: People, client_for: ClientFor, who: str, allowed: bool) -> None:
    before = state()
    response = client_for(getattr(people, who)).post(reverse("audits:rerun", kwargs={"pk": audit.pk}))
    if allowed:
        assert response.status_code == 302
        audit.refresh_from_db()
        assert audit.status == Audit.Status.QUEUED
        assert audit.events.filter(kind=AuditEvent.Kind.RERUN, actor=getattr(people, who)).exists()
    else:
        assert response.status_code == 404
        assert state() == before


def test_rerun_refused_while_running(audit: Audit, people: People, client_for: ClientFor) -> None:
    client = client_for(people.supervisor)
    client.post(reverse("audits:rerun", kwargs={"pk": audit.pk}))
    before = state()
    response = client.post(reverse("audits:rerun", kwargs={"pk": audit.pk}), follow=True)
    assert "正在核查" in response.content.decode()
    assert state() == before


@pytest.mark.parametrize("view", ["index", "detail", "progress", "entry", "rerun", "download"])
def test_anonymous_is_sent_to_login(audit: Audit, view: str) -> None:
    extra = {"entry": {"position": 0}, "download": {"fmt": "xlsx"}}.get(view, {})
    kwargs = {} if view == "index" else {"pk": audit.pk, **extra}
    before = state()
    client = Client()
    url = reverse(f"audits:{view}", kwargs=kwargs)
    response = client.post(url) if view == "rerun" else client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert state() == before


def test_rule_and_query_agree(audit: Audit, people: People) -> None:
    other = actions.create_audit(people.city_supervisor, "市里的批次", [actions.Upload("a.txt", 1, io.BytesIO(b"a"))])
    mine = actions.create_audit(people.admin, "管理员的批次", [actions.Upload("a.txt", 1, io.BytesIO(b"a"))])
    for user in people.all():
        visible = set(Audit.objects.for_user(user))
        for a in (audit, other, mine):
            assert (a in visible) == user.has_perm("audits.view_audit", a), (user.username, a.title)
    assert set(Audit.objects.for_user(people.supervisor)) == {audit}
    assert set(Audit.objects.for_user(people.admin)) == {audit, other, mine}
    assert not Audit.objects.for_user(people.drafter_a).exists()


def test_nav_shows_batch_checks_to_supervisors_only(audit: Audit, people: People, client_for: ClientFor) -> None:
    url = reverse("audits:index")
    assert f'href="{url}"' in client_for(people.supervisor).get(reverse("workbench")).content.decode()
    assert f'href="{url}"' not in client_for(people.drafter_a).get(reverse("workbench")).content.decode()


def test_a_job_that_stopped_reporting_can_be_run_again(audit: Audit, people: People, client_for: ClientFor) -> None:
    from datetime import timedelta

    from django.utils import timezone

    client = client_for(people.supervisor)
    url = reverse("audits:rerun", kwargs={"pk": audit.pk})
    # a worker killed half way: 正在核查 for ever; refused while it may still be alive …
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.RUNNING, heartbeat=timezone.now() - timedelta(minutes=5))
    before = state()
    client.post(url)
    assert state() == before
    # … allowed once it has said nothing for longer than a file may take
    Audit.objects.filter(pk=audit.pk).update(heartbeat=timezone.now() - timedelta(minutes=31))
    client.post(url)
    audit.refresh_from_db()
    assert audit.status == Audit.Status.QUEUED
    run_worker()
    audit.refresh_from_db()
    assert audit.status == Audit.Status.DONE and audit.runs == 2 and audit.entries.count() == 2
