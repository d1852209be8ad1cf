"""The program's identity in one place: the version resource, the installer, the zip name and
the command name shown in messages all read it (pyproject's version is checked against it)."""

from __future__ import annotations

import sys

APP_NAME = "申报材料助手"
APP_NAME_EN = "Packet Assembler"
VERSION = "0.1.0"
COMPANY = "Packet Assembler"
COPYRIGHT = "Copyright (C) 2026 Packet Assembler"
# ASCII executable names: the Chinese name is the shortcut and the version resource's
# description; an ASCII file name is safe in every code page, command prompt, script and
# antivirus allow-list, and in the association's command line.
GUI_EXE = "PacketAssembler"
CLI_EXE = "PacketAssembler-cli"
FILE_EXTENSION = ".sbproj"


def frozen() -> bool:
    """True in the PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False))


def command_name() -> str:
    """How a user runs the command line: ``python main.py`` from source, the console program
    of the installed bundle otherwise."""
    if not frozen():
        return "python main.py"
    return CLI_EXE + (".exe" if sys.platform == "win32" else "")
