"""``gongkai ledger template|tally|due|check|fee``: the case ledger for agencies that keep an Excel 台账.

A thin shell over ``gongkai.ledger``: ``template`` → ``template_xlsx``, ``tally`` → ``read_ledger`` +
``tally``, ``due`` → ``due_list``, ``check`` → ``check_ledger``, ``fee`` → ``fee_by_pieces`` /
``fee_by_pages``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from ..errors import GongkaiError

_EXAMPLES = """\
示例：
  gongkai ledger template -o 台账.xlsx
  gongkai ledger tally 台账.xlsx --agency 某县人民政府办公室 --year 2025 -o 2025.json [--kind government_office] [--cases 追溯.json]
  gongkai ledger due 台账.xlsx [--today 2025-12-01] [--soon 5] [--calendar 2027.toml] [--jurisdiction 某市] [--json]
  gongkai ledger check 台账.xlsx [--today 2025-12-01] [--json]
  gongkai ledger fee --pieces 45      或    gongkai ledger fee --pages 150
"""


class LedgerUsageError(GongkaiError):
    """A ledger command given what it cannot use."""


def add_parser(sub: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        "ledger", help="依申请公开台账：空白模板、统计年报表格、答复期限、核查办理情况、计算信息处理费",
        description="政府信息公开工作台账（Excel）：生成空白模板；从台账统计年度报告表二、表三、表四；"
                    "列出未办结申请的答复期限和状态；核查答复是否超期、补正告知是否超过7个工作日、"
                    "延期和收费是否合规；按《政府信息公开信息处理费管理办法》计算信息处理费。"
                    "台账格式见 docs/ledger.md 和模板中的“填写说明”。",
        epilog=_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    ls = p.add_subparsers(dest="ledger_command", metavar="子命令", parser_class=type(p))

    t = ls.add_parser("template", help="生成空白台账模板（Excel，含下拉列表和填写说明）",
                      description="生成空白的政府信息公开工作台账（Excel）：依申请公开台账、行政复议和行政诉讼、"
                                  "规章和规范性文件、处理决定和收费四张表，以及填写说明。")
    t.add_argument("-o", "--output", metavar="OUT", default="政府信息公开工作台账.xlsx",
                   help="输出文件（默认：政府信息公开工作台账.xlsx）")

    ta = ls.add_parser("tally", help="从台账统计年度报告的表二、表三、表四",
                       description="从台账统计某一年度的年度报告表格：表三按申请人类型和办理结果计数（12月31日仍未办结的"
                                   "计入结转下年度，上年未办结的计入上年结转），表四按复议、诉讼案件，表二按文件和处理决定"
                                   "登记。台账有填写错误的行时，逐行列出，不输出统计结果。")
    ta.add_argument("file", metavar="台账", help="台账文件（.xlsx）")
    ta.add_argument("--agency", required=True, metavar="机关名称", help="报告主体（行政机关全称）")
    ta.add_argument("--year", required=True, type=int, metavar="年度", help="统计年度，如 2025")
    ta.add_argument("--kind", metavar="机关类型",
                    help="机关类型：government、government_office、department、dispatched、township")
    ta.add_argument("-o", "--output", metavar="OUT",
                    help="输出文件（默认“机关名称+年度.json”）；扩展名为 docx、pdf 等时直接输出该格式的年报")
    ta.add_argument("--cases", metavar="JSON", help="另把每个单元格对应的申请编号（追溯清单）写成 JSON")

    for name, helptext, desc in (
            ("due", "列出未办结的申请及其答复期限、状态",
             "列出截至今天（或 --today）尚未办结的申请：答复期限、已用和剩余工作日、状态（已逾期、即将到期、"
             "办理中、依法暂停计时），超期的排在最前。"),
            ("check", "核查台账中的办理情况（超期、补正、延期、收费）",
             "核查台账记录的办理过程：答复超过期限、补正告知超过7个工作日、延期超过一次或超过20个工作日、"
             "未达收费标准却收费。退出码：0 没有错误，1 发现错误，2 无法读取。")):
        d = ls.add_parser(name, help=helptext, description=desc)
        d.add_argument("file", metavar="台账", help="台账文件（.xlsx）")
        d.add_argument("--today", metavar="日期", help="按哪一天计算（YYYY-MM-DD，默认今天）")
        d.add_argument("--calendar", action="append", default=[], metavar="TOML",
                       help="另外载入的放假安排或本地调整文件，可重复")
        d.add_argument("--jurisdiction", metavar="辖区", help="使用该辖区的本地调整")
        d.add_argument("--json", action="store_true", help="输出 JSON")
        if name == "due":
            d.add_argument("--soon", type=int, default=5, metavar="N", help="剩余不超过 N 个工作日的标为即将到期（默认 5）")
            d.add_argument("--explain", action="store_true", help="逐件列出期限的计算过程")

    f = ls.add_parser("fee", help="计算信息处理费（按件或按量，超额累进）",
                      description="按《政府信息公开信息处理费管理办法》计算信息处理费：按件计收（同一申请人一个自然月内的"
                                  "申请合并计算，1—10件免费）或按量计收（一件申请的页数，1—30页免费），超额累进。")
    g = f.add_mutually_exclusive_group(required=True)
    g.add_argument("--pieces", type=int, metavar="N", help="同一申请人当月的申请件数")
    g.add_argument("--pages", type=int, metavar="N", help="一件申请的页数")
    return p


def _today(raw: str | None) -> date:
    if not raw:
        return date.today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise LedgerUsageError(f"日期“{raw}”应为 YYYY-MM-DD 格式") from None


def _book(path: str, refuse: bool) -> Any:
    from ..ledger.sheet import read_ledger

    book = read_ledger(path)
    for p in book.problems:
        print(f"{path}：{p.line()}", file=sys.stderr)
    if book.problems:
        n = len(book.problems)
        if refuse:
            print(f"台账有 {n} 处填写错误，请改正后再统计（没有输出统计结果）", file=sys.stderr)
        else:
            print(f"台账有 {n} 处填写错误，以上各行未计入", file=sys.stderr)
    return book


def run(args: argparse.Namespace) -> int:
    command = getattr(args, "ledger_command", None)
    if command is None:
        raise LedgerUsageError("请指定子命令：template、tally、due、check、fee（gongkai ledger --help 查看用法）")
    return {"template": _template, "tally": _tally, "due": _due, "check": _check, "fee": _fee}[command](args)


def _template(args: argparse.Namespace) -> int:
    from ..ledger.template import template_xlsx
    from .render import write_output

    if args.output == "-":
        raise LedgerUsageError("模板是 Excel 文件，请用 -o 指定文件名")
    write_output(template_xlsx(), args.output, "xlsx")
    print(f"已生成空白台账：{args.output}", file=sys.stderr)
    return 0


def _tally(args: argparse.Namespace) -> int:
    from ..ledger.tally import tally
    from ..writers import render
    from .render import choose_target, write_output

    target = choose_target(None, args.output) or "json"
    book = _book(args.file, refuse=True)
    if not book.ok:
        return 2
    t = tally(book.requests, year=args.year, agency=args.agency.strip() or None, agency_kind=args.kind,
              appeals=book.appeals, registers=book.registers, ref=args.file)
    out = args.output or f"{args.agency.strip()}{args.year}.json"
    write_output(render(t.report, target), out, target, source=args.file)
    if args.cases:
        cases = {k: v for k, v in t.to_dict()["cases"].items()}
        write_output(json.dumps(cases, ensure_ascii=False, indent=2).encode("utf-8"), args.cases, "json")
    t3 = t.report.table("requests")
    print(f"已统计{args.year}年度：本年新收 {t3.value('new', 'total')} 件，上年结转 {t3.value('carried_over', 'total')} 件，"
          f"办结 {t3.value('results_total', 'total')} 件，结转下年度 {t3.value('carried_forward', 'total')} 件 → {out}",
          file=sys.stderr)
    return 0


def _calendar(args: argparse.Namespace) -> Any:
    from ..calendar import load_calendar

    return load_calendar(*args.calendar, jurisdiction=args.jurisdiction)


def _due(args: argparse.Namespace) -> int:
    from ..ledger.clock import due_list
    from ..ledger.events import format_date

    today = _today(args.today)
    cal = _calendar(args)
    book = _book(args.file, refuse=False)
    clocks = due_list(book.requests, cal, today=today, soon=args.soon)
    if args.json:
        print(json.dumps({"today": today.isoformat(), "requests": [c.to_dict(explain=args.explain) for c in clocks],
                          "problems": [p.to_dict() for p in book.problems]}, ensure_ascii=False, indent=2))
        return 1 if book.problems else 0
    for c in clocks:
        due = format_date(c.due, weekday=True) if c.due else "待补正后确定"
        left = ""
        if c.status == "late":
            left = f"已逾期{c.late_by}个工作日"
        elif c.days_left is not None and c.status in ("open", "due_soon"):
            left = f"尚余{c.days_left}个工作日"
        flag = "（暂定）" if c.provisional else ""
        row = book.rows.get(c.request_id)
        print(f"{c.request_id}\t{c.status_label}\t答复期限 {due}{flag}\t{left}\t第{row}行")
        if args.explain:
            for s in c.steps():
                print(f"    {s}")
    print(f"截至{format_date(today)}，未办结的申请 {len(clocks)} 件（日历：{clocks[0].calendar if clocks else '—'}）",
          file=sys.stderr)
    return 1 if book.problems else 0


def _check(args: argparse.Namespace) -> int:
    from ..ledger.rules import check_ledger

    today = _today(args.today)
    book = _book(args.file, refuse=False)
    findings = check_ledger(book.requests, _calendar(args), today=today)
    if args.json:
        print(json.dumps({"findings": [f.to_dict() for f in findings],
                          "problems": [p.to_dict() for p in book.problems]}, ensure_ascii=False, indent=2))
    else:
        for f in findings:
            print(f"{args.file}:{f.line()}")
            if f.hint:
                print(f"  提示：{f.hint}")
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    print(f"发现 {errors} 个错误，{warnings} 个警告", file=sys.stderr)
    if book.problems:
        return 2
    return 1 if errors else 0


def _fee(args: argparse.Namespace) -> int:
    from ..ledger.fees import fee_by_pages, fee_by_pieces

    w = fee_by_pieces(1, args.pieces) if args.pieces is not None else fee_by_pages(args.pages)
    print(w.explain())
    return 0
