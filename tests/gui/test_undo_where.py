"""Issue 20.6: Ctrl+Z acts where the clerk is. A step made on another page is named first
("将撤销“材料”页上的操作：移除…"), undone only on a second Ctrl+Z (which shows that page); the
Edit menu names the step; a banner announcing a step ("已添加 1 个文件", "已粘贴 1 行") goes
when that step is undone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.manifest.load import load_manifest
from app.manifest.transfer import import_manifest
from app.outputs.demo import SAMPLE_MANIFEST
from tests.gui.conftest import save_shot
from tests.gui.opening import open_and_wait
from tests.gui.test_evidence_page import wait_import
from tests.gui.test_journey import shortcut
from widgets.main_window import MainWindow


def window_with_sample(qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    project = tmp_path / "示例.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), project)
    window = MainWindow(today=dt.date(2019, 1, 28))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    open_and_wait(window, project)
    return window


def test_ctrl_z_names_a_step_of_another_page_before_undoing_it(qtbot, gui_app, tmp_path):  # type: ignore[no-untyped-def]
    window = window_with_sample(qtbot, tmp_path)
    session = window.session
    assert session is not None
    evidence = window.evidence_page
    window.go(window.pages.index(evidence))
    assert evidence.focus_where("document.business_license")
    removed = evidence.current_file()
    assert removed is not None
    evidence.remove_current_file()
    assert removed.id not in {f.id for f in session.data.evidence}
    assert window.undo_action.text() == f"撤销：移除“{removed.name}”(&U)"

    company = window.company_page
    window.go(window.pages.index(company))
    window.steps.setFocus()  # not in a text field (a field's own Ctrl+Z undoes its typing)
    shortcut(qtbot, window, Qt.Key.Key_Z)
    # Nothing undone yet: the window says what Ctrl+Z would undo, and where.
    assert removed.id not in {f.id for f in session.data.evidence}
    notice = window.undo_notice.text()
    assert window.undo_notice.isVisible()
    assert "“材料”页" in notice and f"移除“{removed.name}”" in notice and "再按一次" in notice
    assert window.stack.currentWidget() is company
    window.resize(1280, 680)
    save_shot(window, "undo-notice-1280", tmp_path)
    shortcut(qtbot, window, Qt.Key.Key_Z)
    assert removed.id in {f.id for f in session.data.evidence}  # undone on the second press
    assert window.stack.currentWidget() is evidence  # and shown where it happened
    assert "已撤销" in window.undo_notice.text()
    assert window.redo_action.text() == f"重做：移除“{removed.name}”(&R)"
    # The banner "已移除…" went with the step it announced.
    assert not evidence.message.isVisible()

    # A step of the page in view is undone at once.
    shortcut(qtbot, window, Qt.Key.Key_Y)
    assert removed.id not in {f.id for f in session.data.evidence}
    shortcut(qtbot, window, Qt.Key.Key_Z)
    assert removed.id in {f.id for f in session.data.evidence}
    window.close()


def test_banners_go_when_their_step_is_undone(qtbot, gui_app, tmp_path, make_scan):  # type: ignore[no-untyped-def]
    window = window_with_sample(qtbot, tmp_path)
    session = window.session
    assert session is not None
    evidence = window.evidence_page
    window.go(window.pages.index(evidence))
    evidence.start_import(("business_license", None), [make_scan("营业执照-新.jpg")])
    wait_import(qtbot, evidence)
    assert "已添加 1 个文件" in evidence.message.text() and evidence.message.isVisible()
    shortcut(qtbot, window, Qt.Key.Key_Z)
    assert "营业执照-新.jpg" not in {f.name for f in session.data.evidence}
    assert not evidence.message.isVisible()  # the banner went with the files

    items = window.items_page
    window.go(window.pages.index(items))
    assert items.select_item("outsourcing_onshore")
    table = items.table_editor("contracts")
    assert table is not None
    before = len(session.data.rows("contracts"))
    QApplication.clipboard().setText(
        "合同新\t某发包方\t中国\t软件研发服务\t在岸\t否\tUSD\t100\t100\t2018-06-29\n"
    )
    table.paste()
    assert "已粘贴 1 行" in table.message_text()
    shortcut(qtbot, window, Qt.Key.Key_Z)
    assert len(session.data.rows("contracts")) == before
    assert table.message_text() == ""
    window.close()
