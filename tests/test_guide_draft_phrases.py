"""The guide-text reader, phrase by phrase: amounts and what they are (cap, bound, count cap),
percentages (share or bound), and the numbered outline with its page furniture removed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.guide.draft.amounts import figures, fmt_value, percent_bounds, percents, share_base
from app.guide.draft.text import clean_lines, outline


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "对登记业务额达到50万美元（含）以上的企业，给予每个企业最高2万元",
            [("threshold", ">=", "500000", "USD"), ("cap", "", "20000", "CNY")],
        ),
        (
            "金额超过50万美元，给予每家企业不超过10万元",
            [("threshold", ">", "500000", "USD"), ("cap", "", "100000", "CNY")],
        ),
        ("超过100万美元（含）的企业", [("threshold", ">=", "1000000", "USD")]),
        (
            "达到1000万美元（含）、5000万美元（含）、1亿美元（含）以上的，分别给予不超过10万元、20万元、30万元",
            [
                ("threshold", ">=", "10000000", "USD"),
                ("threshold", ">=", "50000000", "USD"),
                ("threshold", ">=", "100000000", "USD"),
                ("cap", "", "100000", "CNY"),
                ("cap", "", "200000", "CNY"),
                ("cap", "", "300000", "CNY"),
            ],
        ),
        (
            "500（含）-1000人的给予不超过10万元",
            [
                ("threshold", ">=", "500", "count"),
                ("other", "", "1000", "count"),
                ("cap", "", "100000", "CNY"),
            ],
        ),
        (
            "每个企业不超过5个项目，每个项目不超过10万元",
            [("count_cap", "", "5", "count"), ("cap", "", "100000", "CNY")],
        ),
        ("签订一年以上劳动合同", [("threshold", ">=", "12", "month")]),
        (
            "对出口额达到1000万美元以上的企业，给予五万元奖励",
            [("threshold", ">=", "10000000", "USD"), ("cap", "", "50000", "CNY")],
        ),
        ("年保费10万元（含）以下的部分", [("other", "", "100000", "CNY")]),
        ("在2018年度取得的认证", []),
    ],
)
def test_figures_and_their_roles(sentence: str, expected: list[tuple[str, str, str, str]]) -> None:
    got = [(f.role, f.op, fmt_value(f.value), f.unit) for f in figures(sentence)]
    assert got == expected


def test_per_noun_of_a_cap() -> None:
    row, company = figures("给予每个项目不超过5万元，每家企业获得资助总额不超过10万元")
    assert (row.per, row.per_company) == ("项目", False)
    assert company.per_company
    (person, *_rest) = figures("给予500元/人的补贴")
    assert person.per == "人" and not person.per_company


@pytest.mark.parametrize(
    ("sentence", "shares", "bounds", "base"),
    [
        ("每个企业给予不超过相关费用50%的资金支持", ["50"], [], "相关费用"),
        ("根据其在支持期间内的运营及维护费用给予不超过80%的资金支持", ["80"], [], "运营及维护费用"),
        ("出口增幅超过20%的企业，再给予5万元奖励", [], [("20", ">")], ""),
        ("研发投入不低于销售收入3%的，按研发费用的30%给予补助", ["30"], [("3", ">=")], "研发费用"),
        ("按不超过50%的比例给予展位费资助", ["50"], [], "展位费"),
        ("按照企业实际开支，给予不超过10万元资金支持", [], [], "实际开支"),
        (
            "10万元以下的部分按实缴保费的80%给予支持，超过部分按60%给予支持",
            ["80", "60"],
            [],
            "实缴保费",
        ),
    ],
)
def test_percentages_share_or_bound(
    sentence: str, shares: list[str], bounds: list[tuple[str, str]], base: str
) -> None:
    assert [str(v) for v, _ in percents(sentence)] == shares
    assert [(str(v), op) for v, _, op in percent_bounds(sentence)] == bounds
    assert share_base(sentence) == base


def test_outline_nests_every_marker_kind() -> None:
    text = "\n".join(
        [
            "某某专项资金实施细则",
            "第一章 总则",
            "第一条 目的。",
            "第二章 支持内容",
            "第二条 外贸。",
            "一、出口",
            "（一）规模",
            "1. 达标",
            "（1）甲",
            "1）乙",
            "① 丙",
            "- 材料一；",
            "-- 材料二。",
        ]
    )
    ol = outline(text)
    assert [ln.text for ln in ol.preamble] == ["某某专项资金实施细则"]
    chain = []
    part = ol.parts[1]
    while True:
        chain.append((part.kind, part.marker))
        if not part.children:
            break
        part = part.children[-1]
    assert chain == [
        ("chapter", "第二章"),
        ("article", "第二条"),
        ("cn_comma", "一、"),
        ("cn_paren", "（一）"),
        ("ar_dot", "1."),
        ("ar_paren", "（1）"),
        ("ar_half", "1）"),
        ("circled", "①"),
    ]
    assert [(ln.text, ln.bullet) for ln in part.lines] == [("材料一；", True), ("材料二。", True)]


def test_page_furniture_goes_and_a_cut_sentence_is_joined() -> None:
    text = (
        "对服务贸易登记业务额达到50\n\n<http://www.example.org>\n\n- 12 -\n\n"
        "万美元（含）以上的企业，给予每个企业最高2万元的资金支持。\n"
        "示例市服务贸易专项资金申报指南\n示商〔2023〕9号\n"
    )
    lines = clean_lines(text)
    assert [ln.text for ln in lines] == [
        "对服务贸易登记业务额达到50万美元（含）以上的企业，给予每个企业最高2万元的资金支持。",
        "示例市服务贸易专项资金申报指南",
        "示商〔2023〕9号",
    ]
    assert [ln.number for ln in lines] == [1, 8, 9]  # the lines of the text as given
    assert figures(lines[0].text)[0].value == Decimal(500000)


def test_paragraphs_run_together_with_ranged_tiers() -> None:
    """A copy from a web page: chapters, articles and （一） run together on one line; tiers
    as 第一档…10-20家（含20家）; conditions in the same chapter as the items; an article with a
    bound but no cap is no item but is reported."""
    from app.guide.draft.meta import draft_guide

    text = (
        "示例市专项资金（促进外贸用途）实施细则第一章总则第一条根据示例市专项资金管理办法"
        "（示商〔2022〕141号），结合实际，制定本实施细则。第二章申请条件及支持范围第四条申请资金的"
        "单位应具备以下条件：（一）未被列入严重失信主体名单。（二）所服务对象不低于5个。第五条资金"
        "支持范围：（一）抱团开拓国际市场。按不超过实际投入金额的50%给予支持，单个项目最高不超过"
        "30万元。（二）组织企业参加展销活动，支持分为三档。第一档，组织企业数量10-20家（含20家），"
        "给予不超过10万元支持；第二档，组织企业数量21-40家（含40家），给予不超过20万元支持；第三档，"
        "组织企业数量41家以上，给予不超过30万元支持。第六条申报的项目，参展商数量需超过参展商总数"
        "的50%。"
    )
    draft = draft_guide(text)
    assert [c for c, _ in draft.conditions] == [
        "未被列入严重失信主体名单。",
        "所服务对象不低于5个。",
    ]
    fairs, groups = draft.items
    assert (fairs.number, fairs.title) == ("第五条（一）", "抱团开拓国际市场")
    assert fairs.ceiling is not None and fairs.ceiling["row_share"]["cap"] == 300000
    assert groups.ceiling is not None and groups.ceiling["kind"] == "tiers"
    assert [[int(b), int(a)] for b, a in groups.ceiling["tiers"]] == [
        [10, 100000],
        [21, 200000],
        [41, 300000],
    ]
    assert draft.meta_value("title") == "示例市专项资金（促进外贸用途）实施细则"
    assert any("第六条" in u.why for u in draft.unplaced)


def test_a_rate_per_dollar_is_a_share_of_the_dollar_figure() -> None:
    from app.guide.draft.meta import draft_guide

    draft = draft_guide(
        "二、支持内容\n（一）服务外包。对上年度服务外包离岸执行额达到100万美元（含）以上的企业，"
        "按照离岸执行额每1美元奖励0.05元人民币的标准给予支持，每家企业最高不超过50万元。\n"
    )
    (item,) = draft.items
    assert item.ceiling is not None
    assert (item.ceiling["kind"], item.ceiling["percent"], item.ceiling["cap"]) == (
        "share",
        Decimal(5),
        Decimal(500000),
    )
    measure = next(m for m in draft.measures if m.id == item.ceiling["measure"])
    assert measure.values["unit"] == "USD"
    assert [(r.op, r.value) for r in item.conditions if r.key == "measure"] == [(">=", 1000000)]
    assert draft.unplaced == []


def test_full_width_digits_and_items_that_exclude_one_another() -> None:
    from app.guide.draft.meta import draft_guide

    draft = draft_guide(
        "二、支持内容\n（一）中医药服务贸易（以下两项不得同时申报）\n"
        "1. 涉外项目。业绩收入累计超过３０万美元的，每个项目不超过５万元。\n"
        "2. 一般贸易出口。出口实绩超过３０万美元，给予不超过５万元。\n"
    )
    projects, export = draft.items
    assert projects.exclusive_with == [export.id] and export.exclusive_with == [projects.id]
    assert export.ceiling == {"kind": "fixed", "amount": Decimal(50000)}
    assert [(r.op, r.value) for r in export.conditions if r.key == "measure"] == [(">", 300000)]
