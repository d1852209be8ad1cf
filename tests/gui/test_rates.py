"""外币折算率: the user sees every rate and edits it; the amounts follow at once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.model import Rate
from widgets.rates import CODE, DEFAULT, QUOTE, USED, RatesDialog


def _row(dialog: RatesDialog, code: str) -> int:
    return next(
        r for r in range(dialog.table.rowCount()) if dialog.table.item(r, CODE).text() == code
    )


def test_rates_are_shown_and_an_edit_changes_the_amounts(qtbot, session):  # type: ignore[no-untyped-def]
    session.set_item_selected("outsourcing_offshore", True)
    session.set_input("outsourcing_offshore", "reported_on_platform", True)
    session.add_row(
        "contracts",
        {
            "name": "欧元合同",
            "scope": "offshore",
            "currency": "EUR",
            "execution_amount": Decimal(900000),
            "execution_date": dt.date(2018, 6, 1),
        },
    )
    # 900,000 EUR at the guide's 1.1450 = 1,030,500 USD: eligible.
    assert session.evaluation.items["outsourcing_offshore"].eligible
    dialog = RatesDialog(session)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(session.guide.currencies)
    row = _row(dialog, "EUR")
    assert dialog.table.item(row, USED).text() == "1.1450"

    dialog.table.item(row, USED).setText("1.1")  # 990,000 USD: below 1,000,000
    assert session.data.rates["EUR"] == Rate(Decimal("1.1"), "usd_per")
    assert not session.evaluation.items["outsourcing_offshore"].eligible
    assert dialog.table.item(row, USED).font().bold()

    dialog.table.item(row, USED).setText("abc")
    assert "不是有效的数字" in dialog.message.text()
    assert session.data.rates["EUR"] == Rate(Decimal("1.1"), "usd_per")  # bad entry: no change

    dialog.table.selectRow(row)
    dialog.reset_selected()
    assert "EUR" not in session.data.rates
    assert session.evaluation.items["outsourcing_offshore"].eligible
    usd = dialog.table.item(_row(dialog, "USD"), USED)
    assert not usd.flags() & Qt.ItemFlag.ItemIsEditable  # USD is the unit itself


def test_the_items_page_opens_the_rates(qtbot, session, monkeypatch):  # type: ignore[no-untyped-def]
    from widgets.pages.items import ItemsPage

    page = ItemsPage()
    qtbot.addWidget(page)
    page.set_session(session)
    opened: list[RatesDialog] = []
    monkeypatch.setattr(RatesDialog, "exec", lambda self: opened.append(self) or 0)
    qtbot.mouseClick(page.rates_button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1 and opened[0].session is session


def test_rates_are_shown_as_the_table_quotes_them_and_as_defaults_to_check(qtbot, session):  # type: ignore[no-untyped-def]
    """The guide names SAFE's “2018年度末《各种货币对美元折算率表》”: the dialog writes each
    rate the way that table does and says the program's figures are defaults to check."""
    dialog = RatesDialog(session)
    qtbot.addWidget(dialog)
    cny = _row(dialog, "CNY")
    assert dialog.table.item(cny, QUOTE).text() == "1 美元 = ? 人民币"
    assert dialog.table.item(cny, USED).text() == "6.8632"
    jpy = _row(dialog, "JPY")
    assert dialog.table.item(jpy, QUOTE).text() == "100 日元 = ? 美元"
    assert "须核对" in dialog.table.horizontalHeaderItem(DEFAULT).text()
    note = dialog.findChild(QLabel, "rates_note").text()
    assert "并非官方数据" in note and "核对" in note


def test_a_currency_not_in_the_table_is_added_and_used(qtbot, session):  # type: ignore[no-untyped-def]
    """A contract in a currency the default table lacks: the user adds it with its rate and
    the packet is no longer blocked."""
    from app.rules.findings import validate

    session.set_item_selected("outsourcing_offshore", True)
    session.set_input("outsourcing_offshore", "reported_on_platform", True)
    session.add_row(
        "contracts",
        {
            "name": "泰国合同",
            "client": "客户",
            "country": "泰国",
            "business_type": "software_rd",
            "scope": "offshore",
            "currency": "THB",
            "contract_amount": Decimal(32450000),
            "execution_amount": Decimal(32450000),
            "execution_date": dt.date(2018, 6, 1),
        },
    )
    assert any(f.code == "table.currency.unknown" for f in validate(session.guide, session.data))
    dialog = RatesDialog(session)
    qtbot.addWidget(dialog)
    dialog.new_code.setText("thb")
    dialog.new_name.setText("泰铢")
    dialog.new_value.setText("32.45")  # 1 美元 = 32.45 泰铢: 32,450,000 THB = USD 1,000,000
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert session.data.rates["THB"] == Rate(Decimal("32.45"), "per_usd", 1, "泰铢")
    assert dialog.table.item(_row(dialog, "THB"), QUOTE).text() == "1 美元 = ? 泰铢"
    assert not any(
        f.code == "table.currency.unknown" for f in validate(session.guide, session.data)
    )
    assert session.evaluation.items["outsourcing_offshore"].eligible  # exactly at the bound
    dialog.new_code.setText("THB")
    dialog.new_name.setText("泰铢")
    dialog.new_value.setText("30")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "已在表中" in dialog.message.text()


def test_a_rate_finding_takes_the_user_to_the_rates_button(qtbot, session):  # type: ignore[no-untyped-def]
    from widgets.pages.items import ItemsPage

    page = ItemsPage()
    qtbot.addWidget(page)
    page.set_session(session)
    page.show()
    assert page.focus_where("rates")
    qtbot.waitUntil(page.rates_button.hasFocus)
