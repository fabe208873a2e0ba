"""The case ledger (依申请公开台账) in the database: requests as their stored engine events.

A ``DisclosureRequest`` row holds who asked what and, in ``RequestEvent`` rows (in the order they
were recorded), every step as ``gongkai.ledger`` wrote it (``Event.to_dict()``).  The engine's
``Request`` is rebuilt from those events (``queries.library_request``) whenever a date, a status or
a table is needed; the due date is never edited.

What lists and table queries need is copied onto the request row by ``actions.refresh`` from the
engine's clock (status, due date, days left, outcome, closing date), so a due-soon list or table
三 is plain SQL even at 100,000 requests.  ``computed_on`` is the day the status was computed for;
the daily command (``manage.py cases_refresh``) brings every open request up to date.

``Appeal`` rows are the 行政复议 and 行政诉讼 cases (table 四), linked to the requests they
concern.  ``PersonalDataView`` logs every view of an applicant's ID or phone number.
``LetterTemplate`` is an agency's own DOCX template for one kind of letter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

from gongkai.ledger import APPLICANT_KINDS, CHANNELS, OUTCOMES, STATUS_ZH
from gongkai.ledger.clock import PAUSE_ZH
from gongkai.ledger.records import APPEAL_KINDS, APPEAL_RESULTS
from gongkai_web.orgs.models import Agency

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from gongkai_web.orgs.models import User

CHANNEL_CHOICES = [(k, c.label) for k, c in CHANNELS.items()]
KIND_CHOICES = list(APPLICANT_KINDS.items())
OUTCOME_CHOICES = [(k, o.label) for k, o in OUTCOMES.items()]
STATUS_CHOICES = list(STATUS_ZH.items())


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    CREDIT_CODE = "credit_code", "统一社会信用代码"
    OTHER = "other", "其他证件"


class Delivery(models.TextChoices):
    """政府信息的提供形式 (条例第二十九条、第四十条)."""

    PAPER = "paper", "纸质文本"
    ELECTRONIC = "electronic", "电子文本"
    DISC = "disc", "光盘、U盘等存储介质"
    INSPECT = "inspect", "当面查阅、抄录"


class Collect(models.TextChoices):
    """获取信息的方式."""

    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    PICKUP = "pickup", "当面领取"
    FAX = "fax", "传真"


class RequestQuerySet(models.QuerySet["DisclosureRequest"]):
    def for_user(self, user: User | AnonymousUser) -> RequestQuerySet:
        """The requests this user may see (the same answer as ``cases.view_request``)."""
        return self.filter(agency__in=Agency.objects.for_user(user))

    def open(self) -> RequestQuerySet:
        return self.filter(closed_on__isnull=True)


class DisclosureRequest(models.Model):
    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT,
                               related_name="disclosure_requests")
    #: the year of receipt; with ``seq`` the tracking number ``2026-0007``
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    number = models.CharField("编号", max_length=40)
    channel = models.CharField("提交渠道", max_length=16, choices=CHANNEL_CHOICES)
    #: 条例第三十一条 (the engine's Received event; copied here for lists)
    received_on = models.DateField("收到申请日期", db_index=True)
    applicant_kind = models.CharField("申请人类型", max_length=24, choices=KIND_CHOICES)
    applicant_name = models.CharField("申请人", max_length=100)
    id_type = models.CharField("证件类型", max_length=16, choices=IdType.choices, blank=True)
    id_number = models.CharField("证件号码", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    address = models.CharField("通信地址", max_length=200, blank=True)
    email = models.CharField("电子邮箱", max_length=100, blank=True)
    subject = models.TextField("所需信息的内容描述")
    delivery = models.CharField("提供形式", max_length=16, choices=Delivery.choices, default=Delivery.PAPER)
    collect = models.CharField("获取方式", max_length=16, choices=Collect.choices, default=Collect.POST)
    #: pieces under 按件计收 (一事一申请: a request with several items may count as several)
    pieces = models.PositiveSmallIntegerField("计件数", default=1)
    #: an earlier request of the same applicant asking the same (for 不予处理：重复申请)
    duplicate_of = models.ForeignKey("self", verbose_name="疑似重复的申请", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    #: imported history (from an Excel 台账) replays without the strict checks of new steps
    imported = models.BooleanField("由台账导入", default=False)

    # -- copied from the engine's clock by actions.refresh --------------------------------------
    status = models.CharField("状态", max_length=16, choices=STATUS_CHOICES, default="open")
    pause_reason = models.CharField("暂停原因", max_length=16, blank=True)
    due = models.DateField("答复期限", null=True, blank=True)
    days_left = models.IntegerField("剩余工作日", null=True, blank=True)
    outcome = models.CharField("办理结果", max_length=48, choices=OUTCOME_CHOICES, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    provisional = models.BooleanField("期限为暂定", default=False)
    calendar = models.CharField("所用日历", max_length=120, blank=True)
    computed_on = models.DateField("状态计算日期", null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("最后修改", auto_now=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-received_on", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "seq"], name="cases_one_seq_per_agency_year"),
            models.UniqueConstraint(fields=["agency", "number"], name="cases_one_number_per_agency"),
        ]
        indexes = [
            # due-soon and overdue lists: open requests of an agency by due date
            models.Index(fields=["agency", "closed_on", "due"], name="cases_open_due"),
            # table 三: an agency's year by outcome and applicant kind
            models.Index(fields=["agency", "received_on", "closed_on"], name="cases_year"),
            models.Index(fields=["agency", "applicant_name"], name="cases_applicant"),
        ]

    def __str__(self) -> str:
        return f"申请{self.number}"

    @property
    def status_label(self) -> str:
        return status_label(self.status, self.pause_reason)

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.outcome)


def status_label(status: str, pause_reason: str) -> str:
    """The status as staff read it (a pause with its reason: 依法暂停计时（等待补正）)."""
    label = STATUS_ZH.get(status, status)
    if status == "paused" and pause_reason in PAUSE_ZH:
        return f"{label}（{PAUSE_ZH[pause_reason]}）"
    return label


def outcome_label(outcome: str) -> str:
    return OUTCOMES[outcome].label if outcome in OUTCOMES else ""


class RequestEvent(models.Model):
    """One step of a request as the engine recorded it (``data`` is ``Event.to_dict()``)."""

    request = models.ForeignKey(DisclosureRequest, verbose_name="申请", on_delete=models.CASCADE,
                                related_name="events")
    seq = models.PositiveSmallIntegerField("顺序")
    type = models.CharField("事件", max_length=32)
    date = models.DateField("日期")
    data = models.JSONField("事件数据")
    #: a note for people (not part of the engine's event)
    note = models.TextField("备注", blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "办理步骤"
        verbose_name_plural = "办理步骤"
        ordering = ["request", "seq"]
        constraints = [models.UniqueConstraint(fields=["request", "seq"], name="cases_event_order")]

    def __str__(self) -> str:
        return f"{self.request}第{self.seq}步 {self.type}"


class AppealQuerySet(models.QuerySet["Appeal"]):
    def for_user(self, user: User | AnonymousUser) -> AppealQuerySet:
        return self.filter(agency__in=Agency.objects.for_user(user))


class Appeal(models.Model):
    """A 行政复议 or 行政诉讼 case about the agency's disclosure work (table 四)."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="appeals")
    number = models.CharField("案件编号", max_length=60)
    kind = models.CharField("类别", max_length=24, choices=list(APPEAL_KINDS.items()))
    filed = models.DateField("收到日期")
    decided = models.DateField("审结日期", null=True, blank=True)
    result = models.CharField("结果", max_length=16, choices=list(APPEAL_RESULTS.items()), blank=True)
    requests = models.ManyToManyField(DisclosureRequest, verbose_name="涉及的申请", blank=True,
                                      related_name="appeals")
    note = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = "行政复议和行政诉讼"
        verbose_name_plural = "行政复议和行政诉讼"
        ordering = ["-filed", "number"]
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="cases_one_appeal_number")]
        indexes = [models.Index(fields=["agency", "filed"], name="cases_appeal_year")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}{self.number}"


class PersonalDataView(models.Model):
    """Who saw an applicant's ID or phone number, when, on which request."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="查看人", on_delete=models.PROTECT,
                             related_name="+")
    request = models.ForeignKey(DisclosureRequest, verbose_name="申请", on_delete=models.CASCADE,
                                related_name="personal_views")
    at = models.DateTimeField("时间", auto_now_add=True)
    what = models.CharField("查看内容", max_length=40)

    class Meta:
        verbose_name = "个人信息查看记录"
        verbose_name_plural = "个人信息查看记录"
        ordering = ["-at"]


class LetterTemplate(models.Model):
    """An agency's own DOCX template (docxtpl) for one kind of letter; the built-in one otherwise."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.CASCADE, related_name="letter_templates")
    kind = models.CharField("文书", max_length=32)
    data = models.BinaryField("模板文件")
    name = models.CharField("文件名", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now=True)

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        constraints = [models.UniqueConstraint(fields=["agency", "kind"], name="cases_one_template_per_kind")]


class CalendarArrangement(models.Model):
    """A year's holiday arrangement (or a local adjustment) an administrator loaded, as the TOML
    file of ``gongkai.calendar``; used on top of the calendar bundled with the library."""

    year = models.PositiveSmallIntegerField("年份")
    text = models.TextField("安排（TOML）")
    notice = models.CharField("通知", max_length=200, blank=True)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="载入人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    loaded_at = models.DateTimeField("载入时间", auto_now_add=True)

    class Meta:
        verbose_name = "放假安排"
        verbose_name_plural = "放假安排"
        ordering = ["year", "loaded_at"]


class StagedImport(models.Model):
    """A 台账 workbook whose preview showed no bad row, kept until the person confirms the import
    (in the database, not in their session: every request of the session would carry the file)."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.CASCADE, related_name="+")
    staged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.CASCADE,
                                  related_name="+")
    name = models.CharField("文件名", max_length=255)
    sha = models.CharField("SHA-256", max_length=64)
    data = models.BinaryField("文件")
    staged_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "待确认的台账文件"
        verbose_name_plural = "待确认的台账文件"
