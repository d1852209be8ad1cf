"""申报材料助手 entry point: no arguments opens the window; a project file (what a double-click
in Explorer passes) opens the window on that project; a sub-command runs headless."""

from __future__ import annotations

import sys


def opens_project(args: list[str]) -> bool:
    """One argument naming a project file: the window, not the command line."""
    return len(args) == 1 and args[0].lower().endswith(".sbproj")


def keep_compiled_code() -> None:
    """Python compiles each module it imports; it keeps the result (``__pycache__``) unless
    bytecode writing is turned off, as some environments do (``PYTHONDONTWRITEBYTECODE``, common
    in containers). The program's own ~180 modules would then be compiled again at every start
    and every command (0.6-0.9 s on a 2-core machine); an installed program's are compiled once.
    Run from its source folder, the program keeps its own compiled code as Python would by
    default (a frozen build carries it; a folder it may not write to is left as it is)."""
    if not getattr(sys, "frozen", False):
        sys.dont_write_bytecode = False


def run() -> int:
    keep_compiled_code()
    from app.system.streams import ensure_streams

    ensure_streams()  # the windowed program has no console: stdout/stderr are None there
    from app.system.logs import native_log_path, route_library_messages
    from app.system.streams import route_native_stderr

    route_library_messages()
    route_native_stderr(native_log_path())
    args = sys.argv[1:]
    if args == ["selftest"]:
        from widgets.selftest import run as selftest

        return selftest()
    if args and not opens_project(args):
        from app.cli import main

        return main(args)
    from widgets.app import run_gui

    return run_gui(sys.argv)


if __name__ == "__main__":
    if sys.argv[1:] == ["--side-outputs"]:  # app.outputs.side.CHILD_FLAG (frozen program)
        # A build's second process (its Excel file and Word templates): the job comes on
        # stdin, the answer goes to stdout; nothing else of the program starts.
        from app.outputs.side import child_main

        sys.exit(child_main())
    sys.exit(run())
