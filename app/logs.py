"""Where unexpected errors are written: a log file in the user's data folder."""

from __future__ import annotations

import datetime as dt
import os
import sys
import traceback
from pathlib import Path

APP_DIR_NAME = "申报材料助手"


def user_data_dir() -> Path:
    """%APPDATA%\\申报材料助手 on Windows, $XDG_DATA_HOME (or ~/.local/share)/申报材料助手 elsewhere.
    PACKET_ASSEMBLER_HOME overrides it (tests, portable installs)."""
    override = os.environ.get("PACKET_ASSEMBLER_HOME")
    if override:
        return Path(override)
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / APP_DIR_NAME
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_DIR_NAME


def log_path() -> Path:
    return user_data_dir() / "logs" / "error.log"


def log_exception(exc: BaseException) -> Path:
    """Append the traceback to the error log and return its path (best effort)."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"\n=== {dt.datetime.now().isoformat(timespec='seconds')} ===\n")
            fh.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    except OSError:
        pass
    return path
