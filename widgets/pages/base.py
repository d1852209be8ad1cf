"""What every wizard page offers the main window."""

from __future__ import annotations

import contextlib

from PySide6.QtWidgets import QWidget

from widgets.session import ProjectSession


class Page(QWidget):
    """A wizard page. Subclasses rebuild from ``self.session`` in ``refresh``."""

    title = ""
    needs_project = True
    shows_project = False  # without needing one, shows the open project when there is one

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: ProjectSession | None = None

    def set_session(self, session: ProjectSession | None) -> None:
        if self.session is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                self.session.changed.disconnect(self.on_changed)
        self.session = session
        if session is not None:
            session.changed.connect(self.on_changed)
        self.refresh()

    def alive(self) -> bool:
        """A project is open (focus-out signals can still arrive while a window closes)."""
        return self.live_session() is not None

    def live_session(self) -> ProjectSession | None:
        """The session if its project is still open, else None."""
        if self.session is None or self.session.store.closed:
            return None
        return self.session

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
