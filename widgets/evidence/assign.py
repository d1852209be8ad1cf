"""The confirm-or-correct list for a folder dropped on the 材料 page as a whole: each file with
the document proposed by its name (``app.intake.assign``), changeable, or left for the clerk.
Nothing is attached until 添加 is pressed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:  # only types: app.intake is not imported at the window's start
    from app.intake.assign import DocKey, Proposal, Target
    from app.intake.probe import FileCheck
from widgets.screen_fit import fit_to_screen
from widgets.tasks import TaskContext, run_task

LEAVE = "（暂不添加）"
UNREADABLE = "无法读取"
FILE, STATE, TARGET, WHY = range(4)
RED = QColor("#b3261e")
TARGET_MIN, TARGET_MAX = 240, 380  # the 放到 column: its longest choice within these


class AssignDialog(QDialog):
    """Each file of the folder with the document proposed for it. Every file is read in the
    background as soon as the list shows (添加 waits for it): a file that cannot be read is
    marked 无法读取 with the reason and left out; the others are added when confirmed."""

    def __init__(
        self, proposals: list[Proposal], targets: list[Target], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("按文件名分配文件")
        self.proposals = proposals
        self.checks: dict[int, FileCheck] = {}
        self._alive = True
        self.summary = QLabel()
        self.summary.setObjectName("assign_summary")
        self.summary.setWordWrap(True)

        self.table = QTableWidget(len(proposals), 4)
        self.table.setHorizontalHeaderLabels(["文件", "读取", "放到", "依据"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)  # one line a file; a cut text shows whole on hover
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.combos: list[QComboBox] = []
        self.keys = [t.key for t in targets]
        for n, p in enumerate(proposals):
            name = QTableWidgetItem(p.path.name)
            name.setToolTip(str(p.path))
            self.table.setItem(n, FILE, name)
            self.table.setItem(n, STATE, QTableWidgetItem("正在读取…"))
            box = QComboBox()
            box.addItem(LEAVE)
            for t in targets:
                box.addItem(t.label)
                box.setItemData(box.count() - 1, t.label, Qt.ItemDataRole.ToolTipRole)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            if p.key in self.keys:
                box.setCurrentIndex(1 + self.keys.index(p.key))
            box.currentIndexChanged.connect(lambda _i, b=box: b.setToolTip(b.currentText()))
            box.setToolTip(box.currentText())
            self.table.setCellWidget(n, TARGET, box)
            self.combos.append(box)
            why = QTableWidgetItem(p.reason)
            why.setToolTip(p.reason)
            self.table.setItem(n, WHY, why)
        self._size_columns()

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button: QPushButton = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("添加")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.bad_label = QLabel()
        self.bad_label.setObjectName("assign_unreadable")
        self.bad_label.setWordWrap(True)
        self.bad_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bad_label.setStyleSheet("color: #b3261e;")
        self.bad_label.hide()
        layout.addWidget(self.bad_label)
        layout.addWidget(buttons)
        self._fit()
        self._update_summary()
        for n, p in enumerate(proposals):
            self._check(n, p.path)

    # -- layout ------------------------------------------------------------------------------
    def _size_columns(self) -> None:
        """放到 keeps the width of its longest choice (up to TARGET_MAX) whatever the names and
        reasons beside it; the reasons take the rest and wrap; a narrow window scrolls."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        names = [metrics.horizontalAdvance(p.path.name) + 24 for p in self.proposals]
        header.setSectionResizeMode(FILE, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(FILE, min(max([120, *names]), 260))
        header.setSectionResizeMode(STATE, QHeaderView.ResizeMode.ResizeToContents)
        widest = max([TARGET_MIN, *(b.sizeHint().width() + 8 for b in self.combos)])
        header.setSectionResizeMode(TARGET, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(TARGET, min(widest, TARGET_MAX))
        header.setSectionResizeMode(WHY, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        self.table.setMinimumWidth(0)

    def _fit(self) -> None:
        width = self.table.columnWidth(FILE) + self.table.columnWidth(TARGET) + 420 + 80
        fit_to_screen(self, min(width, 1100), 620)

    # -- reading each file ---------------------------------------------------------------------
    @property
    def checking(self) -> int:
        """Files still being read."""
        return len(self.proposals) - len(self.checks)

    def _check(self, row: int, path: Path) -> None:
        from app.intake.probe import FileCheck, check_file  # the dialog's own: not at start

        def work(_ctx: TaskContext) -> FileCheck:
            return check_file(path)

        def failed(exc: BaseException) -> None:  # check_file does not raise for a bad file
            self._checked(row, FileCheck(path, f"无法读取“{path.name}”：{exc}"))

        run_task(None, work, lambda got: self._checked(row, got), failed, quiet=True)

    def _checked(self, row: int, got: FileCheck) -> None:
        if not self._alive:
            return
        self.checks[row] = got
        state = self.table.item(row, STATE)
        if state is None:
            return
        if got.readable:
            text = "可以添加" if got.pages is None else f"可以添加（{got.pages} 页）"
            state.setText(text if not got.note else f"{text}；{got.note}")
            state.setForeground(QBrush(QColor("#1e4620")))
        else:
            state.setText(UNREADABLE)
            state.setForeground(QBrush(RED))
            state.setToolTip(got.problem or "")
            why = self.table.item(row, WHY)
            if why is not None:
                why.setText(got.problem or "")
                why.setToolTip(got.problem or "")
                why.setForeground(QBrush(RED))
            box = self.combos[row]
            box.setCurrentIndex(0)
            box.setEnabled(False)
            box.setToolTip("这个文件无法读取，不会添加")
        self._update_summary()

    def _update_summary(self) -> None:
        total = len(self.proposals)
        placed = sum(1 for p in self.proposals if p.key is not None)
        left = total - placed
        text = f"按文件名为 {total} 个文件中的 {placed} 个找到了对应的材料。"
        if left:
            text += f"{left} 个未能确定（已标出原因），请选择，或留待以后添加。"
        bad = self.unreadable()
        if self.checking:
            text += f"正在读取每个文件（还剩 {self.checking} 个），读完后才能添加。"
        elif bad:
            text += f"{len(bad)} 个文件无法读取（已标出原因），不会添加，其余文件可以添加。"
        else:
            text += "每个文件都已读取，均可添加。"
        text += "请逐项核对，可在“放到”一栏中更改；按“添加”后才会添加。"
        self.summary.setText(text)
        self.ok_button.setEnabled(not self.checking)
        if bad:
            lines = [f"{UNREADABLE}（不会添加）："] + [f"· {c.problem}" for c in bad]
            self.bad_label.setText("\n".join(lines))
        self.bad_label.setVisible(bool(bad))

    def unreadable(self) -> list[FileCheck]:
        """The files read so far that cannot be added, in the list's order."""
        return [self.checks[n] for n in sorted(self.checks) if not self.checks[n].readable]

    def done(self, result: int) -> None:
        self._alive = False
        super().done(result)

    # -- the answer ------------------------------------------------------------------------------
    def key_at(self, row: int) -> DocKey | None:
        """The document chosen for the file of ``row`` (None: left for later)."""
        check = self.checks.get(row)
        if check is not None and not check.readable:
            return None
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
