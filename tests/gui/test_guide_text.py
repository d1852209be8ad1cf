"""The guide file's texts reach the clerk where the clerk needs them: the packet requirements
(notes) on the output page, what is due at each date (deadlines.detail) on the start page, and a
document's note (documents.*.note) in its detail on the evidence page."""

from __future__ import annotations

import datetime as dt

from widgets.evidence.checklist import build_checklist
from widgets.pages.evidence import EvidencePage
from widgets.pages.output import OutputPage
from widgets.pages.start import StartPage


def test_output_page_shows_the_packet_requirements(qtbot, session, tmp_path):  # type: ignore[no-untyped-def]
    """五（二）申报材料要求: “所有申报材料（包括复印件）须统一使用A4规格纸打印，并按顺序编制
    目录，加封面后装订成册。…请各企业（机构）在提交材料时携带相应材料的原件，以便核对。”"""
    page = OutputPage()
    qtbot.addWidget(page)
    page.set_session(session)
    page.refresh()
    text = page.requirements_text.text()
    for note in session.guide.notes:
        assert note in text
    assert "A4" in text and "企业全称做文件名" in text and "携带相应材料的原件" in text
    page.resize(1100, 800)
    page.grab().save(str(tmp_path / "output.png"))


def test_start_page_says_what_is_due_at_each_date(qtbot):  # type: ignore[no-untyped-def]
    """五（三）申报流程: “申报企业递交一式两份纸质材料（勿装订）至所在区商务部门…（2月18日前
    完成）”; “递交正式装订材料（一式两份）至珠海市服务贸易和外包行业协会汇总（2月28日前完成）”."""
    page = StartPage(today=dt.date(2019, 2, 1))
    qtbot.addWidget(page)
    text = page.dates.text()
    for d in page.guide.deadlines:
        assert d.detail and d.detail in text
    assert "勿装订" in text and "一式两份" in text


def test_a_document_note_is_in_its_detail(qtbot, session):  # type: ignore[no-untyped-def]
    """（三）技术贸易: “技术进口合同银行付汇凭证复印件（…以非美元计价币种的，应将出口额折算成美元，
    折算率使用国家外汇管理局公布的2018年度末《各种货币对美元折算率表》汇率）”."""
    session.set_item_selected("technology_trade", True)
    page = EvidencePage()
    qtbot.addWidget(page)
    page.set_session(session)
    assert page.focus_where("document.tt_payment_voucher")
    note = session.guide.document("tt_payment_voucher").note
    assert note and note in page.doc_note.text()
    assert build_checklist(session.guide, session.data)  # the node exists in the tree
