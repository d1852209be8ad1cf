"""The window shows where the company stands in the submission process: the stage, the next
step with its date and days left, recording a step (undoable), and the 输出 page's choice
between the 初审 print and the final packet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt

from app.manifest.load import load_manifest
from app.manifest.transfer import import_manifest
from app.outputs.demo import SAMPLE_MANIFEST
from tests.gui.opening import open_and_wait
from widgets.main_window import MainWindow


def sample_project(tmp_path: Path) -> Path:
    path = tmp_path / "示例.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), path)
    return path


def make_window(qtbot, today: dt.date) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(today=today)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_start_page_shows_the_stage_next_step_and_days_left(qtbot, gui_app, tmp_path):  # type: ignore[no-untyped-def]
    window = make_window(qtbot, dt.date(2019, 2, 3))
    panel = window.start_page.stage_panel
    assert not panel.isVisibleTo(window)  # no project: nothing to say
    open_and_wait(window, sample_project(tmp_path))
    window.go(0)
    assert panel.isVisibleTo(window)
    assert panel.stage_label.text() == "当前阶段：初审未交"
    text = panel.next_label.text()
    assert "勿装订" in text and "2019年2月18日前（还有 15 天）" in text  # the guide's date
    assert "2019年2月8日前递交（本程序的建议" in text  # ours, labelled as such
    assert "建议至少提前 10 天递交" in text  # the lead-time advice
    assert "珠海市高新区哈工大经济港科创楼1楼1106室" in text and "13622965527" in text

    # The company handed the copies in on 2 February.
    assert panel.stage_combo.currentData() == "review_submitted"
    panel.date_edit.clear()
    qtbot.keyClicks(panel.date_edit, "2019/2/2")
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    session = window.session
    assert session is not None
    qtbot.waitUntil(lambda: panel.stage_label.text() == "当前阶段：已交初审（2019-02-02）")
    assert session.data.stages == {"review_submitted": dt.date(2019, 2, 2)}
    assert "等待区商务部门出具初审意见" in panel.next_label.text()
    assert "还有 15 天" in panel.next_label.text()  # the district's own deadline now
    assert panel.stage_combo.currentData() == "review_passed"

    # At the final hand-in, the originals checklist comes along.
    panel.stage_combo.setCurrentIndex(panel.stage_combo.findData("online_passed"))
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "网上审核通过" in panel.stage_label.text())
    assert "原件核对清单共" in panel.next_label.text()
    assert "2019年2月28日前（还有 25 天）" in panel.next_label.text()
    session.undo_stack.undo()

    session.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.stage_label.text() == "当前阶段：初审未交")
    assert session.data.stages == {}


def test_output_page_offers_the_review_print_then_the_final_packet(qtbot, gui_app, tmp_path):  # type: ignore[no-untyped-def]
    window = make_window(qtbot, dt.date(2019, 2, 3))
    open_and_wait(window, sample_project(tmp_path))
    window.go(5)
    output = window.output_page
    session = window.session
    assert session is not None
    assert output.stage_panel.isVisibleTo(window)
    assert "还有 15 天" in output.stage_panel.next_label.text()
    # Before the review: the 初审 print, unbound (no gutter, no duplex to choose).
    assert output.review_radio.isChecked() and not output.final_radio.isChecked()
    assert not output.duplex.isEnabled() and not output.gutter.isEnabled()
    assert output.build_button.text() == "生成初审材料"
    # one story with the originals checklist: the stamped original is bound, its scan in the PDF
    assert "申请表为区商务部门盖章的原件" in output.final_radio.text()
    assert "申请表以外" in output.review_radio.text()  # the 申请表 carries no 初审用 mark

    out_dir = tmp_path / "输出"
    output.out_edit.setText(str(out_dir))
    qtbot.mouseClick(output.build_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: output.task is None, timeout=60000)
    assert output.result is not None, output.progress_label.text()
    assert output.result.pdf.name.endswith("（初审用）.pdf") and output.result.pdf.exists()
    assert "初审材料已生成" in output.result_label.text()
    qtbot.waitUntil(lambda: bool(session.data.review_figures))
    assert session.data.review_figures["printed_on"] == "2019-02-03"

    # The review passed: the final packet is what comes next, and without the stamped scan
    # it would be refused.
    panel = output.stage_panel
    panel.stage_combo.setCurrentIndex(panel.stage_combo.findData("review_passed"))
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: output.final_radio.isChecked())
    assert output.duplex.isEnabled() and output.gutter.isEnabled()
    assert (
        "网上申报" in panel.next_label.text()
        and "http://ywgl.zhcz.gov.cn/" in panel.next_label.text()
    )
    assert any(f.code == "process.stamped_form_missing" for f in session.findings)
    assert output.build_button.text() == "生成草稿"

    # The online declaration: its folder, beside the packet's.
    assert output.online_button.isEnabled()
    qtbot.mouseClick(output.online_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: output.task is None, timeout=60000)
    assert output.online_result is not None, output.progress_label.text()
    folder = tmp_path / "示例-网上申报"
    assert output.online_result.folder == folder
    assert (folder / "对照表.pdf").exists() and (folder / "网上申报说明.txt").exists()
    assert "网上申报文件夹已生成" in output.result_label.text()
    assert "未经区商务部门盖章" in output.result_label.text()
    assert output.open_online.isEnabled()

    # The user may still choose the 初审 print; the choice is kept until the stage changes.
    output.review_radio.setChecked(True)
    qtbot.waitUntil(lambda: session.options().get("build_stage") == "review")
    window.go(0)
    window.go(5)
    assert output.review_radio.isChecked()


def test_a_change_after_the_stamp_makes_the_final_packet_a_draft_not_the_review_print(
    qtbot, gui_app, tmp_path
):  # type: ignore[no-untyped-def]
    """A change of amounts after the 初审 print blocks the final packet (the 输出 page offers a
    draft of it only); the 初审 print itself may be rebuilt as it is."""
    from app.rules.process import form_figures

    window = make_window(qtbot, dt.date(2019, 2, 3))
    open_and_wait(window, sample_project(tmp_path))
    session = window.session
    assert session is not None
    figures = form_figures(session.guide, session.data, session.evaluation)
    session.set_review_figures({**figures, "total": "1.00"})  # stamped on other figures
    session.set_stage("review_submitted", dt.date(2019, 2, 2))
    qtbot.waitUntil(lambda: any(f.code == "process.stamped_form_stale" for f in session.findings))
    output = window.output_page
    session.set_option("build_stage", "final")
    window.go(5)
    qtbot.waitUntil(lambda: output.final_radio.isChecked())
    assert output.build_button.text() == "生成草稿"
    assert "必须解决的问题" in output.state.text()
    window.go(4)
    session.set_option("build_stage", "review")
    window.go(5)
    qtbot.waitUntil(lambda: output.review_radio.isChecked())
    assert output.build_button.text() == "生成初审材料"
