"""Agencies and people.

An ``Agency`` is a node of one tree (django-treebeard materialized path): a 市 government holds
its offices, departments and 县; a 县 holds its departments and 乡镇.  Its ``kind`` is the
library's (``gongkai.agency.AGENCY_KINDS``): the library decides deadlines and required content
from it, so every report the app hands to the library carries it.

A ``User`` belongs to one agency with one role.  A 主管部门 user supervises the subtree rooted at
their agency.  Nothing here is hard-deleted by a normal user: agencies are deactivated, users
made inactive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from gongkai.agency import AGENCY_KINDS

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class Level(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡级"


class Role(models.TextChoices):
    DRAFTER = "drafter", "填报人"
    APPROVER = "approver", "审核人"
    SUPERVISOR = "supervisor", "主管部门"
    ADMIN = "admin", "系统管理员"


KIND_CHOICES = list(AGENCY_KINDS.items())


class AgencyQuerySet(MP_NodeQuerySet):
    def for_user(self, user: User | AnonymousUser) -> AgencyQuerySet:
        """The agencies this user may see (the same answer as ``orgs.view_agency``)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        assert isinstance(user, User)
        if user.role == Role.ADMIN:
            return self.all()
        if user.agency_id is None:
            return self.none()
        if user.role == Role.SUPERVISOR and user.agency is not None:
            return self.filter(path__startswith=user.agency.path)
        return self.filter(pk=user.agency_id)

    def subtree(self, root: Agency) -> AgencyQuerySet:
        """``root`` and every agency below it."""
        return self.filter(path__startswith=root.path)


class AgencyManager(MP_NodeManager.from_queryset(AgencyQuerySet)):  # type: ignore[misc]
    def get_queryset(self) -> AgencyQuerySet:
        return AgencyQuerySet(self.model, using=self._db).order_by("path")


class Agency(MP_Node):
    name: models.CharField[str, str] = models.CharField("机关名称", max_length=100, unique=True,
                            help_text="报告上署名的全称，如“方正县会发镇人民政府”")
    kind: models.CharField[str, str] = models.CharField("机关类别", max_length=32, choices=KIND_CHOICES,
                            help_text="决定年报的发布期限和必备内容（条例第四十九条、第五十条）")
    level: models.CharField[str, str] = models.CharField("层级", max_length=16, choices=Level.choices)
    active: models.BooleanField[bool, bool] = models.BooleanField("在用", default=True)

    steplen = 4
    objects = AgencyManager()
    history = HistoricalRecords(excluded_fields=["numchild"])

    class Meta:
        verbose_name = "机关"
        verbose_name_plural = "机关"

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        return AGENCY_KINDS.get(self.kind, self.kind)

    def is_in_subtree_of(self, root: Agency) -> bool:
        return self.path.startswith(root.path)


class AccountManager(UserManager["User"]):
    def for_user(self, user: User | AnonymousUser) -> models.QuerySet[User]:
        """The people this user may see: themselves; an administrator everyone; a supervisor the
        people of their subtree."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        assert isinstance(user, User)
        if user.role == Role.ADMIN:
            return self.all()
        if user.role == Role.SUPERVISOR and user.agency is not None:
            return self.filter(agency__path__startswith=user.agency.path)
        return self.filter(pk=user.pk)


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=50, blank=True)
    agency = models.ForeignKey(Agency, verbose_name="所在机关", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="members")
    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.DRAFTER)
    #: a demo account (listed in the README); refused by the production settings
    is_demo = models.BooleanField("演示账号", default=False)

    objects = AccountManager()  # type: ignore[misc]
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display(self) -> str:
        """How the UI names the person: 姓名（角色，机关）."""
        where = f"，{self.agency.name}" if self.agency is not None else ""
        return f"{self}（{self.get_role_display()}{where}）"
