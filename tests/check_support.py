"""Builders for checker tests: small, fully valid reports made directly in the model."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from gongkai import Report
from gongkai.formats import SECTION_KEYS

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "corpus" / "seed-2021-huifa" / "source.txt"


def shared() -> Path | None:
    env = os.environ.get("GONGKAI_SHARED")
    p = Path(env) if env else Path(__file__).resolve().parents[2] / "shared"
    return p if p.is_dir() else None


OVERVIEW = ("{year}年，{agency}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，"
            "紧紧围绕经济社会发展和群众关注关切，不断完善政府信息公开制度，建立健全政府信息公开保障机制，"
            "推进政府信息公开工作规范、有序、健康发展。{agency}通过政府门户网站主动公开政府信息，"
            "加强政府网站和政务新媒体日常管理，执行信息审核发布制度，落实三审三校制度。")
PROBLEMS = ("{agency}政府信息公开工作取得一定成效，但仍存在差距：依申请公开工作规范性有待提高。下一步将加强业务培训。"
            "本年度将政务公开纳入工作考核，开展社会评议，未发生责任追究情况。")
OTHER = "本年度未收取信息处理费。"


def good(agency: str = "测试县人民政府", year: int = 2021, *, fmt: str | None = None,
         overview: str | None = None) -> Report:
    """A report every single-report rule passes: all cells 0, the six sections, on time."""
    fid = fmt or ("2019" if year < 2021 else "2021")
    r = Report.blank(fid, agency=agency, year=year, fill=0)
    r.published = date(year + 1, 1, 20)
    r.sections = {
        "overview": (overview or OVERVIEW).format(agency=agency, year=year),
        "problems": PROBLEMS.format(agency=agency),
        "other": OTHER,
    }
    r.source = f"{agency}-{year}.txt"
    return r


def busy(r: Report, n: int = 2, col: str = "natural_person") -> Report:
    """Give table 三 ``n`` granted requests in ``col`` (all identities still hold)."""
    t = r.table("requests")
    for row in ("new", "granted", "results_total"):
        t.set(row, col, n)
        t.set(row, "total", n)
    return r


def all_headings(r: Report) -> Report:
    from gongkai.model import Cell

    r.headings = {k: Cell(None, r.format.section(k).heading) for k in SECTION_KEYS}
    return r
