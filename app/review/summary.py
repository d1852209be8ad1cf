"""The summary workbook: one row per source, the findings, totals by item and by district.

Every sheet has its header row frozen and filtered, and prints on A4 landscape fitted to the
page width with the header repeated on each page.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.files import write_output
from app.review.model import KIND_LABELS, SourceResult
from app.review.run import duplicate_codes

SUMMARY_SHEET = "汇总"
ITEMS_SHEET = "申报项目明细"
FINDINGS_SHEET = "问题清单"
BY_ITEM_SHEET = "按项目合计"
BY_DISTRICT_SHEET = "按所在区合计"
MONEY_FORMAT = "#,##0.00"
HEADER_ROW = 3
_HEADER_FILL = PatternFill(fill_type="solid", start_color="D9D9D9", end_color="D9D9D9")
_PREFERENCE = {"project": 0, "manifest": 1, "packet": 2}
NO_DISTRICT = "（未填写）"

Cell = str | int | Decimal | None


def _clean(value: Cell) -> Cell:
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def item_titles(results: Sequence[SourceResult]) -> list[str]:
    """Every item applied for in any source, in order of first appearance."""
    titles: list[str] = []
    for r in results:
        for it in r.items:
            if it.title not in titles:
                titles.append(it.title)
    return titles


SUMMARY_HEADER = [
    "序号",
    "企业全称",
    "统一社会信用代码",
    "申报指南",
    "所在区",
    "申报项目",
    "支持上限合计（元）",
    "申请金额合计（元）",
    "必须解决的问题",
    "提醒",
    "阶段",
    "页数",
    "来源类型",
    "同一信用代码有多份",
    "来源路径",
    "无法读取或校验未通过",
]
SUMMARY_WIDTHS = [
    5.0,
    28.0,
    20.0,
    30.0,
    8.0,
    26.0,
    14.0,
    14.0,
    8.0,
    6.0,
    8.0,
    6.0,
    9.0,
    9.0,
    30.0,
    40.0,
]


def summary_rows(results: Sequence[SourceResult]) -> tuple[list[str], list[list[Cell]]]:
    """The 汇总 sheet's header and rows (one per source)."""
    dup = duplicate_codes(results)
    rows: list[list[Cell]] = []
    for n, r in enumerate(results, start=1):
        ceilings = [it.ceiling_cny for it in r.items if it.ceiling_cny is not None]
        rows.append(
            [
                n,
                r.company,
                r.credit_code,
                r.guide,
                r.district,
                "、".join(it.number or it.title for it in r.items) or None,
                sum(ceilings, Decimal(0)) if r.items else None,
                r.total_requested_cny,
                r.blocking,
                r.warnings,
                r.stage or None,
                r.pages,
                KIND_LABELS[r.kind],
                "是" if r.credit_code and r.credit_code.upper() in dup else None,
                r.path,
                r.error,
            ]
        )
    return list(SUMMARY_HEADER), rows


def item_rows(results: Sequence[SourceResult]) -> list[list[Cell]]:
    """The 申报项目明细 sheet: one row per source and item applied for."""
    return [
        [r.company, r.credit_code, r.district, it.title, it.ceiling_cny, it.requested_cny, r.path]
        for r in results
        for it in r.items
    ]


def counted(results: Sequence[SourceResult]) -> list[SourceResult]:
    """The sources the totals count: those read (and verified) without error, one per company
    (credit code), preferring the project file, then the manifest, then the packet."""
    best: dict[str, SourceResult] = {}
    out: list[SourceResult] = []
    for r in results:
        if r.error is not None or r.total_requested_cny is None:
            continue
        if not r.credit_code:
            out.append(r)
            continue
        key = r.credit_code.upper()
        if key not in best or _PREFERENCE[r.kind] < _PREFERENCE[best[key].kind]:
            best[key] = r
    return [*best.values(), *out]


def totals_by_item(results: Sequence[SourceResult]) -> list[tuple[str, int, Decimal, Decimal]]:
    rows: dict[str, list[Decimal]] = {
        t: [Decimal(0), Decimal(0), Decimal(0)] for t in item_titles(results)
    }
    for r in counted(results):
        for it in r.items:
            acc = rows[it.title]
            acc[0] += 1
            acc[1] += it.ceiling_cny or 0
            acc[2] += it.requested_cny or 0
    return [(t, int(a[0]), a[1], a[2]) for t, a in rows.items() if a[0]]


def totals_by_district(results: Sequence[SourceResult]) -> list[tuple[str, int, Decimal]]:
    rows: dict[str, list[Decimal]] = {}
    for r in counted(results):
        acc = rows.setdefault(r.district or NO_DISTRICT, [Decimal(0), Decimal(0)])
        acc[0] += 1
        acc[1] += r.total_requested_cny or 0
    return [(d, int(a[0]), a[1]) for d, a in sorted(rows.items())]


def _text_width(text: str) -> float:
    """Column-width units of ``text``: CJK and full-width characters count two."""
    return sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in text)


def _lines(value: Cell, width: float) -> int:
    """Lines a wrapped text cell takes (LibreOffice and Excel do not grow rows on opening)."""
    if not isinstance(value, str) or width <= 0:
        return 1
    return max(1, math.ceil(_text_width(value) / max(width - 1, 1)))


def _sheet(
    ws: Worksheet,
    title: str,
    subtitle: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    total: Sequence[Cell] | None = None,
) -> None:
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    ws.cell(row=2, column=1, value=subtitle)
    for c, text in enumerate(header, start=1):
        cell = ws.cell(row=HEADER_ROW, column=c, value=text)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        lines = max(_lines(v, widths[c]) for c, v in enumerate(row[: len(widths)]))
        if lines > 1:
            ws.row_dimensions[r].height = 15 * min(lines, 8)
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=_clean(value))
            if isinstance(value, Decimal):
                cell.number_format = MONEY_FORMAT
            cell.alignment = Alignment(wrap_text=isinstance(value, str), vertical="top")
    last_col = get_column_letter(len(header))
    last_row = HEADER_ROW + max(len(rows), 1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{last_row}"
    if total is not None:
        r = HEADER_ROW + len(rows) + 1
        for c, value in enumerate(total, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.font = Font(bold=True)
            if isinstance(value, Decimal):
                cell.number_format = MONEY_FORMAT
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3 if len(header) > 8 else 1).coordinate
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def build_summary(results: Sequence[SourceResult], now: dt.datetime | None = None) -> Workbook:
    now = now or dt.datetime.now()
    stamp = f"生成时间：{now:%Y-%m-%d %H:%M}"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SUMMARY_SHEET
    header, rows = summary_rows(results)
    failed = sum(1 for r in results if r.failed)
    _sheet(
        ws,
        "申报材料汇总",
        f"{stamp}    共 {len(results)} 份，其中 {failed} 份有必须解决的问题或无法读取",
        header,
        rows,
        SUMMARY_WIDTHS,
    )
    ws.row_dimensions[HEADER_ROW].height = 32
    _sheet(
        wb.create_sheet(ITEMS_SHEET),
        "申报项目明细",
        stamp,
        [
            "企业全称",
            "统一社会信用代码",
            "所在区",
            "申报项目",
            "支持上限（元）",
            "申请金额（元）",
            "来源路径",
        ],
        item_rows(results),
        [28.0, 20.0, 8.0, 36.0, 14.0, 14.0, 40.0],
    )

    fs = wb.create_sheet(FINDINGS_SHEET)
    frows: list[list[Cell]] = []
    for r in results:
        if r.error is not None and not r.findings:
            frows.append([r.company, r.credit_code, "无法读取", "", "", r.error, r.path])
        for f in r.findings:
            severity = "必须解决" if f.blocking else "提醒"
            frows.append([r.company, r.credit_code, severity, f.code, f.where, f.message, r.path])
    _sheet(
        fs,
        "问题清单",
        stamp,
        ["企业全称", "统一社会信用代码", "严重程度", "代码", "位置", "说明", "来源路径"],
        frows,
        [30.0, 21.0, 10.0, 24.0, 24.0, 70.0, 40.0],
    )

    note = "同一企业（统一社会信用代码）有多份材料时只计一份（依次取项目文件、清单文件、申报材料）"
    by_item = totals_by_item(results)
    _sheet(
        wb.create_sheet(BY_ITEM_SHEET),
        "按申报项目合计",
        f"{stamp}    {note}",
        ["申报项目", "企业数", "支持上限合计（元）", "申请金额合计（元）"],
        [list(t) for t in by_item],
        [40.0, 10.0, 20.0, 20.0],
        total=[
            "合计",
            None,
            sum((t[2] for t in by_item), Decimal(0)),
            sum((t[3] for t in by_item), Decimal(0)),
        ],
    )
    by_district = totals_by_district(results)
    _sheet(
        wb.create_sheet(BY_DISTRICT_SHEET),
        "按所在区合计",
        f"{stamp}    {note}",
        ["所在区", "企业数", "申请金额合计（元）"],
        [list(t) for t in by_district],
        [20.0, 10.0, 20.0],
        total=[
            "合计",
            sum(t[1] for t in by_district),
            sum((t[2] for t in by_district), Decimal(0)),
        ],
    )
    wb.properties.title = "申报材料汇总"
    return wb


def write_summary(
    path: Path, results: Sequence[SourceResult], now: dt.datetime | None = None
) -> None:
    """Write the summary workbook to ``path`` atomically."""
    wb = build_summary(results, now)

    def save(tmp: Path) -> None:
        wb.save(str(tmp))

    write_output(path, save, "汇总表", "文件夹")
