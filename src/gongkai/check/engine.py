"""The rule engine: a registry of rules, findings as data, selection by id prefix or tag.

A rule is a function registered with ``@rule("t3.E001", title=…, tags={…})``.  Its id names the
area (``t3``), the severity letter (E error / W warning / I info) and a number that is never
reused.  A rule yields ``Finding`` objects; a rule that raises becomes an ``engine.E001``
finding of its own, so one broken rule cannot hide the others.

Two scopes:
  ``report`` rules look at one report: ``fn(report, ctx) -> Iterable[Finding]``;
  ``corpus`` rules look across reports, through their digests: ``fn(digests, ctx)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import GongkaiError
from ..model import Loc

Severity = Literal["error", "warning", "info"]
SEVERITY_LETTER: dict[str, Severity] = {"E": "error", "W": "warning", "I": "info"}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
Scope = Literal["report", "corpus"]
#: whether a finding is about the document's content or about our reading of it
About = Literal["document", "reading"]
ABOUT_ZH = {"document": "报告本身的问题", "reading": "读取不确定（不是机关的错误）"}


@dataclass(slots=True, frozen=True)
class Location:
    """Where a finding points: a table cell (keys and labels), a section sentence, or metadata."""

    table: str | None = None
    row: str | None = None
    column: str | None = None
    #: how a person names the place, e.g. 表三/自然人, 表四/行政复议, 一、总体情况
    label: str | None = None
    section: str | None = None
    #: the narrative sentence the finding quotes
    sentence: str | None = None
    #: where in the source document (from the model's provenance)
    loc: Loc | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {}
        for k in ("table", "row", "column", "label", "section", "sentence"):
            v = getattr(self, k)
            if v is not None:
                d[k] = v
        if self.loc is not None:
            d["loc"] = self.loc.to_dict()
            d["source_place"] = self.loc.describe()
        return d

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Location:
        loc = Loc.from_dict(raw["loc"]) if raw.get("loc") else None
        return cls(**{k: raw.get(k) for k in ("table", "row", "column", "label", "section", "sentence")},
                   loc=loc)


@dataclass(slots=True, frozen=True)
class Finding:
    id: str
    severity: Severity
    message: str
    hint: str | None = None
    at: Location = field(default_factory=Location)
    #: the report the finding is about (its label, e.g. 方正县会发镇人民政府2021年度报告)
    report: str | None = None
    #: the file it was read from
    source: str | None = None
    #: other reports involved (cross-report rules)
    related: tuple[str, ...] = ()
    #: ``document``: a defect of the report; ``reading``: our reading of it is uncertain
    about: About = "document"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "severity": self.severity, "message": self.message,
                             "about": self.about}
        if self.hint:
            d["hint"] = self.hint
        d["location"] = self.at.to_dict()
        d["report"] = self.report
        d["source"] = self.source
        if self.related:
            d["related"] = list(self.related)
        return d

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Finding:
        return cls(id=raw["id"], severity=raw["severity"], message=raw["message"], hint=raw.get("hint"),
                   at=Location.from_dict(raw.get("location") or {}), report=raw.get("report"),
                   source=raw.get("source"), related=tuple(raw.get("related") or ()),
                   about="reading" if raw.get("about") == "reading" else "document")

    def line(self) -> str:
        """One line for a terminal: ``文件:表三/自然人: t3.E001 消息``."""
        head = self.source or self.report or ""
        place = self.at.label or ""
        prefix = ":".join(p for p in (head, place) if p)
        return f"{prefix}: {self.id} {self.message}" if prefix else f"{self.id} {self.message}"


class Draft:
    """What a rule yields before the engine stamps id, severity and report onto it."""

    __slots__ = ("about", "at", "hint", "message", "related")

    def __init__(self, message: str, *, hint: str | None = None, at: Location | None = None,
                 related: Iterable[str] = (), about: About = "document") -> None:
        self.message = message
        self.hint = hint
        self.at = at or Location()
        self.related = tuple(related)
        self.about = about


RuleFn = Callable[..., Iterable[Any]]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: Severity
    tags: frozenset[str]
    scope: Scope
    fn: RuleFn
    #: the RULES.md rule number(s) this implements
    spec: tuple[int, ...] = ()
    #: default hint (a finding may carry a more specific one)
    hint: str | None = None
    #: a short example of the message, for ``gongkai rules ID`` and the docs
    example: str | None = None

    @property
    def area(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def doc(self) -> str:
        return (self.fn.__doc__ or "").strip()


REGISTRY: dict[str, Rule] = {}


def rule(rule_id: str, *, title: str, tags: Iterable[str] = (), severity: Severity | None = None,
         scope: Scope = "report", spec: Iterable[int] = (), hint: str | None = None,
         example: str | None = None) -> Callable[[RuleFn], RuleFn]:
    """Register a rule.  The severity defaults to the letter in the id."""
    area, _, rest = rule_id.partition(".")
    if not area or not rest or rest[0] not in SEVERITY_LETTER or not rest[1:].isdigit():
        raise ValueError(f"bad rule id {rule_id!r}")
    sev = severity or SEVERITY_LETTER[rest[0]]

    def deco(fn: RuleFn) -> RuleFn:
        if rule_id in REGISTRY and REGISTRY[rule_id].fn is not fn:
            raise ValueError(f"rule id {rule_id} registered twice")
        REGISTRY[rule_id] = Rule(rule_id, title, sev, frozenset(tags) | {area}, scope, fn,
                                 tuple(spec), hint, example)
        return fn

    return deco


def _load_rules() -> None:
    from . import rules_cross, rules_structure, rules_tables, rules_text  # noqa: F401


def registry() -> dict[str, Rule]:
    _load_rules()
    return dict(sorted(REGISTRY.items(), key=lambda kv: _sort_key(kv[0])))


_AREA_ORDER = ("t2", "t3", "t4", "struct", "text", "content", "period", "time", "xyear", "xagency", "engine")


def _sort_key(rule_id: str) -> tuple[int, int, int]:
    area, _, rest = rule_id.partition(".")
    order = _AREA_ORDER.index(area) if area in _AREA_ORDER else len(_AREA_ORDER)
    return order, "EWI".index(rest[0]) if rest[:1] in "EWI" else 3, int(rest[1:] or 0)


class SelectionError(GongkaiError):
    """A --select/--ignore pattern that matches no rule."""


def _matches(r: Rule, pattern: str) -> bool:
    p = pattern.strip()
    if not p:
        return False
    if p.lower() == "all":
        return True
    return r.id == p or r.id.startswith(p) or p in r.tags


def select_rules(select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
                 scope: Scope | None = None) -> list[Rule]:
    """Rules chosen by id, id prefix (``t3``, ``t3.E``) or tag (``arithmetic``)."""
    rules = registry()
    sel = [p for p in (select or ()) if p.strip()]
    ign = [p for p in (ignore or ()) if p.strip()]
    for p in (*sel, *ign):
        if not any(_matches(r, p) for r in rules.values()):
            raise SelectionError(f"“{p}”不匹配任何规则（可用规则编号、编号前缀或标签，见 gongkai rules）")
    out = []
    for r in rules.values():
        if scope and r.scope != scope:
            continue
        if sel and not any(_matches(r, p) for p in sel):
            continue
        if any(_matches(r, p) for p in ign):
            continue
        out.append(r)
    return out


CRASH_ID = "engine.E001"


def run_rule(r: Rule, subject: Any, ctx: Any, *, report: str | None = None,
             source: str | None = None) -> Iterator[Finding]:
    """The findings of one rule; an exception inside the rule becomes an ``engine.E001`` finding."""
    try:
        drafts = list(r.fn(subject, ctx))
    except Exception as e:  # a crashing rule must not hide the others
        yield Finding(CRASH_ID, "error", f"规则 {r.id}（{r.title}）运行出错：{type(e).__name__}: {e}",
                      hint="这是核查程序的问题，请报告；其他规则的结果不受影响", report=report, source=source)
        return
    for d in drafts:
        yield Finding(r.id, r.severity, d.message, d.hint if d.hint is not None else r.hint, d.at,
                      report=report, source=source, related=d.related, about=d.about)


@rule(CRASH_ID, title="规则运行出错", tags={"engine"},
      hint="这是核查程序的问题，请报告；其他规则的结果不受影响",
      example="规则 t3.E001（申请数量收支平衡）运行出错：KeyError: 'new'")
def _engine_crash(_report: Any, _ctx: Any) -> Iterable[Draft]:
    """一条规则在运行中出错时，引擎把错误记为本条发现，其余规则照常运行。本规则本身不检查任何内容。"""
    return ()
