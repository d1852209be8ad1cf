"""The Excel file of the packet: every table of one company in one workbook (openpyxl).

The guide asks for all tables of the materials as one Excel file named with the company's full
name. The sheets are built from the same :class:`~app.rules.Evaluation` the PDF uses, so every
figure agrees with the printed packet:

* ``申请表``: company data, the selected items with their basis, ceiling and requested amount;
* ``材料目录``: the packet's table of contents with its stamped page numbers;
* one sheet per table the selected items use (``TableSpec.sheet``), generic from its columns,
  with totals rows taken from the guide's measures on that table.

Numbers are stored as numbers (money formatted ``#,##0.00``), dates as dates (``yyyy-mm-dd``).
Every sheet prints on A4, fitted to the page width, with its header row repeated on each page.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app import form_layout
from app.company import printed_district
from app.errors import OutputError
from app.form_layout import cny_capital
from app.guide.model import FieldSpec, Guide, ItemSpec, TableSpec
from app.model import COMPANY_FIELDS, ProjectData, Row, Value
from app.outputs import company_file_name, write_atomic
from app.rules import Evaluation, Rates, RowResult, cell, in_period

MONEY_FORMAT = "#,##0.00"
INT_FORMAT = "0"
DATE_FORMAT = "yyyy-mm-dd"
FONT_NAME = "宋体"
CENT = Decimal("0.01")

FORM_SHEET = "申请表"
TOC_SHEET = "材料目录"
SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = {"[": "［", "]": "］", ":": "：", "*": "＊", "?": "？", "/": "／", "\\": "＼"}

# A4 portrait prints about this many characters of 11 pt text across (landscape about 1.4x).
_PORTRAIT_WIDTH = 100.0
_LANDSCAPE_WIDTH = 150.0
"""Column units that print at >= 90 % across a landscape A4 page (10.7" inside the margins):
wider tables wrap their text columns to fit, rather than print in 8 pt."""
_WRAP_FLOOR = 10.0  # a text column wrapped to fit keeps at least 5 Chinese characters a line
_MIN_WIDTH = 6.0
_MAX_WIDTH = 60.0

Kind = Literal["text", "int", "money", "decimal", "date"]
CellValue = str | int | Decimal | dt.date | None


@dataclass(frozen=True)
class TocRow:
    """One line of the packet's 目录, given by the packet builder."""

    level: int  # 0 section/item, 1 document, 2 per-row document
    title: str
    first_page: int | None  # stamped page numbers; None for entries without pages
    last_page: int | None
    parent: int | None = None  # index of the parent line (None: a top line)


@dataclass(frozen=True)
class _Column:
    header: str
    kind: Kind


_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill(fill_type="solid", start_color="D9D9D9", end_color="D9D9D9")
_TOTAL_FILL = PatternFill(fill_type="solid", start_color="F2F2F2", end_color="F2F2F2")


# ---------------------------------------------------------------------------------------------
# Public API


def workbook_file_name(company_name: str, out_dir: Path | None = None) -> tuple[str, bool]:
    """``"<企业全称>.xlsx"`` made safe for Windows (the same stem as the packet PDF's, see
    :func:`app.outputs.company_file_name`), and whether the name had to change."""
    result = company_file_name(company_name.strip(), ".xlsx", out_dir)
    return result.name, result.changed


def write_workbook(
    path: Path,
    guide: Guide,
    project: ProjectData,
    evaluation: Evaluation,
    toc: Sequence[TocRow],
) -> None:
    """Write the workbook to ``path`` atomically (the old file stays if anything fails)."""
    wb = build_workbook(guide, project, evaluation, toc)

    def save(tmp: Path) -> None:
        wb.save(str(tmp))

    try:
        write_atomic(path, save)
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(
            f"无法写入 Excel 文件“{path.name}”（{exc.strerror or exc}），"
            "请检查输出文件夹是否存在、可写且磁盘空间充足，或选择另一个输出文件夹。"
        ) from exc


def workbook_tables(guide: Guide, project: ProjectData) -> list[TableSpec]:
    """The tables the selected items use, in packet order (one sheet each)."""
    found: list[TableSpec] = []

    def add(table_id: str) -> None:
        table = guide.table(table_id)
        if table not in found:
            found.append(table)

    for item in _selected(guide, project):
        for doc_id in item.documents:
            doc = guide.document(doc_id)
            members = (
                guide.document_set(doc.set).documents
                if doc.kind == "proof_set" and doc.set is not None
                else (doc_id,)
            )
            for member in members:
                gen = guide.document(member).generator or ""
                if gen.startswith("table:"):
                    add(gen.removeprefix("table:"))
        if item.table:
            add(item.table)
    return found


def sheet_names(guide: Guide, project: ProjectData) -> list[str]:
    """The workbook's sheet names for the project's selection, in order."""
    used: list[str] = []
    for name in [FORM_SHEET, TOC_SHEET, *(t.sheet for t in workbook_tables(guide, project))]:
        used.append(_sheet_name(name, used))
    return used


def build_workbook(
    guide: Guide, project: ProjectData, evaluation: Evaluation, toc: Sequence[TocRow]
) -> Any:
    """The workbook in memory (an ``openpyxl.Workbook``); :func:`write_workbook` saves it."""
    wb = Workbook()
    names = sheet_names(guide, project)
    form = wb.active
    form.title = names[0]
    _form_sheet(form, guide, project, evaluation)
    _toc_sheet(wb.create_sheet(names[1]), guide, project, toc)
    rates = Rates(guide, project.rates)
    for table, name in zip(workbook_tables(guide, project), names[2:], strict=True):
        _table_sheet(wb.create_sheet(name), guide, project, evaluation, rates, table)
    wb.properties.title = _clean(f"{project.company.name} {guide.short_title}")
    wb.properties.creator = _clean(project.company.name) or "申报材料助手"
    return wb


# ---------------------------------------------------------------------------------------------
# Cells


def _text_width(text: str) -> float:
    """Display width in Excel column units: CJK (wide) characters count double."""
    best = 0.0
    for line in text.split("\n"):
        width = sum(2.0 if unicodedata.east_asian_width(c) in "WF" else 1.0 for c in line)
        best = max(best, width)
    return best


def _clean(text: str) -> str:
    return str(ILLEGAL_CHARACTERS_RE.sub("", text))


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _shown(value: CellValue, kind: Kind) -> str:
    """What the cell shows (for column widths)."""
    if value is None:
        return ""
    if kind in ("money", "decimal") and isinstance(value, Decimal | int):
        return f"{Decimal(value):,.2f}"
    if isinstance(value, dt.date):
        return "2000-01-01"
    return str(value)


def _put(
    ws: Worksheet,
    row: int,
    col: int,
    value: CellValue,
    kind: Kind = "text",
    *,
    bold: bool = False,
    border: bool = True,
    wrap: bool = False,
    align: str | None = None,
    indent: int = 0,
    size: float = 11,
    fill: PatternFill | None = None,
    valign: str = "center",
) -> Any:
    c = ws.cell(row=row, column=col)
    # The value's type decides the format: a number in a text column (a count in a totals
    # line) is still stored and formatted as a number.
    if isinstance(value, Decimal):
        kind = "decimal" if kind == "decimal" else "money"
    elif isinstance(value, int) and not isinstance(value, bool):
        kind = "money" if kind in ("money", "decimal") else "int"
    elif isinstance(value, dt.date):
        kind = "date"
    if isinstance(value, str):
        c.value = _clean(value)
        c.data_type = "s"  # a name starting with "=" stays text, never a formula
    elif isinstance(value, Decimal) and kind == "money":
        c.value = _money(value)
    else:
        c.value = value
    if kind in ("money", "decimal") and isinstance(value, Decimal | int):
        c.number_format = MONEY_FORMAT
    elif kind == "int" and isinstance(value, int):
        c.number_format = INT_FORMAT
    elif kind == "date" and isinstance(value, dt.date):
        c.number_format = DATE_FORMAT
    if align is None:
        align = {"money": "right", "decimal": "right", "int": "right", "date": "center"}.get(
            kind, "left"
        )
    c.font = Font(name=FONT_NAME, size=size, bold=bold)
    c.alignment = Alignment(horizontal=align, vertical=valign, wrap_text=wrap, indent=indent)
    if border:
        c.border = _BORDER
    if fill is not None:
        c.fill = fill
    return c


def _sheet_name(name: str, used: Iterable[str]) -> str:
    """A valid, unique sheet name: forbidden characters replaced, at most 31 characters."""
    base = "".join(_SHEET_FORBIDDEN.get(c, c) for c in _clean(name)).strip("'").strip()
    base = base[:SHEET_NAME_MAX] or "表"
    taken = {u.lower() for u in used}
    out, n = base, 2
    while out.lower() in taken:
        suffix = f"({n})"
        out = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    return out


def _title_rows(ws: Worksheet, title: str, subtitle: str, ncols: int) -> None:
    last = get_column_letter(max(ncols, 1))
    _put(ws, 1, 1, title, bold=True, border=False, align="center", size=14, wrap=True)
    ws.merge_cells(f"A1:{last}1")
    ws.row_dimensions[1].height = 30
    _put(ws, 2, 1, subtitle, border=False, wrap=True)
    ws.merge_cells(f"A2:{last}2")
    ws.row_dimensions[2].height = 20


def _print_setup(ws: Worksheet, widths: Sequence[float], header_row: int | None) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sum(widths) > _PORTRAIT_WIDTH else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    # The footer prints inside the bottom margin, 0.3" from the edge: the margin leaves room for
    # its line (a footer lower than the margin's height is cut in half by some programs).
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.8
    ws.page_margins.header = 0.3
    ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    if header_row is not None:
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1).coordinate
        ws.print_title_rows = f"{header_row}:{header_row}"


def _fit_widths(columns: Sequence[_Column], rows: Iterable[Sequence[CellValue]]) -> list[float]:
    widths = [_text_width(c.header) for c in columns]
    for row in rows:
        for i, (value, col) in enumerate(zip(row, columns, strict=False)):
            widths[i] = max(widths[i], _text_width(_shown(value, col.kind)))
    return [min(max(w + 2, _MIN_WIDTH), _MAX_WIDTH) for w in widths]


def _grid(
    ws: Worksheet,
    header_row: int,
    columns: Sequence[_Column],
    rows: Sequence[Sequence[CellValue]],
    totals: Sequence[Sequence[CellValue]] = (),
) -> int:
    """Header, data rows and totals rows from ``header_row`` on; returns the next free row."""
    for j, col in enumerate(columns, start=1):
        _put(ws, header_row, j, col.header, bold=True, align="center", wrap=True, fill=_HEADER_FILL)
    r = header_row + 1
    for values in rows:
        for j, (value, col) in enumerate(zip(values, columns, strict=True), start=1):
            _put(ws, r, j, value, col.kind, wrap=col.kind == "text")
        r += 1
    first_total = r
    for values in totals:
        for j, (value, col) in enumerate(zip(values, columns, strict=True), start=1):
            _put(ws, r, j, value, col.kind, bold=True, wrap=col.kind == "text", fill=_TOTAL_FILL)
        span = _label_span(values)
        if span > 1:  # the label runs over the empty cells up to its figure
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=1 + span)
        r += 1
    if r - first_total > 1 and all(v[0] == "合计" for v in totals):
        # one 合计 beside all the totals lines, not one per line
        ws.merge_cells(start_row=first_total, start_column=1, end_row=r - 1, end_column=1)
        ws.cell(row=first_total, column=1).alignment = Alignment(
            horizontal="center", vertical="center"
        )
    return r


def _label_span(line: Sequence[CellValue]) -> int:
    """How many columns from the second a totals line's label may take: up to its figure."""
    if len(line) < 2 or not isinstance(line[1], str):
        return 1
    span = 1
    while (
        1 + span < len(line)
        and line[1 + span] is None
        and any(v is not None for v in line[2 + span :])
    ):
        span += 1
    return span


def _fit_landscape(
    columns: Sequence[_Column], widths: list[float], data_widths: Sequence[float]
) -> list[float]:
    """Narrow the widest columns (text wraps; a header wraps over its figures) until the table
    fits :data:`_LANDSCAPE_WIDTH`, so that it prints at >= 90 %; figures keep their width."""
    out = list(widths)
    floors = [
        _WRAP_FLOOR if col.kind == "text" else max(data_widths[i] + 2, 8.0)
        for i, col in enumerate(columns)
    ]
    floors = [min(f, w) for f, w in zip(floors, out, strict=True)]
    while sum(out) > _LANDSCAPE_WIDTH:
        room = [(out[i] - floors[i], i) for i in range(len(out)) if out[i] > floors[i]]
        if not room:
            break
        _, widest = max((out[i], i) for _, i in room)
        out[widest] = max(floors[widest], out[widest] - 1)
    return out


# ---------------------------------------------------------------------------------------------
# Values


def _selected(guide: Guide, project: ProjectData) -> list[ItemSpec]:
    return [it for it in guide.items if it.id in project.selected]


def _currency_name(guide: Guide, code: str) -> str:
    try:
        return guide.currency(code).name
    except KeyError:
        return code


def _display(guide: Guide, spec: FieldSpec, value: Value | None) -> tuple[CellValue, Kind]:
    """A field's value as a cell: labels for ids, 是/否 for bools, numbers as numbers."""
    if value is None or value == "":
        return (None, "text") if spec.type != "bool" else ("否", "text")
    if spec.type == "bool" or isinstance(value, bool):
        return ("是" if value else "否"), "text"
    if spec.type == "choice":
        return spec.choice_label(value), "text"
    if spec.type == "currency":
        return _currency_name(guide, str(value)), "text"
    if spec.type == "business_type":
        try:
            bt = guide.business_type(str(value))
        except KeyError:
            return str(value), "text"
        return f"{bt.name}（{bt.category}）", "text"
    if spec.type == "date" and isinstance(value, dt.date):
        return value, "date"
    if spec.type == "int" and isinstance(value, int):
        return value, "int"
    if spec.type in ("money", "decimal") and isinstance(value, int | Decimal):
        return Decimal(value), "money"
    return str(value), "text"


def _money_header(guide: Guide, spec: FieldSpec) -> str:
    if spec.unit is None:
        return f"{spec.label}（原币）"
    name = "元" if spec.unit == "CNY" else _currency_name(guide, spec.unit)
    return spec.label if name in spec.label else f"{spec.label}（{name}）"


def _row_label(table: TableSpec, row: Row, n: int) -> str:
    return str(cell(table.column(table.row_label), row.values) or f"第{n}行")


# ---------------------------------------------------------------------------------------------
# 申请表


def _form_sheet(ws: Worksheet, guide: Guide, project: ProjectData, ev: Evaluation) -> None:
    ncols = 6
    widths = [6.0, 12.0, 30.0, 44.0, 16.0, 16.0]
    _title_rows(ws, guide.form_title, f"{guide.document_no}    金额单位：人民币元", ncols)
    r = 3

    def section(text: str) -> None:
        nonlocal r
        _put(ws, r, 1, text, bold=True, border=False)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        ws.row_dimensions[r].height = 22
        r += 1

    def pair(label: str, value: CellValue, kind: Kind = "text") -> None:
        nonlocal r
        _put(ws, r, 1, label, bold=True, fill=_HEADER_FILL)
        _put(ws, r, 2, None, fill=_HEADER_FILL)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
        _put(ws, r, 3, value, kind, wrap=True, align="left")
        for j in range(4, ncols + 1):
            _put(ws, r, j, None)
        ws.merge_cells(start_row=r, start_column=3, end_row=r, end_column=ncols)
        r += 1

    section(form_layout.SECTIONS[0])
    company = project.company
    for field_id, label in COMPANY_FIELDS:
        text = company.get(field_id)
        if field_id == "district":
            text = printed_district(text, guide.district_other)
        pair(label, text)

    section(form_layout.SECTIONS[1])
    columns = [
        _Column("序号", "int"),
        _Column("项目编号", "text"),
        _Column("申报项目", "text"),
        _Column("申报依据", "text"),
        _Column("支持上限（元）", "money"),
        _Column("申请金额（元）", "money"),
    ]
    rows: list[list[CellValue]] = []
    for n, item in enumerate(_selected(guide, project), start=1):
        res = ev.items[item.id]
        basis = "\n".join(f"{label}：{figure}" for label, figure in res.basis)
        if res.reasons:
            why = ("不符合条件：" if not res.eligible else "说明：") + "；".join(res.reasons)
            basis = "\n".join(filter(None, [basis, why]))
        rows.append([n, item.number, item.title, basis, res.ceiling_cny, res.requested_cny])
    totals: list[list[CellValue]] = [
        [None, "合计", None, None, ev.total_ceiling_cny, ev.total_requested_cny]
    ]
    r = _grid(ws, r, columns, rows, totals)

    _put(ws, r, 1, "合计（大写）", bold=True, fill=_HEADER_FILL)
    _put(ws, r, 2, None, fill=_HEADER_FILL)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    _put(ws, r, 3, cny_capital(ev.total_requested_cny), wrap=True, align="left")
    for j in range(4, ncols + 1):
        _put(ws, r, j, None)
    ws.merge_cells(start_row=r, start_column=3, end_row=r, end_column=ncols)
    r += 1

    # 三、申报单位承诺: the declaration, the legal representative's line, the company seal
    section(form_layout.SECTIONS[2])
    _put(ws, r, 1, guide.declaration, wrap=True, align="left")
    for j in range(2, ncols + 1):
        _put(ws, r, j, None)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
    ws.row_dimensions[r].height = 54
    r += 1
    seal_pt = form_layout.COMPANY_SEAL_MM * 72 / 25.4
    _seal_row(ws, r, form_layout.LEGAL_REP_LINE, form_layout.COMPANY_SEAL_LABEL, seal_pt, ncols)
    r += 1
    _date_row(ws, r, form_layout.date_line(guide.year), ncols)
    r += 1

    # 四、区商务部门初审意见: left empty for the district, room for its seal
    section(form_layout.SECTIONS[3])
    seal_pt = form_layout.DISTRICT_SEAL_MM * 72 / 25.4
    _seal_row(
        ws, r, form_layout.DISTRICT_OPINION_LABEL, form_layout.DISTRICT_SEAL_LABEL, seal_pt, ncols
    )
    r += 1
    _date_row(ws, r, form_layout.date_line(guide.year), ncols)
    r += 1

    _print_setup(ws, widths, header_row=None)
    ws.freeze_panes = "A3"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "portrait"


def _seal_row(ws: Worksheet, r: int, left: str, right: str, height_pt: float, ncols: int) -> None:
    """A signature (left, columns 1-3) and a seal box (right, columns 4-6), tall enough for
    the seal."""
    _put(ws, r, 1, left, wrap=True, align="left", valign="top")
    for j in (2, 3):
        _put(ws, r, j, None)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
    _put(ws, r, 4, right, wrap=True, align="left", valign="top")
    for j in range(5, ncols + 1):
        _put(ws, r, j, None)
    ws.merge_cells(start_row=r, start_column=4, end_row=r, end_column=ncols)
    ws.row_dimensions[r].height = height_pt


def _date_row(ws: Worksheet, r: int, text: str, ncols: int) -> None:
    _put(ws, r, 1, text, align="left")
    for j in (2, 3):
        _put(ws, r, j, None)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
    _put(ws, r, 4, text, align="right")
    for j in range(5, ncols + 1):
        _put(ws, r, j, None)
    ws.merge_cells(start_row=r, start_column=4, end_row=r, end_column=ncols)
    ws.row_dimensions[r].height = 22


def _form_details(
    guide: Guide, project: ProjectData, ev: Evaluation
) -> list[tuple[str, str, CellValue, Kind, str]]:
    """(item, figure label, value, kind, unit) for the basis of each selected item."""
    out: list[tuple[str, str, CellValue, Kind, str]] = []
    units = {"USD": "美元", "CNY": "元"}
    for item in _selected(guide, project):
        inputs = project.item_inputs(item.id)
        as_measures = {m.field for m in guide.measures if m.kind == "field" and m.item == item.id}
        for spec in item.inputs:
            if spec.type == "currency" or spec.id in as_measures:
                continue  # a currency is the unit of its money field; measures follow below
            value, kind = _display(guide, spec, cell(spec, inputs))
            unit = ""
            if spec.type == "money":
                code = spec.unit
                if code is None and spec.currency_field is not None:
                    code = str(cell(item.input(spec.currency_field), inputs) or "USD")
                unit = "元" if code == "CNY" else _currency_name(guide, code or "")
            out.append((item.full_title, spec.label, value, kind, unit))
        measure_ids: list[str] = []
        for rule in item.conditions:
            if rule.measure is not None:
                measure_ids.append(rule.measure)
        for mid in (item.ceiling.measure, item.cost_measure):
            if mid is not None:
                measure_ids.append(mid)
        for mid in dict.fromkeys(measure_ids):
            m = guide.measure(mid)
            value_m = ev.measures.get(mid)
            kind_m: Kind = "money" if m.unit else "int"
            cell_value: CellValue = None
            if value_m is not None:
                cell_value = value_m if m.unit else int(value_m)
            out.append((item.full_title, m.label, cell_value, kind_m, units.get(m.unit or "", "")))
        res = ev.items[item.id]
        for row in res.rows:
            label = f"{row.label}（{'计入' if row.counted else '未计入'}）"
            out.append((item.full_title, label, row.amount_cny, "money", "元"))
        out.append((item.full_title, "支持上限", res.ceiling_cny, "money", "元"))
        out.append((item.full_title, "申请金额", res.requested_cny, "money", "元"))
    return out


# ---------------------------------------------------------------------------------------------
# 材料目录


def _toc_sheet(ws: Worksheet, guide: Guide, project: ProjectData, toc: Sequence[TocRow]) -> None:
    columns = [
        _Column("材料名称", "text"),
        _Column("起始页", "int"),
        _Column("结束页", "int"),
        _Column("页数", "int"),
    ]
    _title_rows(ws, "目录", f"{guide.packet_title}    企业全称：{project.company.name}", 4)
    header = 3
    for j, col in enumerate(columns, start=1):
        _put(ws, header, j, col.header, bold=True, align="center", fill=_HEADER_FILL)
    r = header + 1
    title_width = _text_width(columns[0].header)
    # A page is counted once under its parent: the 见第…页 lines of a section share one
    # reference page, and the first of them counts it (the others show a blank count), so the
    # counts of a section's lines add up to the section's.
    counted: dict[int, set[int]] = {}  # parent line -> pages its lines have counted
    for entry in toc:
        level = max(entry.level, 0)
        _put(ws, r, 1, entry.title, bold=level == 0, indent=2 * level, wrap=True)
        pages: int | None = None
        if entry.first_page is not None and entry.last_page is not None:
            span = set(range(entry.first_page, entry.last_page + 1))
            pages = len(span)
            if entry.parent is not None:
                seen = counted.setdefault(entry.parent, set())
                pages = len(span - seen) or None
                seen |= span
        _put(ws, r, 2, entry.first_page, "int", align="center")
        _put(ws, r, 3, entry.last_page, "int", align="center")
        _put(ws, r, 4, pages, "int", align="center")
        title_width = max(title_width, _text_width(entry.title) + 2 * level)
        r += 1
    widths = [min(max(title_width + 2, 20.0), 80.0), 9.0, 9.0, 8.0]
    _print_setup(ws, widths, header_row=header)
    ws.page_setup.orientation = "portrait"


# ---------------------------------------------------------------------------------------------
# Table sheets


def _table_sheet(
    ws: Worksheet,
    guide: Guide,
    project: ProjectData,
    ev: Evaluation,
    rates: Rates,
    table: TableSpec,
) -> None:
    measures = [m for m in guide.measures if m.table == table.id and m.kind in ("sum", "count")]
    # Conversion columns: a money column in a per-row currency that a measure sums in a unit.
    conversions: list[tuple[str, str]] = []  # (column id, unit)
    for m in measures:
        if m.kind == "sum" and m.column is not None and m.unit is not None:
            spec = table.column(m.column)
            if spec.type == "money" and spec.unit is None and (m.column, m.unit) not in conversions:
                conversions.append((m.column, m.unit))
    per_row_items = [
        it
        for it in _selected(guide, project)
        if it.table == table.id and it.ceiling.kind == "per_row"
    ]

    columns: list[_Column] = [_Column("序号", "int")]
    slots: list[tuple[str, str]] = []  # parallel to columns[1:]: ("field"|"convert"|..., id)
    for spec in table.columns:
        if spec.type == "money":
            columns.append(_Column(_money_header(guide, spec), "money"))
        elif spec.type == "date":
            columns.append(_Column(spec.label, "date"))
        elif spec.type == "int":
            columns.append(_Column(spec.label, "int"))
        elif spec.type == "decimal":
            columns.append(_Column(spec.label, "decimal"))
        else:
            columns.append(_Column(spec.label, "text"))
        slots.append(("field", spec.id))
        for col_id, unit in conversions:
            if col_id == spec.id:
                only = sum(1 for c, _ in conversions if c == col_id) == 1 and len(conversions) == 1
                name = _currency_name(guide, unit)
                columns.append(
                    _Column(f"折合{name}" if only else f"{spec.label}折合{name}", "money")
                )
                slots.append(("convert", f"{col_id}:{unit}"))
    for it in per_row_items:
        header = (
            "计入支持金额（元）" if len(per_row_items) == 1 else f"{it.number}计入支持金额（元）"
        )
        columns.append(_Column(header, "money"))
        slots.append(("support", it.id))
    columns.append(_Column("备注", "text"))
    slots.append(("note", ""))

    fields = {c.id: c for c in table.columns}
    row_results: dict[str, dict[str, RowResult]] = {
        it.id: {rr.row_id: rr for rr in ev.items[it.id].rows} for it in per_row_items
    }
    period_cols = list(dict.fromkeys(m.period_column for m in measures if m.period_column))
    data: list[list[CellValue]] = []
    for n, row in enumerate(project.rows(table.id), start=1):
        values: list[CellValue] = [n]
        notes: list[str] = []
        for slot, ident in slots:
            if slot == "field":
                value, _ = _display(guide, fields[ident], cell(fields[ident], row.values))
                values.append(value)
            elif slot == "convert":
                col_id, unit = ident.split(":")
                values.append(_converted(rates, fields, row, col_id, unit))
            elif slot == "support":
                rr = row_results[ident].get(row.id)
                values.append(rr.amount_cny if rr is not None else None)
                if rr is not None and not rr.counted:
                    notes.extend(rr.reasons)
            else:
                for col_id in period_cols:
                    if not in_period(guide, row.values.get(col_id)):
                        notes.append(f"{fields[col_id].label}不在支持期间内，不计入合计。")
                values.append("；".join(dict.fromkeys(notes)) or None)
        data.append(values)

    totals: list[list[CellValue]] = []
    for m in measures:
        value = ev.measures.get(m.id, Decimal(0))
        target: int | None = None  # index into columns
        total_value: CellValue = value
        if m.kind == "count":
            target, total_value = 2, int(value)
        elif m.column is not None and m.unit is not None:
            if ("convert", f"{m.column}:{m.unit}") in slots:
                target = slots.index(("convert", f"{m.column}:{m.unit}")) + 1
            elif ("field", m.column) in slots and table.column(m.column).unit == m.unit:
                target = slots.index(("field", m.column)) + 1
        if target is None or target < 2 or target >= len(columns):
            continue
        line: list[CellValue] = [None] * len(columns)
        line[0], line[1] = "合计", m.label
        line[target] = total_value
        totals.append(line)
    for it in per_row_items:
        line = [None] * len(columns)
        line[0] = "合计"
        line[1] = f"{it.full_title}支持上限（元）"
        line[slots.index(("support", it.id)) + 1] = ev.items[it.id].ceiling_cny
        totals.append(line)

    subtitle = f"企业全称：{project.company.name}"
    used: list[str] = []
    for row in project.rows(table.id):
        for col_id, unit in conversions:
            spec = fields[col_id]
            if spec.currency_field is not None:
                used.append(str(cell(fields[spec.currency_field], row.values) or "USD"))
            used.append(unit)
    rate_text = rates.summary(used)
    if rate_text:
        subtitle += f"    折算率：{rate_text}"
    _title_rows(ws, table.sheet, subtitle, len(columns))
    header_row = 3
    _grid(ws, header_row, columns, data, totals)
    widths = _fit_widths(columns, data)
    widths[0] = max(widths[0], 8.0)
    data_widths = [
        max([_text_width(_shown(row[i], col.kind)) for row in data] or [0.0])
        for i, col in enumerate(columns)
    ]
    if sum(widths) > _LANDSCAPE_WIDTH:
        widths = _fit_landscape(columns, widths, data_widths)
    # totals labels run from the second column to their figure: make room for them (capped)
    for line in totals:
        if isinstance(line[1], str):
            span = _label_span(line)
            short = _text_width(line[1]) + 2 - sum(widths[1 : 1 + span])
            if short > 0:
                widths[1] = min(widths[1] + short, _MAX_WIDTH)
    _print_setup(ws, widths, header_row=header_row)
    _row_heights(ws, header_row, [[c.header for c in columns], *data], columns, widths)


_LINE_HEIGHT = 15.0  # points per line of 11 pt text


def _row_heights(
    ws: Worksheet,
    first_row: int,
    rows: Sequence[Sequence[CellValue]],
    columns: Sequence[_Column],
    widths: Sequence[float],
) -> None:
    """Rows tall enough for their wrapped text: neither Excel nor LibreOffice grows a row for
    text that wraps in a file written by a program, so a narrowed column would overprint."""
    for r, values in enumerate(rows, start=first_row):
        lines = 1
        for value, col, width in zip(values, columns, widths, strict=False):
            if isinstance(value, str) or (r == first_row and value is not None):
                text = _shown(value, col.kind) if r != first_row else str(value)
                usable = int(max(width - 1.0, 1.0))
                lines = max(
                    lines,
                    sum(max(1, -(-int(_text_width(part)) // usable)) for part in text.split("\n")),
                )
        if lines > 1:
            ws.row_dimensions[r].height = _LINE_HEIGHT * lines + 2


def _converted(
    rates: Rates, fields: Mapping[str, FieldSpec], row: Row, col_id: str, unit: str
) -> Decimal | None:
    spec = fields[col_id]
    amount = cell(spec, row.values)
    if amount is None or isinstance(amount, bool) or not isinstance(amount, int | Decimal):
        return None
    code = "USD"
    if spec.currency_field is not None:
        cur = cell(fields[spec.currency_field], row.values)
        code = str(cur) if cur else "USD"
    if not rates.known(code) or not rates.known(unit):
        return None
    return _money(rates.convert(Decimal(amount), code, unit))
