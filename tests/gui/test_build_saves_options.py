"""生成 saves the page's options and decides draft or not from the findings in the build's
worker thread (not on the window's thread): the options are in the project file when the build
runs, and a packet with problems left is still a draft."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from PySide6.QtCore import Qt

from app.guide import DEFAULT_GUIDE_ID
from app.rules.findings import blocking_for
from tests.gui.opening import open_and_wait
from widgets.main_window import MainWindow
from widgets.session import ProjectSession

OUTPUT = 5


def _window(qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(today=dt.date(2019, 2, 1))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_build_saves_the_options_shown_before_it_builds(qtbot, gui_app, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from app.manifest.load import load_manifest
    from app.manifest.transfer import import_manifest
    from app.outputs import build as build_module
    from app.outputs.demo import SAMPLE_MANIFEST

    project = tmp_path / "示例.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), project)
    window = _window(qtbot)
    open_and_wait(window, project)
    window.go(OUTPUT)
    output = window.output_page
    session = window.session
    assert session is not None
    out_dir = tmp_path / "输出"
    output.out_edit.setText(str(out_dir))  # typed, not yet saved (no editingFinished)
    output.repeat.blockSignals(True)
    output.repeat.setChecked(not output.repeat.isChecked())
    output.repeat.blockSignals(False)
    wanted_repeat = output.repeat.isChecked()
    assert session.options().get("out_dir") != str(out_dir)

    seen: dict[str, object] = {}
    real_build = build_module.build

    def watched(store, *args, **kwargs):  # type: ignore[no-untyped-def]
        # what the project file holds when the build starts, and on which thread it runs
        seen["options"] = store.get_options()
        seen["thread"] = threading.current_thread() is threading.main_thread()
        return real_build(store, *args, **kwargs)

    monkeypatch.setattr(build_module, "build", watched)
    qtbot.mouseClick(output.build_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: output.task is None, timeout=60000)
    assert output.result is not None and output.result.pdf.exists()
    assert output.result.pdf.parent == out_dir
    stored = seen["options"]
    assert isinstance(stored, dict)
    assert stored["out_dir"] == str(out_dir)
    assert stored["repeat_shared"] is wanted_repeat
    assert seen["thread"] is False
    # the page shows the findings the build went by: a draft exactly when problems are left
    stage = output.result.stage
    assert output.result.draft == bool(blocking_for(session.findings, stage))
    assert session.options()["out_dir"] == str(out_dir)


def test_output_options_leave_the_worked_out_findings_and_are_announced(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    findings = session.findings
    topics: list[str] = []
    session.changed.connect(topics.append)
    session.save_options({"duplex": True, "out_dir": "D:/申报"})
    qtbot.waitUntil(lambda: "options" in topics)
    assert session.options()["duplex"] is True
    assert session.findings is findings  # not worked out again: options are not project data
    session.store.set_option("duplex", False)  # written past the session: read again
    assert session.options()["duplex"] is False
    session.save_options({"out_dir": None})
    assert "out_dir" not in session.options() and "out_dir" not in session.store.get_options()
    # the declaration is project data: a change to it is worked out again
    session.set_declaration_confirmed(True)
    qtbot.waitUntil(lambda: topics.count("options") == 2)
    assert session.findings is not findings


def test_findings_for_a_worker_when_not_known_yet(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    session.set_company_field("name", "甲科技有限公司")  # what was worked out is forgotten
    later = session.findings_later()
    got: list[object] = []
    worker = threading.Thread(target=lambda: got.append(later()))
    worker.start()
    worker.join(30)
    assert got and [f.where for f in got[0]] == [f.where for f in session.findings]  # type: ignore[attr-defined]
    assert "company.name" not in {f.where for f in session.findings}


def test_a_new_project_is_a_draft(qtbot, gui_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "甲公司.sbproj"
    ProjectSession.create(path, DEFAULT_GUIDE_ID).close()
    window = _window(qtbot)
    open_and_wait(window, path)
    window.go(OUTPUT)
    output = window.output_page
    output.out_edit.setText(str(tmp_path / "草稿"))
    qtbot.mouseClick(output.build_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: output.task is None, timeout=60000)
    assert output.result is not None and output.result.draft
    assert window.session is not None
    assert window.session.options()["out_dir"] == str(tmp_path / "草稿")
