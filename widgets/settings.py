"""UI state kept between runs (window geometry, recent projects, last folders): an INI file in
the user's data folder, separate from project data."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QSettings, QThreadPool

from app.system.logs import user_data_dir
from widgets.tasks import TaskContext, run_task

log = logging.getLogger(__name__)

MAX_RECENT = 8


def settings_file() -> Path:
    return user_data_dir() / "settings.ini"


def settings(file: Path | None = None) -> QSettings:
    path = file or settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def recent_projects(file: Path | None = None) -> list[Path]:
    raw = settings(file).value("recent", [])
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        return []
    return [Path(str(p)) for p in raw if p]


def add_recent(path: Path, file: Path | None = None) -> None:
    items = [p for p in recent_projects(file) if p.resolve() != path.resolve()]
    items.insert(0, path.resolve())
    settings(file).setValue("recent", [str(p) for p in items[:MAX_RECENT]])


def remove_recent(path: Path) -> None:
    settings().setValue("recent", [str(p) for p in recent_projects() if p != path])


def last_dir(key: str) -> str:
    value = settings().value(f"dirs/{key}", "")
    return str(value or "")


def set_last_dir(key: str, path: str | Path, file: Path | None = None) -> None:
    settings(file).setValue(f"dirs/{key}", str(path))


_writer: QThreadPool | None = None


def _writes() -> QThreadPool:
    """One thread writing the settings file, in the order asked (the application owns it)."""
    global _writer
    if _writer is None:
        _writer = QThreadPool(QCoreApplication.instance())
        _writer.setMaxThreadCount(1)
    return _writer


def remember_project(parent: QObject, path: Path, then: Callable[[], None]) -> None:
    """A project just opened: first among 最近打开, and where 打开 looks next. Written on a
    thread of its own: each change rewrites the settings file and syncs it to the disk (on this
    project's machine 10-30 ms of the window's thread at every opening; longer on a slow or
    network drive). ``then`` runs on the window's thread once it is written."""
    file = settings_file()  # the user's folder now, whatever it is when the thread runs

    def work(_ctx: TaskContext) -> None:
        add_recent(path, file)
        set_last_dir("projects", path.parent, file)

    def failed(exc: BaseException) -> None:  # a read-only user folder: only the list is lost
        log.warning("could not remember %s in the settings file: %r", path, exc)

    run_task(parent, work, lambda _none: then(), failed, pool=_writes(), quiet=True)


def wait_for_writes(timeout_ms: int = 5000) -> None:
    """Let the settings writes asked for be done (before the window writes its own on closing)."""
    if _writer is not None:
        _writer.waitForDone(timeout_ms)


MAX_GUIDES = 12


def opened_guides() -> list[Path]:
    """Guide files opened with 文件 → 打开申报指南…, newest first (offered when a project is new)."""
    raw = settings().value("guides/opened", [])
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        return []
    return [Path(str(p)) for p in raw if p]


def add_opened_guide(path: Path) -> None:
    items = [p for p in opened_guides() if p != path.resolve()]
    items.insert(0, path.resolve())
    settings().setValue("guides/opened", [str(p) for p in items[:MAX_GUIDES]])
    set_last_guide(path)


def last_guide() -> Path | None:
    """The guide file last chosen or opened: what the start page speaks of without a project."""
    value = settings().value("guides/last", "")
    return Path(str(value)) if value else None


def set_last_guide(path: Path) -> None:
    settings().setValue("guides/last", str(path.resolve()))
