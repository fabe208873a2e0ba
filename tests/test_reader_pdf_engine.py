"""The PDF engine in its worker process: stopped inside a page, its abort a message, reused, usable
from any thread.

The hostile files are the fuzz reproducers of the shared folder (../shared/fuzz, skipped when absent):
014 makes PDFium allocate 1.2 GB for its first page (it aborts under a lower limit), 017 keeps PDFium
half a minute inside one call on its fifth page.  Time and memory bounds are asserted generously, in
a fresh process, so the tests do not depend on the machine's load.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from gongkai import parse
from gongkai.errors import GongkaiError, ParseError
from gongkai.readers import pdf_engine
from gongkai.readers.pdf import pdf_document

sys.path.insert(0, str(Path(__file__).parent))
from pdf_fixtures import make_pdf, text_page

SHARED = Path(os.environ.get("GONGKAI_SHARED") or Path(__file__).resolve().parents[2] / "shared")
FUZZ = SHARED / "fuzz"
SAMPLES = SHARED / "samples" / "pdf"


def shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared file not present: {path}")
    return path


# the peak memory of a process and of the workers it waited for (RUSAGE_CHILDREN keeps the largest)
RUN = textwrap.dedent("""
    import json, resource, sys, time
    from gongkai import parse
    from gongkai.errors import GongkaiError
    from gongkai.readers import pdf_engine
    pdf_engine.PAGE_SECONDS = float(sys.argv[2])
    t = time.monotonic()
    try:
        report = parse(sys.argv[1])
        out = {"ok": report.title}
    except GongkaiError as e:
        out = {"error": str(e), "type": type(e).__name__}
    pdf_engine.shutdown()
    out["seconds"] = time.monotonic() - t
    # this process image's peak (ru_maxrss would include the forking test process's)
    out["self_mb"] = int([ln for ln in open("/proc/self/status") if ln.startswith("VmHWM")][0].split()[1]) / 1024
    out["worker_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(out, ensure_ascii=False))
""")


def run_fresh(path: Path, page_seconds: float = pdf_engine.PAGE_SECONDS) -> dict:
    import json

    out = subprocess.run([sys.executable, "-c", RUN, str(path), str(page_seconds)], capture_output=True, text=True,
                         timeout=180)
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    return json.loads(out.stdout)


def test_an_engine_abort_for_memory_is_a_chinese_message():
    """014: PDFium needs 1.2 GB for page 1; the worker's limit ends it, the caller gets a message.
    (The page's deadline is lifted so that the memory limit, not the clock, is what stops it.)"""
    got = run_fresh(shared(FUZZ / "014_crash_pdf.pdf"), page_seconds=150)
    assert got["type"] == "ParseError"
    assert "014_crash_pdf.pdf：PDF 引擎读取第1页时异常终止" in got["error"] and "内存上限" in got["error"]
    assert got["self_mb"] + got["worker_mb"] < 500, got
    assert got["seconds"] < 100, got  # 1-4 s; generous for a loaded machine


def test_a_page_that_keeps_the_engine_busy_is_stopped():
    """017: PDFium spends ~30 s in one call on page 5; the page's deadline stops it."""
    got = run_fresh(shared(FUZZ / "017_timeout_pdf.pdf"))
    assert got["type"] == "ParseError"
    assert got["error"].endswith(f"PDF 第5页内容过于复杂，读取超过{pdf_engine.PAGE_SECONDS:g}秒，无法读取"), got
    assert got["self_mb"] + got["worker_mb"] < 500, got
    assert got["seconds"] < 25, got  # the page alone takes ~30 s unbounded


def test_the_document_budget_holds_inside_a_page():
    """With a budget shorter than the slow page, the pages read by then are used, with a notice."""
    data = shared(FUZZ / "017_timeout_pdf.pdf").read_bytes()
    reading = pdf_engine.read_pages(data, "017.pdf", seconds=1.5, page_seconds=20)
    assert 1 <= len(reading.pages) <= 4 and reading.total == 5
    assert reading.notices == [("pdf.time", f"PDF 读取超过1.5秒，只读取了前{len(reading.pages)}页")]


def test_the_worker_is_reused_and_replaced_when_it_died():
    data = make_pdf([text_page(["Annual report", "hello world"])])
    pdf_engine.shutdown()
    pdf_document(data, "a.pdf")
    assert len(pdf_engine._idle) == 1
    first = pdf_engine._idle[0].proc.pid
    pdf_document(data, "b.pdf")
    assert [w.proc.pid for w in pdf_engine._idle] == [first]  # the same worker read both
    pdf_engine._idle[0].proc.kill()
    pdf_engine._idle[0].proc.wait()
    d = pdf_document(data, "c.pdf")  # a dead idle worker is replaced, not used
    assert [b.text for b in d.blocks] == ["Annual report hello world"]
    assert [w.proc.pid for w in pdf_engine._idle] != [first]


def test_a_file_the_engine_refuses_leaves_the_worker_ready():
    pdf_engine.shutdown()
    pdf_document(make_pdf([text_page(["x"])]), "ok.pdf")
    pid = pdf_engine._idle[0].proc.pid
    with pytest.raises(ParseError, match="已加密"):
        pdf_document(make_pdf([text_page(["hello"])], encrypted=True), "加密.pdf")
    assert [w.proc.pid for w in pdf_engine._idle] == [pid]


def test_reading_from_threads_like_a_web_server():
    """Views and background jobs read PDFs from threads other than the main one, at the same time."""
    sample = shared(SAMPLES / "淮安市洪泽区人民政府-2023.pdf")
    results: dict[int, str] = {}

    def read(k: int) -> None:
        try:
            results[k] = parse(sample).agency or ""
        except GongkaiError as e:  # pragma: no cover - reported by the assertion below
            results[k] = str(e)

    threads = [threading.Thread(target=read, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert results == {k: "洪泽区人民政府" for k in range(3)}  # as the 2023 report signs
    assert len(pdf_engine._idle) <= pdf_engine.MAX_IDLE


def test_a_worker_that_cannot_start_is_a_message(monkeypatch):
    pdf_engine.shutdown()
    monkeypatch.setenv("GONGKAI_PYTHON", "/bin/false")
    with pytest.raises(ParseError) as e:
        pdf_document(make_pdf([text_page(["x"])]), "x.pdf")
    assert str(e.value).startswith("x.pdf：PDF 读取进程无法启动")


def test_in_process_mode_reads_the_same(monkeypatch):
    sample = shared(SAMPLES / "淮安市人民政府-2024.pdf").read_bytes()
    isolated = pdf_document(sample, "x.pdf")
    monkeypatch.setenv("GONGKAI_PDF_ISOLATE", "0")
    assert pdf_document(sample, "x.pdf").debug() == isolated.debug()


def test_a_forked_process_starts_its_own_worker():
    """A batch forks its workers (ProcessPoolExecutor): the parent's worker is not shared with them."""
    data = make_pdf([text_page(["Annual report", "hello world"])])
    pdf_document(data, "a.pdf")
    parent_worker = pdf_engine._idle[0].proc.pid
    pid = os.fork()
    if pid == 0:  # the child: no idle worker inherited; reading starts a worker of its own
        ok = not pdf_engine._idle and [b.text for b in pdf_document(data, "b.pdf").blocks] == [
            "Annual report hello world"] and pdf_engine._idle[0].proc.pid != parent_worker
        pdf_engine.shutdown()
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    pdf_document(data, "c.pdf")
    assert [w.proc.pid for w in pdf_engine._idle] == [parent_worker]
