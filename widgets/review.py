"""文件 → 批量检查…: the association's desk in the window.

Choose a folder; the review (``app.review``) runs in the background with a progress bar; the
table shows one row per project file, manifest or packet folder — sortable, filtered by district,
item and problems; a double-click on a project file opens it in the window; 保存汇总表… writes
the same workbook as ``review --out``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.review import Review, SourceResult, find_sources, review, write_summary
from app.review.model import KIND_LABELS
from app.rules.evaluation import fmt_money
from widgets import errors
from widgets.settings import last_dir, set_last_dir
from widgets.tasks import Task, TaskContext, run_task

COLUMNS = [
    "企业全称",
    "统一社会信用代码",
    "所在区",
    "申报项目",
    "申请金额合计（元）",
    "必须解决的问题",
    "提醒",
    "类型",
    "来源路径",
    "无法读取或校验未通过",
]
ALL = "全部"
PROBLEMS = ["全部", "有问题或无法读取", "没有必须解决的问题"]
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RESULT_ROLE = Qt.ItemDataRole.UserRole + 2


class _Filter(QSortFilterProxyModel):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.district = ALL
        self.item = ALL
        self.problems = 0
        self.setSortRole(SORT_ROLE)

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        index = self.sourceModel().index(row, 0, parent)
        r = index.data(RESULT_ROLE)
        if not isinstance(r, SourceResult):
            return True
        if self.district != ALL and (r.district or "") != self.district:
            return False
        if self.item != ALL and self.item not in {it.title for it in r.items}:
            return False
        if self.problems == 1 and not r.failed:
            return False
        return not (self.problems == 2 and r.failed)


class ReviewDialog(QDialog):
    """Non-modal; ``open_requested(path)`` asks the main window to open a project file."""

    open_requested = Signal(Path)
    finished_review = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("批量检查")
        self.resize(1100, 620)
        self.outcome: Review | None = None
        self.task: Task | None = None

        top = QHBoxLayout()
        self.folder_label = QLabel("请选择存放各企业项目文件、清单文件或申报材料的文件夹。")
        self.choose_button = QPushButton("选择文件夹…")
        self.cancel_button = QPushButton("停止")
        self.cancel_button.setEnabled(False)
        top.addWidget(self.folder_label, 1)
        top.addWidget(self.choose_button)
        top.addWidget(self.cancel_button)

        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setFormat("%v / %m")
        self.progress.setValue(0)
        self.progress_label = QLabel("")

        filters = QHBoxLayout()
        self.district_box = QComboBox()
        self.item_box = QComboBox()
        self.problem_box = QComboBox()
        self.problem_box.addItems(PROBLEMS)
        for label, box in (
            ("所在区", self.district_box),
            ("申报项目", self.item_box),
            ("问题", self.problem_box),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(box)
        filters.addStretch(1)
        self.count_label = QLabel("")
        filters.addWidget(self.count_label)

        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(COLUMNS)
        self.proxy = _Filter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setToolTip("双击项目文件所在行，在本窗口中打开该项目。")

        bottom = QHBoxLayout()
        self.save_button = QPushButton("保存汇总表…")
        self.save_button.setEnabled(False)
        close_button = QPushButton("关闭")
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_label)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self.choose_button.clicked.connect(self.choose_folder)
        self.cancel_button.clicked.connect(self.stop)
        self.save_button.clicked.connect(self.save_dialog)
        close_button.clicked.connect(self.close)
        self.table.doubleClicked.connect(self._double_clicked)
        self.district_box.currentTextChanged.connect(self._filter_changed)
        self.item_box.currentTextChanged.connect(self._filter_changed)
        self.problem_box.currentIndexChanged.connect(self._filter_changed)

    # -- running -----------------------------------------------------------------------------
    def choose_folder(self) -> None:
        folder = errors.choose_directory(self, "选择要批量检查的文件夹", last_dir("review"))
        if folder:
            set_last_dir("review", folder)
            self.start(Path(folder))

    def start(self, folder: Path) -> None:
        """Review ``folder`` in the background; the table fills when it is done."""
        if self.task is not None and self.task.running:
            return
        try:
            sources = find_sources([folder])
        except Exception as exc:
            errors.show_error(self, exc, "无法批量检查")
            return
        self.folder_label.setText(f"{folder}（{len(sources)} 份）")
        self.progress.setRange(0, len(sources))
        self.progress.setValue(0)
        self.choose_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.save_button.setEnabled(False)

        def work(ctx: TaskContext) -> Review:
            return review(sources, progress=ctx.progress, cancel=ctx.cancelled)

        self.task = run_task(self, work, self._done, self._failed)
        self.task.progress.connect(self._on_progress)

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _on_progress(self, done: int, total: int, label: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress_label.setText(f"正在检查：{label}" if done < total else "")

    def _idle(self) -> None:
        self.choose_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress_label.setText("")

    def _failed(self, exc: BaseException) -> None:
        self._idle()
        errors.show_error(self, exc, "批量检查出错")

    def _done(self, result: Review) -> None:
        self._idle()
        self.show_results(result)
        self.finished_review.emit()

    # -- the table ---------------------------------------------------------------------------
    def show_results(self, result: Review) -> None:
        self.outcome = result
        self.model.removeRows(0, self.model.rowCount())
        for r in result.results:
            self.model.appendRow(_row(r))
        self.table.resizeColumnsToContents()
        for col in (0, 3, 8, 9):
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), 260))
        districts = sorted({r.district or "" for r in result.results} - {""})
        items: list[str] = []
        for r in result.results:
            items += [it.title for it in r.items if it.title not in items]
        for box, values in ((self.district_box, districts), (self.item_box, items)):
            box.blockSignals(True)
            box.clear()
            box.addItems([ALL, *values])
            box.blockSignals(False)
        self.save_button.setEnabled(bool(result.results))
        self._filter_changed()

    def _filter_changed(self) -> None:
        self.proxy.beginFilterChange()
        self.proxy.district = self.district_box.currentText() or ALL
        self.proxy.item = self.item_box.currentText() or ALL
        self.proxy.problems = max(self.problem_box.currentIndex(), 0)
        self.proxy.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        total = self.model.rowCount()
        failed = sum(1 for r in self.outcome.results if r.failed) if self.outcome else 0
        self.count_label.setText(
            f"显示 {self.proxy.rowCount()} / {total} 份，{failed} 份有问题或无法读取"
        )

    def row_result(self, proxy_row: int) -> SourceResult:
        index = self.proxy.mapToSource(self.proxy.index(proxy_row, 0))
        r = self.model.item(index.row(), 0).data(RESULT_ROLE)
        assert isinstance(r, SourceResult)
        return r

    def _double_clicked(self, index: QModelIndex) -> None:
        r = self.row_result(index.row())
        found = self._source_path(r)
        if r.kind == "project" and r.error is None and found is not None:
            self.open_requested.emit(found)
        elif r.kind == "project":
            errors.inform(self, "无法打开", r.error or "无法打开该项目文件。", error=True)
        else:
            errors.inform(
                self,
                KIND_LABELS[r.kind],
                f"{r.path}\n\n只有项目文件（.sbproj）可以在本窗口中打开；清单文件请用"
                "“文件 → 从清单文件导入…”。",
            )

    def _source_path(self, r: SourceResult) -> Path | None:
        path = Path(r.path)
        return path if path.exists() else None

    # -- the workbook ------------------------------------------------------------------------
    def save_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        start = str(Path(last_dir("review") or ".") / "汇总.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "保存汇总表", start, "Excel 文件 (*.xlsx)")
        if path:
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
            self.save(Path(path))

    def save(self, path: Path) -> bool:
        if self.outcome is None:
            return False
        try:
            write_summary(path, self.outcome.results)
        except Exception as exc:
            errors.show_error(self, exc, "无法保存汇总表")
            return False
        errors.inform(self, "已保存", f"汇总表已保存：{path}")
        return True

    def closeEvent(self, event: object) -> None:
        self.stop()
        super().closeEvent(event)  # type: ignore[arg-type]


def _cell(text: str, sort: object | None = None) -> QStandardItem:
    item = QStandardItem(text)
    item.setData(text if sort is None else sort, SORT_ROLE)
    return item


def _row(r: SourceResult) -> list[QStandardItem]:
    total = r.total_requested_cny
    cells = [
        _cell(r.company or "（企业名称不详）"),
        _cell(r.credit_code or ""),
        _cell(r.district or ""),
        _cell("、".join(it.number or it.title for it in r.items)),
        _cell(fmt_money(total) if total is not None else "", float(total or Decimal(-1))),
        _cell(str(r.blocking), r.blocking),
        _cell(str(r.warnings), r.warnings),
        _cell(KIND_LABELS[r.kind]),
        _cell(r.path),
        _cell(r.error or ""),
    ]
    for n in (4, 5, 6):
        cells[n].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if r.failed:
        for c in cells:
            c.setForeground(Qt.GlobalColor.darkRed)
    tips = [f.message for f in r.findings if f.blocking][:8]
    if r.error:
        tips.insert(0, r.error)
    for c in cells:
        c.setToolTip("\n".join(tips) or "没有必须解决的问题")
    cells[0].setData(r, RESULT_ROLE)
    return cells
