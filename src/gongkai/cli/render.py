"""``gongkai render REPORT [--to docx|html|pdf|md|xlsx|json|csv] [-o OUT]``"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import RenderError
from ..model import Notice
from ..readers import parse
from ..writers import TARGETS, normalize_target, render_document
from . import read_inputs

_TEXT_TARGETS = ("html", "md", "json", "csv")


def add_parser(sub: Any) -> argparse.ArgumentParser:
    targets = "、".join(f"{k}（{v[1]}）" for k, v in TARGETS.items())
    p: argparse.ArgumentParser = sub.add_parser(
        "render", help="按全国统一格式输出年报（Word、网页、PDF、Markdown、Excel、JSON、CSV）",
        description=f"把年报输出为全国统一格式的文档。“年报”可以是 JSON 数据模型，也可以是任何能读取的年报"
                    f"（文本、HTML、DOCX、PDF、XLSX），例如把旧的 PDF 年报转成 Word。支持的格式：{targets}。")
    p.add_argument("report", metavar="年报", help="年报文件：JSON 数据模型或年报文档；“-”表示标准输入")
    p.add_argument("--to", metavar="格式", help=f"输出格式：{'、'.join(TARGETS)}（默认按 -o 的扩展名）")
    p.add_argument("-o", "--output", metavar="输出文件",
                   help="输出文件；“-”表示标准输出（默认：与年报同名、换成新扩展名，写在当前文件夹）")
    p.add_argument("--no-provenance", action="store_true", help="JSON：不输出每个数字的来源")
    p.add_argument("--fragment", action="store_true", help="HTML：只输出样式和正文片段，便于粘贴到网站内容管理系统")
    p.add_argument("-q", "--quiet", action="store_true", help="不显示提示")
    return p


def print_messages(messages: Sequence[Notice], label: str) -> None:
    for w in messages:
        print(f"提示：{label}：{w.message}（{w.code}）", file=sys.stderr)


def output_path(source: str, output: str | None, target: str) -> str:
    """Where to write: ``-o`` as given, else the input's name with the target's extension."""
    if output:
        return output
    stem = "年度报告" if source == "-" else Path(source).stem
    return f"{stem}.{target}"


def write_output(data: bytes, out: str, target: str, source: str | None = None) -> None:
    if out == "-":
        if target not in _TEXT_TARGETS and sys.stdout.isatty():
            raise RenderError(f"{target} 是二进制格式，不能输出到终端，请用 -o 指定文件")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    path = Path(out)
    if source and source != "-" and path.exists() and path.resolve() == Path(source).resolve():
        raise RenderError("输出文件与输入文件相同，为避免覆盖原文件，请用 -o 指定其他文件名", where=out)
    if path.is_dir():
        raise RenderError("输出位置是一个文件夹，请给出文件名", where=out)
    try:
        path.write_bytes(data)
    except OSError as e:
        raise RenderError(f"无法写入文件：{e.strerror}", where=out) from None


def choose_target(to: str | None, output: str | None) -> str | None:
    """The target named by ``--to``, else by the output file's extension, else None."""
    if to:
        return normalize_target(to)
    if output and output != "-" and Path(output).suffix:
        return normalize_target(Path(output).suffix)
    return None


def run(args: argparse.Namespace) -> int:
    target = choose_target(args.to, args.output)
    if target is None:
        raise RenderError(f"请用 --to 指定输出格式（{'、'.join(TARGETS)}）")
    [(label, source)] = read_inputs([args.report])
    report = parse(source, name=label)
    options: dict[str, Any] = {}
    if target == "json":
        options["provenance"] = not args.no_provenance
    if target == "html" and args.fragment:
        options["standalone"] = False
    out = render_document(report, target, **options)
    path = output_path(args.report, args.output, target)
    write_output(out.data, path, target, args.report)
    if not args.quiet:
        print_messages(out.messages, label)
        if path != "-":
            print(f"已输出：{path}（{TARGETS[target][1]}）", file=sys.stderr)
    return 0
