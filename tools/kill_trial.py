"""Crash trial of the build's output folder: `build` in a child process, killed (SIGKILL) at a
random moment, N times; after each kill the folder must hold the old set or the new one.

    python tools/kill_trial.py PROJECT.sbproj WORK_DIR [KILLS] [SEED] [FROM] [TO]

The kill moment is uniform in FROM..TO times one build's duration (default 0.05..1.05). With
FROM = ``journal`` the kill aims at the replacement itself: the trial waits until the child's
staging folder has its journal (written just before the first output is touched), then kills
it within TO milliseconds.

Prints one line per kill and the totals: the set found right after the kill (old / new / no
checksum list yet), checksum mismatches (must be 0), staging folders left (cleaned by the next
build) and the set after that clean-up. POSIX only (SIGKILL).
"""

from __future__ import annotations

import hashlib
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.files import recover, staging_prefix  # noqa: E402

SUMS = "SHA256SUMS.txt"


def sums_match(out: Path) -> bool:
    for line in (out / SUMS).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            digest, rel = line.split("  ", 1)
            path = out / rel
            if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                return False
    return True


def main() -> None:
    project, work = Path(sys.argv[1]), Path(sys.argv[2])
    kills = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    at_journal = len(sys.argv) > 5 and sys.argv[5] == "journal"
    if at_journal:
        low, high = 0.0, float(sys.argv[6]) / 1000 if len(sys.argv) > 6 else 0.005
    else:
        low, high = (float(a) for a in sys.argv[5:7]) if len(sys.argv) > 6 else (0.05, 1.05)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    out = work / "输出"

    def start(n: int) -> subprocess.Popen[bytes]:
        today = f"2019-{1 + n // 28 % 12:02d}-{1 + n % 28:02d}"  # every build differs
        argv = ["build", str(project), "--out", str(out), "--today", today]
        return subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    began = time.monotonic()
    if start(0).wait() != 0:
        raise SystemExit("the first build failed")
    span = time.monotonic() - began
    totals: Counter[str] = Counter()
    for n in range(1, kills + 1):
        before = (out / SUMS).read_bytes()
        child = start(n)
        if at_journal:
            pattern = staging_prefix(out) + "*/journal.json"
            while child.poll() is None and not any(work.glob(pattern)):
                time.sleep(0.0005)
            time.sleep(rng.uniform(low, high))
        else:
            time.sleep(rng.uniform(low, high) * span)
        child.send_signal(signal.SIGKILL)
        code = child.wait()
        if code == 0:
            state = "finished before the kill"
        elif not (out / SUMS).exists():
            state = "no checksum list yet"
        else:
            state = "old" if (out / SUMS).read_bytes() == before else "new"
        mismatch = (out / SUMS).exists() and not sums_match(out)
        left = [p for p in work.iterdir() if p.name.startswith(staging_prefix(out))]
        recover(out)
        after = "old" if (out / SUMS).read_bytes() == before else "new"
        ok = sums_match(out) and not list(work.glob(staging_prefix(out) + "*"))
        totals[f"right after the kill: {state}"] += 1
        totals[f"after clean-up: {after}"] += 1
        totals["checksum mismatches right after the kill"] += mismatch
        totals["kills that left a staging folder"] += bool(left)
        totals["bad after clean-up"] += not ok
        print(f"{n:3d} {state:24s} staging left: {len(left)}  after clean-up: {after}", flush=True)
    print(f"{kills} kills, one build takes {span:.2f} s here")
    for key in sorted(totals):
        print(f"  {key}: {totals[key]}")


if __name__ == "__main__":
    main()
