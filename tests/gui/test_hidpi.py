"""At 125 % and 150 % display scaling, thumbnails and previews are rendered with that many more
real pixels and drawn at their logical size (sharp, not stretched). Each scale runs in its own
process: Qt reads QT_SCALE_FACTOR at start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("scale", [1.0, 1.25, 1.5])
def test_thumbnails_and_preview_at_the_device_pixel_ratio(tmp_path: Path, scale: float) -> None:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        QT_SCALE_FACTOR=str(scale),
        PACKET_ASSEMBLER_HOME=str(tmp_path / "home"),
        PYTHONPATH=str(ROOT),
    )
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "gui" / "hidpi_probe.py"), str(tmp_path / "p.pdf")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["screen_ratio"] == pytest.approx(scale)
    assert got["cache_ratio"] == pytest.approx(scale)
    assert got["thumb"] == [round(150 * scale), pytest.approx(scale)]
    assert got["turned"][1] == pytest.approx(scale)  # a rotated page keeps its sharpness
    assert got["icon"][:2] == [
        pytest.approx(106 * scale, abs=1),
        pytest.approx(150 * scale, abs=1),
    ]
    assert got["icon"][2] == pytest.approx(scale)
    real, ratio, logical = got["preview"]
    assert ratio == pytest.approx(scale)
    assert real == pytest.approx(logical * scale, abs=2)
