"""The layer every reader produces: a document as blocks.

source (bytes of a .txt/.html/.docx/.pdf/.xlsx) → **blocks** → sections → Report

Readers differ only in the first step.  A block is a line/paragraph of text or a table grid; a
table grid is a list of rows, each a list of cells, a spanned (merged) cell appearing once, at
its first position, with ``rowspan``/``colspan`` set.  Every piece of text carries its ``Loc``
so that the later steps can say where each number came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..errors import ParseError
from ..model import Loc

#: no paragraph or table cell of a report is longer than this (a whole report is a few tens of
#: thousands of characters)
MAX_PARA_CHARS = 300_000
#: nor has it this many lines or paragraphs (a 60-page PDF has a few thousand lines)
MAX_BLOCKS = 30_000
#: nor this many characters in all (the longest report we know has about 40,000): reading is linear,
#: and this bound keeps it within a few seconds
MAX_TEXT_CHARS = 1_000_000


def too_much_text(n: int, where: str | None) -> ParseError:
    return ParseError(f"文件的文字有 {n:,} 个字符，远超任何一份年度报告（通常只有几万字），不是年度报告，拒绝读取",
                      where=where)


def too_many_lines(n: int, where: str | None) -> ParseError:
    return ParseError(f"文件有 {n:,} 行（段）文字，远超任何一份年度报告（通常只有几百到几千行），"
                      "不是年度报告，拒绝读取", where=where)


@dataclass(slots=True)
class TextCell:
    text: str
    loc: Loc
    rowspan: int = 1
    colspan: int = 1


@dataclass(slots=True)
class Block:
    """A paragraph (``para``: one line of a text file, one <p>, one Word paragraph, one PDF line)
    or a table grid (``table``)."""

    kind: Literal["para", "table"]
    loc: Loc
    #: para: the text; for a para whose cells are separated (tabs, pipes, PDF gaps), ``cells`` too
    text: str = ""
    #: para: the line split into cells where the source separates them (None = not separated)
    cells: list[TextCell] | None = None
    #: table: rows of cells
    rows: list[list[TextCell]] = field(default_factory=list)

    @classmethod
    def para(cls, text: str, loc: Loc, cells: list[TextCell] | None = None) -> Block:
        return cls("para", loc, text=text, cells=cells)

    @classmethod
    def table(cls, rows: list[list[TextCell]], loc: Loc) -> Block:
        return cls("table", loc, rows=rows)

    def plain(self) -> str:
        if self.kind == "para":
            return self.text
        return "\n".join("\t".join(c.text for c in row) for row in self.rows)


@dataclass(slots=True)
class Document:
    """What a source step hands to the shared steps."""

    blocks: list[Block]
    #: file name or label for messages
    name: str | None = None
    #: which reader made it (text, html, docx, pdf, xlsx)
    kind: str = "text"
    #: facts the container states outside the report text (e.g. a portal page's 发布时间, title)
    meta: dict[str, str] = field(default_factory=dict)
    #: notices from the source step (e.g. encoding guessed)
    notices: list[tuple[str, str]] = field(default_factory=list)
    #: pages whose text was read by OCR from their image (a PDF's scanned pages)
    ocr_pages: list[int] = field(default_factory=list)

    def check_bounds(self) -> None:
        """Refuse a document holding one paragraph or cell far longer than any report's whole text
        (a real report is a few tens of thousands of characters): such text is not a report, and
        reading it would only cost time and memory (issue 13)."""
        if len(self.blocks) > MAX_BLOCKS:
            raise too_many_lines(len(self.blocks), self.name)
        total = 0
        for b in self.blocks:
            pieces = [b.text] if b.kind == "para" else [c.text for row in b.rows for c in row]
            for text in pieces:
                total += len(text)
                if total > MAX_TEXT_CHARS:
                    raise too_much_text(sum(len(x.plain()) for x in self.blocks), self.name)
                if len(text) > MAX_PARA_CHARS:
                    where = b.loc.describe()
                    raise ParseError(f"{where + '的' if where else ''}一段文字长达 {len(text):,} 个字符，远超任何一份年度报告"
                                     f"的全文（通常只有几万字），不是年度报告的文字，拒绝读取", where=self.name)

    def debug(self) -> str:
        """Blocks as text, one per line, for ``gongkai parse --debug``."""
        out = []
        for i, b in enumerate(self.blocks):
            where = b.loc.describe()
            if b.kind == "para":
                if b.cells is not None:
                    out.append(f"[{i}] 段落 {where}: " + " | ".join(c.text for c in b.cells))
                else:
                    out.append(f"[{i}] 段落 {where}: {b.text}")
            else:
                out.append(f"[{i}] 表格 {where}: {len(b.rows)}行")
                for row in b.rows:
                    out.append("      " + " | ".join(
                        c.text + (f"⟨{c.rowspan}x{c.colspan}⟩" if c.rowspan > 1 or c.colspan > 1 else "")
                        for c in row))
        return "\n".join(out)
