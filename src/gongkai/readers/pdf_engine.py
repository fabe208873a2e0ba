"""The PDF engine, isolated: pages are read in a worker process that can be stopped.

PDFium parses a PDF's content streams in C++; on a hostile or damaged file one call can run for
minutes, and when memory runs short it aborts the whole process.  So the page step (the engine's
chars and rulings → ``pdf_page.read_page`` → ``Page``) runs in a worker process:

* a fresh interpreter (``python -c …serve()``; no fork of the caller, no signal handlers, nothing
  that needs the main thread), so a web view or a background job can read an upload;
* its address space is limited (``MEMORY_MB``, RLIMIT_AS; no core files): an allocation PDFium
  cannot make ends the worker, never the caller, and the caller says so in Chinese;
* pages come back one by one on a pipe; the caller waits for each with a deadline (``PAGE_SECONDS``)
  and for the whole document with the reading budget, and kills the worker when one passes;
* a page with no text but images is read by OCR in the same worker (``ocr``), with OCR's own
  deadlines and a higher address-space limit while it recognises (the hard limit set at start);
* an idle worker is kept for the next document (``MAX_IDLE``), so a batch or a web worker pays the
  start-up once; a worker that was stopped, died, grew (``RECYCLE_MB``) or belongs to the process
  before a fork is never reused.

``GONGKAI_PDF_ISOLATE=0`` runs the page step in the calling process (profiling; no limits inside a
page).  ``GONGKAI_PYTHON`` names the interpreter to start when ``sys.executable`` is not Python
(an embedding server).
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import pickle
import selectors
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ParseError
from .pdf_page import Page, PageNotice, RawPage, read_page

#: seconds one page may take in the engine (a real page takes 5–20 ms; under heavy load 10× that)
PAGE_SECONDS = 2.5
#: address space of the worker process (MB): real reports need 30–60; the worker, not the caller, ends past it
MEMORY_MB = 400
#: idle workers kept for the next document
MAX_IDLE = 2
#: a worker whose resident memory grew past this (MB) is not kept
RECYCLE_MB = 200
#: seconds a worker may take to start (import Python, gongkai and PDFium)
START_SECONDS = 30.0

_ENCRYPTED = "PDF 已加密（设有打开密码），无法读取；请提供未加密的文件"


@dataclass(slots=True)
class Reading:
    """What the page step read: the pages (in order), the number of pages in the file, notices."""

    pages: list[Page]
    total: int
    notices: list[PageNotice] = field(default_factory=list)
    #: numbers of the pages read by OCR (their images; ``readers.ocr``)
    ocr: list[int] = field(default_factory=list)


def read_pages(data: bytes, name: str | None, *, backend: str = "pdfium", max_pages: int = 60,
               seconds: float = 60.0, page_seconds: float | None = None, ocr: str = "auto") -> Reading:
    """The pages of a PDF, read by the engine within ``seconds`` for the document and
    ``page_seconds`` for any one page.  When the document's budget runs out the pages read by then
    are used and a notice says so; a page that alone takes too long, or that makes the engine fail,
    is a ``ParseError`` naming the page.

    ``ocr``: "auto" reads a page that has images and no text by OCR, "on" every page, "off" none.
    A page read by OCR has its own deadline and the document a longer budget (``ocr.PAGE_SECONDS``,
    ``ocr.DOCUMENT_SECONDS``)."""
    request = {"backend": backend, "max_pages": max_pages, "ocr": ocr}
    if os.environ.get("GONGKAI_PDF_ISOLATE", "1") == "0":
        return _in_process(data, name, request, seconds)
    return _isolated(data, name, request, seconds, PAGE_SECONDS if page_seconds is None else page_seconds)


# -- the work itself (in the worker, or in process) -------------------------------------------

class _Source:
    """Pages of a PDF, read one at a time and released after use."""

    def __init__(self, data: bytes, backend: str) -> None:
        self.backend = backend
        self.data = data
        self._pdfium: Any = None
        if backend == "pdfplumber":
            self._open_plumber(data)
        else:
            self._open_pdfium(data)

    def _open_pdfium(self, data: bytes) -> None:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw

        try:
            self.doc: Any = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as e:
            if getattr(e, "err_code", None) == raw.FPDF_ERR_PASSWORD:
                raise ParseError(_ENCRYPTED) from None
            raise ParseError("PDF 文件已损坏或不完整，无法打开") from None
        self.total = len(self.doc)

    def _open_plumber(self, data: bytes) -> None:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

        try:
            self.doc = pdfplumber.open(io.BytesIO(data))
            self.pages = self.doc.pages  # parses the page tree
        except Exception as e:
            cause: BaseException = e
            while (type(cause).__name__ == "PdfminerException" and cause.args
                   and isinstance(cause.args[0], BaseException)):
                cause = cause.args[0]
            if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(cause).lower():
                raise ParseError(_ENCRYPTED) from None
            raise ParseError(f"PDF 文件已损坏或不完整，无法打开（{type(cause).__name__}）") from None
        self.total = len(self.pages)

    def page(self, i: int) -> RawPage:
        if self.backend == "pdfplumber":
            pl = self.pages[i]
            try:
                return (i + 1, float(pl.width), float(pl.height), list(pl.chars), list(pl.lines), list(pl.rects),
                        len(pl.images))
            finally:
                pl.close()
        from .pdf_pdfium import PageContent

        pg = self.doc[i]
        try:
            pc = PageContent(pg)
        finally:
            pg.close()
        return (i + 1, pc.width, pc.height, pc.chars, pc.lines, pc.rects, pc.images)

    def ocr_page(self, i: int, images: int) -> RawPage:
        """Page ``i`` read from its image (rendered by PDFium whichever backend reads the text)."""
        from .ocr import memory, ocr_page

        if self.backend != "pdfium" and self._pdfium is None:
            import pypdfium2 as pdfium

            self._pdfium = pdfium.PdfDocument(self.data)
        pg = (self.doc if self.backend == "pdfium" else self._pdfium)[i]
        try:
            with memory():
                return ocr_page(pg, i + 1, images)
        finally:
            pg.close()

    def close(self) -> None:
        self.doc.close()
        if self._pdfium is not None:
            self._pdfium.close()


Message = tuple[Any, ...]




def _work(data: bytes, request: dict[str, Any]) -> Iterator[Message]:
    """Messages: ("open", total pages), then ("page", Page) for each page read, then ("done",);
    or ("error", Chinese message) at any point."""
    try:
        src = _Source(data, request["backend"])
    except ParseError as e:
        yield ("error", e.message)
        return
    try:
        yield ("open", src.total)
        for i in range(min(src.total, request["max_pages"])):
            try:
                raw_page = src.page(i)
            except MemoryError:
                raise
            except Exception as e:
                yield ("error", f"PDF 第{i + 1}页已损坏，无法读取（{type(e).__name__}）")
                return
            mode = request.get("ocr", "auto")
            if mode == "on" or (mode == "auto" and not raw_page[3] and raw_page[6]):
                yield ("ocr", i + 1)
                try:
                    raw_page = src.ocr_page(i, raw_page[6])
                except ParseError as e:
                    yield ("error", e.message)
                    return
                except MemoryError:
                    raise
                except Exception as e:
                    yield ("error", f"PDF 第{i + 1}页的图片无法识别（OCR 引擎出错：{type(e).__name__}；"
                                    f"多因可用内存不足，OCR 约需 1.5 GB）")
                    return
            yield ("page", read_page(raw_page))
        yield ("done",)
    finally:
        src.close()


def _in_process(data: bytes, name: str | None, request: dict[str, Any], seconds: float) -> Reading:
    reading = Reading([], 0)
    start = time.monotonic()
    for msg in _work(data, request):
        if msg[0] == "error":
            raise ParseError(msg[1], where=name)
        if msg[0] == "open":
            reading.total = msg[1]
        elif msg[0] == "ocr":
            reading.ocr.append(msg[1])
        elif msg[0] == "page":
            reading.pages.append(msg[1])
            if time.monotonic() - start > seconds and len(reading.pages) < min(reading.total, request["max_pages"]):
                reading.notices.append(_over_budget(seconds, len(reading.pages)))
                break
    return reading


def _over_budget(seconds: float, read: int) -> PageNotice:
    return ("pdf.time", f"PDF 读取超过{seconds:g}秒，只读取了前{read}页")


# -- the worker process ---------------------------------------------------------------------

_HEADER = struct.Struct("<Q")


def _frame(obj: object) -> bytes:
    body = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(body)) + body


def serve() -> None:
    """The worker's main loop: requests in, messages out (on the two pipes its caller named in
    ``GONGKAI_PDF_FDS``), until the caller closes its end."""
    from .ocr import MEMORY_MB as OCR_MB

    limit = int(os.environ.get("GONGKAI_PDF_MEMORY_MB", MEMORY_MB)) * 1024 * 1024
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        # the hard limit is what OCR may raise the soft one to, never above the caller's own
        hard = max(limit, OCR_MB * 1024 * 1024)
        inherited = resource.getrlimit(resource.RLIMIT_AS)[1]
        if inherited != resource.RLIM_INFINITY:
            hard = min(hard, inherited)
        resource.setrlimit(resource.RLIMIT_AS, (min(limit, hard), hard))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not Linux, or a lower hard limit
        pass
    r, w = (int(fd) for fd in os.environ["GONGKAI_PDF_FDS"].split(","))
    inp, out = os.fdopen(r, "rb"), os.fdopen(w, "wb")  # the pipes from and to the caller
    import pypdfium2  # noqa: F401  (loaded before "ready": the start-up is paid once)

    out.write(_frame(("ready",)))
    out.flush()
    while True:
        head = inp.read(_HEADER.size)
        if len(head) < _HEADER.size:
            return
        request = pickle.loads(inp.read(_HEADER.unpack(head)[0]))
        data = inp.read(request["size"])
        try:
            for msg in _work(data, request):
                out.write(_frame(msg))
                out.flush()
        except MemoryError:
            out.write(_frame(("memory",)))
            out.flush()
        del data


class _Timeout(Exception):
    pass


class _Died(Exception):
    pass


def _python() -> str:
    return os.environ.get("GONGKAI_PYTHON") or sys.executable or "python3"


class _Worker:
    def __init__(self) -> None:
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[2])  # the directory holding the gongkai package
        env["PYTHONPATH"] = os.pathsep.join([root, *filter(None, [env.get("PYTHONPATH")])])
        env["GONGKAI_PDF_MEMORY_MB"] = str(MEMORY_MB)
        debug = os.environ.get("GONGKAI_PDF_ENGINE_STDERR") == "1"
        to_worker, from_worker = os.pipe(), os.pipe()  # (read end, write end) each
        env["GONGKAI_PDF_FDS"] = f"{to_worker[0]},{from_worker[1]}"
        try:
            self.proc = subprocess.Popen(
                [_python(), "-c", "from gongkai.readers.pdf_engine import serve; serve()"],
                stdin=subprocess.DEVNULL, stdout=None if debug else subprocess.DEVNULL,
                stderr=None if debug else subprocess.DEVNULL, env=env, close_fds=True,
                pass_fds=(to_worker[0], from_worker[1]))
        except OSError:
            for fd in (*to_worker, *from_worker):
                os.close(fd)
            raise
        os.close(to_worker[0])  # the worker's ends
        os.close(from_worker[1])
        self.owner = os.getpid()
        self._in, self._out = to_worker[1], from_worker[0]
        self._open = True
        os.set_blocking(self._in, False)
        self._buf = bytearray()
        self.started = False

    def start(self, deadline: float) -> None:
        """Wait for a new worker's "ready" (imports done)."""
        if not self.started:
            if self.recv(deadline) != ("ready",):
                raise _Died
            self.started = True

    def usable(self) -> bool:
        return self.owner == os.getpid() and self.proc.poll() is None

    def rss_mb(self) -> float:
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for ln in f:
                    if ln.startswith("VmRSS:"):
                        return int(ln.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def send(self, chunks: list[bytes], deadline: float) -> None:
        with selectors.DefaultSelector() as sel:
            sel.register(self._in, selectors.EVENT_WRITE)
            for chunk in chunks:
                view = memoryview(chunk)
                while view:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise _Timeout
                    if not sel.select(left):
                        continue
                    try:
                        n = os.write(self._in, view[:1 << 20])
                    except BlockingIOError:
                        continue
                    except (BrokenPipeError, OSError):
                        raise _Died from None
                    view = view[n:]

    def recv(self, deadline: float) -> Message:
        with selectors.DefaultSelector() as sel:
            sel.register(self._out, selectors.EVENT_READ)
            while True:
                if len(self._buf) >= _HEADER.size:
                    n = _HEADER.unpack_from(self._buf)[0]
                    if len(self._buf) >= _HEADER.size + n:
                        body = bytes(self._buf[_HEADER.size:_HEADER.size + n])
                        del self._buf[:_HEADER.size + n]
                        msg: Message = pickle.loads(body)
                        return msg
                left = deadline - time.monotonic()
                if left <= 0:
                    raise _Timeout
                if not sel.select(left):
                    continue
                chunk = os.read(self._out, 1 << 20)
                if not chunk:
                    raise _Died
                self._buf += chunk

    def kill(self) -> None:
        if self.owner != os.getpid():
            return
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._close_pipes()

    def close(self) -> None:
        """Let an idle worker end by itself (its request pipe closes), then make sure it did."""
        self._close_pipes()
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()

    def _close_pipes(self) -> None:
        if self._open:
            self._open = False
            for fd in (self._in, self._out):
                with contextlib.suppress(OSError):
                    os.close(fd)


_idle: list[_Worker] = []
_lock = threading.Lock()


def _take() -> _Worker:
    with _lock:
        while _idle:
            w = _idle.pop()
            if w.usable():
                return w
            if w.owner == os.getpid():
                w.kill()
    return _Worker()


def _give_back(w: _Worker) -> None:
    if w.usable() and w.rss_mb() <= RECYCLE_MB:
        with _lock:
            if len(_idle) < MAX_IDLE:
                _idle.append(w)
                return
    w.close()


def shutdown() -> None:
    """End the idle workers (at exit; a caller may also do it to free their memory)."""
    with _lock:
        workers = [w for w in _idle if w.owner == os.getpid()]
        _idle.clear()
    for w in workers:
        w.close()


def _after_fork() -> None:
    # the workers belong to the parent; this process starts its own when it needs one (and drops
    # its copies of their pipes, so that they still end when the parent goes)
    global _lock
    _lock = threading.Lock()
    for w in _idle:
        w._close_pipes()
    _idle.clear()


atexit.register(shutdown)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


def _isolated(data: bytes, name: str | None, request: dict[str, Any], seconds: float,
              page_seconds: float) -> Reading:
    try:
        worker = _take()
        worker.start(time.monotonic() + START_SECONDS)
    except (OSError, _Timeout, _Died) as e:
        detail = e.strerror if isinstance(e, OSError) else "超时" if isinstance(e, _Timeout) else "进程退出"
        raise ParseError(f"PDF 读取进程无法启动（{detail}），请检查 gongkai 与 pypdfium2 的安装", where=name) from None
    from . import ocr

    start = time.monotonic()
    end = start + seconds
    reading = Reading([], 0)
    opened = finished = False
    wait = page_seconds
    try:
        worker.send([_frame({**request, "size": len(data)}), data], end)
        while True:
            msg = worker.recv(min(end, time.monotonic() + wait))
            if msg[0] == "open":
                opened, reading.total = True, msg[1]
            elif msg[0] == "ocr":  # the worker recognises this page's image: OCR's deadlines hold
                reading.ocr.append(msg[1])
                wait, end = ocr.PAGE_SECONDS, max(end, start + ocr.DOCUMENT_SECONDS)
                seconds = max(seconds, ocr.DOCUMENT_SECONDS)
            elif msg[0] == "page":
                wait = page_seconds
                reading.pages.append(msg[1])
            elif msg[0] == "done":
                finished = True
                return reading
            elif msg[0] == "memory":
                raise ParseError(_crashed(len(reading.pages) + 1, opened, reading.ocr), where=name)
            else:  # the file cannot be read; the worker is ready for the next one
                finished = True
                raise ParseError(msg[1], where=name)
    except _Timeout:
        if time.monotonic() >= end and reading.pages:
            reading.notices.append(_over_budget(seconds, len(reading.pages)))
            return reading
        limit = min(seconds, wait)
        where = f"第{len(reading.pages) + 1}页" if opened else "文件"
        if reading.ocr and reading.ocr[-1] == len(reading.pages) + 1:
            raise ParseError(f"PDF {where}的图片 OCR 识别超过{limit:g}秒，无法读取", where=name) from None
        raise ParseError(f"PDF {where}内容过于复杂，读取超过{limit:g}秒，无法读取", where=name) from None
    except _Died:
        raise ParseError(_crashed(len(reading.pages) + 1, opened, reading.ocr), where=name) from None
    finally:
        if finished:
            _give_back(worker)
        else:
            worker.kill()


def _crashed(page: int, opened: bool, ocr_pages: list[int] | None = None) -> str:
    where = f"第{page}页" if opened else "文件"
    if ocr_pages and ocr_pages[-1] == page:
        from .ocr import MEMORY_MB as OCR_MB

        return f"OCR 识别 PDF {where}的图片时异常终止（图片过大或内容过于复杂、超出内存上限 {OCR_MB} MB），无法读取"
    return (f"PDF 引擎读取{where}时异常终止（文件可能已损坏，或内容过于复杂、超出内存上限 {MEMORY_MB} MB），"
            "无法读取")
