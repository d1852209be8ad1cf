"""申报项目: choose the guide's items, enter each one's figures and rows, see live whether it
is eligible and how much can be requested.

Left: the guide's items in order (checkbox, number and title, a 符合/不符合 chip, the amount).
Right: the current item's summary, its inputs (saved as typed, problems inline in red), the
result (eligibility with reasons, basis figures, ceiling, the requested amount) and its table.
Tables are edited through one ``TableEditor`` per table, so the contracts table shared by the
onshore and offshore items is one editor over one set of rows. The list, the inputs form and the
result box are in ``widgets.items``.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.guide.model import ItemSpec
from widgets.items.inputs_form import InputRow, InputsForm
from widgets.items.item_list import ITEM_ROLE, ItemList, total_text
from widgets.items.result_box import REQUESTED_SPEC, ResultBox
from widgets.items.style import GREEN, GREY, RED, UNIT_NAMES
from widgets.pages.base import Page
from widgets.session import ProjectSession
from widgets.table_editor import TableEditor
from widgets.wrapped_label import WrappedLabel

__all__ = [
    "GREEN",
    "GREY",
    "ITEM_ROLE",
    "RED",
    "REQUESTED_SPEC",
    "UNIT_NAMES",
    "InputRow",
    "ItemsPage",
]


# A splitter handle that can be seen: a grey bar with a darker grip line, blue under the mouse.
SPLITTER_STYLE = (
    "QSplitter::handle { background: #e3e7ee; border-radius: 3px; margin: 1px; }"
    "QSplitter::handle:hover { background: #b9cdf0; }"
    "QSplitter::handle:vertical { border-top: 3px solid #f7f8fa; border-bottom: 3px solid #f7f8fa;"
    " background: #c3cad6; }"
    "QSplitter::handle:horizontal { border-left: 3px solid #f7f8fa; border-right: 3px solid #f7f8fa;"
    " background: #c3cad6; }"
)


DETAIL_LATER_MS = 100  # a detail left to a later turn is built by then at the latest


class ItemsPage(Page):
    title = "申报项目"
    refreshed_when_shown = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._built_for: ProjectSession | None = None
        self._detail_key: tuple[str, bool] | None = None
        self._detail_later = False  # the current item's form and table: on the next turn
        self._loading = False
        self.editors: dict[str, TableEditor] = {}
        self.inputs_form = InputsForm(self, self._current, lambda: self._loading)
        self.inputs = self.inputs_form.inputs

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
        self.rates_button = QPushButton("外币折算率…")
        self.rates_button.setToolTip("查看、修改外币金额折算所用的汇率")
        self.rates_button.clicked.connect(self.show_rates)
        top.addWidget(self.rates_button)
        outer.addLayout(top)

        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setChildrenCollapsible(False)
        self.split.setHandleWidth(9)
        self.split.setStyleSheet(SPLITTER_STYLE)
        outer.addWidget(self.split, 1)

        self.tree = ItemList()
        self.tree.itemChanged.connect(self._tree_item_changed)
        self.tree.currentItemChanged.connect(lambda *_: self._show_detail())
        self.split.addWidget(self.tree)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(12, 0, 0, 0)
        right_layout.setSpacing(6)
        self.item_title = WrappedLabel()
        self.item_title.setObjectName("item_title")
        self.item_title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.item_title.setWordWrap(True)
        self.item_summary = WrappedLabel()
        self.item_summary.setObjectName("item_summary")
        self.item_summary.setWordWrap(True)
        self.item_summary.setStyleSheet(f"color: {GREY};")
        self.select_box = QCheckBox("申报此项目")
        self.select_box.setObjectName("item_selected")
        self.select_box.toggled.connect(self._select_box_toggled)
        self.hint = WrappedLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"color: {GREY};")
        right_layout.addWidget(self.item_title)
        right_layout.addWidget(self.item_summary)
        right_layout.addWidget(self.select_box, 0, Qt.AlignmentFlag.AlignLeft)
        right_layout.addWidget(self.hint)

        self.detail_split = QSplitter(Qt.Orientation.Vertical)
        self.detail_split.setObjectName("detail_split")
        self.detail_split.setChildrenCollapsible(False)
        self.detail_split.setHandleWidth(9)
        self.detail_split.setStyleSheet(SPLITTER_STYLE)
        right_layout.addWidget(self.detail_split, 1)
        right_layout.addStretch(0)  # keeps the header at the top while the detail is hidden

        self.detail_scroll = QScrollArea()
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        # The inputs and the result side by side: the table below keeps the height.
        self.body_layout = QHBoxLayout(body)
        self.body_layout.setContentsMargins(0, 0, 8, 0)
        self.body_layout.setSpacing(12)
        self.form_host = self.inputs_form.host
        self.body_layout.addWidget(self.form_host, 3, Qt.AlignmentFlag.AlignTop)
        self.result_box = ResultBox()
        box = self.result_box
        self.status_label, self.reasons_label = box.status_label, box.reasons_label
        self.basis_label, self.ceiling_label = box.basis_label, box.ceiling_label
        self.requested_edit, self.requested_note = box.requested_edit, box.requested_note
        self.requested_edit.editingFinished.connect(self._save_requested)
        self.requested_edit.textEdited.connect(lambda _t: box.check_requested())
        self.body_layout.addWidget(self.result_box, 2, Qt.AlignmentFlag.AlignTop)
        self.detail_scroll.setWidget(body)
        self.detail_split.addWidget(self.detail_scroll)

        self.table_host = QWidget()
        table_layout = QVBoxLayout(self.table_host)
        table_layout.setContentsMargins(0, 4, 0, 0)
        table_layout.setSpacing(4)
        self.table_title = WrappedLabel()
        self.table_title.setObjectName("item_table_title")
        self.table_title.setWordWrap(True)
        self.table_title.setStyleSheet("font-weight: bold;")
        table_layout.addWidget(self.table_title)
        self.table_stack = QStackedWidget()
        table_layout.addWidget(self.table_stack, 1)
        self.detail_split.addWidget(self.table_host)
        self.detail_split.handle(1).setToolTip("拖动可调整上下两部分的高度")
        self.detail_split.setStretchFactor(0, 2)
        self.detail_split.setStretchFactor(1, 3)

        self.split.addWidget(right)
        self.split.setStretchFactor(0, 0)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([370, 830])
        self._show_empty()

    # -- building ----------------------------------------------------------------------------------
    def _build_tree(self) -> None:
        assert self.session is not None
        self._loading = True
        try:
            self.tree.build(self.session.guide.items)
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
        self.inputs_form.discard_pending()
        super().set_session(session)

    def refresh(self) -> None:
        if self.session is None or self.session.store.closed:
            self._detail_later = False
            if self._built_for is not None:
                self._drop_editors()
                self.tree.clear()
                self._built_for = None
                self._detail_key = None
                self.inputs_form.clear()
            self._show_empty()
            self.total_label.setText("")
            return
        if self._built_for is not self.session:
            self._drop_editors()
            self._detail_key = None
            self._built_for = self.session
            # Rates matter only to a guide with a currency column or input (not to one in yuan).
            guide = self.session.guide
            self.rates_button.setVisible(
                any(
                    f.type == "currency"
                    for f in (
                        *(c for t in guide.tables for c in t.columns),
                        *(i for it in guide.items for i in it.inputs),
                    )
                )
            )
            # Loaded while hidden (after opening): the item's form and table (a table editor,
            # ~15-20 ms) on a turn of their own, unless the page is shown or asked before.
            self._detail_later = not self.showing()
            if self._detail_later:  # the window's ``hidden_pages`` asks for it before that
                QTimer.singleShot(DETAIL_LATER_MS, self, self._detail_now)
            self._build_tree()
            # Open on the first item the company applies for (else the guide's first).
            if self.session.data.selected:
                self._select(self.session.data.selected[0])
        self._update_tree()
        self._update_total()
        self._show_detail()
        for editor in self.editors.values():
            editor.reload()

    def on_changed(self, topic: str) -> None:
        if topic in ("selected", "inputs", "requested", "rates", "tables", "evidence", "options"):
            self.refresh()

    def outdated_when_shown(self) -> bool:
        # What it shows comes from the session: a change while hidden made it ``stale``.
        return False

    def entering(self) -> None:  # refreshed first (``refreshed_when_shown``)
        self._detail_now()
        QTimer.singleShot(0, self, self._fit_split)  # laid out while hidden: fit once shown

    def load_more(self) -> bool:
        later = self._detail_later
        self._detail_now()
        return later

    def _detail_now(self) -> None:
        """Build the current item's detail left to a later turn (``refresh``), if not done."""
        if self._detail_later:
            self._detail_later = False
            self._show_detail()
            self.loaded.emit()  # editors built: the read-only view turns them off too

    def flush(self) -> None:
        """Save whatever is being typed (before leaving the page or closing)."""
        if not self.stale:  # stale: nothing typed in this project's page yet
            self.inputs_form.flush()

    # -- the list --------------------------------------------------------------------------------
    def _node(self, item_id: str) -> QTreeWidgetItem | None:
        return self.tree.node(item_id)

    def current_item_id(self) -> str | None:
        self.ensure_loaded()
        return self.tree.current_item_id()

    def select_item(self, item_id: str) -> bool:
        """Make ``item_id`` the current item (its details show on the right)."""
        self.ensure_loaded()
        self._detail_now()
        return self._select(item_id)

    def _select(self, item_id: str) -> bool:
        node = self._node(item_id)
        if node is None:
            return False
        self.tree.setCurrentItem(node)
        self.tree.scrollToItem(node)
        return True

    def _update_tree(self) -> None:
        assert self.session is not None
        self._loading = True
        try:
            self.tree.update_states(self.session.data, self.session.evaluation)
        finally:
            self._loading = False

    def _update_total(self) -> None:
        assert self.session is not None
        self.total_label.setText(total_text(self.session.evaluation))

    def _tree_item_changed(self, node: QTreeWidgetItem, column: int) -> None:
        if self._loading or self.session is None or column != 0:
            return
        if self.session.read_only:  # a look, not an edit: put the tick back
            self.refresh()
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
        if self.session is None or self._detail_later:
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
                self.inputs_form.build(item if selected else None)
                self._show_table(item if selected else None)
                self._set_tab_order()
            self.inputs_form.show_values()
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

    def _set_tab_order(self) -> None:
        """Tab goes down the page as it reads: the list, 申报此项目, the inputs from the top,
        申请金额, then the table's buttons and the table (Ctrl+Tab leaves the table)."""
        chain: list[QWidget] = [self.tree, self.select_box]
        for row in self.inputs.values():
            chain.append(row.editor)
            if row.currency is not None:
                chain.append(row.currency)
        chain.append(self.requested_edit)
        editor = self.table_stack.currentWidget()
        if isinstance(editor, TableEditor) and not self.table_host.isHidden():
            chain += editor.tab_chain()
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def first_field(self) -> QWidget | None:
        return self.tree

    def _fit_split(self) -> None:
        """Give the form and result what they need (up to about half), the table the rest."""
        if not self.table_host.isVisibleTo(self):
            return
        total = sum(self.detail_split.sizes()) or self.detail_split.height()
        if total <= 0:
            return
        body = self.detail_scroll.widget()
        if body is None:
            wanted = total // 2
        else:
            # At the width it has (wrapped labels), not the width it would like.
            width = self.detail_scroll.viewport().width()
            layout = body.layout()
            fits = layout.heightForWidth(width) if layout is not None and width > 0 else -1
            wanted = (fits if fits > 0 else body.sizeHint().height()) + 6
        top = max(min(wanted, int(total * 0.55)), 120)
        self.detail_split.setSizes([top, max(total - top, 160)])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_split()

    def _update_result(self, item: ItemSpec) -> None:
        assert self.session is not None
        result = self.session.evaluation.items[item.id]
        selected = self.session.data.selected
        conflicts = [
            self.session.guide.item(other).full_title
            for other in item.exclusive_with
            if item.id in selected and other in selected
        ]
        self.result_box.show_result(result, self.session.data.requested.get(item.id), conflicts)

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
        self._detail_now()
        return self.editors.get(table_id)

    # -- saving inputs ---------------------------------------------------------------------------
    def show_rates(self) -> None:
        from widgets.rates import RatesDialog

        session = self.live_session()
        if session is not None:
            RatesDialog(session, self).exec()

    def _current(self) -> str | None:
        return None if self._detail_key is None else self._detail_key[0]

    def _save_requested(self) -> None:
        item_id = self._current()
        session = self.live_session()
        if self._loading or session is None or item_id is None:
            return
        ok, value = self.result_box.check_requested()
        if ok and session.data.requested.get(item_id) != value:
            session.set_requested(item_id, value)

    # -- findings --------------------------------------------------------------------------------
    def focus_where(self, where: str) -> bool:
        self.ensure_loaded()
        if self.session is None:
            return False
        parts = where.split(".")
        if parts[0] == "items":
            self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        if parts[0] == "rates":
            self.rates_button.setFocus(Qt.FocusReason.OtherFocusReason)
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
            elif (
                parts[1] in self.session.data.selected
                and self.session.evaluation.items[parts[1]].eligible
            ):
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
