"""Figures for every reproducer in ../shared/fuzz: ``gongkai parse``, ``check`` and ``render --to html``
each in a fresh process (1 GB address space, 20 s wall clock): exit code, seconds, peak RSS, and the
first line of the answer.  Prints a Markdown table for benchmarks/README.md.

    .venv/bin/python benchmarks/fuzz/reproducers.py
"""

from __future__ import annotations

import gzip
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

COMMANDS = {"parse": ["parse", "--no-provenance", "{file}"], "check": ["check", "{file}"],
            "render": ["render", "{file}", "--to", "html", "-o", "{out}"]}


def main() -> None:
    fuzz = harness.SHARED / "fuzz"
    print(f"load average {os.getloadavg()[0]:.1f}\n")
    print("| file | parse | check | render | answer |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(p for p in fuzz.iterdir() if p.name != "README.md"):
            file = path
            if path.suffix == ".gz":
                file = Path(tmp) / path.stem
                file.write_bytes(gzip.decompress(path.read_bytes()))
            cells, answer = [], ""
            for argv in COMMANDS.values():
                args = [a.format(file=file, out=Path(tmp) / "out.html") for a in argv]
                rc, out, err, seconds, peak = harness.run_command(args)
                verdict = "killed" if rc == -9 else f"exit {rc}"
                bad = any("Traceback" in s or "内部错误" in s for s in (out, err))
                cells.append(f"{verdict}{' ✗' if bad or rc not in (0, 1, 2) else ''}, {seconds:.1f} s, {peak:.0f} MB")
                if not answer:
                    lines = [ln for ln in err.splitlines() if ln.startswith(("错误：", "内部错误"))]
                    plain = "（读取成功）" if rc in (0, 1) else "（20 秒内未完成，被终止）" if rc == -9 else f"（进程异常退出：{rc}）"
                    answer = (lines[0] if lines else plain)[:90].replace("|", "｜")
            print(f"| {path.name} | " + " | ".join(cells) + f" | {answer} |")


if __name__ == "__main__":
    main()
