"""Guide fidelity (issue 7): each test quotes the guide sentence it holds the product to.

The guide is 《2019年珠海市内外经贸发展专项资金（服务贸易发展事项）申报指南》 (珠商〔2019〕28号).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.guide import Guide
from app.manifest.load import load_manifest
from app.manifest.transfer import manifest_dict
from app.model import EvidenceFile, ProjectData, Rate, Row
from app.packet.plan import make_plan
from app.packet.plan_model import BuildOptions
from app.rules.evaluation import evaluate
from app.rules.findings import Finding, required_documents, validate
from app.system.errors import ManifestError

Builder = Callable[..., ProjectData]
CALM = dt.date(2019, 1, 20)


def missing(findings: list[Finding]) -> set[str]:
    return {f.where for f in findings if f.code == "document.missing"}


# -- the outsourcing proof set -----------------------------------------------------------------


INVOICES, RECEIPTS = "document.oso_invoices", "document.oso_fx_receipts"
NO_CONTRACT_FINDINGS = (INVOICES, RECEIPTS)


@pytest.mark.parametrize(
    ("items", "scopes", "asked"),
    [
        # an offshore-only company applying for （六） alone, or for （二）2.+（六）
        (("international_certification",), ("offshore",), {RECEIPTS}),
        (("outsourcing_offshore", "international_certification"), ("offshore",), {RECEIPTS}),
        # an onshore-only company applying for （七）1.
        (("talent_introduction",), ("onshore",), {INVOICES}),
        (("talent_introduction",), ("onshore", "offshore"), {INVOICES, RECEIPTS}),
        (("international_certification",), ("onshore", "offshore"), {INVOICES, RECEIPTS}),
    ],
)
def test_the_outsourcing_proofs_ask_for_invoices_and_receipts_by_the_contracts(
    guide: Guide,
    project: Builder,
    row: Callable[..., Row],
    contract: Callable[..., Row],
    items: tuple[str, ...],
    scopes: tuple[str, ...],
    asked: set[str],
) -> None:
    """四（二）2.: “离岸业务需提供银行出具的收汇凭证；在岸业务需提供税务局出具的发票及汇总清单”,
    and （六）/（七）1.: “参照第2点‘服务外包’准备企业2018年度服务外包执行金额相关证明文件”: the
    invoices only with onshore contracts, the bank receipts only with offshore ones."""
    p = project(
        *items,
        tables={
            "contracts": [contract(800000, scope) for scope in scopes],
            "certifications": [row(name="CMMI")],
            "persons": [row(name="王五")],
        },
    )
    gone = missing(validate(guide, p, today=CALM))
    assert {w for w in gone if w in NO_CONTRACT_FINDINGS} == asked
    assert {"document.oso_contracts", "document.oso_audit_report"} <= gone
    assert {
        d for d, _ in required_documents(guide, p) if f"document.{d}" in NO_CONTRACT_FINDINGS
    } == {a.removeprefix("document.") for a in asked}


def test_the_evidence_checklist_says_why_a_document_is_not_asked_for(
    guide: Guide, project: Builder, row: Callable[..., Row], contract: Callable[..., Row]
) -> None:
    """离岸业务需提供银行出具的收汇凭证；在岸业务需提供税务局出具的发票及汇总清单: the 材料 page
    says the invoices are not needed (no onshore contract) and when they would be."""
    from widgets.evidence.checklist import build_checklist, requirement_note, walk

    tables = {"contracts": [contract(1200000, "offshore")], "certifications": [row(name="CMMI")]}
    p = project("international_certification", tables=tables)
    roots, _, _ = build_checklist(guide, p)
    nodes = [n for r in roots for n in [r, *walk(r)] if n.doc is not None]
    (invoices,) = [n for n in nodes if n.doc is not None and n.doc.id == "oso_invoices"]
    (receipts,) = [n for n in nodes if n.doc is not None and n.doc.id == "oso_fx_receipts"]
    assert not invoices.required and invoices.note == "无需（没有相应的明细行）"
    assert receipts.required and receipts.note == "缺少"
    assert "“服务外包合同”中有在岸/离岸为“在岸”的行时须提供。" in requirement_note(invoices, guide)


def test_a_document_not_asked_for_leaves_no_gap_in_the_packet(
    guide: Guide,
    project: Builder,
    row: Callable[..., Row],
    contract: Callable[..., Row],
    evidence: Callable[..., EvidenceFile],
) -> None:
    """The same rule in the packet: an offshore-only company's （六） has no 【缺】 page for the
    invoices (the guide asks for none), and invoices attached all the same are kept and bound."""
    tables = {"contracts": [contract(1200000, "offshore")], "certifications": [row(name="CMMI")]}
    p = project("international_certification", tables=tables)
    plan = make_plan(guide, p, None, BuildOptions(), {})
    assert "oso_invoices" not in {e.document_id for e in plan.entries}
    assert "oso_fx_receipts" in {e.document_id for e in plan.entries}
    q = project("international_certification", tables=tables, evidence=[evidence("oso_invoices")])
    plan = make_plan(guide, q, None, BuildOptions(), {})
    assert "oso_invoices" in {e.document_id for e in plan.entries}
    assert not [f for f in validate(guide, q, today=CALM) if f.code == "evidence.unused"]


def test_proof_set_is_the_whole_of_point_two(guide: Guide) -> None:
    """“参照第2点”: the set is the union of the onshore and offshore lists of （二）."""
    members = set(guide.document_set("outsourcing_proof").documents)
    point_two = set(guide.item("outsourcing_onshore").documents) | set(
        guide.item("outsourcing_offshore").documents
    )
    assert members == point_two


# -- currencies the table lacks, in the manifest --------------------------------------------------


def _manifest(tmp_path: Path, rates: dict[str, Any], currency: str) -> Path:
    data = {
        "format": "packet-assembler-manifest",
        "version": 1,
        "guide": "zhuhai-service-trade-2019",
        "company": {"name": "珠海币种测试有限公司"},
        "items": {"outsourcing_offshore": {"inputs": {"reported_on_platform": True}}},
        "tables": {
            "contracts": [
                {
                    "id": "c1",
                    "name": "泰国合同",
                    "client": "客户",
                    "country": "泰国",
                    "business_type": "software_rd",
                    "scope": "offshore",
                    "currency": currency,
                    "contract_amount": 32450000,
                    "execution_amount": 32450000,
                    "execution_date": "2018-06-30",
                }
            ]
        },
        "rates": rates,
    }
    path = tmp_path / "清单.json"
    text = json.dumps(data, ensure_ascii=False, default=lambda d: f"@@{d}@@")
    path.write_text(text.replace('"@@', "").replace('@@"', ""), encoding="utf-8")  # exact digits
    return path


def test_manifest_adds_a_currency_with_its_rate(tmp_path: Path) -> None:
    """The guide's conversion table (《各种货币对美元折算率表》) lists more currencies than our
    defaults: one it lists is added with its name and rate and then used (exactly at the
    bound: 32,450,000 THB at 1 美元 = 32.45 泰铢 is USD 1,000,000)."""
    path = _manifest(tmp_path, {"THB": {"name": "泰铢", "per_usd": Decimal("32.45")}}, "THB")
    m = load_manifest(path)
    assert m.data.rates["THB"] == Rate(Decimal("32.45"), "per_usd", 1, "泰铢")
    assert evaluate(m.guide, m.data).items["outsourcing_offshore"].eligible
    assert not [f for f in validate(m.guide, m.data) if f.code == "table.currency.unknown"]
    # Export writes it back in the same form; a guide currency stays a bare number.
    rates = {"THB": m.data.rates["THB"], "EUR": Rate(Decimal("1.1"), "usd_per")}
    out = manifest_dict(replace(m.data, rates=rates), m.guide, {}, {})
    dec = "\u0000dec:"  # the exporter's marker for an exact number
    assert out["rates"] == {"THB": {"name": "泰铢", "per_usd": f"{dec}32.45"}, "EUR": f"{dec}1.1"}


@pytest.mark.parametrize(
    ("rates", "words"),
    [
        ({"THB": 32.45}, "汇率表没有此币种"),
        ({"THB": {"per_usd": 32.45}}, "中文名称"),
        ({"THB": {"name": "泰铢", "per_usd": 32.45, "usd_per": 0.03}}, "之一"),
        ({"THB": {"name": "泰铢", "per_usd": 0}}, "大于 0"),
        ({"CNY": 0}, "大于 0"),
        ({"CNY": "6.8632"}, "不要加引号"),
    ],
)
def test_manifest_bad_rates_are_refused_with_a_message(
    tmp_path: Path, rates: dict[str, Any], words: str
) -> None:
    with pytest.raises(ManifestError) as excinfo:
        load_manifest(_manifest(tmp_path, rates, "USD"))
    assert "清单.json" in excinfo.value.message and words in excinfo.value.message


def test_a_currency_nobody_gave_a_rate_for_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ManifestError) as excinfo:
        load_manifest(_manifest(tmp_path, {}, "THB"))
    assert "THB" in excinfo.value.message and "汇率" in excinfo.value.message


# -- the applicant conditions, as a declaration ------------------------------------------------


def test_unconfirmed_conditions_are_a_blocking_finding(guide: Guide, project: Builder) -> None:
    """一、申请对象和条件: “（一）依法在我市注册登记，并从事服务贸易和服务外包相关业务的企业或
    社会团体。（二）未被列入信用中国平台失信黑名单。” The user confirms them; until then the
    packet is blocked, and the message quotes them."""
    found = validate(guide, project("culture_translation", declaration_confirmed=False), today=CALM)
    [f] = [f for f in found if f.where == "company.declaration"]
    assert f.blocking and f.code == "company.declaration.unconfirmed"
    assert "依法在我市注册登记" in f.message and "失信黑名单" in f.message
    found = validate(guide, project("culture_translation"), today=CALM)
    assert not [f for f in found if f.where == "company.declaration"]


def test_manifest_declaration_round_trip(tmp_path: Path) -> None:
    path = _manifest(tmp_path, {}, "USD")
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert load_manifest(path).data.declaration_confirmed is False
    raw["declaration_confirmed"] = True
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    m = load_manifest(path)
    assert m.data.declaration_confirmed is True
    out = manifest_dict(m.data, m.guide, {}, {"declaration_confirmed": True, "duplex": True})
    assert out["declaration_confirmed"] is True and out["options"] == {"duplex": True}
    raw["declaration_confirmed"] = "yes"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ManifestError) as excinfo:
        load_manifest(path)
    assert "declaration_confirmed" in excinfo.value.message


# -- the support period (二、支持时间 2018年1月1日-2018年12月31日) ----------------------------------


def _tcm(row: Callable[..., Row], revenue: int, date: dt.date) -> Row:
    return row(
        name="澳门中医诊疗",
        kind="medical",
        partner="澳门某医院",
        country="中国澳门",
        currency="USD",
        revenue=Decimal(revenue),
        income_date=date,
    )


@pytest.mark.parametrize(
    ("date", "counted"),
    [
        (dt.date(2017, 12, 31), False),
        (dt.date(2018, 1, 1), True),
        (dt.date(2018, 12, 31), True),
        (dt.date(2019, 1, 1), False),
    ],
)
def test_tcm_project_revenue_counts_only_in_the_support_period(
    guide: Guide, project: Builder, row: Callable[..., Row], date: dt.date, counted: bool
) -> None:
    """二、支持时间“2018年1月1日-2018年12月31日”; （五）1.“在开展涉外医疗、培训、合作的项目时
    有业绩收入，且累计超过30万美元的”: only revenue earned in the period counts."""
    p = project("tcm_projects", tables={"tcm_projects": [_tcm(row, 400000, date)]})
    ev = evaluate(guide, p)
    res = ev.items["tcm_projects"]
    assert res.eligible is counted
    assert ev.measures["tcm_revenue_usd"] == (Decimal(400000) if counted else 0)
    if not counted:
        assert any("支持期间" in r for r in res.rows[0].reasons)
        found = validate(guide, p, today=CALM)
        assert any(f.code == "table.row.out_of_period" for f in found)


def _trainee(row: Callable[..., Row], n: int, start: dt.date) -> Row:
    return row(
        name=f"学员{n}",
        course="软件测试",
        start_date=start,
        end_date=start + dt.timedelta(days=45),
    )


@pytest.mark.parametrize(
    ("start", "counted"),
    [(dt.date(2017, 12, 31), False), (dt.date(2018, 1, 1), True), (dt.date(2019, 1, 1), False)],
)
def test_training_roster_dates_are_checked_against_2018(
    guide: Guide, project: Builder, row: Callable[..., Row], start: dt.date, counted: bool
) -> None:
    """（七）2.“对经省商务厅备案的服务外包培训机构在支持期间内开展的1个月以上的服务外包人才
    培养”: a roster row whose training did not start in 2018 is not counted, and said so."""
    rows = [_trainee(row, n, dt.date(2018, 5, 1)) for n in range(199)]
    rows.append(_trainee(row, 199, start))
    inputs = {
        "talent_training": {
            "on_record": True,
            "funding_received": True,
            "course_months": Decimal(2),
            "trainee_count": 200,
        }
    }
    p = project("talent_training", inputs=inputs, tables={"trainees": rows})
    ev = evaluate(guide, p)
    assert ev.measures["roster_count"] == (200 if counted else 199)
    found = validate(guide, p, today=CALM)
    late = [f for f in found if f.code == "table.row.out_of_period"]
    mismatch = [f for f in found if f.code == "item.total.mismatch"]
    assert bool(late) is not counted and bool(mismatch) is not counted
    if not counted:
        assert "学员199" in late[0].message and "不计入" in late[0].message


# -- 同一类型项目不可重复申报, for every item ------------------------------------------------------


@pytest.mark.parametrize(
    ("table_id", "values"),
    [
        ("contracts", {"name": "软件外包合同A", "client": "美国某公司"}),
        ("certifications", {"certificate_no": "CMMI-2018-001"}),
        ("persons", {"id_number": "440402199001011234"}),
        ("tcm_projects", {"name": "澳门中医诊疗", "partner": "澳门某医院"}),
        ("policies", {"policy_no": "SCH-2018-0001"}),
        ("trainees", {"id_number": "440402200001011234", "course": "软件测试"}),
        ("costs", {"voucher_no": "PZ-2018-017"}),
    ],
)
def test_the_same_row_twice_is_flagged_for_every_table(
    guide: Guide, project: Builder, row: Callable[..., Row], table_id: str, values: dict[str, str]
) -> None:
    """六（二）“任何单位获得的项目支持资金不得超过项目实际开销，申报依据为同一类型项目不可重复
    申报”: the same person, certificate, policy or cost voucher backing support twice (here:
    entered twice, the second time with different spacing and case) is blocking; rows alike by
    a key that is no identity (a contract's or project's name and counterparty, a trainee's
    course) are a warning the clerk checks."""
    item = next(it.id for it in guide.items if it.table == table_id)
    again = {k: f" {v.lower()} " for k, v in values.items()}
    other = {k: v + "X" for k, v in values.items()}
    same: dict[str, object] = {}
    if table_id == "contracts":  # the amount is part of a contract's identity
        same = {"contract_amount": Decimal("120000")}
    rows = [
        row(row_id="a", **values, **same),
        row(row_id="b", **other, **same),
        row(row_id="c", **again, **same),
    ]
    found = validate(guide, project(item, tables={table_id: rows}), today=CALM)
    dup = [f for f in found if f.code == "table.row.duplicate"]
    assert [f.where for f in dup] == [f"table.{table_id}.c"]
    assert "第3行" in dup[0].message and "第1行" in dup[0].message
    identity = table_id in ("certifications", "persons", "policies", "costs")
    assert dup[0].blocking is identity and guide.table(table_id).duplicate_blocks is identity


def test_every_table_of_the_guide_says_what_identifies_a_row(guide: Guide) -> None:
    for table in guide.tables:
        assert table.duplicate_key, table.id


def test_february_18_is_when_the_district_must_have_finished(guide: Guide) -> None:
    """五（一）“请各区（经济功能区）商务部门于2月18日前完成项目初审工作”: the date is the
    district's, so the company hands in before it."""
    d = guide.deadline("district_review")
    assert d.date == dt.date(2019, 2, 18)
    assert "完成初审" in d.title and "提前递交" in d.detail


def test_the_default_rates_are_said_before_the_build_not_in_the_submitted_tables(
    guide: Guide, project: Builder, contract: Callable[..., Row], tmp_path: Path
) -> None:
    """四（二）3.: “折算率使用国家外汇管理局公布的2018年度末《各种货币对美元折算率表》汇率”: the
    program's figures are reconstructions, so the check says which rates are its defaults, to
    be checked against that table, before the build; the Excel file, handed in with the packet
    (三.“材料中的所有表格需提供EXCEL格式的电子文件”), names the rates used and no program note."""
    import openpyxl

    from app.workbook.book import write_workbook

    rows = [contract(Decimal(7000000), currency="CNY"), contract(Decimal(100000), currency="EUR")]
    p = project(
        "outsourcing_onshore",
        inputs={"outsourcing_onshore": {"reported_on_platform": True}},
        tables={"contracts": rows},
        rates={"EUR": Rate(Decimal("1.1400"), "usd_per")},
    )
    (note,) = [f for f in validate(guide, p, today=CALM) if f.code == "rate.default"]
    assert note.severity == "warning" and note.where == "rates"
    assert "1 美元 = 6.8632 人民币（程序默认值，须与国家外汇管理局公布的2018年末" in note.message
    assert "欧元" not in note.message  # the project's own rate is not a default
    path = tmp_path / "表.xlsx"
    write_workbook(path, guide, p, evaluate(guide, p), [])
    ws = openpyxl.load_workbook(path)["2018年度服务外包执行情况汇总表"]
    subtitle = str(ws.cell(2, 1).value)
    assert "1 美元 = 6.8632 人民币" in subtitle and "1 欧元 = 1.1400 美元" in subtitle
    assert "程序默认值" not in subtitle and "本项目填写" not in subtitle
    # every rate the project's own: nothing to check
    own = replace(p, rates={**p.rates, "CNY": Rate(Decimal("6.8632"), "per_usd")})
    assert not [f for f in validate(guide, own, today=CALM) if f.code == "rate.default"]


@pytest.mark.parametrize(
    ("rate", "warned"),
    [
        (Rate(Decimal("0.145704"), "per_usd"), True),  # the reciprocal, typed the wrong way round
        (Rate(Decimal("6.8600"), "per_usd"), False),
        (Rate(Decimal("0.145704"), "usd_per"), False),  # the same rate, quoted the other way
    ],
)
def test_a_rate_written_the_other_way_round_is_pointed_out(
    guide: Guide, project: Builder, rate: Rate, warned: bool
) -> None:
    found = validate(guide, project("culture_translation", rates={"CNY": rate}), today=CALM)
    hits = [f for f in found if f.code == "rate.suspicious"]
    assert bool(hits) is warned
    if warned:
        assert not hits[0].blocking and "1 美元 = 6.8632 人民币" in hits[0].message


def test_an_other_district_is_printed_by_its_name(guide: Guide) -> None:
    from app.rules.company import printed_district

    assert (
        printed_district("其他：横琴粤澳深度合作区", guide.district_other) == "横琴粤澳深度合作区"
    )
    assert printed_district("香洲区", guide.district_other) == "香洲区"


def test_the_excel_form_prints_an_other_district_by_its_name(
    guide: Guide, project: Builder, company: Callable[..., Any], tmp_path: Path
) -> None:
    import openpyxl

    from app.workbook.book import write_workbook

    p = project("culture_translation", company=company(district="其他：横琴粤澳深度合作区"))
    path = tmp_path / "表.xlsx"
    write_workbook(path, guide, p, evaluate(guide, p), [])
    ws = openpyxl.load_workbook(path)["申请表"]
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "横琴粤澳深度合作区" in cells and not any("其他：" in c for c in cells)
