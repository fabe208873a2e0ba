"""OpenAPI: the report document is the library's own JSON Schema (``gongkai.schema.model_schema``),
so the schema the API publishes and the one the library checks are one.  Its draft-07
``definitions`` become components (``ReportModelValue`` …); the API's schema is OpenAPI 3.1, whose
schema objects are JSON Schema, so nothing else changes."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent

from gongkai.schema import model_schema

PREFIX = "ReportModel"


def _rewrite(node: Any) -> Any:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str) and v.startswith("#/definitions/"):
                out[k] = f"#/components/schemas/{PREFIX}{v.removeprefix('#/definitions/').capitalize()}"
            else:
                out[k] = _rewrite(v)
        if "enum" in out and "type" not in out:  # OpenAPI tools want the type beside an enum
            out["type"] = ["string", "null"] if None in out["enum"] else "string"
        return out
    if isinstance(node, list):
        return [_rewrite(v) for v in node]
    return node


def model_components() -> dict[str, dict[str, Any]]:
    """``ReportModel`` and its definitions, as OpenAPI components."""
    raw = dict(model_schema())
    raw.pop("$schema", None)
    definitions = raw.pop("definitions", {})
    out = {PREFIX: _rewrite(raw)}
    for name, sub in definitions.items():
        out[f"{PREFIX}{name.capitalize()}"] = _rewrite(sub)
    return out


def _register(auto_schema: Any) -> dict[str, Any]:
    ref: dict[str, Any] = {}
    for name, sub in model_components().items():
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, schema=sub, object=name)
        auto_schema.registry.register_on_missing(component)
        if name == PREFIX:
            ref = component.ref
    return ref


class DocumentFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "gongkai_web.api.serializers.DocumentField"

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        return _register(auto_schema)


class TablesFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "gongkai_web.api.serializers.TablesField"

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        value = {"$ref": f"#/components/schemas/{PREFIX}Value"}
        _register(auto_schema)
        return {"type": "object", "description": "表 → 行 → 列 → 值（数字、\"NA\" 不适用、null 空白，或如 \"12万元\" 的文字）",
                "additionalProperties": {"type": "object", "additionalProperties": {
                    "type": "object", "additionalProperties": value}}}


THROTTLED = {"description": "调用过于频繁（超过频率限制）：请按 Retry-After 头给出的秒数稍后再试",
             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def document_throttling(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Every operation may answer 429 (``throttling``): say so in each one's responses."""
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete") and isinstance(operation, dict):
                operation.setdefault("responses", {}).setdefault("429", THROTTLED)
    return result
