"""The Excel file of the packet: every table of one company in one workbook (openpyxl).

The guide asks for all tables of the materials as one Excel file named with the company's full
name. The sheets are built from the same :class:`~app.rules.evaluation.Evaluation` the PDF uses, so every
figure agrees with the printed packet:

* ``申请表``: company data, the selected items with their basis, ceiling and requested amount;
* ``材料目录``: the packet's table of contents with its stamped page numbers;
* one sheet per table the selected items use (``TableSpec.sheet``), generic from its columns,
  with totals rows taken from the guide's measures on that table.

Numbers are stored as numbers (money formatted ``#,##0.00``), dates as dates (``yyyy-mm-dd``).
Every sheet prints on A4, fitted to the page width, with its header row repeated on each page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from app.files import write_output
from app.guide.model import FieldSpec, Guide, TableSpec
from app.model import ProjectData, Row
from app.rules.evaluation import Evaluation, Rates, RowResult, cell, in_period
from app.workbook.cells import (
    _HEADER_FILL,
    _LANDSCAPE_WIDTH,
    _MAX_WIDTH,
    DATE_FORMAT,
    FONT_NAME,
    FORM_SHEET,
    INT_FORMAT,
    MONEY_FORMAT,
    SHEET_NAME_MAX,
    TOC_SHEET,
    CellValue,
    _clean,
    _Column,
    _currency_name,
    _display,
    _fit_landscape,
    _fit_widths,
    _grid,
    _label_span,
    _money,
    _money_header,
    _print_setup,
    _put,
    _selected,
    _sheet_name,
    _shown,
    _text_width,
    _title_rows,
)
from app.workbook.form import _form_sheet
from app.workbook.names import TocRow, workbook_file_name

__all__ = [
    "DATE_FORMAT",
    "FONT_NAME",
    "FORM_SHEET",
    "INT_FORMAT",
    "MONEY_FORMAT",
    "SHEET_NAME_MAX",
    "TOC_SHEET",
    "TocRow",
    "build_workbook",
    "sheet_names",
    "workbook_file_name",
    "workbook_tables",
    "write_workbook",
]


# ---------------------------------------------------------------------------------------------
# Public API


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

    write_output(path, save, "Excel 文件")


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
                values.append(_converted(rates, fields, row, col_id, unit, guide.fallback_currency))
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
                used.append(
                    str(cell(fields[spec.currency_field], row.values) or guide.fallback_currency)
                )
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
    rates: Rates,
    fields: Mapping[str, FieldSpec],
    row: Row,
    col_id: str,
    unit: str,
    fallback: str,
) -> Decimal | None:
    spec = fields[col_id]
    amount = cell(spec, row.values)
    if amount is None or isinstance(amount, bool) or not isinstance(amount, int | Decimal):
        return None
    code = spec.unit or fallback
    if spec.currency_field is not None:
        cur = cell(fields[spec.currency_field], row.values)
        code = str(cur) if cur else fallback
    if not rates.known(code) or not rates.known(unit):
        return None
    return _money(rates.convert(Decimal(amount), code, unit))
