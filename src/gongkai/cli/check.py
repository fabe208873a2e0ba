"""``gongkai check FILE-or-DIR… [--select …] [--ignore …] [--json OUT] [--xlsx OUT] [--html OUT]``"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..check.batch import SMALL_RUN, Source, check_files
from ..check.catalogue import select_rules
from ..check.config import CheckConfig, find_config, load_config
from ..check.engine import Finding
from ..check.outputs import Collector, finding_lines, write_html, write_json, write_xlsx
from . import read_inputs


def add_parser(sub: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        "check", help="核查年报（单个文件或整个文件夹）",
        description="核查政府信息公开工作年度报告：表内勾稽关系、结构与格式、正文与表格、跨年度与跨机关比对、"
                    "公布时限。退出码：0 没有错误，1 发现错误，2 无法读取或无法运行。")
    p.add_argument("files", nargs="+", metavar="文件或文件夹", help="年报文件或文件夹（递归读取）；“-”表示标准输入")
    p.add_argument("--select", action="append", default=[], metavar="规则",
                   help="只运行这些规则：编号、编号前缀或标签，逗号分隔，可重复（如 t3,xyear）")
    p.add_argument("--ignore", action="append", default=[], metavar="规则",
                   help="不运行这些规则：编号、编号前缀或标签，逗号分隔，可重复")
    p.add_argument("--config", metavar="TOML", help="设置文件（默认查找 gongkai.toml 或 pyproject.toml 的 [tool.gongkai]）")
    p.add_argument("--json", metavar="OUT", help="把全部结果写成 JSON 文件")
    p.add_argument("--xlsx", metavar="OUT", help="把全部结果写成 Excel 工作簿（每条发现一行，可筛选；机关汇总表）")
    p.add_argument("--html", metavar="OUT", help="写一页带图表的 HTML 汇总")
    p.add_argument("-j", "--workers", type=int, default=None, metavar="N", help=f"并行进程数（默认：文件少于 {SMALL_RUN} 个时用一个进程，否则用空闲的 CPU 核）")
    p.add_argument("-q", "--quiet", action="store_true", help="只输出汇总行，不逐条列出发现")
    p.add_argument("--no-hints", action="store_true", help="不输出修改提示")
    return p


def _split(values: list[str]) -> list[str]:
    return [s.strip() for v in values for s in v.split(",") if s.strip()]


def _config(args: argparse.Namespace) -> CheckConfig:
    if args.config:
        cfg = load_config(Path(args.config))
    else:
        found = find_config()
        cfg = load_config(found) if found else CheckConfig()
    return cfg.with_selection(_split(args.select), _split(args.ignore))


def run(args: argparse.Namespace) -> int:
    cfg = _config(args)
    select_rules(cfg.select, cfg.ignore)  # a bad --select/--ignore fails before any file is read
    sources: list[Source] = [src if isinstance(src, str) else (label, src) for label, src in read_inputs(args.files)]
    batch = check_files(sources, workers=args.workers, config=cfg)
    n = len(batch.inputs)
    collector = Collector()
    collector.skipped = batch.skipped
    if not n:
        print("错误：没有找到可读取的年报文件", file=sys.stderr)
        for s in batch.skipped[:20]:
            print(f"{s.source}: 跳过：{s.reason}", file=sys.stderr)
        return 2
    out_tty = sys.stdout.isatty()
    show_progress = sys.stderr.isatty() and n > 1
    progress: Any = None
    console: Any = None
    if show_progress:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        console = Console(stderr=not out_tty)
        progress = Progress(TextColumn("核查中"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            console=console, transient=True)
        task = progress.add_task("check", total=n)
        progress.start()

    def emit(line: str) -> None:
        if args.quiet:
            return
        if progress is not None and out_tty:
            console.print(line, markup=False, highlight=False)
        else:
            print(line)

    def on_progress(done: int, total: int) -> None:
        if progress is not None:
            progress.update(task, completed=done)

    def emit_finding(f: Finding) -> None:
        for line in finding_lines(f)[: 1 if args.no_hints else 2]:
            emit(line)

    batch.on_progress = on_progress
    interrupted = False
    try:
        for res in batch:
            collector.add(res)
            if not res.read:
                emit(f"{res.source}: 无法读取：{res.unreadable}")
            for f in res.findings:
                emit_finding(f)
        for index, f in batch.across:
            collector.add_across(index, f)
            emit_finding(f)
    except KeyboardInterrupt:
        interrupted = True
        for res in batch.waiting:  # read and checked, waiting for the neighbouring years: keep them as they are
            collector.add(res)
    finally:
        if progress is not None:
            progress.stop()
    for s in batch.skipped:
        emit(f"{s.source}: 跳过：{s.reason}")
    try:
        if args.json:
            write_json(collector, args.json)
        if args.xlsx:
            write_xlsx(collector, args.xlsx)
        if args.html:
            write_html(collector, args.html)
    except OSError as e:
        print(f"错误：无法写出结果文件：{e}", file=sys.stderr)
        return 2
    print(collector.summary())
    errors, unreadable = collector.counts["error"], collector.counts["unreadable"]
    collector.close()
    if interrupted:
        done = collector.reports + unreadable
        print(f"已中断：已完成 {done} / {n} 个文件，结果文件只含已完成的部分（未做跨报告比对）", file=sys.stderr)
        return 130
    if n == 1 and unreadable:
        return 2
    return 1 if errors or unreadable else 0
