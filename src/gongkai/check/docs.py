"""The rule reference, generated from the registry (``docs/rules.md``; a test keeps it in step)."""

from __future__ import annotations

from .catalogue import registry
from .engine import SCOPE_ZH, SEVERITY_ZH, Rule

AREAS = {
    "t2": "表二 主动公开政府信息情况",
    "t3": "表三 收到和处理政府信息公开申请情况",
    "t4": "表四 政府信息公开行政复议、行政诉讼情况",
    "struct": "结构与格式版本",
    "text": "正文与表格",
    "content": "必备内容",
    "period": "统计期限",
    "time": "公布时限",
    "xyear": "同一机关跨年度",
    "xagency": "同一年度跨机关",
    "engine": "核查引擎",
    "ledger": "依申请公开台账（gongkai ledger check）",
}


def explain(r: Rule) -> str:
    """A rule explained for ``gongkai rules ID``."""
    lines = [f"{r.id}  {r.title}",
             f"级别：{SEVERITY_ZH[r.severity]}    标签：{'、'.join(sorted(r.tags))}    "
             f"范围：{SCOPE_ZH.get(r.scope, r.scope)}"]
    if r.spec:
        lines.append(f"对应核查要点：RULES.md 第{'、'.join(str(n) for n in r.spec)}条")
    lines += ["", "检查什么：", "  " + r.doc]
    if r.hint:
        lines += ["", "怎样改正：", "  " + r.hint]
    if r.example:
        lines += ["", "示例：", f"  {r.id} {r.example}"]
    return "\n".join(lines)


def rules_markdown() -> str:
    rules = registry()
    out = ["# 核查规则一览", "",
           "<!-- 本文件由 `gongkai rules --markdown > docs/rules.md` 生成，请勿手工编辑；"
           "tests/test_check_docs.py 保证它与规则注册表一致。 -->", "",
           "规则编号由“范围.级别字母+序号”组成（E 错误，W 警告，I 提示），编号一经使用永不复用。"
           "可用 `--select`/`--ignore`（或设置文件的 `select`/`ignore`）按编号、编号前缀或标签选择规则。", "",
           "| 编号 | 名称 | 级别 | 标签 |", "|---|---|---|---|"]
    for r in rules.values():
        out.append(f"| [{r.id}](#{r.id.replace('.', '').lower()}) | {r.title} | {SEVERITY_ZH[r.severity]} | "
                   f"{'、'.join(sorted(r.tags))} |")
    out += ["", "## 用法与设置", "", "```", "gongkai check 年报.pdf                 # 单个文件：退出码 0 没有错误，1 发现错误，2 无法读取",
            "gongkai check 年报目录/ --xlsx 结果.xlsx --html 结果.html --json 结果.json",
            "gongkai check 目录/ --select t3,t4 --ignore content", "gongkai rules t3.E001                  # 解释一条规则",
            "gongkai deadline 2026-12-15 --days 20   # 答复期限（收到申请当日不计入）", "```", "",
            "设置文件为当前目录（或上级目录）的 `gongkai.toml`，或 `pyproject.toml` 的 `[tool.gongkai]` 表：", "",
            "```toml", 'select = ["t3", "t4", "xyear"]', 'ignore = ["content"]',
            'calendar = ["2027.toml"]            # 另外载入的放假安排（见 gongkai.calendar）',
            "[deadlines]                         # 全国默认（条例第四十九条）", 'department = "01-31"', 'government = "03-31"',
            '[deadlines.jurisdictions."某县"]     # 机关名称含“某县”的按本地期限', 'department = "01-20"',
            "[thresholds]", "copying = 0.8                       # 内容雷同的相似度阈值",
            "identical_min_nonzero = 3           # 表格完全相同：至少几个非零数字（不含总计）",
            "fees_yuan = 10000                   # 收费金额（万元）达到多少像是按元填写", "fees_yuan_township = 1000",
            "```", "",
            "## 地方规则（插件）", "",
            "省市的地方规则可以单独成包，安装后通过入口点组 `gongkai.rules` 登记，`gongkai check` 自动运行，"
            "`gongkai rules` 一并列出（本文件只列内置规则）：", "",
            "```toml", '[project.entry-points."gongkai.rules"]',
            'hlj = "gongkai_hlj.rules"        # 模块中用 @gongkai.check.rule 登记规则', "```", "",
            "插件无法载入时，核查会停止并说明是哪个插件、为什么（不会静默跳过）。"]
    area = None
    for r in rules.values():
        if r.area != area:
            area = r.area
            out += ["", f"## {area}：{AREAS.get(area, area)}"]
        out += ["", f"### {r.id}", "", f"**{r.title}**（{SEVERITY_ZH[r.severity]}"
                + (f"；RULES.md 第{'、'.join(str(n) for n in r.spec)}条" if r.spec else "") + "）", "",
                f"检查什么：{r.doc}"]
        if r.hint:
            out += ["", f"怎样改正：{r.hint}"]
        if r.example:
            out += ["", f"示例：`{r.id} {r.example}`"]
    return "\n".join(out) + "\n"


def messages_markdown() -> str:
    """docs/messages.md: every message of every stage, from the one catalogue (``gongkai.messages``)."""
    from ..messages import ABOUT_ZH, STAGE_ZH, catalogue

    specs = catalogue()
    out = ["# 提示与发现一览", "",
           "<!-- 本文件由 `gongkai rules --messages --markdown > docs/messages.md` 生成，请勿手工编辑；"
           "tests/test_messages.py 保证它与消息目录一致。 -->", "",
           "gongkai 在读取、核查、生成三个阶段给出的每一条提示都有固定编号、级别、中文说明和处理建议。"
           "“性质”一栏区分报告本身的问题和读取不确定（后者不是机关的错误，不计入错误数）。"
           "核查规则的详细说明见 [rules.md](rules.md)。"]
    for stage in ("read", "check", "render"):
        rows = [s for s in specs.values() if s.stage == stage]
        if stage == "check":  # one page per rule already: docs/rules.md
            out += ["", f"## {STAGE_ZH[stage]}阶段", "",
                    "核查规则（编号如 `t3.E001`，级别由编号中的字母决定：E 错误，W 警告，I 提示）逐条说明见 "
                    "[rules.md](rules.md)；其中读取不确定的提示（如 `struct.I001`、`struct.I002`）不计入错误数。"]
            continue
        out += ["", f"## {STAGE_ZH[stage]}阶段", "", "| 编号 | 级别 | 性质 | 说明 | 处理建议 |", "|---|---|---|---|---|"]
        for s in rows:
            hint = (s.hint or "").replace("|", "｜")
            out.append(f"| `{s.id}` | {SEVERITY_ZH[s.severity]} | {ABOUT_ZH[s.about]} | {s.title} | {hint} |")
    return "\n".join(out) + "\n"
