"""The rules engine, items （一）–（五）: every bound at, just below and just above, per the 2019
guide's text. （含） means inclusive, 超过 without （含） strictly greater. Amounts are Decimal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal as D
from fractions import Fraction

import pytest

from app.guide import Guide
from app.model import ProjectData, Rate, Row
from app.rules.evaluation import Rates, evaluate, to_decimal
from tests.rules_support import ZERO, Builder, assert_not_eligible, result, sts

# --------------------------------------------------------------------------- （一）


@pytest.mark.parametrize(
    ("amount", "eligible"),
    [(D("499999.99"), False), (D("500000"), True), (D("500000.01"), True)],
)
def test_service_trade_statistics_bound_inclusive(
    guide: Guide, project: Builder, amount: D, eligible: bool
) -> None:
    res = result(guide, sts(project, amount), "service_trade_statistics")
    if eligible:
        assert res.eligible and res.ceiling_cny == D(20000) and res.requested_cny == D(20000)
    else:
        assert_not_eligible(res, "499,999.99", "50万美元")


def test_service_trade_statistics_needs_the_platform_report(guide: Guide, project: Builder) -> None:
    res = result(guide, sts(project, D(900000), reported=False), "service_trade_statistics")
    assert_not_eligible(res, "服务贸易重点监测企业直报应用")
    # Missing flag reads as "not reported".
    p = project("service_trade_statistics", inputs={"service_trade_statistics": {}})
    assert not result(guide, p, "service_trade_statistics").eligible


def test_service_trade_statistics_cap_is_20000_however_large(
    guide: Guide, project: Builder
) -> None:
    res = result(guide, sts(project, D(10**9)), "service_trade_statistics")
    assert res.ceiling_cny == D(20000)


# --------------------------------------------------------------------------- （二）


ONSHORE_TIERS = [
    (D("999999.99"), ZERO),
    (D("1000000"), D(50000)),
    (D("1000000.01"), D(50000)),
    (D("4999999.99"), D(50000)),
    (D("5000000"), D(100000)),
    (D("5000000.01"), D(100000)),
    (D("9999999.99"), D(100000)),
    (D("10000000"), D(150000)),
    (D("10000000.01"), D(150000)),
]
OFFSHORE_TIERS = [(a, c * 2) for a, c in ONSHORE_TIERS]


def outsourcing(
    project: Builder, item_id: str, rows: list[Row], reported: bool = True, **kw: object
) -> ProjectData:
    return project(
        item_id,
        inputs={item_id: {"reported_on_platform": reported}},
        tables={"contracts": rows},
        **kw,
    )


@pytest.mark.parametrize(("amount", "ceiling"), ONSHORE_TIERS)
def test_onshore_tiers_inclusive(
    guide: Guide, project: Builder, contract: Callable[..., Row], amount: D, ceiling: D
) -> None:
    res = result(
        guide,
        outsourcing(project, "outsourcing_onshore", [contract(amount, "onshore")]),
        "outsourcing_onshore",
    )
    assert res.eligible == (ceiling > 0)
    assert res.ceiling_cny == ceiling and res.requested_cny == ceiling
    if not res.eligible:
        assert_not_eligible(res, "100万美元")


@pytest.mark.parametrize(("amount", "ceiling"), OFFSHORE_TIERS)
def test_offshore_tiers_inclusive(
    guide: Guide, project: Builder, contract: Callable[..., Row], amount: D, ceiling: D
) -> None:
    res = result(
        guide,
        outsourcing(project, "outsourcing_offshore", [contract(amount, "offshore")]),
        "outsourcing_offshore",
    )
    assert res.eligible == (ceiling > 0)
    assert res.ceiling_cny == ceiling


def test_onshore_and_offshore_are_counted_apart(
    guide: Guide, project: Builder, contract: Callable[..., Row]
) -> None:
    rows = [contract(D(600000), "onshore"), contract(D(600000), "offshore")]
    ev = evaluate(guide, outsourcing(project, "outsourcing_onshore", rows))
    assert ev.measures["onshore_execution_usd"] == D(600000)
    assert ev.measures["offshore_execution_usd"] == D(600000)
    assert ev.measures["outsourcing_total_usd"] == D(1200000)
    assert not ev.items["outsourcing_onshore"].eligible
    assert not ev.items["outsourcing_offshore"].eligible


def test_onshore_excludes_affiliated_company_contracts(
    guide: Guide, project: Builder, contract: Callable[..., Row]
) -> None:
    rows = [contract(D(900000), "onshore"), contract(D(5000000), "onshore", affiliated=True)]
    ev = evaluate(guide, outsourcing(project, "outsourcing_onshore", rows))
    assert ev.measures["onshore_execution_usd"] == D(900000)
    assert ev.measures["onshore_affiliated_usd"] == D(5000000)
    assert_not_eligible(ev.items["outsourcing_onshore"], "900,000")
    # Affiliated offshore contracts are not excluded: the guide excludes them onshore only.
    rows = [contract(D(1000000), "offshore", affiliated=True)]
    ev = evaluate(guide, outsourcing(project, "outsourcing_offshore", rows))
    assert ev.items["outsourcing_offshore"].ceiling_cny == D(100000)


def test_onshore_needs_the_platform_report(
    guide: Guide, project: Builder, contract: Callable[..., Row]
) -> None:
    p = outsourcing(project, "outsourcing_onshore", [contract(D(2000000))], reported=False)
    assert_not_eligible(result(guide, p, "outsourcing_onshore"), "服务外包及软件出口应用")


@pytest.mark.parametrize(
    ("date", "counted"),
    [
        (dt.date(2017, 12, 31), False),
        (dt.date(2018, 1, 1), True),
        (dt.date(2018, 12, 31), True),
        (dt.date(2019, 1, 1), False),
    ],
)
def test_contracts_outside_2018_not_counted(
    guide: Guide, project: Builder, contract: Callable[..., Row], date: dt.date, counted: bool
) -> None:
    rows = [contract(D(1000000), "offshore", date=date)]
    ev = evaluate(guide, outsourcing(project, "outsourcing_offshore", rows))
    assert ev.measures["offshore_execution_usd"] == (D(1000000) if counted else ZERO)
    assert ev.items["outsourcing_offshore"].eligible is counted


@pytest.mark.parametrize(("cny", "eligible"), [(D("6863199.99"), False), (D(6863200), True)])
def test_cny_contracts_converted_at_the_guide_rate(
    guide: Guide,
    project: Builder,
    contract: Callable[..., Row],
    cny: D,
    eligible: bool,
) -> None:
    # Guide rate: 1 USD = 6.8632 CNY (as SAFE's table quotes it), so USD 1,000,000 = CNY 6,863,200.
    p = outsourcing(project, "outsourcing_onshore", [contract(cny, currency="CNY")])
    ev = evaluate(guide, p)
    assert ev.measures["onshore_execution_usd"] == to_decimal(Fraction(cny) / Fraction("6.8632"))
    assert ev.items["outsourcing_onshore"].eligible is eligible


def test_edited_project_rate_overrides_the_guide_rate(
    guide: Guide, project: Builder, contract: Callable[..., Row]
) -> None:
    rows = [contract(D(6700000), currency="CNY"), contract(D(100000), currency="EUR")]
    at_guide_rate = evaluate(guide, outsourcing(project, "outsourcing_onshore", rows))
    # 6,700,000 ÷ 6.8632 = 976,221.0047... (exact, not through a truncated reciprocal)
    exact = Fraction(6700000) / Fraction("6.8632") + 114500
    assert at_guide_rate.measures["onshore_execution_usd"] == to_decimal(exact)
    assert at_guide_rate.items["outsourcing_onshore"].ceiling_cny == D(50000)
    edited = outsourcing(project, "outsourcing_onshore", rows[:1], rates={"CNY": Rate(D("6.7"))})
    ev = evaluate(guide, edited)
    assert ev.measures["onshore_execution_usd"] == D(1000000)
    assert ev.items["outsourcing_onshore"].eligible
    # A non-positive edited rate is ignored (the guide's rate stays).
    assert Rates(guide, {"CNY": Rate(D(0))}).rate("CNY") == Rate(D("6.8632"))


def test_unknown_currency_rows_are_not_summed(
    guide: Guide, project: Builder, contract: Callable[..., Row]
) -> None:
    rows = [contract(D(2000000), currency="XYZ"), contract(D(10))]
    ev = evaluate(guide, outsourcing(project, "outsourcing_onshore", rows))
    assert ev.measures["onshore_execution_usd"] == D(10)


# --------------------------------------------------------------------------- （三）


def tt(project: Builder, cost: D | None, intro: bool = True, funded: bool = True) -> ProjectData:
    values: dict[str, object] = {
        "introduced_foreign_tech": intro,
        "funding_received": funded,
        "funding_level": "provincial",
    }
    if cost is not None:
        values["actual_cost"] = cost
    return project("technology_trade", inputs={"technology_trade": values})


@pytest.mark.parametrize(
    ("cost", "ceiling"),
    [
        (D("299999.99"), D("299999.99")),
        (D("300000"), D(300000)),
        (D("300000.01"), D(300000)),
        (D(2000000), D(300000)),
    ],
)
def test_technology_trade_cap_and_never_above_cost(
    guide: Guide, project: Builder, cost: D, ceiling: D
) -> None:
    res = result(guide, tt(project, cost), "technology_trade")
    assert res.eligible and res.ceiling_cny == ceiling
    assert res.cost_cny == cost
    note = "支持金额不得超过项目实际开销，上限按实际开销计算。"
    assert (note in res.reasons) is (cost < D(300000))


@pytest.mark.parametrize(("intro", "funded"), [(False, True), (True, False), (False, False)])
def test_technology_trade_needs_both_flags(
    guide: Guide, project: Builder, intro: bool, funded: bool
) -> None:
    res = result(guide, tt(project, D(100000), intro, funded), "technology_trade")
    assert_not_eligible(res)
    assert len(res.reasons) == (not intro) + (not funded)


def test_technology_trade_without_cost_is_not_eligible(guide: Guide, project: Builder) -> None:
    assert_not_eligible(result(guide, tt(project, None), "technology_trade"), "实际开销")


# --------------------------------------------------------------------------- （四）


@pytest.mark.parametrize(
    ("cost", "ceiling"),
    [(D("99999.99"), D("99999.99")), (D(100000), D(100000)), (D("100000.01"), D(100000))],
)
def test_culture_translation_actual_cost_capped(
    guide: Guide, project: Builder, cost: D, ceiling: D
) -> None:
    p = project(
        "culture_translation",
        inputs={"culture_translation": {"in_catalogue": True, "translation_cost": cost}},
    )
    res = result(guide, p, "culture_translation")
    assert res.eligible and res.ceiling_cny == ceiling


def test_culture_translation_needs_catalogue_and_cost(guide: Guide, project: Builder) -> None:
    p = project(
        "culture_translation",
        inputs={"culture_translation": {"in_catalogue": False, "translation_cost": D(5000)}},
    )
    assert_not_eligible(result(guide, p, "culture_translation"), "指导目录")
    p = project("culture_translation", inputs={"culture_translation": {"in_catalogue": True}})
    assert_not_eligible(result(guide, p, "culture_translation"), "翻译")


@pytest.mark.parametrize(
    ("amount", "eligible"),
    [(D("499999.99"), False), (D(500000), False), (D("500000.01"), True)],
)
def test_culture_service_export_strictly_above(
    guide: Guide, project: Builder, amount: D, eligible: bool
) -> None:
    p = project(
        "culture_service_export",
        inputs={"culture_service_export": {"in_catalogue": True, "export_amount": amount}},
    )
    res = result(guide, p, "culture_service_export")
    if eligible:
        assert res.eligible and res.ceiling_cny == D(100000)
    else:
        assert_not_eligible(res, "须超过50万美元")


# --------------------------------------------------------------------------- （五）


def tcm_rows(row: Callable[..., Row], *revenues: D) -> list[Row]:
    return [
        row(
            name=f"项目{i}",
            kind="medical",
            partner="合作方",
            country="澳门",
            revenue=r,
            income_date=dt.date(2018, 10, 1),
        )
        for i, r in enumerate(revenues, start=1)
    ]


@pytest.mark.parametrize(
    ("revenues", "eligible", "ceiling"),
    [
        ((D("299999.99"),), False, ZERO),
        ((D(300000),), False, ZERO),
        ((D(150000), D(150000)), False, ZERO),
        ((D("300000.01"),), True, D(50000)),
        ((D(150000), D("150000.01")), True, D(100000)),
        ((D(200000), D(100000), D("0.01")), True, D(100000)),
    ],
)
def test_tcm_projects_cumulative_strict_per_project_and_company_caps(
    guide: Guide,
    project: Builder,
    row: Callable[..., Row],
    revenues: tuple[D, ...],
    eligible: bool,
    ceiling: D,
) -> None:
    p = project("tcm_projects", tables={"tcm_projects": tcm_rows(row, *revenues)})
    res = result(guide, p, "tcm_projects")
    assert res.eligible is eligible
    assert res.ceiling_cny == ceiling
    if eligible:
        assert [r.amount_cny for r in res.rows] == [D(50000)] * len(revenues)
    if len(revenues) == 3:
        assert "每家企业合计不超过 100,000 元。" in res.reasons


def test_tcm_project_without_revenue_is_not_counted(
    guide: Guide, project: Builder, row: Callable[..., Row]
) -> None:
    p = project("tcm_projects", tables={"tcm_projects": tcm_rows(row, D(400000), ZERO)})
    res = result(guide, p, "tcm_projects")
    assert res.ceiling_cny == D(50000)
    assert [r.counted for r in res.rows] == [True, False]
    assert res.rows[1].reasons == ("项目没有业绩收入。",)


@pytest.mark.parametrize(
    ("amount", "eligible"),
    [(D("299999.99"), False), (D(300000), False), (D("300000.01"), True)],
)
def test_tcm_general_export_strictly_above(
    guide: Guide, project: Builder, amount: D, eligible: bool
) -> None:
    p = project("tcm_general_export", inputs={"tcm_general_export": {"export_amount": amount}})
    res = result(guide, p, "tcm_general_export")
    assert res.eligible is eligible
    assert res.ceiling_cny == (D(50000) if eligible else ZERO)
