"""Two windows on one project: the second gets a read-only view (title 只读, editing off) instead
of silently undoing the first one's edits; an edit or undo that cannot be saved says so, never
“没有丢失”; another PC's lock is named and taken over only when confirmed."""

from __future__ import annotations

import datetime as dt
import json
import socket
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit

from app.guide import DEFAULT_GUIDE_ID
from app.project import ProjectStore
from app.project.lock import LOCK_FORMAT, lock_path
from app.system.errors import ProjectFileError
from tests.gui.opening import open_and_wait
from widgets import errors
from widgets.main_window import MainWindow
from widgets.session import EditNotSaved, ProjectSession


def make_window(qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(today=dt.date(2019, 2, 1))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def new_project(tmp_path: Path, name: str = "甲公司.sbproj") -> Path:
    path = tmp_path / name
    with ProjectStore.create(path, DEFAULT_GUIDE_ID) as store:
        store.set_company_field("name", "甲科技有限公司")
        store.add_row("contracts", {"name": "软件开发合同"}, row_id="ct1")
    return path


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[str]]]:
    """Dialogs answered by the test: ``choose`` picks the first button (只读查看)."""
    seen: list[tuple[str, list[str]]] = []

    def choose(parent, title, text, buttons):  # type: ignore[no-untyped-def]
        seen.append((text, buttons))
        return 0

    monkeypatch.setattr(errors, "choose", choose)
    return seen


def test_second_window_gets_a_read_only_view(qtbot, gui_app, tmp_path, asked):  # type: ignore[no-untyped-def]
    path = new_project(tmp_path)
    a, b = make_window(qtbot), make_window(qtbot)
    open_and_wait(a, path)
    assert a.session is not None and not a.session.read_only
    open_and_wait(b, path)

    assert len(asked) == 1
    text, buttons = asked[0]
    assert "本程序的另一个窗口" in text and path.name in text
    assert buttons == ["只读查看", "取消"]  # this PC: nothing to take over
    assert b.session is not None and b.session.read_only
    assert "（只读）" in b.windowTitle() and "（只读）" not in a.windowTitle()
    assert "只读查看" in b.status.text() and "已自动保存" not in b.status.text()
    assert not b.undo_action.isEnabled() and b.reload_action.isEnabled()
    assert not a.reload_action.isEnabled() and a.undo_action.isEnabled()

    # Editing is off on every page of the view, and on in the editing window.
    name_b = b.company_page.editors["name"]
    assert isinstance(name_b, QLineEdit) and name_b.isReadOnly()
    assert name_b.text() == "甲科技有限公司"  # but everything can be read
    assert not a.company_page.editors["name"].isReadOnly()  # type: ignore[union-attr]
    b.go(2)
    assert not b.items_page.select_box.isEnabled()
    assert b.items_page.rates_button.isHidden()
    b.go(5)
    assert b.output_page.build_button.isHidden()
    a.go(5)
    assert not a.output_page.build_button.isHidden()

    # The store refuses any change that slips through, saying it was not saved.
    with pytest.raises(ProjectFileError) as info:
        b.session.set_company_field("name", "乙公司")
    assert "只读" in info.value.message and "没有保存" in info.value.message
    with pytest.raises(ProjectFileError):
        b.session.delete_row("contracts", "ct1")
    assert b.session.undo_stack.count() == 0

    # The editing window's edits are seen in the view after F5.
    editor = a.company_page.editors["name"]
    assert isinstance(editor, QLineEdit)
    editor.setText("甲科技（珠海）有限公司")
    editor.editingFinished.emit()
    qtbot.waitUntil(lambda: a.windowTitle().startswith("甲科技（珠海）有限公司"))
    b.go(1)
    b.reload()
    qtbot.waitUntil(lambda: b.windowTitle().startswith("甲科技（珠海）有限公司"))
    qtbot.waitUntil(lambda: name_b.text() == "甲科技（珠海）有限公司")
    assert name_b.isReadOnly()

    # Ctrl+Z in the view cannot revert the editing window's saved edit.
    b.undo()
    with ProjectStore.open(path, read_only=True) as view:
        assert view.load().company.name == "甲科技（珠海）有限公司"


def test_a_view_that_opens_another_project_can_edit_it(qtbot, gui_app, tmp_path, asked):  # type: ignore[no-untyped-def]
    first, second = new_project(tmp_path), new_project(tmp_path, "乙公司.sbproj")
    a, b = make_window(qtbot), make_window(qtbot)
    open_and_wait(a, first)
    open_and_wait(b, first)
    assert b.session is not None and b.session.read_only
    open_and_wait(b, second)
    assert b.session is not None and not b.session.read_only
    assert "（只读）" not in b.windowTitle()
    assert not b.company_page.editors["name"].isReadOnly()  # type: ignore[union-attr]
    b.go(5)
    assert not b.output_page.build_button.isHidden()


def test_cancel_leaves_the_window_as_it_was(qtbot, gui_app, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(errors, "choose", lambda *a, **k: 1)  # 取消
    path = new_project(tmp_path)
    a, b = make_window(qtbot), make_window(qtbot)
    open_and_wait(a, path)
    open_and_wait(b, path)
    assert b.session is None and b.windowTitle() == "申报材料助手"


def test_another_pcs_lock_is_named_and_taken_over_when_confirmed(  # type: ignore[no-untyped-def]
    qtbot, gui_app, tmp_path, monkeypatch
):
    path = new_project(tmp_path)
    lock_path(path).write_text(
        json.dumps(
            {
                "pid": 777,
                "started": "1",
                "host": "财务室-PC",
                "boot": "",
                "user": "王会计",
                "opened_at": "2026-03-02T09:15:00",
                "token": "f" * 32,
                "format": LOCK_FORMAT,
            }
        ),
        encoding="utf-8",
    )
    offered: list[list[str]] = []
    monkeypatch.setattr(
        errors, "choose", lambda parent, title, text, buttons: offered.append(buttons) or 1
    )
    confirmations: list[str] = []
    monkeypatch.setattr(
        errors, "ask", lambda parent, title, text: confirmations.append(text) or True
    )
    window = make_window(qtbot)
    open_and_wait(window, path)
    assert offered == [["只读查看", "接管编辑", "取消"]]
    assert len(confirmations) == 1 and "财务室-PC" in confirmations[0]
    assert window.session is not None and not window.session.read_only
    held = json.loads(lock_path(path).read_text(encoding="utf-8"))
    assert held["host"] == socket.gethostname()


# -- never “nothing lost” when something was -------------------------------------------------


def test_editing_a_row_deleted_underneath_says_the_edit_was_not_saved(  # type: ignore[no-untyped-def]
    qtbot, gui_app, tmp_path
):
    window = make_window(qtbot)
    open_and_wait(window, new_project(tmp_path))
    session = window.session
    assert session is not None
    assert [r.id for r in session.data.rows("contracts")] == ["ct1"]
    session.store.delete_row("contracts", "ct1")  # gone, as when another writer deleted it
    steps = session.undo_stack.count()
    with pytest.raises(EditNotSaved) as info:
        session.set_cell("contracts", "ct1", "client", "Northwind")
    message = errors.message_for(info.value)
    assert "没有保存" in message and "没有丢失" not in message
    assert session.undo_stack.count() == steps  # no undo step for an edit that did not happen
    window.undo()  # nothing to undo: must not write anything
    assert session.store.load().rows("contracts") == ()


def test_an_undo_that_cannot_be_done_says_so_and_clears_the_history(  # type: ignore[no-untyped-def]
    qtbot, gui_app, tmp_path, monkeypatch
):
    shown: list[str] = []
    monkeypatch.setattr(
        errors, "inform", lambda parent, title, text, error=False: shown.append(text)
    )
    window = make_window(qtbot)
    open_and_wait(window, new_project(tmp_path))
    session = window.session
    assert session is not None
    session.set_cell("contracts", "ct1", "client", "Northwind")
    assert session.undo_stack.count() == 1
    session.store.delete_row("contracts", "ct1")  # the row went away underneath
    window.undo()
    assert len(shown) == 1
    assert "撤销没有完成" in shown[0] and "撤销记录已清空" in shown[0]
    assert "没有丢失" not in shown[0] and "Error calling" not in shown[0]
    assert session.undo_stack.count() == 0
    assert session.store.load().rows("contracts") == ()  # nothing was written by the undo


def test_an_unexpected_error_does_not_claim_nothing_was_lost() -> None:
    message = errors.message_for(KeyError("ct1"))
    assert "KeyError" in message and "没有丢失" not in message
    assert "可能没有完成" in message


def test_output_page_shows_the_default_for_an_unusable_saved_gutter(qtbot, gui_app, tmp_path):  # type: ignore[no-untyped-def]
    path = new_project(tmp_path)
    with ProjectStore.open(path) as store:
        store.set_option("gutter_mm", {})  # what an older import stored from options.gutter_mm: {}
        store.set_option("duplex", 0)
    window = make_window(qtbot)
    open_and_wait(window, path)
    window.go(5)
    assert window.output_page.gutter.value() == 25
    assert not window.output_page.duplex.isChecked()


def test_session_open_read_only_needs_no_lock(gui_app, tmp_path):  # type: ignore[no-untyped-def]
    path = new_project(tmp_path)
    writer = ProjectSession.open(path)
    view = ProjectSession.open(path, read_only=True)
    try:
        assert view.read_only and view.data.company.name == "甲科技有限公司"
    finally:
        view.close()
        writer.close()
    assert not lock_path(path).exists()


def test_a_window_facing_another_process_names_it_and_views_read_only(  # type: ignore[no-untyped-def]
    qtbot, gui_app, tmp_path, asked
):
    from tests.test_project_lock import Child

    path = new_project(tmp_path)
    child = Child(path)  # another 申报材料助手 on this PC (a real process) has it open
    try:
        window = make_window(qtbot)
        open_and_wait(window, path)
        text, buttons = asked[0]
        assert "本机上的另一个申报材料助手" in text and f"进程 {child.proc.pid}" in text
        assert buttons == ["只读查看", "取消"]
        assert window.session is not None and window.session.read_only
        assert "（只读）" in window.windowTitle()
        window.close_project()
    finally:
        child.kill()
    open_and_wait(window, path)  # the crashed holder's lock is taken over
    assert window.session is not None and not window.session.read_only
