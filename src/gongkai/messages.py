"""One message type for every stage: what a reader noticed, what a rule found, what a writer warns.

A ``Message`` has a stable id, a stage (``read`` / ``check`` / ``render``), a severity, a Chinese
message, a hint, a location, and whether it is about the document (a defect of the report) or
about our reading of it (never the agency's fault).  The checker's ``Finding`` is this type; a
reader's ``Notice(code, message, loc)`` builds one whose severity, hint and ``about`` come from
the catalogue below.

Declaring a message is one line of data (``declare``).  The rules of the checker are declared by
their ``@rule`` decorator and join the catalogue through the rule registry; ``docs/messages.md``
is generated from the whole catalogue (``gongkai.check.docs.messages_markdown``) and a test keeps
it in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .model import Loc

Stage = Literal["read", "check", "render"]
Severity = Literal["error", "warning", "info"]
#: whether a message is about the document's content or about our reading of it
About = Literal["document", "reading"]
STAGE_ZH = {"read": "读取", "check": "核查", "render": "生成"}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
ABOUT_ZH = {"document": "报告本身的问题", "reading": "读取不确定（不是机关的错误）"}


@dataclass(slots=True, frozen=True)
class Location:
    """Where a message points: a table cell (keys and labels), a section sentence, or metadata."""

    table: str | None = None
    row: str | None = None
    column: str | None = None
    #: how a person names the place, e.g. 表三/自然人, 表四/行政复议, 一、总体情况
    label: str | None = None
    section: str | None = None
    #: the narrative sentence the message quotes
    sentence: str | None = None
    #: where in the source document (from the model's provenance)
    loc: Loc | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {}
        for k in ("table", "row", "column", "label", "section", "sentence"):
            v = getattr(self, k)
            if v is not None:
                d[k] = v
        if self.loc is not None:
            d["loc"] = self.loc.to_dict()
            d["source_place"] = self.loc.describe()
        return d

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Location:
        from .model import Loc

        loc = Loc.from_dict(raw["loc"]) if raw.get("loc") else None
        return cls(**{k: raw.get(k) for k in ("table", "row", "column", "label", "section", "sentence")},
                   loc=loc)


@dataclass(slots=True, frozen=True)
class Message:
    id: str
    severity: Severity
    message: str
    hint: str | None = None
    at: Location = field(default_factory=Location)
    #: the report the message is about (its label, e.g. 方正县会发镇人民政府2021年度报告; display only)
    report: str | None = None
    #: the file it was read from
    source: str | None = None
    #: other reports involved (cross-report rules)
    related: tuple[str, ...] = ()
    #: ``document``: a defect of the report; ``reading``: our reading of it is uncertain
    about: About = "document"
    #: the caller's reference of the report (``Report.ref``: a path, a database id)
    ref: str | None = None
    stage: Stage = "check"

    # a reader's notice names its id ``code`` and its place ``loc``
    @property
    def code(self) -> str:
        return self.id

    @property
    def loc(self) -> Loc | None:
        return self.at.loc

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "stage": self.stage, "severity": self.severity,
                             "message": self.message, "about": self.about}
        if self.hint:
            d["hint"] = self.hint
        d["location"] = self.at.to_dict()
        d["report"] = self.report
        d["ref"] = self.ref
        d["source"] = self.source
        if self.related:
            d["related"] = list(self.related)
        return d

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Message:
        stage = raw.get("stage")
        return Message(id=raw["id"], severity=raw["severity"], message=raw["message"], hint=raw.get("hint"),
                       at=Location.from_dict(raw.get("location") or {}), report=raw.get("report"),
                       source=raw.get("source"), related=tuple(raw.get("related") or ()),
                       about="reading" if raw.get("about") == "reading" else "document", ref=raw.get("ref"),
                       stage=stage if stage in ("read", "render") else "check")

    def line(self) -> str:
        """One line for a terminal: ``文件:表三/自然人: t3.E001 消息``."""
        head = self.source or self.report or ""
        place = self.at.label or ""
        prefix = ":".join(p for p in (head, place) if p)
        return f"{prefix}: {self.id} {self.message}" if prefix else f"{self.id} {self.message}"

    def stamped(self, *, report: str | None = None, source: str | None = None,
                ref: str | None = None) -> Message:
        """This message as a plain ``Message`` of the report it belongs to."""
        return Message(self.id, self.severity, self.message, self.hint, self.at, report=report, source=source,
                       related=self.related, about=self.about, ref=ref, stage=self.stage)


class Notice(Message):
    """A message built by a reader or a writer as ``Notice(code, message, loc)``: its stage,
    severity, hint and ``about`` come from the catalogue entry of ``code``.

    In the report model (``Report.warnings``) a notice is stored compactly as
    ``{"code", "message", "loc"}``; the rest follows from the catalogue."""

    __slots__ = ()

    def __init__(self, code: str, message: str, loc: Loc | None = None) -> None:
        spec = CATALOGUE.get(code) or _UNDECLARED
        Message.__init__(self, code, spec.severity, message, spec.hint, Location(loc=loc), about=spec.about,
                         stage=spec.stage)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"code": self.id, "message": self.message}
        if self.loc is not None:
            d["loc"] = self.loc.to_dict()
        return d


# -- the catalogue ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class MessageSpec:
    """What a message id means: declared once, shown in docs/messages.md."""

    id: str
    stage: Stage
    severity: Severity
    #: a short Chinese title (what happened)
    title: str
    #: what the user can do
    hint: str | None = None
    about: About = "reading"
    #: a short example of the message text
    example: str | None = None


CATALOGUE: dict[str, MessageSpec] = {}


def declare(id: str, stage: Stage, severity: Severity, title: str, hint: str | None = None, *,
            about: About | None = None, example: str | None = None) -> MessageSpec:
    """Declare a message id (one line of data).  Reader and writer messages are about our reading
    by default; a checker rule is declared by ``@rule`` instead."""
    old = CATALOGUE.get(id)
    spec = MessageSpec(id, stage, severity, title, hint, about or ("document" if stage == "check" else "reading"),
                       example)
    if old is not None and old != spec:
        raise ValueError(f"message id {id} declared twice")
    CATALOGUE[id] = spec
    return spec


_UNDECLARED = MessageSpec("", "read", "warning", "未登记的读取提示", about="reading")

_CHECK = "请对照原文核对；如原文确实如此，这不是机关的错误，只是程序无法可靠读出"
# reader messages (the check result carries them as reading notices: struct.I001, struct.I002)
_READ: tuple[tuple[str, Severity, str, str | None], ...] = (
    ("glued.ambiguous", "warning", "连写数字无法唯一拆分，按空白处理",
     "数字之间的分隔在原文（多为网页文字版）中丢失，且有多种符合勾稽关系的拆分；请对照原文或 PDF 版核对这些单元格"),
    ("value.syntax", "warning", "无法识别的数值，按空白处理", _CHECK),
    ("row.extra", "warning", "标签后多出的数字已忽略", _CHECK),
    ("row.short", "warning", "一行读到的数值少于应有的列数，缺少的单元格按空白处理", _CHECK),
    ("row.merged", "info", "相邻数字按勾稽关系合并读取", "原文中一个数字被拆成了两段（如换行），已按勾稽关系合并；请核对"),
    ("row.reordered", "info", "折行标签中间的数字按勾稽关系确定顺序",
     "原文（多为 PDF 提取的文字）行标签折行，数字分几行印在标签中间；已按该行的勾稽关系确定各数字所属的列，请核对"),
    ("row.above", "info", "一行的数字印在行标签之前，按勾稽关系归入该行",
     "原文（多为 PDF 提取的文字）把数字排在行标签的上一行；该行标签后没有数字，这些数字符合该行的勾稽关系，已归入该行；请核对"),
    ("row.uncertain", "warning", "折行标签中间的数字无法确定所属的列",
     "原文行标签折行，数字分几行印在标签中间，没有一种顺序符合勾稽关系；这些单元格标为读取不确定，请对照原文核对"),
    ("glued.settled", "info", "连写数字依据报告正文、另一种形式或相邻年度拆分",
     "连写数字有多种符合勾稽关系的拆分，已按报告自己写明的数字（或同一报告的另一种形式、本机关相邻年度的现行有效件数）确定；请核对"),
    ("table.row_order", "warning", "表格行不在格式规定的位置，已按标签读取",
     "原文的行序与全国统一格式不同；数字已按行标签读取，请核对"),
    ("table.rows_missing", "warning", "表格缺少部分行",
     "原文表格缺少全国统一格式规定的行，或程序未能认出这些行的标签；请核对原文"),
    ("table.missing", "warning", "未找到表格的数据", "原文没有这张表，或表格是图片、程序未能读出；请核对原文"),
    ("section.missing", "info", "未找到某一部分的标题", "原文可能改了标题或编号；必备内容是否齐全由核查规则判断"),
    ("meta.year", "info", "报告年度按发布日期推定", "标题中没有写明年度；如推定有误，请在标题中写明“××××年度”"),
    ("html.encoding", "info", "网页编码已自动判断", "网页没有声明字符编码，或声明有误；如出现乱码，请另存为 UTF-8 后再读取"),
    ("xlsx.formula", "warning", "公式单元格没有保存计算结果", "请用 Excel 或 WPS 打开后保存一次，再读取"),
    ("xlsx.sheets", "info", "只读取了包含完整年报的工作表", None),
    ("xlsx.rows", "warning", "工作表行数过多，只读取了前面部分", "请删去年报以外的内容后再读取"),
    ("pdf.chars", "warning", "PDF 某页文字过多，只读取了该页前面部分", "文件异常；请确认是否为年报本身"),
    ("pdf.pages", "warning", "PDF 页数过多，只读取了前面的页", "请确认文件是否为年报本身"),
    ("pdf.time", "warning", "PDF 读取超时，只读取了前面的页", "文件结构复杂或异常；请另存为 PDF 后再读取，或提供文字版"),
    ("pdf.image_page", "warning", "PDF 中有图片页（扫描件），其中的文字未读取（OCR 已关闭或未识别出文字）",
     "图片版年报无法可靠读取；请提供文字版 PDF、Word 或网页版"),
    ("pdf.ocr", "info", "PDF 中有图片页（扫描件），其中的文字和数字由 OCR 识别",
     "OCR 可能认错数字；这些单元格在来源中标为“OCR 识别”，请与原件核对，或提供文字版"),
    ("ocr.identity", "warning", "OCR 识别的一个数字按表内勾稽关系改正",
     "只有这一种改法能使本表各项勾稽关系成立；请与原件核对"),
    ("ocr.uncertain", "warning", "OCR 识别的数字不满足勾稽关系，按读取存疑处理",
     "无法确定哪个数字认错，或原文本身有误；这不作为机关的错误报告，请与原件核对"),
    # batch over folders: one report present in two forms (gongkai.check.siblings)
    ("sibling.read", "info", "同一报告有两种形式，合并为一份核查",
     "同一文件夹中同名的网页版和文字版（或 PDF 版和文字版）按一份报告核查，只计一次"),
    ("sibling.differs", "warning", "同一报告的两种形式数字不同",
     "同时发布的两种形式数字不一致；已采用读取更完整的一种，请对照原文核对"),
    ("sibling.unreadable", "info", "同一报告的另一种形式无法读取", "只按能读取的形式核查"),
)
for _id, _sev, _title, _hint in _READ:
    declare(_id, "read", _sev, _title, _hint)

# writer messages
declare("render.W001", "render", "warning", "表格有未填写的单元格，已原样留空",
        "生成的文件中这些单元格为空白；请补齐数字（没有的填 0）后再生成")
declare("render.W002", "render", "warning", "报告缺少一张表，已输出说明文字代替表格", "请补齐该表后再生成")
declare("render.W003", "render", "warning", "合计行与其分项同时存在，只输出了分项", "请核对合计与分项是否一致")


def catalogue() -> dict[str, MessageSpec]:
    """Every declared message of every stage: reader and writer messages, and the checker's rules."""
    from .check.catalogue import registry

    out = dict(CATALOGUE)
    for r in registry().values():
        out[r.id] = MessageSpec(r.id, "check", r.severity, r.title, r.hint, "document", r.example)
    return out
