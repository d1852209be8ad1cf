"""Wide generated tables (the 汇总表) are drawn on landscape pages turned into the portrait
sheet, and no text in any generated table crosses a cell border: every wrapped line of every
cell is measured against its column, and a business type's （ITO） is never split."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.platypus import Paragraph, Table

from app.manifest.load import Manifest, load_manifest
from app.model import Row
from app.outputs.demo import SAMPLE_MANIFEST
from app.packet.draw import Context
from app.packet.layout import Layout
from app.packet.tables import generated_tables, landscape, table_story, table_width
from app.rules.evaluation import evaluate

PADDING = 2.0  # each side, as the table style sets it


@pytest.fixture(scope="module")
def sample() -> Manifest:
    return load_manifest(SAMPLE_MANIFEST)


def context(sample: Manifest, extra_rows: tuple[Row, ...] = ()) -> Context:
    tables = dict(sample.data.tables)
    tables["contracts"] = tuple(tables["contracts"]) + extra_rows
    data = replace(sample.data, tables=tables)
    return Context(sample.guide, data, evaluate(sample.guide, data), Layout(), dt.date(2019, 1, 28))


def the_table(ctx: Context, table_id: str) -> Table:
    return next(f for f in table_story(ctx, table_id) if isinstance(f, Table))


def lines_of(p: Paragraph, width: float) -> list[tuple[float, str]]:
    """(width used, text) of each line ``p`` wraps into at ``width``."""
    p.wrap(width, 10_000)
    out = []
    for line in p.blPara.lines:
        if isinstance(line, tuple):  # (space left over, words)
            out.append((width - line[0], "".join(str(w) for w in line[1])))
        else:
            words = getattr(line, "words", [])
            text = "".join(getattr(w, "text", "") for w in words)
            out.append((float(getattr(line, "currentWidth", 0.0)), text))
    return out


def spanned(table: Table) -> set[tuple[int, int]]:
    cells: set[tuple[int, int]] = set()
    for cmd in table._spanCmds:  # type: ignore[attr-defined]
        if cmd[0] == "SPAN":
            (c0, r0), (c1, r1) = cmd[1], cmd[2]
            ncols = len(table._colWidths)  # type: ignore[attr-defined]
            c1 = c1 % ncols
            cells |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    return cells


def test_the_contracts_summary_is_landscape_and_the_others_are_not(sample: Manifest) -> None:
    ctx = context(sample)
    assert landscape(sample.guide, "contracts")
    assert not landscape(sample.guide, "policies")
    # Landscape: the table is as wide as the content box is high.
    assert table_width(ctx, "contracts") > table_width(ctx, "policies") * 1.3


LONG = Row(
    "long",
    {
        "name": "集团共享服务中心IT支持及Oracle ERP系统运维外包服务协议（2018年度框架合同）",
        "client": "Harbourline International Logistics Holdings (Hong Kong) Ltd.",
        "country": "中国香港特别行政区",
        "business_type": "it_operations",
        "scope": "offshore",
        "affiliated": False,
        "currency": "HKD",
        "contract_amount": Decimal("12345678.90"),
        "execution_amount": Decimal("12345678.90"),
        "execution_date": dt.date(2018, 12, 31),
    },
)


@pytest.mark.parametrize("extra", [(), (LONG,)], ids=["sample", "long-texts"])
def test_no_text_crosses_a_cell_border(sample: Manifest, extra: tuple[Row, ...]) -> None:
    ctx = context(sample, extra)
    for table_id in generated_tables(ctx.guide, ctx.project):
        table = the_table(ctx, table_id)
        widths: list[float] = table._colWidths  # type: ignore[attr-defined]
        skip = spanned(table)
        spec = ctx.guide.table(table_id)
        kinds = ["index"] + [c.type for c in spec.columns]
        for r, row in enumerate(table._cellvalues):  # type: ignore[attr-defined]
            for c, cell in enumerate(row):
                if not isinstance(cell, Paragraph) or (r, c) in skip:
                    continue
                inner = widths[c] - 2 * PADDING
                for used, text in lines_of(cell, inner):
                    # A line may use the cell's padding, never the border beyond it.
                    assert used <= inner + PADDING, (table_id, r, c, text, used, widths[c])
                    if r > 0 and c < len(kinds) and kinds[c] == "business_type":
                        assert text.count("（") == text.count("）"), (table_id, r, c, text)


def test_the_summary_page_is_turned_in_the_pdf(tmp_path: Path) -> None:
    from app.manifest.transfer import import_manifest
    from app.outputs.build import BuildOptions, build
    from app.outputs.demo import demo_manifest
    from app.project import ProjectStore

    project = tmp_path / "p.sbproj"
    import_manifest(load_manifest(demo_manifest(tmp_path / "src")), project)
    with ProjectStore.open(project) as store:
        result = build(store, tmp_path / "out", BuildOptions())
    reader = PdfReader(io.BytesIO(result.pdf.read_bytes()))
    found = 0
    for page in reader.pages:
        turned = page.extract_text(orientations=(90,)) or ""
        upright = page.extract_text(orientations=(0,)) or ""
        if "合同名称" in turned and "执行金额" in turned:
            found += 1
            # The table reads bottom to top; the page number stays upright on a portrait sheet.
            assert "合同名称" not in upright and "第" in upright
            assert page.mediabox.width < page.mediabox.height
    assert found == 1
