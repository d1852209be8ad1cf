"""The wizard's hidden pages after a project opens: they load it one per turn of the event loop
(all at once held the window ~0.1 s), then each is laid out and drawn once off screen, a band
per turn, so that its first showing costs what any later showing does.

A page's first showing laid out every label and field of it at the window's size and drew text
never drawn before (the glyphs of the page's Chinese text rasterised the first time): ~35-45 ms
of the window's thread in one turn for 申报项目 and 输出, against ~15-20 ms when shown again.
Drawing a hidden page into a pixmap (``QWidget.grab``) does that work beforehand: Qt sends the
page the resize events it was waiting for (its layouts run at the size it will be shown at) and
the glyphs land in the same caches. In bands of ``BAND_PX`` each turn stays ~10 ms. A page
that builds only when shown (the 检查 list) builds in a turn of its own before it is drawn
(``Page.before_drawn_ahead``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QRect, QTimer

from widgets.pages.base import Page
from widgets.window_frame import PageStack

LOAD_GAP_MS = 10  # between two turns of this work (a page loaded, a band drawn)
BAND_PX = 200  # the height of the part of a page drawn per turn


class HiddenPages(QObject):
    """Loads, then draws ahead, the pages not shown; ``loading`` while pages still have to load
    the project. ``start`` again (another project) leaves the previous round."""

    def __init__(
        self, stack: PageStack, pages: Sequence[Page], project_open: Callable[[], bool]
    ) -> None:
        super().__init__(stack)
        self.stack = stack
        self.pages = list(pages)
        self.project_open = project_open
        self.loading = False
        self.running = False  # loading or drawing ahead
        self._round = 0
        self._drawn: set[int] = set()  # pages drawn ahead in this round (by index)
        self._band: tuple[int, int] | None = None  # (page index, next band's top)

    def start(self) -> None:
        self._round += 1
        self.loading = self.running = True
        self._drawn.clear()
        self._band = None
        self._later(self._round)

    def stop(self) -> None:
        self._round += 1
        self.loading = self.running = False
        self._band = None

    def _later(self, round_: int) -> None:
        QTimer.singleShot(LOAD_GAP_MS, self, lambda: self._turn(round_))

    def _turn(self, round_: int) -> None:
        if round_ != self._round:
            return  # another project (or none) since
        if not self.project_open():
            self.stop()
            return
        if any(page.load_more() for page in self.pages):  # one piece, then the next turn
            self._later(round_)
            return
        waiting = [page for page in self.pages if page.stale] if self.loading else []
        if waiting:
            waiting[0].ensure_loaded()
            self.loading = len(waiting) > 1
            self._later(round_)
            return
        # Loaded: a page a change makes stale from now on is left to its showing (a refresh
        # of every hidden page after an import landed was ~0.1 s of the window's thread).
        self.loading = False
        if self._draw_a_band():
            self._later(round_)
        else:
            self.running = False

    def _draw_a_band(self) -> bool:
        """Draw the next band of the next page to draw ahead; False when none is left."""
        if self._band is None:
            index = next(
                (
                    i
                    for i, page in enumerate(self.pages)
                    if i not in self._drawn
                    and page.drawn_ahead
                    and not page.stale
                    and not page.showing()
                ),
                None,
            )
            if index is None:
                return False
            self._drawn.add(index)
            self._band = (index, 0)
            self.pages[index].before_drawn_ahead()  # drawn from the next turn
            return True
        index, top = self._band
        scroll = self.stack.scroll_area(index)
        shown = self.stack.scroll_area(self.stack.currentIndex())
        if scroll is None or shown is None or self.pages[index].showing():
            self._band = None  # shown meanwhile: drawn there
            return True
        if top == 0:
            scroll.setGeometry(shown.geometry())  # the size it will be shown at
        scroll.grab(QRect(0, top, scroll.width(), BAND_PX))
        top += BAND_PX
        self._band = (index, top) if top < scroll.height() else None
        return True
