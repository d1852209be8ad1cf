"""Where unexpected errors are written: a log file in the user's data folder."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import logging

_H = TypeVar("_H", bound="logging.Handler")

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


def user_cache_dir() -> Path:
    """Where the program keeps what it can always make again (deleting it costs only time):
    %LOCALAPPDATA%\\申报材料助手\\cache on Windows, $XDG_CACHE_HOME (or ~/.cache)/申报材料助手
    elsewhere; ``cache`` in PACKET_ASSEMBLER_HOME when that is set. PACKET_ASSEMBLER_CACHE
    names the folder itself (tests)."""
    cache = os.environ.get("PACKET_ASSEMBLER_CACHE")
    if cache:
        return Path(cache)
    home = os.environ.get("PACKET_ASSEMBLER_HOME")
    if home:
        return Path(home) / "cache"
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return Path(local) / APP_DIR_NAME / "cache" if local else user_data_dir() / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / APP_DIR_NAME


def log_path() -> Path:
    return user_data_dir() / "logs" / "error.log"


def native_log_path() -> Path:
    """What C libraries write to the process's stderr (see :func:`app.system.streams.route_native_stderr`)."""
    return user_data_dir() / "logs" / "native.log"


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
    # A record that cannot be written (e.g. a RecursionError: pypdf warns from deep inside a
    # 100,000-deep nested dictionary, where emitting needs more stack than is left) is dropped:
    # logging's default prints "--- Logging error ---" and a traceback to stderr for each.
    logging.raiseExceptions = False
    handler: logging.Handler
    path = user_data_dir() / "logs" / "library.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = _quiet(logging.handlers.RotatingFileHandler)(
            path, maxBytes=1_000_000, backupCount=2, encoding="utf-8", delay=True
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.set_name(_LIBRARY_HANDLER)
    handler.addFilter(_Repeats())
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.captureWarnings(True)
    sys.unraisablehook = _log_unraisable  # "Exception ignored in ..." (a library's __del__)


def _log_unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """Errors Python cannot raise (in finalisers, weakref callbacks) go to the library log,
    one line each, instead of a traceback on the terminal."""
    import logging

    exc = unraisable.exc_value
    where = unraisable.err_msg or "Exception ignored in"
    with contextlib.suppress(Exception):  # nothing may escape an unraisable hook
        logging.getLogger("unraisable").warning(
            "%s %r: %s", where, unraisable.object, type(exc).__name__ if exc else "?"
        )


def _quiet(base: type[_H]) -> type[_H]:
    """``base`` whose records that cannot be written are dropped without a word on stderr."""

    class Quiet(base):  # type: ignore[valid-type,misc]
        def handleError(self, record: object) -> None:
            return

    return Quiet


class _Repeats:
    """A logging filter: the same message (logger and format string) is written at most
    ``LIMIT`` times a run, so one hostile file cannot rotate every earlier line out of the log."""

    LIMIT = 20

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg)[:200])
        count = self.seen.get(key, 0) + 1
        if len(self.seen) < 10_000:
            self.seen[key] = count
        if count == self.LIMIT:
            record.msg = f"{record.msg} (repeated; further copies of this message are dropped)"
        return count <= self.LIMIT
