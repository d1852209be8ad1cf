"""A windowed program has no console: ``sys.stdout`` and ``sys.stderr`` are ``None`` there
(PyInstaller's windowed bootloader, pythonw). Every write to them goes through this guard."""

from __future__ import annotations

import os
import sys


def ensure_streams() -> None:
    """Give a missing stdout/stderr a sink (the null device) so a write cannot fail."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
