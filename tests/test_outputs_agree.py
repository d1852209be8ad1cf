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

from app.build import BuildOptions, BuildResult, build
from app.demo import SAMPLE_MANIFEST
from app.manifest import import_manifest, load_manifest
from app.project import ProjectStore
from app.rules import evaluate, fmt_money


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
