"""Issue 20.8: under an English system locale every word Qt's own widgets show is Chinese:
the calendar's month and day names (from QLocale, not the translations), the file dialog and
the standard buttons. Runs in a child process: Qt reads the system locale at start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_qt_widgets_speak_chinese_under_an_english_system(tmp_path: Path) -> None:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        LANG="en_US.UTF-8",
        LC_ALL="en_US.UTF-8",
        LANGUAGE="en_US:en",
        PACKET_ASSEMBLER_HOME=str(tmp_path / "home"),
        PYTHONPATH=str(ROOT),
    )
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "gui" / "locale_probe.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["system"] == "en_US"  # the test really runs under an English system
    assert got["default"] == got["calendar"] == got["popup"] == got["dialog_locale"] == "zh_CN"
    assert got["month"] == "六月" and got["standalone_month"] == "六月"
    assert got["day"] in ("周一", "一")
    assert any(t in ("打开(&O)", "打开", "选择(&C)", "选择") for t in got["dialog_buttons"]), got
    assert not any(t in ("&Open", "Open", "Cancel", "&Cancel") for t in got["dialog_buttons"])
    assert any("取消" in t for t in got["standard_buttons"])
    assert any("确定" in t for t in got["standard_buttons"])
