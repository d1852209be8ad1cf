"""The result box of the 申报项目 page: eligible or not with the reasons, the basis figures, the
ceiling, and the requested amount (typed by the user, checked inline)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.entry.values import ValueProblem, coerce
from app.guide.model import FieldSpec
from app.rules.evaluation import ItemResult, fmt_money
from widgets.items.style import GREEN, GREY, RED
from widgets.wrapped_label import WrappedLabel

REQUESTED_SPEC = FieldSpec(id="requested", label="申请金额", type="money", unit="CNY")


class ResultBox(QFrame):
    """The page saves ``requested_edit`` (its signals are the page's to connect)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("item_result")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("QFrame#item_result { background: #f7f9fc; border: 1px solid #d8dde6; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(4)
        self.status_label = QLabel()
        self.status_label.setObjectName("item_status")
        self.status_label.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.reasons_label = WrappedLabel()
        self.reasons_label.setObjectName("item_reasons")
        self.reasons_label.setWordWrap(True)
        self.reasons_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.basis_label = WrappedLabel()
        self.basis_label.setObjectName("item_basis")
        self.basis_label.setWordWrap(True)
        self.ceiling_label = QLabel()
        self.ceiling_label.setObjectName("item_ceiling")
        requested_row = QHBoxLayout()
        requested_row.addWidget(QLabel("申请金额："))
        self.requested_edit = QLineEdit()
        self.requested_edit.setObjectName("item_requested")
        self.requested_edit.setAccessibleName("申请金额（元）")
        self.requested_edit.setMaximumWidth(220)
        self.requested_edit.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        requested_row.addWidget(self.requested_edit)
        requested_row.addWidget(QLabel("元"))
        requested_row.addStretch(1)
        self.requested_note = WrappedLabel()
        self.requested_note.setObjectName("item_requested_note")
        self.requested_note.setWordWrap(True)
        for w in (self.status_label, self.reasons_label, self.basis_label, self.ceiling_label):
            layout.addWidget(w)
        layout.addLayout(requested_row)
        layout.addWidget(self.requested_note)

    def show_result(
        self, result: ItemResult, asked: Decimal | None, conflicts: Sequence[str] = ()
    ) -> None:
        """Show an item's evaluation and the amount the company asked for (None: the ceiling);
        ``conflicts`` are selected items of the same type (同一类型项目不可重复申报)."""
        if result.eligible:
            self.status_label.setText("✔ 符合申报条件")
            self.status_label.setStyleSheet(f"font-weight: bold; font-size: 11pt; color: {GREEN};")
        else:
            self.status_label.setText("✘ 暂不符合申报条件")
            self.status_label.setStyleSheet(f"font-weight: bold; font-size: 11pt; color: {RED};")
        clash = [
            f"与“{title}”属于同一类型项目，不可重复申报，请只选择其中一项。" for title in conflicts
        ]
        if result.reasons or clash:
            colour = RED if not result.eligible else GREY
            lines = "<br>".join(f"· {html.escape(r)}" for r in result.reasons)
            extra = "<br>".join(f"· {html.escape(c)}" for c in clash)
            parts = [f"<span style='color:{colour}'>{lines}</span>"] if lines else []
            if extra:
                parts.append(f"<span style='color:{RED}'>{extra}</span>")
            self.reasons_label.setText("<br>".join(parts))
            self.reasons_label.show()
        else:
            self.reasons_label.clear()
            self.reasons_label.hide()
        if result.basis:
            rows = "".join(
                f"<tr><td style='color:{GREY}; padding-right:12px'>{html.escape(label)}</td>"
                f"<td align='right'>{html.escape(value)}</td></tr>"
                for label, value in result.basis
            )
            self.basis_label.setText(f"<table>{rows}</table>")
            self.basis_label.show()
        else:
            self.basis_label.clear()
            self.basis_label.hide()
        self.ceiling_label.setText(f"支持上限：<b>{fmt_money(result.ceiling_cny)}</b> 元")
        self.requested_edit.setPlaceholderText("留空即按支持上限")
        if not self.requested_edit.hasFocus():
            self.requested_edit.setText("" if asked is None else fmt_money(asked))
        self._show_requested_note(result, asked)

    def _show_requested_note(self, result: ItemResult, asked: Decimal | None) -> None:
        note = ""
        colour = GREY
        if not result.eligible:
            note = "不符合条件的项目申请金额按 0 元计。"
        elif asked is None:
            note = f"按支持上限申请：{fmt_money(result.requested_cny)} 元。"
        elif asked > result.ceiling_cny:
            note = (
                f"填写的 {fmt_money(asked)} 元超过支持上限，按上限 "
                f"{fmt_money(result.ceiling_cny)} 元计入。"
            )
            colour = "#8a5300"
        else:
            note = f"申请 {fmt_money(result.requested_cny)} 元。"
        self.requested_note.setText(note)
        self.requested_note.setStyleSheet(f"color: {colour};")

    def check_requested(self) -> tuple[bool, Decimal | None]:
        """Parse the requested amount; a problem is shown inline under it."""
        try:
            value = coerce(REQUESTED_SPEC, self.requested_edit.text())
        except ValueProblem as exc:
            self.requested_note.setText(f"{exc}（留空则按支持上限申请）")
            self.requested_note.setStyleSheet(f"color: {RED};")
            return False, None
        return True, value if isinstance(value, Decimal) else None
