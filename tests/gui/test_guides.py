"""Guide files in the window: 文件 → 打开申报指南… (remembered across runs), the 新建 chooser
with year and 文号, the start page speaking of the chosen or open guide, and 更换申报指南版本…
listing what changes before it switches."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from app.guide import DEFAULT_GUIDE_ID
from tests.gui.opening import open_and_wait
from tests.test_guide_files import NEW_ID, OLD_ID, variant
from widgets import errors, guides
from widgets.main_window import MainWindow
from widgets.session import ProjectSession
from widgets.settings import opened_guides


def make_window(qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(today=dt.date(2020, 3, 1))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("PACKET_SHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / name))


def test_a_guide_opened_from_anywhere_is_offered_and_spoken_of(  # type: ignore[no-untyped-def]
    qtbot, gui_app, tmp_path, monkeypatch
):
    guide_file = tmp_path / "协会发来" / "2020年指南.toml"
    guide_file.parent.mkdir()
    guide_file.write_text(variant(), encoding="utf-8")
    monkeypatch.setattr(errors, "choose_guide_file", lambda *a, **k: str(guide_file))
    window = make_window(qtbot)
    assert "珠商〔2019〕28号" in window.start_page.intro.text()  # the only bundled guide
    window.open_guide_action.trigger()
    intro = window.start_page.intro.text()
    assert "2020年珠海市" in intro and "珠商〔2020〕71号" in intro
    assert "2020年" in window.start_page.dates_box.title()
    assert opened_guides() == [guide_file.resolve()]
    shot(window, "start-opened-guide.png")
    window.close()

    # remembered across runs: the next window's 新建 offers it beside the bundled guide
    offered: list[list[str]] = []

    def pick(parent, titles):  # type: ignore[no-untyped-def]
        offered.append(titles)
        return next(i for i, t in enumerate(titles) if "珠商〔2020〕71号" in t)

    monkeypatch.setattr(errors, "choose_guide", pick)
    monkeypatch.setattr(errors, "choose_new_project", lambda *a, **k: str(tmp_path / "新.sbproj"))
    again = make_window(qtbot)
    assert "珠商〔2020〕71号" in again.start_page.intro.text()
    again.new_project()
    (titles,) = offered
    assert any("珠商〔2019〕28号" in t for t in titles) and titles[-1] == guides.OPEN_OTHER
    assert again.session is not None and again.session.guide.id == NEW_ID
    assert again.start_page.intro.text().startswith("本项目按《2020年珠海市")
    guide_file.unlink()  # the project keeps its own copy
    path = again.session.path
    again.close_project()
    open_and_wait(again, path)
    assert again.session is not None and again.session.guide.id == NEW_ID


def test_a_broken_guide_file_is_refused_with_its_error(qtbot, gui_app, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    bad = tmp_path / "坏.toml"
    bad.write_text("format = 1\nid = \n", encoding="utf-8")
    told: list[str] = []
    monkeypatch.setattr(errors, "choose_guide_file", lambda *a, **k: str(bad))
    monkeypatch.setattr(
        errors, "inform", lambda parent, title, text, error=False, details="": told.append(text)
    )
    window = make_window(qtbot)
    window.open_guide_action.trigger()
    assert len(told) == 1 and "坏.toml" in told[0]
    assert opened_guides() == []


def test_every_problem_of_a_broken_guide_file_is_listed_with_its_line(  # type: ignore[no-untyped-def]
    qtbot, gui_app, tmp_path, monkeypatch
):
    """The window says the first problem and lists all of them (as `guide check` does), each
    with its line, behind 显示详情…."""
    text = variant("broken-2020")
    text = text.replace("percent = 80", "percent = 800", 1)  # two meaningless values and a typo
    text = text.replace("format = 1", "format = 1\nnonsense_key = 1", 1)
    assert "percent = 800" in text and "nonsense_key" in text
    bad = tmp_path / "三处错误.toml"
    bad.write_text(text, encoding="utf-8")
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(errors, "choose_guide_file", lambda *a, **k: str(bad))
    monkeypatch.setattr(
        errors,
        "inform",
        lambda parent, title, text, error=False, details="": told.append((text, details)),
    )
    window = make_window(qtbot)
    window.open_guide_action.trigger()
    assert len(told) == 1
    message, details = told[0]
    lines = [ln for ln in details.splitlines() if "　错误　" in ln]
    assert len(lines) >= 2 and all(ln.startswith("第 ") for ln in lines), details
    assert any("nonsense_key" in ln for ln in lines) and any("percent" in ln for ln in lines)
    assert f"共 {len(lines)} 处错误" in message
    assert opened_guides() == []


def test_another_version_is_offered_and_switched_to_only_after_the_changes(  # type: ignore[no-untyped-def]
    qtbot, gui_app, tmp_path, monkeypatch
):
    project = tmp_path / "甲.sbproj"
    ProjectSession.create(project, DEFAULT_GUIDE_ID).close()
    newer = tmp_path / "2019-修订.toml"
    newer.write_text(variant(OLD_ID), encoding="utf-8")
    monkeypatch.setattr(errors, "choose_guide_file", lambda *a, **k: str(newer))
    window = make_window(qtbot)
    window.open_guide_action.trigger()
    open_and_wait(window, project)
    assert window.session is not None
    assert window.session.guide.item("service_trade_statistics").ceiling.amount == 20000
    start = window.start_page
    # looked for in the turns after opening (it reads the project file), not in the opening's
    qtbot.waitUntil(lambda: "2019-修订.toml" in start.notice.text())
    assert start.upgrade_button.isVisibleTo(start)
    window.go(0)
    shot(window, "start-other-version.png")

    seen: list[str] = []

    def confirm(parent, session, new):  # type: ignore[no-untyped-def]
        dialog = guides.UpgradeDialog(parent, session, new)
        seen.append(dialog.changes.toPlainText())
        shot(dialog, "upgrade-dialog.png")
        return len(seen) > 1  # refused the first time, confirmed the second

    monkeypatch.setattr(guides, "confirm_upgrade", confirm)
    monkeypatch.setattr(errors, "choose_guide", lambda parent, titles: 0)
    window.go(0)
    start.upgrade_button.click()
    assert "定额 2 万元 → 定额 3 万元" in seen[0] and "珠商〔2020〕71号" in seen[0]
    assert window.session.guide.item("service_trade_statistics").ceiling.amount == 20000
    window.upgrade_guide_action.trigger()
    qtbot.waitUntil(lambda: window.session is not None and window.opening is None)
    assert window.session.guide.item("service_trade_statistics").ceiling.amount == 30000
    assert not window.start_page.upgrade_button.isVisibleTo(window.start_page)
