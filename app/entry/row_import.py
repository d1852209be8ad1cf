"""Rows for a table from a grid of cells: text pasted from Excel, or an .xlsx sheet.

No Qt here: the functions take plain data and return plain data, so the xlsx reader can run in
a background task. Every cell goes through ``app.entry.values.coerce`` (the one parser). A first row
that names the table's columns is taken as the header (``app.entry.row_header``: columns are then
mapped by name, alias, or a label the header contains, and a unit or currency in its brackets
applies to the amounts below); without one, columns are mapped by position in the table's
column order. A row with a bad cell is left out and reported (row, column, problem) and kept
(``rejected``) so that it can be shown, copied and read again; the good rows are returned.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from app.entry.row_header import HeaderCell, normalise_label, read_header, remapped
from app.entry.values import ValueProblem, check_number, coerce
from app.guide.model import FieldSpec, Guide, TableSpec
from app.model import Value
from app.system.errors import AppError

Progress = Callable[[int, int, str], None]
MAX_TITLE_LINES = 3  # lines of one or two cells (a sheet's title) looked past for its header


class RowImportError(AppError):
    """An .xlsx file cannot be read for rows; the message names the file and what to do."""

    def __init__(self, file_name: str, message: str) -> None:
        super().__init__(message)
        self.file_name = file_name


@dataclass(frozen=True)
class CellProblem:
    line: int  # 1-based: the line of the pasted text, or the sheet's row number
    column: str  # the column's Chinese label ("" when the problem is about the whole row)
    message: str
    column_id: str = ""
    raw: str = ""  # the cell as written, when a catalogue entry is suggested for it
    suggestion: str | None = None  # the catalogue entry it most likely means

    def __str__(self) -> str:
        where = f"第 {self.line} 行" + (f"“{self.column}”" if self.column else "")
        return f"{where}：{self.message}"


@dataclass
class GridRows:
    """What a grid yields: rows ready for ``session.add_rows`` and the problems found."""

    rows: list[dict[str, Value]] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    header: bool = False  # a header row was recognised (and skipped)
    skipped: int = 0  # rows left out because of a bad cell
    columns: list[str | None] = field(default_factory=list)  # column id of each grid position
    rejected: list[tuple[int, list[object]]] = field(default_factory=list)  # (line, cells) left out
    fixes: dict[str, dict[str, str]] = field(default_factory=dict)  # accepted suggestions so far
    added: tuple[str, ...] = ()  # currency codes the project added to the guide's rate table
    header_cells: list[HeaderCell] = field(default_factory=list)  # the header row, matched
    titles: list[tuple[int, str]] = field(default_factory=list)  # (line, text) above the header
    lines: list[tuple[int, list[object]]] = field(default_factory=list)  # every data line read

    def copy_text(self, table: TableSpec) -> str:
        """The rows left out as tab-separated text (with the header row, when there was one),
        for the clipboard: corrected in Excel, they can be pasted again."""
        out = io.StringIO()
        writer = csv.writer(out, delimiter="\t", quotechar='"', lineterminator="\r\n")
        if self.header:
            writer.writerow([c.text for c in self.header_cells])
        elif self.rejected:
            writer.writerow([c.label for c in table.columns])
        for _line, cells in self.rejected:
            writer.writerow(["" if v is None else str(v) for v in cells])
        return out.getvalue()

    def suggestions(self) -> dict[str, dict[str, str]]:
        """Column id -> {cell as written: suggested entry}, from the rows left out."""
        out: dict[str, dict[str, str]] = {}
        for p in self.problems:
            if p.suggestion is not None and p.column_id:
                out.setdefault(p.column_id, {})[p.raw] = p.suggestion
        return out


def _blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _prepare(spec: FieldSpec, raw: object) -> object:
    """Spreadsheet quirks before coercion: 12345.0 in a text column is '12345'; a number of
    more than 15 digits (an ID card number typed into a number cell) has already lost its
    last digits in Excel and is refused."""
    if spec.type in ("text", "certification", "choice", "currency", "business_type"):
        if isinstance(raw, int | float) and not isinstance(raw, bool) and abs(raw) >= 1e15:
            raise ValueProblem(
                f"{spec.label}是超过15位的数字，Excel 已改动了它的末几位；"
                "请把该列设为“文本”格式、重新输入后再导入"
            )
        if isinstance(raw, float) and raw.is_integer():
            return str(int(raw))
        if isinstance(raw, int) and not isinstance(raw, bool):
            return str(raw)
    return raw


def rows_from_grid(
    table: TableSpec,
    grid: Sequence[Sequence[object]],
    guide: Guide | None = None,
    first_line: int = 1,
    added: Collection[str] = (),
) -> GridRows:
    """Typed rows from a grid of raw cells (``grid[0]`` is line ``first_line``). ``added``:
    currency codes the project added to the guide's rate table."""
    result = GridRows(added=tuple(added))
    columns: list[str | None] = [c.id for c in table.columns]
    start = 0
    # The first non-empty line may be a header, or follow a title or two (a merged
    # “2018年度服务外包执行情况汇总表” cell above the sheet's own header).
    while start < len(grid) and all(_blank(v) for v in grid[start]):
        start += 1
    at = start
    while at < len(grid) and at - start <= MAX_TITLE_LINES:
        header = read_header(table, grid[at], guide)
        if header is not None:
            result.header_cells = header
            columns = [c.column_id for c in header]
            result.header = True
            result.titles = [
                (first_line + n, str(next(v for v in grid[n] if not _blank(v))))
                for n in range(start, at)
                if not all(_blank(v) for v in grid[n])
            ]
            start = at + 1
            break
        if sum(1 for v in grid[at] if not _blank(v)) > 2:
            break  # a line of data: there is no header
        at += 1
    result.columns = columns
    result.lines = [(first_line + index, list(grid[index])) for index in range(start, len(grid))]
    _read_lines(table, result.lines, result, guide, {})
    return result


def remap_rows(
    table: TableSpec, got: GridRows, columns: Sequence[str | None], guide: Guide | None = None
) -> GridRows:
    """Every line of ``got`` read again with the header's columns chosen by the clerk
    (``columns``: a column id or None for each position of the header row)."""
    cells = remapped(table, got.header_cells, columns, guide)
    again = GridRows(
        header=True,
        columns=[c.column_id for c in cells],
        fixes={k: dict(v) for k, v in got.fixes.items()},
        added=got.added,
        header_cells=cells,
        lines=list(got.lines),
        titles=list(got.titles),
    )
    _read_lines(table, again.lines, again, guide, again.fixes)
    return again


Fixes = Mapping[str, Mapping[str, str]]  # column id -> {cell as written: replacement}


def retry_rows(
    table: TableSpec, got: GridRows, fixes: Fixes, guide: Guide | None = None
) -> GridRows:
    """The rows ``got`` left out, read again with cells replaced as ``fixes`` say (a user
    accepted the suggested catalogue entries for a column)."""
    merged = {col: dict(m) for col, m in got.fixes.items()}
    for col, m in fixes.items():
        merged.setdefault(col, {}).update(m)
    again = GridRows(
        header=got.header,
        columns=list(got.columns),
        fixes=merged,
        added=got.added,
        header_cells=list(got.header_cells),
        lines=list(got.rejected),
    )
    _read_lines(table, got.rejected, again, guide, merged)
    return again


def _header_currency(table: TableSpec, result: GridRows) -> dict[str, str]:
    """Currency column id -> the code the header's amount columns name, when the sheet has
    no currency column of its own."""
    named = {c for c in result.columns if c is not None}
    out: dict[str, str] = {}
    for cell in result.header_cells:
        if cell.column_id is None or cell.currency is None:
            continue
        field_id = table.column(cell.column_id).currency_field
        if field_id is not None and field_id not in named:
            out.setdefault(field_id, cell.currency)
    return out


def _read_lines(
    table: TableSpec,
    lines: Sequence[tuple[int, list[object]]],
    result: GridRows,
    guide: Guide | None,
    fixes: Fixes,
) -> None:
    columns = result.columns
    specs = {c.id: c for c in table.columns}
    units = {c.column_id: c for c in result.header_cells if c.column_id is not None}
    implied = _header_currency(table, result)
    for line, cells in lines:
        if all(_blank(v) for v in cells):
            continue
        values: dict[str, Value] = {}
        bad: list[CellProblem] = []
        for pos, raw in enumerate(cells):
            col_id = columns[pos] if pos < len(columns) else None
            if col_id is None:
                if not _blank(raw) and not result.header and pos >= len(columns):
                    bad.append(
                        CellProblem(
                            line,
                            "",
                            f"比表格多出的第 {pos + 1} 列（“{raw}”）无法对应，"
                            "请检查列的顺序或加上标题行",
                        )
                    )
                continue
            spec = specs[col_id]
            if isinstance(raw, str) and raw.strip() in fixes.get(col_id, {}):
                raw = fixes[col_id][raw.strip()]
            try:
                value = coerce(spec, _prepare(spec, raw), guide, result.added)
                unit = units.get(col_id)
                if unit is not None and unit.multiplier != 1 and isinstance(value, Decimal):
                    value = check_number(value * unit.multiplier, spec.label, raw)
            except ValueProblem as exc:
                text = str(raw).strip() if exc.suggestion else ""
                bad.append(CellProblem(line, spec.label, str(exc), col_id, text, exc.suggestion))
                continue
            if value is not None:
                values[col_id] = value
        for cur_id, code in implied.items():
            values.setdefault(cur_id, code)
        for cell in result.header_cells:  # a currency cell contradicting the header's
            cur = table.column(cell.column_id).currency_field if cell.column_id else None
            if (
                cur is not None
                and cell.currency is not None
                and cur not in implied
                and values.get(cur) not in (None, cell.currency)
            ):
                message = f"币种“{values[cur]}”与标题“{cell.text}”不符，请核对"
                bad.append(CellProblem(line, specs[cur].label, message, cur))
                break
        if bad:
            result.problems.extend(bad)
            result.skipped += 1
            result.rejected.append((line, cells))
            continue
        for spec in table.columns:
            if spec.id not in values and spec.default is not None:
                values[spec.id] = spec.default
        result.rows.append(values)


def parse_clipboard(text: str) -> list[list[str]]:
    """Tab-separated text as Excel puts it on the clipboard (quoted cells may hold newlines)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    if not text:
        return []
    reader = csv.reader(io.StringIO(text), delimiter="\t", quotechar='"')
    return [list(row) for row in reader]


def rows_from_text(
    table: TableSpec, text: str, guide: Guide | None = None, added: Collection[str] = ()
) -> GridRows:
    return rows_from_grid(table, parse_clipboard(text), guide, added=added)


def _pick_sheet(wb: object, table: TableSpec) -> object:
    names = getattr(wb, "sheetnames", [])
    wanted = {normalise_label(table.sheet), normalise_label(table.title)}
    for name in names:
        if normalise_label(name) in wanted:
            return wb[name]  # type: ignore[index]
    return getattr(wb, "active", None) or wb[names[0]]  # type: ignore[index]


def rows_from_xlsx(
    path: Path,
    table: TableSpec,
    guide: Guide | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    added: Collection[str] = (),
) -> GridRows:
    """Rows from an .xlsx file: the sheet named like the table (else the first sheet).

    Raises RowImportError (Chinese message naming the file) when the file cannot be read."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    name = path.name
    if path.suffix.lower() == ".xls":
        raise RowImportError(
            name, f"“{name}”是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入。"
        )
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise RowImportError(name, f"找不到文件“{name}”，请确认它没有被移动或删除。") from None
    except PermissionError:
        raise RowImportError(
            name, f"无法打开“{name}”：文件正被其他程序占用或没有读取权限，请关闭后重试。"
        ) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise RowImportError(
            name, f"“{name}”不是有效的 Excel（.xlsx）文件，请在 Excel 中另存为 .xlsx 后再导入。"
        ) from None
    try:
        sheet = _pick_sheet(wb, table)
        total = getattr(sheet, "max_row", None) or 0
        grid: list[list[object]] = []
        width = len(table.columns)
        for n, row in enumerate(sheet.iter_rows(values_only=True), start=1):  # type: ignore[attr-defined]
            if cancelled is not None and cancelled():
                break
            grid.append(list(row))
            width = max(width, len(row))
            if progress is not None and n % 200 == 0:
                progress(n, total, f"已读取 {n} 行")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise RowImportError(
            name, f"读取“{name}”时出错：文件可能已损坏，请在 Excel 中打开并另存后再导入。"
        ) from None
    finally:
        wb.close()
    # read_only sheets may pad rows with trailing empty cells: trim them.
    for row in grid:
        while row and _blank(row[-1]):
            row.pop()
    return rows_from_grid(table, grid, guide, added=added)
