"""The packet PDF as a reviewer and a PDF reader see it: pages, numbers, 目录, bookmarks, links,
form totals, watermark, metadata."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import Destination

from app.model import Company
from app.outputs.build import BuildOptions, BuildResult, build
from app.packet.form import cny_capital
from app.packet.layout import A4
from app.rules.evaluation import evaluate, fmt_money
from tests.packet_fixtures import COMPANY, GUIDE, MemorySource, marker, project
from tests.pdftools import page_texts as pdfium_page_texts

TODAY = dt.date(2019, 1, 10)
SELECTED = [
    "outsourcing_onshore",
    "outsourcing_offshore",
    "international_certification",
    "talent_introduction",
    "export_credit_insurance",
]


def page_texts(pdf: Path) -> list[str]:
    return pdfium_page_texts(pdf)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def stamped_number(text: str) -> int | None:
    found = re.findall(r"第\s*(\d+)\s*页\s*共\s*(\d+)\s*页", text)
    return int(found[-1][0]) if found else None


def toc_lines(texts: list[str], toc_pages: list[int]) -> list[tuple[str, int]]:
    """(title, first page) of each 目录 line, read from the rendered text."""
    lines: list[tuple[str, int]] = []
    for n in toc_pages:
        for line in texts[n - 1].splitlines():
            if "共" in line and "页" in line:
                continue  # the stamp
            m = re.match(r"^\s*(\S.*?)\s*[.·…\s]*\s(\d+)(?:–\d+)?\s*$", line)
            if m and not line.strip().startswith("目"):
                lines.append((squeeze(m.group(1)), int(m.group(2))))
    return lines


def bookmarks(reader: PdfReader) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []

    def walk(items: list[object]) -> None:
        for it in items:
            if isinstance(it, list):
                walk(it)
            else:
                assert isinstance(it, Destination)
                out.append((str(it.title), reader.get_destination_page_number(it) + 1))

    walk(reader.outline)
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, MemorySource]:
    src = MemorySource(project(SELECTED, pages=2), landscape_pages=[1])
    out = tmp_path_factory.mktemp("final") / "out"
    return build(src, out, BuildOptions(), today=TODAY), src


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    data = project(SELECTED, missing=["oso_invoices"])
    out = tmp_path_factory.mktemp("draft") / "out"
    return build(MemorySource(data), out, BuildOptions(draft=True, duplex=True), today=TODAY)


def test_every_page_is_a4_and_counted(built: tuple[BuildResult, MemorySource]) -> None:
    result, _ = built
    assert not any("稿" in t for t in page_texts(result.pdf))  # no watermark on a final build
    reader = PdfReader(result.pdf, strict=True)
    assert len(reader.pages) == result.pages
    for page in reader.pages:
        box = page.mediabox
        assert abs(float(box.width) - A4[0]) < 0.5 and abs(float(box.height) - A4[1]) < 0.5
        assert int(page.get("/Rotate", 0)) == 0
    info = subprocess.run(["pdfinfo", str(result.pdf)], capture_output=True, check=True)
    assert f"Pages:           {result.pages}".encode() in info.stdout


def test_each_evidence_page_exactly_once(built: tuple[BuildResult, MemorySource]) -> None:
    result, src = built
    texts = page_texts(result.pdf)
    for f in src.data.evidence:
        for i in range(f.page_count):
            hits = [n for n, t in enumerate(texts, start=1) if marker(f.id, i) in t]
            assert len(hits) == 1, (f.id, i, hits)


def test_toc_numbers_match_stamps_and_bookmarks(built: tuple[BuildResult, MemorySource]) -> None:
    result, _ = built
    texts = page_texts(result.pdf)
    assert stamped_number(texts[0]) is None  # the cover is not stamped
    for n, text in enumerate(texts[1:], start=2):
        assert stamped_number(text) == n
        assert f"共 {result.pages} 页" in text
    toc_pages = [n for n, t in enumerate(texts, start=1) if squeeze(t).startswith("目录")]
    assert toc_pages == [2, 3]  # 30 lines on the first page, the rest continued
    lines = toc_lines(texts, toc_pages)
    reader = PdfReader(result.pdf)
    marks = bookmarks(reader)
    assert len(lines) == len(marks) > 20
    for (title, page), (mark_title, mark_page) in zip(lines, marks, strict=True):
        assert page == mark_page, (title, mark_title)
        assert squeeze(mark_title).startswith(title.rstrip("…")[:12])
    # the 目录 says where the form and the contracts table are; the pages say so too
    by_title = dict(marks)
    form_page = next(p for t, p in by_title.items() if t.endswith("申请表"))
    assert "申请表" in texts[form_page - 1] and "区商务部门初审意见" in squeeze(
        "".join(texts[form_page - 1 : form_page + 1])
    )
    table_page = next(p for t, p in marks if "执行情况汇总表" in t)
    assert "合同名称" in texts[table_page - 1]


def test_toc_links_point_at_the_listed_pages(built: tuple[BuildResult, MemorySource]) -> None:
    result, _ = built
    reader = PdfReader(result.pdf)
    texts = page_texts(result.pdf)
    lines = toc_lines(texts, [2, 3])
    links = []
    refs = [*reader.pages[1].get("/Annots", []), *reader.pages[2].get("/Annots", [])]
    assert refs
    for ref in refs:
        a = ref.get_object()
        assert a["/Subtype"] == "/Link"
        target = a["/Dest"][0].get_object()
        number = next(
            i
            for i, p in enumerate(reader.pages)
            if p.indirect_reference.idnum == target.indirect_reference.idnum
        )
        on = next(i for i, p in enumerate(reader.pages) if ref in p.get("/Annots", []))
        links.append((on, -float(a["/Rect"][1]), number + 1))
    links.sort()  # page by page, top to bottom, as the lines are read
    assert [p for _, _, p in links] == [p for _, p in lines]


def test_no_scripts_attachments_or_open_actions(built: tuple[BuildResult, MemorySource]) -> None:
    result, _ = built
    raw = result.pdf.read_bytes()
    for key in (b"/JavaScript", b"/JS ", b"/EmbeddedFile", b"/OpenAction", b"/Launch"):
        assert key not in raw
    root = PdfReader(result.pdf).trailer["/Root"]
    assert "/Names" not in root and "/OpenAction" not in root and "/AA" not in root


def test_metadata_and_viewer_preferences(built: tuple[BuildResult, MemorySource]) -> None:
    result, _ = built
    reader = PdfReader(result.pdf)
    meta = reader.metadata
    assert meta is not None
    assert meta.title == GUIDE.packet_title
    assert meta.author == COMPANY.name
    assert meta.subject is not None and GUIDE.document_no in meta.subject
    prefs = reader.trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/NumCopies"] == 2
    assert prefs["/PrintScaling"] == "/None"
    assert prefs["/Duplex"] == "/Simplex"


def test_form_totals_are_the_evaluation(built: tuple[BuildResult, MemorySource]) -> None:
    result, src = built
    ev = evaluate(GUIDE, src.data)
    texts = page_texts(result.pdf)
    form_page = next(p for t, p in bookmarks(PdfReader(result.pdf)) if t.endswith("申请表"))
    assert form_page == 4  # cover, two 目录 pages
    form = squeeze(texts[form_page - 1])
    assert "申请表" in form
    assert COMPANY.credit_code in form and COMPANY.district in form
    total = ev.total_requested_cny
    assert total == Decimal("341500.00")
    assert f"合计（小写）{fmt_money(ev.total_ceiling_cny)}{fmt_money(total)}" in form
    assert f"合计（大写）{cny_capital(total)}" in form
    assert "叁拾肆万壹仟伍佰元整" in form
    for item_id in ev.selected:
        assert fmt_money(ev.items[item_id].requested_cny) in form


def test_contracts_table_totals(built: tuple[BuildResult, MemorySource]) -> None:
    result, src = built
    ev = evaluate(GUIDE, src.data)
    texts = [squeeze(t) for t in page_texts(result.pdf)]
    table = next(t for t in texts if "2018年度服务外包执行情况汇总表" in t and "合同名称" in t)
    for measure in ("onshore_execution_usd", "offshore_execution_usd", "outsourcing_total_usd"):
        assert fmt_money(ev.measures[measure]) in table
    assert "8,000,000.00" in table and "1,165,637.02" in table  # CNY row and its USD value
    assert "软件研发" in table and "（ITO）" in table and "（BPO）" in table
    # The rate as the table quotes it; no program note in the submitted packet (the check
    # says the defaults are to be checked, before the build).
    assert "1美元=6.8632人民币" in table
    assert "程序默认值" not in table and "核对" not in table


def test_band_heading_on_first_page_of_a_document(built: tuple[BuildResult, MemorySource]) -> None:
    result, _ = built
    texts = [squeeze(t) for t in page_texts(result.pdf)]
    first = next(n for n, t in enumerate(texts) if marker("ic_certificate-r_cmmi-0", 0) in t)
    assert squeeze("（六）国际认证 · 国际资质认证证书复印件 · CMMI 5级") in texts[first]
    assert "国际资质认证证书复印件" not in texts[first + 1]


def test_draft_watermark_placeholders_and_duplex(draft: BuildResult) -> None:
    texts = page_texts(draft.pdf)
    assert draft.draft
    # the diagonal watermark comes out of pdftotext one character at a time
    assert all("草" in t and "稿" in t for t in texts)
    joined = squeeze("".join(texts))
    assert "【缺】税务局出具的发票及汇总清单" in joined
    assert "此页无正文" in texts[1]  # the 目录 starts on page 3
    prefs = PdfReader(draft.pdf).trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/Duplex"] == "/DuplexFlipLongEdge"
    assert any(f.blocking for f in draft.findings)


def test_missing_glyphs_are_reported(tmp_path: Path) -> None:
    odd = Company(**{**COMPANY.__dict__, "name": "珠海𪚥科技有限公司"})
    data = project(["export_credit_insurance"], company=odd)
    result = build(MemorySource(data), tmp_path / "out", BuildOptions(), today=TODAY)
    assert any("𪚥" in w and "珠海𪚥科技有限公司" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("125000", "壹拾贰万伍仟元整"),
        ("0", "零元整"),
        ("0.05", "伍分"),
        ("10.5", "壹拾元伍角整"),
        ("1005.05", "壹仟零伍元零伍分"),
        ("100010", "壹拾万零壹拾元整"),
        ("100500", "壹拾万零伍佰元整"),
        ("120000000", "壹亿贰仟万元整"),
        ("100000001", "壹亿零壹元整"),
        ("341500", "叁拾肆万壹仟伍佰元整"),
        ("3.456", "叁元肆角陆分"),
        ("20000", "贰万元整"),
        ("1000000", "壹佰万元整"),
    ],
)
def test_cny_capital(amount: str, text: str) -> None:
    assert cny_capital(Decimal(amount)) == text


def test_cny_capital_refuses_negative() -> None:
    with pytest.raises(ValueError):
        cny_capital(Decimal("-1"))
