"""The house rules the layout promises: the core never imports Qt, and nothing in the product
reads the planning folder outside the repository."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BLOCK_QT = """
import importlib, pkgutil, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6', 'pytestqt'):
            raise ImportError('Qt is not allowed in app/: ' + name)
        return None
sys.meta_path.insert(0, Block())
import app
names = [m.name for m in pkgutil.walk_packages(app.__path__, 'app.')]
for n in names:
    importlib.import_module(n)
print(len(names))
"""


def test_every_core_module_imports_without_qt() -> None:
    done = subprocess.run(
        [sys.executable, "-c", BLOCK_QT], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) >= 20  # the walk really found the core's modules


def test_product_does_not_read_shared_planning_folder() -> None:
    offenders = []
    for folder in ("app", "widgets", "tests", "checklists"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "test_architecture.py":
                continue
            text = path.read_text(encoding="utf-8")
            if "../shared" in text or "/work/shared" in text:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
