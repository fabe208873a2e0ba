"""Changes to agencies and people, one function per thing an administrator does.

Each checks the permission, changes the state and leaves the record to django-simple-history
(the actor is stamped on the historical row).  Nothing is hard-deleted: agencies are
deactivated, people made inactive.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from gongkai.agency import AGENCY_KINDS

from .models import Agency, Level, Role, User


class OrgError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _require(actor: User | None, perm: str) -> None:
    # ``actor=None`` is the system itself (set-up commands, migrations of data)
    if actor is not None and not actor.has_perm(perm):
        raise PermissionDenied


def create_agency(actor: User | None, *, name: str, kind: str, level: str, parent: Agency | None = None) -> Agency:
    _require(actor, "orgs.manage_agencies")
    name = name.strip()
    if not name:
        raise OrgError("机关名称不能为空")
    if kind not in AGENCY_KINDS:
        raise OrgError(f"机关类别应为{'、'.join(AGENCY_KINDS.values())}之一")
    if level not in Level.values:
        raise OrgError(f"层级应为{'、'.join(Level.labels)}之一")
    if Agency.objects.filter(name=name).exists():
        raise OrgError(f"已有名为“{name}”的机关")
    with transaction.atomic():
        fields = {"name": name, "kind": kind, "level": level}
        agency: Agency = (Agency.objects.add_child(parent, fields) if parent is not None
                          else Agency.objects.add_root(fields))
    return agency


def deactivate_agency(actor: User | None, agency: Agency) -> Agency:
    _require(actor, "orgs.manage_agencies")
    agency.active = False
    agency._history_user = actor
    agency.save()
    return agency


def create_user(actor: User | None, *, username: str, password: str, agency: Agency | None, role: str,
                full_name: str = "", is_demo: bool = False) -> User:
    _require(actor, "orgs.manage_users")
    if role not in Role.values:
        raise OrgError(f"角色应为{'、'.join(Role.labels)}之一")
    if role != Role.ADMIN and agency is None:
        raise OrgError(f"{Role(role).label}必须属于一个机关")
    if User.objects.filter(username=username).exists():
        raise OrgError(f"用户名“{username}”已被使用")
    user = User(username=username, agency=agency, role=role, full_name=full_name, is_demo=is_demo,
                is_staff=role == Role.ADMIN)
    user.set_password(password)
    user._history_user = actor  # type: ignore[attr-defined]
    user.save()
    return user


def change_role(actor: User | None, user: User, role: str, agency: Agency | None = None) -> User:
    _require(actor, "orgs.manage_users")
    if role not in Role.values:
        raise OrgError(f"角色应为{'、'.join(Role.labels)}之一")
    user.role = role
    if agency is not None:
        user.agency = agency
    user.is_staff = role == Role.ADMIN
    user._history_user = actor  # type: ignore[attr-defined]
    user.save()
    return user


def deactivate_user(actor: User | None, user: User) -> User:
    _require(actor, "orgs.manage_users")
    user.is_active = False
    user._history_user = actor  # type: ignore[attr-defined]
    user.save()
    return user
