"""Batch checks of published reports: a supervisor uploads files, a folder or a ZIP; a background
job reads and checks them with the library's batch API (``gongkai.check_files``).

``Audit``       one upload and its job (who, when, progress, outcome);
``AuditFile``   each file as uploaded (a ZIP is one file; its members are read by the job); the
                bytes are kept in the database, so any worker on the same database can run the job
                and a failed job can be run again — an upload is never lost;
``AuditEntry``  one row per report read (or file not read) with the library's ``ReportResult`` as
                data: agency, year, counts, findings (reading notices apart), why a file was not read.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from gongkai_web.orgs.models import Role, User


class AuditQuerySet(models.QuerySet["Audit"]):
    def for_user(self, user: Any) -> AuditQuerySet:
        """The batches this user may see (the same answer as ``audits.view_audit``): a supervisor
        their own, an administrator every one, anyone else none."""
        if not isinstance(user, User) or not user.is_active:
            return self.none()
        if user.role == Role.ADMIN:
            return self.all()
        if user.role == Role.SUPERVISOR and user.agency_id is not None:
            return self.filter(created_by=user)
        return self.none()


class Audit(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队等待"
        RUNNING = "running", "正在核查"
        DONE = "done", "已完成"
        FAILED = "failed", "核查中断"

    title = models.CharField("名称", max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT,
                                   related_name="audits")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.QUEUED)
    #: documents to read (known once the job has unpacked the upload) and read so far
    total = models.PositiveIntegerField("待读取文件数", default=0)
    done = models.PositiveIntegerField("已读取文件数", default=0)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    #: the last time the job reported progress (a job that stops reporting has died)
    heartbeat = models.DateTimeField("最近进展", null=True, blank=True)
    #: why the job stopped (status 核查中断), in Chinese
    failure = models.TextField("中断原因", blank=True)
    #: the django-tasks result id of the latest run
    task_id = models.CharField("后台任务编号", max_length=64, blank=True)
    runs = models.PositiveIntegerField("核查次数", default=0)
    #: the library's summary of the run (``CheckResult.summary_dict()`` and its one-line text)
    summary = models.JSONField("汇总", default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "批量核查"
        verbose_name_plural = "批量核查"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0


class AuditFile(models.Model):
    """A file as uploaded.  ``content`` is empty when the file was refused at upload (``refused``
    says why: too large …); the job reports it as a file not read."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField("序号")
    #: the name as uploaded, with the folder path for a folder upload (``年报/2024/某局.pdf``)
    name = models.CharField("文件名", max_length=500)
    size = models.BigIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64, blank=True)
    content = models.BinaryField("内容", null=True, blank=True)
    refused = models.TextField("未保存原因", blank=True)

    class Meta:
        verbose_name = "上传文件"
        verbose_name_plural = "上传文件"
        ordering = ["audit", "position"]
        constraints = [models.UniqueConstraint(fields=["audit", "position"], name="audits_file_position")]

    def __str__(self) -> str:
        return self.name


class AuditEntry(models.Model):
    """One report read by the job, or one file it did not read (``status`` 未读取/无法读取)."""

    class Status(models.TextChoices):
        OK = "ok", "未发现问题"
        WARNINGS = "warnings", "有警告"
        ERRORS = "errors", "有错误"
        UNREADABLE = "unreadable", "无法读取"
        SKIPPED = "skipped", "未读取"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveIntegerField("序号")
    #: the file (path inside the upload; ``某.zip/目录/文件.pdf`` for a ZIP member)
    source = models.CharField("文件", max_length=700)
    other_forms = models.JSONField("同一报告的其他文件", default=list, blank=True)
    label = models.CharField("报告", max_length=300, blank=True)
    agency = models.CharField("机关", max_length=200, blank=True)
    year = models.PositiveIntegerField("年度", null=True, blank=True)
    status = models.CharField("结果", max_length=16, choices=Status.choices)
    errors = models.PositiveIntegerField("错误", default=0)
    warnings = models.PositiveIntegerField("警告", default=0)
    infos = models.PositiveIntegerField("提示", default=0)
    notices = models.PositiveIntegerField("读取提示", default=0)
    #: why the file was not read (status 未读取/无法读取), in Chinese
    reason = models.TextField("原因", blank=True)
    #: the library's findings (``Finding.to_dict()``), document defects and reading notices alike
    findings = models.JSONField("核查结果", default=list, blank=True)

    class Meta:
        verbose_name = "核查结果"
        verbose_name_plural = "核查结果"
        ordering = ["audit", "position"]
        constraints = [models.UniqueConstraint(fields=["audit", "position"], name="audits_entry_position")]

    def __str__(self) -> str:
        return self.label or self.source

    @property
    def document_findings(self) -> list[dict[str, Any]]:
        return [f for f in self.findings if f.get("about") != "reading"]

    @property
    def reading_notices(self) -> list[dict[str, Any]]:
        return [f for f in self.findings if f.get("about") == "reading"]


class AuditEvent(models.Model):
    """What people did with a batch (uploaded, ran again): who and when."""

    class Kind(models.TextChoices):
        UPLOADED = "uploaded", "上传并开始核查"
        RERUN = "rerun", "重新核查"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "批量核查记录"
        verbose_name_plural = "批量核查记录"
        ordering = ["at", "pk"]
