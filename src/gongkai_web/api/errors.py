"""Every refusal of the API as ``{"detail": "<中文说明>", "errors": {"<键>": ["…"]}}``.

``detail`` is one Chinese sentence a person can read (it names the key); ``errors`` (only for
bad input) lists the messages per key path (``tables.requests.new.total``).  The library's and
the actions' refusals become 400/403/409 here, so views only call actions.  Nothing becomes a
traceback: an unexpected exception is left to Django (500, logged), which the schemathesis test
proves does not happen.
"""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django_fsm import TransitionNotAllowed
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from gongkai.errors import GongkaiError
from gongkai_web.reports import actions, library


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "报告的状态或内容已变化，不能进行这项操作"
    default_code = "conflict"


class BadInput(exceptions.APIException):
    """400 naming the key (``key`` = path such as ``tables.requests.new.total``)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, key: str | None, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for k, v in detail.items():
            key = str(k) if k != "non_field_errors" else ""
            for kk, vv in _flatten(v, f"{prefix}.{key}" if prefix and key else (key or prefix)).items():
                out.setdefault(kk, []).extend(vv)
    elif isinstance(detail, list):
        for v in detail:
            for kk, vv in _flatten(v, prefix).items():
                out.setdefault(kk, []).extend(vv)
    else:
        out.setdefault(prefix, []).append(str(detail))
    return out


def _sentence(errors: dict[str, list[str]]) -> str:
    parts = []
    for key, messages in errors.items():
        for m in messages:
            parts.append(f"“{key}”：{m}" if key and not m.startswith(f"“{key}”") else m)
    return "；".join(parts)


def throttled_message(wait: float | None) -> str:
    """429: how long to wait, in whole seconds (also in the Retry-After header)."""
    later = f"请在{max(1, math.ceil(wait))}秒后再试" if wait is not None else "请稍后再试"
    return f"调用过于频繁：已超过数据接口的频率限制（按令牌或客户端地址计算），{later}"


def handle(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, BadInput):
        errors = {exc.key or "": [exc.message]}
        return Response({"detail": _sentence(errors), "errors": errors}, status=400)
    if isinstance(exc, actions.StaleRevision):
        report = exc.report
        who = report.updated_by.display if report.updated_by else "其他人"
        return Response({"detail": f"保存未成功：您读取报告之后，{who}又修改并保存了它（现在是第{report.revision}次修改，"
                                   f"您提交的修改基于第{exc.seen}次）。请重新读取报告，在最新内容上修改后再提交；"
                                   f"报告没有被改动。",
                         "revision": report.revision}, status=409)
    if isinstance(exc, actions.PublishBlocked):
        return Response({"detail": exc.message, "errors_count": exc.errors}, status=409)
    if isinstance(exc, actions.ActionError | library.Refusal):
        return Response({"detail": exc.message}, status=400)
    if isinstance(exc, GongkaiError):
        return Response({"detail": exc.message}, status=400)
    if isinstance(exc, TransitionNotAllowed):
        return Response({"detail": "报告当前的状态不能进行这项操作"}, status=409)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied("您没有执行该操作的权限")
    if isinstance(exc, exceptions.Throttled):
        exc.detail = exceptions.ErrorDetail(throttled_message(getattr(exc, "wait", None)), code="throttled")
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        response.data = {"detail": _sentence(errors), "errors": errors}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    return response
