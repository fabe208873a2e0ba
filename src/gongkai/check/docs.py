"""The rule reference, generated from the registry (``docs/rules.md``; a test keeps it in step)."""

from __future__ import annotations

from .engine import SEVERITY_ZH, Rule, registry

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
}


def explain(r: Rule) -> str:
    """A rule explained for ``gongkai rules ID``."""
    lines = [f"{r.id}  {r.title}",
             f"级别：{SEVERITY_ZH[r.severity]}    标签：{'、'.join(sorted(r.tags))}    "
             f"范围：{'单份报告' if r.scope == 'report' else '多份报告之间'}"]
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
