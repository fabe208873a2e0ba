"""Bad input through the command line: a clear Chinese message and exit code 2, or a partial
result with warnings — never a traceback, never a hang.

The small hand-made files are in ``tests/badinput/``; the 10 MB adversarial inputs are generated
at test time and read in a subprocess with a generous timeout (a hang guard, not a speed test).
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.cli import main

BAD = Path(__file__).resolve().parent / "badinput"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _run(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, str, str]:
    rc = main(["parse", "--no-provenance", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "内部错误" not in err, err
    return rc, out, err


def _refused(rc: int, out: str, err: str, *words: str) -> None:
    assert rc == 2, f"exit code {rc}, stderr: {err}"
    line = next(ln for ln in err.splitlines() if ln.startswith("错误："))
    assert CJK.search(line), line
    assert any(w in line for w in words), f"message does not say why: {line}"
    assert json.loads(out)["error"]


def test_empty_file(capsys: pytest.CaptureFixture[str]) -> None:
    _refused(*_run(capsys, BAD / "empty.txt"), "空")


def test_binary_junk(capsys: pytest.CaptureFixture[str]) -> None:
    _refused(*_run(capsys, BAD / "junk.bin"), "二进制", "不是文本", "无法")


def test_unrelated_chinese_document(capsys: pytest.CaptureFixture[str]) -> None:
    _refused(*_run(capsys, BAD / "unrelated.txt"), "不是", "未找到")


def test_pre_format_report(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = _run(capsys, BAD / "report-2015.txt")
    if rc == 2:
        _refused(rc, out, err, "2019", "自由格式", "统一格式")
    else:
        report = json.loads(out)
        assert report["format"] not in ("2021", "2019") or report["year"] >= 2019
        assert re.search("2019年以前|自由格式|不是.*统一格式", err), err


def test_missing_table_three(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = _run(capsys, BAD / "no-table3.tsv")
    assert rc == 0, err
    report = json.loads(out)
    assert "requests" not in report["tables"]
    assert set(report["tables"]) == {"proactive", "appeals"}
    assert re.search(r"提示：.*表三", err), err
    assert report["agency"] == "某县某某镇人民政府"


def test_truncated_table(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = _run(capsys, BAD / "truncated.tsv")
    assert rc == 0, err
    report = json.loads(out)
    rows = report["tables"]["requests"]
    # the rows printed before the cut are read as printed ...
    assert rows["new"]["total"] == 54 and rows["new"]["other_org"] == 52
    assert rows["denied.state_secret"]["total"] == 1
    # ... the rest is absent (not invented) and the reader says so
    assert "denied.law_prohibited" not in rows and "carried_forward" not in rows
    assert "appeals" not in report["tables"]
    assert re.search(r"提示：.*表三缺少", err), err


def _adversarial(kind: str, path: Path) -> None:
    rng = random.Random(kind)
    size = 10_000_000
    with path.open("w", encoding="utf-8") as f:
        written = 0
        while written < size:
            if kind == "glued":  # one line: labels glued to long digit runs (the splitter's worst case)
                s = rng.choice(("一、本年新收政府信息公开申请数量", "（三）不予公开", "1.属于国家秘密", "行政复议",
                                "第二十条第（一）项", "三、收到和处理政府信息公开申请情况")) + "".join(
                    rng.choice("0123456789") for _ in range(rng.randint(1, 60)))
            else:  # a grid of numbers with no labels at all
                s = "\t".join(str(rng.randint(0, 99999)) for _ in range(50)) + "\n"
            f.write(s)
            written += len(s.encode("utf-8"))


@pytest.mark.parametrize("kind", ["glued", "grid"])
def test_ten_megabytes_of_adversarial_text_finishes(kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"adversarial-{kind}.txt"
    _adversarial(kind, path)
    code = "import sys; from gongkai.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run([sys.executable, "-c", code, "parse", "--no-provenance", str(path)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 2), proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and "内部错误" not in proc.stderr, proc.stderr[-2000:]
    assert CJK.search(proc.stderr) or proc.returncode == 0
