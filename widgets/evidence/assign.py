"""The confirm-or-correct list for a folder dropped on the 材料 page as a whole: each file with
the document proposed by its name (``app.intake.assign``), changeable, or left for the clerk.
Nothing is attached until 添加 is pressed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:  # only types: app.intake is not imported at the window's start
    from app.intake.assign import DocKey, Proposal, Target

LEAVE = "（暂不添加）"


class AssignDialog(QDialog):
    def __init__(
        self, proposals: list[Proposal], targets: list[Target], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("按文件名分配文件")
        self.resize(980, 560)
        self.proposals = proposals
        placed = sum(1 for p in proposals if p.key is not None)
        left = len(proposals) - placed
        text = f"按文件名为 {len(proposals)} 个文件中的 {placed} 个找到了对应的材料。"
        if left:
            text += f"{left} 个未能确定（已标出原因），请选择，或留待以后添加。"
        text += "请逐项核对，可在“放到”一栏中更改；按“添加”后才会添加。"
        self.summary = QLabel(text)
        self.summary.setWordWrap(True)

        self.table = QTableWidget(len(proposals), 3)
        self.table.setHorizontalHeaderLabels(["文件", "放到", "依据"])
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.combos: list[QComboBox] = []
        self.keys = [t.key for t in targets]
        for n, p in enumerate(proposals):
            name = QTableWidgetItem(p.path.name)
            name.setToolTip(str(p.path))
            self.table.setItem(n, 0, name)
            box = QComboBox()
            box.addItem(LEAVE)
            for t in targets:
                box.addItem(t.label)
                box.setItemData(box.count() - 1, t.label, 3)  # tooltip role
            if p.key in self.keys:
                box.setCurrentIndex(1 + self.keys.index(p.key))
            self.table.setCellWidget(n, 1, box)
            self.combos.append(box)
            self.table.setItem(n, 2, QTableWidgetItem(p.reason))

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("添加")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def key_at(self, row: int) -> DocKey | None:
        """The document chosen for the file of ``row`` (None: left for later)."""
        index = self.combos[row].currentIndex()
        return self.keys[index - 1] if index > 0 else None

    def chosen(self) -> list[tuple[DocKey, list[Path]]]:
        """The files to attach, grouped by document in the order first met (the rest left)."""
        groups: dict[DocKey, list[Path]] = {}
        for n, p in enumerate(self.proposals):
            key = self.key_at(n)
            if key is not None:
                groups.setdefault(key, []).append(p.path)
        return list(groups.items())
