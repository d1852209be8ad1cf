"""Issue 20.1: a date typed into a table cell, key by key, in any of the ways a clerk writes
it, is stored as that date or refused with a message naming it; never another date."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication

from widgets.date_edit import DateLineEdit
from widgets.pages.items import ItemsPage
from widgets.session import ProjectSession
from widgets.table_editor import TableEditor

WANTED = dt.date(2018, 6, 29)


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
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.model.rowCount() == 1
    return editor


def type_into_cell(
    qtbot, table: TableEditor, column: str, text: str, readable: bool = True
) -> None:  # type: ignore[no-untyped-def]
    """Select the cell and start typing, as a clerk does: the first key opens the editor,
    the rest go into it one by one (Chinese through the input method); Return commits. Text
    that is no date keeps the editor open (with the reason): Esc then gives up."""
    index = table.model.index(0, table.model.column_of(column))
    table.view.setCurrentIndex(index)
    table.view.setFocus()
    first, rest = text[0], text[1:]
    qtbot.keyClicks(table.view, first)
    editor = table.view.indexWidget(index)
    assert isinstance(editor, DateLineEdit), "typing into a date cell opens the date editor"
    for ch in rest:
        if ch.isascii():
            qtbot.keyClicks(editor, ch)
        else:
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(editor, event)
    assert editor.text() == text
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    if not readable:
        assert table.view.indexWidget(index) is editor  # still open, to be corrected
        assert editor.text() == text and editor.selectedText() == text
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: table.view.indexWidget(index) is None)


def stored(session: ProjectSession) -> object:
    return session.data.rows("contracts")[0].values.get("execution_date")


@pytest.mark.parametrize(
    "typed",
    ["2018-06-29", "2018/6/29", "2018.6.29", "20180629", "2018年6月29日", "2018-6-29"],
)
def test_every_way_of_writing_the_date_stores_that_date(qtbot, table, session, typed):  # type: ignore[no-untyped-def]
    type_into_cell(qtbot, table, "execution_date", typed)
    assert stored(session) == WANTED
    assert table.model.index(0, table.model.column_of("execution_date")).data() == "2018-06-29"
    assert table.message_text() == ""


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("2018-02-30", "2018年2月没有30日"),
        ("29/06/2018", "年份写在前面"),
        ("2018-06", "缺少日"),
        ("201806", "不是有效的日期"),
        ("2018-13-01", "月份 13 不存在"),
    ],
)
def test_what_is_no_date_is_refused_with_a_message(qtbot, table, session, typed, said):  # type: ignore[no-untyped-def]
    type_into_cell(qtbot, table, "execution_date", "2018-06-29")
    type_into_cell(qtbot, table, "execution_date", typed, readable=False)
    assert stored(session) == WANTED  # the earlier date stays; nothing else is stored
    message = table.message_text()
    assert "执行日期" in message and typed in message and said in message


def test_the_calendar_picks_a_date_and_commits(qtbot, table, session):  # type: ignore[no-untyped-def]
    index = table.model.index(0, table.model.column_of("execution_date"))
    table.view.setCurrentIndex(index)
    table.view.setFocus()
    qtbot.keyClick(table.view, Qt.Key.Key_F2)
    editor = table.view.indexWidget(index)
    assert isinstance(editor, DateLineEdit)
    qtbot.keyClick(editor, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = editor.calendar
    assert calendar is not None and calendar.isVisible()
    # An empty cell opens the calendar on the guide's period, not on today.
    start = session.guide.period_start
    assert (calendar.yearShown(), calendar.monthShown()) == (start.year, start.month)
    calendar.setSelectedDate(calendar.selectedDate().addDays(3))
    grid = calendar.findChild(QAbstractItemView)  # the calendar's day grid has the keys
    assert grid is not None
    qtbot.keyClick(grid, Qt.Key.Key_Return)  # activated
    qtbot.waitUntil(lambda: table.view.indexWidget(index) is None)
    assert stored(session) == start + dt.timedelta(days=3)
