"""The submission stages in the build: the 初审 print against the final packet, the
district-stamped 申请表 in the generated form's place, and its findings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.cli import main
from app.manifest.load import load_manifest
from app.manifest.transfer import import_manifest
from app.model import EvidenceFile, PageInfo, ProjectData
from app.outputs.build import BlockedError, BuildOptions, BuildResult, build
from app.outputs.demo import SAMPLE_MANIFEST
from app.packet.overlay import REVIEW_HEADER
from app.packet.plan import UNBOUND_GUTTER_MM
from app.project import ProjectStore
from app.rules.findings import validate
from tests.packet_fixtures import GUIDE, MemorySource, evidence_pdf, marker, project
from tests.pdftools import word_x
from tests.test_packet_pdf import bookmarks, page_texts, squeeze, stamped_number, toc_lines

TODAY = dt.date(2019, 1, 10)
SELECTED = ["outsourcing_onshore", "export_credit_insurance"]
STAMPED = "district_stamped_form"
FORM_TITLE = GUIDE.document("application_form").title


def with_stamped_form(data: ProjectData, pages: int = 2) -> ProjectData:
    scan = EvidenceFile(
        id="stamped",
        document_id=STAMPED,
        row_id=None,
        name="盖章申请表.pdf",
        sha256="f" * 64,
        size=1234,
        order=0,
        pages=tuple(PageInfo(595.28, 841.89, 0, 300.0) for _ in range(pages)),
    )
    return dataclasses.replace(data, evidence=(*data.evidence, scan))


def source(data: ProjectData) -> MemorySource:
    src = MemorySource(dataclasses.replace(data, evidence=()))
    src.data = data
    for f in data.evidence:
        src.pdfs[f.id] = evidence_pdf(f.id, f.page_count)
    return src


def consistent(result: BuildResult) -> tuple[list[str], list[tuple[str, int]]]:
    """Every page stamped with its number; 目录 lines = bookmarks. Returns texts and marks."""
    texts = page_texts(result.pdf)
    assert len(texts) == result.pages
    for n, text in enumerate(texts[1:], start=2):
        assert stamped_number(text) == n
    head = squeeze(REVIEW_HEADER)
    toc_pages = [
        n for n, t in enumerate(texts, 1) if squeeze(t).removeprefix(head).startswith("目录")
    ]
    assert toc_pages
    lines = toc_lines(texts, toc_pages)
    marks = bookmarks(PdfReader(result.pdf))
    assert len(lines) == len(marks) > 5
    for (title, page), (mark_title, mark_page) in zip(lines, marks, strict=True):
        assert page == mark_page, (title, mark_title)
    return texts, marks


def x_of(pdf: Path, page: int, word: str) -> float:
    return word_x(pdf, page, word)


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, BuildResult, ProjectData]:
    data = with_stamped_form(project(SELECTED))
    src = source(data)
    base = tmp_path_factory.mktemp("stages")
    review = build(
        src, base / "out", BuildOptions(stage="review", gutter_mm=UNBOUND_GUTTER_MM), today=TODAY
    )
    final = build(src, base / "out", BuildOptions(duplex=True), today=TODAY)
    return review, final, data


def test_review_print_is_marked_unbound_and_keeps_the_generated_form(
    pair: tuple[BuildResult, BuildResult, ProjectData],
) -> None:
    review, final, _ = pair
    assert review.pdf.name.endswith("-申报材料（初审用）.pdf") and review.stage == "review"
    assert final.pdf.name.endswith("-申报材料.pdf") and final.pdf.parent == review.pdf.parent
    texts, marks = consistent(review)
    form_pages = form_page_numbers(review)
    assert form_pages
    # every page but the 申请表's carries the mark, cover too
    assert all(
        squeeze(REVIEW_HEADER) in squeeze(t) for n, t in enumerate(texts, 1) if n not in form_pages
    )
    assert not any("草稿" in t for t in texts)  # marked in the margin, no watermark
    assert not any("此页无正文" in t for t in texts)  # no duplex blanks
    form_page = next(p for t, p in marks if t.endswith("申请表"))
    form = squeeze("".join(texts[form_page - 1 : form_page + 1]))
    assert (
        "区商务部门初审意见" in form and "初审意见：区商务部门（公章）：" in form
    )  # the box left empty
    assert marker("stamped", 0) not in "".join(texts)  # the stamp comes from this very print
    band_page = next(p for t, p in marks if "营业执照" in t)
    assert "初审用·" in squeeze(texts[band_page - 1])
    meta = PdfReader(review.pdf).metadata
    assert meta is not None and meta.title is not None and "初审用" in meta.title
    # the figures the district will stamp come back with the result
    assert review.figures["items"] == ",".join(i for i in GUIDE.item_ids if i in SELECTED)
    assert review.figures["printed_on"] == TODAY.isoformat()


def form_page_numbers(result: BuildResult) -> list[int]:
    """The 申请表's pages of a build: from its bookmark to the next one."""
    marks = bookmarks(PdfReader(result.pdf))
    first = next(p for t, p in marks if t.endswith("申请表"))
    after = next(p for _, p in marks if p > first)
    return list(range(first, after))


def test_the_review_print_leaves_the_application_form_unmarked(
    pair: tuple[BuildResult, BuildResult, ProjectData],
) -> None:
    """五（三）1.: “各区商务部门出具初审意见，并在申请表上加盖区商务部门公章”, and 3.: “网上审核
    通过后，递交正式装订材料”: the district stamps the 申请表 of the 初审 print, and that very sheet
    goes into the final packet, so it says nothing of 初审用 / 勿装订 / 非正式递交材料."""
    review, _, _ = pair
    pages = form_page_numbers(review)
    texts = page_texts(review.pdf)
    assert len(pages) >= 2  # the 申请表 runs over two pages here
    for n in pages:
        flat = squeeze(texts[n - 1])
        assert "初审用" not in flat and "勿装订" not in flat and "非正式" not in flat
    # the pages before and after it keep the mark
    assert squeeze(REVIEW_HEADER) in squeeze(texts[pages[0] - 2])
    assert squeeze(REVIEW_HEADER) in squeeze(texts[pages[-1]])


def test_no_gutter_in_the_review_print(pair: tuple[BuildResult, BuildResult, ProjectData]) -> None:
    review, final, data = pair
    scan = next(f for f in data.evidence if f.document_id == "business_license")
    word = marker(scan.id, 0)
    r_page = next(n for n, t in enumerate(page_texts(review.pdf), 1) if word in t)
    f_page = next(n for n, t in enumerate(page_texts(final.pdf), 1) if word in t)
    # the same scan sits further left without the 25 mm binding gutter (odd page in the final)
    assert f_page % 2 == 1
    assert x_of(review.pdf, r_page, word) < x_of(final.pdf, f_page, word) - 15


def test_final_build_puts_the_stamped_scan_where_the_form_was(
    pair: tuple[BuildResult, BuildResult, ProjectData],
) -> None:
    review, final, _ = pair
    texts, marks = consistent(final)
    assert not any(squeeze(REVIEW_HEADER) in squeeze(t) for t in texts)
    assert "区商务部门初审意见" not in squeeze("".join(texts))  # no generated form left
    r_marks = bookmarks(PdfReader(review.pdf))
    # same 目录 line, same position among the lines
    assert [t for t, _ in marks] == [t for t, _ in r_marks]
    form_page = next(p for t, p in marks if t.endswith(FORM_TITLE))
    assert marker("stamped", 0) in texts[form_page - 1]
    assert marker("stamped", 1) in texts[form_page]
    assert not any("盖章的申请表" in w for w in final.warnings)


def test_a_final_build_without_the_stamped_form_warns_then_blocks(tmp_path: Path) -> None:
    data = project(SELECTED)
    result = build(MemorySource(data), tmp_path / "a", BuildOptions(), today=TODAY)
    assert any("未经区商务部门盖章" in w for w in result.warnings)
    passed = dataclasses.replace(data, stages={"review_passed": dt.date(2019, 2, 10)})
    findings = validate(GUIDE, passed, today=TODAY)
    missing = [f for f in findings if f.code == "process.stamped_form_missing"]
    assert missing and missing[0].blocking and missing[0].where == f"document.{STAMPED}"
    with pytest.raises(BlockedError):
        build(MemorySource(passed), tmp_path / "b", BuildOptions(), today=TODAY)
    # the 初审 print is not held up by the stamp it is waiting for
    review = build(MemorySource(passed), tmp_path / "c", BuildOptions(stage="review"), today=TODAY)
    assert review.pdf.exists() and not review.draft
    # attached: nothing to say
    stamped = with_stamped_form(passed)
    assert not [f for f in validate(GUIDE, stamped, today=TODAY) if f.code.startswith("process.")]


def test_a_change_after_the_stamp_blocks_the_final_packet_only(tmp_path: Path) -> None:
    """五（三）1.–3.: “各区商务部门出具初审意见，并在申请表上加盖区商务部门公章”, then
    “网上审核通过后，递交正式装订材料”: the bound packet carries the stamped 申请表, so an item
    or amount changed after the 初审 print blocks the final packet, naming each change and the
    two ways out; the 初审 print itself may still be rebuilt."""
    data = project(SELECTED)
    src = MemorySource(data)
    review = build(src, tmp_path / "r", BuildOptions(stage="review"), today=TODAY)
    stamped = dataclasses.replace(
        with_stamped_form(data),
        stages={"review_submitted": dt.date(2019, 1, 12)},
        review_figures=review.figures,
    )
    assert not [f for f in validate(GUIDE, stamped, today=TODAY) if f.code.startswith("process.")]
    changed = dataclasses.replace(
        stamped,
        requested={"export_credit_insurance": Decimal("1000")},
        selected=("export_credit_insurance",),
    )
    (stale,) = [
        f for f in validate(GUIDE, changed, today=TODAY) if f.code == "process.stamped_form_stale"
    ]
    assert stale.blocking and stale.where == f"document.{STAMPED}"
    assert "不再一致" in stale.message
    assert "取消了申报项目“（二）1.服务外包在岸业务”" in stale.message
    assert "1,000.00 元" in stale.message
    assert "重新审核盖章" in stale.message and "撤销上述改动" in stale.message  # the two ways out
    with pytest.raises(BlockedError) as blocked:
        build(source(changed), tmp_path / "f", BuildOptions(), today=TODAY)
    assert stale in blocked.value.findings
    # a draft of the final packet still says it with its result
    draft = build(source(changed), tmp_path / "d", BuildOptions(draft=True), today=TODAY)
    assert draft.draft and stale.message in draft.warnings
    # the 初审 print may be rebuilt (that is the way to a new stamp)
    again = build(source(changed), tmp_path / "r2", BuildOptions(stage="review"), today=TODAY)
    assert not again.draft and again.figures["items"] == "export_credit_insurance"
    # undoing the change clears it
    undone = dataclasses.replace(changed, requested={}, selected=stamped.selected)
    assert not [
        f for f in validate(GUIDE, undone, today=TODAY) if f.code == "process.stamped_form_stale"
    ]


def test_cli_review_stage_defaults_and_records_the_figures(tmp_path: Path) -> None:
    path = tmp_path / "示例.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), path)
    with ProjectStore.open(path) as store:
        store.set_option("duplex", True)
        store.set_option("gutter_mm", 30)
    out, err = io.StringIO(), io.StringIO()
    argv = ["build", str(path), "--out", str(tmp_path / "o"), "--today", "2019-02-01"]
    assert main([*argv, "--stage", "review"], out, err) == 0, err.getvalue()
    assert "初审用" in out.getvalue()
    (pdf,) = (tmp_path / "o").glob("*（初审用）.pdf")
    prefs = PdfReader(pdf).trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/Duplex"] == "/Simplex"  # the saved duplex setting is for the bound copy
    with ProjectStore.open(path) as store:
        figures = store.load().review_figures
    assert figures["printed_on"] == "2019-02-01" and Decimal(figures["total"]) > 0
    assert main([*argv, "--stage", "bogus"], out, err) == 2
