"""输出: where to write, options, build with progress and a working Cancel, then open / print."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from widgets import errors
from widgets.pages.base import Page
from widgets.tasks import Task, TaskContext, run_task


def default_out_dir(project: Path) -> Path:
    return project.with_name(f"{project.stem}-申报材料")


class OutputPage(Page):
    title = "输出"
    busy = Signal(bool)  # a build runs: the window keeps the project still until it ends

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task: Task | None = None
        self.result: Any = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 8)

        where = QGroupBox("输出文件夹")
        wl = QHBoxLayout(where)
        self.out_edit = QLineEdit()
        self.out_edit.setObjectName("out_dir")
        self.out_edit.editingFinished.connect(self._save_options)
        browse = QPushButton("选择…")
        browse.clicked.connect(self._browse)
        wl.addWidget(self.out_edit, 1)
        wl.addWidget(browse)
        layout.addWidget(where)

        opts = QGroupBox("打印选项")
        form = QFormLayout(opts)
        self.duplex = QCheckBox("双面打印（每个项目从奇数页开始，空白页标注“此页无正文”）")
        self.gutter = QDoubleSpinBox()
        self.gutter.setRange(0, 50)
        self.gutter.setSuffix(" 毫米")
        self.gutter.setDecimals(0)
        self.gutter.setValue(25)
        self.gutter.setMaximumWidth(120)
        self.repeat = QCheckBox(
            "在国际认证、人才引进项目中重复附上服务外包证明材料（默认只注明所在页码）"
        )
        for w in (self.duplex, self.repeat):
            w.toggled.connect(self._save_options)
        self.gutter.valueChanged.connect(self._save_options)
        form.addRow(self.duplex)
        form.addRow("装订边（左侧）：", self.gutter)
        form.addRow(self.repeat)
        layout.addWidget(opts)

        self.state = QLabel()
        self.state.setObjectName("output_state")
        self.state.setWordWrap(True)
        layout.addWidget(self.state)

        run_row = QHBoxLayout()
        self.build_button = QPushButton("生成申报材料")
        self.build_button.setObjectName("build_button")
        self.build_button.setMinimumHeight(36)
        self.build_button.setMinimumWidth(180)
        self.build_button.clicked.connect(self.start_build)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setEnabled(False)
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_build)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        run_row.addWidget(self.build_button)
        run_row.addWidget(self.progress, 1)
        run_row.addWidget(self.cancel_button)
        run_row.addStretch(0)
        layout.addLayout(run_row)
        self.progress_label = QLabel()
        layout.addWidget(self.progress_label)

        done = QGroupBox("生成结果")
        dl = QVBoxLayout(done)
        self.result_label = QLabel("尚未生成。")
        self.result_label.setObjectName("result_label")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dl.addWidget(self.result_label)
        actions = QHBoxLayout()
        self.open_pdf = QPushButton("打开 PDF")
        self.open_folder = QPushButton("打开文件夹")
        self.open_excel = QPushButton("打开 Excel 文件")
        self.print_button = QPushButton("打印（两份）…")
        for b in (self.open_pdf, self.open_folder, self.open_excel, self.print_button):
            b.setEnabled(False)
            actions.addWidget(b)
        actions.addStretch(1)
        dl.addLayout(actions)
        self.open_pdf.clicked.connect(lambda: self._open_result("pdf"))
        self.open_folder.clicked.connect(lambda: self._open_result("folder"))
        self.open_excel.clicked.connect(lambda: self._open_result("workbook"))
        self.print_button.clicked.connect(self.print_pdf)
        layout.addWidget(done)
        layout.addStretch(1)

    # -- state ------------------------------------------------------------------------------
    def entering(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        if self.session is None:
            return
        opts = self.session.options()
        for w in (self.duplex, self.repeat, self.gutter):
            w.blockSignals(True)
        self.duplex.setChecked(bool(opts.get("duplex", False)))
        self.repeat.setChecked(bool(opts.get("repeat_shared", False)))
        self.gutter.setValue(float(opts.get("gutter_mm", 25)))
        for w in (self.duplex, self.repeat, self.gutter):
            w.blockSignals(False)
        if not self.out_edit.hasFocus():
            self.out_edit.setText(str(opts.get("out_dir") or default_out_dir(self.session.path)))
        blockers = sum(1 for f in self.session.findings if f.blocking)
        if blockers:
            self.state.setText(
                f"<span style='color:#b3261e'>还有 {blockers} 个必须解决的问题（见“检查”）。</span>"
                "现在生成的是<b>草稿</b>：每页带“草稿”水印，缺少的材料以占位页标出，不能用于正式申报。"
            )
            self.build_button.setText("生成草稿")
        else:
            self.state.setText(
                "检查通过。将生成：申报材料 PDF、以企业全称命名的 Excel 文件、Word 模板、原件核对清单和校验清单。"
            )
            self.build_button.setText("生成申报材料")

    def _save_options(self) -> None:
        if not self.alive():
            return
        assert self.session is not None
        self.session.set_option("duplex", self.duplex.isChecked())
        self.session.set_option("repeat_shared", self.repeat.isChecked())
        self.session.set_option("gutter_mm", self.gutter.value())
        self.session.set_option("out_dir", self.out_edit.text().strip() or None)

    def _browse(self) -> None:
        path = errors.choose_directory(self, "选择输出文件夹", self.out_edit.text())
        if path:
            self.out_edit.setText(path)
            self._save_options()

    # -- build ------------------------------------------------------------------------------
    def start_build(self) -> None:
        if self.session is None or self.task is not None:
            return
        from app.build import BuildOptions, build

        self._save_options()
        out_dir = Path(self.out_edit.text().strip() or default_out_dir(self.session.path))
        draft = any(f.blocking for f in self.session.findings)
        options = BuildOptions(
            duplex=self.duplex.isChecked(),
            gutter_mm=self.gutter.value(),
            repeat_shared=self.repeat.isChecked(),
            draft=draft,
        )
        store = self.session.store

        def work(ctx: TaskContext) -> Any:
            return build(store, out_dir, options, progress=ctx.progress, cancel=ctx.cancelled)

        self.build_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.progress.setValue(0)
        self.progress.show()
        self.progress_label.setText("正在准备…")
        self.task = run_task(self, work, self._built, self._failed)
        self.task.progress.connect(self._progress)
        self.busy.emit(True)

    def cancel_build(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText("正在取消…")

    def _progress(self, done: int, total: int, label: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        self.progress_label.setText(label)

    def _finish(self) -> None:
        self.task = None
        self.busy.emit(False)
        self.build_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.cancel_button.hide()
        self.progress.hide()

    def _built(self, result: Any) -> None:
        self._finish()
        self.result = result
        self.progress_label.setText("")
        lines = [
            f"{'草稿' if result.draft else '申报材料'}已生成，共 {result.pages} 页：",
            str(result.pdf),
            str(result.workbook),
        ]
        for w in result.warnings:
            lines.append(f"提醒：{w}")
        self.result_label.setText("\n".join(lines))
        for b in (self.open_pdf, self.open_folder, self.open_excel, self.print_button):
            b.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        from app.errors import BuildCancelled

        self._finish()
        if isinstance(exc, BuildCancelled):
            self.progress_label.setText(exc.message)
            return
        self.progress_label.setText("")
        errors.show_error(self, exc, "生成失败")

    # -- after ------------------------------------------------------------------------------
    def _open_result(self, what: str) -> None:
        if self.result is None:
            return
        target = {
            "pdf": self.result.pdf,
            "folder": self.result.pdf.parent,
            "workbook": self.result.workbook,
        }
        self._open(target[what])

    def _open(self, path: Path) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            errors.inform(
                self,
                "无法打开",
                f"无法打开“{path}”，请确认已安装相应的程序（PDF 阅读器或 Excel）。",
                error=True,
            )

    def print_pdf(self) -> None:
        """Print through Qt on every platform: two copies and duplex reach the printer."""
        if self.result is None:
            return
        from widgets.printing import print_pdf_with_qt

        print_pdf_with_qt(self, self.result.pdf, copies=2, duplex=self.duplex.isChecked())
