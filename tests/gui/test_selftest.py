"""The install smoke test and the no-display message, as a user would run them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_selftest_opens_every_page_offscreen(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PACKET_ASSEMBLER_HOME": str(tmp_path)}
    done = _run(["selftest"], env)
    assert done.returncode == 0, done.stderr
    assert "自检通过" in done.stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux can lack a display")
def test_no_display_gives_a_chinese_message_not_a_crash(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["PACKET_ASSEMBLER_HOME"] = str(tmp_path)
    done = _run([], env)
    assert done.returncode == 2
    assert "找不到图形界面" in done.stderr and "Traceback" not in done.stderr


def test_selftest_tries_the_real_platform_plugin_on_windows() -> None:
    from widgets.selftest import needs_offscreen

    assert not needs_offscreen("win32", {})  # qwindows.dll is what clerks run
    assert needs_offscreen("linux", {})  # no display: offscreen
    assert not needs_offscreen("linux", {"DISPLAY": ":0"})
    assert not needs_offscreen("linux", {"QT_QPA_PLATFORM": "xcb"})  # the caller's choice


def test_selftest_redirected_under_code_page_936_does_not_crash(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys
    from pathlib import Path

    main = Path(__file__).resolve().parents[2] / "main.py"
    env = {**os.environ, "PYTHONIOENCODING": "cp936", "QT_QPA_PLATFORM": "offscreen"}
    env["PACKET_ASSEMBLER_HOME"] = str(tmp_path / "home")
    with open(tmp_path / "log.txt", "wb") as log:
        done = subprocess.run(
            [sys.executable, str(main), "selftest"], stdout=log, env=env, check=False
        )
    assert done.returncode == 0
    assert "自检通过" in (tmp_path / "log.txt").read_bytes().decode("cp936")
