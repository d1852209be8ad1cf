"""Pasting or importing rows a table already holds: nothing doubles silently. A re-paste after
fixing rows in Excel offers to replace the earlier paste (one undo step), to add only the new
rows, or to add everything; the same file attached twice is reported."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.test_items_page import (
    HEADER,
    choose,
    confirm_preview,
    contract_line,
    contracts,
    page,
    row_values,
)

__all__ = ["page"]  # the fixture


def paste(qtbot, table, lines: list[str]) -> None:  # type: ignore[no-untyped-def]
    QApplication.clipboard().setText("\n".join([HEADER, *lines]) + "\r\n")
    qtbot.mouseClick(table.paste_button, Qt.MouseButton.LeftButton)
    confirm_preview(qtbot, table)


def test_repaste_after_fixing_offers_to_replace_the_earlier_paste(qtbot, page, session):  # type: ignore[no-untyped-def]
    choose(qtbot, page, "outsourcing_onshore")
    table = contracts(page)
    good_a = contract_line("合同甲", "在岸", "1,100,000", "2018-03-01")
    good_b = contract_line("合同乙", "在岸", "600000", "2018-04-01")
    paste(qtbot, table, [good_a, contract_line("合同丙", "在岸", "500000", "2018-02-30"), good_b])
    assert [r["name"] for r in row_values(session, "contracts")] == ["合同甲", "合同乙"]
    assert "请改正后重新粘贴" in table.message_text()

    # The clerk fixes the date in Excel and pastes the whole block again.
    fixed_c = contract_line("合同丙", "在岸", "500000", "2018-02-28")
    paste(qtbot, table, [good_a, fixed_c, good_b])
    assert len(session.data.rows("contracts")) == 2  # nothing added yet
    message = table.message_text()
    assert "有 2 行与表中已有的行或彼此重复" in message and "“合同甲”" in message
    labels = table.action_labels()
    assert labels[:3] == ["替换上次粘贴的 2 行", "只添加不重复的 1 行", "仍全部添加"]

    assert table.click_action("替换上次粘贴")
    rows = row_values(session, "contracts")
    assert sorted(r["name"] for r in rows) == ["合同丙", "合同乙", "合同甲"]
    total = sum(r["execution_amount"] for r in rows)
    assert total == Decimal(2_200_000)
    assert "已删除上次添加的 2 行" in table.message_text()
    assert table.action_labels() == []
    # Replacing is one undo step: undo brings back the first paste exactly.
    session.undo_stack.undo()
    assert sorted(r["name"] for r in row_values(session, "contracts")) == ["合同乙", "合同甲"]


def test_repaste_can_add_only_the_new_rows_or_everything(qtbot, page, session):  # type: ignore[no-untyped-def]
    choose(qtbot, page, "outsourcing_onshore")
    table = contracts(page)
    a = contract_line("合同甲", "在岸", "100", "2018-03-01")
    paste(qtbot, table, [a])
    table.add_row()  # a row typed by hand in between: the earlier paste is still replaceable
    paste(qtbot, table, [a, contract_line("合同乙", "在岸", "200", "2018-03-02")])
    assert table.click_action("只添加不重复的 1 行")
    assert [r.get("name") for r in row_values(session, "contracts")] == ["合同甲", None, "合同乙"]
    assert "1 行与表中已有的行重复，未添加" in table.message_text()

    paste(qtbot, table, [a, a])  # twice within one paste as well
    assert "有 2 行" in table.message_text()
    assert not any(x.startswith("只添加") for x in table.action_labels())  # nothing is new
    assert table.click_action("仍全部添加")
    assert [r.get("name") for r in row_values(session, "contracts")].count("合同甲") == 3
    paste(qtbot, table, [a])
    assert table.click_action("取消")
    assert [r.get("name") for r in row_values(session, "contracts")].count("合同甲") == 3
    assert table.message_text() == ""


def test_one_click_accepts_the_suggested_business_type_for_the_column(qtbot, page, session):  # type: ignore[no-untyped-def]
    choose(qtbot, page, "outsourcing_onshore")
    table = contracts(page)
    line = contract_line("合同甲", "在岸", "100", "2018-03-01")
    lines = [
        line.replace("软件研发服务", "软件开发"),
        contract_line("合同乙", "在岸", "200", "2018-03-02").replace("软件研发服务", "软件开发"),
        contract_line("合同丙", "在岸", "300", "2018-03-03"),
    ]
    paste(qtbot, table, lines)
    assert [r["name"] for r in row_values(session, "contracts")] == ["合同丙"]
    assert "是否为“软件研发服务”？" in table.message_text()
    assert table.click_action("“业务类型”列按建议修改并添加")
    rows = row_values(session, "contracts")
    assert [(r["name"], r["business_type"]) for r in rows] == [
        ("合同丙", "software_rd"),
        ("合同甲", "software_rd"),
        ("合同乙", "software_rd"),
    ]
    assert "已粘贴 2 行" in table.message_text()
