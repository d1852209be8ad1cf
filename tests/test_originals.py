"""Originals checklist: the lines for a selection, and the A4 PDF that lists them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.outputs.originals import (
    BRING_ORIGINAL,
    original_inside,
    originals_checklist,
    stamped_inside,
    write_originals_pdf,
)
from tests.outputs_fixtures import guide, project
from tests.packet_fixtures import GUIDE
from tests.packet_fixtures import project as full_project
from tests.pdftools import pdf_text

SELECTED = (
    "outsourcing_onshore",
    "tcm_projects",
    "international_certification",
    "tcm_general_export",
)


def _lines() -> list[tuple[str, str, str | None, str]]:
    return [
        (ln.section, ln.title, ln.row_label, ln.what)
        for ln in originals_checklist(guide(), project(SELECTED))
    ]


def test_application_form_signatures_come_first() -> None:
    lines = _lines()
    form = "2019年珠海市内外经贸发展专项资金（服务贸易发展事项）申请表"
    assert lines[:5] == [
        ("基本材料", form, None, "法定代表人签名（盖章）"),
        ("基本材料", form, None, "企业公章"),
        ("基本材料", form, None, "区商务部门初审意见及公章"),
        ("基本材料", "经区商务部门盖章的申请表（扫描件）", None, stamped_inside(guide())),
        (
            "基本材料",
            "企业营业执照、事业单位组织机构代码证或民政部门颁发的登记证书复印件",
            None,
            BRING_ORIGINAL,
        ),
    ]
    # the credit record is a print-out: nothing to bring
    assert not any("信用中国" in t for _, t, _, _ in lines)


def test_per_row_originals_and_signatures() -> None:
    lines = _lines()
    certs = [(r, w) for s, t, r, w in lines if t == "国际资质认证证书复印件"]
    assert certs == [("CMMI", BRING_ORIGINAL), ("ISO27001/BS7799", BRING_ORIGINAL)]
    tcm = [(r, w) for s, t, r, w in lines if t == "项目简单说明"]
    assert tcm == [
        ("澳门中医诊疗", "法定代表人签名"),
        ("澳门中医诊疗", "企业盖章"),
        ("葡萄牙针灸培训", "法定代表人签名"),
        ("葡萄牙针灸培训", "企业盖章"),
    ]
    assert (
        "（五）2.中医药一般贸易出口",
        "海关一般贸易统计证明（原件）",
        None,
        original_inside(guide()),
    ) in lines
    assert ("（六）国际认证", "《国际资质认证奖励申请报告》", None, "法定代表人签名") in lines


def test_shared_documents_listed_once_under_the_first_item() -> None:
    lines = _lines()
    contracts = [s for s, t, _, _ in lines if t == "服务外包合同（协议）复印件"]
    assert contracts == ["（二）1.服务外包在岸业务"]
    # an unselected item's documents are absent
    assert not any(s.startswith("（三）") for s, _, _, _ in lines)


def test_pdf_is_a4_and_lists_every_line(tmp_path: Path) -> None:
    g, p = guide(), project(SELECTED)
    lines = originals_checklist(g, p)
    path = tmp_path / "原件核对清单.pdf"
    write_originals_pdf(path, g, p, lines, today=dt.date(2019, 2, 1))
    reader = PdfReader(path)
    assert len(reader.pages) >= 1
    for page in reader.pages:
        assert (
            round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842
        )
    text = pdf_text(path)
    flat = "".join(text.split())
    assert "原件核对清单" in flat and "珠海/测试:科技有限公司" in flat and "2019年2月1日" in flat
    for ln in lines:
        assert ln.what in flat
        if ln.row_label:
            assert ln.row_label in flat
    assert "海关一般贸易统计证明（原件）" in flat
    assert flat.count(BRING_ORIGINAL) >= sum(1 for ln in lines if ln.what == BRING_ORIGINAL)
    assert [f.name for f in tmp_path.iterdir()] == ["原件核对清单.pdf"]


def test_talent_tax_and_social_security_statements_are_brought_as_originals() -> None:
    """（七）1.人才引进: “税务部门盖章确认的个人所得税缴费明细（纳税需超过半年）；珠海社保缴费
    明细（含社保基数等信息）” — and “请各企业（机构）在提交材料时携带相应材料的原件，以便核对”."""
    lines = [
        (ln.title, ln.row_label, ln.what)
        for ln in originals_checklist(GUIDE, full_project(["talent_introduction"]))
    ]
    persons = {r for _, r, _ in lines if r is not None}
    assert persons
    for person in persons:
        assert (
            "税务部门盖章确认的个人所得税缴费明细（纳税需超过半年）",
            person,
            BRING_ORIGINAL,
        ) in lines
        assert ("珠海社保缴费明细（含社保基数等信息）", person, BRING_ORIGINAL) in lines


def test_the_single_customs_original_says_which_copy_gets_it() -> None:
    """（五）2.“提供海关一般贸易统计证明（原件）” with “一式两份”: one original, two copies."""
    [line] = [
        ln
        for ln in originals_checklist(guide(), project(("tcm_general_export",)))
        if ln.title == "海关一般贸易统计证明（原件）"
    ]
    assert "正本" in line.what and "副本放复印件" in line.what


def test_pdf_says_page_of_pages_and_opens_clean(tmp_path: Path) -> None:
    """第 N 页 共 M 页 on every page; language, title in the window bar, creator set."""
    import pikepdf

    g, p = guide(), project(SELECTED)
    path = tmp_path / "原件核对清单.pdf"
    write_originals_pdf(path, g, p, originals_checklist(g, p), today=dt.date(2019, 2, 1))
    reader = PdfReader(path)
    total = len(reader.pages)
    for n in range(1, total + 1):
        text = pdf_text(path, n, n)
        assert f"第 {n} 页 共 {total} 页" in text
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "zh-CN"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        assert str(pdf.docinfo["/Creator"]) == "申报材料助手"
        assert str(pdf.docinfo["/Title"]) == "原件核对清单"


def test_the_stamped_form_is_one_story_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    """五（三）1.–3.: “各区商务部门出具初审意见，并在申请表上加盖区商务部门公章”, “初审通过后，
    申报企业收回资料”, “递交正式装订材料”: the bound packet holds the district-stamped 申请表
    itself (the original); its scan holds the place in the PDF. The originals checklist, the
    build's warning, the next step and the CLI say the same."""
    import io

    from app.cli import main

    inside = stamped_inside(GUIDE)
    assert "盖章的申请表原件装入正式装订材料" in inside and "扫描件" in inside
    process = GUIDE.process
    assert process is not None
    bring = "".join(process.stage("online_passed").bring)
    assert "申请表为区商务部门盖章的原件" in bring
    assert "盖章的申请表原件" in process.stage("review_passed").next
    assert "原件" in GUIDE.document("district_stamped_form").note
    with pytest.raises(SystemExit):
        main(["build", "--help"], io.StringIO(), io.StringIO())
    help_text = "".join(capsys.readouterr().out.split())
    assert "申请表为盖章的原件" in help_text and "装订时换入原件" in help_text
