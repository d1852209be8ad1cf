"""Helpers shared by the PyInstaller spec and build.py (packaging/ is not a package: its name
would shadow the `packaging` library PyInstaller itself imports)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.system import about  # noqa: E402


def version_tuple() -> tuple[int, int, int, int]:
    parts = [int(p) for p in about.VERSION.split(".")]
    return (*parts, 0, 0, 0, 0)[:4]  # type: ignore[return-value]


def version_info_text(exe: str = about.GUI_EXE, description: str = about.APP_NAME) -> str:
    """The Windows version resource of the program ``exe`` (Explorer's Properties > Details,
    Task Manager's name: ``description``) in PyInstaller's VSVersionInfo text form. Each program
    has its own (its file name, its description). 080404B0: Chinese (PRC), Unicode code page."""
    v = version_tuple()
    strings = {
        "CompanyName": about.COMPANY,
        "FileDescription": description,
        "FileVersion": about.VERSION,
        "InternalName": exe,
        "LegalCopyright": about.COPYRIGHT,
        "OriginalFilename": exe + ".exe",
        "ProductName": about.APP_NAME,
        "ProductVersion": about.VERSION,
    }
    table = ",\n".join(f"          StringStruct({k!r}, {val!r})" for k, val in strings.items())
    return f"""# -*- coding: utf-8 -*-
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={v!r},
    prodvers={v!r},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '080404B0',
        [
{table}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0804, 1200])])
  ]
)
"""


PROGRAMS = {
    about.GUI_EXE: about.APP_NAME,
    about.CLI_EXE: f"{about.APP_NAME}（命令行）",
}
"""Each program of the bundle and the description its version resource gives."""


def write_version_file(path: Path, exe: str = about.GUI_EXE) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(version_info_text(exe, PROGRAMS[exe]), encoding="utf-8")
    return str(path)
