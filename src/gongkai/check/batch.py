"""Checking many files at once: read and check in worker processes, stream results in input order.

Memory stays flat as the corpus grows: a worker reads one document, runs the single-report rules,
builds the report's small ``Digest`` and returns; the report is dropped.  A report whose glued
stock row (table 二) a neighbouring year of the same agency may settle waits for the end of the
run; those the neighbouring year settles are read and checked again (``years``).  The
across-report rules run over the digests at the end.  An unreadable file is a result, never a crash.

    for rr in check_files(["年报目录/"]):      # ReportResult per file (rr.index: input position)
        print(rr.label, rr.valid)
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import GongkaiError
from ..model import Report
from ..options import ReadOptions
from .catalogue import select_rules
from .config import CheckConfig
from .context import Context
from .digest import Digest, make_digest
from .engine import CRASH_ID, Finding, Rule
from .result import CheckResult, ReportResult, Skipped
from .years import waits

#: extensions read when a folder is given (single files are read whatever their name)
EXTENSIONS = frozenset({".txt", ".htm", ".html", ".shtml", ".docx", ".pdf", ".xlsx", ".json"})

#: why a file of a folder is not read, by extension
SKIP_REASONS = {
    ".doc": "旧版 Word 文档（.doc）无法读取，请另存为 .docx 后再核查",
    ".wps": "WPS 文档（.wps）无法读取，请另存为 .docx 后再核查",
    ".xls": "旧版 Excel 工作簿（.xls）无法读取，请另存为 .xlsx 后再核查",
    ".et": "WPS 表格（.et）无法读取，请另存为 .xlsx 后再核查",
    ".rtf": "RTF 文档无法读取，请另存为 .docx 后再核查",
    ".ofd": "OFD 版式文件无法读取，请另存为 PDF 后再核查",
    ".zip": "压缩包，请先解压再核查",
    ".rar": "压缩包，请先解压再核查",
    ".7z": "压缩包，请先解压再核查",
}
_IMAGE = frozenset({".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp"})


def skip_reason(name: str) -> str:
    ext = Path(name).suffix.lower()
    if ext in SKIP_REASONS:
        return SKIP_REASONS[ext]
    if ext in _IMAGE:
        return "图片文件，不读取（图片版年报请以 PDF 提交）"
    return f"不是可读取的年报格式（可读取：{'、'.join(sorted(EXTENSIONS))}）"


#: a document to read: a path, or (name, bytes) for a document held in memory (e.g. standard input)
Source = str | os.PathLike[str] | tuple[str, bytes]
#: (label, path or bytes)
Input = tuple[str, str | bytes]


def expand(paths: Iterable[Source], skipped: list[Skipped] | None = None) -> list[Input]:
    """Files and folders (walked recursively, sorted) → (label, path or bytes).

    Files of a folder whose extension is not a report's are left out and, when ``skipped`` is
    given, listed there with the reason (hidden files are left out silently)."""
    out: list[Input] = []
    for p in paths:
        if isinstance(p, tuple):
            out.append((p[0], p[1]))
            continue
        p = os.fspath(p)
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    f = os.path.join(root, name)
                    if Path(name).suffix.lower() in EXTENSIONS:
                        out.append((f, f))
                    elif skipped is not None:
                        skipped.append(Skipped(f, skip_reason(name)))
        else:
            out.append((p, p))
    return out


def group_forms(inputs: list[Input]) -> tuple[list[Input], dict[str, tuple[str, ...]]]:
    """Files side by side with the same stem (``page.html`` + ``page.txt``, ``年报.pdf`` + ``年报.txt``)
    are one report: the preferred form stays in the inputs, the others are returned by its label."""
    from .siblings import group_siblings

    paths = [label for label, src in inputs if isinstance(src, str)]
    others: dict[str, tuple[str, ...]] = {}
    drop: set[str] = set()
    for group in group_siblings(paths):
        if len(group) > 1:
            others[group[0]] = tuple(group[1:])
            drop.update(group[1:])
    kept = [(label, src) if label not in others else (label, label) for label, src in inputs if label not in drop]
    return kept, others


# -- worker side -------------------------------------------------------------------------------

_STATE: dict[str, Any] = {}


def _init(config: CheckConfig, sketches: bool, options: ReadOptions | None = None) -> None:
    _STATE["options"] = options
    _STATE["ctx"] = Context(config)
    _STATE["rules"] = select_rules(config.select, config.ignore, scope="report")
    _STATE["sketches"] = sketches


def _init_worker(config: CheckConfig, sketches: bool, options: ReadOptions | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's business
    _init(config, sketches, options)


def read_report(label: str, src: str | bytes) -> Report:
    from ..readers import parse

    rep = parse(src, name=label, options=_STATE.get("options"))
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


def _read_one(label: str, src: str | bytes) -> Report | str:
    """The report, or why it could not be read."""
    try:
        with _time_limit(FILE_SECONDS):
            return read_report(label, src)
    except _FileTimeout:
        return f"读取超过 {FILE_SECONDS} 秒仍未完成，已跳过此文件（文件可能异常，请单独检查）"
    except GongkaiError as e:
        return e.message if e.where else str(e)
    except Exception as e:  # a reader bug must not stop the batch
        return f"读取时发生内部错误（请报告此问题）：{type(e).__name__}: {e}"


def read_forms(label: str, src: str | bytes, others: tuple[str, ...] = ()) -> Report | str:
    """Read a report and its other forms; keep the better reading (see ``siblings``)."""
    from ..messages import Notice
    from .siblings import choose, settle_siblings

    first = _read_one(label, src)
    if not others:
        return first
    readings: list[tuple[str, Report]] = [(label, first)] if isinstance(first, Report) else []
    failed: list[tuple[str, str]] = [] if isinstance(first, Report) else [(label, first)]
    for o in others:
        r = _read_one(o, o)
        if isinstance(r, Report):
            readings.append((o, r))
        else:
            failed.append((o, r))
    if not readings:
        return first
    if len(readings) > 1:
        settle_siblings(readings)
    rep = choose(readings) if len(readings) > 1 else readings[0][1]
    for path, why in failed:
        rep.warnings.append(Notice("sibling.unreadable", f"同一报告的另一种形式 {os.path.basename(path)} 无法读取：{why}"))
    return rep


def check_one(index: int, label: str, src: str | bytes, others: tuple[str, ...] = ()) -> ReportResult:
    """Read and check one document, with its other forms (runs in a worker, or inline for small runs)."""
    return check_read(index, label, read_forms(label, src, others), others)


def check_read(index: int, label: str, rep: Report | str, others: tuple[str, ...] = ()) -> ReportResult:
    """Check a report read from ``label`` (or say why it could not be read) and make its digest."""
    from . import check_report

    ctx: Context = _STATE["ctx"]
    res = ReportResult(index, ref=label, label=label, source=label, other_forms=list(others))
    if not isinstance(rep, Report):
        res.unreadable = rep
        return res
    rep.ref = label
    res.label, res.source, res.agency, res.year = rep.label, rep.source, rep.agency, rep.year
    res.findings = check_report(rep, ctx, _STATE["rules"])
    try:
        res.digest = make_digest(rep, index, min_chars=ctx.config.copying_min_chars, sketches=_STATE["sketches"])
    except Exception as e:  # never lose the findings; say that the comparisons miss this report
        res.findings.append(Finding(CRASH_ID, "error", f"无法为跨报告比对整理本报告：{type(e).__name__}: {e}",
                                    hint="这是核查程序的问题，请报告；本报告的其他结果不受影响",
                                    report=rep.label, source=rep.source, ref=rep.ref))
    return res


def check_many(items: list[tuple[int, str, str | bytes, tuple[str, ...]]]) -> list[ReportResult]:
    """A chunk of inputs per task: fewer round trips between the processes."""
    return [check_one(*item) for item in items]


#: inputs handed to a worker at a time
CHUNK = 16
#: runs of fewer inputs stay in this process unless workers are asked for: starting processes
#: costs more than it saves (figures in benchmarks/README.md)
SMALL_RUN = 8

def default_workers(n: int) -> int:
    """Processes for a run of ``n`` inputs when the caller does not say: one for a small run;
    otherwise the cores that are free (a core already busy with another program gains nothing
    from a second worker and pays its start-up: figures in benchmarks/README.md), at least one."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if n < SMALL_RUN or cores <= 1:
        return 1
    try:
        busy = int(os.getloadavg()[0])
    except (AttributeError, OSError):  # no load average on this platform
        busy = 0
    # this process waits while the workers read: it does not count against the free cores
    return max(1, min(cores, cores - busy + 1))


#: reader modules by file extension (imported before the workers start, so that they inherit them)
_READER_MODULES = {".txt": "text", ".htm": "html", ".html": "html", ".shtml": "html", ".docx": "docx",
                   ".pdf": "pdf", ".xlsx": "xlsx", ".json": "assemble"}


def preload(inputs: list[Input], sketches: bool) -> None:
    """Import, once in this process, what every worker would otherwise import for itself: the readers
    of the kinds of file in the run, the rule catalogue, and the MinHash library (whose import is
    the slowest part of a worker's start).  Worker processes are forked and inherit them."""
    import importlib

    kinds = {_READER_MODULES.get(os.path.splitext(label)[1].lower(), "text") for label, _ in inputs}
    for kind in sorted(kinds | {"assemble"}):
        importlib.import_module(f"gongkai.readers.{kind}")
    select_rules()
    if sketches:
        from .digest import minhash_permutations

        minhash_permutations()


# -- driver --------------------------------------------------------------------------------------


@dataclass
class Batch:
    """A run over many inputs.  Iterate it for per-file ``ReportResult`` in input order — except
    the few reports whose glued stock rows wait for the neighbouring years (``check.years``): they
    come last, each once; ``ReportResult.index`` is the input position.  When the iteration is
    over, ``across`` holds the across-report findings (with the index of the report each belongs
    to) and ``result()`` the whole ``CheckResult`` (in input order)."""

    inputs: list[Input]
    config: CheckConfig = field(default_factory=CheckConfig)
    workers: int | None = None
    options: ReadOptions | None = None
    on_progress: Callable[[int, int], None] | None = None
    #: files of the folders that were not read, with the reason
    skipped: list[Skipped] = field(default_factory=list)
    #: label → the other forms of the same report (read with it, counted once)
    forms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    across: list[tuple[int, Finding]] = field(default_factory=list)
    digests: list[Digest] = field(default_factory=list)
    #: results held back until every report is read (a glued stock row a neighbouring year may
    #: settle: ``check.years``) and not yet given out; after an interruption, what they were
    waiting: list[ReportResult] = field(default_factory=list)

    def _corpus_rules(self) -> list[Rule]:
        return select_rules(self.config.select, self.config.ignore, scope="corpus")

    def __iter__(self) -> Iterator[ReportResult]:
        return self.run()

    def run(self) -> Iterator[ReportResult]:
        corpus_rules = self._corpus_rules()
        sketches = any("copying" in r.tags for r in corpus_rules)
        n = len(self.inputs)
        workers = self.workers or default_workers(n)
        self.waiting = []
        if workers <= 1 or n <= 1:
            _init(self.config, sketches, self.options)
            results = self._serial()
        else:
            preload(self.inputs, sketches)
            results = self._parallel(workers, sketches)
        with closing(results):
            for res in results:
                if waits(res):  # a neighbouring year may settle its glued stock row: at the end
                    self.waiting.append(res)
                    continue
                yield self._keep(res)
        if self.waiting:
            yield from self._settle_waiting(sketches)
        if len(self.digests) > 1 and corpus_rules:
            from . import check_corpus

            self.digests.sort(key=lambda d: d.index)
            self.across = check_corpus(self.digests, Context(self.config), corpus_rules)

    def _serial(self) -> Generator[ReportResult, None, None]:
        n = len(self.inputs)
        for i, (label, src) in enumerate(self.inputs):
            res = check_one(i, label, src, self.forms.get(label, ()))
            if self.on_progress:
                self.on_progress(i + 1, n)
            yield res

    def _settle_waiting(self, sketches: bool) -> Iterator[ReportResult]:
        """The reports that waited for the whole run: those a neighbouring year settles are read
        again with the cells set (``check.years``) and checked again; each comes out once, in
        input order among themselves (``waiting`` holds those not yet given out)."""
        from .years import settle_waiting

        _init(self.config, sketches, self.options)  # with workers, this process has not checked yet

        def read(res: ReportResult) -> Report | None:
            label, src = self.inputs[res.index]
            rep = read_forms(label, src, self.forms.get(label, ()))
            return rep if isinstance(rep, Report) else None

        everyone = self.digests + [r.digest for r in self.waiting if r.digest is not None]
        settled = settle_waiting(self.waiting, everyone, read)
        self.waiting.sort(key=lambda r: r.index)
        while self.waiting:
            res = self.waiting[0]
            rep = settled.get(res.index)
            if rep is not None:
                label = self.inputs[res.index][0]
                res = check_read(res.index, label, rep, self.forms.get(label, ()))
            self.waiting.pop(0)
            yield self._keep(res)

    def result(self) -> CheckResult:
        """Run to the end and gather everything (the whole run in memory: for API callers)."""
        from . import merge_across

        reports = sorted(self.run(), key=lambda r: r.index)
        merge_across(reports, self.across)
        return CheckResult(reports, list(self.skipped))

    def _keep(self, res: ReportResult) -> ReportResult:
        if res.digest is not None:
            self.digests.append(res.digest)
        return res

    def _parallel(self, workers: int, sketches: bool) -> Generator[ReportResult, None, None]:
        n = len(self.inputs)
        chunk = max(1, min(CHUNK, n // (workers * 4)))
        window = workers * 4
        pending: dict[Future[list[ReportResult]], list[int]] = {}
        ready: dict[int, ReportResult] = {}
        next_out, done, start = 0, 0, 0
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                 initargs=(self.config, sketches, self.options)) as pool:
            def fill() -> None:
                nonlocal start
                while len(pending) < window and start < n:
                    idx = list(range(start, min(n, start + chunk)))
                    start += len(idx)
                    items = [(i, *self.inputs[i], self.forms.get(self.inputs[i][0], ())) for i in idx]
                    pending[pool.submit(check_many, items)] = idx

            try:
                fill()
                while pending:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in finished:
                        idx = pending.pop(fut)
                        try:
                            results = fut.result()
                        except Exception as e:  # a worker died (e.g. out of memory): keep going
                            results = [ReportResult(i, ref=self.inputs[i][0], label=self.inputs[i][0],
                                                    source=self.inputs[i][0],
                                                    unreadable=f"读取时工作进程异常退出：{type(e).__name__}: {e}")
                                       for i in idx]
                        for res in results:
                            ready[res.index] = res
                        done += len(results)
                        if self.on_progress:
                            self.on_progress(done, n)
                    fill()
                    while next_out in ready:
                        yield ready.pop(next_out)
                        next_out += 1
            except BaseException:  # Ctrl-C or the consumer stopped: do not wait for the files in hand
                # Python 3.11 has no public way to stop a busy worker (3.14: terminate_workers); the
                # processes are taken before shutdown() forgets them
                busy = list((getattr(pool, "_processes", None) or {}).values())
                pool.shutdown(wait=False, cancel_futures=True)
                for proc in busy:
                    proc.terminate()
                raise


def check_files(paths: Iterable[Source], *, workers: int | None = None, options: ReadOptions | None = None,
                config: CheckConfig | None = None, on_progress: Callable[[int, int], None] | None = None) -> Batch:
    """Read and check files and folders (walked recursively): iterate the returned ``Batch`` for a
    ``ReportResult`` per file in input order, or call ``.result()`` for the whole ``CheckResult``.

    ``workers``: processes (default: every core; small runs stay in this process); ``options``: how
    documents are read (``gongkai.ReadOptions``)."""
    skipped: list[Skipped] = []
    inputs, forms = group_forms(expand(paths, skipped))
    return Batch(inputs, CheckConfig.resolve(config), workers=workers, options=options, on_progress=on_progress,
                 skipped=skipped, forms=forms)
