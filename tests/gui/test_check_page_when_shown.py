"""The 检查 page lists the findings of the project as it is when the page is shown: changes made
on other pages are not listed (nor worked out) while it is hidden, and show when it is; changes
made while it is shown show at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt

from app.guide import DEFAULT_GUIDE_ID
from tests.gui.opening import open_and_wait
from widgets.main_window import MainWindow
from widgets.pages.check import WHERE_ROLE
from widgets.session import ProjectSession

CHECK, COMPANY = 4, 1


def _listed(window: MainWindow) -> list[str]:
    tree = window.check_page.tree
    out = []
    for g in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(g)
        out += [str(group.child(i).data(0, WHERE_ROLE)) for i in range(group.childCount())]
    return out


def test_findings_are_listed_when_the_page_is_shown(qtbot, gui_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "甲公司.sbproj"
    ProjectSession.create(path, DEFAULT_GUIDE_ID).close()
    window = MainWindow(today=dt.date(2019, 2, 1))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    open_and_wait(window, path)
    assert window.session is not None
    window.go(CHECK)
    assert "company.credit_code" in _listed(window)  # not filled in yet
    shown = window.check_page.tree.topLevelItem(0)

    window.go(COMPANY)
    window.session.set_company_field("credit_code", "91440400MA4UXXXX0R")
    qtbot.wait(50)  # the change is announced on the next turn of the event loop
    # hidden: the list is left as it was, not built again
    assert window.check_page.tree.topLevelItem(0) is shown
    assert "company.credit_code" in _listed(window)

    window.go(CHECK)
    assert window.stack.currentWidget() is window.check_page
    assert "company.credit_code" not in _listed(window)
    assert set(_listed(window)) == {f.where for f in window.session.findings}

    # shown: a change is listed at once
    window.session.set_company_field("credit_code", "")
    qtbot.waitUntil(lambda: "company.credit_code" in _listed(window))
    item = window.check_page.tree.topLevelItem(0).child(0)
    assert item.flags() & Qt.ItemFlag.ItemIsEnabled
