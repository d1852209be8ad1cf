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


_LIBRARY_HANDLER = "packet-assembler-library-log"


def route_library_messages() -> None:
    """Send what libraries log (pypdf's "EOF marker not found", img2pdf's page-size notes,
    Python warnings) to a size-bounded log file instead of the terminal: a user sees our
    Chinese message, never an English library line before it. Best effort: without a writable
    data folder the messages are dropped."""
    import logging
    import logging.handlers

    root = logging.getLogger()
    if any(h.get_name() == _LIBRARY_HANDLER for h in root.handlers):
        return
    handler: logging.Handler
    path = user_data_dir() / "logs" / "library.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=2, encoding="utf-8", delay=True
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.set_name(_LIBRARY_HANDLER)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.captureWarnings(True)
