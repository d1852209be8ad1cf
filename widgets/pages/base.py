"""What every wizard page offers the main window."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from widgets.session import ProjectSession


class Page(QWidget):
    """A wizard page. Subclasses rebuild from ``self.session`` in ``refresh``.

    A page given a project while hidden does not load it at once (opening a project would
    otherwise build every page in one turn of the window's thread): it is ``stale`` until it is
    shown or something asks for it (``ensure_loaded``: the main window when it shows the page,
    and lets hidden pages load one per turn of the event loop; accessors that read the page).
    Changes arriving meanwhile are left to that load (``note_change`` sees them).

    A page ``refreshed_when_shown`` also leaves the changes made while it is hidden to its next
    showing (after an import landed, the hidden pages' refreshes were ~0.1 s of the window's
    thread at 1,000 files), and is built again when it is shown unless it says it is up to date
    (``outdated_when_shown``: what it shows comes from the session alone and no change reached it
    since it was built).
    """

    title = ""
    needs_project = True
    shows_project = False  # without needing one, shows the open project when there is one
    refreshed_when_shown = False
    drawn_ahead = True  # drawn off screen while hidden after a project opens (``hidden_pages``)
    loaded = Signal()  # the page has just loaded its (new) project

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: ProjectSession | None = None
        self.stale = False  # given a project not loaded yet (hidden since)

    def set_session(self, session: ProjectSession | None) -> None:
        if self.session is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                self.session.changed.disconnect(self._session_changed)
        self.session = session
        if session is not None:
            session.changed.connect(self._session_changed)
        self.stale = True
        if session is None or self.showing():
            self.ensure_loaded()

    def showing(self) -> bool:
        """Shown, or would be if its window were; a page that is a window of its own (not in
        the wizard) counts as shown."""
        return self.isWindow() or self.isVisibleTo(self.window())

    def ensure_loaded(self) -> None:
        """Load the project given while the page was hidden, if not done yet."""
        if not self.stale:
            return
        self.stale = False
        self.refresh()
        self.loaded.emit()

    def _session_changed(self, topic: str) -> None:
        if self.stale or (self.refreshed_when_shown and not self.showing()):
            self.stale = True  # the load (when shown or asked for) will show it
            self.note_change(topic)
            return
        self.on_changed(topic)

    def alive(self) -> bool:
        """A project is open (focus-out signals can still arrive while a window closes)."""
        return self.live_session() is not None

    def live_session(self) -> ProjectSession | None:
        """The session if its project is still open, else None."""
        if self.session is None or self.session.store.closed:
            return None
        return self.session

    def outdated_when_shown(self) -> bool:
        """For a page ``refreshed_when_shown``, about to be shown: whether it must be built again
        although no change reached it while hidden (a change did: it is ``stale``)."""
        return True

    def load_more(self) -> bool:
        """Do the next piece of loading left to a later turn (hidden after a project opened);
        False when there is none. Called one piece per turn by ``hidden_pages``."""
        return False

    def before_drawn_ahead(self) -> None:
        """Hidden, loaded, about to be drawn off screen after a project opened (a turn of its
        own): what the page builds only when shown may be built now."""

    def note_change(self, topic: str) -> None:
        """A committed change while the page has not loaded its project yet (it shows when
        the page loads); for what must happen at once whether the page shows it or not."""

    def on_changed(self, topic: str) -> None:
        """A committed change; the default is a full refresh."""
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the page from the session."""

    def focus_where(self, where: str) -> bool:
        """Show the field / row / document named by a finding's ``where``; True if handled."""
        return False

    def entering(self) -> None:
        """Called when the page becomes visible."""

    def first_field(self) -> QWidget | None:
        """Where the keyboard starts on this page (after 新建/打开, 上一步/下一步)."""
        return None
