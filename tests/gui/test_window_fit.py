"""The window fits the screen: the first window is sized from the screen's free area, a window
remembered on a larger monitor is pulled back onto a smaller one, and every page keeps
上一步/下一步 and the status line inside a 1280×720 (and 1280×640, a 720-pixel screen less the
taskbar and title bar) window with the sample project open."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget

from app.manifest.load import load_manifest
from app.manifest.transfer import import_manifest
from app.outputs.demo import SAMPLE_MANIFEST
from tests.gui.opening import open_and_wait
from widgets.main_window import FRAME_ALLOWANCE, MIN_HEIGHT, MainWindow, fitted, initial_geometry


@pytest.mark.parametrize(
    ("screen", "taskbar"),
    [((1366, 768), 40), ((1280, 720), 40), ((1280, 720), 0), ((1920, 1080), 48), ((1024, 600), 30)],
)
def test_first_window_fits_the_free_screen_area(screen, taskbar):  # type: ignore[no-untyped-def]
    available = QRect(0, 0, screen[0], screen[1] - taskbar)
    g = initial_geometry(available)
    assert available.contains(g)
    # Room is left above the client area for the title bar whenever the screen allows it.
    if available.height() - g.height() >= FRAME_ALLOWANCE:
        assert g.top() >= available.top() + FRAME_ALLOWANCE
    assert g.width() <= 1280 and g.height() <= 800
    if screen == (1920, 1080):
        assert (g.width(), g.height()) == (1280, 800)  # a big screen gets the preferred size


def test_a_window_saved_on_a_big_monitor_is_pulled_onto_a_small_one():  # type: ignore[no-untyped-def]
    available = QRect(0, 0, 1366, 728)
    g = fitted(QRect(1500, 200, 1800, 1000), available)
    assert available.contains(g)
    assert g.height() >= MIN_HEIGHT


def _inside(window: QWidget, widget: QWidget) -> bool:
    top_left = widget.mapTo(window, QPoint(0, 0))
    bottom_right = widget.mapTo(window, widget.rect().bottomRight())
    return window.rect().contains(top_left) and window.rect().contains(bottom_right)


@pytest.mark.parametrize("size", [(1280, 720), (1280, 640)])
def test_every_page_keeps_its_buttons_and_status_line_inside(qtbot, gui_app, tmp_path: Path, size):  # type: ignore[no-untyped-def]
    project = tmp_path / "示例.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), project)
    window = MainWindow(today=dt.date(2019, 1, 28))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    open_and_wait(window, project)
    window.resize(*size)
    for index in range(len(window.pages)):
        window.go(index)
        qtbot.wait(20)
        assert (window.width(), window.height()) == size, window.pages[index].title
        for widget in (window.back_button, window.next_button, window.status):
            assert widget.isVisible()
            assert _inside(window, widget), (window.pages[index].title, widget)
        # A page taller than the window scrolls (the window does not grow past the screen).
        page = window.pages[index]
        scroll = window.stack.scroll_area(index)
        assert scroll is not None and scroll.widget() is page
        if page.minimumSizeHint().height() > scroll.viewport().height():
            assert scroll.verticalScrollBar().maximum() > 0, page.title
    window.close()


def test_items_page_gives_the_table_room_at_1366x768(qtbot, gui_app, tmp_path: Path):  # type: ignore[no-untyped-def]
    project = tmp_path / "示例.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), project)
    window = MainWindow(today=dt.date(2019, 1, 28))
    qtbot.addWidget(window)
    window.show()
    open_and_wait(window, project)
    window.resize(1366, 728)  # 768 less a taskbar
    window.go(2)
    page = window.items_page
    page.select_item("outsourcing_onshore")
    qtbot.wait(50)
    table = page.table_editor("contracts")
    assert table is not None
    view = table.view
    rows_visible = view.viewport().height() // view.rowHeight(0)
    assert rows_visible >= 6
    # 申请金额 is visible without scrolling, and the splitter can be seen and grabbed.
    edit = page.requested_edit
    assert edit.isVisible()
    top = edit.mapTo(page.detail_scroll.viewport(), QPoint(0, edit.height()))
    assert top.y() <= page.detail_scroll.viewport().height()
    assert page.detail_split.handleWidth() >= 8
    # Names are not cut off; a column made narrow shows the whole text on hover.
    name_col = table.model.column_of("name")
    name = str(table.model.index(0, name_col).data())
    assert view.columnWidth(name_col) >= view.fontMetrics().horizontalAdvance(name)
    assert view.full_text_tip(0, name_col) is None
    view.setColumnWidth(name_col, 40)
    assert name in (view.full_text_tip(0, name_col) or "")
    window.close()
