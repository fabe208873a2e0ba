"""API tokens in the administrators' pages: issuing and revoking go through ``api.actions``
(system administrators only; the key shows in the list so it can be handed to the province)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from gongkai_web.orgs.models import User

from . import actions

TokenProxy._meta.verbose_name = TokenProxy._meta.verbose_name_plural = "数据接口令牌"

if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class ApiTokenAdmin(TokenAdmin):
    autocomplete_fields = ("user",)

    def _allowed(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("orgs.manage_users"))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        assert isinstance(request.user, User)
        token = actions.issue_token(request.user, obj.user)
        obj.key, obj.created = token.key, token.created
        obj._state.adding = False

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        assert isinstance(request.user, User)
        actions.revoke_token(request.user, obj.user)
