"""UI state kept between runs (window geometry, recent projects, last folders): an INI file in
the user's data folder, separate from project data."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from app.system.logs import user_data_dir

MAX_RECENT = 8


def settings() -> QSettings:
    path = user_data_dir() / "settings.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def recent_projects() -> list[Path]:
    raw = settings().value("recent", [])
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        return []
    return [Path(str(p)) for p in raw if p]


def add_recent(path: Path) -> None:
    items = [p for p in recent_projects() if p.resolve() != path.resolve()]
    items.insert(0, path.resolve())
    settings().setValue("recent", [str(p) for p in items[:MAX_RECENT]])


def remove_recent(path: Path) -> None:
    settings().setValue("recent", [str(p) for p in recent_projects() if p != path])


def last_dir(key: str) -> str:
    value = settings().value(f"dirs/{key}", "")
    return str(value or "")


def set_last_dir(key: str, path: str | Path) -> None:
    settings().setValue(f"dirs/{key}", str(path))


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
