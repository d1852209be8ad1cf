"""Word templates (python-docx) for the narrative documents of the selected items.

Each template is an A4 ``.docx`` that the company completes, signs and scans back: the document
title, the company data (and, for per-row documents, the row's data), the guide's headings each
followed by a grey italic prompt saying what to write, facts we already know filled in under the
headings they belong to (certifications, amounts, figures), and the signature lines at the end.

Chinese text uses 宋体 (body) and 黑体 (title, headings), set as the East Asian font
(``w:eastAsia``) with the theme fonts removed, so Word shows them as intended.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_HEADER_FOOTER
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.parts.hdrftr import FooterPart
from docx.shared import Mm, Pt, RGBColor

from app.files import write_output
from app.guide.model import DocumentSpec, FieldSpec, Guide, ItemSpec, TableSpec, TemplateFact
from app.model import ProjectData, Row, Value
from app.outputs.originals_list import narrative_signatures
from app.outputs.template_names import (
    find_row,
    narrative_documents,
    owner_item,
    row_label,
    template_file_name,
)
from app.rules.company import printed_district
from app.rules.evaluation import Evaluation, Rates, cell, evaluate, fmt_money, fmt_number, money_of
from app.system.about import APP_NAME

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
PROMPT_COLOR = RGBColor(0x80, 0x80, 0x80)

_COMPANY_LINES: tuple[tuple[str, str], ...] = (
    ("name", "企业全称"),
    ("credit_code", "统一社会信用代码"),
    ("address", "注册地址"),
    ("legal_rep", "法定代表人"),
    ("contact", "联系人"),
    ("phone", "联系电话"),
)


@dataclass(frozen=True)
class _Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


_Fact = str | _Table


# ---------------------------------------------------------------------------------------------
# Public API


def write_template(
    path: Path, guide: Guide, project: ProjectData, doc: DocumentSpec, row_id: str | None
) -> None:
    """Write the template of ``doc`` (for the row ``row_id``) to ``path`` atomically."""
    if doc.kind != "narrative":
        raise ValueError(f"{doc.id} is not a narrative document")
    document = _build(guide, project, evaluate(guide, project), doc, row_id)
    _save(path, document)


def write_templates(
    out_dir: Path, guide: Guide, project: ProjectData, name_folder: Path | None = None
) -> list[Path]:
    """Write every template of the selection into ``out_dir``; returns the files written.
    ``name_folder``: the folder whose path length the names must fit (default ``out_dir``; the
    final folder when ``out_dir`` is a staging folder)."""
    ev = evaluate(guide, project)
    written: list[Path] = []
    for doc, row_id in narrative_documents(guide, project):
        name = template_file_name(guide, project, doc, row_id, name_folder or out_dir)
        path = out_dir / name
        _save(path, _build(guide, project, ev, doc, row_id))
        written.append(path)
    return written


# ---------------------------------------------------------------------------------------------
# Look-ups and formatting


def _currency_name(guide: Guide, code: str) -> str:
    try:
        return guide.currency(code).name
    except KeyError:
        return code


def _money_text(guide: Guide, amount: Decimal, code: str) -> str:
    return f"{fmt_money(amount)} {'元' if code == 'CNY' else _currency_name(guide, code)}"


def _fmt(guide: Guide, spec: FieldSpec, values: Any, fields: dict[str, FieldSpec]) -> str:
    """A field's value as text (money with its currency, labels for ids)."""
    v: Value | None = cell(spec, values)
    if spec.type == "bool":
        return "是" if v is True else "否"
    if v is None or v == "":
        return "（未填写）"
    if spec.type == "choice":
        return spec.choice_label(v)
    if spec.type == "currency":
        return _currency_name(guide, str(v))
    if spec.type == "business_type":
        try:
            bt = guide.business_type(str(v))
        except KeyError:
            return str(v)
        return bt.label
    if isinstance(v, dt.date):
        return f"{v.year}年{v.month}月{v.day}日"
    if spec.type == "money" and isinstance(v, int | Decimal) and not isinstance(v, bool):
        code = spec.unit
        if code is None and spec.currency_field is not None:
            code = str(cell(fields[spec.currency_field], values) or guide.fallback_currency)
        return _money_text(guide, Decimal(v), code or "CNY")
    if isinstance(v, Decimal):
        return fmt_number(v)
    return str(v)


# ---------------------------------------------------------------------------------------------
# Facts we already know, by heading


class _Facts:
    def __init__(
        self,
        guide: Guide,
        project: ProjectData,
        ev: Evaluation,
        item: ItemSpec,
        row: Row | None,
    ) -> None:
        self.guide, self.project, self.ev, self.item, self.row = guide, project, ev, item, row
        self.result = ev.items[item.id]
        self.rates = Rates(guide, project.rates)

    def for_heading(self, heading: str) -> list[_Fact]:
        """The guide's facts for the first ``template_facts`` entry whose key word is in the
        heading (none when the guide declares none)."""
        for entry in self.guide.template_facts:
            if entry.match in heading:
                out: list[_Fact] = []
                for fact in entry.facts:
                    out.extend(self.fact(fact))
                return out
        return []

    def fact(self, f: TemplateFact) -> list[_Fact]:
        if f.kind == "company":
            return self.company()
        if f.kind == "basis":
            return self.basis()
        if f.kind == "requested":
            return self.requested()
        if f.kind == "rows":
            return self.table_rows()
        if f.kind == "inputs":
            return self.inputs(f.fields)
        if f.kind == "row_fields":
            return self.row_fields(f.fields)
        if f.kind == "converted":
            return self.converted(f.fields[0])
        if f.kind == "row_support":
            return self.row_support()
        if f.kind == "measure":
            return self.measure(f)
        if f.kind == "distinct":
            return self.distinct(f.fields[0], f.label)
        if f.kind == "sums":
            return self.sums(f.fields[0], f.by, f.label)
        return []

    def company(self) -> list[_Fact]:
        c = self.project.company
        return [
            f"{c.name or '（企业全称）'}，统一社会信用代码 {c.credit_code or '（未填写）'}，"
            f"注册地址：{c.address or '（未填写）'}，法定代表人：{c.legal_rep or '（未填写）'}，"
            f"所在区：{printed_district(c.district, self.guide.district_other) or '（未填写）'}。"
        ]

    def basis(self) -> list[_Fact]:
        return [f"{label}：{figure}。" for label, figure in self.result.basis]

    def requested(self) -> list[_Fact]:
        if self.row is not None:
            return []
        res = self.result
        return [
            f"申请金额：人民币 {fmt_money(res.requested_cny)} 元。申报项目为{self.item.full_title}，"
            f"按申报指南计算的支持上限为 {fmt_money(res.ceiling_cny)} 元。"
        ]

    def inputs(self, ids: Sequence[str]) -> list[_Fact]:
        values = self.project.item_inputs(self.item.id)
        fields = {f.id: f for f in self.item.inputs}
        return [
            f"{fields[i].label}：{_fmt(self.guide, fields[i], values, fields)}。"
            for i in ids
            if i in fields
        ]

    def _table(self) -> TableSpec | None:
        return self.guide.table(self.item.table) if self.item.table else None

    def row_fields(self, ids: Sequence[str]) -> list[_Fact]:
        table = self._table()
        if table is None or self.row is None:
            return []
        fields = {c.id: c for c in table.columns}
        return [
            f"{fields[i].label}：{_fmt(self.guide, fields[i], self.row.values, fields)}。"
            for i in ids
            if i in fields
        ]

    def converted(self, column: str) -> list[_Fact]:
        """“折合美元：X 美元。”: a row's amount in the guide's anchor currency (nothing when the
        guide declares none, or the amount is in it already)."""
        table, conv = self._table(), self.guide.conversion
        if table is None or self.row is None or conv is None:
            return []
        fields = {c.id: c for c in table.columns}
        spec = fields.get(column)
        if spec is None or spec.type != "money":
            return []
        got = money_of(spec, self.row.values, fields, self.guide.fallback_currency)
        if got is None:
            return []
        amount, code = got
        if code == conv.anchor or not self.rates.known(code) or not self.rates.known(conv.anchor):
            return []
        value = self.rates.convert(amount, code, conv.anchor)
        name = _currency_name(self.guide, conv.anchor)
        return [f"折合{name}：{_money_text(self.guide, value, conv.anchor)}。"]

    def row_support(self) -> list[_Fact]:
        if self.row is None:
            return []
        return [
            f"本项目计入支持金额：{fmt_money(rr.amount_cny)} 元。"
            for rr in self.result.rows
            if rr.row_id == self.row.id
        ]

    def table_rows(self) -> list[_Fact]:
        table = self._table()
        if table is None:
            return []
        fields = {c.id: c for c in table.columns}
        shown = [c for c in table.columns if c.type != "currency"]
        amounts = {rr.row_id: rr for rr in self.result.rows}
        rows: list[tuple[str, ...]] = []
        for row in self.project.rows(table.id):
            line = [_fmt(self.guide, c, row.values, fields) for c in shown]
            rr = amounts.get(row.id)
            line.append(fmt_money(rr.amount_cny) if rr is not None else "")
            rows.append(tuple(line))
        headers = (*(c.label for c in shown), "计入支持金额（元）")
        return [_Table(headers, tuple(rows))] if rows else []

    def measure(self, f: TemplateFact) -> list[_Fact]:
        """“培训花名册人数：12 人。”: a measure of the item's own table (or of no table)."""
        assert f.measure is not None
        m = self.guide.measure(f.measure)
        value = self.ev.measures.get(m.id)
        if value is None or (m.table is not None and m.table != self.item.table):
            return []
        return [f"{f.label or m.label}：{fmt_number(value)}{f.unit}。"]

    def distinct(self, column: str, label: str) -> list[_Fact]:
        """“培训课程：A、B。”: the distinct values of a column of the item's table."""
        table = self._table()
        if table is None or column not in {c.id for c in table.columns}:
            return []
        spec = table.column(column)
        names = [
            _fmt(self.guide, spec, r.values, {c.id: c for c in table.columns})
            for r in self.project.rows(table.id)
            if r.values.get(column) not in (None, "")
        ]
        unique = list(dict.fromkeys(names))
        return [f"{label or spec.label}：{'、'.join(unique)}。"] if unique else []

    def sums(self, column: str, by: str | None, label: str) -> list[_Fact]:
        """A small table: the sums of a money column of the item's table, by ``by``."""
        table = self._table()
        if table is None or column not in {c.id for c in table.columns}:
            return []
        amount_spec = table.column(column)
        group = table.column(by) if by and by in {c.id for c in table.columns} else None
        sums: dict[str, Decimal] = {}
        for row in self.project.rows(table.id):
            amount = row.values.get(column)
            if not isinstance(amount, Decimal | int) or isinstance(amount, bool):
                continue
            key = group.choice_label(row.values.get(group.id, "")) if group else amount_spec.label
            sums[key] = sums.get(key, Decimal(0)) + Decimal(amount)
        if not sums:
            return []
        unit = (
            "元"
            if amount_spec.unit == "CNY"
            else _currency_name(self.guide, amount_spec.unit or "")
        )
        head = label or (group.label if group else amount_spec.label)
        rows = tuple((k, fmt_money(v)) for k, v in sums.items())
        return [_Table((head, f"金额（{unit}）"), rows)]


# ---------------------------------------------------------------------------------------------
# Document building


def _set_fonts(rpr: Any, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Explicit fonts on a ``w:rPr``: Latin and East Asian; theme fonts (which would win) removed."""
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _setup_styles(document: Any) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _set_fonts(rpr, BODY_FONT)
            lang = rpr.find(qn("w:lang"))
            if lang is not None:
                lang.set(qn("w:eastAsia"), "zh-CN")
    normal = styles["Normal"]
    normal.font.size = Pt(12)
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.5
    for name, size in (("Title", 20), ("Heading 1", 15)):
        style = styles[name]
        _set_fonts(style.element.get_or_add_rPr(), HEADING_FONT)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(12)
        style.paragraph_format.space_after = Pt(6)
    title = styles["Title"]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ppr = title.element.pPr
    if ppr is not None:
        border = ppr.find(qn("w:pBdr"))
        if border is not None:
            ppr.remove(border)


# Characters XML (so Word) cannot hold: a vertical tab (Word's own Shift+Enter, pasted) or a form
# feed becomes a line break, other controls go.
_XML_BREAKS = str.maketrans({"\v": "\n", "\f": "\n"})
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _XML_ILLEGAL.sub("", text.translate(_XML_BREAKS))


def _run(paragraph: Any, text: str, *, bold: bool = False, font: str = BODY_FONT) -> Any:
    run = paragraph.add_run(_xml_text(text))
    run.bold = bold or None
    _set_fonts(run.element.get_or_add_rPr(), font)
    return run


def _prompt(document: Any, text: str) -> None:
    run = _run(document.add_paragraph(), text)
    run.italic = True
    run.font.color.rgb = PROMPT_COLOR


TEXT_WIDTH_MM = 210 - 28 - 26  # A4 less the side margins set in _build
_CELL_PADDING_MM = 1.9  # Word's default cell margin, each side
_MM_PER_UNIT = 2.4  # a digit or Latin letter at 10.5 pt, with room for a wider fallback font
_CJK_UNITS = 1.6  # a Chinese character (1 em, 3.7 mm at 10.5 pt) in those units


_CJK = re.compile("[\u2e80-\uffef]+")
_MAX_WORD = 12  # units: a longer word (a certificate number) may wrap at its hyphens


def _units(text: str) -> float:
    return sum(_CJK_UNITS if "\u2e80" <= ch <= "\uffef" else 1 for ch in text)


def column_widths_mm(
    headers: Sequence[str] | None, rows: Sequence[Sequence[str]], total: float = TEXT_WIDTH_MM
) -> list[float]:
    """Column widths that follow the content: each column gets what its longest cell needs
    (a header may wrap over two lines), scaled down to ``total`` when they do not all fit, but
    never below what its longest unbreakable word (a certificate number, an amount) needs."""
    ncols = len(headers) if headers else len(rows[0])
    want = [0.0] * ncols
    floor = [0.0] * ncols
    for values, is_header in ([(headers, True)] if headers else []) + [(r, False) for r in rows]:
        for i, text in enumerate(values):
            units = _units(text)
            if is_header:
                units = units / 2 + 1  # a header may take two lines
            want[i] = max(want[i], units * _MM_PER_UNIT + 2 * _CELL_PADDING_MM)
            # a number, an amount, a certificate number: kept on one line
            words = _CJK.split(text)
            longest = max(
                (_units(w) for part in words for w in part.replace("/", "/ ").split()), default=0
            )
            floor[i] = max(floor[i], min(longest, _MAX_WORD) * _MM_PER_UNIT)
    # and at least three Chinese characters a line where the content is that long
    floor = [
        min(w, max(f + 2 * _CELL_PADDING_MM, 3 * _CJK_UNITS * _MM_PER_UNIT + 2 * _CELL_PADDING_MM))
        for w, f in zip(want, floor, strict=True)
    ]
    want = [max(w, f) for w, f in zip(want, floor, strict=True)]
    if sum(want) <= total:
        spare = total - sum(want)  # the table spans the text width: share what is left
        return [w + spare * w / sum(want) for w in want]
    # shrink the columns above their floor in proportion to what they have above it
    above = [w - f for w, f in zip(want, floor, strict=True)]
    excess = sum(want) - total
    room = sum(above)
    if room <= 0 or excess >= room:
        scale = total / sum(floor)
        return [f * scale for f in floor]
    return [w - excess * a / room for w, a in zip(want, above, strict=True)]


def _table(document: Any, headers: Sequence[str] | None, rows: Sequence[Sequence[str]]) -> None:
    ncols = len(headers) if headers else len(rows[0])
    table = document.add_table(rows=0, cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Mm(w) for w in column_widths_mm(headers, rows)]
    all_rows: list[tuple[Sequence[str], bool]] = [(headers, True)] if headers else []
    all_rows += [(r, False) for r in rows]
    for values, bold in all_rows:
        cells = table.add_row().cells
        for c, text, width in zip(cells, values, widths, strict=True):
            c.width = width
            p = c.paragraphs[0]
            p.paragraph_format.line_spacing = 1.0
            p.paragraph_format.space_after = Pt(0)
            _run(p, text, bold=bold, font=HEADING_FONT if bold else BODY_FONT).font.size = Pt(10.5)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    document.add_paragraph()


def _hint(guide: Guide, heading: str) -> str:
    core = heading.split("、", 1)[-1] if "、" in heading[:4] else heading
    for entry in guide.template_prompts:
        if entry.match in heading:
            return f"【请在此填写{core}：{entry.prompt}填写完成后删除本段提示。】"
    return f"【请在此填写{core}。填写完成后删除本段提示。】"


def _build(
    guide: Guide, project: ProjectData, ev: Evaluation, doc: DocumentSpec, row_id: str | None
) -> Any:
    item = owner_item(guide, project, doc)
    row: Row | None = None
    table: TableSpec | None = None
    if row_id is not None:
        table, row, _ = find_row(guide, project, doc, row_id)
    company = project.company

    document = Document()
    _setup_styles(document)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _properties(
        document, doc.title.strip("《》"), _xml_text(company.name)[:255], guide.title
    )  # Word allows 255 characters in a property
    _page_number_footer(section)

    title = document.add_paragraph(style="Title")
    _run(title, doc.title.strip("《》"), font=HEADING_FONT)
    title.paragraph_format.space_after = Pt(18)  # room between the title and the first table
    if row is not None and table is not None:
        title.paragraph_format.space_after = Pt(6)
        subtitle = document.add_paragraph()
        subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
        subtitle.paragraph_format.space_after = Pt(18)
        _run(subtitle, f"（{table.column(table.row_label).label}：{row_label(table, row, 0)}）")

    info: list[tuple[str, str]] = [
        (label, company.get(fid) or "（未填写）") for fid, label in _COMPANY_LINES
    ]
    info.append(("申报项目", f"{item.full_title}（{guide.short_title}）"))
    if row is None:
        info.append(("申请金额", f"人民币 {fmt_money(ev.items[item.id].requested_cny)} 元"))
    _table(document, None, info)

    if row is not None and table is not None:
        fields = {c.id: c for c in table.columns}
        data = [
            (c.label, _fmt(guide, c, row.values, fields))
            for c in table.columns
            if c.type != "currency"
        ]
        p = document.add_paragraph()
        _run(p, f"{table.title}信息", bold=True, font=HEADING_FONT)
        _table(document, None, data)

    facts = _Facts(guide, project, ev, item, row)
    for heading in doc.headings:
        _run(document.add_paragraph(style="Heading 1"), heading, font=HEADING_FONT)
        for fact in facts.for_heading(heading):
            if isinstance(fact, _Table):
                _table(document, fact.headers, fact.rows)
            else:
                _run(document.add_paragraph(), fact)
        _prompt(document, _hint(guide, heading))

    document.add_paragraph()
    for sig in (*narrative_signatures(doc), "日期"):
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.space_before = Pt(12)
        text = "日期：        年      月      日" if sig == "日期" else f"{sig}：" + "_" * 16
        _run(p, text)
    return document


_APP_PROPERTIES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    f"<Template>Normal.dotm</Template><Application>{APP_NAME}</Application>"
    "<DocSecurity>0</DocSecurity><AppVersion>16.0000</AppVersion></Properties>"
)


def _properties(document: Any, title: str, company: str, subject: str) -> None:
    """File properties a reviewer's Word shows (文件 > 信息): the template's title, the company as
    author, today's dates; python-docx's defaults (its own 2013 dates, "generated by
    python-docx", a blank preview picture) are replaced or dropped."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)  # stored as UTC
    props = document.core_properties
    props.title = title
    props.author = company or "申报材料助手"
    props.last_modified_by = company or "申报材料助手"
    props.subject = subject
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = now
    props.modified = now
    package = document.part.package
    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":  # not "Microsoft Macintosh Word"
            part._blob = _APP_PROPERTIES.encode("utf-8")
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:  # the part goes with its relationship
            del package.rels[rel_id]
            package.rels._target_parts_by_rId.pop(rel_id, None)


_BLANK_FOOTER = (
    '<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p/></w:ftr>'
)


def _page_number_footer(section: Any) -> None:
    """第 N 页 共 M 页, centred, in the page footer (Word and LibreOffice fill in the fields)."""
    # The footer part is made here, not by python-docx, which reads its blank footer from a path
    # through its own source folder ("docx/parts/../templates") that the frozen build lacks.
    document_part = section.part
    partname = document_part.package.next_partname("/word/footer%d.xml")
    part = FooterPart(partname, CT.WML_FOOTER, parse_xml(_BLANK_FOOTER), document_part.package)
    rel_id = document_part.relate_to(part, RT.FOOTER)
    section._sectPr.add_footerReference(WD_HEADER_FOOTER.PRIMARY, rel_id)
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, field in (("第 ", "PAGE"), (" 页 共 ", "NUMPAGES"), (" 页", None)):
        run = _run(paragraph, text)
        run.font.size = Pt(10.5)
        if field is None:
            continue
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), f" {field} \\* MERGEFORMAT ")
        number = OxmlElement("w:r")
        shown = OxmlElement("w:t")
        shown.text = "1"
        number.append(shown)
        simple.append(number)
        paragraph._p.append(simple)


def _save(path: Path, document: Any) -> None:
    def save(tmp: Path) -> None:
        document.save(str(tmp))

    write_output(path, save, "Word 模板")
