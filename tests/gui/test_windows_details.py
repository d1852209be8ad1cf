"""Windows details that behave the same anywhere: a window brought forward by a second launch
keeps its maximised state; the single-window name tells a domain account from a local one of
the same name; SimSun is looked for in the Windows folder the system names."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.system import fonts
from widgets import instance
from widgets.main_window import MainWindow


def test_bringing_a_maximised_window_forward_keeps_it_maximised(qtbot, gui_app) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow()
    qtbot.addWidget(window)
    window.showMaximized()
    qtbot.waitUntil(window.isMaximized)
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    window.bring_forward()
    qtbot.waitUntil(lambda: not window.isMinimized())
    assert window.isMaximized()


def test_the_window_name_includes_the_domain_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    project = Path("项目.sbproj")
    monkeypatch.setattr(instance.getpass, "getuser", lambda: "clerk")
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("USERDOMAIN", "FINANCE")
    on_domain = instance.server_name(project)
    monkeypatch.setenv("USERDOMAIN", "PC-07")
    local = instance.server_name(project)
    assert on_domain != local
    assert instance._user() == "PC-07\\clerk"


def test_simsun_is_looked_for_in_the_windows_folder_the_system_names() -> None:
    assert fonts.windows_fonts_dir({"WINDIR": "D:\\WINNT"}) == Path("D:\\WINNT") / "Fonts"
    assert fonts.windows_fonts_dir({"SystemRoot": "E:\\Win"}) == Path("E:\\Win") / "Fonts"
    assert fonts.windows_fonts_dir({}) == Path("C:/Windows") / "Fonts"
