"""企业信息: checked as typed with inline messages, saved without a Save button, Enter moves on."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from app.rules.company import uscc_check_char
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
    assert district.itemText(0) == "（请选择）" and district.count() == 2 + len(
        session.guide.districts
    )  # and 其他 last
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


def test_applicant_conditions_are_shown_and_confirmed(qtbot, session, tmp_path):  # type: ignore[no-untyped-def]
    """申报指南“一、申请对象和条件”: “（一）依法在我市注册登记，并从事服务贸易和服务外包相关
    业务的企业或社会团体。（二）未被列入信用中国平台失信黑名单。” Shown on the page, confirmed
    by the user, kept in the project; a blocking finding until confirmed."""
    from app.rules.findings import validate

    page = make_page(qtbot, session)
    text = page.conditions_text.text()
    assert "依法在我市注册登记" in text and "未被列入信用中国平台失信黑名单" in text
    assert "信用中国珠海网站" in text  # the document that proves the second condition
    assert not page.declaration.isChecked()
    unconfirmed = [
        f for f in validate(session.guide, session.data) if f.where == "company.declaration"
    ]
    assert len(unconfirmed) == 1 and unconfirmed[0].blocking
    assert page.focus_where("company.declaration")  # the check page's link lands here
    qtbot.waitUntil(page.declaration.hasFocus)
    qtbot.keyClick(page.declaration, Qt.Key.Key_Space)
    assert session.data.declaration_confirmed
    assert not [
        f for f in validate(session.guide, session.data) if f.where == "company.declaration"
    ]
    page.grab().save(str(tmp_path / "company.png"))
    path = session.path
    session.close()
    from widgets.session import ProjectSession

    again = ProjectSession.open(path)
    try:
        assert again.data.declaration_confirmed  # stored in the project file
    finally:
        again.close()


def test_district_other_with_a_name(qtbot, session):  # type: ignore[no-untyped-def]
    """The guide names only “各区（经济功能区）”: the list is ours, so 其他 is allowed with a name."""
    from app.rules.findings import validate

    page = make_page(qtbot, session)
    combo = page.editors["district"]
    assert isinstance(combo, QComboBox)
    names = [combo.itemText(i) for i in range(combo.count())]
    assert "保税区" in names and "高栏港经济区" in names and "万山海洋开发试验区" in names
    combo.setCurrentIndex(combo.count() - 1)  # 其他（请填写名称）
    assert page.district_other.isVisible()
    assert session.data.company.district == "其他："
    found = [f for f in validate(session.guide, session.data) if f.where == "company.district"]
    assert found and "请填写" in found[0].message
    page.district_other.setText("横琴粤澳深度合作区")
    page.district_other.editingFinished.emit()
    assert session.data.company.district == "其他：横琴粤澳深度合作区"
    assert not [f for f in validate(session.guide, session.data) if f.where == "company.district"]
    page.refresh()
    assert combo.currentIndex() == combo.count() - 1
    assert page.district_other.text() == "横琴粤澳深度合作区"
