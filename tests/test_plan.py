"""The packet plan: numbering, order, duplex blanks, shared documents and proof sets."""

from __future__ import annotations

import dataclasses

import pytest

from app.model import EvidenceFile, PageInfo
from app.packet.plan import (
    FORM_PART,
    TOC_LINES_FIRST,
    TOC_LINES_NEXT,
    BuildOptions,
    Plan,
    make_plan,
    toc_page_count,
)
from app.rules.evaluation import evaluate
from tests.packet_fixtures import ALL_ITEMS, GUIDE, project

OUTSOURCING_AND_PROOFS = [
    "outsourcing_onshore",
    "outsourcing_offshore",
    "international_certification",
    "talent_introduction",
]
PROOFS_ONLY = ["international_certification", "talent_introduction"]


def plan_for(selected: list[str], counts: dict[str, int] | None = None, **kw: object) -> Plan:
    data = project(selected, pages=2, missing=kw.pop("missing", ()))  # type: ignore[arg-type]
    opts = BuildOptions(**kw)  # type: ignore[arg-type]
    return make_plan(GUIDE, data, evaluate(GUIDE, data), opts, counts or {"form": 2})


def check_consistent(plan: Plan) -> None:
    """Every page has its physical number; entries' ranges are the pages that point at them."""
    assert [p.number for p in plan.pages] == list(range(1, plan.total + 1))
    assert plan.pages[0].kind == "cover" and not plan.pages[0].stamped
    assert all(p.stamped for p in plan.pages[1:])
    for i, e in enumerate(plan.entries):
        owned = [
            p.number for p in plan.pages if p.entry is not None and _descends(plan, p.entry, i)
        ]
        if e.kind != "document" or "见第" not in e.title:
            assert (e.first_page, e.last_page) == (
                (min(owned), max(owned)) if owned else (None, None)
            )
        if e.parent is not None:
            parent = plan.entries[e.parent]
            assert parent.first_page is not None and e.first_page is not None
            assert (
                parent.first_page <= e.first_page <= (e.last_page or 0) <= (parent.last_page or 0)
            )
    toc = [p for p in plan.pages if p.kind == "toc"]
    assert len(toc) == plan.toc_pages == toc_page_count(len(plan.entries))
    listed = [i for p in toc for i in plan.toc_page_entries(p.part_page)]
    assert listed == list(range(len(plan.entries)))


def _descends(plan: Plan, index: int, ancestor: int) -> bool:
    cur: int | None = index
    while cur is not None:
        if cur == ancestor:
            return True
        cur = plan.entries[cur].parent
    return False


@pytest.mark.parametrize(
    "selected",
    [
        ["service_trade_statistics"],
        OUTSOURCING_AND_PROOFS,
        PROOFS_ONLY,
        ["export_credit_insurance", "tcm_projects", "talent_training"],
        list(ALL_ITEMS),
    ],
)
@pytest.mark.parametrize("duplex", [False, True])
def test_numbering_is_consistent(selected: list[str], duplex: bool) -> None:
    plan = plan_for(selected, duplex=duplex)
    check_consistent(plan)
    items = [e for e in plan.entries if e.kind == "item"]
    assert [e.item_id for e in items] == [i for i in GUIDE.item_ids if i in selected]


def test_order_cover_toc_base_then_items() -> None:
    plan = plan_for(["outsourcing_onshore"], counts={"form": 2, "table:contracts": 3})
    kinds = [p.kind for p in plan.pages]
    assert kinds[:4] == ["cover", "toc", "form", "form"]
    titles = [e.title for e in plan.entries]
    assert titles[0] == "一、基本材料"
    assert titles[1].startswith("1. ") and "申请表" in titles[1]
    assert "营业执照" in titles[2] and "失信黑名单" in titles[3]
    assert titles[4] == "二、申报项目材料"
    assert titles[5] == "（二）1. 服务外包在岸业务"
    summary = next(e for e in plan.entries if e.document_id == "oso_execution_summary")
    assert summary.last_page is not None and summary.first_page is not None
    assert summary.last_page - summary.first_page + 1 == 3  # the drawn count is honoured
    tables = [p for p in plan.pages if p.kind == "table"]
    assert [p.part_page for p in tables] == [0, 1, 2]
    assert tables[0].band is not None and tables[1].band is None


def test_band_names_checklist_entry_and_row() -> None:
    plan = plan_for(["international_certification"])
    cert = next(
        p
        for p in plan.pages
        if p.file_id is not None and p.file_id.startswith("ic_certificate-r_cmmi")
    )
    assert cert.band == "（六）国际认证 · 国际资质认证证书复印件 · CMMI 5级"
    second = plan.page(cert.number + 1)
    assert second.file_id == cert.file_id and second.band is None
    rows = [e for e in plan.entries if e.kind == "row"]
    assert [e.title for e in rows] == ["3. 国际认证：CMMI 5级", "4. 国际认证：ISO27001/BS7799"]
    kids = [e for e in plan.entries if e.parent == plan.entries.index(rows[0])]
    assert [e.level for e in kids] == [2, 2, 2]
    assert not any(p.band for p in plan.pages if p.kind == "form")


def test_evidence_pages_once_each_in_file_order() -> None:
    data = project(list(ALL_ITEMS), pages=3, files_per_document=2)
    plan = make_plan(GUIDE, data, evaluate(GUIDE, data), BuildOptions(), {})
    seen = [(p.file_id, p.page_index) for p in plan.evidence_pages()]
    assert len(seen) == len(set(seen))
    expected = {(f.id, i) for f in data.evidence for i in range(f.page_count)}
    assert set(seen) == expected


def test_duplex_starts_on_odd_pages_with_counted_blanks() -> None:
    plan = plan_for([*OUTSOURCING_AND_PROOFS, "export_credit_insurance"], duplex=True)
    check_consistent(plan)
    toc = next(p for p in plan.pages if p.kind == "toc")
    form = next(p for p in plan.pages if p.kind == "form")
    assert toc.number % 2 == 1 and form.number % 2 == 1
    assert plan.page(2).kind == "blank"
    for e in plan.entries:
        if e.kind == "item":
            assert e.first_page is not None and e.first_page % 2 == 1
    blanks = [p for p in plan.pages if p.kind == "blank"]
    assert blanks and all(p.stamped and p.entry is None for p in blanks)
    # A blank only ever stands in front of an odd start.
    for b in blanks:
        assert b.number % 2 == 0
        assert plan.page(b.number + 1).kind in ("toc", "form") or any(
            e.kind == "item" and e.first_page == b.number + 1 for e in plan.entries
        )
    simplex = plan_for([*OUTSOURCING_AND_PROOFS, "export_credit_insurance"])
    assert not [p for p in simplex.pages if p.kind == "blank"]
    assert plan.total - len(blanks) == simplex.total


def test_shared_outsourcing_documents_once_then_reference() -> None:
    plan = plan_for(["outsourcing_onshore", "outsourcing_offshore"])
    check_consistent(plan)
    files = [p.file_id for p in plan.evidence_pages() if p.file_id]
    assert sum(1 for f in files if f.startswith("oso_contracts")) == 2  # 2 pages, once
    tables = [p for p in plan.pages if p.kind == "table"]
    assert len(tables) == 1
    offshore = next(
        e for e in plan.entries if e.item_id == "outsourcing_offshore" and e.kind == "item"
    )
    refs = [p for p in plan.pages if p.kind == "reference"]
    assert len(refs) == 1 and refs[0].number == offshore.first_page
    onshore_docs = {
        e.document_id: e
        for e in plan.entries
        if e.item_id == "outsourcing_onshore" and e.document_id
    }
    assert [r.title for r in refs[0].references] == [
        GUIDE.document(d).title
        for d in (
            "oso_platform_screenshot",
            "oso_execution_summary",
            "oso_audit_report",
            "oso_contracts",
        )
    ]
    for r in refs[0].references:
        doc = next(d for d in onshore_docs.values() if r.title in d.title)
        assert (r.first_page, r.last_page) == (doc.first_page, doc.last_page)
    offshore_contracts = next(
        e
        for e in plan.entries
        if e.item_id == "outsourcing_offshore" and e.document_id == "oso_contracts"
    )
    onshore_contracts = onshore_docs["oso_contracts"]
    assert offshore_contracts.first_page == refs[0].number
    assert (
        f"（见第{onshore_contracts.first_page}–{onshore_contracts.last_page}页）"
        in offshore_contracts.title
    )
    # The offshore-only document is there in full.
    assert any(f.startswith("oso_fx_receipts") for f in files)


def test_proof_set_refers_to_outsourcing_pages() -> None:
    plan = plan_for(OUTSOURCING_AND_PROOFS)
    proofs = [
        e for e in plan.entries if e.document_id in ("ic_outsourcing_proof", "ti_outsourcing_proof")
    ]
    assert len(proofs) == 2
    onshore = [
        e
        for e in plan.entries
        if e.item_id in ("outsourcing_onshore", "outsourcing_offshore")
        and e.document_id in GUIDE.document_set("outsourcing_proof").documents
        and e.first_page is not None
        and plan.page(e.first_page).kind != "reference"
    ]
    lo = min(e.first_page or 0 for e in onshore)
    hi = max(e.last_page or 0 for e in onshore)
    for e in proofs:
        page = plan.page(e.first_page or 0)
        assert page.kind == "reference"
        assert min(r.first_page for r in page.references) == lo
        assert max(r.last_page for r in page.references) == hi
        assert f"（见第{lo}–{hi}页）" in e.title


def test_proof_set_in_full_when_no_outsourcing_item() -> None:
    plan = plan_for(PROOFS_ONLY)
    check_consistent(plan)
    ic = next(e for e in plan.entries if e.document_id == "ic_outsourcing_proof")
    ti = next(e for e in plan.entries if e.document_id == "ti_outsourcing_proof")
    members = [e for e in plan.entries if e.parent == plan.entries.index(ic)]
    assert [e.document_id for e in members] == list(
        GUIDE.document_set("outsourcing_proof").documents
    )
    assert all(e.level == 2 and e.first_page is not None for e in members)
    assert plan.page(ic.first_page or 0).kind != "reference"
    ref = plan.page(ti.first_page or 0)
    assert ref.kind == "reference"
    assert ref.references[0].first_page == ic.first_page
    assert ref.references[0].last_page == ic.last_page
    files = [p.file_id for p in plan.evidence_pages() if p.file_id]
    assert sum(1 for f in files if f.startswith("oso_audit_report")) == 2  # once (2 pages)


def test_repeat_shared_repeats_the_proof_set() -> None:
    plan = plan_for(OUTSOURCING_AND_PROOFS, repeat_shared=True)
    check_consistent(plan)
    files = [p.file_id for p in plan.evidence_pages() if p.file_id]
    # onshore item + ic proof + ti proof, 2 pages each time
    assert sum(1 for f in files if f.startswith("oso_contracts")) == 6
    assert len([p for p in plan.pages if p.kind == "table"]) == 3
    # the onshore/offshore common set is still prepared once
    refs = [p for p in plan.pages if p.kind == "reference"]
    assert len(refs) == 1


def test_missing_documents_get_placeholders() -> None:
    plan = plan_for(["export_credit_insurance"], missing=["eci_premium_invoices"], draft=True)
    holes = [p for p in plan.pages if p.kind == "placeholder"]
    assert len(holes) == 1
    assert holes[0].text == "【缺】保险费发票复印件"
    entry = plan.entries[holes[0].entry or 0]
    assert entry.document_id == "eci_premium_invoices" and entry.first_page == holes[0].number


def test_optional_document_without_files_is_left_out() -> None:
    plan = plan_for(["public_service_center"])
    assert not any(e.document_id == "psc_other" for e in plan.entries)
    assert not [p for p in plan.pages if p.kind == "placeholder"]


def test_toc_pages_follow_the_entry_count() -> None:
    assert toc_page_count(0) == 1
    assert toc_page_count(TOC_LINES_FIRST) == 1
    assert toc_page_count(TOC_LINES_FIRST + 1) == 2
    assert toc_page_count(TOC_LINES_FIRST + TOC_LINES_NEXT) == 2
    assert toc_page_count(TOC_LINES_FIRST + TOC_LINES_NEXT + 1) == 3
    plan = plan_for(list(ALL_ITEMS))
    assert len(plan.entries) > TOC_LINES_FIRST
    assert plan.toc_pages == toc_page_count(len(plan.entries)) >= 2


def test_the_stamped_form_takes_the_generated_forms_place_in_a_final_plan() -> None:
    data = project(["export_credit_insurance"])
    scan = EvidenceFile(
        id="stamped",
        document_id="district_stamped_form",
        row_id=None,
        name="盖章申请表.pdf",
        sha256="0" * 64,
        size=1,
        order=0,
        pages=(PageInfo(595.28, 841.89, 0, 300.0), PageInfo(595.28, 841.89, 0, 300.0)),
    )
    stamped = dataclasses.replace(data, evidence=(*data.evidence, scan))
    counts = {FORM_PART: 2}
    ev = evaluate(GUIDE, stamped)
    final = make_plan(GUIDE, stamped, ev, BuildOptions(), counts)
    review = make_plan(GUIDE, stamped, ev, BuildOptions(stage="review"), counts)
    plain = make_plan(GUIDE, data, ev, BuildOptions(), counts)
    # the same 目录 lines, page for page, in all three
    assert [(e.title, e.first_page) for e in final.entries] == [
        (e.title, e.first_page) for e in review.entries
    ]
    assert [(e.title, e.first_page) for e in plain.entries] == [
        (e.title, e.first_page) for e in review.entries
    ]
    form = next(e for e in final.entries if e.document_id == "application_form")
    assert form.first_page is not None and form.last_page is not None
    pages = [final.page(n) for n in range(form.first_page, form.last_page + 1)]
    assert [(p.kind, p.file_id, p.page_index, p.band) for p in pages] == [
        ("evidence", "stamped", 0, None),
        ("evidence", "stamped", 1, None),
    ]
    assert [review.page(n).kind for n in range(form.first_page, form.last_page + 1)] == [
        "form",
        "form",
    ]


def test_proof_set_with_one_outsourcing_item_refers_to_its_pages_and_adds_the_rest() -> None:
    """（六）“企业2018年度服务外包执行金额相关证明文件（参照第2点）”: with only 在岸 applied for,
    its five documents are referred to and the 离岸 “银行出具的收汇凭证” is brought once."""
    plan = plan_for(["outsourcing_onshore", "international_certification"])
    check_consistent(plan)
    ic = next(e for e in plan.entries if e.document_id == "ic_outsourcing_proof")
    members = {e.document_id: e for e in plan.entries if e.parent == plan.entries.index(ic)}
    assert list(members) == list(GUIDE.document_set("outsourcing_proof").documents)
    for doc_id, e in members.items():
        kind = plan.page(e.first_page or 0).kind
        assert kind == ("reference" if doc_id != "oso_fx_receipts" else "evidence"), doc_id
    files = [p.file_id for p in plan.evidence_pages() if p.file_id]
    assert sum(1 for f in files if f.startswith("oso_invoices")) == 2  # once (2 pages)
    assert sum(1 for f in files if f.startswith("oso_fx_receipts")) == 2
