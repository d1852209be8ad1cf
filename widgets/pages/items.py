"""申报项目: choose the guide's items, enter each one's figures and rows, see live whether it
is eligible and how much can be requested.

Left: the guide's items in order (checkbox, number and title, a 符合/不符合 chip, the amount).
Right: the current item's summary, its inputs (saved as typed, problems inline in red), the
result (eligibility with reasons, basis figures, ceiling, the requested amount) and its table.
Tables are edited through one ``TableEditor`` per table, so the contracts table shared by the
onshore and offshore items is one editor over one set of rows.
"""

from __future__ import annotations

import html
from decimal import Decimal

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.guide.model import FieldSpec, ItemSpec
from app.model import Value
from app.rules import ItemResult, fmt_money
from app.values import ValueProblem, coerce, display
from widgets.pages.base import Page
from widgets.session import ProjectSession
from widgets.table_editor import TableEditor

RED = "#b3261e"
GREEN = "#1e7b34"
GREY = "#5f6368"
UNIT_NAMES = {"USD": "美元", "CNY": "元"}
REQUESTED_SPEC = FieldSpec(id="requested", label="申请金额", type="money", unit="CNY")
ITEM_ROLE = Qt.ItemDataRole.UserRole


class _InputRow:
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


class ItemsPage(Page):
    title = "申报项目"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._built_for: ProjectSession | None = None
        self._detail_key: tuple[str, bool] | None = None
        self._loading = False
        self.inputs: dict[str, _InputRow] = {}
        self.editors: dict[str, TableEditor] = {}
        self._pending: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(400)
        self._timer.timeout.connect(self._save_pending)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 4)
        outer.setSpacing(8)

        top = QHBoxLayout()
        heading = QLabel("申报项目")
        heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        top.addWidget(heading)
        top.addSpacing(16)
        self.total_label = QLabel()
        self.total_label.setObjectName("items_total")
        self.total_label.setStyleSheet("font-size: 11pt;")
        top.addWidget(self.total_label, 1)
        outer.addLayout(top)

        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setChildrenCollapsible(False)
        outer.addWidget(self.split, 1)

        self.tree = QTreeWidget()
        self.tree.setObjectName("items_list")
        self.tree.setAccessibleName("申报项目列表")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["项目（勾选即申报）", "状态", "申请金额（元）"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(False)
        self.tree.setWordWrap(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setStyleSheet("QTreeWidget::item { padding: 4px 2px; }")
        self.tree.setMinimumWidth(320)
        self.tree.itemChanged.connect(self._tree_item_changed)
        self.tree.currentItemChanged.connect(lambda *_: self._show_detail())
        self.split.addWidget(self.tree)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(12, 0, 0, 0)
        right_layout.setSpacing(6)
        self.item_title = QLabel()
        self.item_title.setObjectName("item_title")
        self.item_title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.item_title.setWordWrap(True)
        self.item_summary = QLabel()
        self.item_summary.setObjectName("item_summary")
        self.item_summary.setWordWrap(True)
        self.item_summary.setStyleSheet(f"color: {GREY};")
        self.select_box = QCheckBox("申报此项目")
        self.select_box.setObjectName("item_selected")
        self.select_box.toggled.connect(self._select_box_toggled)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"color: {GREY};")
        right_layout.addWidget(self.item_title)
        right_layout.addWidget(self.item_summary)
        right_layout.addWidget(self.select_box, 0, Qt.AlignmentFlag.AlignLeft)
        right_layout.addWidget(self.hint)

        self.detail_split = QSplitter(Qt.Orientation.Vertical)
        self.detail_split.setChildrenCollapsible(False)
        right_layout.addWidget(self.detail_split, 1)
        right_layout.addStretch(0)  # keeps the header at the top while the detail is hidden

        self.detail_scroll = QScrollArea()
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.body_layout = QVBoxLayout(body)
        self.body_layout.setContentsMargins(0, 0, 8, 0)
        self.body_layout.setSpacing(8)
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.body_layout.addWidget(self.form_host)
        self.result_box = self._make_result_box()
        self.body_layout.addWidget(self.result_box)
        self.body_layout.addStretch(1)
        self.detail_scroll.setWidget(body)
        self.detail_split.addWidget(self.detail_scroll)

        self.table_host = QWidget()
        table_layout = QVBoxLayout(self.table_host)
        table_layout.setContentsMargins(0, 4, 0, 0)
        table_layout.setSpacing(4)
        self.table_title = QLabel()
        self.table_title.setObjectName("item_table_title")
        self.table_title.setWordWrap(True)
        self.table_title.setStyleSheet("font-weight: bold;")
        table_layout.addWidget(self.table_title)
        self.table_stack = QStackedWidget()
        table_layout.addWidget(self.table_stack, 1)
        self.detail_split.addWidget(self.table_host)
        self.detail_split.setStretchFactor(0, 2)
        self.detail_split.setStretchFactor(1, 3)

        self.split.addWidget(right)
        self.split.setStretchFactor(0, 0)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([410, 790])
        self._show_empty()

    # -- building ----------------------------------------------------------------------------------
    def _make_result_box(self) -> QFrame:
        box = QFrame()
        box.setObjectName("item_result")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setStyleSheet("QFrame#item_result { background: #f7f9fc; border: 1px solid #d8dde6; }")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(4)
        self.status_label = QLabel()
        self.status_label.setObjectName("item_status")
        self.status_label.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.reasons_label = QLabel()
        self.reasons_label.setObjectName("item_reasons")
        self.reasons_label.setWordWrap(True)
        self.reasons_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.basis_label = QLabel()
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
        self.requested_edit.editingFinished.connect(self._save_requested)
        self.requested_edit.textEdited.connect(lambda _t: self._check_requested())
        requested_row.addWidget(self.requested_edit)
        requested_row.addWidget(QLabel("元"))
        requested_row.addStretch(1)
        self.requested_note = QLabel()
        self.requested_note.setObjectName("item_requested_note")
        self.requested_note.setWordWrap(True)
        for w in (self.status_label, self.reasons_label, self.basis_label, self.ceiling_label):
            layout.addWidget(w)
        layout.addLayout(requested_row)
        layout.addWidget(self.requested_note)
        return box

    def _build_tree(self) -> None:
        assert self.session is not None
        self._loading = True
        try:
            self.tree.clear()
            bold = QFont()
            bold.setBold(True)
            for item in self.session.guide.items:
                node = QTreeWidgetItem([f"{item.number} {item.title}", "", ""])
                node.setData(0, ITEM_ROLE, item.id)
                node.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsUserCheckable
                )
                node.setCheckState(0, Qt.CheckState.Unchecked)
                node.setToolTip(0, item.summary)
                node.setTextAlignment(
                    2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
                self.tree.addTopLevelItem(node)
            first = self.tree.topLevelItem(0)
            if first is not None:
                self.tree.setCurrentItem(first)
        finally:
            self._loading = False

    def _drop_editors(self) -> None:
        for editor in self.editors.values():
            self.table_stack.removeWidget(editor)
            editor.deleteLater()
        self.editors.clear()

    def _show_empty(self) -> None:
        self.item_title.setText("")
        self.item_summary.setText("")
        self.select_box.hide()
        self.hint.setText("请先新建或打开申报项目。")
        self.detail_split.hide()

    # -- the page protocol -----------------------------------------------------------------------
    def set_session(self, session: ProjectSession | None) -> None:
        self._timer.stop()
        self._pending.clear()
        super().set_session(session)

    def refresh(self) -> None:
        if self.session is None or self.session.store.closed:
            if self._built_for is not None:
                self._drop_editors()
                self.tree.clear()
                self._built_for = None
                self._detail_key = None
                self._clear_form()
            self._show_empty()
            self.total_label.setText("")
            return
        if self._built_for is not self.session:
            self._drop_editors()
            self._detail_key = None
            self._built_for = self.session
            self._build_tree()
            # Open on the first item the company applies for (else the guide's first).
            if self.session.data.selected:
                self.select_item(self.session.data.selected[0])
        self._update_tree()
        self._update_total()
        self._show_detail()
        for editor in self.editors.values():
            editor.reload()

    def on_changed(self, topic: str) -> None:
        if topic in ("selected", "inputs", "requested", "rates", "tables", "evidence", "options"):
            self.refresh()

    def entering(self) -> None:
        self.refresh()

    def flush(self) -> None:
        """Save whatever is being typed (before leaving the page or closing)."""
        if self._timer.isActive():
            self._timer.stop()
        self._save_pending()

    # -- the list --------------------------------------------------------------------------------
    def _nodes(self) -> list[QTreeWidgetItem]:
        found = (self.tree.topLevelItem(n) for n in range(self.tree.topLevelItemCount()))
        return [node for node in found if node is not None]

    def _node(self, item_id: str) -> QTreeWidgetItem | None:
        for node in self._nodes():
            if node.data(0, ITEM_ROLE) == item_id:
                return node
        return None

    def current_item_id(self) -> str | None:
        node = self.tree.currentItem()
        return None if node is None else str(node.data(0, ITEM_ROLE))

    def select_item(self, item_id: str) -> bool:
        """Make ``item_id`` the current item (its details show on the right)."""
        node = self._node(item_id)
        if node is None:
            return False
        self.tree.setCurrentItem(node)
        self.tree.scrollToItem(node)
        return True

    def _update_tree(self) -> None:
        assert self.session is not None
        data, evaluation = self.session.data, self.session.evaluation
        self._loading = True
        try:
            for node in self._nodes():
                item_id = str(node.data(0, ITEM_ROLE))
                selected = item_id in data.selected
                state = Qt.CheckState.Checked if selected else Qt.CheckState.Unchecked
                if node.checkState(0) != state:
                    node.setCheckState(0, state)
                result = evaluation.items[item_id]
                if not selected:
                    node.setText(1, "未选")
                    node.setForeground(1, QBrush(QColor(GREY)))
                    node.setBackground(1, QBrush())
                    node.setText(2, "")
                    node.setToolTip(1, "")
                elif result.eligible:
                    node.setText(1, " 符合 ")
                    node.setForeground(1, QBrush(QColor(GREEN)))
                    node.setBackground(1, QBrush(QColor("#e6f4ea")))
                    node.setText(2, fmt_money(result.requested_cny))
                    node.setToolTip(1, "符合申报条件")
                else:
                    node.setText(1, " 不符合 ")
                    node.setForeground(1, QBrush(QColor(RED)))
                    node.setBackground(1, QBrush(QColor("#fdecea")))
                    node.setText(2, fmt_money(result.requested_cny))
                    node.setToolTip(1, "\n".join(result.reasons))
        finally:
            self._loading = False

    def _update_total(self) -> None:
        assert self.session is not None
        evaluation = self.session.evaluation
        n = len(evaluation.selected)
        if not n:
            self.total_label.setText(
                f"<span style='color:{GREY}'>还没有选择项目：在左侧勾选要申报的项目。</span>"
            )
            return
        bad = sum(1 for i in evaluation.selected if not evaluation.items[i].eligible)
        text = (
            f"已选 {n} 项，申请金额合计 <b>{fmt_money(evaluation.total_requested_cny)}</b> 元"
            f"（支持上限合计 {fmt_money(evaluation.total_ceiling_cny)} 元）"
        )
        if bad:
            text += f"　<span style='color:{RED}'>{bad} 项暂不符合条件</span>"
        self.total_label.setText(text)

    def _tree_item_changed(self, node: QTreeWidgetItem, column: int) -> None:
        if self._loading or self.session is None or column != 0:
            return
        item_id = str(node.data(0, ITEM_ROLE))
        wanted = node.checkState(0) == Qt.CheckState.Checked
        if wanted != (item_id in self.session.data.selected):
            self.session.set_item_selected(item_id, wanted)
            if self.tree.currentItem() is not node:
                self.tree.setCurrentItem(node)
            self.refresh()

    def _select_box_toggled(self, checked: bool) -> None:
        if self._loading or self.session is None:
            return
        item_id = self.current_item_id()
        if item_id is not None and checked != (item_id in self.session.data.selected):
            self.session.set_item_selected(item_id, checked)
            self.refresh()

    # -- the detail ------------------------------------------------------------------------------
    def _show_detail(self) -> None:
        if self.session is None:
            return
        item_id = self.current_item_id()
        if item_id is None:
            self._show_empty()
            return
        item = self.session.guide.item(item_id)
        selected = item_id in self.session.data.selected
        key = (item_id, selected)
        rebuilt = key != self._detail_key
        if rebuilt:
            self.flush()  # what was being typed belongs to the item shown before
        self._loading = True
        try:
            self.item_title.setText(item.full_title)
            self.item_summary.setText(item.summary)
            self.select_box.show()
            self.select_box.setChecked(selected)
            if key != self._detail_key:
                self._detail_key = key
                self._build_form(item if selected else None)
                self._show_table(item if selected else None)
            self._update_form()
        finally:
            self._loading = False
        if selected:
            self.hint.setText("")
            self.hint.hide()
            self.detail_split.show()
            self._update_result(item)
            if rebuilt:
                self._fit_split()
                QTimer.singleShot(0, self, self._fit_split)  # once the new form is laid out
        else:
            self.hint.setText(
                "勾选“申报此项目”（或左侧列表中的方框）后，在这里填写数据、查看能否申报和可申请的金额。"
            )
            self.hint.show()
            self.detail_split.hide()

    def _fit_split(self) -> None:
        """Give the form and result what they need (up to about half), the table the rest."""
        if not self.table_host.isVisibleTo(self):
            return
        total = sum(self.detail_split.sizes()) or self.detail_split.height()
        if total <= 0:
            return
        body = self.detail_scroll.widget()
        wanted = body.sizeHint().height() + 6 if body is not None else total // 2
        top = max(min(wanted, int(total * 0.55)), 120)
        self.detail_split.setSizes([top, max(total - top, 160)])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_split()

    def _clear_form(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.inputs.clear()

    def _build_form(self, item: ItemSpec | None) -> None:
        self._clear_form()
        if item is None:
            return
        by_id = {f.id: f for f in item.inputs}
        beside = {f.currency_field for f in item.inputs if f.currency_field}
        for spec in item.inputs:
            if spec.id in beside:
                continue  # shown as a combo beside its money field
            message = QLabel()
            message.setObjectName(f"input_{spec.id}_message")
            message.setWordWrap(True)
            message.setStyleSheet(f"color: {RED};")
            message.hide()
            box = QVBoxLayout()
            box.setSpacing(2)
            line = QHBoxLayout()
            star = f"<span style='color:{RED}'>*</span>" if spec.required else ""
            label = QLabel(f"{html.escape(spec.label)}{star}")
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
                self.inputs[spec.id] = _InputRow(spec, check, message)
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
            self.inputs[spec.id] = _InputRow(spec, editor, message, currency, currency_spec)
        if currency_specs := [r.currency_spec for r in self.inputs.values() if r.currency_spec]:
            for cs in currency_specs:
                assert cs is not None
                row = next(r for r in self.inputs.values() if r.currency_spec is cs)
                assert row.currency is not None
                self.inputs[cs.id] = _InputRow(cs, row.currency, row.message)

    def _combo_for(self, spec: FieldSpec) -> QComboBox:
        assert self.session is not None
        combo = QComboBox()
        if spec.type == "currency":
            for c in self.session.guide.currencies:
                combo.addItem(f"{c.name}（{c.code}）", c.code)
        else:
            combo.addItem("（请选择）", "")
            for key, label in spec.choices:
                combo.addItem(label, key)
        return combo

    def _update_form(self) -> None:
        """Show the stored values in the editors (not in one being typed in)."""
        if self.session is None or self._detail_key is None:
            return
        item_id = self._detail_key[0]
        values = self.session.data.item_inputs(item_id)
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
                text = display(row.spec, value, self.session.guide)
                if editor.text() != text and not row.message.isVisible():
                    editor.setText(text)

    def _update_result(self, item: ItemSpec) -> None:
        assert self.session is not None
        result: ItemResult = self.session.evaluation.items[item.id]
        if result.eligible:
            self.status_label.setText("✔ 符合申报条件")
            self.status_label.setStyleSheet(f"font-weight: bold; font-size: 11pt; color: {GREEN};")
        else:
            self.status_label.setText("✘ 暂不符合申报条件")
            self.status_label.setStyleSheet(f"font-weight: bold; font-size: 11pt; color: {RED};")
        if result.reasons:
            colour = RED if not result.eligible else GREY
            lines = "<br>".join(f"· {html.escape(r)}" for r in result.reasons)
            self.reasons_label.setText(f"<span style='color:{colour}'>{lines}</span>")
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
        asked = self.session.data.requested.get(item.id)
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

    def _show_table(self, item: ItemSpec | None) -> None:
        if item is None or item.table is None or self.session is None:
            self.table_host.hide()
            return
        table = self.session.guide.table(item.table)
        editor = self.editors.get(table.id)
        if editor is None:
            editor = TableEditor(self.session, table.id)
            self.editors[table.id] = editor
            self.table_stack.addWidget(editor)
        self.table_stack.setCurrentWidget(editor)
        sharing = [
            it for it in self.session.guide.items if it.table == table.id and it.id != item.id
        ]
        title = f"{table.title}（带 * 的列必填；底色提示的行不计入，鼠标停留可看原因）"
        if sharing:
            others = "、".join(f"“{it.title}”" for it in sharing)
            title += f"\n本表与{others}共用，同一份合同只填一次，用“在岸/离岸”列区分。"
        self.table_title.setText(title)
        self.table_host.show()

    def table_editor(self, table_id: str) -> TableEditor | None:
        return self.editors.get(table_id)

    # -- saving inputs ---------------------------------------------------------------------------
    def _current(self) -> str | None:
        return None if self._detail_key is None else self._detail_key[0]

    def _parse(self, fid: str) -> tuple[bool, Value | None]:
        row = self.inputs[fid]
        assert self.session is not None and isinstance(row.editor, QLineEdit)
        try:
            value = coerce(row.spec, row.editor.text(), self.session.guide)
        except ValueProblem as exc:
            row.message.setText(str(exc))
            row.message.show()
            return False, None
        row.message.clear()
        row.message.hide()
        return True, value

    def _edited(self, fid: str) -> None:
        self._pending.add(fid)
        self._parse(fid)
        self._timer.start()

    def _save_text(self, fid: str) -> None:
        if self._loading or self.session is None or fid not in self.inputs:
            return
        self._pending.discard(fid)
        item_id = self._current()
        ok, value = self._parse(fid)
        if ok and item_id is not None:
            self.session.set_input(item_id, fid, value)

    def _save_pending(self) -> None:
        for fid in list(self._pending):
            self._save_text(fid)
        self._pending.clear()

    def _save_bool(self, item_id: str, fid: str, on: bool) -> None:
        if self._loading or self.session is None:
            return
        self.session.set_input(item_id, fid, on)

    def _save_combo(self, item_id: str, fid: str) -> None:
        if self._loading or self.session is None or fid not in self.inputs:
            return
        editor = self.inputs[fid].editor
        assert isinstance(editor, QComboBox)
        value = editor.currentData()
        self.session.set_input(item_id, fid, value if value else None)

    def _check_requested(self) -> tuple[bool, Decimal | None]:
        """Parse the requested amount; a problem is shown inline under it."""
        try:
            value = coerce(REQUESTED_SPEC, self.requested_edit.text())
        except ValueProblem as exc:
            self.requested_note.setText(f"{exc}（留空则按支持上限申请）")
            self.requested_note.setStyleSheet(f"color: {RED};")
            return False, None
        return True, value if isinstance(value, Decimal) else None

    def _save_requested(self) -> None:
        item_id = self._current()
        if self._loading or self.session is None or item_id is None:
            return
        ok, value = self._check_requested()
        if ok and self.session.data.requested.get(item_id) != value:
            self.session.set_requested(item_id, value)

    # -- findings --------------------------------------------------------------------------------
    def focus_where(self, where: str) -> bool:
        if self.session is None:
            return False
        parts = where.split(".")
        if parts[0] == "items":
            self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        if parts[0] == "item" and len(parts) >= 2:
            if not self.select_item(parts[1]):
                return False
            self._show_detail()
            if len(parts) >= 3 and parts[2] in self.inputs:
                editor = self.inputs[parts[2]].editor
                editor.setFocus(Qt.FocusReason.OtherFocusReason)
                if isinstance(editor, QLineEdit):
                    editor.selectAll()
            elif parts[1] in self.session.data.selected:
                self.requested_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            else:
                self.select_box.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        if parts[0] == "table" and len(parts) >= 2:
            return self._focus_table(parts[1], parts[2:])
        return False

    def _focus_table(self, table_id: str, rest: list[str]) -> bool:
        assert self.session is not None
        guide, selected = self.session.guide, self.session.data.selected
        users = [it.id for it in guide.items if it.table == table_id]
        if not users:
            return False
        current = self.current_item_id()
        if current in users and current in selected:
            target = current
        else:
            target = next((i for i in users if i in selected), users[0])
        self.select_item(target)
        self._show_detail()
        editor = self.editors.get(table_id)
        if editor is None:
            return True
        row: str | int = 0
        if rest:
            row = (
                int(rest[0]) if rest[0].isdigit() and editor.model.row_of(rest[0]) < 0 else rest[0]
            )
        column: str | int = rest[1] if len(rest) >= 2 else 0
        if not editor.select_cell(row, column):
            editor.view.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
