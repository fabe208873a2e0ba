"""JSON in and out through the library's exact JSON (``gongkai.schema``).

Amounts stay exact ``Decimal`` both ways (979.66 is never a float), ``NaN``/``Infinity``, huge
literals and deep nesting are refused with a Chinese message, and a body larger than
``GONGKAI_API_MAX_BODY`` is refused before it is read whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import simplejson
from django.conf import settings
from django.utils.encoding import force_str
from django.utils.functional import Promise
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from gongkai import schema
from gongkai.errors import GongkaiError


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def max_body() -> int:
    return int(getattr(settings, "GONGKAI_API_MAX_BODY", 5 * 1024 * 1024))


class ModelJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
              ) -> Any:
        limit = max_body()
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise BodyTooLarge(f"请求内容过大（超过 {limit // 1024 // 1024} MB）")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise ParseError(f"请求内容不是 UTF-8 编码的文字（第{e.start + 1}个字节）") from None
        if not text.strip():
            return {}
        try:
            return schema.loads(text)
        except GongkaiError as e:
            raise ParseError(e.message) from None


class _Encoder(JSONEncoder):
    def default(self, obj: Any) -> Any:
        if isinstance(obj, Promise):
            return force_str(obj)
        return super().default(obj)


class ModelJSONRenderer(JSONRenderer):
    """DRF's JSON renderer writing ``Decimal`` exactly (simplejson ``use_decimal``), UTF-8 text."""

    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None,
               renderer_context: Mapping[str, Any] | None = None) -> bytes:
        if data is None:
            return b""
        text: str = simplejson.dumps(data, use_decimal=True, ensure_ascii=False, default=_Encoder().default,
                                     separators=(",", ":"))
        return text.encode("utf-8")


class UploadParser(MultiPartParser):
    """multipart/form-data for the import endpoint, with a Chinese message when it cannot be read."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
              ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except ParseError:
            raise ParseError("上传的内容无法读取（multipart/form-data 格式有误）") from None
