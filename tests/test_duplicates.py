"""Rows entered twice and files attached twice: the key comparison, incoming rows against a
table, and the findings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal as D

from app.duplicates import duplicate_groups, incoming_duplicates, key_label, row_key
from app.findings import validate
from app.guide import Guide
from app.model import EvidenceFile, ProjectData, Row

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
    from app.demo import demo_manifest

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
