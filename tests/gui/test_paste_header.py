"""Issue 20.2: rows pasted with the clerk's own header row (own order, own names, extra
columns, amounts in 万美元) are matched by column name and alias; a preview shows the mapping
and the rows before anything is added; rows that cannot be read are listed and can be copied
back, never silently dropped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import save_shot
from widgets.pages.items import ItemsPage
from widgets.paste_preview import SKIP, PastePreview
from widgets.session import ProjectSession
from widgets.table_editor import TableEditor

CLERK_SHEET = "\r\n".join(
    [
        "序号\t客户名称\t合同名称\t签订日期\t合同金额（万美元）\t执行金额(美元)\t执行日期\t国别\t业务类型\t在岸/离岸\t备注",
        "1\tACME Inc.\t跨境电商平台软件开发\t2018-01-02\t46.5\t465,000.00\t2018/6/29\t美国\t软件研发服务\t离岸\t",
        "2\tBeta GmbH\t数据中心运维\t2018-02-01\t10\t4万\t2018年13月1日\t德国\t信息技术运维服务\t离岸\t日期待核",
        "3\tGamma Ltd.\t零售数据分析\t2018-03-01\t5\t50000\t20181130\t英国\t软件研发服务\t离岸\t",
    ]
)


@pytest.fixture
def table(qtbot, session: ProjectSession) -> TableEditor:  # type: ignore[no-untyped-def]
    page = ItemsPage()
    qtbot.addWidget(page)
    page.set_session(session)
    page.resize(1216, 690)
    page.show()
    qtbot.waitExposed(page)
    assert page.select_item("outsourcing_offshore")
    qtbot.mouseClick(page.select_box, Qt.MouseButton.LeftButton)
    editor = page.table_editor("contracts")
    assert editor is not None
    return editor


def paste(qtbot, table: TableEditor, text: str) -> PastePreview:  # type: ignore[no-untyped-def]
    QApplication.clipboard().setText(text)
    qtbot.mouseClick(table.paste_button, Qt.MouseButton.LeftButton)
    dialog = table.preview
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def mapped(dialog: PastePreview) -> dict[str, str]:
    return {t: b.currentText() for t, b in zip(dialog.texts, dialog.combos, strict=True)}


def test_header_paste_is_previewed_then_added_by_name(qtbot, table, session, tmp_path: Path):  # type: ignore[no-untyped-def]
    dialog = paste(qtbot, table, CLERK_SHEET)
    assert session.data.rows("contracts") == ()  # nothing before the clerk confirms
    assert mapped(dialog) == {
        "序号": SKIP,
        "客户名称": "发包方",
        "合同名称": "合同名称",
        "签订日期": SKIP,
        "合同金额（万美元）": "合同金额",
        "执行金额(美元)": "执行金额",
        "执行日期": "执行日期",
        "国别": "国家/地区",
        "业务类型": "业务类型",
        "在岸/离岸": "在岸/离岸",
        "备注": SKIP,
    }
    notes = [n.text() for n in dialog.notes]
    assert "乘以 10000" in notes[4] and "USD" in notes[4]
    assert "表格中没有这一列" in notes[0]
    # The rows as the table will show them, and the one that cannot be read, with why.
    assert dialog.rows.rowCount() == 2
    names = dialog.rows.horizontalHeaderItem(0).text(), dialog.rows.item(0, 0).text()
    assert names == ("合同名称", "跨境电商平台软件开发")
    amount = dialog.rows.item(0, table.model.column_of("contract_amount")).text()
    assert amount == "465,000.00"  # 46.5 万美元
    assert "第 3 行“执行日期”" in dialog.problems.toPlainText()
    assert "2018年13月1日" in dialog.problems.toPlainText()
    assert dialog.bottom.isVisible() and dialog.add_button.text() == "添加 2 行"
    for size in ((1366, 768), (1280, 720)):
        dialog.resize(min(dialog.width(), size[0] - 40), min(dialog.height(), size[1] - 60))
        save_shot(dialog, f"paste-preview-{size[0]}", tmp_path)

    # Leaving out a column shows what is then missing; choosing it again restores it.
    assert dialog.choose("国别", None)
    assert "“国家/地区”" in dialog.missing.text() and not dialog.missing.isHidden()
    assert dialog.choose("国别", "国家/地区")
    assert dialog.missing.isHidden()

    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(session.data.rows("contracts")) == 2)
    rows = [dict(r.values) for r in session.data.rows("contracts")]
    assert rows[0]["client"] == "ACME Inc." and rows[0]["country"] == "美国"
    assert rows[0]["contract_amount"] == Decimal(465000)
    assert rows[0]["execution_amount"] == Decimal(465000)
    assert rows[0]["execution_date"] == dt.date(2018, 6, 29)
    assert rows[0]["currency"] == "USD" and rows[0]["scope"] == "offshore"
    assert rows[1]["contract_amount"] == Decimal(50000)
    assert rows[1]["execution_date"] == dt.date(2018, 11, 30)
    message = table.message_text()
    assert "已粘贴 2 行" in message and "第 3 行“执行日期”" in message

    # The row left out is not lost: one click copies it (with the header) back for Excel.
    QApplication.clipboard().clear()
    assert table.click_action("复制未添加的 1 行")
    copied = QApplication.clipboard().text().splitlines()
    assert copied[0].startswith("序号\t客户名称") and copied[1].startswith("2\tBeta GmbH")
    session.undo_stack.undo()  # the paste is one undo step
    assert session.data.rows("contracts") == ()


def test_a_header_in_the_tables_own_words_but_a_currency_the_rows_contradict(qtbot, table, session):  # type: ignore[no-untyped-def]
    text = (
        "合同名称\t币种\t合同金额（美元）\t执行金额\n合同甲\tHKD\t100\t100\n合同乙\tUSD\t200\t200\n"
    )
    dialog = paste(qtbot, table, text)
    assert "币种“HKD”与标题“合同金额（美元）”不符" in dialog.problems.toPlainText()
    assert dialog.rows.rowCount() == 1


def test_cancelling_the_preview_adds_nothing(qtbot, table, session):  # type: ignore[no-untyped-def]
    dialog = paste(qtbot, table, CLERK_SHEET)
    dialog.reject()
    qtbot.waitUntil(lambda: table.preview is None)
    assert session.data.rows("contracts") == ()
    assert "没有添加任何行" in table.message_text()


def test_a_paste_without_a_header_is_added_by_position_without_a_preview(qtbot, table, session):  # type: ignore[no-untyped-def]
    QApplication.clipboard().setText(
        "合同甲\t某发包方\t中国\t软件研发服务\t离岸\t否\tUSD\t100\t100\t2018-06-29\n"
    )
    qtbot.mouseClick(table.paste_button, Qt.MouseButton.LeftButton)
    assert table.preview is None
    assert [r.values["execution_date"] for r in session.data.rows("contracts")] == [
        dt.date(2018, 6, 29)
    ]


def test_an_xlsx_with_a_title_above_its_header(qtbot, table, session, tmp_path: Path):  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["2018年度服务外包执行情况汇总表"])  # a merged title cell, as clerks make them
    ws.append([])
    for line in CLERK_SHEET.split("\r\n"):
        ws.append(line.split("\t"))
    path = tmp_path / "合同.xlsx"
    wb.save(path)
    table.import_xlsx(path)
    qtbot.waitUntil(lambda: table.task is None and table.preview is not None, timeout=10000)
    dialog = table.preview
    assert dialog is not None
    assert "第 1 行“2018年度服务外包执行情况汇总表”不是数据" in dialog.summary.text()
    assert mapped(dialog)["客户名称"] == "发包方"
    assert dialog.rows.rowCount() == 2
    assert "第 5 行“执行日期”" in dialog.problems.toPlainText()  # the sheet's own row number
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(session.data.rows("contracts")) == 2)
