"""Cells of the Excel file: typed values, widths, borders, print set-up, and the values of the
guide's fields as they are shown (shared by every sheet of ``app.workbook``)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.guide.model import FieldSpec, Guide, ItemSpec, TableSpec
from app.model import ProjectData, Row, Value
from app.rules.evaluation import cell

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
class _Column:
    header: str
    kind: Kind


_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill(fill_type="solid", start_color="D9D9D9", end_color="D9D9D9")
_TOTAL_FILL = PatternFill(fill_type="solid", start_color="F2F2F2", end_color="F2F2F2")


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
        return bt.label, "text"
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
