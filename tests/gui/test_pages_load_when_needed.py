"""A project given to the window loads into the page shown at once; the hidden pages load it
when shown, when asked (navigation, accessors), or one per turn of the event loop after that.
Until then nothing a hidden page still shows is saved into the project."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QLineEdit

from app.guide import DEFAULT_GUIDE_ID
from tests.gui.opening import open_and_wait
from widgets.main_window import MainWindow
from widgets.session import ProjectSession

COMPANY, ITEMS, EVIDENCE, OUTPUT = 1, 2, 3, 5


def _project(tmp_path: Path, name: str = "甲公司.sbproj", company: str = "甲科技有限公司") -> Path:
    path = tmp_path / name
    session = ProjectSession.create(path, DEFAULT_GUIDE_ID)
    session.set_company_field("name", company)
    session.set_company_field("contact", "李联系")
    session.store.set_selected([session.guide.item_ids[0]])
    session.set_option("out_dir", str(tmp_path / f"{company}-输出"))
    session.close()
    return path


def _window(qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(today=dt.date(2019, 2, 1))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_hidden_pages_load_when_shown_or_asked(qtbot, gui_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _project(tmp_path)
    window = _window(qtbot)
    session = ProjectSession.open(path)
    window.set_session(session)  # no event loop turn yet: the start page is the one shown
    assert window.stack.currentWidget() is window.start_page
    hidden = (window.company_page, window.items_page, window.evidence_page, window.output_page)
    assert all(page.stale for page in hidden)
    assert window.pages_loading
    assert window.output_page.out_edit.text() == ""  # not loaded: nothing of the project yet

    # asked for: the evidence page loads there and then
    assert window.evidence_page.tree.topLevelItemCount() == 0
    window.evidence_page.tree_item(("business_license", None))
    assert not window.evidence_page.stale
    assert window.evidence_page.tree.topLevelItemCount() > 0
    assert window.evidence_page.summary.text().startswith("已附 0 / ")

    # shown: the output page shows this project's folder
    window.go(OUTPUT)
    assert not window.output_page.stale
    assert window.output_page.out_edit.text() == str(tmp_path / "甲科技有限公司-输出")

    # the rest load on their own, one per turn of the event loop
    qtbot.waitUntil(lambda: not window.pages_loading)
    name = window.company_page.editors["name"]
    assert isinstance(name, QLineEdit) and name.text() == "甲科技有限公司"
    assert window.items_page.current_item_id() == session.guide.item_ids[0]


def test_a_page_not_loaded_yet_saves_nothing(qtbot, gui_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The company page still shows the project before (or nothing) until it loads this one:
    leaving a page (which saves what is being typed) must not write those fields over it."""
    first = _project(tmp_path, "甲公司.sbproj", "甲科技有限公司")
    second = _project(tmp_path, "乙公司.sbproj", "乙科技有限公司")
    window = _window(qtbot)
    open_and_wait(window, first)
    window.go(ITEMS)  # the company page was shown, then left: it holds the first company
    window.close_project()
    window.set_session(ProjectSession.open(second))
    assert window.company_page.stale
    window.flush_pages()  # what leaving a page and closing do
    window.go(EVIDENCE)
    assert window.session is not None
    assert window.session.data.company.name == "乙科技有限公司"
    assert window.session.data.company.contact == "李联系"

    # a change made while the page waits shows once it loads
    window.session.set_company_field("contact", "王联系")
    qtbot.wait(20)  # announced on the next turn of the event loop
    window.go(COMPANY)
    contact = window.company_page.editors["contact"]
    assert isinstance(contact, QLineEdit) and contact.text() == "王联系"
    window.close_project()
    again = ProjectSession.open(second)
    try:
        assert again.data.company.name == "乙科技有限公司"
    finally:
        again.close()


def test_a_page_loaded_later_in_a_read_only_view_is_read_only(  # type: ignore[no-untyped-def]
    qtbot, gui_app, tmp_path: Path
) -> None:
    path = _project(tmp_path)
    holder = ProjectSession.open(path)  # the project is being edited elsewhere
    try:
        window = _window(qtbot)
        window.set_session(ProjectSession.open(path, read_only=True))
        assert window.company_page.stale
        window.go(COMPANY)
        name = window.company_page.editors["name"]
        assert isinstance(name, QLineEdit)
        assert name.text() == "甲科技有限公司"
        assert name.isReadOnly()
        window.close_project()
    finally:
        holder.close()


def test_opening_brings_the_findings_worked_out_in_the_background(
    qtbot, gui_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from app.rules.evaluation import evaluate
    from app.rules.findings import validate

    path = _project(tmp_path)
    window = _window(qtbot)
    open_and_wait(window, path)
    session = window.session
    assert session is not None
    data = session.store.load()
    fresh = validate(session.guide, data, evaluate(session.guide, data))
    assert [f.where for f in session.findings] == [f.where for f in fresh]
    blockers = sum(1 for f in fresh if f.blocking)
    assert f"待解决问题 {blockers} 个" in window.status.text()


def test_a_page_built_when_shown_takes_changes_made_while_hidden_when_shown(
    qtbot, gui_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = _project(tmp_path)
    window = _window(qtbot)
    open_and_wait(window, path)
    qtbot.waitUntil(lambda: not window.pages_loading)
    output = window.output_page
    assert output.out_edit.text() == str(tmp_path / "甲科技有限公司-输出")
    assert window.session is not None
    window.session.save_options({"out_dir": str(tmp_path / "新文件夹")})
    qtbot.waitUntil(lambda: output.stale)  # hidden: left until shown
    assert output.out_edit.text() == str(tmp_path / "甲科技有限公司-输出")
    window.go(OUTPUT)
    assert not output.stale
    assert output.out_edit.text() == str(tmp_path / "新文件夹")
    # shown: a change shows at once
    window.session.save_options({"out_dir": str(tmp_path / "又一个")})
    qtbot.waitUntil(lambda: output.out_edit.text() == str(tmp_path / "又一个"))
    assert not output.stale
