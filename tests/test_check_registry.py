"""The rule registry: rules of several scopes, selection, crash isolation, plugins through entry points."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from check_support import SEED
from gongkai.check import CRASH_ID, Draft, Location, Registry, SelectionError
from gongkai.check.engine import SCOPES

ROOT = Path(__file__).resolve().parents[1]


def test_a_registry_knows_no_rules_and_holds_several_scopes() -> None:
    reg = Registry()
    assert len(reg) == 0 and "ledger" in SCOPES

    @reg.rule("ledger.E001", title="答复晚于期限", tags={"deadline"}, scope="ledger",
              hint="按期限答复", example="第3行：答复日期晚于期限")
    def late(ledger: list[int], ctx: object) -> Iterator[Draft]:
        """台账中答复日期晚于答复期限。"""
        for i, days in enumerate(ledger):
            if days > 20:
                yield Draft(f"第{i + 1}行：用了 {days} 个工作日", at=Location(label=f"第{i + 1}行"))

    @reg.rule("t9.W001", title="报告规则", scope="report")
    def report_rule(report: object, ctx: object) -> Iterator[Draft]:
        """一条报告规则。"""
        yield Draft("报告")

    assert [r.id for r in reg.select(scope="ledger")] == ["ledger.E001"]
    assert [r.id for r in reg.select(scope="report")] == ["t9.W001"]
    assert [r.id for r in reg.select(select=["deadline"])] == ["ledger.E001"]
    found = reg.run([3, 25, 21], None, scope="ledger", ref="台账:2025")
    assert [(f.id, f.severity, f.message, f.at.label, f.ref, f.hint) for f in found] == [
        ("ledger.E001", "error", "第2行：用了 25 个工作日", "第2行", "台账:2025", "按期限答复"),
        ("ledger.E001", "error", "第3行：用了 21 个工作日", "第3行", "台账:2025", "按期限答复")]
    with pytest.raises(SelectionError, match="“x9”不匹配任何规则"):
        reg.select(select=["x9"])
    with pytest.raises(ValueError, match="registered twice"):
        reg.rule("ledger.E001", title="另一条", scope="ledger")(lambda s, c: ())


def test_a_crashing_rule_becomes_a_finding_of_its_own() -> None:
    reg = Registry()

    @reg.rule("ledger.E002", title="会出错的规则", scope="ledger")
    def boom(ledger: object, ctx: object) -> Iterator[Draft]:
        """出错。"""
        raise KeyError("received")

    found = reg.run([], None, scope="ledger", ref="r1")
    assert [(f.id, f.message, f.ref) for f in found] == [
        (CRASH_ID, "规则 ledger.E002（会出错的规则）运行出错：KeyError: 'received'", "r1")]


def test_the_engine_does_not_import_the_rules() -> None:
    code = ("import sys, gongkai.check.engine, gongkai.check.result, gongkai.check.batch;"
            "print(sorted(m for m in sys.modules if m.startswith('gongkai.check.rules_')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


PLUGIN = '''
"""A province's local rule, installed as a package of its own."""
from gongkai.check import Draft, Location, rule


@rule("hlj.W001", title="未写明联系电话", tags={"local"}, hint="在报告中写明政府信息公开工作机构的联系电话",
      example="报告没有写明联系电话")
def no_phone(report, ctx):
    """地方规则：报告应写明政府信息公开工作机构的联系电话。"""
    if "电话" not in (report.sections.get("other") or "") + "".join(report.contact):
        yield Draft("报告没有写明联系电话（地方规则）", at=Location(label="六、其他需要报告的事项"))
'''


def _install_plugin(site: Path, *, broken: bool = False) -> None:
    """A real installation that importlib.metadata sees: the package and its dist-info on a path."""
    pkg = site / "gongkai_hlj"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("" if not broken else "import gongkai_missing_dependency\n", encoding="utf-8")
    (pkg / "rules.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    info = site / "gongkai_hlj-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: gongkai-hlj\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[gongkai.rules]\nhlj = gongkai_hlj.rules\n", encoding="utf-8")
    (info / "RECORD").write_text("", encoding="utf-8")


def _gongkai(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH")) if p)}
    return subprocess.run([sys.executable, "-m", "gongkai", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)


def test_a_plugin_rule_runs_in_check_and_is_listed_by_rules(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _install_plugin(site)
    listed = _gongkai(site, "rules")
    assert listed.returncode == 0, listed.stderr
    assert "hlj.W001      警告  未写明联系电话" in listed.stdout
    explained = _gongkai(site, "rules", "hlj.W001")
    assert "地方规则：报告应写明政府信息公开工作机构的联系电话。" in explained.stdout
    checked = _gongkai(site, "check", "--no-hints", str(SEED))
    assert f"{SEED}:六、其他需要报告的事项: hlj.W001 报告没有写明联系电话（地方规则）" in checked.stdout
    only = _gongkai(site, "check", "--select", "local", str(SEED))
    assert only.returncode == 0 and only.stdout.strip().splitlines()[-1] == "发现 0 个错误，1 个警告"
    # without the installation the rule is not there
    plain = _gongkai(tmp_path / "nowhere", "rules", "hlj")
    assert plain.returncode == 2 and "“hlj”不匹配任何规则" in plain.stderr


def test_a_broken_plugin_is_named_in_chinese(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _install_plugin(site, broken=True)
    res = _gongkai(site, "check", str(SEED))
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert ("错误：规则插件“hlj”（gongkai_hlj.rules）无法载入：ModuleNotFoundError: "
            "No module named 'gongkai_missing_dependency'") in res.stderr
