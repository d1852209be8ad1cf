"""Keep ``None``, ``True`` and ``False`` alive whatever the Qt binding does to their counts.

Why: with PySide6 6.12 on CPython 3.11 a call from Python into a Qt method returning ``void``
(``label.setText``, ``item.setBackground``, ``widget.hide``...) and every ``data()`` override
answering ``None`` to a view give back a reference to ``None`` they never took, and every
``Signal.emit`` does the same with ``True``. Measured in this program: one tour of the six pages
costs ``None`` ~460 references and ``True`` one; ``None`` starts with ~25,000, ``True`` with
~4,500. After an hour of work the count reaches zero and CPython aborts with
``Fatal Python error: bool_dealloc`` / ``none_dealloc`` (usually at quit, when many objects are
released at once). Nothing in our code can avoid calling Qt's void methods or answering
``None`` from ``data()``, so the three singletons are given a reference margin no session can
use up (2**40), as CPython 3.12+ does for them anyway (immortal objects, PEP 683).
"""

from __future__ import annotations

import ctypes
import sys

MARGIN = 1 << 40
SLACK = 1 << 20
"""How far the count may move on its own while the margin is added (in practice by a few)."""
SINGLETONS: tuple[object, ...] = (None, True, False)
_done = False


def needed() -> bool:
    """CPython before 3.12 (later versions make these objects immortal), in an ordinary build
    (a ``Py_TRACE_REFS`` build lays the object header out differently)."""
    return (
        sys.implementation.name == "cpython"
        and sys.version_info < (3, 12)
        and not hasattr(sys, "getobjects")
    )


def keep_singletons_alive() -> bool:
    """Add the margin once per process; True when the singletons are now safe."""
    global _done
    if _done:
        return True
    if not needed():
        return sys.version_info >= (3, 12)
    for obj in SINGLETONS:
        before = sys.getrefcount(obj)
        count = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt: the header's first field
        count.value += MARGIN
        # Not the layout we expect (the margin went elsewhere): undo. The count itself moves by
        # a few meanwhile (temporaries made and dropped by the lines above hold these objects
        # too): comparing it with the margin exactly refused the margin now and then, and the
        # program then ran unprotected.
        if abs(sys.getrefcount(obj) - before - MARGIN) > SLACK:
            count.value -= MARGIN
            return False
    _done = True
    return True


def protected() -> bool:
    """The singletons cannot be released by a stray decrement (for tests and the self-test)."""
    if sys.version_info >= (3, 12):
        return True
    return all(sys.getrefcount(obj) > MARGIN // 2 for obj in SINGLETONS)
