"""The JSON model's schema, and its JSON text read and written exactly and safely.

``model_schema()`` (JSON Schema, draft-07) says the type of every key the model has; it is checked
with ``fastjsonschema`` (the schema compiled once to Python: a model with provenance is checked in a few
milliseconds, several times faster than interpreting it) before anything is built, so a wrong type anywhere is one Chinese message naming the
key's path (“provenance.tables.requests.new.total.loc”应为对象).  What the schema cannot say is
checked while the text is read (``loads``) or walked (``check_model``):

- no ``NaN``/``Infinity``; integer literals of at most ``MAX_INT_DIGITS`` digits; decimals of at most
  ``MAX_DECIMAL_CHARS`` characters and a modest exponent (numbers are read as ``int``/``Decimal``,
  never through ``float``);
- nesting at most ``MAX_DEPTH`` levels (the model itself has 7);
- text that cannot be encoded as UTF-8 (lone surrogates such as ``"\\ud800"``).

The rest (which tables, rows and columns a format declares; dates) is ``Report.from_dict``'s business.

``dumps`` writes a model exactly: ``Decimal`` amounts as JSON numbers with every digit (simplejson's
``use_decimal``), so ``979.66`` stays ``979.66`` and ``12345678901234.56789`` survives.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import TYPE_CHECKING, Any

from .agency import AGENCY_KINDS
from .errors import ModelError
from .formats import FORMATS, SECTION_KEYS, TABLE_KEYS

if TYPE_CHECKING:
    from fastjsonschema import JsonSchemaValueException

#: the deepest nesting read (the model has 7 levels: provenance.tables.t.row.col.loc.line)
MAX_DEPTH = 32
#: the longest integer literal read (a count or an amount has a few digits)
MAX_INT_DIGITS = 20
#: the longest decimal literal read, and the largest decimal exponent
MAX_DECIMAL_CHARS = 40
MAX_EXPONENT = 20

_STR = {"type": "string"}
_STR_OR_NULL = {"type": ["string", "null"]}
_INT_OR_NULL = {"type": ["integer", "null"]}


def _map(values: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": values}


def model_schema(format_ids: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The model's JSON Schema for the formats declared (``gongkai.formats.FORMATS``)."""
    return _schema(tuple(FORMATS) if format_ids is None else format_ids)


def _schema(format_ids: tuple[str, ...]) -> dict[str, Any]:
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "政府信息公开工作年度报告（gongkai 数据模型）",
        "type": "object",
        "required": ["format"],
        "properties": {
            "format": {"enum": list(format_ids)},
            "agency": _STR_OR_NULL,
            "agency_kind": {"enum": [*AGENCY_KINDS, None]},
            "agency_kind_guessed": {"type": "boolean"},
            "ref": _STR_OR_NULL,
            "year": {"type": ["integer", "null"], "minimum": 1900, "maximum": 2999},
            "published": _STR_OR_NULL,
            "period": {"type": ["array", "null"], "minItems": 2, "maxItems": 2, "items": _STR_OR_NULL},
            "title": _STR_OR_NULL,
            "preamble": _STR_OR_NULL,
            "portal": _STR_OR_NULL,
            "contact": _map(_STR),
            "tables": {"type": "object", "propertyNames": {"enum": list(TABLE_KEYS)},
                       "additionalProperties": _map(_map({"$ref": "#/definitions/value"}))},
            "sections": {"type": "object", "propertyNames": {"enum": list(SECTION_KEYS)},
                         "additionalProperties": _STR},
            "source": _STR_OR_NULL,
            "provenance": {
                "type": "object",
                "properties": {
                    "tables": _map(_map(_map({"$ref": "#/definitions/cell"}))),
                    "headings": _map({"$ref": "#/definitions/cell"}),
                    "meta": _map({"$ref": "#/definitions/cell"}),
                },
            },
            "warnings": {"type": "array", "items": {
                "type": "object", "required": ["code", "message"],
                "properties": {"code": _STR, "message": _STR, "loc": {"$ref": "#/definitions/loc"}}}},
        },
        "definitions": {
            # 12, 0.35, "NA" (not applicable), null (blank); printed text such as "1,234" is read as printed
            "value": {"type": ["integer", "number", "string", "null"]},
            "cell": {"type": "object", "properties": {
                "text": _STR_OR_NULL, "loc": {"$ref": "#/definitions/loc"}, "unit": _STR_OR_NULL, "note": _STR_OR_NULL,
                "evidence": _STR_OR_NULL, "uncertain": {"type": "boolean"}}},
            "loc": {"type": "object", "properties": {
                "line": _INT_OR_NULL, "page": _INT_OR_NULL, "table": _INT_OR_NULL, "row": _INT_OR_NULL,
                "col": _INT_OR_NULL, "sheet": _STR_OR_NULL}},
        },
    }

_TYPE_NAMES = {"object": "对象", "array": "列表", "string": "文字", "integer": "整数", "number": "数字",
               "boolean": "true 或 false", "null": "null"}


# -- reading the text ------------------------------------------------------------------------------

def _int(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_INT_DIGITS:
        raise ModelError(f"整数位数过多（{_cut(literal)}，超过 {MAX_INT_DIGITS} 位）")
    return int(literal)


def _decimal(literal: str) -> Decimal:
    try:
        d = Decimal(literal)
    except InvalidOperation:  # pragma: no cover - the JSON grammar only passes numbers here
        raise ModelError(f"无法识别的数字：{_cut(literal)}") from None
    if len(literal) > MAX_DECIMAL_CHARS or abs(d.adjusted()) > MAX_EXPONENT:
        raise ModelError(f"数字过大或位数过多：{_cut(literal)}")
    return d


def _constant(name: str) -> None:
    raise ModelError(f"JSON 中不能有 {name}（不是有效的数字）")


def _cut(text: str, n: int = 24) -> str:
    return text if len(text) <= n else f"{text[:n]}…"


def loads(text: str, *, trusted: bool = False) -> Any:
    """JSON text → Python data, numbers as ``int``/``Decimal``; what cannot be read is a ``ModelError``.
    ``trusted``: text ``dumps`` wrote and the caller stored itself (a web app's saved document):
    numbers are read without the size checks that guard against hostile input (a Python call per
    number, most of the time of reading a report)."""
    try:
        if trusted:
            return json.loads(text, parse_float=Decimal, parse_constant=_constant)
        return json.loads(text, parse_int=_int, parse_float=_decimal, parse_constant=_constant)
    except json.JSONDecodeError as e:
        raise ModelError(f"JSON 格式错误（第{e.lineno}行第{e.colno}列）：{e.msg}") from None
    except RecursionError:
        raise ModelError(f"JSON 嵌套层数过深（超过 {MAX_DEPTH} 层）") from None


def dumps(data: Any, *, indent: int | None = 2) -> str:
    """Python data → JSON text, ``Decimal`` written exactly as a number."""
    import simplejson

    text: str = simplejson.dumps(data, use_decimal=True, ensure_ascii=False, indent=indent)
    return text


# -- checking the data -----------------------------------------------------------------------------

def path_text(path: Any) -> str:
    """``["provenance", "tables", "requests", 0]`` → ``provenance.tables.requests[0]``."""
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _walk(raw: Any) -> None:
    """Depth and encodable text, without recursion (a deep document cannot overflow the stack)."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(raw, ())]
    while stack:
        node, path = stack.pop()
        if len(path) > MAX_DEPTH:
            raise ModelError(f"“{path_text(path[:MAX_DEPTH])}”下嵌套层数过深（超过 {MAX_DEPTH} 层）")
        if isinstance(node, dict):
            for k, v in node.items():
                if not isinstance(k, str):
                    raise ModelError(f"“{path_text(path) or '顶层'}”的键应为文字：{k!r}")
                _encodable(k, path, key=True)
                stack.append((v, (*path, k)))
        elif isinstance(node, list | tuple):
            stack.extend((v, (*path, i)) for i, v in enumerate(node))
        elif isinstance(node, str):
            _encodable(node, path)


def _encodable(text: str, path: tuple[str | int, ...], key: bool = False) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        bad = f"U+{ord(text[e.start]):04X}"
        where = path_text(path) or "顶层"
        what = "有一个键" if key else "的文字"
        raise ModelError(f"“{where}”{what}含有无法编码的字符（{bad}，孤立的代理码位），无法保存或输出") from None


@cache
def _validator(format_ids: tuple[str, ...]) -> Callable[[Any], Any]:
    import fastjsonschema

    validate: Callable[[Any], Any] = fastjsonschema.compile(_schema(format_ids))
    return validate


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "对象"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return f"文字“{_cut(value)}”"
    return _cut(str(value))


def _message(err: JsonSchemaValueException) -> str:
    where = (err.name or "data").removeprefix("data").lstrip(".")
    name = f"“{where}”" if where else "年报数据"
    rule = err.rule
    want = err.rule_definition
    if rule == "required":
        have = err.value if isinstance(err.value, dict) else {}
        missing = next((k for k in want if k not in have), "?")
        if missing == "format" and not where:
            return f"缺少“format”（全国统一格式的版本：{'、'.join(FORMATS)}）"
        return f"{name}缺少“{missing}”"
    if rule == "type":
        types = want if isinstance(want, list) else [want]
        return f"{name}应为{'或'.join(_TYPE_NAMES.get(str(t), str(t)) for t in types)}（实际是 {_show(err.value)}）"
    if rule == "enum":
        options = "、".join("null" if o is None else str(o) for o in want)
        return f"{name}应为 {options} 之一：{_show(err.value)}"
    if rule == "propertyNames":
        allowed = want.get("enum", []) if isinstance(want, dict) else []
        bad = next((k for k in err.value if k not in allowed), "?") if isinstance(err.value, dict) else "?"
        if where == "tables":
            return f"未知的表格“{_cut(bad)}”（应为 {'、'.join(TABLE_KEYS)}）"
        if where == "sections":
            return f"未知的章节键“{_cut(bad)}”（应为 {'、'.join(SECTION_KEYS)}）"
        return f"{name}有未知的键“{_cut(bad)}”"  # pragma: no cover - only tables and sections name their keys
    if rule in ("minItems", "maxItems") and where == "period":
        return "“period”应为两个日期组成的列表"
    if rule in ("minimum", "maximum"):
        return f"{name}应在 1900 到 2999 之间：{_show(err.value)}"
    return f"{name}不符合数据模型（{rule}）"  # pragma: no cover - every rule of the schema is named above


def check_model(raw: Any) -> None:
    """Raise one ``ModelError`` naming the first key (by path) whose value does not fit the model."""
    if not isinstance(raw, dict):
        raise ModelError(f"报告数据应为 JSON 对象（实际是 {_show(raw)}）")
    _walk(raw)
    from fastjsonschema import JsonSchemaValueException

    try:
        _validator(tuple(FORMATS))(raw)
    except JsonSchemaValueException as e:
        raise ModelError(_message(e)) from None


__all__ = ["MAX_DEPTH", "MAX_INT_DIGITS", "check_model", "dumps", "loads", "model_schema", "path_text"]
