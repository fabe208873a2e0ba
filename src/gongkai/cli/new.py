"""``gongkai new --agency … --year … [-o OUT] [--to json|docx|…]``"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import RenderError
from ..formats import format_for_year
from ..model import Report
from ..writers import TARGETS, render_document
from .render import choose_target, write_output


def add_parser(sub: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        "new", help="生成一份待填写的空白年报（自动选用该年度适用的格式）",
        description="生成一份空白的政府信息公开工作年度报告：标题、六个部分的标题和三张统计表，"
                    "表格按该年度适用的全国统一格式（2019、2020年度用国办公开办函〔2019〕60号格式，"
                    "2021年度起用国办公开办函〔2021〕30号格式）。默认输出 JSON 数据模型，便于填写后用 "
                    "gongkai render 输出 Word/PDF。")
    p.add_argument("--agency", required=True, metavar="机关名称", help="报告主体（行政机关全称）")
    p.add_argument("--year", required=True, type=int, metavar="年度", help="报告年度，如 2024")
    p.add_argument("--to", metavar="格式", help=f"输出格式：{'、'.join(TARGETS)}（默认按 -o 的扩展名，否则 json）")
    p.add_argument("-o", "--output", metavar="输出文件", help="输出文件；“-”表示标准输出（默认：“机关名称+年度”命名）")
    p.add_argument("--zeros", action="store_true", help="统计表全部填 0（默认留空，待填写）")
    return p


def blank_report(agency: str, year: int, zeros: bool = False) -> Report:
    """A report to fill in: the format of ``year``, every declared cell present (blank or 0)."""
    if not agency.strip():
        raise RenderError("机关名称不能为空")
    if not 1900 <= year <= 2999:
        raise RenderError(f"年度应在 1900 到 2999 之间：{year}")
    fmt = format_for_year(year)
    report = Report.blank(fmt.id, agency=agency.strip(), year=year, fill=0 if zeros else None)
    report.title = f"{report.agency}{year}年政府信息公开工作年度报告"
    return report


def run(args: argparse.Namespace) -> int:
    target = choose_target(args.to, args.output) or "json"
    report = blank_report(args.agency, args.year, args.zeros)
    out = render_document(report, target)
    path = args.output or f"{report.title}.{target}"
    write_output(out.data, path, target)
    if path != "-":
        blanks = "" if args.zeros else "，统计表留空待填写"
        print(f"已生成{report.format.source}格式的空白年报{blanks}：{path}", file=sys.stderr)
    return 0
