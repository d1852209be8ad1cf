"""Read-only view: a project open for editing elsewhere can still be looked at.

:func:`apply_read_only` turns a page's editing controls off (text fields read-only, choices and
check boxes disabled, editing buttons hidden, tables not editable, drops refused) and back on.
Buttons that only look (open a PDF, go to a finding) carry the property ``viewOnly`` and stay.
The store refuses any change that slips through, with a message saying it was not saved.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTextEdit,
    QToolButton,
    QWidget,
)

VIEW_ONLY = "viewOnly"
_SAVED = "_read_only_saved"
_DONE = "readOnlyApplied"


def mark_view_only(*buttons: QAbstractButton) -> None:
    """Buttons that change nothing in the project: kept in a read-only view."""
    for b in buttons:
        b.setProperty(VIEW_ONLY, True)


def apply_read_only(root: QWidget, read_only: bool) -> None:
    """Turn editing in ``root`` off (or back to how it was). Calling it again while read-only
    also covers widgets a page has made since (forms rebuilt for another item)."""
    saved: list[tuple[Any, str, Any]] | None = getattr(root, _SAVED, None)
    if not read_only:
        if saved is not None:  # never turned off (or back on since): nothing to walk
            _restore(root, saved)
            setattr(root, _SAVED, None)
        return
    saved = saved or []
    for w in root.findChildren(QWidget):
        if w.property(_DONE):  # done already (a call again covers widgets made since)
            continue
        w.setProperty(_DONE, True)
        if isinstance(w, QLineEdit | QAbstractSpinBox | QTextEdit | QPlainTextEdit):
            saved.append((w, "readOnly", w.isReadOnly()))
            w.setReadOnly(True)
        elif isinstance(w, QCheckBox | QRadioButton | QComboBox):
            saved.append((w, "enabled", w.isEnabled()))
            w.setEnabled(False)
        elif isinstance(w, QPushButton | QToolButton) and not w.property(VIEW_ONLY):
            if not w.isHidden():
                saved.append((w, "hidden", False))
                w.setHidden(True)
        elif isinstance(w, QAbstractItemView):
            saved.append((w, "view", (w.editTriggers(), w.acceptDrops(), w.dragDropMode())))
            w.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            w.setAcceptDrops(False)
            w.viewport().setAcceptDrops(False)
            w.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop)
    setattr(root, _SAVED, saved)


def _restore(root: QWidget, saved: list[tuple[Any, str, Any]]) -> None:
    for w in root.findChildren(QWidget):
        w.setProperty(_DONE, None)
    for w, what, before in saved:
        try:
            if what == "readOnly":
                w.setReadOnly(before)
            elif what == "enabled":
                w.setEnabled(before)
            elif what == "hidden":
                w.setHidden(before)
            elif what == "view":
                triggers, drops, mode = before
                w.setEditTriggers(triggers)
                w.setAcceptDrops(drops)
                w.viewport().setAcceptDrops(drops)
                w.setDragDropMode(mode)
        except RuntimeError:  # the widget was deleted meanwhile
            continue
