"""The rule engine: the ``Registry`` of rules, findings as data, selection by id prefix or tag.

A rule is a function registered with ``@rule("t3.E001", title=…, tags={…})``.  Its id names the
area (``t3``), the severity letter (E error / W warning / I info) and a number that is never
reused.  A rule yields ``Draft`` objects that the engine stamps into ``Finding``; a rule that
raises becomes an ``engine.E001`` finding of its own, so one broken rule cannot hide the others.

Scopes (a registry holds rules of several):
  ``report`` rules look at one report: ``fn(report, ctx) -> Iterable[Draft]``;
  ``corpus`` rules look across reports, through their digests: ``fn(corpus, ctx)`` yields
  ``(digest, Draft)``;
  ``ledger`` rules look at a case ledger (``gongkai.ledger``).

This module knows no rule: ``gongkai.check.catalogue`` imports the built-in rule modules and the
plugins of the entry-point group ``gongkai.rules``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any

from ..errors import GongkaiError
from ..messages import ABOUT_ZH, SEVERITY_ZH, About, Location, Message, Severity

__all__ = ["ABOUT_ZH", "SEVERITY_ZH", "About", "Draft", "Finding", "Location", "Registry", "Rule", "Severity", "rule"]

SEVERITY_LETTER: dict[str, Severity] = {"E": "error", "W": "warning", "I": "info"}


#: a checker finding is the one message type of every stage (``gongkai.messages``)
Finding = Message


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

#: the subjects rules look at: one report, the digests of a run, a case ledger (``gongkai.ledger``);
#: a registry holds rules of any scope and runs those of the scope asked for
Scope = str
SCOPES: tuple[str, ...] = ("report", "corpus", "ledger")
SCOPE_ZH = {"report": "单份报告", "corpus": "多份报告之间", "ledger": "政府信息公开申请台账"}


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


class SelectionError(GongkaiError):
    """A --select/--ignore pattern that matches no rule."""


_AREA_ORDER = ("t2", "t3", "t4", "struct", "text", "content", "period", "time", "xyear", "xagency", "engine")


def sort_key(rule_id: str) -> tuple[int, str, int, int]:
    """Built-in areas in the order of the report, others (plugins) after them by name."""
    area, _, rest = rule_id.partition(".")
    order = _AREA_ORDER.index(area) if area in _AREA_ORDER else len(_AREA_ORDER)
    num = int(rest[1:]) if rest[1:].isdigit() else 0
    return order, "" if area in _AREA_ORDER else area, "EWI".index(rest[0]) if rest[:1] in "EWI" else 3, num


def _matches(r: Rule, pattern: str) -> bool:
    p = pattern.strip()
    if not p:
        return False
    if p.lower() == "all":
        return True
    return r.id == p or r.id.startswith(p) or p in r.tags


def parse_rule_id(rule_id: str) -> tuple[str, Severity]:
    """(area, severity) of an id like ``t3.E001``; a malformed id is a programming error."""
    area, _, rest = rule_id.partition(".")
    if not area or not rest or rest[0] not in SEVERITY_LETTER or not rest[1:].isdigit():
        raise ValueError(f"bad rule id {rule_id!r}")
    return area, SEVERITY_LETTER[rest[0]]


CRASH_ID = "engine.E001"
CRASH_HINT = "这是核查程序的问题，请报告；其他规则的结果不受影响"


class Registry(MutableMapping[str, Rule]):
    """Rules by id, like Django's check registry: ``register``, ``select``, ``run``.

    The class knows no rules: the built-in ones register into ``REGISTRY`` when
    ``gongkai.check.catalogue`` imports their modules, plugins through the entry-point group
    ``gongkai.rules``.  A registry may hold rules of several scopes (``SCOPES``).
    """

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}
        #: the ids in reference order, sorted once until a rule comes or goes
        self._order: tuple[str, ...] | None = None

    # -- mapping (iteration in the reference order) ----------------------------------------
    def __getitem__(self, rule_id: str) -> Rule:
        return self._rules[rule_id]

    def __setitem__(self, rule_id: str, r: Rule) -> None:
        self._rules[rule_id] = r
        self._order = None

    def __delitem__(self, rule_id: str) -> None:
        del self._rules[rule_id]
        self._order = None

    def __iter__(self) -> Iterator[str]:
        if self._order is None:
            self._order = tuple(sorted(self._rules, key=sort_key))
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._rules)

    # -- registering -----------------------------------------------------------------------
    def register(self, r: Rule) -> Rule:
        old = self._rules.get(r.id)
        if old is not None and old.fn is not r.fn:
            raise ValueError(f"rule id {r.id} registered twice")
        self[r.id] = r
        return r

    def rule(self, rule_id: str, *, title: str, tags: Iterable[str] = (), severity: Severity | None = None,
             scope: Scope = "report", spec: Iterable[int] = (), hint: str | None = None,
             example: str | None = None) -> Callable[[RuleFn], RuleFn]:
        """Register the decorated function as a rule.  The severity defaults to the letter in the id."""
        area, letter_severity = parse_rule_id(rule_id)

        def deco(fn: RuleFn) -> RuleFn:
            self.register(Rule(rule_id, title, severity or letter_severity, frozenset(tags) | {area}, scope, fn,
                               tuple(spec), hint, example))
            return fn

        return deco

    # -- choosing and running --------------------------------------------------------------
    def select(self, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
               scope: Scope | None = None) -> list[Rule]:
        """Rules chosen by id, id prefix (``t3``, ``t3.E``) or tag (``arithmetic``), in reference order."""
        rules = [self._rules[k] for k in self]
        sel = [p for p in (select or ()) if p.strip()]
        ign = [p for p in (ignore or ()) if p.strip()]
        for p in (*sel, *ign):
            if not any(_matches(r, p) for r in rules):
                raise SelectionError(f"“{p}”不匹配任何规则（可用规则编号、编号前缀或标签，见 gongkai rules）")
        return [r for r in rules
                if (scope is None or r.scope == scope)
                and (not sel or any(_matches(r, p) for p in sel))
                and not (ign and any(_matches(r, p) for p in ign))]

    def run(self, subject: object, ctx: object, *, scope: Scope = "report", select: Iterable[str] | None = None,
            ignore: Iterable[str] | None = None, ref: str | None = None, report: str | None = None,
            source: str | None = None) -> list[Finding]:
        """The findings of every selected rule of ``scope`` on ``subject`` (a report, a ledger …)."""
        out: list[Finding] = []
        for r in self.select(select, ignore, scope):
            out.extend(run_rule(r, subject, ctx, report=report, source=source, ref=ref))
        return out


def crash_finding(r: Rule, e: BaseException, *, report: str | None = None, source: str | None = None,
                  ref: str | None = None) -> Finding:
    return Finding(CRASH_ID, "error", f"规则 {r.id}（{r.title}）运行出错：{type(e).__name__}: {e}", hint=CRASH_HINT,
                   report=report, source=source, ref=ref)


def run_rule(r: Rule, subject: object, ctx: object, *, report: str | None = None,
             source: str | None = None, ref: str | None = None) -> Iterator[Finding]:
    """The findings of one rule; an exception inside the rule becomes an ``engine.E001`` finding."""
    try:
        drafts = list(r.fn(subject, ctx))
    except Exception as e:  # a crashing rule must not hide the others
        yield crash_finding(r, e, report=report, source=source, ref=ref)
        return
    for d in drafts:
        yield Finding(r.id, r.severity, d.message, d.hint if d.hint is not None else r.hint, d.at,
                      report=report, source=source, related=d.related, about=d.about, ref=ref)


#: the registry the built-in rules and the plugins register into (``gongkai.check.catalogue`` fills it)
REGISTRY = Registry()
#: ``@rule("t3.E001", title=…)``: register into ``REGISTRY``
rule = REGISTRY.rule
