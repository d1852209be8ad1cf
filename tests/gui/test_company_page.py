"""企业信息: checked as typed with inline messages, saved without a Save button, Enter moves on."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from app.company import uscc_check_char
from widgets.pages.company import CompanyPage

VALID = "91440400MA4UXXXX0" + uscc_check_char("91440400MA4UXXXX0")


def make_page(qtbot, session) -> CompanyPage:  # type: ignore[no-untyped-def]
    page = CompanyPage()
    qtbot.addWidget(page)
    page.set_session(session)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_credit_code_is_checked_as_typed_and_saved(qtbot, session):  # type: ignore[no-untyped-def]
    page = make_page(qtbot, session)
    code = page.editors["credit_code"]
    message = page.messages["credit_code"]
    assert isinstance(code, QLineEdit)
    qtbot.keyClicks(code, "91440400")
    assert not message.isVisible()  # no nagging while the user is still typing
    qtbot.keyClicks(code, "MA4UXXXX0Z")
    assert message.isVisible() and "不允许的字符" in message.text()
    code.clear()
    wrong = VALID[:-1] + ("0" if VALID[-1] != "0" else "1")
    qtbot.keyClicks(code, wrong.lower())  # lower case is folded to upper
    assert message.isVisible() and "校验位" in message.text()
    code.clear()
    qtbot.keyClicks(code, VALID)
    assert not message.isVisible()
    qtbot.waitUntil(lambda: session.data.company.credit_code == VALID)  # saved after a pause


def test_name_with_forbidden_characters_warns_about_the_file_name(qtbot, session):  # type: ignore[no-untyped-def]
    page = make_page(qtbot, session)
    name = page.editors["name"]
    assert isinstance(name, QLineEdit)
    name.setText("珠海/某某:科技有限公司")
    name.textEdited.emit(name.text())
    message = page.messages["name"]
    assert message.isVisible() and "珠海／某某：科技有限公司.xlsx" in message.text()
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert session.data.company.name == "珠海/某某:科技有限公司"


def test_enter_moves_to_the_next_field_and_district_saves(qtbot, session):  # type: ignore[no-untyped-def]
    page = make_page(qtbot, session)
    name = page.editors["name"]
    name.setFocus()
    qtbot.waitUntil(name.hasFocus)
    qtbot.keyClicks(name, "ABC")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is page.editors["credit_code"]
    assert session.data.company.name == "ABC"
    district = page.editors["district"]
    assert isinstance(district, QComboBox)
    assert district.itemText(0) == "（请选择）" and district.count() == 1 + len(
        session.guide.districts
    )
    district.setCurrentIndex(district.findText("斗门区"))
    assert session.data.company.district == "斗门区"


def test_values_come_back_after_reopening(qtbot, session, tmp_path):  # type: ignore[no-untyped-def]
    from widgets.session import ProjectSession

    page = make_page(qtbot, session)
    phone = page.editors["phone"]
    assert isinstance(phone, QLineEdit)
    qtbot.keyClicks(phone, "0756-7654321")
    qtbot.keyClick(phone, Qt.Key.Key_Tab)
    path = session.path
    page.set_session(None)
    session.close()
    again = ProjectSession.open(path)
    try:
        page.set_session(again)
        assert page.editors["phone"].text() == "0756-7654321"  # type: ignore[union-attr]
    finally:
        page.set_session(None)
        again.close()
