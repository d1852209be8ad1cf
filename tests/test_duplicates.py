"""Rows entered twice and files attached twice: the key comparison, incoming rows against a
table, and the findings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal as D

from app.guide import Guide
from app.model import EvidenceFile, ProjectData, Row
from app.rules.duplicates import duplicate_groups, incoming_duplicates, key_label, row_key
from app.rules.findings import validate

from .test_findings import CALM, find

Builder = Callable[..., ProjectData]


def test_the_key_ignores_spaces_width_and_case_and_needs_every_part(guide: Guide) -> None:
    contracts = guide.table("contracts")
    a = {"name": "数据中心运维 合同", "client": "Northwind Co.", "contract_amount": D("1000.00")}
    b = {
        "name": "数据中心运维合同",
        "client": "ＮＯＲＴＨＷＩＮＤ CO.",
        "contract_amount": D("1000"),
    }
    assert row_key(contracts, a) == row_key(contracts, b) is not None
    assert row_key(contracts, {**a, "client": ""}) is None
    assert key_label(contracts) == "合同名称、发包方、合同金额"
    assert duplicate_groups(contracts, [a, {**a, "contract_amount": D("999")}, b]) == [(0, 2)]


def test_incoming_rows_against_the_table_and_each_other(guide: Guide) -> None:
    persons = guide.table("persons")
    existing = [("r1", {"id_number": "440402199001011234"}), ("r2", {"id_number": "X1"})]
    incoming = [
        {"id_number": "440402199001011234"},  # already there
        {"id_number": "NEW"},
        {"id_number": "new"},  # repeats the row above
        {"id_number": ""},  # no key: never a duplicate
        {"id_number": ""},
    ]
    dup = incoming_duplicates(persons, existing, incoming)
    assert dup.of_existing == (0,) and dup.within == (2,) and dup.existing_ids == ("r1",)
    assert dup.count == 2


def test_a_contract_entered_twice_is_a_warning_that_names_both_rows(
    guide: Guide, project: Builder, contract: Callable[..., Row]
) -> None:
    """Same name, client and amount may be a renewed contract: the guide does not make it an
    error, so the clerk is told and checks (no block, no renaming of real contracts)."""
    first = contract(D("1100000"), name="跨境电商平台运营合同")
    again = replace(contract(D("1100000"), name="跨境电商平台运营合同"), id="again")
    other = contract(D("5000"))
    p = project("outsourcing_onshore", tables={"contracts": [first, other, again]})
    [dup] = find(validate(guide, p, today=CALM), "table.row.duplicate")
    assert not dup.blocking and dup.where == "table.contracts.again"
    assert "续签" in dup.message and "不可重复申报" not in dup.message
    assert "第3行与第1行（跨境电商平台运营合同）" in dup.message
    assert "合同名称、发包方、合同金额" in dup.message


def test_the_same_file_attached_twice_warns(
    guide: Guide, project: Builder, evidence: Callable[..., EvidenceFile]
) -> None:
    a = evidence("business_license", name="营业执照.pdf")
    b = replace(evidence("credit_record", name="营业执照(1).pdf"), sha256=a.sha256)
    c = evidence("credit_record", name="信用记录.pdf")
    found = find(
        validate(guide, project("culture_translation", evidence=[a, b, c]), today=CALM),
        "evidence.duplicate",
    )
    assert [(f.severity, f.where) for f in found] == [("warning", f"evidence.{b.id}")]
    assert "营业执照(1).pdf" in found[0].message and "营业执照.pdf" in found[0].message


def test_importing_a_manifest_with_a_contract_twice_says_so(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import io
    import json

    from app.cli import main
    from app.outputs.demo import demo_manifest

    source = demo_manifest(tmp_path / "src")
    raw = json.loads(source.read_text(encoding="utf-8"))
    twice = dict(raw["tables"]["contracts"][0], id="ct-again")
    raw["tables"]["contracts"].append(twice)
    source.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    project = tmp_path / "重复.sbproj"
    assert main(["import", str(source), str(project)], out, io.StringIO()) == 0
    n = len(raw["tables"]["contracts"])
    assert f"“服务外包合同”第{n}行与第1行重复（合同名称、发包方、合同金额相同）" in out.getvalue()
    out = io.StringIO()
    main(["check", str(project), "--json", "--today", "2019-02-01"], out, io.StringIO())
    codes = [f["code"] for f in json.loads(out.getvalue())["findings"]]
    assert "table.row.duplicate" in codes


# -- 同一类型项目不可重复申报: one file or one contract behind two claims -------------------------


def test_one_file_behind_two_claims_is_a_finding(
    guide: Guide,
    project: Builder,
    row: Callable[..., Row],
    contract: Callable[..., Row],
    evidence: Callable[..., EvidenceFile],
) -> None:
    """六（二）: “任何单位获得的项目支持资金不得超过项目实际开销，申报依据为同一类型项目不可
    重复申报”: the same file as the fee voucher of two certifications, or as the contract of
    （一） and of （四）2., backs two claims; the outsourcing documents （六） refers to
    (“参照第2点”) are the guide's own reuse and say nothing."""
    certs = [row(row_id="c1", name="CMMI"), row(row_id="c2", name="ISO9001")]
    voucher = evidence("ic_fee_vouchers", "c1", name="认证费发票.pdf")
    again = replace(
        evidence("ic_fee_vouchers", "c2", name="认证费发票2.pdf"), sha256=voucher.sha256
    )
    contract_a = evidence("sts_contracts", name="服务合同.pdf")
    contract_b = replace(evidence("cse_contracts", name="贸易合同.pdf"), sha256=contract_a.sha256)
    shared = evidence("oso_contracts", name="外包合同.pdf")
    p = project(
        "service_trade_statistics",
        "culture_service_export",
        "outsourcing_offshore",
        "international_certification",
        tables={"certifications": certs, "contracts": [contract(1200000, "offshore")]},
        evidence=[voucher, again, contract_a, contract_b, shared],
    )
    found = validate(guide, p, today=CALM)
    twice = find(found, "evidence.claimed_twice")
    assert sorted(f.where for f in twice) == sorted(
        [f"evidence.{again.id}", f"evidence.{contract_b.id}"]
    )
    assert all(f.severity == "warning" and "同一类型项目不可重复申报" in f.message for f in twice)
    by_where = {f.where: f.message for f in twice}
    assert "第1行（CMMI）" in by_where[f"evidence.{again.id}"]
    assert "第2行（ISO9001）" in by_where[f"evidence.{again.id}"]
    assert "（一）服务贸易统计" in by_where[f"evidence.{contract_b.id}"]
    assert "（四）2.文化服务出口" in by_where[f"evidence.{contract_b.id}"]
    # said once: not also as a plain duplicate
    assert not find(found, "evidence.duplicate")


def test_the_same_file_twice_for_one_claim_stays_a_plain_duplicate(
    guide: Guide, project: Builder, evidence: Callable[..., EvidenceFile]
) -> None:
    a = evidence("oso_contracts", name="合同.pdf")
    b = replace(evidence("oso_audit_report", name="合同(1).pdf"), sha256=a.sha256)
    found = validate(guide, project("outsourcing_offshore", evidence=[a, b]), today=CALM)
    assert [f.where for f in find(found, "evidence.duplicate")] == [f"evidence.{b.id}"]
    assert not find(found, "evidence.claimed_twice")


def test_one_contract_in_two_items_tables_is_a_finding(
    guide: Guide, project: Builder, row: Callable[..., Row], contract: Callable[..., Row]
) -> None:
    """六（二）“同一类型项目不可重复申报”: a contract entered as an outsourcing contract and as a
    TCM project (same name, same counterparty) is claimed under two items."""
    ct = contract(1200000, "offshore", name="澳门中医诊疗服务合同")
    tcm = row(row_id="t1", name=" 澳门中医诊疗服务合同", partner="客户公司")
    other = row(row_id="t2", name="另一个项目", partner="客户公司")
    p = project(
        "outsourcing_offshore",
        "tcm_projects",
        tables={"contracts": [ct], "tcm_projects": [tcm, other]},
    )
    (f,) = find(validate(guide, p, today=CALM), "table.row.claimed_twice")
    assert f.severity == "warning" and f.where == "table.tcm_projects.t1"
    assert "“服务外包合同”第1行（澳门中医诊疗服务合同）" in f.message
    assert "项目名称、合作方" in f.message and "同一类型项目不可重复申报" in f.message
    # only the tables of selected items count
    q = project("outsourcing_offshore", tables={"contracts": [ct], "tcm_projects": [tcm]})
    assert not find(validate(guide, q, today=CALM), "table.row.claimed_twice")


def test_the_declaration_covers_claims_under_other_funds(guide: Guide) -> None:
    """六（二）“申报依据为同一类型项目不可重复申报”: the program sees only this packet; the
    signed declaration covers the rest."""
    assert "同一类型项目未重复申报" in guide.declaration
    assert "其他财政专项资金" in guide.declaration
