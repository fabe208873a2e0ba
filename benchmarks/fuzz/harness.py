"""A mutation fuzzer for gongkai's readers (issue 13): any bytes in, a Chinese answer out.

Seeds come from the corpora (``tests/corpus*``), the shared samples and the shared fuzz reproducers
(``../shared``), plus JSON models printed from them.  Each kind of input has mutators that know its
structure (text lines and digit runs; HTML tags and attributes; DOCX/XLSX zip members and their XML;
PDF bytes, objects and Flate content streams; the JSON model's keys and types) besides generic byte
mutations.  Each input is read in a fresh process — forked from a parent that has gongkai imported,
so a run costs milliseconds, not an interpreter start — with an address-space limit
(``resource.setrlimit`` in the child) and a wall-clock limit, and its outcome is classified:

=============  ===============================================================================
result         a ``Report`` (and, for JSON models, rendered as HTML)
error          a ``GongkaiError`` whose message is Chinese (what is wrong and where)
bad-message    a ``GongkaiError`` without a Chinese message
traceback      any other exception (a bug)
memory         ``MemoryError`` under the address-space limit
timeout        still running at the wall-clock limit (the child is killed)
crash          the child died without an answer (a signal such as SIGABRT/SIGSEGV, or exit)
=============  ===============================================================================

Failing inputs (traceback, memory, timeout, crash, bad-message) are shrunk (delta debugging on bytes,
keeping the same outcome and exception type) and written out with what they do.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gzip
import io
import json
import os
import random
import re
import resource
import signal
import time
import traceback
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("GONGKAI_SHARED") or ROOT.parent / "shared")
KINDS = ("text", "html", "docx", "xlsx", "pdf", "json")
BAD = ("traceback", "memory", "timeout", "crash", "bad-message")
CJK = re.compile(r"[\u4e00-\u9fff]")


# -- seeds -------------------------------------------------------------------------------------

def kind_of(data: bytes) -> str:
    from gongkai.readers import sniff

    k = sniff(data)
    return k if k in KINDS else "text"


def seeds(shared: Path = SHARED) -> dict[str, list[tuple[str, bytes]]]:
    """(name, bytes) per kind, sorted by name (deterministic)."""
    files = sorted(p for p in ROOT.glob("tests/corpus*/**/*") if p.is_file() and "expected" not in p.name)
    for sub in ("samples", "fuzz"):
        if (shared / sub).is_dir():
            files += sorted(p for p in (shared / sub).rglob("*") if p.is_file() and p.suffix != ".md")
    out: dict[str, list[tuple[str, bytes]]] = {k: [] for k in KINDS}
    for p in files:
        data = p.read_bytes()
        if p.suffix == ".gz":
            data = gzip.decompress(data)
        if len(data) > 4_000_000:
            continue  # big seeds make slow runs; the size limits have their own tests
        name = str(p.relative_to(p.parents[2]))
        out[kind_of(data)].append((name, data))
    import gongkai

    for name, data in list(out["text"])[:6] + list(out["html"])[:2]:
        try:
            report = gongkai.parse(data, name=name)
        except gongkai.GongkaiError:
            continue
        out["json"].append((f"{name}.json", report.to_json().encode("utf-8")))
    return out


# -- mutators ----------------------------------------------------------------------------------

Mutator = Callable[[random.Random, bytes], bytes]

_INTERESTING = [b"9" * 5000, b"0" * 300, b"-1", b"4294967296", b"\x00", b"\xef\xbb\xbf", b"\xff\xfe",
                b"\xe4\xb8", b" " * 40000, b"\t" * 20000, "（三）不予公开".encode(), "总计".encode(),
                b"NaN", b"1e999999", "１２３".encode(), b"/", b"\r", b"\n" * 2000]


def _span(rng: random.Random, n: int) -> tuple[int, int]:
    a = rng.randrange(n + 1)
    return a, min(n, a + rng.choice((1, 2, 8, 64, 512, 4096)))


def flip(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return b"\x00"
    b = bytearray(data)
    for _ in range(rng.choice((1, 4, 16))):
        b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
    return bytes(b)


def insert(rng: random.Random, data: bytes) -> bytes:
    i = rng.randrange(len(data) + 1)
    return data[:i] + rng.choice(_INTERESTING) + data[i:]


def delete(rng: random.Random, data: bytes) -> bytes:
    a, b = _span(rng, len(data))
    return data[:a] + data[b:]


def duplicate(rng: random.Random, data: bytes) -> bytes:
    a, b = _span(rng, len(data))
    return data[:b] + data[a:b] * rng.choice((1, 2, 10, 100)) + data[b:]


def swap(rng: random.Random, data: bytes) -> bytes:
    if len(data) < 4:
        return data
    a, b = sorted(rng.sample(range(len(data)), 2))
    n = min(rng.choice((4, 64, 1024)), b - a)
    return data[:a] + data[b:b + n] + data[a + n:b] + data[a:a + n] + data[b + n:]


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


GENERIC: list[Mutator] = [flip, insert, delete, duplicate, swap, truncate]


def _lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    op = rng.randrange(6)
    i = rng.randrange(len(lines))
    if op == 0:
        lines[i:i] = lines[i:i + rng.choice((1, 5, 50))] * rng.choice((2, 20, 200))
    elif op == 1:
        del lines[i:i + rng.choice((1, 10))]
    elif op == 2:
        rng.shuffle(lines)
    elif op == 3:  # glue lines (portal text versions lose their separators)
        j = min(len(lines), i + rng.choice((2, 10, 40)))
        lines[i:j] = [b"".join(lines[i:j])]
    elif op == 4:  # digits glued into long runs
        lines[i] = re.sub(rb"\d+", lambda m: m.group(0) * rng.choice((2, 7, 30)), lines[i])
    else:
        lines[i] = re.sub(rb"\d", lambda m: str(rng.randrange(10)).encode(), lines[i])
    return b"\n".join(lines)


def _html(rng: random.Random, data: bytes) -> bytes:
    op = rng.randrange(5)
    if op == 0:  # attribute values beyond any sense
        return re.sub(rb'(colspan|rowspan|width|size)="[^"]*"',
                      lambda m: m.group(1) + b'="' + rng.choice((b"9" * 4000, b"-1", b"0", b"\xe2\x80\x94")) + b'"',
                      data, count=rng.choice((1, 5, 1000)))
    if op == 1:  # deep nesting
        i = rng.randrange(len(data) + 1)
        n = rng.choice((100, 3000))
        return data[:i] + b"<div>" * n + b"x" + b"</div>" * n + data[i:]
    if op == 2:  # closing tags lost
        return data.replace(rng.choice((b"</td>", b"</tr>", b"</table>", b"</p>")), b"", rng.choice((1, 100)))
    if op == 3:  # a tag duplicated in place
        tags = [m.span() for m in re.finditer(rb"<(td|tr|table|p|span)[^>]*>", data)]
        if tags:
            a, b = rng.choice(tags)
            return data[:b] + data[a:b] * rng.choice((2, 50)) + data[b:]
        return data
    return _lines(rng, data)


def _zip(rng: random.Random, data: bytes) -> bytes:
    """Mutate one XML member of a DOCX/XLSX (or the zip's bytes when it cannot be opened)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = [(i, z.read(i)) for i in z.infolist()]
    except Exception:
        return rng.choice(GENERIC)(rng, data)
    xml = [k for k, (i, _) in enumerate(members) if i.filename.endswith(".xml")]
    if not xml or rng.random() < 0.15:
        return rng.choice((swap, truncate, flip))(rng, data)
    k = rng.choice(xml)
    info, body = members[k]
    op = rng.randrange(5)
    if op == 0:  # attribute values
        body = re.sub(rb'(w:val|w:ilvl|w:gridSpan|w:vMerge|r|t|s|ref|w:w)="[^"]*"',
                      lambda m: m.group(1) + b'="' + rng.choice(
                          (b"9" * 4000, b"-1", b"\xe2\x80\x94", b"\xc2\xb2", b"", b"A0", b"1e9")) + b'"',
                      body, count=rng.choice((1, 10, 10000)))
    elif op == 1:  # an element duplicated
        spans = [m.span() for m in re.finditer(rb"<(w:tr|w:tc|w:p|row|c)\b[^>]*>.*?</\1>", body, re.S)]
        if spans:
            a, b = rng.choice(spans)
            body = body[:b] + body[a:b] * rng.choice((2, 30, 300)) + body[b:]
    elif op == 2:  # an element removed
        spans = [m.span() for m in re.finditer(rb"<(w:tc|w:tr|c|row|w:t)\b[^>]*>.*?</\1>", body, re.S)]
        if spans:
            a, b = rng.choice(spans)
            body = body[:a] + body[b:]
    elif op == 3:  # text: digits and labels
        body = re.sub(rb">(\d+)<", lambda m: b">" + m.group(1) * rng.choice((1, 9, 200)) + b"<", body)
    else:
        body = rng.choice(GENERIC)(rng, body)
    members[k] = (info, body)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for i, b in members:
            out.writestr(i.filename, b)
    return buf.getvalue()


_STREAM = re.compile(rb"/FlateDecode.*?>>\s*stream\r?\n", re.S)


def _pdf(rng: random.Random, data: bytes) -> bytes:
    op = rng.randrange(5)
    if op == 0:  # a content stream decompressed, mutated, compressed again
        starts = [m.end() for m in _STREAM.finditer(data)]
        if starts:
            a = rng.choice(starts)
            b = data.find(b"endstream", a)
            if b > a:
                try:
                    body = zlib.decompress(data[a:b].rstrip(b"\r\n"))
                except zlib.error:
                    body = b""
                if body:
                    body = _lines(rng, body) if rng.random() < 0.6 else duplicate(rng, body)
                    return data[:a] + zlib.compress(body) + b"\n" + data[b:]
        return flip(rng, data)
    if op == 1:  # numbers in the objects (counts, boxes, lengths)
        nums = [m.span() for m in re.finditer(rb"(?<=[ /\[])\d+(?=[ \]/>])", data[:200_000])]
        if nums:
            for _ in range(rng.choice((1, 5, 30))):
                a, b = rng.choice(nums)
                data = data[:a] + rng.choice((b"0", b"-1", b"99999999", b"3")).ljust(b - a)[: max(b - a, 1)] + data[b:]
        return data
    if op == 2:  # an object appended many times (rectangles, pages)
        a, b = _span(rng, len(data))
        return data + data[a:b] * rng.choice((10, 200))
    return rng.choice(GENERIC)(rng, data)


def _json(rng: random.Random, data: bytes) -> bytes:
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return rng.choice(GENERIC)(rng, data)
    paths: list[tuple[object, object]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for k in list(node):
                paths.append((node, k))
                walk(node[k])
        elif isinstance(node, list):
            for i in range(len(node)):
                paths.append((node, i))
                walk(node[i])

    walk(doc)
    if not paths:
        return data
    for _ in range(rng.choice((1, 3))):
        parent, key = rng.choice(paths)
        new = rng.choice(("x", 0.5, -1, 10**30, None, True, [], {}, [[[[[]]]]], "NaN", "\ud800", "9" * 50,
                          {"loc": "x"}, ["2021", "2022", "2023"]))
        if isinstance(parent, dict) and rng.random() < 0.2:
            del parent[key]  # type: ignore[arg-type]
        else:
            parent[key] = new  # type: ignore[index]
    text = json.dumps(doc, ensure_ascii=rng.random() < 0.5)
    if rng.random() < 0.1:
        text = text.replace('"x"', "NaN", 1).replace("0.5", "-Infinity", 1)
    if rng.random() < 0.05:
        text = '{"a": ' + "[" * 3000 + "]" * 3000 + ", " + text[1:]
    return text.encode("utf-8", "surrogatepass")


STRUCTURED: dict[str, Mutator] = {"text": _lines, "html": _html, "docx": _zip, "xlsx": _zip, "pdf": _pdf,
                                  "json": _json}


def mutate(rng: random.Random, kind: str, data: bytes) -> bytes:
    """One to three mutations, mostly structural for the kind."""
    for _ in range(rng.choice((1, 1, 2, 3))):
        m = STRUCTURED[kind] if rng.random() < 0.7 else rng.choice(GENERIC)
        data = m(rng, data)
    return data


def inputs(seed: int, per_kind: int, pool: dict[str, list[tuple[str, bytes]]],
           kinds: tuple[str, ...] = KINDS) -> Iterator[tuple[str, str, bytes]]:
    """(kind, name, bytes): ``per_kind`` mutated inputs of each kind, the kinds taking turns; the same
    inputs for the same seed."""
    rngs = {k: random.Random(f"{seed}:{k}") for k in kinds if pool.get(k)}
    for i in range(per_kind):
        for kind, rng in rngs.items():
            name, data = rng.choice(pool[kind])
            yield kind, f"{kind}-{seed}-{i}<{name}>", mutate(rng, kind, data)


# -- running one input in a fresh process ------------------------------------------------------

@dataclass
class Outcome:
    kind: str
    detail: str = ""
    seconds: float = 0.0
    #: peak resident memory of the child (MB)
    peak_mb: float = 0.0

    @property
    def bad(self) -> bool:
        return self.kind in BAD

    @property
    def signature(self) -> str:
        """What must stay the same while shrinking: the outcome and the exception type."""
        return f"{self.kind}:{self.detail.split(':', 1)[0]}" if self.kind in ("traceback", "bad-message") else self.kind


def _vm_bytes() -> int:
    """The address space this process already maps (the child inherits its parent's)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def read(data: bytes, name: str) -> None:
    """What the fuzzer runs by default: the one loader."""
    import gongkai

    gongkai.parse(data, name=name)


def read_and_render(data: bytes, name: str) -> None:
    """For JSON models: read, then draw (a model that loads must also render)."""
    import gongkai

    gongkai.render(gongkai.parse(data, name=name), "html")


def _child(call: Callable[[bytes, str], None], data: bytes, name: str, mem_mb: int) -> dict[str, str]:
    faulthandler.disable()  # a crash is an outcome here, not a report on the parent's stderr
    limit = _vm_bytes() + mem_mb * 1024 * 1024  # what it maps already, plus ``mem_mb`` for the reading
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import gongkai

    try:
        call(data, name)
        return {"outcome": "result"}
    except gongkai.GongkaiError as e:
        return {"outcome": "error" if CJK.search(e.message) else "bad-message", "detail": str(e)[:300]}
    except MemoryError:
        return {"outcome": "memory"}
    except BaseException as e:
        tb = traceback.extract_tb(e.__traceback__)[-1]
        return {"outcome": "traceback",
                "detail": f"{type(e).__name__}: {str(e)[:200]} at {Path(tb.filename).name}:{tb.lineno}"}


def run_one(data: bytes, name: str = "input", *, call: Callable[[bytes, str], None] = read,
            seconds: float = 10.0, mem_mb: int = 1024) -> Outcome:
    """``call(data, name)`` (by default: read ``data``) in a forked child with ``mem_mb`` of address space
    beyond what it inherits and a wall clock of ``seconds``; the child's answer comes back through a pipe."""
    r, w = os.pipe()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 0
        try:
            os.close(r)
            os.setpgid(0, 0)  # its own group: a reader's helper processes die with it
            answer = json.dumps(_child(call, data, name, mem_mb)).encode()
            os.write(w, answer)
        except BaseException:
            code = 3
        finally:
            os._exit(code)
    os.close(w)
    status, usage = 0, None
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - start > seconds:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            os.close(r)
            return Outcome("timeout", f"> {seconds:g} s", time.monotonic() - start, usage.ru_maxrss / 1024)
        time.sleep(0.002)
    elapsed = time.monotonic() - start
    with os.fdopen(r, "rb") as f:
        raw = f.read()
    peak = usage.ru_maxrss / 1024 if usage else 0.0
    if os.WIFSIGNALED(status):
        return Outcome("crash", f"signal {signal.Signals(os.WTERMSIG(status)).name}", elapsed, peak)
    try:
        answer = json.loads(raw)
    except ValueError:
        return Outcome("crash", f"exit {os.WEXITSTATUS(status)} without an answer", elapsed, peak)
    return Outcome(answer["outcome"], answer.get("detail", ""), elapsed, peak)


def run_command(argv: list[str], *, seconds: float = 20.0, mem_bytes: int = 1024 ** 3,
                tmp: Path | None = None) -> tuple[int, str, str, float, float]:
    """``python -m gongkai argv`` in a fresh process with an address-space limit and a wall clock:
    (exit code, stdout, stderr, seconds, peak RSS in MB); exit code -9 when it was killed at the limit."""
    import subprocess
    import sys
    import tempfile

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, mem_bytes))
        os.setpgid(0, 0)

    start = time.monotonic()
    with tempfile.TemporaryDirectory(dir=tmp) as d:
        fo_path, fe_path = Path(d) / "stdout", Path(d) / "stderr"
        with fo_path.open("wb") as fo, fe_path.open("wb") as fe:
            p = subprocess.Popen([sys.executable, "-m", "gongkai", *argv], stdout=fo, stderr=fe,
                                 stdin=subprocess.DEVNULL, preexec_fn=limit)
            while True:
                pid, status, usage = os.wait4(p.pid, os.WNOHANG)
                if pid:
                    break
                if time.monotonic() - start > seconds:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(p.pid, signal.SIGKILL)
                    pid, status, usage = os.wait4(p.pid, 0)
                    break
                time.sleep(0.01)
            p.returncode = os.waitstatus_to_exitcode(status)
        out = fo_path.read_text(encoding="utf-8", errors="replace")
        err = fe_path.read_text(encoding="utf-8", errors="replace")
    return p.returncode, out, err, time.monotonic() - start, usage.ru_maxrss / 1024


# -- shrinking ---------------------------------------------------------------------------------

def shrink(data: bytes, target: Outcome, check: Callable[[bytes], Outcome], budget: int = 200) -> bytes:
    """The smallest input found (delta debugging over byte chunks) with the same ``signature``."""
    runs = 0
    n = 2
    while len(data) >= 2 and runs < budget:
        size = max(1, len(data) // n)
        reduced = False
        for start in range(0, len(data), size):
            candidate = data[:start] + data[start + size:]
            runs += 1
            if candidate and check(candidate).signature == target.signature:
                data, n, reduced = candidate, max(n - 1, 2), True
                break
            if runs >= budget:
                break
        if not reduced:
            if size == 1:
                break
            n = min(len(data), n * 2)
    return data


# -- a run -------------------------------------------------------------------------------------

@dataclass
class Tally:
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    failures: list[tuple[str, str, Outcome, bytes]] = field(default_factory=list)
    slowest: dict[str, float] = field(default_factory=dict)
    peak_mb: dict[str, float] = field(default_factory=dict)

    def add(self, kind: str, name: str, out: Outcome, data: bytes) -> None:
        row = self.counts.setdefault(kind, {})
        row[out.kind] = row.get(out.kind, 0) + 1
        self.slowest[kind] = max(self.slowest.get(kind, 0.0), out.seconds)
        self.peak_mb[kind] = max(self.peak_mb.get(kind, 0.0), out.peak_mb)
        if out.bad:
            self.failures.append((kind, name, out, data))

    def table(self) -> str:
        cols = ("result", "error", *BAD)
        lines = ["| kind | inputs | " + " | ".join(cols) + " | slowest | peak RSS |",
                 "|---|---|" + "---|" * len(cols) + "---|---|"]
        for kind, row in self.counts.items():
            lines.append(f"| {kind} | {sum(row.values())} | " + " | ".join(str(row.get(c, 0)) for c in cols)
                         + f" | {self.slowest[kind]:.1f} s | {self.peak_mb[kind]:.0f} MB |")
        return "\n".join(lines)


def fuzz(pool: dict[str, list[tuple[str, bytes]]], *, seed: int, per_kind: int, kinds: tuple[str, ...] = KINDS,
         seconds: float = 10.0, mem_mb: int = 1024, until: float | None = None,
         on_result: Callable[[str, str, Outcome], None] | None = None) -> Tally:
    """Run ``per_kind`` inputs of each kind (or until the monotonic clock passes ``until``)."""
    tally = Tally()
    for kind, name, data in inputs(seed, per_kind, pool, kinds):
        if until is not None and time.monotonic() > until:
            break
        out = run_one(data, name, call=read_and_render if kind == "json" else read, seconds=seconds,
                      mem_mb=mem_mb)
        tally.add(kind, name, out, data)
        if on_result:
            on_result(kind, name, out)
    return tally
