"""The inputs of one item on the 申报项目 page: a form row per input (text, money with its
currency, choice, yes/no), the stored values shown, and what is typed parsed and saved as it is
typed (after a short pause, or when the field is left), problems inline in red."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.entry.values import ValueProblem, coerce, display
from app.guide.model import FieldSpec, ItemSpec
from app.model import Value
from app.rules.evaluation import currency_choices
from widgets.items.style import RED, UNIT_NAMES
from widgets.pages.base import Page
from widgets.wrapped_label import WrappedLabel


class InputRow:
    """The widgets of one item input: its editor, an optional currency combo, its message."""

    def __init__(
        self,
        spec: FieldSpec,
        editor: QLineEdit | QCheckBox | QComboBox,
        message: QLabel,
        currency: QComboBox | None = None,
        currency_spec: FieldSpec | None = None,
    ) -> None:
        self.spec = spec
        self.editor = editor
        self.message = message
        self.currency = currency
        self.currency_spec = currency_spec


class InputsForm(QObject):
    """The form of the item ``current_item()`` of ``page``; nothing is saved while
    ``is_loading()`` (the page is filling in the widgets itself)."""

    def __init__(
        self,
        page: Page,
        current_item: Callable[[], str | None],
        is_loading: Callable[[], bool],
    ) -> None:
        super().__init__(page)
        self._page = page
        self._current = current_item
        self._is_loading = is_loading
        self.inputs: dict[str, InputRow] = {}
        self._pending: set[str] = set()
        self._emptied: set[str] = set()  # required inputs the clerk has emptied
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(400)
        self._timer.timeout.connect(self._save_pending)
        self.host = QWidget()
        self.form = QFormLayout(self.host)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)

    def discard_pending(self) -> None:
        """Forget what is waiting to be saved (the project is changing)."""
        self._timer.stop()
        self._pending.clear()

    def flush(self) -> None:
        """Save whatever is being typed."""
        if self._timer.isActive():
            self._timer.stop()
        self._save_pending()

    def clear(self) -> None:
        """Remove every row."""
        while self.form.rowCount():
            self.form.removeRow(0)
        self.inputs.clear()
        self._emptied.clear()

    def build(self, item: ItemSpec | None) -> None:
        """One row per input of ``item`` (none for None); a currency shows beside its amount."""
        self.clear()
        if item is None:
            return
        by_id = {f.id: f for f in item.inputs}
        beside = {f.currency_field for f in item.inputs if f.currency_field}
        for spec in item.inputs:
            if spec.id in beside:
                continue  # shown as a combo beside its money field
            message = WrappedLabel()
            message.setObjectName(f"input_{spec.id}_message")
            message.setWordWrap(True)
            message.setStyleSheet(f"color: {RED};")
            message.hide()
            box = QVBoxLayout()
            box.setSpacing(2)
            line = QHBoxLayout()
            star = f"<span style='color:{RED}'>*</span>" if spec.required else ""
            label = WrappedLabel(f"{html.escape(spec.label)}{star}")
            label.setWordWrap(True)
            if spec.type == "bool":
                check = QCheckBox(spec.label + ("" if spec.required else "（选填）"))
                check.setObjectName(f"input_{spec.id}")
                check.toggled.connect(lambda on, i=item.id, f=spec.id: self._save_bool(i, f, on))
                if spec.help:
                    check.setToolTip(spec.help)
                box.addWidget(check, 0, Qt.AlignmentFlag.AlignLeft)
                box.addWidget(message)
                self.form.addRow(box)
                self.inputs[spec.id] = InputRow(spec, check, message)
                continue
            editor: QLineEdit | QComboBox
            currency: QComboBox | None = None
            currency_spec: FieldSpec | None = None
            if spec.type in ("choice", "currency"):
                editor = self._combo_for(spec)
                editor.activated.connect(lambda _n, i=item.id, f=spec.id: self._save_combo(i, f))
                line.addWidget(editor, 1)
            else:
                editor = QLineEdit()
                if spec.type in ("money", "decimal", "int"):
                    editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    editor.setMaximumWidth(260)
                    editor.setPlaceholderText("例如 1,000,000" if spec.type == "money" else "")
                editor.textEdited.connect(lambda _t, f=spec.id: self._edited(f))
                editor.editingFinished.connect(lambda f=spec.id: self._save_text(f))
                line.addWidget(editor, 1)
                if spec.type == "money" and spec.currency_field and spec.currency_field in by_id:
                    currency_spec = by_id[spec.currency_field]
                    currency = self._combo_for(currency_spec)
                    currency.setObjectName(f"input_{currency_spec.id}")
                    currency.setAccessibleName(currency_spec.label)
                    currency.activated.connect(
                        lambda _n, i=item.id, f=currency_spec.id: self._save_combo(i, f)
                    )
                    line.addWidget(currency)
                elif spec.unit:
                    line.addWidget(QLabel(UNIT_NAMES.get(spec.unit, spec.unit)))
                line.addStretch(0 if spec.type not in ("money", "decimal", "int") else 1)
            editor.setObjectName(f"input_{spec.id}")
            editor.setAccessibleName(spec.label)
            if spec.help:
                editor.setToolTip(spec.help)
            box.addLayout(line)
            box.addWidget(message)
            self.form.addRow(label, box)
            self.inputs[spec.id] = InputRow(spec, editor, message, currency, currency_spec)
        if currency_specs := [r.currency_spec for r in self.inputs.values() if r.currency_spec]:
            for cs in currency_specs:
                assert cs is not None
                row = next(r for r in self.inputs.values() if r.currency_spec is cs)
                assert row.currency is not None
                self.inputs[cs.id] = InputRow(cs, row.currency, row.message)

    def _combo_for(self, spec: FieldSpec) -> QComboBox:
        assert self._page.session is not None
        combo = QComboBox()
        if spec.type == "currency":
            session = self._page.session
            for code, name in currency_choices(session.guide, session.data):
                combo.addItem(f"{name}（{code}）", code)
        else:
            combo.addItem("（请选择）", "")
            for key, label in spec.choices:
                combo.addItem(label, key)
        return combo

    def show_values(self) -> None:
        """Show the stored values in the editors (not in one being typed in)."""
        item_id = self._current()
        if self._page.session is None or item_id is None:
            return
        values = self._page.session.data.item_inputs(item_id)
        for fid, row in self.inputs.items():
            value = values.get(fid)
            editor = row.editor
            if isinstance(editor, QCheckBox):
                editor.setChecked(value is True)
            elif isinstance(editor, QComboBox):
                shown = value if value is not None else row.spec.default
                pos = editor.findData(shown if shown is not None else "")
                editor.setCurrentIndex(max(pos, 0))
            elif not editor.hasFocus() and fid not in self._pending:
                text = display(row.spec, value, self._page.session.guide)
                if editor.text() != text and not row.message.isVisible():
                    editor.setText(text)

    def _parse(self, fid: str) -> tuple[bool, Value | None]:
        row = self.inputs[fid]
        assert self._page.session is not None and isinstance(row.editor, QLineEdit)
        try:
            session = self._page.session
            value = coerce(row.spec, row.editor.text(), session.guide, session.data.rates)
        except ValueProblem as exc:
            row.message.setText(str(exc))
            row.message.show()
            return False, None
        if value is not None:
            self._emptied.discard(fid)
        elif fid in self._emptied:  # saved empty, and marked until filled in again
            row.message.setText(f"“{row.spec.label}”是必填项，不能为空，请填写。")
            row.message.show()
            return True, value
        row.message.clear()
        row.message.hide()
        return True, value

    def _edited(self, fid: str) -> None:
        row = self.inputs[fid]
        if (
            row.spec.required
            and isinstance(row.editor, QLineEdit)
            and not row.editor.text().strip()
        ):
            self._emptied.add(fid)
        self._pending.add(fid)
        self._parse(fid)
        self._timer.start()

    def _save_text(self, fid: str) -> None:
        session = self._page.live_session()
        if self._is_loading() or session is None or fid not in self.inputs:
            return
        self._pending.discard(fid)
        item_id = self._current()
        ok, value = self._parse(fid)
        if ok and item_id is not None:
            session.set_input(item_id, fid, value)

    def _save_pending(self) -> None:
        for fid in list(self._pending):
            self._save_text(fid)
        self._pending.clear()

    def _save_bool(self, item_id: str, fid: str, on: bool) -> None:
        session = self._page.live_session()
        if self._is_loading() or session is None:
            return
        session.set_input(item_id, fid, on)

    def _save_combo(self, item_id: str, fid: str) -> None:
        session = self._page.live_session()
        if self._is_loading() or session is None or fid not in self.inputs:
            return
        editor = self.inputs[fid].editor
        assert isinstance(editor, QComboBox)
        value = editor.currentData()
        session.set_input(item_id, fid, value if value else None)
