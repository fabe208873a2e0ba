"""``gongkai parse FILE… [--format json|text] [--debug]``"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..errors import GongkaiError
from ..readers import parse, read_document, sniff
from . import read_inputs


def add_parser(sub: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        "parse", help="读取年报，输出数据模型（JSON）",
        description="读取年报（文本、HTML、DOCX、PDF、XLSX），输出数据模型。")
    p.add_argument("files", nargs="+", metavar="FILE", help="年报文件；“-”表示标准输入")
    p.add_argument("--format", choices=("json",), default="json", help="输出格式（默认 json）")
    p.add_argument("--no-provenance", action="store_true", help="不输出每个数字的来源")
    p.add_argument("--debug", action="store_true", help="显示分块结果和每个官方标签的匹配情况")
    return p


def run(args: argparse.Namespace) -> int:
    from ..readers.assemble import assemble

    results: list[dict[str, Any]] = []
    failed = 0
    for label, src in read_inputs(args.files):
        doc = None
        trace: list[str] | None = [] if args.debug else None
        try:
            if isinstance(src, bytes):
                head = src
            else:
                path = Path(src)
                head = path.read_bytes() if path.is_file() and path.stat().st_size < 50_000_000 else b""
            if sniff(head) == "json":
                report = parse(src, name=label)
            else:
                doc = read_document(src, name=label)
                report = assemble(doc, trace=trace)
        except GongkaiError as e:
            failed += 1
            print(f"错误：{e}" if e.where else f"错误：{label}：{e}", file=sys.stderr)
            results.append({"source": label, "error": str(e)})
            continue
        if args.debug and doc is not None:
            print(f"===== {label}：分块（{doc.kind}）=====", file=sys.stderr)
            print(doc.debug(), file=sys.stderr)
            print(f"===== {label}：标签匹配 =====", file=sys.stderr)
            print("\n".join(trace or []), file=sys.stderr)
        for w in report.warnings:
            where = f"{w.loc.describe()}：" if w.loc else ""
            print(f"提示：{label}：{where}{w.message}", file=sys.stderr)
        results.append(report.to_dict(provenance=not args.no_provenance))
    out = results[0] if len(results) == 1 else results
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 2 if failed else 0
