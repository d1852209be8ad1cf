"""Ctrl+Z where the clerk is. The undo history is one for the project, but a step made on
another page is not undone silently: the first Ctrl+Z says what it would undo and where
("Ctrl+Z 将撤销“材料”页上的操作：删除第 3 页"), a second one undoes it and shows that page. A
step made on the page in view is undone at once. The Edit menu's item always names the step
(“撤销：粘贴 2 行到…”)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QLabel
from shiboken6 import Shiboken

from widgets.session import ProjectSession


class UndoGuard(QObject):
    """``here()`` is the title of the page in view; ``show_page(title)`` brings a page up."""

    def __init__(
        self,
        action: QAction,
        notice: QLabel,
        here: Callable[[], str],
        show_page: Callable[[str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.action = action
        self.notice = notice
        self.here = here
        self.show_page = show_page
        self.session: ProjectSession | None = None
        self.redo_action: QAction | None = None  # named with its step too, when given
        self.armed: int | None = None  # the stack index a first Ctrl+Z was pressed at
        self.notice.hide()

    def set_session(self, session: ProjectSession | None) -> None:
        if self.session is not None:
            try:
                self.session.undo_stack.indexChanged.disconnect(self._moved)
                self.session.undo_stack.undoTextChanged.disconnect(self._name)
            except (RuntimeError, TypeError):
                pass
        self.session = session
        self.armed = None
        self.say("")
        if session is not None:
            session.undo_stack.indexChanged.connect(self._moved)
            session.undo_stack.undoTextChanged.connect(self._name)
            session.where = self.here()
        self._name(session.undo_stack.undoText() if session is not None else "")

    def page_shown(self) -> None:
        if self.session is not None:
            self.session.where = self.here()
        if self.armed is not None:  # the question was about another page
            self.armed = None
            self.say("")

    def _name(self, text: str) -> None:
        self.action.setText(f"撤销：{text}(&U)" if text else "撤销(&U)")
        self.action.setToolTip(f"撤销：{text}" if text else "没有可撤销的操作")
        stack = self._stack()
        if stack is not None and self.redo_action is not None:
            again = stack.redoText()
            self.redo_action.setText(f"重做：{again}(&R)" if again else "重做(&R)")

    def _stack(self) -> QUndoStack | None:
        """The session's undo stack, unless it is being deleted (a project closing)."""
        if self.session is None or not Shiboken.isValid(self.session.undo_stack):
            return None
        return self.session.undo_stack

    def _moved(self, index: int) -> None:
        stack = self._stack()
        if stack is not None:
            self._name(stack.undoText())
        if self.armed is not None and index != self.armed:
            self.armed = None
            self.say("")

    def say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def undo(self, step: Callable[[], None]) -> str | None:
        """Undo (``step`` does it) or, for a step of another page, first say what it would
        undo. Returns what was undone (None when nothing was)."""
        session = self.session
        if session is None:
            return None
        found = session.next_undo()
        if found is None:
            self.say("没有可撤销的操作。")
            return None
        text, where = found
        here = self.here()
        index = session.undo_stack.index()
        if where and where != here and self.armed != index:
            self.armed = index
            self.say(
                f"Ctrl+Z 将撤销“{where}”页上的操作：{text}。"
                f"再按一次 Ctrl+Z 撤销并转到“{where}”页；不撤销则继续操作即可。"
            )
            return None
        self.armed = None
        step()
        if where and where != here:
            self.show_page(where)
        self.say(f"已撤销：{text}（Ctrl+Y 重做）")
        return text
