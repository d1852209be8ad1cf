"""A windowed program has no console: ``sys.stdout`` and ``sys.stderr`` are ``None`` there
(PyInstaller's windowed bootloader, pythonw). Every write to them goes through this guard."""

from __future__ import annotations

import contextlib
import os
import sys


def ensure_streams() -> None:
    """Give a missing stdout/stderr a sink (the null device) so a write cannot fail, and let a
    stream whose code page lacks a character (cp936 has no "–" or "✓") write it escaped instead
    of raising UnicodeEncodeError (``selftest > log.txt`` on a clerk's PC)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
        elif hasattr(stream, "reconfigure"):
            with contextlib.suppress(ValueError, OSError):  # a stream that cannot change now
                stream.reconfigure(errors="backslashreplace")
