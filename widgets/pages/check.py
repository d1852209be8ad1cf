"""检查: every finding, blocking first, each one a click away from the place to fix it; and the
originals checklist (what to bring, what still needs a signature or seal)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.rules.evaluation import fmt_money
from widgets.pages.base import Page
from widgets.readonly import mark_view_only
from widgets.wrap import wrap_column
from widgets.wrapped_label import WrappedLabel

WHERE_ROLE = Qt.ItemDataRole.UserRole + 1
RED = QColor("#b3261e")
AMBER = QColor("#8a5a00")


class CheckPage(Page):
    title = "检查"
    refreshed_when_shown = True
    navigate = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.built = False  # the lists show the session's findings (built while shown)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 8)
        self.summary = WrappedLabel()
        self.summary.setObjectName("check_summary")
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.summary.setFont(font)
        layout.addWidget(self.summary)

        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)

        problems = QWidget()
        pl = QVBoxLayout(problems)
        self.tree = QTreeWidget()
        self.tree.setObjectName("findings")
        self.tree.setHeaderLabels(["问题", "类别"])
        self.tree.setRootIsDecorated(True)
        self.tree.setAlternatingRowColors(True)
        wrap_column(self.tree, 0)  # the whole finding, wrapped, never ending in …
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemActivated.connect(self._activate)
        self.tree.currentItemChanged.connect(self._current_changed)
        pl.addWidget(self.tree, 1)
        buttons = QHBoxLayout()
        self.go_button = QPushButton("前往修改")
        self.go_button.setToolTip("双击问题或按回车也可前往")
        self.go_button.setEnabled(False)
        mark_view_only(self.go_button)
        self.go_button.clicked.connect(lambda: self._activate(self.tree.currentItem(), 0))
        buttons.addStretch(1)
        buttons.addWidget(self.go_button)
        pl.addLayout(buttons)
        self.tabs.addTab(problems, "问题清单")

        self.originals = QTreeWidget()
        self.originals.setObjectName("originals")
        self.originals.setHeaderLabels(["材料", "需要"])
        self.originals.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.originals.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tabs.addTab(self.originals, "原件核对清单")

    def first_field(self) -> QWidget | None:
        return self.tree

    def outdated_when_shown(self) -> bool:
        # Built from the session alone: again only when a change came or it was never built
        # for it (rebuilding the list each time it was shown was ~10 ms of the window's thread).
        return not self.built

    def refresh(self) -> None:
        self.built = False
        if self.session is not None and not self.isVisibleTo(self.window()):
            # Another page is shown: built when this one is (``entering``; a list of every
            # finding, 1,000 at 1,000 files, was ~0.1 s of the window's thread after every
            # change)
            return
        self._build()

    def before_drawn_ahead(self) -> None:
        # Once after a project opens, in a turn of its own: its first showing finds it built.
        if not self.built and not self.stale and self.live_session() is not None:
            self._build()

    def _build(self) -> None:
        self.tree.clear()
        self.originals.clear()
        if self.session is None:
            self.summary.setText("")
            return
        self.built = True
        findings = self.session.findings
        blockers = [f for f in findings if f.blocking]
        warnings = [f for f in findings if not f.blocking]
        ev = self.session.evaluation
        if blockers:
            head = f"<b style='color:#b3261e'>还有 {len(blockers)} 个必须解决的问题</b>，解决后才能生成正式申报材料（可先生成草稿）。"
        else:
            head = "<b style='color:#1e7b34'>没有必须解决的问题</b>，可以生成申报材料。"
        self.summary.setText(
            f"{head}<br>已选 {len(ev.selected)} 个项目，申请金额合计 {fmt_money(ev.total_requested_cny)} 元；提醒 {len(warnings)} 条。"
        )
        for title, group, color in (
            (f"必须解决（{len(blockers)}）", blockers, RED),
            (f"提醒（{len(warnings)}）", warnings, AMBER),
        ):
            if not group:
                continue
            parent = QTreeWidgetItem([title, ""])
            parent.setFirstColumnSpanned(True)
            f0 = parent.font(0)
            f0.setBold(True)
            parent.setFont(0, f0)
            parent.setForeground(0, QBrush(color))
            self.tree.addTopLevelItem(parent)
            rows = []
            for f in group:
                child = QTreeWidgetItem([f.message, _category(f.where)])
                child.setData(0, WHERE_ROLE, f.where)
                child.setToolTip(0, f.message)
                rows.append(child)
            parent.addChildren(rows)  # at once: the view is told of one insertion
            parent.setExpanded(True)
        first = self.tree.topLevelItem(0)
        if first is not None and first.childCount():
            first_child = first.child(0)
            if first_child is not None:
                self.tree.setCurrentItem(first_child)
        self._fill_originals()

    def _fill_originals(self) -> None:
        assert self.session is not None
        try:
            from app.outputs.originals_list import originals_checklist
        except ImportError:  # pragma: no cover - during development only
            return
        sections: dict[str, QTreeWidgetItem] = {}
        for line in originals_checklist(self.session.guide, self.session.data):
            parent = sections.get(line.section)
            if parent is None:
                parent = QTreeWidgetItem([line.section, ""])
                parent.setFirstColumnSpanned(True)
                self.originals.addTopLevelItem(parent)
                sections[line.section] = parent
                parent.setExpanded(True)
            title = line.title + (f"（{line.row_label}）" if line.row_label else "")
            parent.addChild(QTreeWidgetItem([title, line.what]))

    def _current_changed(
        self, current: QTreeWidgetItem | None, _prev: QTreeWidgetItem | None
    ) -> None:
        self.go_button.setEnabled(current is not None and bool(current.data(0, WHERE_ROLE)))

    def _activate(self, item: QTreeWidgetItem | None, _column: int) -> None:
        if item is None:
            return
        where = item.data(0, WHERE_ROLE)
        if where:
            self.navigate.emit(str(where))


def _category(where: str) -> str:
    head = where.split(".", 1)[0]
    return {
        "company": "企业信息",
        "items": "申报项目",
        "item": "申报项目",
        "table": "明细表",
        "document": "材料",
        "evidence": "材料",
        "deadline": "申报时间",
        "rates": "外币折算率",
    }.get(head, "")
