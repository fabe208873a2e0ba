"""Numbers read by OCR: marked as such, and settled by the table's identities where they can be.

After a report is assembled from a document some of whose pages were recognised from their image
(``Document.ocr_pages``):

* every cell read from such a page carries ``evidence="ocr"`` — outputs and the web app show which
  numbers a person should compare with the scan; a blank one is also uncertain (blank in the scan,
  or not recognised: never counted as the agency's blank);
* a table whose identities fail is tried with the digits OCR most often confuses (0/6/8/9, 1/7,
  3/5/8, 2/7 …), one OCR'd cell at a time: when exactly one change makes every identity of the
  table hold, it is taken (``evidence="ocr+identity"``, the OCR reading kept in the cell's note and
  a reading notice); otherwise the OCR'd cells of the failing lines are marked uncertain, so the
  checker reports reading uncertainty there, not the agency's arithmetic.
"""

from __future__ import annotations

from ..formats.identities import failures
from ..messages import Notice
from ..model import Report, Table

#: digits OCR confuses with each other (printed report fonts at 100–150 dpi)
CONFUSED = {
    "0": "689", "1": "74", "2": "73", "3": "852", "4": "19",
    "5": "63", "6": "058", "7": "12", "8": "0369", "9": "084",
}
#: alternatives tried at most per table (a table has ~100 cells of a few digits each)
MAX_TRIES = 4000


def alternatives(value: int) -> list[int]:
    """Readings of ``value`` with one digit changed to one OCR confuses it with."""
    digits = str(value)
    out = []
    for i, d in enumerate(digits):
        for alt in CONFUSED.get(d, ""):
            if i == 0 and alt == "0" and len(digits) > 1:
                continue
            out.append(int(digits[:i] + alt + digits[i + 1:]))
    return out


def settle(report: Report, pages: list[int]) -> None:
    """Mark the report's cells read by OCR, and settle or flag OCR misreadings by the identities."""
    if not pages:
        return
    on = set(pages)
    for table in report.tables.values():
        ocr = {key for key, cell in table.cells.items()
               if cell.loc is not None and cell.loc.page in on}
        for key in ocr:
            cell = table.cells[key]
            cell.evidence = _with_ocr(cell.evidence)
            if cell.value is None and not cell.uncertain:
                # blank in the scan, or a cell OCR could not read: not the agency's blank for sure
                cell.uncertain = True
                cell.note = cell.note or "OCR 未能读出此单元格（原件可能为空白，也可能未能识别），请与原件核对"
        if ocr and table.present:
            report.warnings += _settle_table(table, ocr)


def _with_ocr(evidence: str | None) -> str:
    return "ocr" if not evidence else evidence if evidence.startswith("ocr") else f"ocr+{evidence}"


def _settle_table(table: Table, ocr: set[tuple[str, str]]) -> list[Notice]:
    failing = failures(table)
    if not failing:
        return []
    suspects = [k for k in dict.fromkeys(cell for e in failing for cell in e.cells()) if k in ocr]
    fixes: list[tuple[tuple[str, str], int]] = []
    tries = 0
    for key in suspects:
        cell = table.cells[key]
        value = cell.value
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        for alt in alternatives(value):
            tries += 1
            if tries > MAX_TRIES:
                break
            cell.value = alt
            if not failures(table):
                fixes.append((key, alt))
        cell.value = value
    label = f"表{table.spec.number}"
    if len(fixes) == 1:
        (row, col), alt = fixes[0]
        cell = table.cells[(row, col)]
        read = cell.text or str(cell.value)
        cell.value = alt
        cell.evidence = "ocr+identity"
        cell.note = f"OCR 读作“{read}”；只有改为 {alt} 时本表各项勾稽关系都成立，按 {alt} 读取"
        where = _where(table, row, col)
        return [Notice("ocr.identity", f"{label}{where}：OCR 读作“{read}”，按表内勾稽关系应为 {alt}，已按 {alt} 读取，"
                                       "请与原件核对", cell.loc)]
    flagged = [k for k in suspects if isinstance(table.cells[k].value, int)]
    for key in flagged:
        cell = table.cells[key]
        cell.uncertain = True
        cell.note = cell.note or "OCR 识别的数字与本表勾稽关系不符，无法确定哪一个认错"
    if not flagged:
        return []
    why = "多种改法都能使其成立" if fixes else "改动任何一个易混数字都不能使其成立"
    places = "、".join(_where(table, r, c) for r, c in flagged[:6]) + ("等" if len(flagged) > 6 else "")
    return [Notice("ocr.uncertain", f"{label}中 OCR 识别的数字不满足勾稽关系（{why}）：{places}"
                                    "按“读取存疑”处理，请与原件核对", table.cells[flagged[0]].loc)]


def _where(table: Table, row: str, col: str) -> str:
    spec = table.spec
    return f"“{spec.row(row).label}/{spec.column(col).label}”"


__all__ = ["CONFUSED", "alternatives", "settle"]
