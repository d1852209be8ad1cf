"""The PDF and the Excel file are two views of one packet: the same amounts, the same 目录 with
the same page numbers, the same contract totals. Built end to end from the sample company."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.manifest.load import load_manifest
from app.manifest.transfer import import_manifest
from app.outputs.build import BuildOptions, BuildResult, build
from app.outputs.demo import SAMPLE_MANIFEST
from app.project import ProjectStore
from app.rules.evaluation import evaluate, fmt_money


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BuildResult, ProjectStore]]:
    root = tmp_path_factory.mktemp("agree")
    project = root / "sample.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), project)
    store = ProjectStore.open(project)
    result = build(store, root / "out", BuildOptions(), today=dt.date(2019, 2, 1))
    yield result, store
    store.close()


def _page_texts(pdf: Path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(pdf).pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_requested_amounts_agree(built: tuple[BuildResult, ProjectStore]) -> None:
    result, store = built
    data = store.load()
    from app.guide import guide_by_id

    ev = evaluate(guide_by_id(data.guide_id), data)
    wb = load_workbook(result.workbook)
    form = wb["申请表"]
    numbers = [
        c for row in form.iter_rows(values_only=True) for c in row if isinstance(c, int | float)
    ]
    total = float(ev.total_requested_cny)
    assert total in numbers  # the sheet's 合计 is the evaluation's total
    pdf_text = _flat("".join(_page_texts(result.pdf)[:6]))
    assert fmt_money(ev.total_requested_cny) in pdf_text
    for item_id in ev.selected:
        amount = ev.items[item_id].requested_cny
        assert float(amount) in numbers
        assert fmt_money(amount) in pdf_text


def test_the_toc_sheet_matches_the_pdf_bookmarks(built: tuple[BuildResult, ProjectStore]) -> None:
    result, _ = built
    reader = PdfReader(result.pdf)
    marks: list[tuple[str, int]] = []

    def walk(items: list) -> None:  # type: ignore[type-arg]
        for it in items:
            if isinstance(it, list):
                walk(it)
            else:
                marks.append((str(it.title), reader.get_destination_page_number(it) + 1))

    walk(reader.outline)
    sheet = load_workbook(result.workbook)["材料目录"]
    rows = [
        (str(r[0]).strip(), r[1])
        for r in sheet.iter_rows(min_row=4, values_only=True)
        if r[0] and isinstance(r[1], int)
    ]
    assert len(rows) > 20, "the 目录 sheet has its lines with page numbers"
    # Both are the plan's entries in packet order: the same titles with the same pages.
    assert rows == marks


def test_contract_totals_agree(built: tuple[BuildResult, ProjectStore]) -> None:
    result, _ = built
    sheet = load_workbook(result.workbook)["2018年度服务外包执行情况汇总表"]
    totals = [
        Decimal(str(v))
        for row in sheet.iter_rows(values_only=True)
        if row[0] and str(row[0]).startswith("合计")
        for v in row
        if isinstance(v, int | float)
    ]
    assert totals
    pdf_text = _flat("".join(_page_texts(result.pdf)))
    for value in totals:
        assert fmt_money(value) in pdf_text, value


def test_toc_sheet_page_counts_add_up_to_each_section(
    built: tuple[BuildResult, ProjectStore],
) -> None:
    """The 见第…页 lines of a section share one reference page: counted once, so the lines of a
    section add up to the section's count, and the top lines to the packet's."""
    result, _ = built
    sheet = load_workbook(result.workbook)["材料目录"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    offshore = next(i for i, r in enumerate(rows) if "服务外包离岸业务" in str(r[0]))
    first, last, count = rows[offshore][1:4]
    assert count == last - first + 1 == 3
    lines = []
    for r in rows[offshore + 1 :]:
        if str(r[0]).startswith("（") or str(r[0])[0] in "一二三四五六七八九":
            break
        lines.append(r)
    assert sum(r[3] or 0 for r in lines) == count
    shared = [r for r in lines if "（见第" in str(r[0])]
    assert len(shared) >= 3 and len({r[1] for r in shared}) == 1  # all on one reference page
    assert [r[3] for r in shared].count(None) == len(shared) - 1
    # the top lines (一、基本材料, 二、申报项目材料) count the packet's numbered content pages
    tops = [r for r in rows if str(r[0])[:2] in ("一、", "二、")]
    assert sum(r[3] for r in tops) == tops[-1][2] - tops[0][1] + 1


def test_excel_prints_clean(built: tuple[BuildResult, ProjectStore]) -> None:
    """Footers have room inside the bottom margin; the wide 汇总表 wraps its text columns to
    print at >= 90 % across a landscape page; its totals lines share one merged 合计."""
    from app.workbook.cells import _LANDSCAPE_WIDTH

    result, _ = built
    book = load_workbook(result.workbook)
    for ws in book:
        margins = ws.page_margins
        assert margins.bottom - margins.footer >= 0.4, ws.title  # a 9 pt footer line fits
        assert "第 &P 页，共 &N 页" in ws.oddFooter.center.text
    ws = book["2018年度服务外包执行情况汇总表"]
    assert ws.page_setup.orientation == "landscape"
    widths = [ws.column_dimensions[c].width for c in "ABCDEFGHIJKLM"]
    assert sum(widths) <= _LANDSCAPE_WIDTH
    totals = [
        r
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, 2).value and "执行金额" in str(ws.cell(r, 2).value)
    ]
    assert len(totals) == 4
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert f"A{totals[0]}:A{totals[-1]}" in merged
    assert [ws.cell(r, 1).value for r in totals] == ["合计", None, None, None]
    # a wrapped contract name gets a taller row (no overprinting)
    first_data = 4
    assert ws.row_dimensions[first_data].height and ws.row_dimensions[first_data].height > 20
