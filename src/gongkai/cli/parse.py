"""``gongkai parse FILE… [--format json|text] [--debug] [--ocr auto|on|off]``"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import GongkaiError
from ..options import ReadOptions
from ..readers import parse
from ..schema import dumps
from . import read_inputs


def add_parser(sub: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        "parse", help="读取年报，输出数据模型（JSON）",
        description="读取年报（文本、HTML、DOCX、PDF、XLSX），输出数据模型。")
    p.add_argument("files", nargs="+", metavar="文件", help="年报文件；“-”表示标准输入")
    p.add_argument("--format", choices=("json",), default="json", help="输出格式（默认 json）")
    p.add_argument("--no-provenance", action="store_true", help="不输出每个数字的来源")
    p.add_argument("--debug", action="store_true", help="显示分块结果和每个官方标签的匹配情况")
    p.add_argument("--ocr", choices=("auto", "on", "off"), default="auto", metavar="{auto,on,off}",
                   help="图片版（扫描件）PDF 的 OCR 识别：auto 只识别没有文字的图片页（默认），on 每页都识别，off 不识别")
    return p


def run(args: argparse.Namespace) -> int:
    results: list[dict[str, Any]] = []
    failed = 0
    options = ReadOptions(ocr=args.ocr, trace=_stderr_line if args.debug else None)
    for label, src in read_inputs(args.files):
        try:
            report = parse(src, name=label, options=options)
        except GongkaiError as e:
            failed += 1
            print(f"错误：{e}" if e.where else f"错误：{label}：{e}", file=sys.stderr)
            results.append({"source": label, "error": str(e)})
            continue
        for w in report.warnings:
            where = f"{w.loc.describe()}：" if w.loc else ""
            print(f"提示：{label}：{where}{w.message}", file=sys.stderr)
        results.append(report.to_dict(provenance=not args.no_provenance))
    out = results[0] if len(results) == 1 else results
    # the whole document is built before anything is written: stdout never holds half a document
    write_json(dumps(out) + "\n")
    return 2 if failed else 0


def write_json(text: str) -> None:
    """JSON text to standard output as UTF-8 (RFC 8259), whatever the terminal's encoding; a character
    UTF-8 cannot hold (a lone surrogate) is written as its JSON escape."""
    data = text.encode("utf-8", "backslashreplace")
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    sys.stdout.flush()
    buffer.write(data)
    buffer.flush()


def _stderr_line(line: str) -> None:
    print(line, file=sys.stderr)
