"""``manage.py api_token USERNAME`` issues a new API token (printed once); ``--revoke`` deletes it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai_web.api import actions
from gongkai_web.orgs.models import User


class Command(BaseCommand):
    help = "为用户签发数据接口令牌（旧令牌立即失效），或用 --revoke 吊销"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="用户名")
        parser.add_argument("--revoke", action="store_true", help="吊销该用户的令牌")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"没有用户名为“{options['username']}”的用户")
        if options["revoke"]:
            done = actions.revoke_token(None, user)
            self.stdout.write("已吊销" if done else "该用户没有令牌")
            return
        try:
            token = actions.issue_token(None, user)
        except actions.TokenError as e:
            raise CommandError(e.message) from None
        self.stdout.write(token.key)
