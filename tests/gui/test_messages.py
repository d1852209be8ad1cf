"""Messages belong to what they describe: they go when that changes, and they do not move the
buttons and fields under the mouse; 添加文件 is offered only where it works."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from tests.gui.test_items_page import (
    HEADER,
    choose,
    contract_line,
    contracts,
    page,
)
from widgets import errors
from widgets.evidence.files_view import ADD_HINT, GROUP_HINT
from widgets.pages.company import CompanyPage
from widgets.pages.evidence import EvidencePage

__all__ = ["page"]


def test_a_fixed_table_loses_its_red_banner(qtbot, page, session):  # type: ignore[no-untyped-def]
    choose(qtbot, page, "outsourcing_onshore")
    table = contracts(page)
    bad = contract_line("合同乙", "在岸", "400000", "2018-02-30")
    QApplication.clipboard().setText(HEADER + "\n" + bad + "\n")
    qtbot.mouseClick(table.paste_button, Qt.MouseButton.LeftButton)
    assert table.preview is not None and "第 2 行“执行日期”" in table.preview.problems.toPlainText()
    table.preview.reject()  # nothing to add: the clerk closes the preview
    qtbot.waitUntil(lambda: table.preview is None)
    assert "请改正后重新粘贴" in table.message_text()
    table.add_row()  # the clerk types the row in by hand instead
    assert table.message_text() == ""
    QApplication.clipboard().setText(HEADER + "\n" + bad + "\n")
    table.paste()
    assert table.preview is not None
    table.preview.reject()
    qtbot.waitUntil(lambda: table.preview is None)
    assert table.message_text()
    model = table.model
    assert model.setData(model.index(0, model.column_of("name")), "合同乙")
    assert table.message_text() == ""


def test_evidence_message_goes_with_its_material_and_hints_fit_the_node(  # type: ignore[no-untyped-def]
    qtbot, session, make_scan, monkeypatch
):
    page = EvidencePage()
    qtbot.addWidget(page)
    page.set_session(session)
    page.resize(1280, 640)
    page.show()
    monkeypatch.setattr(errors, "choose_files", lambda *a, **k: [str(make_scan("执照.jpg"))])
    page.focus_where("document.business_license")
    qtbot.wait(20)
    buttons_at = page.add_button.mapTo(page, QPoint(0, 0))
    list_at = page.file_list.mapTo(page, QPoint(0, 0))
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.import_task is None, timeout=20000)
    assert "已添加 1 个文件" in page.message.text() and page.message.isVisible()
    qtbot.wait(20)
    # The message did not move the buttons or the list.
    assert page.add_button.mapTo(page, QPoint(0, 0)) == buttons_at
    assert page.file_list.mapTo(page, QPoint(0, 0)) == list_at
    page.focus_where("document.credit_record")
    assert not page.message.isVisible() and page.message.text() == ""
    assert page.file_list.hint == ADD_HINT
    # A group node: nothing to add there, and the hint says where to add instead.
    group = page.tree.topLevelItem(0)
    assert group is not None
    page.tree.setCurrentItem(group)
    assert not page.add_button.isEnabled()
    assert page.file_list.hint == GROUP_HINT and "添加文件…" not in page.file_list.hint


def test_company_messages_do_not_push_the_fields_below(qtbot, session, tmp_path: Path):  # type: ignore[no-untyped-def]
    page = CompanyPage()
    qtbot.addWidget(page)
    page.set_session(session)
    page.resize(1000, 640)
    page.show()
    email = page.editors["email"]
    before = email.mapTo(page, QPoint(0, 0))
    phone = page.editors["phone"]
    assert isinstance(phone, QLineEdit)
    qtbot.keyClicks(phone, "0756-12345")
    assert page.messages["phone"].isVisible()
    assert email.mapTo(page, QPoint(0, 0)) == before
    assert page.findChild(QLabel, "company_heading").text() == "企业信息"


def test_the_details_button_is_called_what_the_messages_call_it(qtbot, gui_app, monkeypatch):  # type: ignore[no-untyped-def]
    """Messages send the clerk to “显示详情…” (a broken guide file's errors, an export's files
    that are not originals): that is the button Qt's own Chinese text puts on the message."""
    from PySide6.QtWidgets import QMessageBox

    buttons: list[str] = []

    def shown(box: QMessageBox) -> int:
        buttons.extend(b.text() for b in box.buttons())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", shown)
    errors.inform(None, "已导出", "点“显示详情…”查看是哪些文件。", details="“甲.pdf”")
    assert any(text.replace("...", "…").startswith("显示详情…") for text in buttons), buttons
