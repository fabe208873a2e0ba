"""The rule catalogue: the built-in rule modules and the plugins, registered into ``REGISTRY``.

The engine knows no rule; this module is the one place that imports the rule modules.  Rules from
outside the package (a province's local rules, the case ledger's rules) are found through the
entry-point group ``gongkai.rules``: an entry point names a module whose ``@gongkai.check.rule``
decorators register on import, or a function called with the registry::

    [project.entry-points."gongkai.rules"]
    hlj = "gongkai_hlj.rules"                  # a module of @rule functions
    ledger = "gongkai.ledger.rules:register"   # register(registry)
"""

from __future__ import annotations

import importlib.metadata
import types
from collections.abc import Iterable, Iterator

from ..errors import GongkaiError
from .engine import CRASH_HINT, CRASH_ID, REGISTRY, Draft, Rule, Scope, rule

#: the entry-point group plugins register their rules through
ENTRY_POINT_GROUP = "gongkai.rules"


class PluginError(GongkaiError):
    """A rule plugin that cannot be loaded."""


@rule(CRASH_ID, title="规则运行出错", tags={"engine"}, hint=CRASH_HINT,
      example="规则 t3.E001（申请数量收支平衡）运行出错：KeyError: 'new'")
def _engine_crash(_report: object, _ctx: object) -> Iterable[Draft]:
    """一条规则在运行中出错时，引擎把错误记为本条发现，其余规则照常运行。本规则本身不检查任何内容。"""
    return ()


_loaded = False


def load() -> None:
    """Import the built-in rule modules and the plugins (once)."""
    global _loaded
    if _loaded:
        return
    from . import rules_cross, rules_structure, rules_tables, rules_text  # noqa: F401

    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        where = f"规则插件“{ep.name}”（{ep.value}）"
        try:
            obj = ep.load()
            if callable(obj) and not isinstance(obj, types.ModuleType):
                obj(REGISTRY)
        except Exception as e:  # a broken plugin is named, never a traceback
            raise PluginError(f"{where}无法载入：{type(e).__name__}: {e}") from None
    _loaded = True


def registry() -> dict[str, Rule]:
    """Every registered rule by id, in reference order."""
    load()
    return dict(REGISTRY.items())


def select_rules(select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
                 scope: Scope | None = None) -> list[Rule]:
    """Rules chosen by id, id prefix (``t3``, ``t3.E``) or tag (``arithmetic``)."""
    load()
    return REGISTRY.select(select, ignore, scope)


def plugins() -> Iterator[importlib.metadata.EntryPoint]:
    """The entry points of the group ``gongkai.rules`` installed in this environment."""
    yield from importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
