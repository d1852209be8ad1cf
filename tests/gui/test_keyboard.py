"""The keyboard: focus starts on the first field after 新建/打开 and 上一步/下一步, Tab goes down
each page as it reads (no invisible stops, 上一步/下一步 reached by Alt+←/→ instead), tables let
Tab move between cells and Ctrl+Tab out, and the shortcuts are listed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from app.manifest.load import load_manifest
from app.manifest.transfer import import_manifest
from app.outputs.demo import SAMPLE_MANIFEST
from tests.gui.opening import open_and_wait
from widgets import errors
from widgets.main_window import SHORTCUTS, MainWindow


def open_window(qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    project = tmp_path / "示例.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), project)
    window = MainWindow(today=dt.date(2019, 1, 28))
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    open_and_wait(window, project)
    return window


def tab(qtbot, forward: bool = True, ctrl: bool = False) -> QWidget | None:  # type: ignore[no-untyped-def]
    widget = QApplication.focusWidget()
    assert widget is not None
    mods = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
    key = Qt.Key.Key_Tab if forward else Qt.Key.Key_Backtab
    qtbot.keyClick(widget, key, mods)
    return QApplication.focusWidget()


def test_focus_starts_on_the_first_field_and_tab_follows_the_company_form(qtbot, gui_app, tmp_path):  # type: ignore[no-untyped-def]
    window = open_window(qtbot, tmp_path)
    page = window.company_page
    assert QApplication.focusWidget() is page.editors["name"]
    assert tab(qtbot) is page.editors["credit_code"]
    assert tab(qtbot, forward=False) is page.editors["name"]
    # Tab never lands on 上一步/下一步 (they are Alt+←/→) from the last field either.
    page.editors["account"].setFocus()
    seen = {tab(qtbot) for _ in range(3)}
    assert window.back_button not in seen and window.next_button not in seen
    assert "Alt+→" in window.next_button.toolTip()
    # 下一步 takes the keyboard along to the next page.
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.items_page
    assert QApplication.focusWidget() is window.items_page.first_field()
    window.close()


def test_items_page_tab_order_reads_down_and_ctrl_tab_leaves_the_table(qtbot, gui_app, tmp_path):  # type: ignore[no-untyped-def]
    window = open_window(qtbot, tmp_path)
    window.go(2)
    page = window.items_page
    page.select_item("outsourcing_onshore")
    page.select_box.setFocus()
    order: list[QWidget | None] = []
    for _ in range(12):
        order.append(tab(qtbot))
        if order[-1] is page.requested_edit:
            break
    inputs = [row.editor for row in page.inputs.values()]
    assert inputs and order[: len(inputs)] == inputs
    assert order[len(inputs)] is page.requested_edit

    table = page.table_editor("contracts")
    assert table is not None
    table.select_cell(0, 0)
    assert QApplication.focusWidget() is table.view
    qtbot.keyClick(table.view, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is table.view  # Tab moves between cells
    assert table.view.currentIndex().column() == 1
    left = tab(qtbot, ctrl=True)
    assert left is not table.view and left is not None
    assert "Ctrl+Tab" in table.count_label.text()
    window.close()


def test_the_shortcuts_are_listed_in_the_help_menu(qtbot, gui_app, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(
        errors, "inform", lambda parent, title, text, error=False: shown.append(text)
    )
    window = open_window(qtbot, tmp_path)
    help_menu = window.menuBar().actions()[-1].menu()
    [keys] = [a for a in help_menu.actions() if a.text().startswith("快捷键")]
    keys.trigger()
    assert shown and "Ctrl+Tab" in shown[0] and "Alt+←" in shown[0]
    assert len(SHORTCUTS) >= 10
    window.close()
