"""The main window: a step list on the left, the current page on the right, menus and
shortcuts, the status line (total requested, open problems), window state remembered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.guide import DEFAULT_GUIDE_ID
from app.rules import fmt_money
from widgets import errors
from widgets.instance import ProjectBeacon, forward
from widgets.pages.base import Page
from widgets.pages.check import CheckPage
from widgets.pages.company import CompanyPage
from widgets.pages.evidence import EvidencePage
from widgets.pages.items import ItemsPage
from widgets.pages.output import OutputPage
from widgets.pages.start import StartPage
from widgets.session import ProjectSession
from widgets.settings import add_recent, last_dir, set_last_dir, settings

APP_TITLE = "申报材料助手"


class MainWindow(QMainWindow):
    session_changed = Signal(object)

    def __init__(self, today: dt.date | None = None) -> None:
        super().__init__()
        self.session: ProjectSession | None = None
        self.beacon: ProjectBeacon | None = None
        self.setWindowTitle(APP_TITLE)
        self.setMinimumSize(960, 640)

        central = QWidget()
        self.setCentralWidget(central)
        root = QHBoxLayout(central)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)

        self.steps = QListWidget()
        self.steps.setObjectName("steps")
        self.steps.setFixedWidth(150)
        self.steps.setStyleSheet(
            "QListWidget#steps { background: #f3f5f8; border: none; border-right: 1px solid #d8dde6;"
            " font-size: 11pt; padding-top: 12px; }"
            "QListWidget#steps::item { padding: 10px 14px; }"
            "QListWidget#steps::item:selected { background: #dbe7fb; color: #0b3d91; }"
        )
        root.addWidget(self.steps)

        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        right.addWidget(self.stack, 1)
        nav = QHBoxLayout()
        nav.setContentsMargins(16, 8, 16, 12)
        self.back_button = QPushButton("上一步")
        self.next_button = QPushButton("下一步")
        self.back_button.setShortcut(QKeySequence("Alt+Left"))
        self.next_button.setShortcut(QKeySequence("Alt+Right"))
        nav.addStretch(1)
        nav.addWidget(self.back_button)
        nav.addWidget(self.next_button)
        right.addLayout(nav)
        root.addLayout(right, 1)

        self.start_page = StartPage(today=today)
        self.company_page = CompanyPage()
        self.items_page = ItemsPage()
        self.evidence_page = EvidencePage()
        self.check_page = CheckPage()
        self.output_page = OutputPage()
        self.pages: list[Page] = [
            self.start_page,
            self.company_page,
            self.items_page,
            self.evidence_page,
            self.check_page,
            self.output_page,
        ]
        for n, page in enumerate(self.pages, start=1):
            self.stack.addWidget(page)
            item = QListWidgetItem(f"{n}. {page.title}")
            self.steps.addItem(item)
        self.steps.currentRowChanged.connect(self._show_page)
        self.back_button.clicked.connect(lambda: self.go(self.steps.currentRow() - 1))
        self.next_button.clicked.connect(lambda: self.go(self.steps.currentRow() + 1))

        self.start_page.new_requested.connect(self.new_project)
        self.start_page.open_requested.connect(self.open_project_dialog)
        self.start_page.open_path_requested.connect(self.open_project)
        self.start_page.import_requested.connect(self.import_manifest)
        self.check_page.navigate.connect(self.navigate_to)
        self.output_page.busy.connect(self._set_busy)

        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status)
        self._make_menus()
        self._restore_state()
        self._update_enabled()
        self.steps.setCurrentRow(0)

    # -- menus ------------------------------------------------------------------------------
    def _make_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        self.new_action = QAction(
            "新建申报项目(&N)…", self, shortcut=QKeySequence(QKeySequence.StandardKey.New)
        )
        self.open_action = QAction(
            "打开申报项目(&O)…", self, shortcut=QKeySequence(QKeySequence.StandardKey.Open)
        )
        self.import_action = QAction("从清单文件导入(&I)…", self)
        self.export_action = QAction("导出清单文件(&E)…", self)
        self.backup_action = QAction("另存项目副本(&B)…", self)
        self.close_action = QAction("关闭项目(&C)", self)
        quit_action = QAction("退出(&X)", self, shortcut=QKeySequence("Ctrl+Q"))
        self.new_action.triggered.connect(self.new_project)
        self.open_action.triggered.connect(self.open_project_dialog)
        self.import_action.triggered.connect(self.import_manifest)
        self.export_action.triggered.connect(self.export_manifest)
        self.backup_action.triggered.connect(self.backup_project)
        self.close_action.triggered.connect(self.close_project)
        quit_action.triggered.connect(self.close)
        for a in (self.new_action, self.open_action, self.import_action):
            file_menu.addAction(a)
        file_menu.addSeparator()
        for a in (self.export_action, self.backup_action, self.close_action):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        edit_menu = self.menuBar().addMenu("编辑(&E)")
        self.undo_action = QAction("撤销(&U)", self, shortcut=QKeySequence("Ctrl+Z"))
        self.redo_action = QAction("重做(&R)", self, shortcut=QKeySequence("Ctrl+Y"))
        self.undo_action.triggered.connect(self.undo)
        self.redo_action.triggered.connect(self.redo)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)

        help_menu = self.menuBar().addMenu("帮助(&H)")
        help_action = QAction("使用说明(&H)", self, shortcut=QKeySequence("F1"))
        help_action.triggered.connect(self.show_help)
        about_action = QAction("关于(&A)", self)
        about_action.triggered.connect(
            lambda: errors.inform(
                self,
                "关于申报材料助手",
                "申报材料助手 0.1\n整理珠海市内外经贸发展专项资金（服务贸易发展事项）申报材料。\n"
                "所有数据保存在本机的项目文件中，不联网。",
            )
        )
        help_menu.addAction(help_action)
        help_menu.addAction(about_action)

    def _set_busy(self, busy: bool) -> None:
        """While a build reads the project, nothing may change it: no page switch, no undo, no
        other project. The output page keeps its Cancel button."""
        for w in (self.steps, self.back_button, self.next_button, self.menuBar()):
            w.setEnabled(not busy)
        for a in (
            self.undo_action,
            self.redo_action,
            self.new_action,
            self.open_action,
            self.import_action,
        ):
            a.setEnabled(not busy)
        if busy:
            for a in (self.export_action, self.backup_action, self.close_action):
                a.setEnabled(False)
        else:
            self._update_enabled()

    def undo(self) -> None:
        if self.session is not None and self.session.undo_stack.canUndo():
            self.session.undo_stack.undo()

    def redo(self) -> None:
        if self.session is not None and self.session.undo_stack.canRedo():
            self.session.undo_stack.redo()

    def show_help(self) -> None:
        from widgets.help import HelpDialog

        if getattr(self, "_help", None) is None:
            self._help = HelpDialog(self)
        self._help.show()
        self._help.raise_()

    # -- pages --------------------------------------------------------------------------------
    def go(self, index: int) -> None:
        if (
            0 <= index < len(self.pages)
            and self.steps.item(index).flags() & Qt.ItemFlag.ItemIsEnabled
        ):
            self.steps.setCurrentRow(index)

    def _show_page(self, index: int) -> None:
        if index < 0:
            return
        self.flush_pages()
        self.stack.setCurrentIndex(index)
        self.pages[index].entering()
        self.back_button.setEnabled(index > 0)
        nxt = index + 1
        self.next_button.setEnabled(
            nxt < len(self.pages) and bool(self.steps.item(nxt).flags() & Qt.ItemFlag.ItemIsEnabled)
        )

    def navigate_to(self, where: str) -> None:
        """Take the user to what a finding is about."""
        for index, page in enumerate(self.pages):
            if page.needs_project and page.focus_where(where):
                self.steps.setCurrentRow(index)
                page.focus_where(where)
                return

    def _update_enabled(self) -> None:
        has = self.session is not None
        for index, page in enumerate(self.pages):
            item = self.steps.item(index)
            flags = item.flags()
            enabled = has or not page.needs_project
            item.setFlags(
                flags | Qt.ItemFlag.ItemIsEnabled if enabled else flags & ~Qt.ItemFlag.ItemIsEnabled
            )
        for a in (self.export_action, self.backup_action, self.close_action):
            a.setEnabled(has)
        self._update_title()
        self._update_status()
        if self.steps.currentRow() >= 0:
            self._show_page(self.steps.currentRow())

    def _update_title(self) -> None:
        if self.session is None:
            self.setWindowTitle(APP_TITLE)
            return
        name = self.session.data.company.name or self.session.path.stem
        self.setWindowTitle(f"{name} — {self.session.path.name} — {APP_TITLE}")

    def _update_status(self) -> None:
        if self.session is None:
            self.status.setText("未打开项目")
            return
        ev = self.session.evaluation
        blockers = sum(1 for f in self.session.findings if f.blocking)
        self.status.setText(
            f"已选 {len(ev.selected)} 项 · 申请合计 {fmt_money(ev.total_requested_cny)} 元 · "
            f"待解决问题 {blockers} 个 · 已自动保存"
        )

    def _on_session_changed(self, topic: str) -> None:
        self._update_title()
        self._update_status()

    # -- projects -------------------------------------------------------------------------------
    def set_session(self, session: ProjectSession | None) -> None:
        if self.session is not None:
            self.flush_pages()
        old = self.session
        self.session = session
        for page in self.pages:
            page.set_session(session if page.needs_project else None)
        if old is not None:
            old.close()
        self._listen_for(session)
        if session is not None:
            session.changed.connect(self._on_session_changed)
            add_recent(session.path)
            self.start_page.refresh()
        self._update_enabled()
        self.session_changed.emit(session)

    def _listen_for(self, session: ProjectSession | None) -> None:
        """Opening this project again (Explorer, another window) brings this window forward."""
        if self.beacon is not None:
            self.beacon.close()
            self.beacon.deleteLater()
        self.beacon = None if session is None else ProjectBeacon(session.path, self)
        if self.beacon is not None:
            self.beacon.raise_requested.connect(self.bring_forward)

    def bring_forward(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()

    def new_project(self) -> None:
        path = errors.choose_new_project(self, last_dir("projects"))
        if not path:
            return
        target = Path(path)
        if target.exists():
            if not errors.ask(self, "文件已存在", f"“{target.name}”已存在。要打开它吗？"):
                return
            self.open_project(target)
            return
        guide_id = self._choose_guide()
        if guide_id is None:
            return
        try:
            session = ProjectSession.create(target, guide_id)
        except Exception as exc:
            errors.show_error(self, exc, "无法新建项目")
            return
        set_last_dir("projects", target.parent)
        self.set_session(session)
        self.go(1)

    def _choose_guide(self) -> str | None:
        """The guide for a new project: asked only when more than one ships with the program."""
        from app.guide import available_guides, load_guide

        try:
            guides = [load_guide(p) for p in available_guides()]
        except Exception as exc:
            errors.show_error(self, exc, "申报指南文件有误")
            return None
        if len(guides) <= 1:
            return guides[0].id if guides else DEFAULT_GUIDE_ID
        index = errors.choose_guide(self, [f"{g.title}（{g.document_no}）" for g in guides])
        return None if index is None else guides[index].id

    def open_project_dialog(self) -> None:
        path = errors.choose_open_project(self, last_dir("projects"))
        if path:
            self.open_project(Path(path))

    def open_project(self, path: Path) -> None:
        if self.session is not None and self.session.path.resolve() == path.resolve():
            return
        if path.exists() and forward(path):
            errors.inform(
                self, "项目已打开", f"“{path.name}”已在另一个窗口中打开，已切换到该窗口。"
            )
            return
        try:
            session = ProjectSession.open(path)
        except Exception as exc:
            errors.show_error(self, exc, "无法打开项目")
            return
        set_last_dir("projects", path.parent)
        self.set_session(session)
        self.go(1)

    def flush_pages(self) -> None:
        """Save whatever is being typed (before leaving a page or closing)."""
        for page in (self.company_page, self.items_page):
            flush = getattr(page, "flush", None)
            if flush is not None:
                flush()

    def close_project(self) -> None:
        self.flush_pages()
        self.set_session(None)
        self.go(0)

    def import_manifest(self) -> None:
        from widgets.transfer import import_manifest_dialog

        path = import_manifest_dialog(self)
        if path is not None:
            self.open_project(path)

    def export_manifest(self) -> None:
        from widgets.transfer import export_manifest_dialog

        if self.session is not None:
            export_manifest_dialog(self, self.session)

    def backup_project(self) -> None:
        if self.session is None:
            return
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(
            self,
            "另存项目副本",
            str(self.session.path.with_name(self.session.path.stem + "-副本.sbproj")),
            errors.PROJECT_FILTER,
        )
        if path:
            try:
                self.session.store.backup(Path(path))
            except Exception as exc:
                errors.show_error(self, exc, "无法另存副本")

    # -- window state ---------------------------------------------------------------------------
    def _restore_state(self) -> None:
        s = settings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        else:
            self.resize(1280, 760)

    def closeEvent(self, event: QCloseEvent) -> None:
        from widgets.tasks import running_tasks

        if running_tasks() and not errors.ask(
            self, "仍在处理", "还有导入或生成任务在进行，确定要退出吗？"
        ):
            event.ignore()
            return
        self.flush_pages()
        settings().setValue("window/geometry", self.saveGeometry())
        if self.session is not None:
            self.session.close()
            self.session = None
        self._listen_for(None)
        event.accept()
