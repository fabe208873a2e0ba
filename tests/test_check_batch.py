"""Batch over real folders: one report in two forms, skipped files, Ctrl-C, agencies by full name."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

import gongkai
from check_support import SEED, good
from gongkai.check.batch import SMALL_RUN, group_forms
from gongkai.check.outputs import Collector

ROOT = Path(__file__).resolve().parents[1]


def _portal_folder(tmp: Path) -> Path:
    """A portal folder as the samples have them: the page and its text version."""
    d = tmp / "portal" / "方正县会发镇-2021"
    d.mkdir(parents=True)
    (d / "page.html").write_bytes(gongkai.render(gongkai.parse(SEED), "html"))
    (d / "page.txt").write_bytes(SEED.read_bytes())
    return d


def test_files_with_one_stem_side_by_side_are_one_report(tmp_path: Path) -> None:
    d = _portal_folder(tmp_path)
    (tmp_path / "portal" / "年报.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "portal" / "年报.txt").write_text("x", encoding="utf-8")
    (tmp_path / "portal" / "其他.txt").write_text("x", encoding="utf-8")
    inputs, forms = group_forms([(str(p), str(p)) for p in sorted((tmp_path / "portal").rglob("*.*"))])
    assert [label for label, _ in inputs] == [str(tmp_path / "portal" / "其他.txt"), str(tmp_path / "portal" / "年报.pdf"),
                                              str(d / "page.html")]
    assert forms == {str(tmp_path / "portal" / "年报.pdf"): (str(tmp_path / "portal" / "年报.txt"),),
                     str(d / "page.html"): (str(d / "page.txt"),)}


def test_a_report_in_two_forms_is_checked_and_counted_once(tmp_path: Path) -> None:
    d = _portal_folder(tmp_path)
    res = gongkai.check_files([tmp_path], workers=1).result()
    assert [(r.source, r.other_forms) for r in res.reports] == [(str(d / "page.html"), [str(d / "page.txt")])]
    assert res.summary_dict()["reports"] == 1
    read = [f.message for f in res.reports[0].notices if "sibling.read" in f.message]
    assert read == ["读取提示（同一报告有两种形式，合并为一份核查，sibling.read）：同一报告有 2 种形式（page.html、page.txt），合并为一份核查，"
                    "采用 page.html 的读取结果"]
    assert res.reports[0].valid and not [f for f in res.findings if "sibling.differs" in f.message]


def test_two_forms_that_disagree_give_reading_notices(tmp_path: Path) -> None:
    """The text version prints 5 where the page has 0: a reading notice names the cell and both
    readings; the page (the better reading on a tie) is the one checked."""
    text = SEED.read_text(encoding="utf-8")
    rep = gongkai.parse(SEED)
    pro = rep.table("proactive")
    row, col = next((r, c) for (r, c), cell in pro.cells.items() if cell.text and cell.value == 0)
    loc = pro.cell(row, col).loc
    assert loc is not None and loc.line is not None
    lines = text.splitlines(keepends=True)
    i = loc.line - 1
    assert lines[i].strip() == "0"
    lines[i] = lines[i].replace("0", "5", 1)
    d = tmp_path / "r"
    d.mkdir()
    (d / "page.html").write_bytes(gongkai.render(rep, "html"))
    (d / "page.txt").write_text("".join(lines), encoding="utf-8")
    res = gongkai.check_files([d], workers=1).result()
    assert len(res.reports) == 1
    differs = [f.message for f in res.notices if "sibling.differs" in f.message]
    from gongkai.check.context import cell_at

    where = cell_at(pro, row, col).label
    assert len(differs) == 1 and differs[0].startswith("读取提示（同一报告的两种形式数字不同，sibling.differs）：")
    assert differs[0].endswith(f"：{where}：page.html 读作 0，page.txt 读作 5（采用 page.html）")
    assert res.reports[0].source == str(d / "page.html") and res.reports[0].valid


def test_an_unreadable_second_form_is_a_notice(tmp_path: Path) -> None:
    d = tmp_path / "r"
    d.mkdir()
    (d / "年报.txt").write_bytes(SEED.read_bytes())
    (d / "年报.pdf").write_bytes(b"%PDF-1.4 garbage")
    res = gongkai.check_files([d], workers=1).result()
    assert [(r.source, r.read) for r in res.reports] == [(str(d / "年报.txt"), True)]
    msgs = [f.message for f in res.notices]
    assert any("同一报告的另一种形式 年报.pdf 无法读取" in m for m in msgs)


def test_agencies_are_one_by_full_normalised_name_only() -> None:
    from gongkai.check.result import ReportResult

    c = Collector()
    for i, name in enumerate(["方正县财政局", "方正县 财政局", "方正县财政局（本级）", "财政局"]):
        c.add(ReportResult(i, ref=str(i), label=name, source=f"{i}.txt", agency=name, year=2021))
    assert sorted((v[0], v[1]) for v in c.agencies.values()) == [
        ("方正县财政局", 2), ("方正县财政局（本级）", 1), ("财政局", 1)]
    c.close()


def test_small_runs_stay_in_one_process(tmp_path: Path) -> None:
    for i in range(SMALL_RUN - 1):
        (tmp_path / f"{i}.json").write_text(good(f"测试{i}县人民政府").to_json(), encoding="utf-8")
    batch = gongkai.check_files([tmp_path])
    pids = set()

    import gongkai.check.batch as b

    real = b.check_one

    def spy(*a: object) -> object:
        pids.add(os.getpid())
        return real(*a)  # type: ignore[arg-type]

    b.check_one = spy  # type: ignore[assignment]
    try:
        results = list(batch)
    finally:
        b.check_one = real
    assert len(results) == SMALL_RUN - 1 and pids == {os.getpid()}


SLOW_PLUGIN = '''
import os, time
from gongkai.check import Draft, rule


@rule("slow.W001", title="停在第三份报告", example="等待")
def stop_at_c(report, ctx):
    """测试用：在第三份报告上停住，等待 Ctrl-C。"""
    if "c-" in (report.source or ""):
        open(os.environ["GONGKAI_TEST_MARK"], "w").close()
        time.sleep(600)
    return ()
'''


def _slow_site(tmp: Path) -> Path:
    site = tmp / "site"
    (site / "slow_rule").mkdir(parents=True)
    (site / "slow_rule" / "__init__.py").write_text(textwrap.dedent(SLOW_PLUGIN), encoding="utf-8")
    info = site / "slow_rule-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: slow-rule\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[gongkai.rules]\nslow = slow_rule\n", encoding="utf-8")
    return site


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_writes_what_was_finished(tmp_path: Path, workers: str) -> None:
    """A real SIGINT while the third report is being checked: the outputs hold the first two."""
    d = tmp_path / "reports"
    d.mkdir()
    for name in ("a-", "b-", "c-", "d-"):
        (d / f"{name}2021.txt").write_bytes(SEED.read_bytes())
    mark, out = tmp_path / "mark", tmp_path / "out.json"
    env = {**os.environ, "GONGKAI_TEST_MARK": str(mark), "PYTHONUNBUFFERED": "1",
           "PYTHONPATH": os.pathsep.join(p for p in (str(_slow_site(tmp_path)), os.environ.get("PYTHONPATH")) if p)}
    proc = subprocess.Popen([sys.executable, "-m", "gongkai", "check", "-j", workers, str(d), "--json", str(out),
                             "--html", str(tmp_path / "out.html")], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            # a shell's background job inherits SIGINT ignored, and Python then never raises
                            # KeyboardInterrupt: give the command the default disposition, as at a terminal
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    try:
        # the rule tells us it has reached the third report, and the command has printed the second one's
        # findings (with two workers the second may still be in flight when the third starts)
        for _ in range(1200):
            if (mark.exists() and any("b-2021.txt" in line for line in lines)) or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert mark.exists() and any("b-2021.txt" in line for line in lines), (lines, proc.poll())
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=120)
        reader.join(timeout=60)
        stderr = proc.stderr.read()  # type: ignore[union-attr]
    finally:
        proc.kill()
    assert proc.returncode == 130, stderr
    assert "已中断：已完成 2 / 4 个文件，结果文件只含已完成的部分" in stderr and "Traceback" not in stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [Path(r["source"]).name for r in data["reports"]] == ["a-2021.txt", "b-2021.txt"]
    assert data["summary"]["reports"] == 2 and (tmp_path / "out.html").exists()
    assert "".join(lines).strip().splitlines()[-1].startswith("发现 0 个错误")


def test_default_workers_are_the_free_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    # a second worker on a core another program keeps busy only adds its start-up (benchmarks/README.md)
    from gongkai.check import batch

    cores = len(os.sched_getaffinity(0))
    monkeypatch.setattr(os, "getloadavg", lambda: (0.2, 0.2, 0.2))
    assert batch.default_workers(SMALL_RUN - 1) == 1
    assert batch.default_workers(40) == cores
    monkeypatch.setattr(os, "getloadavg", lambda: (float(cores + 3), 1.0, 1.0))
    assert batch.default_workers(40) == 1
