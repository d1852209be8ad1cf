"""The start benchmark's hook: with PACKET_ASSEMBLER_MEASURE_START set, the program says
``shown`` once its main window has been painted, and quits (benchmarks/bench_start.py times it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_program_reports_its_first_paint_and_quits(tmp_path: Path) -> None:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PACKET_ASSEMBLER_HOME=str(tmp_path),
        PACKET_ASSEMBLER_MEASURE_START="1",
    )
    done = subprocess.run(
        [sys.executable, str(REPO / "main.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == ["shown"]
