"""The list of the guide's items on the 申报项目 page: a checkbox (applied for or not), number
and title, a 符合/不符合 chip and the requested amount; and the total line above it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from app.guide.model import ItemSpec
from app.model import ProjectData
from app.rules.evaluation import Evaluation, fmt_money
from widgets.items.style import GREEN, GREY, RED

ITEM_ROLE = Qt.ItemDataRole.UserRole


class ItemList(QTreeWidget):
    """One top-level row per item; the item id is in ``ITEM_ROLE`` of column 0."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("items_list")
        self.setAccessibleName("申报项目列表")
        self.setColumnCount(3)
        self.setHeaderLabels(["项目（勾选即申报）", "状态", "申请金额（元）"])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(False)
        self.setWordWrap(False)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths for the widest chip and amount: ticking an item (未选 -> 不符合, an
        # amount appearing) must not resize the columns and move the titles (no jump).
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        self.setStyleSheet("QTreeWidget::item { padding: 4px 2px; }")
        metrics = self.fontMetrics()
        chip = max(metrics.horizontalAdvance(t) for t in (" 不符合 ", "状态")) + 16
        amount = max(metrics.horizontalAdvance(t) for t in ("10,000,000.00", "申请金额（元）")) + 16
        self.setColumnWidth(1, chip)
        self.setColumnWidth(2, amount)
        self.setMinimumWidth(320)

    def build(self, items: Sequence[ItemSpec]) -> None:
        """One unchecked row per item, the first one current."""
        self.clear()
        for item in items:
            node = QTreeWidgetItem([f"{item.number} {item.title}", "", ""])
            node.setData(0, ITEM_ROLE, item.id)
            node.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            node.setCheckState(0, Qt.CheckState.Unchecked)
            node.setToolTip(0, item.summary)
            node.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.addTopLevelItem(node)
        first = self.topLevelItem(0)
        if first is not None:
            self.setCurrentItem(first)

    def nodes(self) -> list[QTreeWidgetItem]:
        found = (self.topLevelItem(n) for n in range(self.topLevelItemCount()))
        return [node for node in found if node is not None]

    def node(self, item_id: str) -> QTreeWidgetItem | None:
        for node in self.nodes():
            if node.data(0, ITEM_ROLE) == item_id:
                return node
        return None

    def current_item_id(self) -> str | None:
        node = self.currentItem()
        return None if node is None else str(node.data(0, ITEM_ROLE))

    def update_states(self, data: ProjectData, evaluation: Evaluation) -> None:
        """Checkboxes, chips and amounts from the project and its evaluation."""
        for node in self.nodes():
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


def total_text(evaluation: Evaluation) -> str:
    """The line above the list: how many items, the requested total, how many not eligible."""
    n = len(evaluation.selected)
    if not n:
        return f"<span style='color:{GREY}'>还没有选择项目：在左侧勾选要申报的项目。</span>"
    bad = sum(1 for i in evaluation.selected if not evaluation.items[i].eligible)
    text = (
        f"已选 {n} 项，申请金额合计 <b>{fmt_money(evaluation.total_requested_cny)}</b> 元"
        f"（支持上限合计 {fmt_money(evaluation.total_ceiling_cny)} 元）"
    )
    if bad:
        text += f"　<span style='color:{RED}'>{bad} 项暂不符合条件</span>"
    return text
