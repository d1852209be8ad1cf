"""Issue 20.3: a long paste banner keeps its whole text, wrapped at the table's full width, at
1366×768 and 1280×720: as tall as it wraps to, scrolling (never clipped) past twelve lines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.manifest.load import load_manifest
from app.manifest.transfer import import_manifest
from app.outputs.demo import SAMPLE_MANIFEST
from tests.gui.conftest import save_shot
from tests.gui.opening import open_and_wait
from widgets.main_window import MainWindow


@pytest.mark.parametrize("size", [(1366, 728), (1280, 680)])
def test_a_long_paste_banner_is_not_cut(qtbot, gui_app, tmp_path: Path, size):  # type: ignore[no-untyped-def]
    project = tmp_path / "示例.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), project)
    window = MainWindow(today=dt.date(2019, 1, 28))
    qtbot.addWidget(window)
    window.show()
    open_and_wait(window, project)
    window.resize(*size)
    window.go(2)
    items = window.items_page
    assert items.select_item("outsourcing_onshore")
    table = items.table_editor("contracts")
    assert table is not None

    def paste(rows: int) -> None:
        lines = [
            f"合同{n}\t某发包方\t中国\t软件开发\t在岸\t否\tUSD\t100{n}\t100\t2018-02-3{n}"
            for n in range(rows)
        ]
        QApplication.clipboard().setText("\n".join(lines))
        table.paste()
        qtbot.wait(50)

    paste(2)  # a short message: all of it shows, no scrolling
    scroll = table.message_scroll
    label = table.message
    assert not scroll.is_cut()
    assert label.height() >= label.heightForWidth(label.width())

    paste(8)  # 17 lines: kept whole in the label, scrolled inside the strip
    text = table.message_text()
    assert "第 8 行“执行日期”" in text  # the last problem is there, not lost
    assert label.height() >= label.heightForWidth(label.width())  # the label holds it all
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
    qtbot.wait(20)
    bottom = label.mapTo(scroll.viewport(), label.rect().bottomLeft()).y()
    assert bottom <= scroll.viewport().height()  # its end can be scrolled into view
    # The message uses the table's full width, not a narrow strip.
    assert scroll.width() >= table.view.width() - 60
    save_shot(window, f"paste-banner-{size[0]}", tmp_path)
    window.close()


def test_a_long_materials_message_scrolls_and_a_short_one_moves_nothing(qtbot, gui_app, tmp_path):  # type: ignore[no-untyped-def]
    project = tmp_path / "示例.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), project)
    window = MainWindow(today=dt.date(2019, 1, 28))
    qtbot.addWidget(window)
    window.show()
    open_and_wait(window, project)
    window.resize(1280, 680)
    page = window.evidence_page
    window.go(window.pages.index(page))
    qtbot.wait(50)

    def files_top() -> int:
        return page.file_list.mapTo(page, page.file_list.rect().topLeft()).y()

    still = files_top()
    page.show_message("已添加 1 个文件（1 页）到“营业执照”。按 Ctrl+Z 可撤销。", "info")
    qtbot.wait(20)
    assert files_top() == still  # the reserved lines take a short message
    notes = [
        f"“扫描{n}.jpg”分辨率偏低，打印后可能看不清。如有条件，请用 300 dpi 重新扫描后替换。"
        for n in range(30)
    ]
    page.show_message("已添加 30 个文件（30 页）到“9 项材料”。\n" + "\n".join(notes), "warning")
    qtbot.wait(20)
    label = page.message
    assert label.height() >= label.heightForWidth(label.width())  # the whole text is held
    scroll = label.parentWidget().parentWidget()
    assert scroll.verticalScrollBar().maximum() > 0  # and scrolls: nothing clipped
    save_shot(window, "evidence-long-message-1280", tmp_path)
    page.hide_message()
    qtbot.wait(20)
    assert files_top() == still and not label.isVisible()
    window.close()
