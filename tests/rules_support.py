"""Helpers shared by the rules tests."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal as D

from app.guide import Guide
from app.model import ProjectData, Row
from app.rules.evaluation import ItemResult, evaluate

Builder = Callable[..., ProjectData]
ZERO = D(0)
CJK = re.compile(r"[\u4e00-\u9fff]")


def result(guide: Guide, project: ProjectData, item_id: str) -> ItemResult:
    return evaluate(guide, project).items[item_id]


def assert_not_eligible(res: ItemResult, *words: str) -> None:
    assert not res.eligible
    assert res.ceiling_cny == ZERO and res.requested_cny == ZERO
    assert res.reasons and all(CJK.search(r) for r in res.reasons)
    text = "；".join(res.reasons)
    for w in words:
        assert w in text, text


def sts(project: Builder, amount: D, reported: bool = True, currency: str = "USD") -> ProjectData:
    return project(
        "service_trade_statistics",
        inputs={
            "service_trade_statistics": {
                "reported_on_platform": reported,
                "registered_currency": currency,
                "registered_amount": amount,
            }
        },
    )


RowMaker = Callable[..., Row]
