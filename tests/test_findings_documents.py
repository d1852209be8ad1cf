"""Findings of the document checklist: what each item asks for, per row and shared, what an
attached file clears, evidence for unselected items, optional documents, low-resolution pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from app.guide import Guide
from app.model import EvidenceFile, PageInfo, Row
from app.rules.findings import required_documents, validate
from tests.test_findings import BASE, CALM, Builder, find, missing_documents

# --------------------------------------------------------------------------- documents

# Expected missing documents per item with nothing attached; "*" marks per-row documents.
ITEM_MISSING = {
    "service_trade_statistics": [
        "sts_platform_screenshot",
        "sts_contracts",
        "sts_fx_receipts",
        "sts_audit_report",
    ],
    "outsourcing_onshore": [
        "oso_platform_screenshot",
        "oso_audit_report",
        "oso_contracts",
        "oso_invoices",
    ],
    "outsourcing_offshore": [
        "oso_platform_screenshot",
        "oso_audit_report",
        "oso_contracts",
        "oso_fx_receipts",
    ],
    "technology_trade": [
        "tt_registration_certificate",
        "tt_award_or_patent",
        "tt_payment_voucher",
        "tt_advancement_statement",
        "tt_funding_proof",
    ],
    "culture_translation": ["ct_contracts", "ct_payment_vouchers"],
    "culture_service_export": ["cse_contracts", "cse_income_vouchers"],
    "tcm_projects": ["*tcm_contracts", "*tcm_project_description", "*tcm_income_vouchers"],
    "tcm_general_export": ["tge_customs_certificate", "tge_income_vouchers"],
    "international_certification": [
        "oso_platform_screenshot",
        "oso_audit_report",
        "oso_contracts",
        "oso_invoices",
        "oso_fx_receipts",
        "ic_application_report",
        "*ic_certificate",
        "*ic_consulting_contract",
        "*ic_fee_vouchers",
    ],
    "talent_introduction": [
        "oso_platform_screenshot",
        "oso_audit_report",
        "oso_contracts",
        "oso_invoices",
        "oso_fx_receipts",
        "*ti_identity_degree",
        "*ti_labour_contract",
        "*ti_income_tax",
        "*ti_social_security",
    ],
    "talent_training": [
        "tr_application_report",
        "tr_institution_proof",
        "tr_roster",
        "tr_certificates",
        "tr_agreements",
    ],
    "public_service_center": [
        "psc_application_report",
        "psc_construction_contract",
        "psc_business_contracts",
        "psc_cost_vouchers",
    ],
    "export_credit_insurance": ["eci_premium_notices", "eci_premium_invoices"],
}


def two_rows(guide: Guide, item_id: str, row: Callable[..., Row]) -> dict[str, list[Row]]:
    """Two rows in the item's table; an onshore and an offshore contract in every case (the
    outsourcing proofs ask for invoices and bank receipts by the contracts there are)."""
    tables = {"contracts": [row(scope="onshore"), row(scope="offshore")]}
    table = guide.item(item_id).table
    if table is not None:
        tables[table] = [row(row_id=f"{item_id}-1"), row(row_id=f"{item_id}-2")]
    if table == "contracts":
        for n, scope in ((0, "onshore"), (1, "offshore")):
            tables[table][n] = row(row_id=f"{item_id}-{n + 1}", scope=scope)
    return tables


def expected_missing(item_id: str) -> list[str]:
    out = list(BASE)
    for entry in ITEM_MISSING[item_id]:
        if entry.startswith("*"):
            out += [f"document.{entry[1:]}.{item_id}-{n}" for n in (1, 2)]
        else:
            out.append(f"document.{entry}")
    return out


@pytest.mark.parametrize("item_id", list(ITEM_MISSING))
def test_document_checklist_of_each_item(
    guide: Guide, project: Builder, row: Callable[..., Row], item_id: str
) -> None:
    p = project(item_id, tables=two_rows(guide, item_id, row))
    found = validate(guide, p, today=CALM)
    assert missing_documents(found) == expected_missing(item_id)
    for f in find(found, "document.missing"):
        assert f.blocking and f.message.startswith("缺少材料：")


def test_per_row_message_names_the_row(
    guide: Guide, project: Builder, row: Callable[..., Row]
) -> None:
    r = row(name="澳门中医培训")
    found = validate(guide, project("tcm_projects", tables={"tcm_projects": [r]}), today=CALM)
    [f] = [x for x in found if x.where == f"document.tcm_contracts.{r.id}"]
    assert "“澳门中医培训”的" in f.message


def test_every_document_of_every_item_is_covered(guide: Guide) -> None:
    """The table above is the guide's list minus generated and optional documents; proof
    sets stand for their scanned members."""
    for item_id, entries in ITEM_MISSING.items():
        listed = {e.lstrip("*") for e in entries}
        for doc_id in guide.item(item_id).documents:
            doc = guide.document(doc_id)
            if doc.kind == "proof_set":
                assert doc.set is not None
                members = guide.document_set(doc.set).documents
                assert {m for m in members if guide.document(m).needs_files} <= listed
            elif doc.needs_files and not doc.optional:
                assert doc_id in listed, doc_id
                assert doc.per_row == (f"*{doc_id}" in entries)


def test_shared_outsourcing_documents_once_for_both_items(
    guide: Guide, project: Builder, contract: Callable[..., Row]
) -> None:
    p = project(
        "outsourcing_onshore",
        "outsourcing_offshore",
        "international_certification",
        tables={"contracts": [contract(600000), contract(600000, "offshore")]},
    )
    assert missing_documents(validate(guide, p, today=CALM)) == [
        *BASE,
        "document.oso_platform_screenshot",
        "document.oso_audit_report",
        "document.oso_contracts",
        "document.oso_invoices",
        "document.oso_fx_receipts",
        "document.ic_application_report",
    ]


def test_attaching_evidence_clears_the_finding(
    guide: Guide, project: Builder, row: Callable[..., Row], evidence: Callable[..., EvidenceFile]
) -> None:
    rows = [row(row_id="c1"), row(row_id="c2")]
    files = [
        evidence("business_license"),
        evidence("ic_application_report"),
        evidence("ic_certificate", "c1"),
        evidence("ic_fee_vouchers", "c2"),
        evidence("oso_contracts"),
    ]
    p = project("international_certification", tables={"certifications": rows}, evidence=files)
    assert missing_documents(validate(guide, p, today=CALM)) == [
        "document.credit_record",
        "document.oso_platform_screenshot",
        "document.oso_audit_report",
        # no contracts entered: neither the invoices nor the bank receipts are asked for
        "document.ic_certificate.c2",
        "document.ic_consulting_contract.c1",
        "document.ic_consulting_contract.c2",
        "document.ic_fee_vouchers.c1",
    ]


def test_per_row_file_of_a_deleted_row_does_not_count(
    guide: Guide, project: Builder, row: Callable[..., Row], evidence: Callable[..., EvidenceFile]
) -> None:
    stale = evidence("tcm_contracts", "gone", name="旧合同.pdf")
    r = row(row_id="p1")
    p = project("tcm_projects", tables={"tcm_projects": [r]}, evidence=[stale])
    found = validate(guide, p, today=CALM)
    assert "document.tcm_contracts.p1" in missing_documents(found)
    [unused] = find(found, "evidence.unused")
    assert unused.where == f"evidence.{stale.id}" and "旧合同.pdf" in unused.message


def test_evidence_for_an_unselected_item_warns(
    guide: Guide, project: Builder, evidence: Callable[..., EvidenceFile]
) -> None:
    f = evidence("tt_funding_proof", name="省级资金批复.pdf")
    found = validate(guide, project("culture_translation", evidence=[f]), today=CALM)
    [unused] = find(found, "evidence.unused")
    assert unused.severity == "warning" and "省级资金批复.pdf" in unused.message


def test_optional_document_not_required_but_welcome(
    guide: Guide, project: Builder, evidence: Callable[..., EvidenceFile]
) -> None:
    found = validate(guide, project("public_service_center"), today=CALM)
    assert "document.psc_other" not in missing_documents(found)
    assert ("psc_other", None) not in required_documents(guide, project("public_service_center"))
    extra = evidence("psc_other")
    found = validate(guide, project("public_service_center", evidence=[extra]), today=CALM)
    assert not find(found, "evidence.unused")


@pytest.mark.parametrize(
    ("dpis", "low_pages"),
    [
        ((300.0,), None),
        ((150.0,), None),
        ((None,), None),
        ((149.9,), "1"),
        ((300.0, 96.0, 72.0), "2、3"),
    ],
)
def test_low_dpi_page_warns(
    guide: Guide,
    project: Builder,
    evidence: Callable[..., EvidenceFile],
    dpis: tuple[float | None, ...],
    low_pages: str | None,
) -> None:
    base = evidence("credit_record", name="信用记录.png")
    f = replace(base, pages=tuple(PageInfo(595.0, 842.0, 0, d) for d in dpis))
    found = find(
        validate(guide, project("culture_translation", evidence=[f]), today=CALM),
        "evidence.low_dpi",
    )
    if low_pages is None:
        assert found == []
    else:
        [w] = found
        assert w.severity == "warning" and w.where == f"evidence.{f.id}"
        assert f"“信用记录.png”第{low_pages}页" in w.message
