"""Every USD bound of the guide, for every currency of the rate table: the least amount that
reaches the bound lands on the eligible side (for a bound with （含）, an amount exactly at it),
and one smallest unit less does not. Conversion is exact: rates are stored as SAFE's table
quotes them (units per USD, or USD per N units) and nothing is rounded in between.

The guide: “万美元（含）以上” / “达100万美元以上（含）” are inclusive; “超过50万美元” /
“超过30万美元” are strict (the bound itself is not enough).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path

import pytest

from app.cli import main
from app.guide import load_guide
from app.guide.loader import CHECKLIST_DIR
from app.model import ProjectData, Row
from app.rules.evaluation import evaluate

GUIDE = load_guide(CHECKLIST_DIR / "zhuhai-2019.toml")
NO_MINOR_UNIT = {"JPY", "KRW"}  # amounts in whole yen / won
Builder = Callable[..., ProjectData]


@dataclass(frozen=True)
class Bound:
    item: str
    usd: int
    inclusive: bool
    at: D  # ceiling (CNY) at the bound
    below: D | None  # ceiling one smallest unit below (None: not eligible)
    quote: str  # the guide's words


BOUNDS = [
    Bound(
        "service_trade_statistics",
        500_000,
        True,
        D(20000),
        None,
        "登记业务额达到50万美元（含）以上",
    ),
    Bound("outsourcing_onshore", 1_000_000, True, D(50000), None, "达100万美元以上（含）…5万元"),
    Bound(
        "outsourcing_onshore", 5_000_000, True, D(100000), D(50000), "500万美元以上（含）…10万元"
    ),
    Bound(
        "outsourcing_onshore", 10_000_000, True, D(150000), D(100000), "1000万美元以上（含）…15万元"
    ),
    Bound("outsourcing_offshore", 1_000_000, True, D(100000), None, "达100万美元以上（含）…10万元"),
    Bound(
        "outsourcing_offshore", 5_000_000, True, D(200000), D(100000), "500万美元以上（含）…20万元"
    ),
    Bound(
        "outsourcing_offshore",
        10_000_000,
        True,
        D(300000),
        D(200000),
        "1000万美元以上（含）…30万元",
    ),
    Bound("culture_service_export", 500_000, False, D(100000), None, "金额超过50万美元"),
    Bound("tcm_projects", 300_000, False, D(50000), None, "累计超过30万美元"),
    Bound("tcm_general_export", 300_000, False, D(50000), None, "出口实绩超过30万美元"),
    Bound("international_certification", 1_000_000, True, D(50000), None, "超过100万美元（含）"),
    Bound("talent_introduction", 1_000_000, True, D(50000), None, "超过100万美元（含）"),
]


def unit_of(code: str) -> D:
    return D(1) if code in NO_MINOR_UNIT else D("0.01")


def least_amount(code: str, bound: Bound) -> D:
    """The least amount of ``code`` (in its smallest unit) whose USD value meets the bound."""
    rate = GUIDE.currency(code).rate
    unit = Fraction(unit_of(code))
    exact = rate.from_usd(Fraction(bound.usd))
    amount = math.ceil(exact / unit) * unit
    if not bound.inclusive and rate.to_usd(amount) == bound.usd:  # type: ignore[arg-type]
        amount += unit
    return D(amount.numerator) / D(amount.denominator)


def contract(amount: D, code: str, scope: str = "onshore") -> Row:
    return Row(
        id=f"c-{scope}",
        values={
            "name": "合同",
            "client": "客户",
            "country": "中国",
            "business_type": "software_rd",
            "scope": scope,
            "affiliated": False,
            "currency": code,
            "contract_amount": amount,
            "execution_amount": amount,
            "execution_date": dt.date(2018, 6, 30),
        },
    )


def project_for(project: Builder, item: str, amount: D, code: str) -> ProjectData:
    if item == "service_trade_statistics":
        inputs = {"reported_on_platform": True, "registered_currency": code}
        return project(item, inputs={item: {**inputs, "registered_amount": amount}})
    if item in ("outsourcing_onshore", "outsourcing_offshore"):
        scope = "onshore" if item == "outsourcing_onshore" else "offshore"
        return project(
            item,
            inputs={item: {"reported_on_platform": True}},
            tables={"contracts": [contract(amount, code, scope)]},
        )
    if item in ("culture_service_export", "tcm_general_export"):
        inputs: dict[str, object] = {"export_currency": code, "export_amount": amount}
        if item == "culture_service_export":
            inputs["in_catalogue"] = True
        return project(item, inputs={item: inputs})
    if item == "tcm_projects":
        row = Row(
            id="t1",
            values={
                "name": "项目",
                "kind": "medical",
                "partner": "合作方",
                "country": "澳门",
                "currency": code,
                "revenue": amount,
                "income_date": dt.date(2018, 3, 1),
            },
        )
        return project(item, tables={"tcm_projects": [row]})
    if item == "international_certification":
        cert = Row(
            id="k1",
            values={
                "name": "CMMI",
                "kind": "new",
                "certificate_no": "1",
                "issuer": "机构",
                "obtained_date": dt.date(2018, 5, 1),
                "currency": "CNY",
                "cost": D(100000),
            },
        )
        return project(
            item, tables={"contracts": [contract(amount, code)], "certifications": [cert]}
        )
    assert item == "talent_introduction"
    person = Row(
        id="p1",
        values={
            "name": "王五",
            "id_number": "1",
            "degree": "master",
            "position": "架构师",
            "hire_date": dt.date(2018, 3, 1),
            "contract_months": 36,
            "annual_salary": D(300000),
            "tax_months": 9,
        },
    )
    return project(item, tables={"contracts": [contract(amount, code)], "persons": [person]})


CASES = [
    pytest.param(b, c.code, id=f"{b.item}-{b.usd}-{c.code}")
    for b in BOUNDS
    for c in GUIDE.currencies
]


@pytest.mark.parametrize(("bound", "code"), CASES)
def test_at_the_bound_and_one_smallest_unit_below(
    project: Builder, bound: Bound, code: str
) -> None:
    at = least_amount(code, bound)
    below = at - unit_of(code)
    result = evaluate(GUIDE, project_for(project, bound.item, at, code)).items[bound.item]
    assert result.eligible, (at, result.reasons)
    assert result.ceiling_cny == bound.at
    result = evaluate(GUIDE, project_for(project, bound.item, below, code)).items[bound.item]
    if bound.below is None:
        assert not result.eligible, below
    else:
        assert result.eligible and result.ceiling_cny == bound.below, below


@pytest.mark.parametrize(
    ("code", "at"),
    [
        ("USD", D(1000000)),
        ("CNY", D(6863200)),  # 1 美元 = 6.8632 人民币
        ("HKD", D(7830800)),  # 1 美元 = 7.8308 港元
        ("TWD", D(30659000)),  # 1 美元 = 30.659 新台币
        ("EUR", D("873362.45")),  # 1 欧元 = 1.1450 美元: 873,362.445… rounded up to the cent
        ("JPY", D(110619470)),  # 100 日元 = 0.9040 美元: 110,619,469.03… rounded up to the yen
    ],
)
def test_least_amounts_at_one_million_by_hand(code: str, at: D) -> None:
    """The figures above are worked out by hand from the rates as the table quotes them, so the
    parametrised test cannot agree with itself by mistake."""
    assert least_amount(code, BOUNDS[1]) == at


def test_each_bound_quotes_an_inclusive_or_strict_guide_sentence() -> None:
    """“（含）” is inclusive, “超过” without （含） is strict."""
    for b in BOUNDS:
        assert b.inclusive == ("（含）" in b.quote), b


def test_check_json_onshore_cny_contract_at_one_million(tmp_path: Path) -> None:
    """（二）1.“对服务外包在岸执行金额…达100万美元以上（含）…给予每家企业不超过5万元”: one
    onshore CNY contract of 6,863,200 at 1 美元 = 6.8632 人民币 is USD 1,000,000 exactly."""
    manifest = {
        "format": "packet-assembler-manifest",
        "version": 1,
        "guide": GUIDE.id,
        "company": {"name": "珠海边界测试有限公司", "district": "香洲区"},
        "items": {"outsourcing_onshore": {"inputs": {"reported_on_platform": True}}},
        "tables": {
            "contracts": [
                {
                    "id": "c1",
                    "name": "在岸合同",
                    "client": "珠海客户",
                    "country": "中国",
                    "business_type": "software_rd",
                    "scope": "onshore",
                    "currency": "CNY",
                    "contract_amount": 6863200,
                    "execution_amount": 6863200,
                    "execution_date": "2018-06-30",
                }
            ]
        },
        "rates": {"CNY": 6.8632},
    }
    path = tmp_path / "边界.json"
    text = json.dumps(manifest, ensure_ascii=False)
    for amount, eligible in (("6863200", True), ("6863199.99", False)):
        path.write_text(text.replace("6863200", amount), encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        main(["check", str(path), "--json", "--today", "2019-02-01"], out, err)
        assert not err.getvalue(), err.getvalue()
        item = json.loads(out.getvalue())["items"]["outsourcing_onshore"]
        assert item["eligible"] is eligible, item
        assert item["ceiling_cny"] == (50000 if eligible else 0)
        if not eligible:
            assert "999,999.99 美元" in item["reasons"][0]
