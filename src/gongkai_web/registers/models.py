"""The registers table 二 is counted from, per agency.

* ``Document`` — a 规章 or 行政规范性文件: 文号, title, date of issue and, once repealed, date of repeal.
  The year's “本年制发 / 本年废止 / 现行有效” are counted from these dates (现行有效 on 31 December).
* ``Month`` — one month of an agency's 行政许可 / 行政处罚 / 行政强制 decision counts and its
  行政事业性收费 in 万元 (an exact decimal; blank = not entered).
* ``RegisterEvent`` — the readable log: who changed what, when.

The library's ``gongkai.ledger.Registers`` is built from these rows (``queries.registers_for``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.ledger.records import DOCUMENT_KINDS
from gongkai_web.orgs.models import Agency

#: 万元 kept to 0.000001 (one fen): an amount finer than that is refused, never rounded
FEE_PLACES = 6


class Document(models.Model):
    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField("类别", max_length=24, choices=list(DOCUMENT_KINDS.items()))
    title = models.CharField("名称", max_length=300)
    number = models.CharField("文号", max_length=100)
    issued = models.DateField("印发日期")
    repealed = models.DateField("废止日期", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "规章和规范性文件"
        verbose_name_plural = "规章和规范性文件"
        ordering = ["agency", "-issued", "number"]
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="one_document_number")]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）"


class Month(models.Model):
    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="register_months")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    licensing = models.PositiveIntegerField("行政许可", null=True, blank=True)
    punishment = models.PositiveIntegerField("行政处罚", null=True, blank=True)
    coercion = models.PositiveIntegerField("行政强制", null=True, blank=True)
    fee = models.DecimalField("行政事业性收费（万元）", max_digits=20, decimal_places=FEE_PLACES, null=True,
                              blank=True)
    updated_at = models.DateTimeField("最后修改", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最后修改人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "处理决定和收费（月）"
        verbose_name_plural = "处理决定和收费（月）"
        ordering = ["agency", "year", "month"]
        constraints = [models.UniqueConstraint(fields=["agency", "year", "month"], name="one_register_month")]

    def __str__(self) -> str:
        return f"{self.agency}{self.year}年{self.month}月"

    @property
    def empty(self) -> bool:
        return all(getattr(self, f) is None for f in ("licensing", "punishment", "coercion", "fee"))


class RegisterEvent(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="register_events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    #: what was done, as a person reads it
    text = models.TextField("事项")

    class Meta:
        verbose_name = "登记簿操作记录"
        verbose_name_plural = "登记簿操作记录"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.text


class LedgerStamp(models.Model):
    """A value per agency that the database itself changes whenever a row of the agency's requests,
    appeals or registers (``cases_disclosurerequest``, ``cases_appeal``, ``registers_document``,
    ``registers_month``) is inserted, updated or deleted — triggers made by this app's migrations
    0002 and 0003, statement-level in PostgreSQL, row-level in SQLite.  Year tables computed from
    them are cached under it (``cases.tables.table_three``, ``drill.tables_html``): exact, whoever
    writes, since the value changes in the writing transaction."""

    agency = models.OneToOneField(Agency, primary_key=True, on_delete=models.CASCADE, related_name="+",
                                  db_constraint=False)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "台账版本"
        verbose_name_plural = "台账版本"

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.version}"
