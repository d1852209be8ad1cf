"""Python's cyclic garbage collector and the window's thread.

A full collection (generation 2) walks every object the program holds, holding Python's GIL
the whole time, in whichever thread happened to allocate when it came due: with the modules of
Qt, reportlab, pypdf, Pillow, openpyxl and the open project (120,000-230,000 objects) that is
60-100 ms on this project's 2-core reference machine, and the window's thread, waiting for the
GIL, cannot run a single Python slot meanwhile (measured with ``benchmarks/bench_gui.py``: the
longest stalls of the warm-up, an import at 4x the corpus and the build were each one full
collection in a background thread).

What is loaded once and kept for the life of the program (modules, classes, functions, the
fonts, the window) need not be walked again and again: :func:`settle` moves everything alive
now into Python's permanent generation (``gc.freeze``), which no collection walks. Plain
reference counting still frees such objects as usual; only a reference cycle among them would
stay (as a module's would anyway).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_quiet = 0
_was_enabled = True


def settle() -> None:
    """Leave every object alive now out of all later collections (see the module's text)."""
    gc.freeze()


@contextmanager
def quiet_then_settle() -> Iterator[None]:
    """No automatic collection while the block runs (it loads what stays: importing modules
    makes many objects and no garbage to speak of), then :func:`settle` what it loaded.

    Blocks may nest and run in several threads at once: collection resumes when the last one
    ends, and only if it was on when the first began. Collection is off for every thread
    meanwhile: a reference cycle that another thread drops during the block is kept (settled
    with the rest), so keep blocks short (the warm-up: 1-3 s)."""
    global _quiet, _was_enabled
    with _lock:
        if _quiet == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _quiet += 1
    try:
        yield
    finally:
        with _lock:
            _quiet -= 1
            if _quiet == 0:
                settle()
                if _was_enabled:
                    gc.enable()


_rare_lock = threading.Lock()
_rare = 0
_thresholds = gc.get_threshold()

RARE_FULL = 1000
"""While :func:`rarely` runs: a full collection is considered after this many collections of the
middle generation (Python's default: 10)."""


@contextmanager
def rarely() -> Iterator[None]:
    """Full collections only rarely while the block runs (a build: pypdf's writer keeps every
    page's objects alive to the end, and each full collection walked them all, 35-60 ms of the
    GIL at 4x the benchmark corpus). The young generations are collected as usual; what dies
    old waits for the first full collection after the block (at 4x: 13-17 MB more at the peak).
    Blocks may nest and run in several threads at once."""
    global _rare, _thresholds
    with _rare_lock:
        if _rare == 0:
            _thresholds = gc.get_threshold()
            gc.set_threshold(_thresholds[0], _thresholds[1], max(_thresholds[2], RARE_FULL))
        _rare += 1
    try:
        yield
    finally:
        with _rare_lock:
            _rare -= 1
            if _rare == 0:
                gc.set_threshold(*_thresholds)
