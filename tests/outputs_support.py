"""Helpers for the output tests: Windows' errors as Linux cannot produce them, folder snapshots."""

from __future__ import annotations

import errno
from pathlib import Path


def windows_error(winerror: int) -> PermissionError:
    """The PermissionError Windows raises: 32 = the file is held open by another program
    (sharing violation), 5 = access denied (read-only file or folder)."""
    exc = PermissionError(errno.EACCES, "The process cannot access the file")
    exc.winerror = winerror  # type: ignore[attr-defined]
    return exc


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative POSIX path -> bytes)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }
