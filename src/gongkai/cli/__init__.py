"""The ``gongkai`` command: a thin shell over the public API.

Each sub-command lives in its own module and registers itself in ``COMMANDS``.
Exit codes: 0 success / no errors, 1 errors found in a report, 2 could not run (bad input, bad usage).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

from ..errors import GongkaiError

#: sub-command name → module that defines ``add_parser(subparsers)`` and ``run(args) -> int``
COMMANDS = ("parse", "check", "rules", "deadline", "render", "new", "ledger")


#: argparse's own words (Python 3.11 msgids) in Chinese: usage/options framing and its error messages
_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示此帮助信息并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "必须给出以下参数之一：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择 %(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的值 %(value)r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能给一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "有歧义的选项 %(option)s，可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "选项不接受值：%r",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选：%(choices)s）",
}
_ZH_PLURAL = {"expected %s argument": "需要 %s 个值"}


def _gettext(message: str) -> str:
    return _ZH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _ZH_PLURAL.get(singular, singular if n == 1 else plural)


@contextmanager
def _chinese() -> Iterator[None]:
    """argparse in Chinese while our parsers build, parse and format (argparse looks its words up
    through its module's ``_``/``ngettext`` when it needs them; they are put back afterwards, so
    other argparse users in the process are unaffected)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _gettext, _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class ChineseFormatterMixin:
    """Help with a Chinese usage prefix (``用法：``) and full-width colons after section titles; mixed
    into whichever ``HelpFormatter`` a command chooses."""

    class _Section(argparse.HelpFormatter._Section):
        def format_help(self) -> str:
            text: str = super().format_help()
            if self.heading:
                text = text.replace(f"{self.heading}:\n", f"{self.heading}：\n", 1)
            return text

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup], prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)  # type: ignore[misc]


class ChineseHelpFormatter(ChineseFormatterMixin, argparse.HelpFormatter):
    """The default formatter of our parsers."""


def _chinese_formatter(cls: type[argparse.HelpFormatter]) -> type[argparse.HelpFormatter]:
    if issubclass(cls, ChineseFormatterMixin):
        return cls
    return type(f"Chinese{cls.__name__}", (ChineseFormatterMixin, cls), {})


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose framing and messages are Chinese (用法/位置参数/选项/错误)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["formatter_class"] = _chinese_formatter(kwargs.get("formatter_class", ChineseHelpFormatter))
        with _chinese():
            super().__init__(*args, **kwargs)

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        with _chinese():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None) -> tuple[argparse.Namespace, list[str]]:
        with _chinese():
            return super().parse_known_args(args, namespace)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        with _chinese():
            return super().add_argument(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        kwargs.setdefault("parser_class", ChineseArgumentParser)
        with _chinese():
            return super().add_subparsers(**kwargs)

    def format_usage(self) -> str:
        with _chinese():
            return super().format_usage()

    def format_help(self) -> str:
        with _chinese():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"参数错误：{message}", file=sys.stderr)
        raise SystemExit(2)


#: kept for callers of the earlier name
_Parser = ChineseArgumentParser


def build_parser() -> argparse.ArgumentParser:
    import importlib

    p = ChineseArgumentParser(prog="gongkai", description="政府信息公开工作年度报告：读取、核查、生成")
    from .. import __version__

    p.add_argument("--version", action="version", version=f"gongkai {__version__}", help="显示程序版本号并退出")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)
    for name in COMMANDS:
        try:
            mod = importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as e:
            if e.name and e.name.endswith(f"cli.{name}"):
                continue  # command not built yet
            raise
        sp = mod.add_parser(sub)
        sp.set_defaults(_run=mod.run)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "_run", None)
    if run is None:
        parser.print_help()
        return 2
    try:
        return run(args)
    except GongkaiError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # a bug: say so plainly, keep the traceback for developers
        if os.environ.get("GONGKAI_DEBUG"):
            raise
        print(f"内部错误（请报告此问题）：{type(e).__name__}: {e}", file=sys.stderr)
        return 2


def read_inputs(paths: Sequence[str]) -> list[tuple[str, bytes | str]]:
    """Command-line inputs: files as paths, ``-`` as the bytes of standard input."""
    out: list[tuple[str, bytes | str]] = []
    for p in paths:
        if p == "-":
            out.append(("<标准输入>", sys.stdin.buffer.read()))
        else:
            out.append((p, p))
    return out
