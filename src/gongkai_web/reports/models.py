"""A report as the library's JSON document plus derived rows for SQL sums.

``Report`` is the working copy of one agency's report for one year: ``document`` is exactly
``gongkai.Report.to_dict()`` (keys as in FORMAT.md, provenance and reading notices included);
``ReportCell`` rows are derived from it on every save (one row per present cell, for sums over a
subtree); ``revision`` is the version counter a save must name (a stale second save is refused).

Publishing freezes the working copy into a ``ReportVersion`` (public, never changed again); a
change after publication is a new working copy that becomes the next version when published.
``ReportEvent`` is the readable log of everything people did (who, when, which cell from what to
what); django-simple-history keeps every state of ``Report`` besides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from gongkai import schema
from gongkai_web.orgs.models import Agency

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from gongkai_web.orgs.models import User


if TYPE_CHECKING:
    _TextField = models.TextField[Any, Any]
else:
    _TextField = models.TextField


class DocumentField(_TextField):
    """A report's JSON document, stored as the library wrote it.

    Text rather than ``JSONField``: PostgreSQL's jsonb reorders object keys, and the order of a
    report's sections, headings and cells is part of what the checker reads."""

    description = "报告的 JSON 文档（保持键的顺序）"
    # what the model attribute holds, for django-stubs: a dict (any JSON value), not the text
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    # through the library's JSON (gongkai.schema): amounts stay exact Decimals both ways
    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        return None if value is None else schema.loads(value, trusted=True)  # written by get_prep_value

    def to_python(self, value: Any) -> Any:
        return schema.loads(value) if isinstance(value, str) else value

    def get_prep_value(self, value: Any) -> str | None:
        return None if value is None else schema.dumps(value, indent=None)

    def value_to_string(self, obj: Any) -> str:
        return self.get_prep_value(self.value_from_object(obj)) or ""


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    RETURNED = "returned", "退回修改"
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已审核待发布"
    PUBLISHED = "published", "已发布"


#: states in which the agency's staff may edit the numbers and text
EDITABLE = (Status.DRAFT, Status.RETURNED)


class ReportQuerySet(models.QuerySet["Report"]):
    def for_user(self, user: User | AnonymousUser) -> ReportQuerySet:
        """The reports this user may read (the same answer as ``reports.view_report``)."""
        agencies = Agency.objects.for_user(user)
        return self.filter(agency__in=agencies)

    def editable_by(self, user: User | AnonymousUser) -> ReportQuerySet:
        """The reports this user may edit now (the same answer as ``reports.change_report``)."""
        from gongkai_web.orgs.models import Role

        if not user.is_authenticated or not user.is_active:
            return self.none()
        agency_id = getattr(user, "agency_id", None)
        if getattr(user, "role", None) not in (Role.DRAFTER, Role.APPROVER) or agency_id is None:
            return self.none()
        return self.filter(agency_id=int(agency_id), status__in=EDITABLE)


class Report(models.Model):
    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveSmallIntegerField("年度")
    format_id = models.CharField("格式", max_length=8)
    status = FSMField("状态", default=Status.DRAFT, choices=Status.choices, max_length=16)
    document = DocumentField("报告数据", default=dict)
    revision = models.PositiveIntegerField("修改次数", default=1)
    #: the file a report was imported from ('' when drafted here)
    source_name = models.CharField("导入自文件", max_length=255, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("最后修改", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最后修改人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    #: the last check of the working copy (counts of document findings; reading notices apart)
    errors = models.PositiveIntegerField("错误", default=0)
    warnings = models.PositiveIntegerField("警告", default=0)
    reading_notes = models.PositiveIntegerField("读取提示", default=0)

    objects = ReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        ordering = ["agency__path", "-year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="one_report_per_agency_year")]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self) -> str:
        return f"{self.agency.name}{self.year}年度报告"

    # -- workflow (django-fsm-2); called only by ``reports.actions`` ------------------------
    @transition(field=status, source=list(EDITABLE), target=Status.SUBMITTED)
    def submit(self) -> None:
        """提交审核"""

    @transition(field=status, source=Status.SUBMITTED, target=Status.APPROVED)
    def approve(self) -> None:
        """审核通过"""

    @transition(field=status, source=[Status.SUBMITTED, Status.APPROVED], target=Status.RETURNED)
    def send_back(self) -> None:
        """退回修改"""

    @transition(field=status, source=Status.APPROVED, target=Status.PUBLISHED)
    def publish(self) -> None:
        """发布"""

    @transition(field=status, source=Status.PUBLISHED, target=Status.DRAFT)
    def reopen(self) -> None:
        """修订已发布的报告（发布后即成为新版本）"""

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def latest_version(self) -> ReportVersion | None:
        return self.versions.order_by("-number").first()


class ReportCell(models.Model):
    """One present cell of a report's working copy (derived; rewritten on every save)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="cells")
    table = models.CharField(max_length=16)
    row = models.CharField(max_length=48)
    col = models.CharField(max_length=24)
    #: the number (None when blank or not applicable)
    value = models.DecimalField(max_digits=20, decimal_places=4, null=True)
    #: printed “/” (not applicable)
    na = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "table", "row", "col"], name="one_cell")]
        indexes = [models.Index(fields=["table", "row", "col"])]

    def __str__(self) -> str:
        return f"{self.table}.{self.row}.{self.col}={self.value}"


class ReportCheck(models.Model):
    """The checker's outcome on a report's working copy as last computed (derived; not audited).

    ``key`` names everything the outcome depends on (the checker's code, the report's revision
    and last change, its agency's kind, last year's report and its revision); the report page
    shows ``outcome`` while the key still matches and checks anew otherwise (``checks.py``)."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, primary_key=True, related_name="stored_check")
    key = models.CharField(max_length=200)
    #: {"findings": [...], "reading": [...], "notices": [...]} as ``gongkai.Message.to_dict``
    outcome = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.report_id}:{self.key}"


class ReportVersion(models.Model):
    """A published state of a report: public with its date and what changed from the one before."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本")
    document = DocumentField("报告数据")
    published_at = models.DateTimeField("发布时间")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    #: what changed from the previous version (lines a person reads); empty for the first
    changes = models.JSONField("修改内容", default=list)
    #: why it was published despite error findings ('' when it had none)
    override_reason = models.TextField("带错误发布的理由", blank=True)
    errors = models.PositiveIntegerField("错误", default=0)
    warnings = models.PositiveIntegerField("警告", default=0)

    class Meta:
        verbose_name = "发布版本"
        verbose_name_plural = "发布版本"
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="one_version_number")]

    def __str__(self) -> str:
        return f"{self.report}（第{self.number}版）"


class EventKind(models.TextChoices):
    CREATED = "created", "新建"
    IMPORTED = "imported", "导入"
    EDITED = "edited", "修改"
    SUBMITTED = "submitted", "提交审核"
    APPROVED = "approved", "审核通过"
    RETURNED = "returned", "退回修改"
    PUBLISHED = "published", "发布"
    REOPENED = "reopened", "修订"
    COMMENTED = "commented", "意见"


class ReportEvent(models.Model):
    """One thing a person did to a report, as a person reads it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=16, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    #: the revision the report had after this event
    revision = models.PositiveIntegerField("修改次数")
    comment = models.TextField("说明", blank=True)
    #: cell and section changes: [{"kind": "cell", "table", "row", "col", "label", "old", "new"} |
    #: {"kind": "section", "key", "label", "old", "new"} | {"kind": "meta", ...}]
    changes = models.JSONField("修改内容", default=list)

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.report}"

    def changes_list(self) -> list[dict[str, Any]]:
        return list(self.changes or [])
