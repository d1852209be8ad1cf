"""Findings: company, items, tables, totals, deadlines, ordering (the document checklist:
tests/test_findings_documents.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal as D

import pytest

from app.guide import Guide
from app.model import Company, EvidenceFile, ProjectData, Row
from app.rules.findings import Finding, blocking, required_documents, sort_findings, validate

Builder = Callable[..., ProjectData]
CALM = dt.date(2019, 1, 20)  # well before both deadlines: no deadline findings
BASE = ["document.business_license", "document.credit_record"]


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def find(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def missing_documents(findings: list[Finding]) -> list[str]:
    return [f.where for f in findings if f.code == "document.missing"]


# --------------------------------------------------------------------------- company


def company_findings(guide: Guide, project: Builder, company: Company) -> list[Finding]:
    found = validate(guide, project("culture_translation", company=company), today=CALM)
    return [f for f in found if f.where.startswith("company.")]


def test_valid_company_has_no_findings(
    guide: Guide, project: Builder, company: Callable[..., Company]
) -> None:
    assert company_findings(guide, project, company()) == []


@pytest.mark.parametrize("field", ["name", "address", "legal_rep", "contact"])
def test_missing_company_field_is_blocking(
    guide: Guide, project: Builder, company: Callable[..., Company], field: str
) -> None:
    found = company_findings(guide, project, company(**{field: "  "}))
    assert [(f.code, f.severity, f.where) for f in found] == [
        (f"company.{field}.missing", "blocking", f"company.{field}")
    ]
    assert found[0].message.startswith("请填写")


@pytest.mark.parametrize(
    ("code", "finding", "word"),
    [
        ("", "company.credit_code.missing", "请填写"),
        ("91440400MA4UXXXX", "company.credit_code.invalid", "18位"),
        ("91440400MA4UXXXXIK", "company.credit_code.invalid", "I"),
        ("91440400MA4UXXXXOK", "company.credit_code.invalid", "O"),
        ("91440400MA4UXXXXSK", "company.credit_code.invalid", "S"),
        ("91440400MA4UXXXXVK", "company.credit_code.invalid", "V"),
        ("91440400MA4UXXXXZK", "company.credit_code.invalid", "Z"),
        ("91440400MA4UXXXXX0", "company.credit_code.invalid", "校验位"),
    ],
)
def test_bad_credit_code_is_blocking(
    guide: Guide,
    project: Builder,
    company: Callable[..., Company],
    code: str,
    finding: str,
    word: str,
) -> None:
    found = company_findings(guide, project, company(credit_code=code))
    assert codes(found) == [finding]
    assert found[0].blocking and found[0].where == "company.credit_code"
    assert word in found[0].message


def test_valid_code_built_with_the_check_char(
    guide: Guide,
    project: Builder,
    company: Callable[..., Company],
    credit_code: Callable[[str], str],
) -> None:
    for first17 in ("91440400MA4UXXXXX", "91440402MA5123456", "12440400007890123"):
        assert company_findings(guide, project, company(credit_code=credit_code(first17))) == []


@pytest.mark.parametrize(
    ("district", "finding", "severity"),
    [
        ("", "company.district.missing", "blocking"),
        ("其他：", "company.district.unknown", "blocking"),  # 其他 without its name
        ("珠海市", "company.district.unknown", "warning"),
        ("香州区", "company.district.unknown", "warning"),
    ],
)
def test_a_district_outside_our_list_is_checked_not_refused(
    guide: Guide,
    project: Builder,
    company: Callable[..., Company],
    district: str,
    finding: str,
    severity: str,
) -> None:
    """一（一）: “依法在我市注册登记……的企业或社会团体”, and the notice: “请各区（经济功能区）商务
    主管部门积极组织”: the guide lists no districts, so the program's list is not the guide's
    and a name outside it is for the clerk to check, never refused in the guide's name."""
    found = company_findings(guide, project, company(district=district))
    assert codes(found) == [finding] and found[0].severity == severity
    assert "申报指南列出" not in found[0].message


def test_a_guide_that_lists_its_districts_refuses_others(
    guide: Guide, project: Builder, company: Callable[..., Company]
) -> None:
    listed = replace(guide, districts_from_guide=True)
    found = validate(listed, project("culture_translation", company=company(district="珠海市")))
    (f,) = [x for x in found if x.where == "company.district"]
    assert f.blocking and "不在申报指南列出的区中" in f.message


@pytest.mark.parametrize(
    "district", ["横琴新区", "保税区", "富山工业园", "其他：横琴粤澳深度合作区"]
)
def test_every_guide_district_is_accepted(
    guide: Guide, project: Builder, company: Callable[..., Company], district: str
) -> None:
    assert company_findings(guide, project, company(district=district)) == []


def test_phone_blocking_email_warning(
    guide: Guide, project: Builder, company: Callable[..., Company]
) -> None:
    found = company_findings(guide, project, company(phone="12345", email="someone@"))
    assert [(f.code, f.severity) for f in found] == [
        ("company.phone.invalid", "blocking"),
        ("company.email.invalid", "warning"),
    ]
    assert "0756-1234567" in found[0].message


def test_missing_bank_details_are_warnings(
    guide: Guide, project: Builder, company: Callable[..., Company]
) -> None:
    found = company_findings(guide, project, company(bank="", account=""))
    assert [(f.code, f.severity) for f in found] == [
        ("company.bank.missing", "warning"),
        ("company.account.missing", "warning"),
    ]


def test_name_with_forbidden_characters_warns_with_the_new_file_name(
    guide: Guide, project: Builder, company: Callable[..., Company]
) -> None:
    found = company_findings(guide, project, company(name="珠海A/B:科技有限公司"))
    assert codes(found) == ["company.name.file_name"]
    assert found[0].severity == "warning" and found[0].where == "company.name"
    assert "“珠海A／B：科技有限公司.xlsx”" in found[0].message


# --------------------------------------------------------------------------- items


def test_no_item_selected_is_blocking(guide: Guide, project: Builder) -> None:
    found = validate(guide, project(), today=CALM)
    assert find(found, "items.none")[0].blocking
    assert find(found, "items.none")[0].where == "items"
    assert missing_documents(found) == BASE


def test_unknown_item_is_blocking(guide: Guide, project: Builder) -> None:
    found = validate(guide, project("culture_translation", "tea_export"), today=CALM)
    [unknown] = find(found, "items.unknown")
    assert unknown.blocking and "tea_export" in unknown.message
    assert not find(found, "items.none")


def test_tcm_items_together_are_blocking(
    guide: Guide, project: Builder, row: Callable[..., Row]
) -> None:
    found = validate(guide, project("tcm_projects", "tcm_general_export"), today=CALM)
    [exclusive] = find(found, "item.exclusive")
    assert exclusive.blocking
    assert "（五）1.中医药服务贸易项目" in exclusive.message
    assert "（五）2.中医药一般贸易出口" in exclusive.message
    assert not find(validate(guide, project("tcm_projects"), today=CALM), "item.exclusive")


def test_missing_required_inputs(guide: Guide, project: Builder) -> None:
    found = validate(
        guide,
        project("technology_trade", "outsourcing_onshore", "talent_training"),
        today=CALM,
    )
    assert sorted(f.where for f in find(found, "item.input.missing")) == sorted(
        [
            "item.technology_trade.funding_level",
            "item.technology_trade.actual_cost",
            "item.talent_training.course_months",
        ]
    )  # bool flags are "no", not missing; optional inputs (the typed 培训人数: the roster
    # counts) and defaulted currencies are fine
    assert all(f.blocking for f in find(found, "item.input.missing"))


def test_ineligible_item_is_blocking_with_its_reason(guide: Guide, project: Builder) -> None:
    p = project(
        "culture_service_export",
        inputs={"culture_service_export": {"in_catalogue": True, "export_amount": D(500000)}},
    )
    [f] = find(validate(guide, p, today=CALM), "item.ineligible")
    assert f.blocking and f.where == "item.culture_service_export"
    assert "500,000 美元，须超过50万美元" in f.message


def test_requested_above_ceiling_warns(guide: Guide, project: Builder) -> None:
    p = project(
        "culture_translation",
        inputs={"culture_translation": {"in_catalogue": True, "translation_cost": D(8000)}},
        requested={"culture_translation": D(9000)},
    )
    [f] = find(validate(guide, p, today=CALM), "item.requested.above_ceiling")
    assert f.severity == "warning" and "9,000.00" in f.message and "8,000.00" in f.message


def test_requested_zero_warns(guide: Guide, project: Builder) -> None:
    p = project(
        "culture_translation",
        inputs={"culture_translation": {"in_catalogue": True, "translation_cost": D(8000)}},
        requested={"culture_translation": D(0)},
    )
    [f] = find(validate(guide, p, today=CALM), "item.requested.zero")
    assert f.severity == "warning" and f.where == "item.culture_translation"


def test_row_not_counted_warns(
    guide: Guide, project: Builder, contract: Callable[..., Row], row: Callable[..., Row]
) -> None:
    person = row(
        name="钱七",
        id_number="X",
        degree="bachelor",
        position="工程师",
        hire_date=dt.date(2018, 2, 1),
        contract_months=24,
        annual_salary=D("199999.99"),
        tax_months=10,
    )
    good = row(**{**person.values, "name": "孙八", "annual_salary": D(250000)})
    p = project(
        "talent_introduction",
        tables={"contracts": [contract(D(1000000))], "persons": [person, good]},
    )
    [f] = find(validate(guide, p, today=CALM), "row.not_counted")
    assert f.where == f"table.persons.{person.id}"
    assert "钱七" in f.message and "20万元" in f.message


# --------------------------------------------------------------------------- tables


def test_table_findings(
    guide: Guide, project: Builder, contract: Callable[..., Row], row: Callable[..., Row]
) -> None:
    assert find(validate(guide, project("outsourcing_offshore"), today=CALM), "table.empty")
    late = contract(D(100), "offshore", date=dt.date(2019, 1, 1))
    over = contract(D(200), "offshore", contract_amount=D(100))
    bare = row(name="无金额合同", scope="offshore")
    odd = contract(D(300), "offshore", currency="XYZ")
    found = validate(
        guide,
        project("outsourcing_offshore", tables={"contracts": [late, over, bare, odd]}),
        today=CALM,
    )
    [period] = find(found, "table.row.out_of_period")
    assert period.where == f"table.contracts.{late.id}.execution_date" and not period.blocking
    [above] = find(found, "table.row.check")
    assert above.where == f"table.contracts.{over.id}.execution_amount"
    cells = {f.where for f in find(found, "table.cell.missing")}
    assert f"table.contracts.{bare.id}.execution_amount" in cells
    assert f"table.contracts.{bare.id}.currency" not in cells  # defaults to USD
    assert f"table.contracts.{bare.id}.affiliated" not in cells  # bool, optional
    [currency] = find(found, "table.currency.unknown")
    assert currency.blocking and "XYZ" in currency.message


# --------------------------------------------------------------------------- totals


@pytest.mark.parametrize(
    ("entered", "warns"),
    [
        (D(1000000), False),
        (D(1010000), False),  # exactly 1 % above
        (D(990000), False),  # exactly 1 % below
        (D(1020000), True),
        (D(980000), True),
        (None, False),  # optional, not entered: nothing to compare
    ],
)
def test_platform_amount_against_contracts(
    guide: Guide, project: Builder, contract: Callable[..., Row], entered: D | None, warns: bool
) -> None:
    values: dict[str, object] = {"reported_on_platform": True}
    if entered is not None:
        values["platform_amount_usd"] = entered
    p = project(
        "outsourcing_onshore",
        inputs={"outsourcing_onshore": values},
        tables={"contracts": [contract(D(1000000))]},
    )
    found = find(validate(guide, p, today=CALM), "item.total.mismatch")
    assert bool(found) is warns
    if warns:
        assert found[0].severity == "warning" and found[0].where == "item.outsourcing_onshore"
        assert "1,000,000" in found[0].message


@pytest.mark.parametrize(("roster", "warns"), [(199, True), (200, False), (201, True)])
def test_roster_count_must_equal_trainee_count(
    guide: Guide, project: Builder, row: Callable[..., Row], roster: int, warns: bool
) -> None:
    trainees = [
        row(
            name=f"学员{i}",
            course="Java",
            start_date=dt.date(2018, 3, 1),
            end_date=dt.date(2018, 5, 1),
        )
        for i in range(roster)
    ]
    p = project(
        "talent_training",
        inputs={
            "talent_training": {
                "on_record": True,
                "funding_received": True,
                "course_months": D(2),
                "trainee_count": 200,
            }
        },
        tables={"trainees": trainees},
    )
    found = find(validate(guide, p, today=CALM), "item.total.mismatch")
    assert bool(found) is warns
    if warns:
        assert "花名册人数" in found[0].message and str(roster) in found[0].message


# --------------------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2019, 2, 10), []),
        (dt.date(2019, 2, 11), [("deadline.near", "deadline.district_review")]),
        (dt.date(2019, 2, 18), [("deadline.near", "deadline.district_review")]),
        (
            dt.date(2019, 2, 21),
            [
                ("deadline.passed", "deadline.district_review"),
                ("deadline.near", "deadline.final_submission"),
            ],
        ),
        (
            dt.date(2019, 3, 1),
            [
                ("deadline.passed", "deadline.district_review"),
                ("deadline.passed", "deadline.final_submission"),
            ],
        ),
    ],
)
def test_deadlines_with_a_fixed_today(
    guide: Guide, project: Builder, today: dt.date, expected: list[tuple[str, str]]
) -> None:
    found = [
        f
        for f in validate(guide, project("culture_translation"), today=today)
        if f.code.startswith("deadline.")
    ]
    assert [(f.code, f.where) for f in found] == expected
    assert all(f.severity == "warning" for f in found)
    if expected and expected[0][0] == "deadline.near":
        assert f"还有 {(dt.date(2019, 2, 18) - today).days} 天" in found[0].message


# --------------------------------------------------------------------------- ordering, happy path


def test_blocking_findings_come_first(
    guide: Guide,
    project: Builder,
    company: Callable[..., Company],
    evidence: Callable[..., EvidenceFile],
) -> None:
    p = project(
        "outsourcing_onshore",
        company=company(email="bad", bank=""),
        evidence=[evidence("tt_funding_proof", dpi=72.0)],
    )
    found = validate(guide, p, today=dt.date(2019, 3, 1))
    severities = [f.severity for f in found]
    assert "blocking" in severities and "warning" in severities
    first_warning = severities.index("warning")
    assert all(s == "warning" for s in severities[first_warning:])
    assert blocking(found) == found[:first_warning]
    shuffled = list(reversed(found))
    assert [f.blocking for f in sort_findings(shuffled)] == [f.blocking for f in found]


def test_a_complete_project_has_no_findings(
    guide: Guide,
    project: Builder,
    contract: Callable[..., Row],
    evidence: Callable[..., EvidenceFile],
) -> None:
    p0 = project("outsourcing_offshore", tables={"contracts": [contract(D(1200000), "offshore")]})
    files = [evidence(doc_id, row_id) for doc_id, row_id in required_documents(guide, p0)]
    p = project(
        "outsourcing_offshore",
        inputs={
            "outsourcing_offshore": {
                "reported_on_platform": True,
                "platform_amount_usd": D(1200000),
            }
        },
        tables={"contracts": [contract(D(1200000), "offshore")]},
        evidence=files,
    )
    assert validate(guide, p, today=CALM) == []
    assert [f.as_dict()["code"] for f in validate(guide, p, today=dt.date(2019, 3, 1))] == [
        "deadline.passed",
        "deadline.passed",
    ]


# --------------------------------------------------------------------------- the second guide


def test_second_guide_findings_use_its_own_data(
    mini_guide: Guide,
    mini_project: Builder,
    row: Callable[..., Row],
    company: Callable[..., Company],
) -> None:
    fair = row(row_id="f1", fair="汉诺威展", held=dt.date(2019, 4, 1), booth_fee=D(1000))
    p = mini_project(
        "overseas_fairs", company=company(district="乙区"), tables={"exhibitions": [fair]}
    )
    found = validate(mini_guide, p, today=dt.date(2020, 1, 1))
    assert missing_documents(found) == [
        "document.business_license",
        "document.fair_invoice.f1",
        "document.fair_photos.f1",
    ]
    assert not [f for f in found if f.where.startswith("company.")]
    p = mini_project("overseas_fairs", company=company(district="香洲区"))
    assert codes(
        [
            f
            for f in validate(mini_guide, p, today=dt.date(2020, 1, 1))
            if f.where == "company.district"
        ]
    ) == ["company.district.unknown"]
