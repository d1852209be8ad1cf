"""外币折算率: the user sees every rate and edits it; the amounts follow at once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import Qt

from widgets.rates import CODE, USED, RatesDialog


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
    assert session.data.rates["EUR"] == Decimal("1.1")
    assert not session.evaluation.items["outsourcing_offshore"].eligible
    assert dialog.table.item(row, USED).font().bold()

    dialog.table.item(row, USED).setText("abc")
    assert "不是有效的数字" in dialog.message.text()
    assert session.data.rates["EUR"] == Decimal("1.1")  # a bad entry changes nothing

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
