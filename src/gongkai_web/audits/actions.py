"""Every change to a batch check, one function per thing a person does.

Each checks the permission (``gongkai_web.permissions``), changes the state in one transaction,
records an ``AuditEvent`` and enqueues the background job (``jobs.check_audit``) in the same
transaction: the job's row and the upload are committed together or not at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from gongkai_web.orgs.models import User

from .models import Audit, AuditEvent, AuditFile
from .unpack import size_text

#: a running job that has not reported progress for this long has died (a file takes at most 5 minutes)
STALE_AFTER = timedelta(minutes=30)


class ActionError(Exception):
    """A request that cannot be carried out; ``message`` says why in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Upload:
    """A file as the browser sent it: its name (with the folder path for a folder upload), its size
    and a stream of its bytes."""

    name: str
    size: int
    stream: IO[bytes]

    def __post_init__(self) -> None:
        # a name as the browser sent it may hold control characters and lone surrogates: neither
        # belongs in a file name, and PostgreSQL stores neither
        name = "".join(ch for ch in self.name if ch >= " " and ch != "\x7f")
        self.name = name.encode("utf-8", "replace").decode("utf-8").strip() or "未命名文件"


def _require(user: User, perm: str, obj: Audit | None = None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _read(upload: Upload, cap: int) -> bytes | None:
    """The bytes, or None when there are more than ``cap`` (the stream is read in chunks)."""
    out = bytearray()
    while chunk := upload.stream.read(1 << 20):
        out += chunk
        if len(out) > cap:
            return None
    return bytes(out)


def _enqueue(audit: Audit) -> None:
    from .jobs import check_audit

    result = check_audit.enqueue(audit.pk)
    audit.task_id = str(result.id)
    audit.save(update_fields=["task_id"])


def create_audit(user: User, title: str, uploads: Iterable[Upload]) -> Audit:
    """Store the upload and queue its check.  A file above the size limit is kept as a row with the
    reason (the job lists it); nothing else is refused here."""
    _require(user, "audits.upload_audit")
    files = list(uploads)
    if not files:
        raise ActionError("没有选择文件：请选择若干文件、一个文件夹或一个 ZIP 压缩包")
    if len(files) > settings.GONGKAI_AUDIT_MAX_FILES:
        raise ActionError(f"一次最多上传 {settings.GONGKAI_AUDIT_MAX_FILES} 个文件（本次 {len(files)} 个），请分批上传")
    cap = settings.GONGKAI_AUDIT_MAX_FILE
    title = (title or "").strip() or f"{timezone.localtime():%Y年%m月%d日 %H:%M} 上传的 {len(files)} 个文件"
    with transaction.atomic():
        audit = Audit.objects.create(title=title[:200], created_by=user)
        for i, up in enumerate(files):
            limit = settings.GONGKAI_AUDIT_MAX_BATCH if up.name.lower().endswith(".zip") else cap
            data = _read(up, limit) if up.size <= limit else None
            if data is None:
                AuditFile.objects.create(
                    audit=audit, position=i, name=up.name[:500], size=up.size, content=None,
                    refused=f"文件过大（{size_text(up.size)}），超过单个文件 {size_text(limit)} 的上限，未保存、未读取")
            else:
                AuditFile.objects.create(audit=audit, position=i, name=up.name[:500], size=len(data),
                                         sha256=hashlib.sha256(data).hexdigest(), content=data)
        AuditEvent.objects.create(audit=audit, kind=AuditEvent.Kind.UPLOADED, actor=user, note=f"{len(files)} 个文件")
        _enqueue(audit)
    return audit


def can_rerun(audit: Audit) -> bool:
    """A finished batch, or one whose job stopped reporting progress (its worker died)."""
    if audit.finished:
        return True
    last = audit.heartbeat or audit.created_at
    return last is not None and timezone.now() - last > STALE_AFTER


def rerun_audit(user: User, audit: Audit) -> Audit:
    """Check the stored upload again (after a 核查中断, or with a newer checker)."""
    _require(user, "audits.rerun_audit", audit)
    with transaction.atomic():
        audit = Audit.objects.select_for_update().get(pk=audit.pk)
        if not can_rerun(audit):
            raise ActionError("这批文件正在核查，请等核查完成后再重新核查")
        audit.status, audit.done, audit.total, audit.failure = Audit.Status.QUEUED, 0, 0, ""
        audit.heartbeat = timezone.now()
        audit.save()
        AuditEvent.objects.create(audit=audit, kind=AuditEvent.Kind.RERUN, actor=user)
        _enqueue(audit)
    return audit
