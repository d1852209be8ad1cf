"""申报材料助手 entry point: no arguments opens the window; a sub-command runs headless."""

from __future__ import annotations

import sys


def run() -> int:
    from app.logs import route_library_messages

    route_library_messages()
    if sys.argv[1:] == ["selftest"]:
        from widgets.selftest import run as selftest

        return selftest()
    if len(sys.argv) > 1:
        from app.cli import main

        return main(sys.argv[1:])
    from widgets.app import run_gui

    return run_gui(sys.argv)


if __name__ == "__main__":
    sys.exit(run())
