"""文件 → 批量检查…: the review runs in the background with progress, the table sorts and
filters, a double-click opens a company's project, and the summary workbook is written."""

from __future__ import annotations

import shutil
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt

from app.review.summary import SUMMARY_SHEET
from tests.review_fixtures import PROBLEM_NAME, SAMPLE_NAME, TODAY, Desk, desk
from widgets import errors
from widgets.main_window import MainWindow
from widgets.review import COLUMNS, ReviewDialog

__all__ = ["desk"]  # the session fixture, used by name


def _folder(desk: Desk, tmp_path: Path) -> Path:
    """A copy of part of the desk: the window may write to a project it opens."""
    folder = tmp_path / "各企业"
    folder.mkdir()
    for src in (desk.project, desk.problem, desk.damaged):
        shutil.copyfile(src, folder / src.name)
    shutil.copytree(desk.packet, folder / "申报材料")
    return folder


def test_review_in_the_window(qtbot, gui_app, tmp_path, monkeypatch, desk):  # type: ignore[no-untyped-def]
    folder = _folder(desk, tmp_path)
    told: list[str] = []
    asked: list[str] = []
    monkeypatch.setattr(
        errors, "choose_directory", lambda *a, **k: asked.append("folder") or str(folder)
    )
    monkeypatch.setattr(
        errors, "inform", lambda parent, title, text, error=False: told.append(text)
    )
    window = MainWindow(today=TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    window.review_action.trigger()
    dialog = window.review_dialog
    assert isinstance(dialog, ReviewDialog)
    with qtbot.waitSignal(dialog.finished_review, timeout=120_000):
        pass
    assert dialog.model.rowCount() == 4
    assert dialog.progress.value() == dialog.progress.maximum() == 4
    assert dialog.cancel_button.isEnabled() is False

    # Sortable: by blocking problems (numbers, not text), by company.
    dialog.table.sortByColumn(COLUMNS.index("必须解决的问题"), Qt.SortOrder.DescendingOrder)
    assert dialog.row_result(0).blocking >= 1
    assert dialog.row_result(3).blocking == 0
    dialog.table.sortByColumn(COLUMNS.index("申请金额合计（元）"), Qt.SortOrder.AscendingOrder)
    assert dialog.row_result(0).total_requested_cny is None  # the damaged file first

    # Filterable by district, item and problems.
    dialog.district_box.setCurrentText("香洲区")
    assert dialog.proxy.rowCount() == 1 and dialog.row_result(0).company == PROBLEM_NAME
    dialog.district_box.setCurrentText("全部")
    dialog.item_box.setCurrentText("（六）国际认证")
    assert dialog.proxy.rowCount() == 3  # not the damaged file
    dialog.item_box.setCurrentText("全部")
    dialog.problem_box.setCurrentIndex(1)
    shown = {Path(dialog.row_result(n).path).name for n in range(dialog.proxy.rowCount())}
    assert shown == {"问题企业.sbproj", "损坏.sbproj"}
    dialog.problem_box.setCurrentIndex(2)
    assert dialog.proxy.rowCount() == 2
    assert "显示 2 / 4 份" in dialog.count_label.text()
    if (shots := __import__("tests.gui.conftest", fromlist=["SHOTS_DIR"]).SHOTS_DIR) is not None:
        dialog.grab().save(str(shots / "review.png"))

    # A double-click on the sample's project opens it in the window.
    row = next(
        n
        for n in range(dialog.proxy.rowCount())
        if dialog.row_result(n).path == str(folder / desk.project.name)
    )
    qtbot.waitExposed(dialog)
    rect = dialog.table.visualRect(dialog.proxy.index(row, 0))
    assert rect.isValid()
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.session is not None)  # opened in the background
    assert window.session is not None
    assert window.session.path == folder / desk.project.name
    assert SAMPLE_NAME in window.windowTitle()

    # The workbook, as `review --out` writes it.
    dest = tmp_path / "汇总.xlsx"
    assert dialog.save(dest)
    assert any(str(dest) in t for t in told)
    rows = list(load_workbook(dest)[SUMMARY_SHEET].iter_rows(min_row=4, values_only=True))
    assert len(rows) == 4

    # Closed and opened again from the menu: the same results, no new folder question.
    dialog.close()
    window.review_action.trigger()
    assert window.review_dialog is dialog and dialog.isVisible()
    assert asked == ["folder"] and dialog.model.rowCount() == 4
    dialog.close()


def test_a_folder_without_sources_is_a_message(qtbot, gui_app, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(
        errors, "show_error", lambda parent, exc, title="": shown.append(errors.message_for(exc))
    )
    dialog = ReviewDialog()
    qtbot.addWidget(dialog)
    dialog.start(tmp_path)
    assert shown and "没有找到" in shown[0]
    assert dialog.task is None and dialog.choose_button.isEnabled()
