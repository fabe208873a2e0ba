"""Every reproducer in ../shared/fuzz (issue 13), through ``gongkai parse``, ``gongkai check`` and
``gongkai render --to html`` in a fresh process: a result or a Chinese message (never a traceback or
“内部错误”), in bounded time and memory.

The target is ≤ 5 s and ≤ 500 MB each; the test asserts the memory bound as it is (500 MB of address
space set with ``resource.setrlimit`` in the child) and the time generously (20 s wall) so that a
loaded machine does not make it flaky, and
prints the measured figures (``-s`` shows them; ``benchmarks/fuzz/reproducers.py`` tabulates them).

Files whose cause belongs to another engineer and is not fixed yet are listed in ``PENDING`` with their
owner; owners delete their entries when their fixes land.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks" / "fuzz"))

import harness

HERE = Path(__file__).resolve().parent
FUZZ = Path(os.environ.get("GONGKAI_SHARED") or HERE.parents[1] / "shared") / "fuzz"
CJK = re.compile(r"[\u4e00-\u9fff]")

#: reproducer → the engineer whose fix it waits for (issue 13; see ../shared/fuzz/README.md)
PENDING: dict[str, str] = {}

WALL_SECONDS = 20.0
MEMORY_BYTES = 500 * 1024 * 1024
COMMANDS = {
    "parse": ["parse", "--no-provenance", "{file}"],
    "check": ["check", "{file}"],
    "render": ["render", "{file}", "--to", "html", "-o", "{out}"],
}


def _files() -> list[str]:
    return sorted(p.name for p in FUZZ.iterdir() if p.is_file() and p.name != "README.md") if FUZZ.is_dir() else []


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    os.setpgid(0, 0)


def _input(name: str, tmp: Path) -> Path:
    path = FUZZ / name
    if name.endswith(".gz"):
        plain = tmp / name[:-3]
        plain.write_bytes(gzip.decompress(path.read_bytes()))
        return plain
    return path


@pytest.mark.skipif(not FUZZ.is_dir(), reason="shared fuzz reproducers absent")
@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("name", _files())
def test_a_reproducer_ends_in_a_result_or_a_chinese_message(name: str, command: str, tmp_path: Path) -> None:
    if name in PENDING:
        pytest.skip(f"等待 {PENDING[name]} 的修复（issue 13）")
    file = _input(name, tmp_path)
    out_file = tmp_path / "out.html"
    argv = [a.format(file=file, out=out_file) for a in COMMANDS[command]]
    rc, out, err, seconds, peak = harness.run_command(argv, seconds=WALL_SECONDS, mem_bytes=MEMORY_BYTES)
    print(f"{name} {command}: exit {rc}, {seconds:.2f} s, peak RSS {peak:.0f} MB")
    assert rc != -signal.SIGKILL, f"{name}: still running after {WALL_SECONDS:g} s"
    assert rc in (0, 1, 2), f"{name}: exit {rc} (a crash), stderr: {err[-500:]}"
    for stream in (out, err):  # check names an unreadable file on stdout
        assert "Traceback" not in stream and "内部错误" not in stream, stream[-1000:]
    if rc == 2:
        line = next((ln for ln in err.splitlines() if ln.startswith("错误：") or "无法读取" in ln), "")
        if command == "check":
            line = line or next((ln for ln in out.splitlines() if "无法读取" in ln), "")
        assert CJK.search(line), f"{name}: no Chinese message: {err[-500:]} {out[-500:]}"
    if command == "parse":
        json.loads(out)  # valid JSON on stdout (the report, or the error object), never half a document
    if command == "render" and rc == 0:
        assert out_file.read_bytes().startswith(b"<!DOCTYPE html>")
    elif command == "render":
        assert not out_file.exists()


def test_pending_entries_name_files_that_exist_and_an_owner() -> None:
    if not FUZZ.is_dir():
        pytest.skip("shared fuzz reproducers absent")
    assert set(PENDING) <= set(_files())
    assert set(PENDING.values()) <= {"text", "tables", "pdf"}


def test_the_limits_are_really_applied(tmp_path: Path) -> None:
    """The harness can fail: a command that overruns the wall clock is killed, one that allocates past
    the address-space limit cannot."""
    global WALL_SECONDS
    saved = WALL_SECONDS
    WALL_SECONDS = 3.0
    try:
        start = time.monotonic()
        p = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], preexec_fn=_limit)
        try:
            p.wait(timeout=WALL_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
        assert p.returncode == -signal.SIGKILL and time.monotonic() - start < 30
    finally:
        WALL_SECONDS = saved
    big = subprocess.run([sys.executable, "-c", "b = bytearray(2 * 1024 ** 3)"], preexec_fn=_limit,
                         capture_output=True, text=True, timeout=60)
    assert big.returncode != 0 and "MemoryError" in big.stderr
