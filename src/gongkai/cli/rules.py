"""``gongkai rules [ID-or-PREFIX-or-TAG] [--markdown]``"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_parser(sub: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        "rules", help="列出核查规则，或解释一条规则",
        description="列出全部核查规则；给出编号（如 t3.E001）时解释这条规则并举例；给出前缀或标签时只列出匹配的规则。")
    p.add_argument("rule", nargs="?", metavar="规则", help="规则编号、编号前缀或标签")
    p.add_argument("--markdown", action="store_true", help="输出 Markdown 格式的规则参考（docs/rules.md）")
    p.add_argument("--messages", action="store_true",
                   help="列出读取、核查、生成各阶段的全部提示编号（与 --markdown 合用输出 docs/messages.md）")
    return p


def run(args: argparse.Namespace) -> int:
    from ..check.catalogue import registry, select_rules
    from ..check.docs import explain, rules_markdown
    from ..check.engine import SEVERITY_ZH

    if args.messages:
        return _messages(args.markdown)
    if args.markdown:
        sys.stdout.write(rules_markdown())
        return 0
    rules = registry()
    if args.rule and args.rule in rules:
        print(explain(rules[args.rule]))
        return 0
    chosen = select_rules([args.rule]) if args.rule else list(rules.values())
    for r in chosen:
        print(f"{r.id:<14}{SEVERITY_ZH[r.severity]}  {r.title}")
    print(f"共 {len(chosen)} 条规则；用 gongkai rules 编号 查看说明和示例")
    return 0


def _messages(markdown: bool) -> int:
    from ..check.docs import messages_markdown
    from ..messages import ABOUT_ZH, SEVERITY_ZH, STAGE_ZH, catalogue

    if markdown:
        sys.stdout.write(messages_markdown())
        return 0
    specs = catalogue()
    for s in specs.values():
        print(f"{s.id:<20}{STAGE_ZH[s.stage]}  {SEVERITY_ZH[s.severity]}  {s.title}（{ABOUT_ZH[s.about]}）")
    print(f"共 {len(specs)} 种提示")
    return 0
