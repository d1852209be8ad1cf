"""The header row of rows pasted or imported into a table: which table column each of the
clerk's own columns is.

A header cell names a column by its label (spaces, full-width forms, case, '*' and ':'
ignored), its id, its label without brackets, one of the column's ``aliases`` from the guide
file, or by containing exactly one column's label (“合同名称及编号”; an alias must be the
whole cell). A bracket in the header may
give the unit of the amounts below (“金额（万元）”: times 10,000) or their currency (“合同金额
（美元）”), so a figure is never read in the wrong unit. Cells naming no column are reported,
not guessed. No Qt here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from app.guide.model import FieldSpec, Guide, TableSpec

_SPACE = re.compile(r"\s+")
_BRACKETS = re.compile(r"[（(\[【](.*?)[）)\]】]")
TEN_THOUSAND = Decimal(10000)
CNY_WORDS = ("人民币", "元", "万元", "rmb")


def normalise_label(text: object) -> str:
    """Compare header cells and labels ignoring spaces, full-width forms, case and '*'."""
    s = unicodedata.normalize("NFKC", str(text)).strip().lower()
    s = _SPACE.sub("", s).replace("*", "").replace("：", "").replace(":", "")
    return s


def _bare(text: str) -> str:
    return normalise_label(_BRACKETS.sub("", unicodedata.normalize("NFKC", text)))


@dataclass(frozen=True)
class HeaderCell:
    """One cell of a header row and the column it was matched to."""

    position: int  # 0-based position in the pasted row
    text: str  # as written
    column_id: str | None  # None: not imported
    note: str = ""  # Chinese: how it was matched, or why not
    multiplier: Decimal = Decimal(1)  # amounts written in 万 (ten thousands)
    currency: str | None = None  # the currency its bracket names


def _names(table: TableSpec) -> tuple[dict[str, str], dict[str, str]]:
    """(normalised full name -> column id, normalised bare name -> column id): labels, ids
    and aliases; a bare label two columns share names neither."""
    full: dict[str, str] = {}
    bare: dict[str, list[str]] = {}
    for col in table.columns:
        full[normalise_label(col.label)] = col.id
        full.setdefault(normalise_label(col.id), col.id)
        for name in (col.label, *col.aliases):
            b = _bare(name)
            if b and col.id not in bare.setdefault(b, []):
                bare[b].append(col.id)
        for alias in col.aliases:
            full.setdefault(normalise_label(alias), col.id)
    return full, {b: ids[0] for b, ids in bare.items() if len(ids) == 1}


def _unit_of(text: str, guide: Guide | None) -> tuple[Decimal, str | None]:
    """The multiplier and the currency code a header's brackets name."""
    multiplier, currency = Decimal(1), None
    for inside in _BRACKETS.findall(unicodedata.normalize("NFKC", text)):
        words = inside.strip()
        if "万" in words:
            multiplier = TEN_THOUSAND
        if guide is not None:
            upper = words.upper()
            for c in guide.currencies:
                if (c.name and c.name in words) or re.search(rf"\b{re.escape(c.code)}\b", upper):
                    currency = c.code
                    break
            else:
                codes = {c.code for c in guide.currencies}
                if "CNY" in codes and words.lower() in CNY_WORDS:
                    currency = "CNY"
    return multiplier, currency


def match_cell(
    table: TableSpec, position: int, raw: object, guide: Guide | None = None
) -> HeaderCell:
    """The column a header cell names (or None, with the reason)."""
    text = "" if raw is None else str(raw).strip()
    if not text:
        return HeaderCell(position, "", None)
    full, bare = _names(table)
    norm, core = normalise_label(text), _bare(text)
    col_id = full.get(norm) or bare.get(core)
    note = ""
    if col_id is None and len(core) >= 2:
        # Labels only: a short alias (“合同”) would claim 合同编号 for 合同名称.
        hits = {c.id for c in table.columns if len(_bare(c.label)) >= 2 and _bare(c.label) in core}
        if len(hits) == 1:
            col_id = hits.pop()
            note = "按名称包含"
        elif len(hits) > 1:
            labels = "、".join(f"“{c.label}”" for c in table.columns if c.id in hits)
            return HeaderCell(position, text, None, f"可能是{labels}，无法确定；不导入")
    if col_id is None:
        return HeaderCell(position, text, None, "表格中没有这一列；不导入")
    spec = table.column(col_id)
    multiplier, currency = _unit_of(text, guide)
    if spec.type != "money":
        multiplier, currency = Decimal(1), None
    if spec.unit is not None and currency is not None and currency != spec.unit:
        return HeaderCell(
            position,
            text,
            None,
            f"表格的“{spec.label}”以 {spec.unit} 计，而此列是 {currency}；"
            "请先换算后再导入，此列不导入",
        )
    if multiplier != 1:
        note = "，".join(x for x in (note, "按“万”换算（乘以 10000）") if x)
    if currency is not None and spec.currency_field is not None:
        note = "，".join(x for x in (note, f"币种 {currency}") if x)
    return HeaderCell(position, text, col_id, note, multiplier, currency)


def read_header(
    table: TableSpec, cells: Sequence[object], guide: Guide | None = None
) -> list[HeaderCell] | None:
    """The header cells of ``cells``, or None when the row is data, not a header.

    A header names at least one column, and every cell names one, or at least two cells do
    and they are at least half of the row's non-empty cells (a clerk's sheet has columns of
    its own: 序号, 备注)."""
    matched = [match_cell(table, n, raw, guide) for n, raw in enumerate(cells)]
    seen: dict[str, int] = {}
    out: list[HeaderCell] = []
    for cell in matched:
        if cell.column_id is not None and cell.column_id in seen:
            first = seen[cell.column_id]
            label = table.column(cell.column_id).label
            cell = HeaderCell(
                cell.position,
                cell.text,
                None,
                f"与第 {first + 1} 列同为“{label}”；只导入第 {first + 1} 列",
            )
        elif cell.column_id is not None:
            seen[cell.column_id] = cell.position
        out.append(cell)
    filled = sum(1 for c in out if c.text)
    named = len(seen)
    if named == 0:
        return None
    if named == filled or (named >= 2 and 2 * named >= filled):
        return out
    return None


def remapped(
    table: TableSpec,
    cells: Sequence[HeaderCell],
    columns: Sequence[str | None],
    guide: Guide | None = None,
) -> list[HeaderCell]:
    """``cells`` with the columns a clerk chose instead (by position); a column chosen twice
    is taken for its first position only."""
    out: list[HeaderCell] = []
    seen: set[str] = set()
    for cell, col_id in zip(cells, columns, strict=False):
        if col_id is None or col_id in seen or not cell.text:
            note = "不导入" if cell.text else ""
            out.append(HeaderCell(cell.position, cell.text, None, note))
            continue
        seen.add(col_id)
        if col_id == cell.column_id:
            out.append(cell)
            continue
        spec = table.column(col_id)
        multiplier, currency = _unit_of(cell.text, guide)
        if spec.type != "money":
            multiplier, currency = Decimal(1), None
        out.append(HeaderCell(cell.position, cell.text, col_id, "按您的选择", multiplier, currency))
    return out


def missing_columns(table: TableSpec, cells: Sequence[HeaderCell]) -> list[FieldSpec]:
    """Required columns no header cell names (their cells stay empty; a default still applies)."""
    named = {c.column_id for c in cells if c.column_id is not None}
    currencies = {
        table.column(c.column_id).currency_field
        for c in cells
        if c.column_id is not None and c.currency is not None
    }
    return [
        col
        for col in table.columns
        if col.id not in named
        and col.id not in currencies
        and col.required
        and col.default is None
        and col.type != "bool"
    ]
