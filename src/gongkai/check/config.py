"""Checker settings: rule selection, deadlines per jurisdiction, thresholds.

Read from ``gongkai.toml`` (top level or a ``[tool.gongkai]`` table) or from ``pyproject.toml``
(``[tool.gongkai]``), or given as a dict / ``CheckConfig`` to ``validate``::

    select = ["t3", "t4"]
    ignore = ["content"]
    [deadlines]                       # national defaults (条例 第四十九条)
    department = "01-31"              # departments, a government's office among them
    government = "03-31"              # a government's own report; a 派出机关/管委会 acting as one
    township = "03-31"                # 乡镇、街道: no statutory date; unset = the government's
    [deadlines.jurisdictions."方正县"]  # local deadlines: agency names containing the key
    department = "01-20"
    [thresholds]
    copying = 0.8
    calendar = ["calendars/2027.toml"] # extra working-day arrangements (see gongkai.calendar)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import GongkaiError

if TYPE_CHECKING:
    from ..model import Report


class ConfigError(GongkaiError):
    """A configuration file or option that cannot be used."""


@dataclass(frozen=True)
class Deadline:
    month: int
    day: int

    @classmethod
    def parse(cls, raw: Any, where: str) -> Deadline:
        text = str(raw).strip().replace("月", "-").replace("日", "")
        try:
            m, d = (int(x) for x in text.split("-"))
            if not (1 <= m <= 12 and 1 <= d <= 31):
                raise ValueError
        except ValueError:
            raise ConfigError(f"期限“{raw}”应写作 MM-DD（如 01-31）或“1月31日”", where=where) from None
        return cls(m, d)

    def zh(self) -> str:
        return f"{self.month}月{self.day}日"


#: agency-name endings that mark a whole government (本级政府) rather than a department
GOVERNMENT_SUFFIXES = ("人民政府", "街道办事处", "管理委员会", "管委会")
#: agency-name parts that mark a township-level body
TOWNSHIP_MARKS = ("镇人民政府", "乡人民政府", "街道办事处", "民族乡")
#: name endings of a government's own office (人民政府办公厅（室）, a 管委会's 办公室)
OFFICE_SUFFIXES = ("人民政府办公厅", "人民政府办公室", "政府办公室", "政府办", "管委会办公室", "管理委员会办公室",
                   "行政公署办公室")
#: name endings of a body sent out by a government (派出机关) or a 管委会 acting as one
DISPATCHED_SUFFIXES = ("管理委员会", "管委会", "行政公署", "行署")
#: deadline class of each agency kind (条例第四十九条): departments (the government's office among
#: them) by 1月31日, a government's own report — and a 派出机关/管委会's acting as one — by 3月31日;
#: the 条例 sets no date for 乡镇、街道 (``township``: a deadline of its own only when configured)
DEADLINE_CLASS = {"government": "government", "dispatched": "government", "department": "department",
                  "government_office": "department", "township": "township"}


@dataclass(frozen=True)
class CheckConfig:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    department_deadline: Deadline = Deadline(1, 31)
    government_deadline: Deadline = Deadline(3, 31)
    #: 乡镇、街道: no statutory date; None = held to ``government_deadline`` (as before kinds existed)
    township_deadline: Deadline | None = None
    #: jurisdiction key (a part of the agency name, e.g. 方正县) → {"department"/"government"/"township": Deadline}
    jurisdictions: dict[str, dict[str, Deadline]] = field(default_factory=dict)
    government_suffixes: tuple[str, ...] = GOVERNMENT_SUFFIXES
    #: narrative similarity (0–1) from which 内容雷同 is reported
    copying: float = 0.8
    #: shortest narrative section (characters) compared for 内容雷同
    copying_min_chars: int = 80
    #: identical tables are reported only with at least this many non-zero figures (totals not counted)
    identical_min_nonzero: int = 3
    #: table 二 fees.amount (万元) at or above which the figure looks like 元
    fees_yuan: int = 10000
    fees_yuan_township: int = 1000
    #: allowed difference in the stock of documents across years (rule 15)
    stock_tolerance: int = 0
    calendar_files: tuple[str, ...] = ()

    @classmethod
    def resolve(cls, config: dict[str, Any] | CheckConfig | str | Path | None = None) -> CheckConfig:
        if config is None:
            return cls()
        if isinstance(config, CheckConfig):
            return config
        if isinstance(config, (str, Path)):
            return load_config(Path(config))
        if isinstance(config, dict):
            return cls.from_dict(config)
        raise ConfigError(f"无法识别的核查设置：{type(config).__name__}")

    @classmethod
    def from_dict(cls, raw: dict[str, Any], where: str = "核查设置") -> CheckConfig:
        known = {"select", "ignore", "deadlines", "thresholds", "calendar"}
        unknown = set(raw) - known
        if unknown:
            raise ConfigError(f"未知的设置项：{'、'.join(sorted(unknown))}（可用：{'、'.join(sorted(known))}）",
                              where=where)
        kw: dict[str, Any] = {}
        for key in ("select", "ignore"):
            if key in raw:
                v = raw[key]
                kw[key] = tuple(v.split(",")) if isinstance(v, str) else tuple(str(x) for x in v)
        dl = raw.get("deadlines") or {}
        if not isinstance(dl, dict):
            raise ConfigError("“deadlines”应为表", where=where)
        if "department" in dl:
            kw["department_deadline"] = Deadline.parse(dl["department"], where)
        if "government" in dl:
            kw["government_deadline"] = Deadline.parse(dl["government"], where)
        if "township" in dl:
            kw["township_deadline"] = Deadline.parse(dl["township"], where)
        if "government_suffixes" in dl:
            kw["government_suffixes"] = tuple(dl["government_suffixes"])
        jur = {}
        for name, d in (dl.get("jurisdictions") or {}).items():
            if not isinstance(d, dict):
                raise ConfigError(f"辖区“{name}”的期限应为表（department/government/township）", where=where)
            jur[str(name)] = {k: Deadline.parse(v, where) for k, v in d.items()
                              if k in ("department", "government", "township")}
        if jur:
            kw["jurisdictions"] = jur
        th = raw.get("thresholds") or {}
        names = {f.name for f in fields(cls)}
        for k, v in th.items():
            if k not in names or k in ("select", "ignore", "jurisdictions", "calendar_files"):
                raise ConfigError(f"未知的阈值“{k}”", where=where)
            kw[k] = type(getattr(cls(), k))(v)
        cal = raw.get("calendar")
        if cal:
            kw["calendar_files"] = (cal,) if isinstance(cal, str) else tuple(cal)
        return cls(**kw)

    def with_selection(self, select: Any = None, ignore: Any = None) -> CheckConfig:
        def norm(v: Any) -> tuple[str, ...]:
            if v is None:
                return ()
            if isinstance(v, str):
                v = v.split(",")
            return tuple(s.strip() for s in v if s.strip())

        return replace(self, select=norm(select) or self.select, ignore=self.ignore + norm(ignore))

    # -- agency kinds and deadlines ---------------------------------------------------------------
    def kind_of(self, agency: str | None) -> str:
        """The agency's kind (a key of ``gongkai.agency.AGENCY_KINDS``) guessed from its name: the
        fallback when the report does not carry its kind."""
        from .. import agency as agency_module

        name = "".join((agency or "").split())
        guess = getattr(agency_module, "guess_kind", None)
        if guess is not None and self.government_suffixes == GOVERNMENT_SUFFIXES:
            kind = guess(name)
            if kind:
                return str(kind)
        if any(m in name for m in TOWNSHIP_MARKS) or name.endswith(("镇政府", "乡政府")):
            return "township"
        if name.endswith(OFFICE_SUFFIXES):
            return "government_office"
        if name.endswith(DISPATCHED_SUFFIXES):
            return "dispatched"
        if name.endswith(self.government_suffixes):
            return "government"
        return "department"

    def kind_for(self, report: Report) -> tuple[str, bool]:
        """(kind, guessed): the kind the report carries (set by the caller, or guessed by the reader),
        else the kind guessed here from the agency's name."""
        from ..agency import is_kind

        if is_kind(report.agency_kind):
            return str(report.agency_kind), report.agency_kind_guessed
        return self.kind_of(report.agency), True

    def deadline_for(self, agency: str | None, kind: str | None = None) -> tuple[Deadline, str, str | None]:
        """(deadline, kind, jurisdiction whose local rule applied or None).  ``kind`` defaults to the
        kind guessed from the name; a township without a deadline of its own (national or local) is
        held to the government's."""
        kind = kind or self.kind_of(agency)
        cls = DEADLINE_CLASS.get(kind, "department")
        tries = ("township", "government") if cls == "township" else (cls,)
        name = agency or ""
        for c in tries:
            best = None
            for key in self.jurisdictions:
                if key in name and c in self.jurisdictions[key] and (best is None or len(key) > len(best)):
                    best = key
            if best is not None:
                return self.jurisdictions[best][c], kind, best
            if c == "township" and self.township_deadline is not None:
                return self.township_deadline, kind, None
        if cls == "department":
            return self.department_deadline, kind, None
        return self.government_deadline, kind, None


def load_config(path: Path) -> CheckConfig:
    """Settings from a ``gongkai.toml`` or ``pyproject.toml`` file."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("设置文件不存在", where=str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"设置文件不是有效的 TOML：{e}", where=str(path)) from None
    tool = raw.get("tool", {}).get("gongkai")
    section = (tool or {}) if path.name == "pyproject.toml" else (tool if tool is not None else raw)
    section = section.get("check", section) if isinstance(section, dict) else {}
    cfg = CheckConfig.from_dict(section, where=str(path))
    if cfg.calendar_files:
        base = path.parent
        cfg = replace(cfg, calendar_files=tuple(str(base / f) for f in cfg.calendar_files))
    return cfg


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``gongkai.toml``, or ``pyproject.toml`` with ``[tool.gongkai]``, upwards from ``start``."""
    here = (start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        g = d / "gongkai.toml"
        if g.is_file():
            return g
        p = d / "pyproject.toml"
        if p.is_file():
            try:
                if "gongkai" in tomllib.loads(p.read_text(encoding="utf-8")).get("tool", {}):
                    return p
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                return None
    return None
