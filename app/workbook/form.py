"""The 申请表 sheet of the Excel file, laid out as the PDF's (``app.packet.form_layout``)."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from app.guide.model import Guide
from app.model import COMPANY_FIELDS, ProjectData
from app.packet import form_layout
from app.packet.form_layout import cny_capital
from app.rules.company import printed_district
from app.rules.evaluation import Evaluation
from app.workbook.cells import (
    _HEADER_FILL,
    CellValue,
    Kind,
    _Column,
    _grid,
    _print_setup,
    _put,
    _selected,
    _title_rows,
)

# ---------------------------------------------------------------------------------------------
# 申请表


def _form_sheet(ws: Worksheet, guide: Guide, project: ProjectData, ev: Evaluation) -> None:
    ncols = 6
    widths = [6.0, 12.0, 30.0, 44.0, 16.0, 16.0]
    number = f"{guide.document_no}    " if guide.document_no else ""
    _title_rows(ws, guide.form_title, f"{number}金额单位：人民币元", ncols)
    r = 3
    sections = form_layout.sections(guide)

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

    section(sections[0])
    company = project.company
    for field_id, label in COMPANY_FIELDS:
        text = company.get(field_id)
        if field_id == "district":
            text = printed_district(text, guide.district_other)
        pair(label, text)
    for spec in guide.company_fields:  # the guide's own company fields
        pair(spec.label, spec.choice_label(company.get(spec.id)))

    section(sections[1])
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

    # 三、申报单位承诺 (when the guide has a declaration): the text, the legal
    # representative's line, the company seal
    if guide.declaration:
        section(sections[2])
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

    # 四、区商务部门初审意见 (when the guide declares one): left empty, room for its seal
    if guide.form.opinion_title:
        section(sections[-1])
        seal_pt = form_layout.DISTRICT_SEAL_MM * 72 / 25.4
        _seal_row(ws, r, guide.form.opinion_label, guide.form.opinion_seal, seal_pt, ncols)
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
