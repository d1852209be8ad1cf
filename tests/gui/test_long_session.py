"""A long working hour ended by quitting, many times over: every quit is clean.

One quit in a trial died with ``Fatal Python error: bool_dealloc``. The cause is the binding:
Qt's void methods and ``data()`` answering ``None`` give back references to ``None`` they never
took, ``Signal.emit`` to ``True`` (widgets/refguard.py has the measurements); after enough work
the count reached zero. The program now gives those singletons a margin at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from app.manifest.load import load_manifest
from app.manifest.transfer import import_manifest
from app.outputs.demo import SAMPLE_MANIFEST
from widgets import refguard

ROOT = Path(__file__).resolve().parents[2]


def test_the_margin_is_added_when_it_is_the_first_thing_a_process_does() -> None:
    """The check that the margin landed in the count compared it exactly, and the count moves
    by a few on its own meanwhile: called first in a fresh process, it refused every time."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from widgets.refguard import keep_singletons_alive, protected;"
        "print(keep_singletons_alive(), protected())"
    )
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-c", code, str(ROOT)], capture_output=True, text=True, check=True
        )
        assert done.stdout.split() == ["True", "True"], done.stdout + done.stderr


def test_the_singletons_are_protected_once_the_program_starts(gui_app):  # type: ignore[no-untyped-def]
    assert refguard.protected()
    before = sys.getrefcount(None)
    assert refguard.keep_singletons_alive()  # a second call adds nothing
    assert sys.getrefcount(None) - before < refguard.MARGIN // 2
    label = QLabel()
    for _ in range(1000):
        label.hide()
    assert refguard.protected()


@pytest.mark.parametrize("run", range(3))
def test_a_long_session_then_quit_exits_cleanly(tmp_path: Path, run: int):  # type: ignore[no-untyped-def]
    project = tmp_path / "示例.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), project)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PACKET_ASSEMBLER_HOME=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-m", "tests.gui.long_session", str(project), "3"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert "Fatal Python error" not in done.stderr, done.stderr[-2000:]
    assert done.returncode == 0, done.stderr[-2000:]
    lines = dict(line.split("=", 1) for line in done.stdout.split() if "=" in line)
    assert int(lines["rows"]) == 6 + 3  # the sample's six contracts and one per tour
