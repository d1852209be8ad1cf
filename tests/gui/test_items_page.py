"""The 申报项目 page and its table editor, driven through real widgets on a real project file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QDateEdit, QLineEdit

from tests.gui.conftest import save_shot
from widgets import errors
from widgets.pages.items import ItemsPage
from widgets.session import ProjectSession
from widgets.table_editor import ROW_MIME, TINT, TableEditor

HEADER = "合同名称\t发包方\t国家/地区\t业务类型\t在岸/离岸\t集团关联公司\t币种\t合同金额\t执行金额\t执行日期"


def contract_line(name: str, scope: str, amount: str, date: str) -> str:
    return f"{name}\t某发包方\t中国\t软件研发服务\t{scope}\t否\tUSD\t{amount}\t{amount}\t{date}"


@pytest.fixture
def page(qtbot, session: ProjectSession) -> ItemsPage:  # type: ignore[no-untyped-def]
    p = ItemsPage()
    qtbot.addWidget(p)
    p.set_session(session)
    p.resize(1216, 690)
    p.show()
    qtbot.waitExposed(p)
    return p


def choose(qtbot, page: ItemsPage, item_id: str) -> None:  # type: ignore[no-untyped-def]
    """Show an item and tick 申报此项目 by clicking it."""
    assert page.select_item(item_id)
    if not page.select_box.isChecked():
        qtbot.mouseClick(page.select_box, Qt.MouseButton.LeftButton)
    assert item_id in page.session.data.selected  # type: ignore[union-attr]


def contracts(page: ItemsPage) -> TableEditor:
    editor = page.table_editor("contracts")
    assert editor is not None
    return editor


def type_text(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type as a user would: ASCII as key presses, Chinese as an input method commits it."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(widget, event)


def edit_cell(qtbot, editor: TableEditor, row: int, column: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Open the cell's editor as a user would (F2) and type into it, Enter to commit."""
    col = editor.model.column_of(column)
    index = editor.model.index(row, col)
    editor.view.setCurrentIndex(index)
    editor.view.setFocus()
    qtbot.keyClick(editor.view, Qt.Key.Key_F2)
    widget = editor.view.indexWidget(index)
    assert widget is not None, "no editor opened"
    if isinstance(widget, QLineEdit):
        widget.selectAll()
        type_text(qtbot, widget, text)
    elif isinstance(widget, QComboBox):
        if widget.isEditable():
            widget.setEditText(text)
        else:
            widget.setCurrentIndex(widget.findText(text))
    elif isinstance(widget, QDateEdit):
        widget.setDate(QDate.fromString(text, "yyyy-MM-dd"))
    qtbot.keyClick(widget, Qt.Key.Key_Return)
    # The delegate commits and closes on Return through a queued call.
    qtbot.waitUntil(lambda: editor.view.indexWidget(index) is None)


def confirm_preview(qtbot, table: TableEditor) -> None:  # type: ignore[no-untyped-def]
    """Rows with a header row wait in a preview: press its 添加 button as the clerk does."""
    qtbot.waitUntil(lambda: table.preview is not None)
    dialog = table.preview
    assert dialog is not None
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: table.preview is None)


def row_values(session: ProjectSession, table: str) -> list[dict[str, object]]:
    return [dict(r.values) for r in session.data.rows(table)]


# -- the list and selection ------------------------------------------------------------------------
def test_lists_the_guides_items_in_order_and_selects_by_clicking(qtbot, page, session):  # type: ignore[no-untyped-def]
    titles = [page.tree.topLevelItem(n).text(0) for n in range(page.tree.topLevelItemCount())]
    assert titles == [f"{it.number} {it.title}" for it in session.guide.items]
    assert len(titles) == 13

    page.select_item("technology_trade")
    item = session.guide.item("technology_trade")
    assert page.item_title.text() == item.full_title
    assert page.item_summary.text() == item.summary
    assert not page.detail_split.isVisible()  # inputs only once selected

    qtbot.mouseClick(page.select_box, Qt.MouseButton.LeftButton)
    assert session.data.selected == ("technology_trade",)
    assert page.detail_split.isVisible()
    assert "input_funding_level" in {r.editor.objectName() for r in page.inputs.values()}
    node = page._node("technology_trade")
    assert node.checkState(0) == Qt.CheckState.Checked
    assert node.text(1).strip() == "不符合"

    # The list's own checkbox, from the keyboard: Space toggles the current item.
    page.select_item("service_trade_statistics")
    page.tree.setFocus()
    qtbot.keyClick(page.tree, Qt.Key.Key_Space)
    assert session.data.selected == ("service_trade_statistics", "technology_trade")
    assert page.select_box.isChecked()

    qtbot.mouseClick(page.select_box, Qt.MouseButton.LeftButton)
    assert session.data.selected == ("technology_trade",)
    session.undo_stack.undo()
    assert session.data.selected == ("service_trade_statistics", "technology_trade")
    qtbot.waitUntil(lambda: page.select_box.isChecked())


def test_typed_figures_update_eligibility_and_amounts_live(qtbot, page, session):  # type: ignore[no-untyped-def]
    choose(qtbot, page, "service_trade_statistics")
    assert "暂不符合" in page.status_label.text()

    qtbot.mouseClick(page.inputs["reported_on_platform"].editor, Qt.MouseButton.LeftButton)
    assert session.data.item_inputs("service_trade_statistics")["reported_on_platform"] is True

    amount = page.inputs["registered_amount"]
    assert isinstance(amount.editor, QLineEdit)
    assert amount.currency is not None  # the currency combo beside the amount
    assert amount.currency.currentData() == "USD"

    type_text(qtbot, amount.editor, "12万x")
    assert amount.message.isVisible()
    assert "不是有效的数字" in amount.message.text()
    qtbot.keyClick(amount.editor, Qt.Key.Key_Return)
    assert "registered_amount" not in session.data.item_inputs("service_trade_statistics")

    amount.editor.clear()
    qtbot.keyClicks(amount.editor, "499,999.99")
    assert not amount.message.isVisible()
    qtbot.keyClick(amount.editor, Qt.Key.Key_Return)
    assert session.data.item_inputs("service_trade_statistics")["registered_amount"] == Decimal(
        "499999.99"
    )
    qtbot.waitUntil(lambda: "未达到50万美元" in page.reasons_label.text())
    assert "暂不符合" in page.status_label.text()

    amount.editor.clear()
    type_text(qtbot, amount.editor, "50万")  # typed, saved after a pause without Enter
    qtbot.waitUntil(lambda: "✔ 符合申报条件" in page.status_label.text())
    assert "20,000.00" in page.ceiling_label.text()
    assert "20,000.00" in page.total_label.text()
    assert page._node("service_trade_statistics").text(2) == "20,000.00"

    # Another currency: 500,000 HKD is far below 500,000 USD.
    hkd = amount.currency.findData("HKD")
    amount.currency.setCurrentIndex(hkd)
    amount.currency.activated.emit(hkd)
    assert session.data.item_inputs("service_trade_statistics")["registered_currency"] == "HKD"
    qtbot.waitUntil(lambda: "暂不符合" in page.status_label.text())
    assert "0.00" in page.total_label.text()


def test_requested_amount_empty_means_ceiling_and_is_clamped(qtbot, page, session):  # type: ignore[no-untyped-def]
    choose(qtbot, page, "service_trade_statistics")
    session.set_input("service_trade_statistics", "reported_on_platform", True)
    session.set_input("service_trade_statistics", "registered_amount", Decimal(600000))
    qtbot.waitUntil(lambda: "20,000.00" in page.ceiling_label.text())
    assert "按支持上限申请" in page.requested_note.text()

    qtbot.keyClicks(page.requested_edit, "15000")
    qtbot.keyClick(page.requested_edit, Qt.Key.Key_Return)
    assert session.data.requested["service_trade_statistics"] == Decimal(15000)
    qtbot.waitUntil(lambda: "15,000.00" in page.total_label.text())

    page.requested_edit.clear()
    qtbot.keyClicks(page.requested_edit, "30000")
    qtbot.keyClick(page.requested_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "超过支持上限" in page.requested_note.text())
    assert session.evaluation.items["service_trade_statistics"].requested_cny == Decimal(20000)

    page.requested_edit.clear()
    qtbot.keyClicks(page.requested_edit, "abc")
    assert "不是有效的数字" in page.requested_note.text()
    qtbot.keyClick(page.requested_edit, Qt.Key.Key_Return)
    assert session.data.requested["service_trade_statistics"] == Decimal(30000)

    page.requested_edit.clear()
    qtbot.keyClick(page.requested_edit, Qt.Key.Key_Return)
    assert "service_trade_statistics" not in session.data.requested


def test_onshore_contracts_typed_into_the_table(qtbot, page, session):  # type: ignore[no-untyped-def]
    choose(qtbot, page, "outsourcing_onshore")
    qtbot.mouseClick(page.inputs["reported_on_platform"].editor, Qt.MouseButton.LeftButton)
    table = contracts(page)
    qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    assert table.model.rowCount() == 1
    assert row_values(session, "contracts") == [{"affiliated": False, "currency": "USD"}]

    edit_cell(qtbot, table, 0, "name", "软件外包合同")
    edit_cell(qtbot, table, 0, "scope", "在岸")
    edit_cell(qtbot, table, 0, "execution_date", "2018-06-30")
    edit_cell(qtbot, table, 0, "execution_amount", "1,000,000")
    values = row_values(session, "contracts")[0]
    assert values["name"] == "软件外包合同"
    assert values["scope"] == "onshore"
    assert values["execution_date"] == dt.date(2018, 6, 30)
    assert values["execution_amount"] == Decimal(1000000)
    qtbot.waitUntil(lambda: "✔ 符合申报条件" in page.status_label.text())
    assert "50,000.00" in page.ceiling_label.text()
    assert "50,000.00" in page.total_label.text()
    # Money is shown right-aligned with thousands separators.
    index = table.model.index(0, table.model.column_of("execution_amount"))
    assert index.data() == "1,000,000.00"
    assert index.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight

    edit_cell(qtbot, table, 0, "execution_amount", "999999.99")
    qtbot.waitUntil(lambda: "暂不符合" in page.status_label.text())
    assert "999,999.99 美元，未达到100万美元" in page.reasons_label.text()
    assert page._node("outsourcing_onshore").text(1).strip() == "不符合"

    # A bad number is refused with a message above the table; nothing stored.
    edit_cell(qtbot, table, 0, "execution_amount", "一百万")
    assert "第 1 行“执行金额”" in table.message_text()
    assert row_values(session, "contracts")[0]["execution_amount"] == Decimal("999999.99")

    # The bool column is a checkbox.
    affiliated = table.model.index(0, table.model.column_of("affiliated"))
    assert table.model.setData(affiliated, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert row_values(session, "contracts")[0]["affiliated"] is True


def test_contracts_table_is_shared_by_onshore_and_offshore(qtbot, page, session):  # type: ignore[no-untyped-def]
    choose(qtbot, page, "outsourcing_onshore")
    first = contracts(page)
    qtbot.mouseClick(first.add_button, Qt.MouseButton.LeftButton)
    choose(qtbot, page, "outsourcing_offshore")
    assert contracts(page) is first
    assert "共用" in page.table_title.text()
    assert first.model.rowCount() == 1
    assert len(session.data.rows("contracts")) == 1


# -- paste and import --------------------------------------------------------------------------------
def test_paste_three_rows_with_one_bad_date(qtbot, page, session):  # type: ignore[no-untyped-def]
    choose(qtbot, page, "outsourcing_onshore")
    table = contracts(page)
    text = "\n".join(
        [
            HEADER,
            contract_line("合同甲", "在岸", "600,000", "2018-03-01"),
            contract_line("合同乙", "在岸", "400000", "2018-02-30"),
            contract_line("合同丙", "离岸", "1200000", "2018/11/5"),
        ]
    )
    QApplication.clipboard().setText(text + "\r\n")
    table.view.setFocus()
    qtbot.keyClick(table.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert session.data.rows("contracts") == ()  # a header row: previewed first
    confirm_preview(qtbot, table)

    rows = row_values(session, "contracts")
    assert [r["name"] for r in rows] == ["合同甲", "合同丙"]
    assert rows[1]["scope"] == "offshore"
    assert rows[1]["execution_date"] == dt.date(2018, 11, 5)
    assert rows[0]["execution_amount"] == Decimal(600000)
    assert rows[0]["business_type"] == "software_rd"
    message = table.message_text()
    assert "已粘贴 2 行（已跳过标题行）" in message
    assert "第 3 行“执行日期”" in message and "2018-02-30" in message

    # One undo step for the whole paste.
    session.undo_stack.undo()
    assert session.data.rows("contracts") == ()
    qtbot.waitUntil(lambda: table.model.rowCount() == 0)
    session.undo_stack.redo()
    assert [r["name"] for r in row_values(session, "contracts")] == ["合同甲", "合同丙"]
    qtbot.waitUntil(lambda: table.model.rowCount() == 2)


def test_paste_without_header_maps_by_position(qtbot, page, session):  # type: ignore[no-untyped-def]
    choose(qtbot, page, "export_credit_insurance")
    table = page.table_editor("policies")
    assert table is not None
    QApplication.clipboard().setText(
        "SCJ-1\t中国信保\t软件出口\t2018全年\t12,345.6\t2018-04-01\n"
        "SCJ-2\t中国信保\t数据服务\t\t1万\t2018年9月1日\n"
        "SCJ-3\t中国信保\t多余\t\t100\t2018-01-01\t多出来的列\n"
    )
    qtbot.mouseClick(table.paste_button, Qt.MouseButton.LeftButton)
    rows = row_values(session, "policies")
    assert [r["policy_no"] for r in rows] == ["SCJ-1", "SCJ-2"]
    assert rows[0]["premium"] == Decimal("12345.6")
    assert rows[1]["premium"] == Decimal(10000)
    assert "period" not in rows[1]
    assert rows[1]["paid_date"] == dt.date(2018, 9, 1)
    assert "第 3 行" in table.message_text() and "多出的第 7 列" in table.message_text()
    qtbot.waitUntil(lambda: "22,345.60" in page.basis_label.text())


def test_import_rows_from_xlsx(qtbot, page, session, tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    choose(qtbot, page, "talent_introduction")
    table = page.table_editor("persons")
    assert table is not None
    wb = Workbook()
    ws = wb.active
    ws.title = "人才"
    # Header written with spaces and full-width/half-width differences, columns out of order.
    ws.append(
        [
            "姓 名",
            "年薪(元)",
            "入职日期",
            "学历",
            "劳动合同期限（月）",
            "身份证件号码",
            "岗位",
            "个税缴纳月数",
        ]
    )
    ws.append(
        ["张三", 360000, dt.datetime(2018, 3, 1), "硕士", 36, "440402199001011234", "架构师", 10]
    )
    ws.append(["李四", "25万", "2018-07-01", "本科", 24, "440402199202021234", "工程师", 6])
    ws.append(["王五", 300000, "not a date", "本科", 24, "x", "测试", 6])
    # An 18-digit number typed into a number-formatted cell: Excel has already changed it.
    ws.append(["赵六", 300000, "2018-07-01", "本科", 24, 440402199303031234, "测试", 6])
    ws.append([None, None, None])
    path = tmp_path / "人才名单.xlsx"
    wb.save(path)

    monkeypatch.setattr(errors, "choose_open_file", lambda *a, **k: str(path))
    qtbot.mouseClick(table.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: table.task is None and table.preview is not None, timeout=10000)
    confirm_preview(qtbot, table)
    qtbot.waitUntil(lambda: table.model.rowCount() == 2)
    rows = row_values(session, "persons")
    assert [r["name"] for r in rows] == ["张三", "李四"]
    assert rows[0]["hire_date"] == dt.date(2018, 3, 1)
    assert rows[0]["annual_salary"] == Decimal(360000)
    assert rows[0]["degree"] == "master"
    assert rows[1]["annual_salary"] == Decimal(250000)
    assert rows[1]["id_number"] == "440402199202021234"
    assert rows[1]["contract_months"] == 24
    message = table.message_text()
    assert "已从Excel导入 2 行" in message
    assert "第 4 行“入职日期”" in message
    assert "第 5 行“身份证件号码”" in message and "文本" in message
    assert session.undo_stack.undoText().startswith("从Excel导入")
    session.undo_stack.undo()
    assert session.data.rows("persons") == ()


def test_import_xlsx_positional_and_damaged_file(qtbot, page, session, tmp_path: Path):  # type: ignore[no-untyped-def]
    choose(qtbot, page, "public_service_center")
    table = page.table_editor("costs")
    assert table is not None
    wb = Workbook()
    ws = wb.active
    center = "珠海市服务外包信息中心"
    ws.append([center, "设备购置", "服务器一台", "PZ-001", dt.date(2018, 5, 6), 88000.5])
    ws.append([center, "场地租赁", "全年租金", None, "2018-01-31", "120,000"])
    path = tmp_path / "费用.xlsx"
    wb.save(path)
    table.import_xlsx(path)
    qtbot.waitUntil(lambda: table.task is None, timeout=10000)
    rows = row_values(session, "costs")
    assert [r["category"] for r in rows] == ["equipment", "venue"]
    assert [r["center"] for r in rows] == ["info_center", "info_center"]
    assert rows[0]["amount"] == Decimal("88000.5")
    assert "voucher_no" not in rows[1]

    broken = tmp_path / "坏文件.xlsx"
    broken.write_bytes(b"this is not a zip file")
    table.import_xlsx(broken)
    qtbot.waitUntil(lambda: table.task is None, timeout=10000)
    assert "坏文件.xlsx" in table.message_text()
    assert "另存为 .xlsx" in table.message_text()
    assert len(session.data.rows("costs")) == 2


# -- undo / redo, keyboard, order ----------------------------------------------------------------------
def test_undo_redo_of_add_edit_delete_and_keys(qtbot, page, session):  # type: ignore[no-untyped-def]
    choose(qtbot, page, "tcm_projects")
    table = page.table_editor("tcm_projects")
    assert table is not None
    table.view.setFocus()
    qtbot.keyClick(table.view, Qt.Key.Key_Insert)
    qtbot.keyClick(table.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert table.model.rowCount() == 2
    ids = [r.id for r in session.data.rows("tcm_projects")]
    edit_cell(qtbot, table, 0, "name", "针灸培训")
    edit_cell(qtbot, table, 1, "name", "海外诊所")
    assert [r["name"] for r in row_values(session, "tcm_projects")] == ["针灸培训", "海外诊所"]

    session.undo_stack.undo()  # the second name
    assert "name" not in row_values(session, "tcm_projects")[1]
    session.undo_stack.redo()
    assert row_values(session, "tcm_projects")[1]["name"] == "海外诊所"

    # Delete key on the selected row; undo restores the same row (same id) in place.
    table.select_cell(0, "name")
    qtbot.keyClick(table.view, Qt.Key.Key_Delete)
    assert [r.id for r in session.data.rows("tcm_projects")] == ids[1:]
    assert "已删除 1 行" in table.message_text()
    session.undo_stack.undo()
    assert [r.id for r in session.data.rows("tcm_projects")] == ids
    qtbot.waitUntil(lambda: table.model.rowCount() == 2)

    # Alt+Down moves the current row; undo moves it back.
    table.select_cell(0, "name")
    qtbot.keyClick(table.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [r.id for r in session.data.rows("tcm_projects")] == [ids[1], ids[0]]
    assert table.current_row() == 1
    session.undo_stack.undo()
    assert [r.id for r in session.data.rows("tcm_projects")] == ids

    # Both rows selected, deleted in one undo step.
    table.view.selectAll()
    qtbot.mouseClick(table.delete_button, Qt.MouseButton.LeftButton)
    assert session.data.rows("tcm_projects") == ()
    session.undo_stack.undo()
    assert [r.id for r in session.data.rows("tcm_projects")] == ids
    session.undo_stack.undo()  # the second name again, then the first
    session.undo_stack.undo()
    session.undo_stack.undo()  # the two added rows
    session.undo_stack.undo()
    assert session.data.rows("tcm_projects") == ()


def test_drag_and_drop_reorders_rows(qtbot, page, session):  # type: ignore[no-untyped-def]
    choose(qtbot, page, "tcm_projects")
    table = page.table_editor("tcm_projects")
    assert table is not None
    ids = session.add_rows("tcm_projects", [{"name": n} for n in ("甲", "乙", "丙")])
    table.reload()
    model = table.model
    mime = model.mimeData([model.index(0, 0), model.index(0, 1)])
    assert mime.hasFormat(ROW_MIME)
    assert model.canDropMimeData(mime, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    model.dropMimeData(mime, Qt.DropAction.MoveAction, 3, 0, QModelIndex())  # to the end
    assert [r.id for r in session.data.rows("tcm_projects")] == [ids[1], ids[2], ids[0]]
    assert [model.index(n, 0).data() for n in range(3)] == ["乙", "丙", "甲"]
    session.undo_stack.undo()
    assert [r.id for r in session.data.rows("tcm_projects")] == ids


def test_rows_that_do_not_count_are_tinted_with_the_reason(qtbot, page, session):  # type: ignore[no-untyped-def]
    choose(qtbot, page, "international_certification")
    table = page.table_editor("certifications")
    assert table is not None
    session.add_rows(
        "certifications",
        [
            {"name": "CMMI", "obtained_date": dt.date(2018, 5, 1), "cost": Decimal(80000)},
            {"name": "ISO 27001", "obtained_date": dt.date(2017, 5, 1), "cost": Decimal(50000)},
        ],
    )
    qtbot.waitUntil(lambda: table.model.rowCount() == 2)
    good, bad = table.model.index(0, 0), table.model.index(1, 2)
    assert good.data(Qt.ItemDataRole.BackgroundRole) is None
    assert bad.data(Qt.ItemDataRole.BackgroundRole) == TINT
    assert "不在2018年1月1日至12月31日" in bad.data(Qt.ItemDataRole.ToolTipRole)
    # Certification names: an editable list (other names can be typed).
    edit_cell(qtbot, table, 1, "name", "ISO 20000")
    assert row_values(session, "certifications")[1]["name"] == "ISO 20000"
    header = table.model.headerData(0, Qt.Orientation.Horizontal)
    assert header == "认证名称 *"


def test_model_passes_qtmodeltester(qtmodeltester, session):  # type: ignore[no-untyped-def]
    from widgets.table_editor import RowsModel

    session.add_rows(
        "contracts",
        [
            {"name": "A", "affiliated": True, "execution_amount": Decimal("1.5")},
            {"name": "B", "execution_date": dt.date(2018, 1, 2), "scope": "onshore"},
        ],
    )
    model = RowsModel(session, "contracts")
    qtmodeltester.check(model, force_py=True)
    session.add_row("contracts", {"name": "C"})
    model.reload()
    assert model.rowCount() == 3


# -- findings, persistence, looks ---------------------------------------------------------------------
def test_focus_where(qtbot, page, session):  # type: ignore[no-untyped-def]
    choose(qtbot, page, "outsourcing_offshore")
    row_id = session.add_row("contracts", {"name": "X"})
    qtbot.waitUntil(lambda: contracts(page).model.rowCount() == 1)
    page.select_item("service_trade_statistics")

    assert page.focus_where("table.contracts." + row_id + ".execution_amount")
    assert page.current_item_id() == "outsourcing_offshore"
    table = contracts(page)
    assert table.view.currentIndex().column() == table.model.column_of("execution_amount")
    assert table.view.currentIndex().row() == 0

    assert page.focus_where("item.service_trade_statistics")
    assert page.current_item_id() == "service_trade_statistics"
    assert page.focus_where("item.outsourcing_offshore.platform_amount_usd")
    qtbot.waitUntil(lambda: page.inputs["platform_amount_usd"].editor.hasFocus())
    assert page.focus_where("items")
    assert not page.focus_where("company.name")
    assert not page.focus_where("table.nonexistent")


def test_data_survives_closing_and_reopening(qtbot, page, session, tmp_path):  # type: ignore[no-untyped-def]
    choose(qtbot, page, "outsourcing_onshore")
    qtbot.mouseClick(page.inputs["reported_on_platform"].editor, Qt.MouseButton.LeftButton)
    QApplication.clipboard().setText(contract_line("长期合同", "在岸", "5,000,000", "2018-12-31"))
    contracts(page).paste()
    qtbot.waitUntil(lambda: "100,000.00" in page.total_label.text())
    path = session.path
    page.set_session(None)
    session.close()

    reopened = ProjectSession.open(path)
    try:
        again = ItemsPage()
        qtbot.addWidget(again)
        again.set_session(reopened)
        assert reopened.data.selected == ("outsourcing_onshore",)
        assert "100,000.00" in again.total_label.text()
        again.select_item("outsourcing_onshore")
        assert again.inputs["reported_on_platform"].editor.isChecked()  # type: ignore[union-attr]
        table = again.table_editor("contracts")
        assert table is not None and table.model.rowCount() == 1
        assert table.model.index(0, 0).data() == "长期合同"
    finally:
        again.set_session(None)
        reopened.close()


def test_screenshot(qtbot, page, session):  # type: ignore[no-untyped-def]
    choose(qtbot, page, "service_trade_statistics")
    choose(qtbot, page, "outsourcing_onshore")
    session.set_input("outsourcing_onshore", "reported_on_platform", True)
    session.add_rows(
        "contracts",
        [
            {
                "name": "软件外包合同（一期）",
                "client": "香港某科技有限公司",
                "country": "中国香港",
                "business_type": "software_rd",
                "scope": "onshore",
                "affiliated": False,
                "currency": "USD",
                "contract_amount": Decimal(1500000),
                "execution_amount": Decimal(1200000),
                "execution_date": dt.date(2018, 9, 30),
            }
        ],
    )
    qtbot.waitUntil(lambda: "50,000.00" in page.ceiling_label.text())
    save_shot(page, "items")


def test_deleting_rows_with_attached_files_asks_first(qtbot, page, session, make_scan, monkeypatch):  # type: ignore[no-untyped-def]
    from app.intake import import_file

    choose(qtbot, page, "talent_introduction")
    editor = page.table_editor("persons")
    assert editor is not None
    rid = session.add_row("persons", {"name": "张三"})
    session.attach("ti_labour_contract", rid, [import_file(make_scan("合同.jpg"))])
    qtbot.waitUntil(lambda: editor.model.rowCount() == 1)
    answers: list[bool] = [False]
    asked: list[str] = []
    monkeypatch.setattr(
        errors, "ask", lambda parent, title, text: asked.append(text) or answers[-1]
    )
    editor.select_cell(0, 0)
    assert editor.delete_selected() == 0  # the user said no: nothing deleted
    assert "1 个证明文件" in asked[0]
    assert len(session.data.rows("persons")) == 1 and len(session.data.evidence) == 1

    answers.append(True)
    editor.select_cell(0, 0)
    assert editor.delete_selected() == 1
    assert session.data.rows("persons") == () and session.data.evidence == ()
    session.undo_stack.undo()
    assert len(session.data.rows("persons")) == 1 and len(session.data.evidence) == 1


def test_items_of_the_same_type_are_flagged_live(qtbot, page, session):  # type: ignore[no-untyped-def]
    choose(qtbot, page, "tcm_projects")
    assert "同一类型" not in page.reasons_label.text()
    choose(qtbot, page, "tcm_general_export")
    qtbot.waitUntil(lambda: "同一类型项目" in page.reasons_label.text())
    assert "中医药服务贸易项目" in page.reasons_label.text()
    page.select_item("tcm_projects")
    assert "中医药一般贸易出口" in page.reasons_label.text()
    qtbot.mouseClick(page.select_box, Qt.MouseButton.LeftButton)  # untick 中医药服务贸易项目
    page.select_item("tcm_general_export")
    qtbot.waitUntil(lambda: "同一类型" not in page.reasons_label.text())


def test_paste_rows_in_a_currency_the_user_added(qtbot, page, session):  # type: ignore[no-untyped-def]
    """A currency added with its rate (外币折算率) is accepted when rows are pasted."""
    from app.model import Rate

    choose(qtbot, page, "tcm_projects")
    table = page.table_editor("tcm_projects")
    assert table is not None
    line = "泰国中医诊疗\t涉外医疗\t曼谷某医院\t泰国\tTHB\t12,000,000\t2018-06-30\n"
    QApplication.clipboard().setText(line)
    qtbot.mouseClick(table.paste_button, Qt.MouseButton.LeftButton)
    assert row_values(session, "tcm_projects") == []
    assert "THB" in table.message_text()
    session.set_rate("THB", Rate(Decimal("32.45"), "per_usd", 1, "泰铢"))
    qtbot.mouseClick(table.paste_button, Qt.MouseButton.LeftButton)
    [values] = row_values(session, "tcm_projects")
    assert values["currency"] == "THB" and values["revenue"] == Decimal(12000000)
