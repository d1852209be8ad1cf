"""The main window: a step list on the left, the current page on the right, menus and
shortcuts, the status line (total requested, open problems), window state remembered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.project import ProjectLockedError, ProjectStore
from app.rules.evaluation import fmt_money
from widgets import errors, guides
from widgets.hidden_pages import HiddenPages
from widgets.instance import ProjectBeacon, forward
from widgets.pages.base import Page
from widgets.pages.check import CheckPage
from widgets.pages.company import CompanyPage
from widgets.pages.evidence import EvidencePage
from widgets.pages.items import ItemsPage
from widgets.pages.output import OutputPage
from widgets.pages.start import StartPage
from widgets.readonly import apply_read_only
from widgets.session import ProjectSession
from widgets.session_prepare import Prepared, prepare
from widgets.settings import last_dir, remember_project, set_last_dir, settings, wait_for_writes
from widgets.tasks import TaskContext, run_task
from widgets.undo_guard import UndoGuard
from widgets.window_frame import (  # noqa: F401 - the geometry helpers' old home
    FRAME_ALLOWANCE,
    MIN_HEIGHT,
    MIN_WIDTH,
    PageStack,
    fitted,
    initial_geometry,
)

APP_TITLE = "申报材料助手"
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+N / Ctrl+O", "新建 / 打开申报项目"),
    ("Alt+← / Alt+→", "上一步 / 下一步"),
    ("Tab / Shift+Tab", "在页面的输入项之间移动"),
    ("Enter", "企业信息页：到下一项"),
    ("Ctrl+Z / Ctrl+Y", "撤销 / 重做"),
    ("表格中 Tab", "到下一个单元格"),
    ("表格中 Ctrl+Tab", "离开表格，到下一个输入项（Ctrl+Shift+Tab 到上一个）"),
    ("表格中 Insert 或 Ctrl+Enter", "添加一行"),
    ("表格中 Delete", "删除所选行"),
    ("表格中 Alt+↑ / Alt+↓", "上移 / 下移当前行"),
    ("表格中 Ctrl+V", "粘贴从 Excel 复制的行"),
    ("表格最后一格按 Tab", "添加一行"),
    ("F2 或双击", "修改单元格"),
    ("材料页 Alt+↑ / Alt+↓、Delete", "调整文件顺序、移除文件"),
    ("F1", "使用说明"),
    ("Ctrl+Q", "退出"),
)


def shortcut_text() -> str:
    return "\n".join(f"{keys}：{what}" for keys, what in SHORTCUTS)


class MainWindow(QMainWindow):
    session_changed = Signal(object)

    def __init__(self, today: dt.date | None = None) -> None:
        super().__init__()
        self.session: ProjectSession | None = None
        self.opening: Path | None = None  # a project being opened in the background
        self.closing = False
        self.beacon: ProjectBeacon | None = None
        self.setWindowTitle(APP_TITLE)
        self.setMinimumSize(MIN_WIDTH, MIN_HEIGHT)

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
        self.stack = PageStack()
        right.addWidget(self.stack, 1)
        nav = QHBoxLayout()
        nav.setContentsMargins(16, 8, 16, 12)
        self.back_button = QPushButton("上一步")
        self.next_button = QPushButton("下一步")
        self.back_button.setShortcut(QKeySequence("Alt+Left"))
        self.next_button.setShortcut(QKeySequence("Alt+Right"))
        self.back_button.setToolTip("上一步（Alt+←）")
        self.next_button.setToolTip("下一步（Alt+→）")
        for button in (self.back_button, self.next_button):
            # Reached with Alt+←/→ from anywhere: Tab stays among the page's own fields.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
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
        self.output_page = OutputPage(today=today)
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
            page.loaded.connect(self._apply_read_only)  # a page loaded later builds its editors
            item = QListWidgetItem(f"{n}. {page.title}")
            self.steps.addItem(item)
        self.steps.currentRowChanged.connect(self._show_page)
        self.hidden_pages = HiddenPages(
            self.stack,
            self.pages,
            lambda: self.session is not None and not self.session.store.closed,
        )
        self.back_button.clicked.connect(lambda: self.go(self.steps.currentRow() - 1, focus=True))
        self.next_button.clicked.connect(lambda: self.go(self.steps.currentRow() + 1, focus=True))

        self.start_page.new_requested.connect(self.new_project)
        self.start_page.open_requested.connect(self.open_project_dialog)
        self.start_page.open_path_requested.connect(self.open_project)
        self.start_page.import_requested.connect(self.import_manifest)
        self.start_page.upgrade_requested.connect(self.upgrade_guide)
        self.check_page.navigate.connect(self.navigate_to)
        self.output_page.busy.connect(self._set_busy)

        self.status = QLabel()
        self._status_timer = QTimer(self, singleShot=True, interval=1)
        self._status_timer.timeout.connect(self._update_status)
        self.statusBar().addPermanentWidget(self.status)
        self.undo_notice = QLabel()
        self.undo_notice.setObjectName("undo_notice")
        self.undo_notice.setStyleSheet("color: #8a5a00;")
        self.page_check_notice = QLabel()  # the late page check of an older project's pages
        self.page_check_notice.setObjectName("page_check_notice")
        self.page_check_notice.setStyleSheet("color: #5f6368;")
        self.page_check_notice.hide()
        self.statusBar().addWidget(self.page_check_notice)
        self.statusBar().addWidget(self.undo_notice, 1)
        self._make_menus()
        self.undo_guard = UndoGuard(
            self.undo_action, self.undo_notice, self._page_title, self._show_titled, self
        )
        self.undo_guard.redo_action = self.redo_action
        self._restore_state()
        self._update_enabled()
        self.steps.setCurrentRow(0)
        qapp = QApplication.instance()
        if isinstance(qapp, QApplication):
            qapp.focusChanged.connect(self._apply_read_only)

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
        self.open_guide_action = QAction("打开申报指南(&G)…", self)
        self.upgrade_guide_action = QAction("更换申报指南版本(&V)…", self)
        self.open_guide_action.triggered.connect(self.open_guide)
        self.upgrade_guide_action.triggered.connect(self.upgrade_guide)
        self.export_action = QAction("导出清单文件(&E)…", self)
        self.backup_action = QAction("另存项目副本(&B)…", self)
        self.review_action = QAction("批量检查(&R)…", self)
        self.review_action.triggered.connect(self.open_review)
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
        file_menu.addAction(self.open_guide_action)
        file_menu.addAction(self.upgrade_guide_action)
        file_menu.addSeparator()
        file_menu.addAction(self.review_action)
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
        self.reload_action = QAction(
            "重新载入（只读查看时）(&L)", self, shortcut=QKeySequence("F5")
        )
        self.reload_action.triggered.connect(self.reload)
        edit_menu.addSeparator()
        edit_menu.addAction(self.reload_action)

        help_menu = self.menuBar().addMenu("帮助(&H)")
        help_action = QAction("使用说明(&H)", self, shortcut=QKeySequence("F1"))
        help_action.triggered.connect(self.show_help)
        keys_action = QAction("快捷键一览(&K)", self)
        keys_action.triggered.connect(lambda: errors.inform(self, "快捷键一览", shortcut_text()))
        about_action = QAction("关于(&A)", self)
        about_action.triggered.connect(
            lambda: errors.inform(self, "关于申报材料助手", self.about_text())
        )
        help_menu.addAction(help_action)
        help_menu.addAction(keys_action)
        help_menu.addAction(about_action)

    def about_text(self) -> str:
        """The about box: the program, and the open project's guide (none: guides in general)."""
        if self.session is not None:
            what = f"当前项目按《{self.session.guide.title}》整理申报材料。"
        else:
            what = "按申报指南文件整理专项资金申报材料（PDF、Excel 文件）。"
        return f"申报材料助手 0.1\n{what}\n所有数据保存在本机的项目文件中，不联网。"

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
        """Undo where the clerk is; a step of another page is named first (``UndoGuard``)."""
        if self.session is not None:
            self.flush_pages()
            session = self.session
            try:
                self.undo_guard.undo(session.undo)
            except Exception as exc:
                errors.show_error(self, exc, "撤销没有完成")

    def _page_title(self) -> str:
        index = self.stack.currentIndex()
        return self.pages[index].title if 0 <= index < len(self.pages) else ""

    def _show_titled(self, title: str) -> None:
        for index, page in enumerate(self.pages):
            if page.title == title:
                self.go(index)
                return

    def redo(self) -> None:
        if self.session is not None:
            try:
                self.session.redo()
            except Exception as exc:
                errors.show_error(self, exc, "重做没有完成")

    def reload(self) -> None:
        """Read-only view: show what the editing window has saved since."""
        if self.session is not None and self.session.read_only:
            self.session.reload()

    def show_help(self) -> None:
        from widgets.help import HelpDialog

        if getattr(self, "_help", None) is None:
            self._help = HelpDialog(self)
        self._help.show()
        self._help.raise_()

    # -- pages --------------------------------------------------------------------------------
    def go(self, index: int, focus: bool = False) -> None:
        """Show page ``index``; with ``focus`` the keyboard moves to its first field."""
        if (
            0 <= index < len(self.pages)
            and self.steps.item(index).flags() & Qt.ItemFlag.ItemIsEnabled
        ):
            self.steps.setCurrentRow(index)
            if focus:
                field = self.pages[index].first_field()
                if field is not None and field.isEnabled():
                    field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_page(self, index: int) -> None:
        if index < 0:
            return
        self.flush_pages()
        page = self.pages[index]
        if not page.refreshed_when_shown:
            page.ensure_loaded()  # while still hidden: laid out whole when it shows
        self.stack.setCurrentIndex(index)
        self.undo_guard.page_shown()
        if page.refreshed_when_shown and page.outdated_when_shown():
            page.stale = True  # built again now (the 检查 page only when shown)
        page.ensure_loaded()
        page.entering()
        self._apply_read_only()
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
        read_only = has and self.session is not None and self.session.read_only
        self.upgrade_guide_action.setEnabled(has and not read_only)
        for a in (self.undo_action, self.redo_action):
            a.setEnabled(not read_only)
        self.reload_action.setEnabled(read_only)
        self._update_title()
        self._update_status()
        if self.steps.currentRow() >= 0:
            self._show_page(self.steps.currentRow())

    def _update_title(self) -> None:
        if self.session is None:
            self.setWindowTitle(APP_TITLE)
            return
        name = self.session.data.company.name or self.session.path.stem
        mode = "（只读）" if self.session.read_only else ""
        self.setWindowTitle(f"{name} — {self.session.path.name}{mode} — {APP_TITLE}")

    def _update_status(self) -> None:
        if self.session is None:
            self.status.setText("未打开项目")
            return
        ev = self.session.evaluation
        blockers = sum(1 for f in self.session.findings if f.blocking)
        saving = (
            "只读查看：不能修改，按 F5 载入对方已保存的内容"
            if self.session.read_only
            else "已自动保存"
        )
        self.status.setText(
            f"已选 {len(ev.selected)} 项 · 申请合计 {fmt_money(ev.total_requested_cny)} 元 · "
            f"待解决问题 {blockers} 个 · {saving}"
        )

    def _show_page_check(self, done: int, total: int) -> None:
        notice = self.page_check_notice
        notice.setVisible(total > 0)
        notice.setText(f"正在检查旧版本导入的页面方向和空白页（{done}/{total} 页）")

    def _on_session_changed(self, topic: str) -> None:
        self._update_title()
        # the findings on a turn of their own (after 50 files landed at 1,000: ~0.1 s in one)
        self._status_timer.start()

    # -- projects -------------------------------------------------------------------------------
    def set_session(self, session: ProjectSession | None) -> None:
        if self.session is not None:
            self.flush_pages()
        old = self.session
        self.session = session
        for page in self.pages:
            if page.needs_project:
                apply_read_only(page, False)
            page.set_session(session if page.needs_project or page.shows_project else None)
        self._apply_read_only()
        if old is not None:
            old.close()
        self._listen_for(session)
        self.undo_guard.set_session(session)
        if session is not None:
            session.changed.connect(self._on_session_changed)
            session.page_check.progress.connect(self._show_page_check)
            remember_project(self, session.path, self._remembered)  # written off this thread
        self._show_page_check(*(session.page_check.state if session is not None else (0, 0)))
        self._update_enabled()
        self.session_changed.emit(session)
        if session is not None:
            self.hidden_pages.start()  # then loaded one per turn, and drawn ahead
        else:
            self.hidden_pages.stop()

    def _remembered(self) -> None:
        """The opened project is now first among 最近打开."""
        if self.start_page.showing():  # else built when it is shown
            self.start_page.refresh()

    @property
    def pages_loading(self) -> bool:
        """Hidden pages are still loading the project just opened (one per turn of the event
        loop; a page shown or asked for before its turn loads then)."""
        return self.hidden_pages.loading

    def _listen_for(self, session: ProjectSession | None) -> None:
        """Opening this project again (Explorer, another window) brings this window forward."""
        if self.beacon is not None:
            self.beacon.close()
            self.beacon.deleteLater()
        self.beacon = None if session is None else ProjectBeacon(session.path, self)
        if self.beacon is not None:
            self.beacon.raise_requested.connect(self.bring_forward)

    def bring_forward(self) -> None:
        """Another launch asked for this project: restore a minimised window to the state it
        had (maximised stays maximised), then bring it to the front."""
        if self.isMinimized():
            self.setWindowState(
                (self.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive
            )
            self.show()
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
        entry = guides.choose_guide(self)
        if entry is None or entry.guide is None or entry.copy is None:
            return
        try:
            session = ProjectSession.create(
                target, entry.guide.id, entry.copy.text, entry.path.name
            )
        except Exception as exc:
            errors.show_error(self, exc, "无法新建项目")
            return
        set_last_dir("projects", target.parent)
        self.set_session(session)
        self.go(1, focus=True)

    def open_guide(self) -> None:
        """文件 → 打开申报指南…: a guide file from anywhere, offered from now on by 新建."""
        entry = guides.open_guide_file(self)
        if entry is not None and entry.guide is not None:
            self.start_page.show_guide()
            self.start_page.refresh()
            self.status.setText(f"已打开申报指南：{entry.guide.title}，新建项目时可选用")

    def upgrade_guide(self) -> None:
        """文件 → 更换申报指南版本…: after the dialog listing what changes; the project is then
        opened again under its new guide."""
        session = self.session
        if session is None or session.read_only:
            return
        self.flush_pages()
        if guides.upgrade_guide(self, session):
            path = session.path
            self.set_session(None)
            self.open_project(path)

    def open_project_dialog(self) -> None:
        path = errors.choose_open_project(self, last_dir("projects"))
        if path:
            self.open_project(Path(path))

    def _apply_read_only(self, *_: object) -> None:
        """In a read-only view, keep every project page's editing off (pages build some
        editors later, e.g. an item's form: this runs again whenever focus moves)."""
        if self.session is None or not self.session.read_only:
            return
        for page in self.pages:
            if page.needs_project and not page.stale:  # a page loading later: when it has
                apply_read_only(page, True)

    def open_project(self, path: Path) -> None:
        """Open a project in the background (the integrity check and reading a large file take
        a while): the window shows 正在打开… and stays responsive; ``opening`` is the path
        until the project is shown or refused."""
        if self.opening is not None:
            return
        if self.session is not None and self.session.path.resolve() == path.resolve():
            return
        if path.exists() and forward(path):
            errors.inform(
                self, "项目已打开", f"“{path.name}”已在另一个窗口中打开，已切换到该窗口。"
            )
            return
        self._open_in_background(path)

    def _open_in_background(
        self, path: Path, *, read_only: bool = False, take_over: bool = False
    ) -> None:
        self.opening = path
        self._set_busy(True)
        self.start_page.setEnabled(False)
        self.status.setText(f"正在打开“{path.name}”…")

        def work(ctx: TaskContext) -> tuple[ProjectStore, Prepared]:
            store = ProjectStore.open(path, read_only=read_only, take_over=take_over)
            try:
                return store, prepare(store)
            except BaseException:
                store.close()
                raise

        run_task(
            self,
            work,
            lambda result: self._opened(path, *result),
            lambda exc: self._open_failed(path, exc, retry=not read_only and not take_over),
        )

    def _end_opening(self) -> None:
        self.opening = None
        self.start_page.setEnabled(True)
        self._set_busy(False)

    def _opened(self, path: Path, store: ProjectStore, prepared: Prepared) -> None:
        if self.closing:  # the window closed while the file was being read: let it go
            store.close()
            return
        self.steps.setCurrentRow(1)  # shown first: the page shown before loads it when shown
        self._end_opening()
        self.set_session(ProjectSession(store, prepared=prepared))
        self.go(1, focus=True)

    def _open_failed(self, path: Path, exc: BaseException, *, retry: bool) -> None:
        self._end_opening()
        if isinstance(exc, ProjectLockedError) and retry:
            self._open_locked(path, exc)
            return
        errors.show_error(self, exc, "无法打开项目")

    def _open_locked(self, path: Path, exc: ProjectLockedError) -> None:
        """The project is being edited elsewhere: look at it read-only, take over another PC's
        lock (after a second confirmation), or leave it."""
        holder = exc.holder
        other_pc = holder is not None and not holder.is_this_host()
        buttons = ["只读查看", "接管编辑", "取消"] if other_pc else ["只读查看", "取消"]
        choice = errors.choose(self, "项目正在别处编辑", exc.message, buttons)
        take_over = other_pc and choice == 1
        if choice is None or choice == len(buttons) - 1:
            return
        if take_over:
            assert holder is not None
            if not errors.ask(
                self,
                "接管编辑",
                f"只有在确定“{holder.host}”上的申报材料助手已经关闭（或那台电脑已死机、断网）时"
                "才能接管；否则两处修改会互相覆盖。确定接管吗？",
            ):
                return
        self._open_in_background(path, read_only=not take_over, take_over=take_over)

    def flush_pages(self) -> None:
        """Save whatever is being typed (before leaving a page or closing)."""
        self.company_page.flush()
        self.items_page.flush()

    def close_project(self) -> None:
        self.flush_pages()
        self.set_session(None)
        self.go(0)

    def import_manifest(self) -> None:
        from widgets.transfer import import_manifest_dialog

        path = import_manifest_dialog(self)
        if path is not None:
            self.open_project(path)

    def open_review(self) -> None:
        """文件 → 批量检查…: many companies' applications at once (a window of its own, kept
        while the main window lives so that a review running in the background has a home)."""
        from widgets.review import ReviewDialog

        dialog = getattr(self, "review_dialog", None)
        if not isinstance(dialog, ReviewDialog):
            dialog = ReviewDialog(self)
            dialog.open_requested.connect(self.open_project)
            self.review_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        if dialog.outcome is None and (dialog.task is None or not dialog.task.running):
            dialog.choose_folder()

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
        screen = self.screen()
        available = screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 720)
        if isinstance(geometry, QByteArray | bytes) and self.restoreGeometry(QByteArray(geometry)):
            if not self.isMaximized() and not available.contains(self.geometry()):
                self.setGeometry(fitted(self.geometry(), available))
        else:
            self.setGeometry(initial_geometry(available))

    def closeEvent(self, event: QCloseEvent) -> None:
        from widgets.tasks import running_tasks

        if running_tasks() and not errors.ask(
            self, "仍在处理", "还有导入或生成任务在进行，确定要退出吗？"
        ):
            event.ignore()
            return
        self.closing = True
        self.flush_pages()
        wait_for_writes()
        settings().setValue("window/geometry", self.saveGeometry())
        if self.session is not None:
            self.session.close()
            self.session = None
        self._listen_for(None)
        event.accept()
