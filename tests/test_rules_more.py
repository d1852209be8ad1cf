"""The rules engine, items （六）–（九）, requested amounts and a second guide: every bound at, just
below and just above, per the 2019 guide's text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal as D

import pytest

from app.guide import Guide
from app.model import ProjectData, Row
from app.rules.evaluation import evaluate
from app.rules.findings import validate
from tests.rules_support import CJK, ZERO, Builder, assert_not_eligible, result, sts

# --------------------------------------------------------------------------- （六）


def certs(row: Callable[..., Row], *costs: D, date: dt.date = dt.date(2018, 5, 1)) -> list[Row]:
    return [
        row(
            name="CMMI",
            kind="new",
            certificate_no=f"NO-{i}",
            issuer="认证机构",
            obtained_date=date,
            currency="CNY",
            cost=c,
        )
        for i, c in enumerate(costs, start=1)
    ]


def ic(
    project: Builder, contract: Callable[..., Row], rows: list[Row], total: D = D(1000000)
) -> ProjectData:
    return project(
        "international_certification",
        tables={"contracts": [contract(total, "offshore")], "certifications": rows},
    )


@pytest.mark.parametrize(
    ("total", "eligible"), [(D("999999.99"), False), (D(1000000), True), (D("1000000.01"), True)]
)
def test_certification_gate_total_execution_inclusive(
    guide: Guide,
    project: Builder,
    contract: Callable[..., Row],
    row: Callable[..., Row],
    total: D,
    eligible: bool,
) -> None:
    res = result(
        guide, ic(project, contract, certs(row, D(1000)), total), "international_certification"
    )
    assert res.eligible is eligible
    assert res.ceiling_cny == (D(500) if eligible else ZERO)


def test_certification_gate_counts_onshore_plus_offshore(
    guide: Guide, project: Builder, contract: Callable[..., Row], row: Callable[..., Row]
) -> None:
    p = project(
        "international_certification",
        tables={
            "contracts": [contract(D(500000), "onshore"), contract(D(500000), "offshore")],
            "certifications": certs(row, D(1000)),
        },
    )
    assert result(guide, p, "international_certification").eligible


@pytest.mark.parametrize(
    ("cost", "support"),
    [
        (D("199999.98"), D("99999.99")),
        (D(200000), D(100000)),
        (D("200000.02"), D(100000)),
        (D("0.03"), D("0.01")),  # half of 3 fen, rounded down
    ],
)
def test_certification_half_of_cost_capped_per_certificate(
    guide: Guide,
    project: Builder,
    contract: Callable[..., Row],
    row: Callable[..., Row],
    cost: D,
    support: D,
) -> None:
    res = result(guide, ic(project, contract, certs(row, cost)), "international_certification")
    assert res.ceiling_cny == support
    assert res.rows[0].amount_cny == support


def test_certification_best_five_of_seven(
    guide: Guide, project: Builder, contract: Callable[..., Row], row: Callable[..., Row]
) -> None:
    costs = [D(10000), D(300000), D(40000), D(20000), D(60000), D(50000), D(30000)]
    res = result(guide, ic(project, contract, certs(row, *costs)), "international_certification")
    counted = [r.counted for r in res.rows]
    assert counted == [False, True, True, False, True, True, True]
    assert res.ceiling_cny == D(100000) + D(20000) + D(30000) + D(25000) + D(15000)
    assert any("不超过5个" in r for r in res.reasons)
    assert res.rows[0].reasons == ("超出项目数量上限，未计入。",)
    assert res.rows[0].amount_cny == ZERO


@pytest.mark.parametrize(
    ("date", "counted"),
    [
        (dt.date(2017, 12, 31), False),
        (dt.date(2018, 1, 1), True),
        (dt.date(2018, 12, 31), True),
        (dt.date(2019, 1, 1), False),
    ],
)
def test_certification_obtained_outside_2018_not_counted(
    guide: Guide,
    project: Builder,
    contract: Callable[..., Row],
    row: Callable[..., Row],
    date: dt.date,
    counted: bool,
) -> None:
    rows = certs(row, D(20000), date=date) + certs(row, D(10000))
    res = result(guide, ic(project, contract, rows), "international_certification")
    assert res.rows[0].counted is counted
    assert res.ceiling_cny == D(5000) + (D(10000) if counted else ZERO)
    if not counted:
        assert "支持期间" in res.rows[0].reasons[0]


def test_certification_with_no_counted_row_is_not_eligible(
    guide: Guide, project: Builder, contract: Callable[..., Row], row: Callable[..., Row]
) -> None:
    rows = certs(row, D(20000), date=dt.date(2017, 6, 1))
    assert_not_eligible(
        result(guide, ic(project, contract, rows), "international_certification"), "国际认证"
    )


# --------------------------------------------------------------------------- （七）1.


def person(row: Callable[..., Row], **changes: object) -> Row:
    values: dict[str, object] = {
        "name": "王五",
        "id_number": "440400199001010000",
        "degree": "master",
        "position": "架构师",
        "hire_date": dt.date(2018, 3, 1),
        "contract_months": 36,
        "annual_salary": D(300000),
        "tax_months": 9,
    }
    values.update(changes)
    return row(**values)


def ti(
    project: Builder, contract: Callable[..., Row], rows: list[Row], total: D = D(1000000)
) -> ProjectData:
    return project(
        "talent_introduction",
        tables={"contracts": [contract(total, "onshore")], "persons": rows},
    )


@pytest.mark.parametrize(
    ("changes", "counted"),
    [
        ({"annual_salary": D("199999.99")}, False),
        ({"annual_salary": D(200000)}, True),
        ({"annual_salary": D("200000.01")}, True),
        ({"contract_months": 11}, False),
        ({"contract_months": 12}, True),
        ({"contract_months": 13}, True),
        ({"tax_months": 6}, False),
        ({"tax_months": 7}, True),
        ({"hire_date": dt.date(2017, 12, 31)}, False),
        ({"hire_date": dt.date(2018, 1, 1)}, True),
        ({"hire_date": dt.date(2018, 12, 31)}, True),
        ({"hire_date": dt.date(2019, 1, 1)}, False),
    ],
)
def test_talent_introduction_row_bounds(
    guide: Guide,
    project: Builder,
    contract: Callable[..., Row],
    row: Callable[..., Row],
    changes: dict[str, object],
    counted: bool,
) -> None:
    rows = [person(row, **changes), person(row, name="赵六")]
    res = result(guide, ti(project, contract, rows), "talent_introduction")
    assert res.rows[0].counted is counted
    assert res.rows[0].amount_cny == (D(50000) if counted else ZERO)
    assert res.ceiling_cny == D(50000) * (2 if counted else 1)
    if not counted:
        assert len(res.rows[0].reasons) == 1 and CJK.search(res.rows[0].reasons[0])


def test_talent_introduction_gate_and_per_person(
    guide: Guide, project: Builder, contract: Callable[..., Row], row: Callable[..., Row]
) -> None:
    rows = [person(row, name=n) for n in ("甲", "乙", "丙")]
    assert result(guide, ti(project, contract, rows), "talent_introduction").ceiling_cny == D(
        150000
    )
    low = result(guide, ti(project, contract, rows, D("999999.99")), "talent_introduction")
    assert_not_eligible(low, "100万美元")


def test_talent_introduction_missing_salary_gives_a_chinese_reason(
    guide: Guide, project: Builder, contract: Callable[..., Row], row: Callable[..., Row]
) -> None:
    bare = person(row)
    no_salary = Row(
        id=bare.id, values={k: v for k, v in bare.values.items() if k != "annual_salary"}
    )
    res = result(guide, ti(project, contract, [no_salary]), "talent_introduction")
    assert not res.rows[0].counted
    assert "（未填写）" in res.rows[0].reasons[0]


# --------------------------------------------------------------------------- （七）2.


def roster(count: int, start: dt.date = dt.date(2018, 3, 1), first: int = 0) -> list[Row]:
    return [
        Row(
            id=f"t{start.year}-{n}",
            values={
                "name": f"学员{n}",
                "course": "软件测试",
                "start_date": start,
                "end_date": start + dt.timedelta(days=45),
            },
        )
        for n in range(first, first + count)
    ]


def tr(
    project: Builder,
    count: int,
    on_record: bool = True,
    funded: bool = True,
    months: D = D(3),
    typed: int | None = None,
    earlier: int = 0,
) -> ProjectData:
    """``count`` trainees on the roster in 2018, ``earlier`` in 2017; ``typed`` 培训人数."""
    inputs: dict[str, object] = {
        "on_record": on_record,
        "funding_received": funded,
        "course_months": months,
    }
    if typed is not None:
        inputs["trainee_count"] = typed
    return project(
        "talent_training",
        inputs={"talent_training": inputs},
        tables={"trainees": roster(count) + roster(earlier, dt.date(2017, 6, 1), count)},
    )


@pytest.mark.parametrize(
    ("count", "ceiling"),
    [
        (199, ZERO),
        (200, D(50000)),
        (201, D(50000)),
        (499, D(50000)),
        (500, D(100000)),
        (501, D(100000)),
        (999, D(100000)),
        (1000, D(150000)),
        (1001, D(150000)),
    ],
)
def test_talent_training_tiers(guide: Guide, project: Builder, count: int, ceiling: D) -> None:
    res = result(guide, tr(project, count), "talent_training")
    assert res.eligible == (ceiling > 0)
    assert res.ceiling_cny == ceiling
    if not res.eligible:
        assert_not_eligible(res, "199 人", "200人（含）")


def test_training_tier_counts_the_roster_in_the_period_not_the_typed_count(
    guide: Guide, project: Builder
) -> None:
    """（七）2.“对经省商务厅备案的服务外包培训机构在支持期间内开展的1个月以上的服务外包人才培养
    ……按照培训人数规模给予分档支持。具体为：1000人（含）以上的给予不超过15万元资金支持；
    500（含）-1000人的给予不超过10万元资金支持”: 1000 typed, a roster of 600 in 2018 and 400
    in 2017 is a 500–999 tier (100,000), and the typed count that differs is a finding."""
    p = tr(project, 600, typed=1000, earlier=400)
    ev = evaluate(guide, p)
    res = ev.items["talent_training"]
    assert res.eligible and res.ceiling_cny == D(100000)
    found = validate(guide, p, today=dt.date(2019, 1, 10))
    mismatch = [f for f in found if f.code == "item.total.mismatch"]
    assert mismatch and "1,000" in mismatch[0].message and "600" in mismatch[0].message
    late = [f for f in found if f.code == "table.row.out_of_period"]
    assert len(late) == 400 and all("不计入金额" in f.message for f in late)  # now true
    # the typed count is optional: without it, the same amount and no mismatch
    q = tr(project, 600, earlier=400)
    assert evaluate(guide, q).items["talent_training"].ceiling_cny == D(100000)
    assert not [
        f for f in validate(guide, q, today=dt.date(2019, 1, 10)) if f.code == "item.total.mismatch"
    ]


@pytest.mark.parametrize(
    ("months", "eligible"), [(D("0.99"), False), (D(1), True), (D("1.01"), True)]
)
def test_talent_training_course_at_least_a_month(
    guide: Guide, project: Builder, months: D, eligible: bool
) -> None:
    assert result(guide, tr(project, 300, months=months), "talent_training").eligible is eligible


@pytest.mark.parametrize(("on_record", "funded"), [(False, True), (True, False)])
def test_talent_training_flags(
    guide: Guide, project: Builder, on_record: bool, funded: bool
) -> None:
    res = result(guide, tr(project, 300, on_record, funded), "talent_training")
    assert_not_eligible(res, "备案" if not on_record else "资金支持")


# --------------------------------------------------------------------------- （八）


def costs(
    row: Callable[..., Row],
    *amounts: D,
    date: dt.date = dt.date(2018, 7, 1),
    center: str = "info_center",
) -> list[Row]:
    return [
        row(center=center, category="server", description=f"服务器租赁{i}", date=date, amount=a)
        for i, a in enumerate(amounts, start=1)
    ]


def psc(project: Builder, rows: list[Row], funded: bool = True) -> ProjectData:
    values: dict[str, object] = {"provincial_funded": funded}
    return project(
        "public_service_center",
        inputs={"public_service_center": values},
        tables={"costs": rows},
    )


@pytest.mark.parametrize(
    ("amount", "ceiling"),
    [
        (D(200000), D(160000)),
        (D("249999.99"), D("199999.99")),
        (D(250000), D(200000)),
        (D("250000.01"), D(200000)),
        (D(1000000), D(200000)),
    ],
)
def test_public_service_center_80_percent_capped(
    guide: Guide, project: Builder, row: Callable[..., Row], amount: D, ceiling: D
) -> None:
    res = result(guide, psc(project, costs(row, amount)), "public_service_center")
    assert res.eligible and res.ceiling_cny == ceiling


def test_public_service_center_conditions(
    guide: Guide, project: Builder, row: Callable[..., Row]
) -> None:
    assert_not_eligible(
        result(guide, psc(project, costs(row, D(1000)), funded=False), "public_service_center"),
        "省级资金",
    )
    out_of_period = costs(row, D(100000), date=dt.date(2019, 1, 2))
    assert_not_eligible(
        result(guide, psc(project, out_of_period), "public_service_center"), "运营及维护费用"
    )


@pytest.mark.parametrize(
    ("info", "exchange", "ceiling"),
    [
        (D(250000), D(250000), D(400000)),  # each centre at its own 200,000 cap
        (D(250000), D(100000), D(280000)),  # 200,000 + 80,000
        (D("249999.99"), D(0), D("199999.99")),
        (D(500000), None, D(200000)),  # one centre only: one cap
    ],
)
def test_public_service_center_cap_is_per_centre(
    guide: Guide,
    project: Builder,
    row: Callable[..., Row],
    info: D,
    exchange: D | None,
    ceiling: D,
) -> None:
    """（八）“根据其在支持期间内的运营及维护费用给予不超过80%的资金支持，每个中心最高不超过
    20万元”: an operator of both centres is capped for each, not once."""
    rows = costs(row, info, center="info_center")
    if exchange is not None:
        rows += costs(row, exchange, center="exchange_center")
    res = result(guide, psc(project, rows), "public_service_center")
    assert res.eligible and res.ceiling_cny == ceiling
    labels = [label for label, _ in res.basis]
    assert any("珠海市服务外包信息中心" in label for label in labels)
    assert any("珠海市服务外包产业交流中心" in label for label in labels) is (exchange is not None)


# --------------------------------------------------------------------------- （九）


ECI_INPUTS = {"export_credit_insurance": {"service_trade_insurance": True}}


@pytest.mark.parametrize("answer", [False, None])
def test_export_credit_insurance_must_be_service_trade_insurance(
    guide: Guide, project: Builder, row: Callable[..., Row], answer: bool | None
) -> None:
    """（九）“对投保服务贸易类出口信用保险的企业按实际缴纳保险费给予每家不超过5万元资金支持”:
    the user is asked whether the policies are 服务贸易类; not answered yes, not eligible."""
    rows = [
        row(
            policy_no="P1",
            insurer="中国信保",
            insured_business="货物出口",
            premium=D(8000),
            paid_date=dt.date(2018, 4, 1),
        )
    ]
    inputs = (
        {} if answer is None else {"export_credit_insurance": {"service_trade_insurance": answer}}
    )
    p = project("export_credit_insurance", tables={"policies": rows}, inputs=inputs)
    assert_not_eligible(result(guide, p, "export_credit_insurance"), "服务贸易类出口信用保险")


@pytest.mark.parametrize(
    ("premiums", "ceiling"),
    [
        ((D("49999.99"),), D("49999.99")),
        ((D(50000),), D(50000)),
        ((D("50000.01"),), D(50000)),
        ((D(30000), D(30000)), D(50000)),
    ],
)
def test_export_credit_insurance_premium_capped(
    guide: Guide, project: Builder, row: Callable[..., Row], premiums: tuple[D, ...], ceiling: D
) -> None:
    rows = [
        row(
            policy_no=f"P{i}",
            insurer="中国信保",
            insured_business="软件出口",
            premium=p,
            paid_date=dt.date(2018, 4, 1),
        )
        for i, p in enumerate(premiums)
    ]
    p = project("export_credit_insurance", tables={"policies": rows}, inputs=ECI_INPUTS)
    res = result(guide, p, "export_credit_insurance")
    assert res.eligible and res.ceiling_cny == ceiling


def test_export_credit_insurance_premium_outside_2018(
    guide: Guide, project: Builder, row: Callable[..., Row]
) -> None:
    rows = [
        row(
            policy_no="P1",
            insurer="中国信保",
            insured_business="软件出口",
            premium=D(8000),
            paid_date=dt.date(2017, 12, 31),
        )
    ]
    p = project("export_credit_insurance", tables={"policies": rows})
    assert_not_eligible(result(guide, p, "export_credit_insurance"), "保险费")


# --------------------------------------------------------------------------- requested amounts


@pytest.mark.parametrize(
    ("asked", "requested"),
    [
        (None, D(20000)),
        (D("12345.67"), D("12345.67")),
        (D(20000), D(20000)),
        (D("20000.01"), D(20000)),
        (D(-5), ZERO),
        (D("0.009"), ZERO),
    ],
)
def test_requested_amount(guide: Guide, project: Builder, asked: D | None, requested: D) -> None:
    base = sts(project, D(600000))
    p = base if asked is None else replace(base, requested={"service_trade_statistics": asked})
    res = result(guide, p, "service_trade_statistics")
    assert res.ceiling_cny == D(20000)
    assert res.requested_cny == requested


def test_not_eligible_asks_nothing_whatever_was_typed(guide: Guide, project: Builder) -> None:
    p = project(
        "service_trade_statistics",
        inputs={
            "service_trade_statistics": {"reported_on_platform": True, "registered_amount": D(1)}
        },
        requested={"service_trade_statistics": D(20000)},
    )
    assert_not_eligible(result(guide, p, "service_trade_statistics"), "美元")


def test_total_requested_sums_selected_items_only(
    guide: Guide, project: Builder, contract: Callable[..., Row]
) -> None:
    p = project(
        "service_trade_statistics",
        "outsourcing_offshore",
        inputs={
            "service_trade_statistics": {
                "reported_on_platform": True,
                "registered_amount": D(600000),
            },
            "outsourcing_offshore": {"reported_on_platform": True},
            "outsourcing_onshore": {"reported_on_platform": True},  # eligible, not selected
        },
        tables={"contracts": [contract(D(2000000), "onshore"), contract(D(5000000), "offshore")]},
        requested={"outsourcing_offshore": D(150000)},
    )
    ev = evaluate(guide, p)
    assert ev.items["outsourcing_onshore"].requested_cny == D(50000)
    assert ev.selected == ("service_trade_statistics", "outsourcing_offshore")
    assert ev.total_requested_cny == D(20000) + D(150000)
    assert ev.total_ceiling_cny == D(20000) + D(200000)
    assert set(ev.items) == set(guide.item_ids)


def test_selection_is_reported_in_guide_order(guide: Guide, project: Builder) -> None:
    p = project("export_credit_insurance", "service_trade_statistics")
    assert evaluate(guide, p).selected == ("service_trade_statistics", "export_credit_insurance")


# --------------------------------------------------------------------------- the second guide


@pytest.mark.parametrize(
    ("count", "ceiling"),
    [(49, ZERO), (50, D(20000)), (51, D(20000)), (99, D(20000)), (100, D(40000)), (101, D(40000))],
)
def test_mini_guide_tiers_on_a_row_count(
    mini_guide: Guide, mini_project: Builder, row: Callable[..., Row], count: int, ceiling: D
) -> None:
    rows = [row(name=f"学员{i}", finished=dt.date(2019, 6, 1)) for i in range(count)]
    rows.append(row(name="去年结业", finished=dt.date(2018, 12, 31)))  # outside 2019
    p = mini_project("training_scale", tables={"trainees": rows})
    res = result(mini_guide, p, "training_scale")
    assert res.eligible == (ceiling > 0)
    assert res.ceiling_cny == ceiling


def test_mini_guide_per_row_share_with_its_own_currency_and_row_limit(
    mini_guide: Guide, mini_project: Builder, row: Callable[..., Row]
) -> None:
    # EUR default; 1 EUR = 1.25 USD, 1 CNY = 0.143 USD in this guide.
    rows = [
        row(fair="甲展", held=dt.date(2019, 3, 1), booth_fee=D("14.3")),  # 125 CNY -> 87.5
        row(fair="乙展", held=dt.date(2019, 5, 1), booth_fee=D(100000)),  # capped 30,000
        row(fair="丙展", held=dt.date(2020, 1, 1), booth_fee=D(100000)),  # outside 2019
        row(fair="丁展", held=dt.date(2019, 9, 1), currency="CNY", booth_fee=D(1000)),  # 700
    ]
    res = result(
        mini_guide, mini_project("overseas_fairs", tables={"exhibitions": rows}), "overseas_fairs"
    )
    assert [r.counted for r in res.rows] == [False, True, False, True]
    assert [r.amount_cny for r in res.rows] == [ZERO, D(30000), ZERO, D(700)]
    assert res.ceiling_cny == D(30700)
    assert res.rows[0].reasons == ("超出项目数量上限，未计入。",)
    assert res.rows[2].reasons == ("展会不在2019年内举办。",)
