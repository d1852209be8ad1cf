"""Fixtures for GUI tests: offscreen Qt, an isolated user-data folder, a fresh project session,
and scans made on the fly."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from app.guide import DEFAULT_GUIDE_ID

SHOTS_DIR = Path(os.environ.get("PACKET_SHOTS", "")) if os.environ.get("PACKET_SHOTS") else None


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings, recent projects and error logs go to a temp folder, never the real one."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("PACKET_ASSEMBLER_HOME", str(home))
    return home


@pytest.fixture
def gui_app(qapp):  # type: ignore[no-untyped-def]
    from widgets.app import make_app

    return make_app([])


@pytest.fixture
def session(tmp_path: Path, gui_app) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from widgets.session import ProjectSession

    s = ProjectSession.create(tmp_path / "测试项目.sbproj", DEFAULT_GUIDE_ID)
    yield s
    if not s.store.closed:
        s.close()


@pytest.fixture
def make_scan(tmp_path: Path):  # type: ignore[no-untyped-def]
    """make_scan(name, size=(1240, 1754), color="white") -> Path of a small JPEG/PNG 'scan'."""
    folder = tmp_path / "scans"
    folder.mkdir(exist_ok=True)

    def make(name: str, size: tuple[int, int] = (1240, 1754), color: str = "white") -> Path:
        img = Image.new("RGB", size, color)
        draw = ImageDraw.Draw(img)
        draw.rectangle((60, 60, size[0] - 60, 160), outline="black", width=4)
        for y in range(240, size[1] - 100, 60):
            draw.line((80, y, size[0] - 80, y), fill="gray", width=3)
        path = folder / name
        kwargs = {"dpi": (150, 150)}
        if path.suffix.lower() in (".jpg", ".jpeg"):
            kwargs["quality"] = 70  # type: ignore[assignment]
        img.save(path, **kwargs)
        return path

    return make


def save_shot(widget, name: str, folder: Path | None = None) -> Path | None:  # type: ignore[no-untyped-def]
    """Screenshots: into ``folder`` if given, else into PACKET_SHOTS when it names a folder."""
    target = SHOTS_DIR if SHOTS_DIR is not None else folder
    if target is None:
        return None
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{name}.png"
    widget.grab().save(str(path))
    return path
