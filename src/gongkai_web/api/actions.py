"""API tokens, one function per thing a system administrator does.

A token stands for one person: a province's system calling the API with it has exactly that
person's rights (role and agency), no more.  Issuing a token again replaces the old one
(the old key stops working at once); revoking deletes it.  Each action is logged with the actor.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from rest_framework.authtoken.models import Token

from gongkai_web.orgs.models import User

log = logging.getLogger("gongkai_web.api")


class TokenError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _require(actor: User | None) -> None:
    # ``actor=None`` is the system itself (the management command run on the server)
    if actor is not None and not actor.has_perm("orgs.manage_users"):
        raise PermissionDenied


def issue_token(actor: User | None, user: User) -> Token:
    """A new API token for ``user`` (any earlier token of theirs stops working)."""
    _require(actor)
    if not user.is_active:
        raise TokenError(f"用户“{user.username}”已停用，不能签发接口令牌")
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
    log.info("接口令牌已签发：用户 %s，签发人 %s", user.username, actor.username if actor else "系统")
    return token


def revoke_token(actor: User | None, user: User) -> bool:
    """Delete ``user``'s API token; False when they had none."""
    _require(actor)
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        log.info("接口令牌已吊销：用户 %s，操作人 %s", user.username, actor.username if actor else "系统")
    return bool(deleted)


__all__ = ["TokenError", "issue_token", "revoke_token"]
