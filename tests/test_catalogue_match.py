"""Values not written exactly as the catalogues write them: a suggestion by the guide's
synonyms or by closeness, never a silent guess."""

from __future__ import annotations

import pytest

from app.entry.row_import import retry_rows, rows_from_text
from app.entry.values import ValueProblem, closest, coerce
from app.guide import Guide


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("软件开发", "软件研发服务"),  # a synonym in the guide file
        ("IT运维", "信息技术运营和维护服务"),
        ("呼叫中心", "呼叫中心服务"),  # the name without 服务
        ("工业产品设计", "工业设计服务"),  # close
        ("软件研发服务（KPO）", "软件研发服务"),  # the wrong category
    ],
)
def test_business_types_get_a_suggestion(guide: Guide, written: str, meant: str) -> None:
    spec = guide.table("contracts").column("business_type")
    with pytest.raises(ValueProblem) as caught:
        coerce(spec, written, guide)
    assert caught.value.suggestion == meant
    assert f"是否为“{meant}”？" in str(caught.value)
    assert coerce(spec, meant, guide) is not None  # the suggestion is accepted as written


def test_the_tables_own_display_form_is_accepted(guide: Guide) -> None:
    spec = guide.table("contracts").column("business_type")
    assert coerce(spec, "软件研发服务（ITO）", guide) == "software_rd"
    assert coerce(spec, "大数据服务 (kpo)", guide) == "big_data"


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("研究生", "硕士"),
        ("硕士研究生", "硕士"),
        ("大学专科", "大专"),
        ("本科生", "本科"),
        ("高中", None),
    ],
)
def test_degrees_get_a_suggestion_or_none(guide: Guide, written: str, meant: str | None) -> None:
    spec = guide.table("persons").column("degree")
    with pytest.raises(ValueProblem) as caught:
        coerce(spec, written, guide)
    assert caught.value.suggestion == meant
    assert "可选：博士、硕士、本科、大专、其他" in str(caught.value)


def test_nothing_close_means_no_suggestion() -> None:
    assert closest("餐饮", [("软件研发服务", ()), ("大数据服务", ())]) is None
    assert closest("", [("软件研发服务", ())]) is None


def test_accepting_a_suggestion_reads_only_the_rows_left_out(guide: Guide) -> None:
    table = guide.table("persons")
    text = (
        "张三\t440402199001011234\t研究生\t架构师\t2018-03-01\t36\t360000\t10\n"
        "李四\t440402199202021234\t本科\t工程师\t2018-07-01\t24\t250000\t6\n"
        "王五\t440402199303031234\t研究生\t测试\tnot a date\t24\t300000\t6\n"
    )
    got = rows_from_text(table, text, guide)
    assert [r["name"] for r in got.rows] == ["李四"]
    assert got.suggestions() == {"degree": {"研究生": "硕士"}}
    again = retry_rows(table, got, got.suggestions(), guide)
    assert [(r["name"], r["degree"]) for r in again.rows] == [("张三", "master")]
    # 王五's date is still wrong: left out again, with the accepted fix remembered.
    assert [p.line for p in again.problems] == [3] and again.fixes == {"degree": {"研究生": "硕士"}}
