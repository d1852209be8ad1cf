"""The command line (``main.py check|build|online|import|export|demo|review|guide|selftest``).

:mod:`app.cli.commands` holds the parser and every command; :mod:`app.cli.guides` the
``--guide FILE`` option and ``guide upgrade``. ``main`` is re-exported: ``from app.cli import
main`` is how main.py, the tests and the packaging smoke test run it.
"""

from app.cli.commands import main

__all__ = ["main"]
