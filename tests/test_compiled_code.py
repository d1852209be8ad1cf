"""Run from its source folder, the program keeps its own compiled modules even where the
environment turns Python's bytecode writing off (``PYTHONDONTWRITEBYTECODE``): otherwise every
start and every command compiles ~180 modules again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_a_command_keeps_the_programs_compiled_code(tmp_path: Path) -> None:
    tree = tmp_path / "程序"
    shutil.copytree(REPO / "app", tree / "app", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "main.py", tree / "main.py")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "main.py", "--help"], cwd=tree, env=env, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    kept = {p.name.split(".")[0] for p in (tree / "app" / "cli").glob("__pycache__/*.pyc")}
    assert "commands" in kept
    assert list((tree / "app" / "system").glob("__pycache__/streams.*.pyc"))
