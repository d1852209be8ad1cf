"""A windowed program has no console: ``sys.stdout`` and ``sys.stderr`` are ``None`` there
(PyInstaller's windowed bootloader, pythonw). Every write to them goes through this guard."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path


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


NATIVE_LOG_LIMIT = 1_000_000  # bytes: a longer native log is started afresh at the next run


def route_native_stderr(log: Path) -> bool:
    """Send what C libraries write straight to the process's stderr (libtiff's "TIFFFillStrip:
    Read error", qpdf, Qt's own warnings) to ``log``, while Python's ``sys.stderr`` — our own
    Chinese messages and progress lines — still reaches the terminal. Returns False (nothing
    changed) where there is no real stderr to split (a windowed program) or the log cannot be
    opened."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    if fd != 2:
        return False
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        if log.exists() and log.stat().st_size > NATIVE_LOG_LIMIT:
            log.unlink()
        sink = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
    except OSError:
        return False
    try:
        sys.stderr.flush()
        terminal = os.dup(2)
        os.dup2(sink, 2)
    except OSError:
        os.close(sink)
        return False
    os.close(sink)
    old = sys.stderr
    sys.stderr = io.TextIOWrapper(
        io.FileIO(terminal, "w", closefd=True),
        encoding=getattr(old, "encoding", None) or "utf-8",
        errors=getattr(old, "errors", None) or "backslashreplace",
        line_buffering=True,
        write_through=True,
    )
    return True
