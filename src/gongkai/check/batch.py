"""Checking many files at once: read and check in worker processes, stream results in input order.

Memory stays flat as the corpus grows: a worker reads one document, runs the single-report rules,
builds the report's small ``Digest`` and returns; the report is dropped.  The across-report rules
run over the digests at the end.  An unreadable file is a result row, never a crash.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import GongkaiError
from ..model import Report
from .config import CheckConfig
from .context import Context
from .digest import Digest, make_digest
from .engine import CRASH_ID, Finding, Rule, select_rules

#: extensions read when a folder is given (single files are read whatever their name)
EXTENSIONS = frozenset({".txt", ".htm", ".html", ".shtml", ".docx", ".pdf", ".xlsx", ".json"})


@dataclass
class FileResult:
    index: int
    source: str
    report: str | None = None
    agency: str | None = None
    year: int | None = None
    findings: list[Finding] = field(default_factory=list)
    digest: Digest | None = None
    #: why the file could not be read (None when it was read)
    error: str | None = None


Input = tuple[str, str | bytes]


def expand(paths: Iterable[str]) -> list[Input]:
    """Files and folders (walked recursively, sorted) → (label, path).  (Standard input is read by
    the command line, ``gongkai.cli.read_inputs``.)"""
    out: list[Input] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if Path(name).suffix.lower() in EXTENSIONS and not name.startswith("."):
                        f = os.path.join(root, name)
                        out.append((f, f))
        else:
            out.append((p, p))
    return out


# -- worker side -------------------------------------------------------------------------------

_STATE: dict[str, Any] = {}


def _init(config: CheckConfig, sketches: bool) -> None:
    _STATE["ctx"] = Context(config)
    _STATE["rules"] = select_rules(config.select, config.ignore, scope="report")
    _STATE["sketches"] = sketches


def read_report(label: str, src: str | bytes) -> Report:
    from ..readers import parse

    rep = parse(src, name=label)
    rep.source = label  # the file checked (for a JSON model: not the document it was read from)
    return rep


#: the longest reading one file may take; past it the file is reported unreadable and the run goes on
FILE_SECONDS = 300


class _FileTimeout(Exception):
    pass


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (SIGALRM; only where the platform and the thread allow
    it — elsewhere the readers' own size and page limits bound the time)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def alarm(signum: int, frame: Any) -> None:
        raise _FileTimeout

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def check_one(index: int, label: str, src: str | bytes) -> FileResult:
    """Read and check one document (runs in a worker, or inline for small runs)."""
    from . import check_report

    ctx: Context = _STATE["ctx"]
    res = FileResult(index, label)
    try:
        with _time_limit(FILE_SECONDS):
            rep = read_report(label, src)
    except _FileTimeout:
        res.error = f"读取超过 {FILE_SECONDS} 秒仍未完成，已跳过此文件（文件可能异常，请单独检查）"
        return res
    except GongkaiError as e:
        res.error = e.message if e.where else str(e)
        return res
    except Exception as e:  # a reader bug must not stop the batch
        res.error = f"读取时发生内部错误（请报告此问题）：{type(e).__name__}: {e}"
        return res
    res.report, res.agency, res.year = rep.label, rep.agency, rep.year
    res.findings = check_report(rep, ctx, _STATE["rules"])
    try:
        res.digest = make_digest(rep, index, min_chars=ctx.config.copying_min_chars, sketches=_STATE["sketches"])
    except Exception as e:  # never lose the findings; say that the comparisons miss this report
        res.findings.append(Finding(CRASH_ID, "error", f"无法为跨报告比对整理本报告：{type(e).__name__}: {e}",
                                    hint="这是核查程序的问题，请报告；本报告的其他结果不受影响",
                                    report=rep.label, source=rep.source))
    return res


def check_many(items: list[tuple[int, str, str | bytes]]) -> list[FileResult]:
    """A chunk of inputs per task: fewer round trips between the processes."""
    return [check_one(i, label, src) for i, label, src in items]


#: inputs handed to a worker at a time
CHUNK = 16


# -- driver --------------------------------------------------------------------------------------


@dataclass
class Batch:
    """A run over many inputs.  Iterate ``run()`` for per-file results in input order, then read
    ``corpus_findings`` (the across-report rules)."""

    inputs: list[Input]
    config: CheckConfig = field(default_factory=CheckConfig)
    workers: int | None = None
    on_progress: Callable[[int, int], None] | None = None
    corpus_findings: list[Finding] = field(default_factory=list)
    digests: list[Digest] = field(default_factory=list)

    def _corpus_rules(self) -> list[Rule]:
        return select_rules(self.config.select, self.config.ignore, scope="corpus")

    def run(self) -> Iterator[FileResult]:
        corpus_rules = self._corpus_rules()
        sketches = any("copying" in r.tags for r in corpus_rules)
        n = len(self.inputs)
        workers = self.workers or os.cpu_count() or 1
        done = 0
        if workers <= 1 or n <= 2:
            _init(self.config, sketches)
            for i, (label, src) in enumerate(self.inputs):
                res = check_one(i, label, src)
                done += 1
                if self.on_progress:
                    self.on_progress(done, n)
                yield self._keep(res)
        else:
            yield from self._parallel(workers, sketches)
        if len(self.digests) > 1 and corpus_rules:
            from . import check_corpus

            self.corpus_findings = check_corpus(self.digests, Context(self.config), corpus_rules)

    def _keep(self, res: FileResult) -> FileResult:
        if res.digest is not None:
            self.digests.append(res.digest)
        return res

    def _parallel(self, workers: int, sketches: bool) -> Iterator[FileResult]:
        n = len(self.inputs)
        chunk = max(1, min(CHUNK, n // (workers * 4)))
        window = workers * 4
        pending: dict[Future[list[FileResult]], list[int]] = {}
        ready: dict[int, FileResult] = {}
        next_out, done, start = 0, 0, 0
        with ProcessPoolExecutor(max_workers=workers, initializer=_init,
                                 initargs=(self.config, sketches)) as pool:
            def fill() -> None:
                nonlocal start
                while len(pending) < window and start < n:
                    idx = list(range(start, min(n, start + chunk)))
                    start += len(idx)
                    pending[pool.submit(check_many, [(i, *self.inputs[i]) for i in idx])] = idx

            fill()
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    idx = pending.pop(fut)
                    try:
                        results = fut.result()
                    except Exception as e:  # a worker died (e.g. out of memory): keep going
                        results = [FileResult(i, self.inputs[i][0],
                                              error=f"读取时工作进程异常退出：{type(e).__name__}: {e}") for i in idx]
                    for res in results:
                        ready[res.index] = res
                    done += len(results)
                    if self.on_progress:
                        self.on_progress(done, n)
                fill()
                while next_out in ready:
                    yield self._keep(ready.pop(next_out))
                    next_out += 1
