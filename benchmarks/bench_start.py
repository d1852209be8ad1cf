"""Benchmark: from double-click to a usable window (goal: 1.0 s warm).

Run by hand (not by pytest)::

    python benchmarks/bench_start.py [--runs 7] [--frozen DIST/申报材料助手]

Each run starts the program as a fresh process (``main.py`` from the source, or the frozen
executable with ``--frozen``), with ``PACKET_ASSEMBLER_MEASURE_START`` set: the program prints
``shown`` once its main window has been painted the first time, and quits. The time is from
starting the process to reading that line (interpreter start, imports, Qt, the window built,
shown and painted). The first run warms the disk cache and is not counted ("warm" start).

Beside it, in the same run, the floor: a bare PySide6 program (QApplication, one empty
QWidget shown and painted, measured the same way).

Prints the median, min and max of the runs and the ratio to the floor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

FLOOR = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

app = QApplication(sys.argv)
window = QWidget()
window.resize(1280, 760)


class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            window.removeEventFilter(self)
            QTimer.singleShot(0, self.finish)
        return False

    def finish(self):
        print("shown", flush=True)
        app.quit()


watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
app.exec()
"""


def time_start(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == "shown":
            took = time.perf_counter() - start
            break
    else:
        proc.wait()
        raise SystemExit(f"{cmd[-1]} never showed its window: {proc.stderr.read()[-2000:]}")
    proc.wait(timeout=60)
    return took


def series(cmd: list[str], env: dict[str, str], runs: int) -> list[float]:
    time_start(cmd, env)  # warm the disk cache; not counted
    return [time_start(cmd, env) for _ in range(runs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--frozen", help="the frozen program's executable, instead of main.py")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-start-") as home:
        env = dict(os.environ, PACKET_ASSEMBLER_HOME=home, PACKET_ASSEMBLER_MEASURE_START="1")
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        ours_cmd = [args.frozen] if args.frozen else [sys.executable, str(REPO / "main.py")]
        floor_cmd = [sys.executable, "-c", FLOOR]
        floor: list[float] = []
        ours: list[float] = []
        floor += series(floor_cmd, env, 1)
        ours += series(ours_cmd, env, 1)
        for _ in range(args.runs - 1):  # interleaved: both see the same load
            floor.append(time_start(floor_cmd, env))
            ours.append(time_start(ours_cmd, env))

    def line(name: str, times: list[float]) -> str:
        return (
            f"{name:<44} median {statistics.median(times):5.2f} s  "
            f"min {min(times):5.2f} s  max {max(times):5.2f} s"
        )

    print(line("floor: bare PySide6 window shown and painted", floor))
    print(
        line(
            "ours: " + ("frozen program" if args.frozen else "main.py") + ", main window painted",
            ours,
        )
    )
    print(
        f"ratio ours/floor (medians): {statistics.median(ours) / statistics.median(floor):.2f}x; "
        f"goal: ours <= 1.0 s"
    )


if __name__ == "__main__":
    main()
