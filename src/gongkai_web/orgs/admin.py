"""The administrators' pages for agencies and people (nothing can be deleted here)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import Agency, User


class AdminOnly:
    """System administrators (role 系统管理员) manage agencies and people here; nothing is deleted.
    Administrators are not Django superusers: their rights come from ``permissions`` like
    everyone's, so they cannot edit an agency's report."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("orgs.manage_agencies"))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.has_perm("orgs.manage_agencies"))

    has_add_permission = has_module_permission

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.has_perm("orgs.manage_agencies"))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Agency)
class AgencyAdmin(AdminOnly, TreeAdmin):
    form = movenodeform_factory(Agency)
    list_display = ("name", "kind", "level", "active")
    list_filter = ("kind", "level", "active")
    search_fields = ("name",)


@admin.register(User)
class AccountAdmin(AdminOnly, SimpleHistoryAdmin, UserAdmin):
    list_display = ("username", "full_name", "agency", "role", "is_active", "is_demo")
    list_filter = ("role", "is_active", "is_demo")
    search_fields = ("username", "full_name", "agency__name")
    fieldsets = (*(UserAdmin.fieldsets or ()), ("机关和角色", {"fields": ("full_name", "agency", "role", "is_demo")}))
    autocomplete_fields = ("agency",)
