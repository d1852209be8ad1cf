"""The main window's own behaviour: steps, title, status, recent projects, window state, going
to a finding, closing while work runs, help, and Qt's texts in Chinese."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit

from app.guide import DEFAULT_GUIDE_ID
from tests.gui.opening import open_and_wait
from widgets import errors
from widgets.main_window import MainWindow
from widgets.session import ProjectSession
from widgets.tasks import run_task


def make_window(qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(today=dt.date(2019, 2, 1))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def new_project(tmp_path: Path, name: str = "甲公司.sbproj") -> Path:
    path = tmp_path / name
    ProjectSession.create(path, DEFAULT_GUIDE_ID).close()
    return path


def test_steps_need_a_project_and_title_follows_the_company(qtbot, gui_app, tmp_path):  # type: ignore[no-untyped-def]
    window = make_window(qtbot)
    assert window.windowTitle() == "申报材料助手"
    for row in range(1, 6):
        assert not window.steps.item(row).flags() & Qt.ItemFlag.ItemIsEnabled
    window.go(3)
    assert window.stack.currentWidget() is window.start_page  # can't skip ahead without a project

    open_and_wait(window, new_project(tmp_path))
    assert window.stack.currentWidget() is window.company_page
    assert all(window.steps.item(r).flags() & Qt.ItemFlag.ItemIsEnabled for r in range(6))
    editor = window.company_page.editors["name"]
    assert isinstance(editor, QLineEdit)
    editor.setText("甲科技有限公司")
    editor.editingFinished.emit()
    qtbot.waitUntil(lambda: window.windowTitle().startswith("甲科技有限公司 — 甲公司.sbproj"))
    assert "待解决问题" in window.status.text()


def test_recent_projects_and_window_size_are_remembered(qtbot, gui_app, tmp_path):  # type: ignore[no-untyped-def]
    path = new_project(tmp_path)
    window = make_window(qtbot)
    open_and_wait(window, path)
    window.resize(1100, 700)
    window.close()

    again = make_window(qtbot)
    # Without a saved geometry a window opens at 1280×760; the offscreen screen is narrow, so
    # Qt clamps the restored width, but the restored height shows the size came back.
    assert again.height() == 700
    recent = again.start_page.recent
    assert recent.count() == 1 and "甲公司" in recent.item(0).text()
    recent.setCurrentRow(0)
    recent.itemActivated.emit(recent.item(0))
    # read in the background: the window says so and stays usable meanwhile
    assert again.opening == path and "正在打开“甲公司.sbproj”" in again.status.text()
    assert not again.start_page.isEnabled()
    qtbot.waitUntil(lambda: again.session is not None)
    assert again.session is not None and again.session.path == path
    assert again.opening is None and again.start_page.isEnabled()
    assert again.stack.currentIndex() == 1


def test_opening_writes_recent_off_the_windows_thread(qtbot, gui_app, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """The settings file is rewritten and synced to the disk at every opening: on a worker
    thread, then 最近打开 shows the project first."""
    import threading

    import widgets.settings as settings_module

    writers: list[threading.Thread] = []
    add_recent = settings_module.add_recent

    def spy(path: Path, file: Path | None = None) -> None:
        writers.append(threading.current_thread())
        add_recent(path, file)

    monkeypatch.setattr(settings_module, "add_recent", spy)
    first, second = new_project(tmp_path), new_project(tmp_path, "乙公司.sbproj")
    window = make_window(qtbot)
    open_and_wait(window, first)
    open_and_wait(window, second)
    qtbot.waitUntil(lambda: len(writers) == 2)
    settings_module.wait_for_writes()
    assert all(t is not threading.main_thread() for t in writers)
    assert settings_module.recent_projects()[:2] == [second.resolve(), first.resolve()]
    assert settings_module.last_dir("projects") == str(tmp_path.resolve())


def test_a_damaged_project_file_is_refused_with_a_message(qtbot, gui_app, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    bad = tmp_path / "坏.sbproj"
    bad.write_bytes(b"this is not a project" * 100)
    shown: list[str] = []
    monkeypatch.setattr(
        errors, "inform", lambda parent, title, text, error=False: shown.append(text)
    )
    window = make_window(qtbot)
    open_and_wait(window, bad)
    assert window.session is None
    assert shown and "坏.sbproj" in shown[0]


def test_a_finding_takes_the_user_to_the_field(qtbot, gui_app, tmp_path):  # type: ignore[no-untyped-def]
    window = make_window(qtbot)
    open_and_wait(window, new_project(tmp_path))
    window.go(4)
    check = window.check_page
    qtbot.waitUntil(lambda: check.tree.topLevelItemCount() > 0)
    group = check.tree.topLevelItem(0)
    target = next(
        group.child(i)
        for i in range(group.childCount())
        if group.child(i).data(0, Qt.ItemDataRole.UserRole + 1) == "company.credit_code"
    )
    check.tree.setCurrentItem(target)
    qtbot.mouseClick(check.go_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.company_page
    assert QApplication.focusWidget() is window.company_page.editors["credit_code"] or (
        window.company_page.editors["credit_code"].hasFocus()
        or window.company_page.focus_where("company.credit_code")
    )


def test_closing_asks_only_while_real_work_runs(qtbot, gui_app, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    asked: list[str] = []
    monkeypatch.setattr(errors, "ask", lambda parent, title, text: asked.append(text) or False)
    window = make_window(qtbot)
    gate: list[bool] = []

    def slow(ctx):  # type: ignore[no-untyped-def]
        while not gate:
            if ctx.cancelled():
                break
        return 1

    quiet = run_task(None, slow, quiet=True)
    window.close()
    assert asked == [] and not window.isVisible()  # a thumbnail render doesn't hold the user back

    window2 = make_window(qtbot)
    busy = run_task(None, slow)
    window2.close()
    assert len(asked) == 1 and window2.isVisible()  # an import/build asks first
    gate.append(True)
    qtbot.waitUntil(lambda: not busy.running and not quiet.running)


def test_help_opens_inside_the_program_in_chinese(qtbot, gui_app):  # type: ignore[no-untyped-def]
    window = make_window(qtbot)
    window.show_help()
    dialog = window._help
    qtbot.waitExposed(dialog)
    assert "申报材料助手 使用说明" in dialog.browser.toPlainText()
    close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    assert close.text() == "关闭"  # Qt's own texts are translated
    dialog.close()


def test_new_project_asks_which_guide_when_several_ship(qtbot, gui_app, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    import shutil

    import app.guide.loader as loader

    root = Path(__file__).resolve().parents[2]
    shipped = tmp_path / "checklists"
    shipped.mkdir()
    shutil.copy(root / "checklists" / "zhuhai-2019.toml", shipped)
    shutil.copy(root / "tests" / "data" / "guide-2020-mini.toml", shipped)
    monkeypatch.setattr(loader, "CHECKLIST_DIR", shipped)
    offered: list[list[str]] = []

    def pick(parent, titles):  # type: ignore[no-untyped-def]
        offered.append(titles)
        return next(i for i, t in enumerate(titles) if "2020" in t)

    monkeypatch.setattr(errors, "choose_guide", pick)
    monkeypatch.setattr(errors, "choose_new_project", lambda *a, **k: str(tmp_path / "新.sbproj"))
    window = make_window(qtbot)
    window.new_project()
    assert len(offered) == 1 and len(offered[0]) == 3  # and a file from anywhere
    assert "示例〔2020〕1号" in offered[0][0] and "珠商〔2019〕28号" in offered[0][1]
    assert offered[0][2] == "打开其他申报指南文件…"
    assert window.session is not None
    assert window.session.guide.id == "mini-service-trade-2020"  # a new year is a new file
    qtbot.waitUntil(lambda: not window.pages_loading)  # hidden pages load one per turn
    titles = [
        window.items_page.tree.topLevelItem(n).text(0)
        for n in range(window.items_page.tree.topLevelItemCount())
    ]
    assert len(titles) == len(window.session.guide.items) == 2


def test_the_project_stays_still_while_a_build_runs(qtbot, gui_app, tmp_path):  # type: ignore[no-untyped-def]
    window = make_window(qtbot)
    open_and_wait(window, new_project(tmp_path))
    window.go(5)
    output = window.output_page
    output.busy.emit(True)  # what start_build announces
    assert not window.steps.isEnabled() and not window.back_button.isEnabled()
    assert not window.undo_action.isEnabled() and not window.open_action.isEnabled()
    assert not window.close_action.isEnabled()
    output.busy.emit(False)
    assert window.steps.isEnabled() and window.undo_action.isEnabled()
    assert window.close_action.isEnabled() and window.open_action.isEnabled()


def test_a_real_build_from_the_window_locks_then_releases(qtbot, gui_app, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from app.manifest.load import load_manifest
    from app.manifest.transfer import import_manifest
    from app.outputs.demo import SAMPLE_MANIFEST

    project = tmp_path / "示例.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), project)
    window = make_window(qtbot)
    open_and_wait(window, project)
    window.go(5)
    output = window.output_page
    output.out_edit.setText(str(tmp_path / "out"))
    states: list[bool] = []
    output.busy.connect(states.append)
    qtbot.mouseClick(output.build_button, Qt.MouseButton.LeftButton)
    assert not window.steps.isEnabled()
    qtbot.waitUntil(lambda: output.task is None, timeout=60000)
    assert states == [True, False]
    assert window.steps.isEnabled()
    assert output.result is not None and output.result.pdf.exists()


def test_the_application_has_its_icon_and_font(gui_app):  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QFontDatabase

    from widgets.app import BUNDLED_FAMILY

    assert not gui_app.windowIcon().isNull()
    assert BUNDLED_FAMILY in QFontDatabase.families()  # Chinese renders on any machine


def test_damaged_evidence_is_a_finding_until_the_file_is_attached_again(qtbot, gui_app, tmp_path):  # type: ignore[no-untyped-def]
    import sqlite3

    from app.manifest.load import load_manifest
    from app.manifest.transfer import import_manifest
    from app.outputs.demo import SAMPLE_MANIFEST

    path = tmp_path / "示例.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), path)
    raw = sqlite3.connect(path)
    with raw:
        victim_id, victim = raw.execute(
            "SELECT id, name FROM evidence ORDER BY document_id, position LIMIT 1"
        ).fetchone()
        raw.execute(
            "UPDATE evidence_blobs SET pdf = ? WHERE file_id = ?", (b"%PDF-damaged", victim_id)
        )
    raw.close()
    window = make_window(qtbot)
    open_and_wait(window, path)
    window.go(4)
    check = window.check_page
    assert window.stack.currentWidget() is check  # (what it lists is built when shown)

    def texts() -> list[str]:
        out = []
        for g in range(check.tree.topLevelItemCount()):
            group = check.tree.topLevelItem(g)
            out += [group.child(i).text(0) for i in range(group.childCount())]
        return out

    qtbot.waitUntil(lambda: any(f"“{victim}”已损坏" in t for t in texts()))
    assert any(f.code == "evidence.damaged" and f.blocking for f in window.session.findings)
    window.session.remove_file(victim_id)  # removed: the damaged bytes are gone with it
    qtbot.waitUntil(lambda: not any("已损坏" in t for t in texts()))
