"""输出: where to write, options, build with progress and a working Cancel, then open / print."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

from app.outputs.last_build import EarlierBuild, earlier_build
from app.rules.findings import blocking_for
from app.rules.process import copies, copies_word, review_print_exists, stage_reached
from app.system.options import DEFAULT_GUTTER_MM, saved_flag, saved_gutter_mm
from widgets import errors
from widgets.pages.base import Page
from widgets.readonly import mark_view_only
from widgets.session import ProjectSession
from widgets.stage_panel import StagePanel
from widgets.tasks import Task, TaskContext, run_task
from widgets.wrapped_label import WrappedLabel

PROOF_REPEAT = "在引用共用证明材料的各项目中重复附上这些材料（默认只注明所在页码）"


def default_out_dir(project: Path) -> Path:
    return project.with_name(f"{project.stem}-申报材料")


def default_online_dir(project: Path, out_dir: Path) -> Path:
    """The online-declaration folder: beside the packet's output folder."""
    return out_dir.parent / f"{project.stem}-网上申报"


class _Details(QScrollArea):
    """The scrolling part of the page. It asks for little height, so that the window's own
    scroll area (which lays a page out at its preferred height for its width) never pushes
    the 生成 row below the fold; it takes whatever height is left."""

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.minimumHeight())


class OutputPage(Page):
    title = "输出"
    refreshed_when_shown = True
    busy = Signal(bool)  # a build runs: the window keeps the project still until it ends

    def __init__(self, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.today = today or dt.date.today()
        self.task: Task | None = None
        self.result: Any = None
        self.earlier: EarlierBuild | None = None  # outputs found in the folder (none built yet)
        self.online_result: Any = None
        # The choices and notes scroll; what a clerk came for (what will be made, 生成, the
        # result) stays in view below them on any screen (1280×720, 150 % scaling).
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 8)
        outer.setSpacing(6)
        self.details = _Details()
        self.details.setObjectName("output_details")
        self.details.setWidgetResizable(True)
        self.details.setFrameShape(QFrame.Shape.NoFrame)
        self.details.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.details.setMinimumHeight(120)
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(0, 0, 8, 0)
        self.details.setWidget(inner)
        outer.addWidget(self.details, 1)

        self.stage_panel = StagePanel(self.today)
        layout.addWidget(self.stage_panel)

        use = QGroupBox("生成哪一份")
        ul = QVBoxLayout(use)
        self.review_radio = QRadioButton("初审材料")  # the guide's words: see refresh()
        self.review_radio.setObjectName("stage_review")
        self.final_radio = QRadioButton("正式装订材料")
        self.final_radio.setObjectName("stage_final")
        for r in (self.review_radio, self.final_radio):
            r.toggled.connect(self._stage_toggled)
            ul.addWidget(r)
        layout.addWidget(use)

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
        self.repeat = QCheckBox(PROOF_REPEAT)  # the guide's words: see refresh()
        for w in (self.duplex, self.repeat):
            w.toggled.connect(self._save_options)
        self.gutter.valueChanged.connect(self._save_options)
        form.addRow(self.duplex)
        form.addRow("装订边（左侧）：", self.gutter)
        form.addRow(self.repeat)
        layout.addWidget(opts)

        # The guide's packet requirements (申报材料要求), from the guide file's notes.
        self.requirements = QGroupBox("申报材料要求（申报指南）")
        req = QVBoxLayout(self.requirements)
        self.requirements_text = WrappedLabel()
        self.requirements_text.setObjectName("output_requirements")
        self.requirements_text.setWordWrap(True)
        req.addWidget(self.requirements_text)
        layout.addWidget(self.requirements)
        layout.addStretch(1)
        layout = outer  # from here on: below the scrolling part, always in view

        self.state = WrappedLabel()
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
        self.online_button = QPushButton("生成网上申报文件夹")
        self.online_button.setObjectName("online_button")
        self.online_button.setMinimumHeight(36)
        self.online_button.setToolTip(
            "初审通过后网上申报用：按目录编号的逐项材料 PDF（每个不超过本程序默认的大小上限，"
            "不是平台公布的限制，请以平台实际要求为准）、"
            "Excel 文件和对照表"
        )
        self.online_button.clicked.connect(self.start_online)
        run_row.addWidget(self.build_button)
        run_row.addWidget(self.online_button)
        run_row.addWidget(self.progress, 1)
        run_row.addWidget(self.cancel_button)
        run_row.addStretch(0)
        layout.addLayout(run_row)
        self.progress_label = QLabel()
        layout.addWidget(self.progress_label)

        done = QGroupBox("生成结果")
        dl = QVBoxLayout(done)
        self.result_label = WrappedLabel("尚未生成。")
        self.result_label.setObjectName("result_label")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dl.addWidget(self.result_label)
        actions = QHBoxLayout()
        self.open_pdf = QPushButton("打开 PDF")
        self.open_folder = QPushButton("打开文件夹")
        self.open_excel = QPushButton("打开 Excel 文件")
        self.print_button = QPushButton("打印…")  # the guide's copies: see refresh()
        self.open_online = QPushButton("打开网上申报文件夹")
        mark_view_only(
            self.open_pdf, self.open_folder, self.open_excel, self.print_button, self.open_online
        )
        for b in (
            self.open_pdf,
            self.open_folder,
            self.open_excel,
            self.print_button,
            self.open_online,
        ):
            b.setEnabled(False)
            actions.addWidget(b)
        self.open_online.clicked.connect(
            lambda: self.online_result is not None and self._open(self.online_result.folder)
        )
        actions.addStretch(1)
        # The packet inside the program first (目录, paging), then elsewhere or on paper.
        self.view_button = QPushButton("在窗口中查看")
        self.view_button.setObjectName("view_packet")
        self.view_button.setToolTip("在本程序中翻阅生成的 PDF，可按目录跳转")
        self.view_button.setEnabled(False)
        self.view_button.clicked.connect(self.show_packet)
        actions.insertWidget(0, self.view_button)
        self.viewer: QWidget | None = None
        self._viewer_request = 0  # the packet window being loaded for (a newer build wins)
        self._loading_packet: object | None = None  # keeps the loading document alive
        dl.addLayout(actions)
        self.open_pdf.clicked.connect(lambda: self._open_result("pdf"))
        self.open_folder.clicked.connect(lambda: self._open_result("folder"))
        self.open_excel.clicked.connect(lambda: self._open_result("workbook"))
        self.print_button.clicked.connect(self.print_pdf)
        layout.addWidget(done)

    # -- state ------------------------------------------------------------------------------
    def set_session(self, session: ProjectSession | None) -> None:
        if session is not self.session:  # another project: its own outputs, if any
            self.result = None
            self.earlier = None
        self.stage_panel.set_session(session, refresh=False)  # with the page (``refresh``)
        super().set_session(session)

    def build_stage(self) -> str:
        """ "review" or "final": the user's choice, else what the project's stage calls for."""
        if self.session is None:
            return "final"
        chosen = self.session.options().get("build_stage")
        if chosen in ("review", "final"):
            return str(chosen)
        process = self.session.guide.process
        if process is None or not review_print_exists(self.session.guide):
            return "final"  # no stamping stage: the final print is the only one
        if stage_reached(self.session.guide, self.session.data, process.stamp_required_from):
            return "final"
        return "review"

    def _stage_toggled(self, on: bool) -> None:
        if not on or not self.alive():
            return
        assert self.session is not None
        stage = "review" if self.review_radio.isChecked() else "final"
        if stage != self.build_stage():
            self.session.set_option("build_stage", stage)

    def note_change(self, topic: str) -> None:
        if topic == "stages" and self.alive():
            assert self.session is not None
            if "build_stage" in self.session.options():
                self.session.set_option("build_stage", None)  # the new stage decides again

    def on_changed(self, topic: str) -> None:
        self.note_change(topic)
        self.refresh()

    def refresh(self) -> None:
        if self.session is None:
            return
        self.stage_panel.refresh()
        self._guide_texts()
        review = self.build_stage() == "review"
        for r in (self.review_radio, self.final_radio):
            r.blockSignals(True)
        self.review_radio.setChecked(review)
        self.final_radio.setChecked(not review)
        for r in (self.review_radio, self.final_radio):
            r.blockSignals(False)
        self.duplex.setEnabled(not review)
        self.gutter.setEnabled(not review)
        notes = self.session.guide.notes
        self.requirements.setVisible(bool(notes))
        self.requirements_text.setText(
            "\n".join(f"{n}. {text}" for n, text in enumerate(notes, start=1))
        )
        opts = self.session.options()
        for w in (self.duplex, self.repeat, self.gutter):
            w.blockSignals(True)
        self.duplex.setChecked(saved_flag(opts, "duplex"))
        self.repeat.setChecked(saved_flag(opts, "repeat_shared"))
        gutter = saved_gutter_mm(opts)  # None: what is stored is unusable; show the default
        self.gutter.setValue(DEFAULT_GUTTER_MM if gutter is None else gutter)
        for w in (self.duplex, self.repeat, self.gutter):
            w.blockSignals(False)
        if not self.out_edit.hasFocus():
            self.out_edit.setText(str(opts.get("out_dir") or default_out_dir(self.session.path)))
        self._show_earlier()
        blockers = len(blocking_for(self.session.findings, "review" if review else "final"))
        others = len(blocking_for(self.session.findings, "online"))
        self.online_button.setEnabled(others == 0 and self.task is None)
        if blockers:
            self.state.setText(
                f"<span style='color:#b3261e'>还有 {blockers} 个必须解决的问题（见“检查”）。</span>"
                "现在生成的是<b>草稿</b>：每页带“草稿”水印，缺少的材料以占位页标出，不能用于正式申报。"
            )
            self.build_button.setText("生成草稿")
        elif review:
            self.state.setText(
                "检查通过。将生成<b>初审材料</b>：“…申报材料（初审用）.pdf”"
                f"（单面打印{copies_word(copies(self.session.guide, 'review'))}，勿装订），"
                "以及 Excel 文件、Word 模板、原件核对清单和校验清单。申请表上的金额和项目会被记下，"
                "以便之后发现与盖章申请表不一致之处。"
            )
            self.build_button.setText("生成初审材料")
        else:
            self.state.setText(
                "检查通过。将生成：申报材料 PDF、以企业全称命名的 Excel 文件、Word 模板、原件核对清单和校验清单。"
            )
            self.build_button.setText("生成申报材料")

    def _guide_texts(self) -> None:
        """What the page says of the prints and the shared proofs: the open project's guide."""
        assert self.session is not None
        guide = self.session.guide
        process = guide.process
        review_n = copies_word(copies(guide, "review"))
        final_n = copies_word(copies(guide, "final"))
        self.review_radio.setText(
            (process.review_print if process is not None else "")
            or f"初审材料：一式{review_n}，勿装订（无装订边、单面，每页页眉注明“初审用”）"
        )
        self.final_radio.setText(
            (process.final_print if process is not None else "")
            or f"正式装订材料：一式{final_n}，装订成册"
        )
        self.review_radio.setVisible(review_print_exists(guide))
        self.repeat.setText(guide.proof_note or PROOF_REPEAT)
        self.repeat.setVisible(any(d.kind == "proof_set" for d in guide.documents))
        self.print_button.setText(self._print_label())

    def _print_copies(self) -> int:
        assert self.session is not None
        outputs = self._outputs()
        stage = outputs.stage if outputs is not None else self.build_stage()
        return copies(self.session.guide, stage)

    def _print_label(self) -> str:
        if self.session is None:
            return "打印…"
        n = self._print_copies()
        return f"打印（{copies_word(n)}）…" if n > 1 else "打印…"

    def _show_earlier(self) -> None:
        """Without a build in this session, what an earlier one left in the output folder:
        "尚未生成" only when there is nothing."""
        if self.result is not None or self.session is None or self.task is not None:
            return
        folder = Path(self.out_edit.text().strip() or default_out_dir(self.session.path))
        found = earlier_build(self.session.data.company.name, folder)
        self.earlier = found
        if found is None:
            self.result_label.setText("尚未生成。")
        else:
            kind = "初审材料" if found.stage == "review" else "申报材料"
            lines = [
                f"输出文件夹中已有{kind}（生成于 {found.modified:%Y-%m-%d %H:%M}）：",
                str(found.pdf),
            ]
            if found.workbook is not None:
                lines.append(str(found.workbook))
            lines.append("如之后修改过项目，请重新生成。")
            self.result_label.setText("\n".join(lines))
        for b in (self.open_pdf, self.open_folder, self.print_button, self.view_button):
            b.setEnabled(found is not None)
        self.open_excel.setEnabled(found is not None and found.workbook is not None)
        self.print_button.setText(self._print_label())

    def _outputs(self) -> Any:
        """The PDF and Excel file the buttons act on: this session's build, else the earlier."""
        return self.result if self.result is not None else self.earlier

    def _options_shown(self) -> dict[str, Any]:
        return {
            "duplex": self.duplex.isChecked(),
            "repeat_shared": self.repeat.isChecked(),
            "gutter_mm": self.gutter.value(),
            "out_dir": self.out_edit.text().strip() or None,
        }

    def _save_options(self) -> None:
        if not self.alive():
            return
        assert self.session is not None
        self.session.save_options(self._options_shown())  # one write (and disk sync) per change

    def _browse(self) -> None:
        path = errors.choose_directory(self, "选择输出文件夹", self.out_edit.text())
        if path:
            self.out_edit.setText(path)
            self._save_options()

    # -- build ------------------------------------------------------------------------------
    def start_build(self) -> None:
        self.ensure_loaded()  # the output folder and options shown are this project's
        if self.session is None or self.task is not None or not self.alive():
            return
        session = self.session
        shown = self._options_shown()
        out_dir = Path(self.out_edit.text().strip() or default_out_dir(session.path))
        review = self.build_stage() == "review"
        stage: Literal["review", "final"] = "review" if review else "final"
        findings = session.findings_later()
        duplex = False if review else self.duplex.isChecked()
        gutter_mm = self.gutter.value()
        repeat_shared = self.repeat.isChecked()
        store = session.store
        today = self.today

        def work(ctx: TaskContext) -> Any:
            # The options are saved first, here: a write with its disk sync (and the findings,
            # when not known yet) held the window's thread for up to ~0.1 s after the click.
            session.save_options(shown)
            # a 初审 print may be rebuilt whatever the stamped form's findings say
            draft = bool(blocking_for(findings(), stage))
            # app.outputs.build and what it draws with (reportlab, openpyxl, python-docx) are imported
            # here, in the worker, not on the window's thread (~0.1-0.5 s the first time)
            from app.outputs.build import BuildOptions, build
            from app.packet.plan import UNBOUND_GUTTER_MM

            options = BuildOptions(
                duplex=duplex,
                gutter_mm=UNBOUND_GUTTER_MM if review else gutter_mm,
                repeat_shared=repeat_shared,
                draft=draft,
                stage=stage,
            )
            from app.system.collector import rarely

            with rarely():  # see there: a full collection over the build's objects
                return build(
                    store,
                    out_dir,
                    options,
                    progress=ctx.progress,
                    cancel=ctx.cancelled,
                    today=today,
                    # openpyxl and python-docx are loaded here already (the warm-up): a second
                    # process would only take a core from the window while the PDF is made.
                    side_process=False,
                )

        self._running()
        self.task = run_task(self, work, self._built, self._failed)
        self.task.progress.connect(self._progress)
        self.busy.emit(True)

    def start_online(self) -> None:
        """Write the online-declaration folder in the background."""
        self.ensure_loaded()
        if self.session is None or self.task is not None or not self.alive():
            return
        session = self.session
        shown = self._options_shown()
        out_dir = Path(self.out_edit.text().strip() or default_out_dir(session.path))
        folder = default_online_dir(session.path, out_dir)
        store = session.store
        today = self.today

        def work(ctx: TaskContext) -> Any:
            session.save_options(shown)  # in the worker, as a build does
            from app.outputs.online import write_online  # heavy: imported in the worker

            return write_online(
                store, folder, progress=ctx.progress, cancel=ctx.cancelled, today=today
            )

        self._running()
        self.task = run_task(self, work, self._online_done, self._failed)
        self.task.progress.connect(self._progress)
        self.busy.emit(True)

    def _running(self) -> None:
        self.build_button.setEnabled(False)
        self.online_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.progress.setValue(0)
        self.progress.show()
        self.progress_label.setText("正在准备…")

    def _online_done(self, result: Any) -> None:
        from app.outputs.online import fmt_size

        self._finish()
        self.online_result = result
        self.progress_label.setText("")
        lines = [
            f"网上申报文件夹已生成：{result.folder}",
            f"逐项材料 {len(result.documents)} 个（每个不超过 {fmt_size(result.limit_bytes)}："
            f"本程序的默认上限，请以平台实际要求为准）、{result.workbook.name}、"
            f"{result.table_pdf.name}、"
            f"{result.notes.name}",
        ]
        for r in result.reductions:
            lines.append(
                f"已压缩：{r.name}　{fmt_size(r.before)} → {fmt_size(r.after)}（{r.dpi} dpi）"
            )
        for name in result.too_large:
            lines.append(f"仍超过本程序默认的大小上限：{name}，建议拆分后上传")
        for w in result.warnings:
            lines.append(f"提醒：{w}")
        self.result_label.setText("\n".join(lines))
        self.open_online.setEnabled(True)

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
        self.online_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.cancel_button.hide()
        self.progress.hide()

    def _built(self, result: Any) -> None:
        self._finish()
        self.result = result
        self.progress_label.setText("")
        kind = "初审材料" if result.stage == "review" else "申报材料"
        if result.stage == "review" and not result.draft and self.alive():
            assert self.session is not None
            self.session.set_review_figures(result.figures)  # what the district will stamp
        lines = [
            f"{'草稿' if result.draft else kind}已生成，共 {result.pages} 页：",
            str(result.pdf),
            str(result.workbook),
        ]
        for w in result.warnings:
            lines.append(f"提醒：{w}")
        self.result_label.setText("\n".join(lines))
        for b in (self.open_pdf, self.open_folder, self.open_excel, self.print_button):
            b.setEnabled(True)
        self.print_button.setText(self._print_label())  # the copies of the print just built
        self.view_button.setEnabled(True)
        self.show_packet()

    def _failed(self, exc: BaseException) -> None:
        from app.system.errors import BuildCancelled

        self._finish()
        if isinstance(exc, BuildCancelled):
            self.progress_label.setText(exc.message)
            return
        self.progress_label.setText("")
        errors.show_error(self, exc, "生成失败")

    # -- after ------------------------------------------------------------------------------
    def show_packet(self) -> None:
        """The built PDF in a window of its own: 目录 on the left, pages on the right. The
        document is read a few pages per turn of the event loop (a 400-page packet takes
        ~0.2 s to lay out): the window stays responsive meanwhile."""
        outputs = self._outputs()
        if outputs is None:
            return
        from widgets.packet_view import load_packet

        path = outputs.pdf
        self._viewer_request += 1
        request = self._viewer_request
        self._loading_packet = load_packet(
            path, lambda document: self._show_viewer(request, path, document)
        )

    def _show_viewer(self, request: int, path: Path, document: Any) -> None:
        from widgets.packet_view import PacketViewer

        if request != self._viewer_request or not Shiboken.isValid(self):
            return
        self._loading_packet = None
        if self.viewer is not None:
            self.viewer.close()
        viewer = PacketViewer(
            path,
            self,
            open_outside=lambda: self._open_result("pdf"),
            print_it=self.print_pdf,
            document=document,
            print_label=self._print_label(),
        )
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        viewer.destroyed.connect(lambda *_: setattr(self, "viewer", None))
        self.viewer = viewer
        viewer.show()
        viewer.raise_()

    def _open_result(self, what: str) -> None:
        outputs = self._outputs()
        if outputs is None:
            return
        target = {
            "pdf": outputs.pdf,
            "folder": outputs.pdf.parent,
            "workbook": outputs.workbook,
        }
        if target[what] is not None:
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
        outputs = self._outputs()
        if outputs is None:
            return
        from widgets.printing import print_pdf_with_qt

        duplex = self.duplex.isChecked() and outputs.stage != "review"
        print_pdf_with_qt(self, outputs.pdf, copies=self._print_copies(), duplex=duplex)
