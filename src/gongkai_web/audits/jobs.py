"""The background job: read and check an uploaded batch with the library's batch API.

``check_audit`` is a django-tasks task run by the database worker (``gongkai-web db_worker``).  It
lays the upload out as a folder (``unpack``), hands the folder to ``gongkai.check_files`` and stores
each ``ReportResult`` as an ``AuditEntry`` as soon as it comes, so the page shows progress.  A file
that cannot be read is a result row, never a crash; a crash of the job itself marks the batch
核查中断 with the reason, and the stored files stay for 重新核查.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from django_tasks import task

import gongkai
from gongkai.check import CheckResult, ReportResult, Skipped, merge_across

from . import unpack
from .models import Audit, AuditEntry, AuditFile

logger = logging.getLogger(__name__)


def limits() -> unpack.Limits:
    return unpack.Limits(max_file=settings.GONGKAI_AUDIT_MAX_FILE, max_unpacked=settings.GONGKAI_AUDIT_MAX_UNPACKED,
                         max_files=settings.GONGKAI_AUDIT_MAX_FILES, max_ratio=settings.GONGKAI_AUDIT_MAX_RATIO)


@task()
def check_audit(audit_id: int) -> str:
    """The task: run the batch ``audit_id`` once (a batch already taken by another run is left alone)."""
    return run(audit_id)


def claim(audit_id: int) -> Audit | None:
    """Take a queued batch for this run: 正在核查, earlier results cleared."""
    with transaction.atomic():
        audit = Audit.objects.select_for_update().filter(pk=audit_id).first()
        if audit is None or audit.status != Audit.Status.QUEUED:
            return None
        now = timezone.now()
        audit.entries.all().delete()
        audit.status, audit.started_at, audit.heartbeat, audit.finished_at = Audit.Status.RUNNING, now, now, None
        audit.total = audit.done = 0
        audit.failure, audit.summary = "", {}
        audit.runs += 1
        audit.save()
        return audit


def run(audit_id: int) -> str:
    audit = claim(audit_id)
    if audit is None:
        return "skipped"
    try:
        check(audit)
    except Exception as e:  # the batch says why; the stored files stay for 重新核查
        logger.exception("batch check %s failed", audit_id)
        Audit.objects.filter(pk=audit_id).update(
            status=Audit.Status.FAILED, finished_at=timezone.now(),
            failure=f"核查因程序内部错误中断（{type(e).__name__}: {e}）。上传的文件都已保存，可以点“重新核查”再试；"
                    "如仍中断，请把此信息告知系统管理员。")
        return "failed"
    return "done"


def _stored(audit: Audit) -> Iterator[unpack.Stored]:
    """The upload's files one at a time (a batch's bytes are never all in memory at once)."""
    for pk in audit.files.order_by("position").values_list("pk", flat=True):
        f = AuditFile.objects.get(pk=pk)
        content = bytes(f.content) if f.content is not None else None
        yield unpack.Stored(f.name, f.size, content, f.refused)


class _Paths:
    """Turns the temporary folder's paths back into the names of the upload."""

    def __init__(self, root: Path) -> None:
        self.prefix = str(root) + os.sep

    def rel(self, path: str | None) -> str:
        if not path:
            return ""
        return path[len(self.prefix):].replace(os.sep, "/") if path.startswith(self.prefix) else path

    def clean(self, value: Any) -> Any:
        """``value`` (JSON data) with every temporary path made relative, and storable: PostgreSQL
        takes no NUL and no lone surrogate in text (a PDF's text layer may hold either)."""
        if isinstance(value, str):
            if self.prefix in value:
                value = value.replace(self.prefix, "")
            if "\x00" in value:
                value = value.replace("\x00", "")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                value = value.encode("utf-8", "replace").decode("utf-8")
            return value
        if isinstance(value, list):
            return [self.clean(v) for v in value]
        if isinstance(value, dict):
            return {k: self.clean(v) for k, v in value.items()}
        return value


def _entry(audit: Audit, rr: ReportResult, paths: _Paths) -> AuditEntry:
    errors, warnings, infos = rr.count("error"), rr.count("warning"), rr.count("info")
    if not rr.read:
        status = AuditEntry.Status.UNREADABLE
    elif errors:
        status = AuditEntry.Status.ERRORS
    elif warnings:
        status = AuditEntry.Status.WARNINGS
    else:
        status = AuditEntry.Status.OK
    source = paths.clean(paths.rel(rr.source or rr.ref))
    label = paths.clean(rr.label or "")
    return AuditEntry(
        audit=audit, position=rr.index, source=source[:700],
        other_forms=[paths.clean(paths.rel(o)) for o in rr.other_forms],
        label=(label if label != source else "")[:300], agency=paths.clean(rr.agency or "")[:200], year=rr.year,
        status=status, errors=errors, warnings=warnings, infos=infos, notices=len(rr.notices),
        reason=paths.clean(rr.unreadable or ""), findings=paths.clean([f.to_dict() for f in rr.findings]))


def _beat(audit: Audit, **fields: Any) -> None:
    fields["heartbeat"] = timezone.now()
    for k, v in fields.items():
        setattr(audit, k, v)
    audit.save(update_fields=list(fields))


#: results are stored (and progress reported) at least this often, and at most this many at once
FLUSH_SECONDS = 1.0
FLUSH_ROWS = 50


def _flush(audit: Audit, pending: list[AuditEntry], done: int) -> None:
    with transaction.atomic():
        AuditEntry.objects.bulk_create(pending)
        _beat(audit, done=done)
    pending.clear()


def check(audit: Audit) -> None:
    """Lay the upload out, read and check it, store each result as it comes."""
    with tempfile.TemporaryDirectory(prefix="gongkai-audit-") as tmp:
        root = Path(tmp) / "upload"
        problems = unpack.lay_out(_stored(audit), root, limits())
        paths = _Paths(root)
        batch = gongkai.check_files([root], workers=settings.GONGKAI_AUDIT_WORKERS)
        _beat(audit, total=len(batch.inputs))
        if settings.GONGKAI_AUDIT_WORKERS != 1:
            # the library forks reader processes: they must not inherit this process's database
            # connections (a child closing one at exit would end the parent's session); reopened on use
            connections.close_all()
        results: list[ReportResult] = []
        pending: list[AuditEntry] = []
        last = time.monotonic()
        for rr in batch:
            rr.digest = None  # the batch keeps its own for the comparisons across reports
            pending.append(_entry(audit, rr, paths))
            results.append(rr)
            # rows and progress go out together, at most every FLUSH_SECONDS (fewer commits)
            if time.monotonic() - last >= FLUSH_SECONDS or len(pending) >= FLUSH_ROWS:
                _flush(audit, pending, len(results))
                last = time.monotonic()
        _flush(audit, pending, len(results))
        if batch.across:
            touched = {i for i, _ in batch.across}
            merge_across(results, batch.across)
            for rr in results:
                if rr.index in touched:
                    AuditEntry.objects.filter(audit=audit, position=rr.index).delete()
                    _entry(audit, rr, paths).save()
        skipped = [Skipped(paths.clean(p.source), paths.clean(p.reason)) for p in problems]
        skipped += [Skipped(paths.clean(paths.rel(s.source)), paths.clean(s.reason)) for s in batch.skipped]
        AuditEntry.objects.bulk_create([
            AuditEntry(audit=audit, position=len(results) + i, source=s.source[:700], status=AuditEntry.Status.SKIPPED,
                       reason=s.reason) for i, s in enumerate(skipped)])
        result = CheckResult(results, skipped)
        summary = result.summary_dict()
        summary["line"] = result.summary()
        _beat(audit, status=Audit.Status.DONE, finished_at=timezone.now(), summary=summary)
