"""The ``gongkai`` command: a thin shell over the public API.

Each sub-command lives in its own module and registers itself in ``COMMANDS``.
Exit codes: 0 success / no errors, 1 errors found in a report, 2 could not run (bad input, bad usage).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from ..errors import GongkaiError

#: sub-command name → module that defines ``add_parser(subparsers)`` and ``run(args) -> int``
COMMANDS = ("parse", "check", "rules", "deadline", "render", "new", "ledger")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"参数错误：{message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    import importlib

    p = _Parser(prog="gongkai", description="政府信息公开工作年度报告：读取、核查、生成")
    from .. import __version__

    p.add_argument("--version", action="version", version=f"gongkai {__version__}")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
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
