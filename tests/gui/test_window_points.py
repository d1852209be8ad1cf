"""Issue 20.7, the window: 输出's 生成 button in view without scrolling at 1366×768, 1280×720 and
1920×1080 at 150 %; the packet viewer inside the screen; an earlier build's files shown after
reopening instead of 尚未生成; an emptied required field marked inline; Tab from the last cell
of a table adds a row; ticking an item does not move the list's columns."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from app.files import LONGEST_TAIL, company_file_name
from app.manifest.load import load_manifest
from app.manifest.transfer import import_manifest
from app.outputs.demo import SAMPLE_MANIFEST
from tests.gui.opening import open_and_wait
from tests.gui.test_company_page import make_page
from tests.gui.test_items_page import type_text
from widgets.main_window import MainWindow
from widgets.pages.items import ItemsPage
from widgets.session import ProjectSession

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("width", "height", "scale"), [(1366, 768, 1.0), (1280, 720, 1.0), (1920, 1080, 1.5)]
)
def test_build_button_in_view_and_viewer_inside_the_screen(tmp_path: Path, width, height, scale):  # type: ignore[no-untyped-def]
    config = tmp_path / "screen.json"
    config.write_text(
        json.dumps(
            {"screens": [{"name": "S", "x": 0, "y": 0, "width": width, "height": height, "dpr": 1}]}
        ),
        encoding="utf-8",
    )
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=f"offscreen:configfile={config}",
        QT_SCALE_FACTOR=str(scale),
        PACKET_ASSEMBLER_HOME=str(tmp_path / "home"),
        PYTHONPATH=str(ROOT),
    )
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tests" / "gui" / "window_probe.py"),
            str(tmp_path),
            str(width),
            str(height),
            str(scale),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["screen"][2:] == [round(width / scale), round(height / scale)]
    assert got["visible"] and got["inside"], got  # 生成 without scrolling
    assert got["scroll_max"] == 0, got  # the page itself does not scroll
    assert got["viewer_fits"], got  # the packet viewer opens inside the screen


def test_an_earlier_build_is_shown_after_reopening(qtbot, gui_app, tmp_path: Path):  # type: ignore[no-untyped-def]
    project = tmp_path / "示例.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), project)
    window = MainWindow(today=dt.date(2019, 1, 28))
    qtbot.addWidget(window)
    window.show()
    open_and_wait(window, project)
    window.go(window.pages.index(window.output_page))
    page = window.output_page
    assert page.result_label.text() == "尚未生成。"
    assert not page.view_button.isEnabled()
    # What an earlier build (of the 初审 print) left in the output folder.
    session = window.session
    assert session is not None
    folder = Path(page.out_edit.text())
    folder.mkdir(parents=True)
    name = session.data.company.name
    pdf = folder / company_file_name(name, LONGEST_TAIL, folder).name
    c = canvas.Canvas(str(pdf), pagesize=A4)
    c.drawString(100, 700, "packet")
    c.showPage()
    c.save()
    (folder / company_file_name(name, ".xlsx", folder).name).write_bytes(b"PK")
    window.close_project()
    open_and_wait(window, project)
    window.go(window.pages.index(window.output_page))
    text = page.result_label.text()
    assert "尚未生成" not in text
    assert "已有初审材料" in text and str(pdf) in text
    assert page.view_button.isEnabled() and page.open_excel.isEnabled()
    qtbot.mouseClick(page.view_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.viewer is not None and page.viewer.isVisible())
    page.viewer.close()
    window.close()


def test_an_emptied_required_field_is_marked(qtbot, session):  # type: ignore[no-untyped-def]
    page = make_page(qtbot, session)
    name = page.editors["name"]
    message = page.messages["name"]
    assert not message.isVisible()  # a new project: nothing typed yet, nothing marked
    name.setFocus()
    type_text(qtbot, name, "珠海示例科技有限公司")
    qtbot.keyClick(name, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(name, Qt.Key.Key_Backspace)
    assert message.isVisible() and "必填" in message.text() and "企业全称" in message.text()
    qtbot.keyClick(name, Qt.Key.Key_Tab)  # leaving the field keeps the mark
    assert message.isVisible()
    type_text(qtbot, name, "珠")
    assert not message.isVisible()
    # An optional field emptied is not marked.
    email = page.editors["email"]
    email.setFocus()
    qtbot.keyClicks(email, "a")
    qtbot.keyClick(email, Qt.Key.Key_Backspace)
    assert "必填" not in page.messages["email"].text()


@pytest.fixture
def items(qtbot, session: ProjectSession) -> ItemsPage:  # type: ignore[no-untyped-def]
    page = ItemsPage()
    qtbot.addWidget(page)
    page.set_session(session)
    page.resize(1216, 640)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_tab_from_the_last_cell_adds_a_row(qtbot, items, session):  # type: ignore[no-untyped-def]
    assert items.select_item("outsourcing_offshore")
    qtbot.mouseClick(items.select_box, Qt.MouseButton.LeftButton)
    table = items.table_editor("contracts")
    assert table is not None
    qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    last = table.model.columnCount() - 1
    # Editing the last cell (a date), Tab commits it and adds a row.
    table.view.setCurrentIndex(table.model.index(0, last))
    table.view.setFocus()
    qtbot.keyClicks(table.view, "2")
    editor = table.view.indexWidget(table.model.index(0, last))
    assert editor is not None
    qtbot.keyClicks(editor, "0180629")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: table.model.rowCount() == 2)
    assert session.data.rows("contracts")[0].values["execution_date"] == dt.date(2018, 6, 29)
    assert table.view.currentIndex().row() == 1 and table.view.currentIndex().column() == 0
    # Not editing: Tab on the last cell adds one more; Tab elsewhere only moves.
    table.view.setCurrentIndex(table.model.index(1, last - 1))
    qtbot.keyClick(table.view, Qt.Key.Key_Tab)
    assert table.model.rowCount() == 2 and table.view.currentIndex().column() == last
    qtbot.keyClick(table.view, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: table.model.rowCount() == 3)
    assert len(session.data.rows("contracts")) == 3


def test_ticking_an_item_does_not_move_the_list(qtbot, items, tmp_path: Path):  # type: ignore[no-untyped-def]
    tree = items.tree
    assert items.select_item("outsourcing_offshore")

    def layout() -> list[object]:
        node = tree.currentItem()
        return [
            tree.columnWidth(0),
            tree.columnWidth(1),
            tree.columnWidth(2),
            tree.visualItemRect(node).topLeft(),
            items.select_box.mapTo(items, QPoint(0, 0)),
            items.item_title.mapTo(items, QPoint(0, 0)),
        ]

    before = layout()
    qtbot.mouseClick(items.select_box, Qt.MouseButton.LeftButton)
    assert tree.currentItem().text(1).strip() == "不符合"
    assert layout() == before
    qtbot.mouseClick(items.select_box, Qt.MouseButton.LeftButton)
    assert layout() == before


def test_an_emptied_required_item_figure_is_marked(qtbot, items, session):  # type: ignore[no-untyped-def]
    assert items.select_item("technology_trade")
    qtbot.mouseClick(items.select_box, Qt.MouseButton.LeftButton)
    row = items.inputs["actual_cost"]
    editor, message = row.editor, row.message
    editor.setFocus()
    qtbot.keyClicks(editor, "500000")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(
        lambda: session.data.item_inputs("technology_trade").get("actual_cost") == 500000
    )
    assert not message.isVisible()
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert message.isVisible() and "必填" in message.text() and "项目实际开销" in message.text()
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: session.data.item_inputs("technology_trade").get("actual_cost") is None)
    assert message.isVisible()  # saved empty, and still marked
    editor.setFocus()
    qtbot.keyClicks(editor, "1")
    assert not message.isVisible()
