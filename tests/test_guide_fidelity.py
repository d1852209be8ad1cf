"""Guide fidelity (issue 7): each test quotes the guide sentence it holds the product to.

The guide is 《2019年珠海市内外经贸发展专项资金（服务贸易发展事项）申报指南》 (珠商〔2019〕28号).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from app.findings import Finding, validate
from app.guide import Guide
from app.model import ProjectData, Row

Builder = Callable[..., ProjectData]
CALM = dt.date(2019, 1, 20)


def missing(findings: list[Finding]) -> set[str]:
    return {f.where for f in findings if f.code == "document.missing"}


# -- the outsourcing proof set -----------------------------------------------------------------


def test_certification_alone_asks_for_invoices_and_bank_receipts(
    guide: Guide, project: Builder, row: Callable[..., Row]
) -> None:
    """（六）国际认证: “企业2018年度服务外包执行金额相关证明文件（参照第2点）”; point 2 lists
    “税务局出具的发票及汇总清单” (在岸) and “银行出具的收汇凭证” (离岸)."""
    p = project("international_certification", tables={"certifications": [row(name="CMMI")]})
    gone = missing(validate(guide, p, today=CALM))
    assert {"document.oso_invoices", "document.oso_fx_receipts"} <= gone
    assert {"document.oso_contracts", "document.oso_audit_report"} <= gone


def test_talent_alone_asks_for_invoices_and_bank_receipts(
    guide: Guide, project: Builder, row: Callable[..., Row]
) -> None:
    """（七）1.人才引进: “企业2018年度服务外包执行金额相关证明文件（参照第2点）”."""
    p = project("talent_introduction", tables={"persons": [row(name="王五")]})
    gone = missing(validate(guide, p, today=CALM))
    assert {"document.oso_invoices", "document.oso_fx_receipts"} <= gone


def test_proof_set_is_the_whole_of_point_two(guide: Guide) -> None:
    """“参照第2点”: the set is the union of the onshore and offshore lists of （二）."""
    members = set(guide.document_set("outsourcing_proof").documents)
    point_two = set(guide.item("outsourcing_onshore").documents) | set(
        guide.item("outsourcing_offshore").documents
    )
    assert members == point_two
