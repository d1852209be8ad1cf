"""材料: the checklist of every document the chosen items need, and the files attached to each.

Left: a tree (基本材料, then each selected item in guide order with its documents; per-row
documents grouped under their row; proof sets pointing to the outsourcing documents; shared
documents listed once with a note elsewhere; generated documents marked 由程序生成). Right: the
selected document's requirements, its files in order and the pages of the selected file as
thumbnails rendered in the background. Files come in through the file dialog, a folder, or by
dropping files/folders on a document node or the file list; importing runs in the background
with a progress bar and a Cancel button, and a refused file is explained in place.

The parts live in ``widgets.evidence`` (the checklist as data, the tree, the file list and
page strip, the buttons, the message strip, the background import, Word templates); this
module is the page that joins them.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QSplitter,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.model import EvidenceFile
from widgets import errors
from widgets.evidence.buttons import DocumentButtons
from widgets.evidence.checklist import (
    PROOF_NOTE,
    DocKey,
    Node,
    build_checklist,
    group_note,
    requirement_note,
)
from widgets.evidence.files import ROLE_FILE, ROLE_PAGE
from widgets.evidence.files_view import ADD_HINT, GROUP_HINT, FilesView
from widgets.evidence.icons import PAGE_ICON
from widgets.evidence.importer import ImportController, ImportResult
from widgets.evidence.message import MessageStrip, short
from widgets.evidence.pagefix import PageFixBar
from widgets.evidence.templates import TemplateMaker
from widgets.evidence.tree import ROLE_NODE, ChecklistTree
from widgets.message_text import MessageScroll
from widgets.pages.base import Page
from widgets.preview import PreviewDialog
from widgets.session import ProjectSession
from widgets.tasks import Task

# Tests reach these through this module.
__all__ = ["PAGE_ICON", "PROOF_NOTE", "ROLE_FILE", "ROLE_NODE", "ROLE_PAGE", "EvidencePage"]


def open_document(path: Path) -> None:
    """Open a file with the system's program (tests replace this)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class EvidencePage(Page):
    title = "材料"
    drawn_ahead = False  # drawing its file list asks for the thumbnails of the lines in view

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.current: Node | None = None
        self.attached_count = 0
        self.required_count = 0
        self.preview: PreviewDialog | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 4)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(splitter)

        # -- left: summary and checklist
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 8, 0)
        self.summary = QLabel()
        self.summary.setObjectName("evidence_summary")
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.summary.setFont(font)
        lv.addWidget(self.summary)
        hint = QLabel(
            "把扫描件或文件夹拖到左侧材料名称上即可添加；把整个文件夹拖到清单空白处，"
            "程序按文件名建议每个文件放到哪一项，确认后再添加。"
        )
        hint.setStyleSheet("color: #5f6368;")
        hint.setWordWrap(True)
        lv.addWidget(hint)
        self.tree = ChecklistTree()
        self.tree.setObjectName("evidence_tree")
        self.tree.setAccessibleName("材料清单")
        self.tree.currentItemChanged.connect(self._on_current_item)
        self.tree.files_dropped.connect(self._dropped_on_tree)
        self.tree.folder_dropped.connect(self.propose_folder)
        lv.addWidget(self.tree, 1)
        splitter.addWidget(left)

        # -- right: the selected document
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(8, 0, 0, 0)
        self.doc_title = QLabel("请在左侧选择一项材料")
        self.doc_title.setObjectName("evidence_doc_title")
        self.doc_title.setWordWrap(True)
        tf = self.doc_title.font()
        tf.setPointSizeF(tf.pointSizeF() * 1.2)
        tf.setBold(True)
        self.doc_title.setFont(tf)
        rv.addWidget(self.doc_title)
        self.doc_note = QLabel()
        self.doc_note.setObjectName("evidence_doc_note")
        self.doc_note.setWordWrap(True)
        self.doc_note.setStyleSheet("color: #3c4043;")
        self.doc_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        rv.addWidget(self.doc_note)

        self._announced: int | None = None  # the undo index after an announced step
        self.message = MessageStrip()
        self.message.setObjectName("evidence_message")

        self.importer = ImportController(
            self, self.message, self._import_done, self._update_buttons
        )
        self.password_asker = self.importer.password_asker
        self.progress_frame = self.importer.frame
        self.progress_label = self.importer.label
        self.progress = self.importer.bar
        self.cancel_button = self.importer.cancel_button
        rv.addWidget(self.progress_frame)
        # open_document is looked up when called, so tests can replace it in this module
        self.templates = TemplateMaker(
            self, self.message, lambda path: open_document(path), self._update_buttons
        )

        b = DocumentButtons()
        self.add_button, self.add_folder_button, self.remove_button = b.add, b.add_folder, b.remove
        self.rotate_left_button, self.rotate_right_button = b.rotate_left, b.rotate_right
        self.template_button = b.template
        rv.addLayout(b.row)
        # Below the buttons, with room for two lines kept: a message does not move the
        # buttons (or the list) under the mouse.
        self.message.reserve(2)
        rv.addWidget(MessageScroll(self.message))  # a long message scrolls, never cut
        self.add_button.clicked.connect(self.add_files)
        self.add_folder_button.clicked.connect(self.add_folder)
        self.remove_button.clicked.connect(self.remove_current_file)
        self.rotate_left_button.clicked.connect(lambda: self.rotate_current_page(-90))
        self.rotate_right_button.clicked.connect(lambda: self.rotate_current_page(90))
        self.template_button.clicked.connect(self.make_template)

        files_label = QLabel("文件（按装订顺序，可拖动调整，Alt+↑/↓ 移动）：")
        rv.addWidget(files_label)
        self.files = FilesView(self, self._update_buttons)
        self.thumbnails = self.files.thumbnails
        self.file_list = self.files.file_list
        self.pages_label = self.files.pages_label
        self.page_strip = self.files.page_strip
        self.file_list.paths_dropped.connect(self._dropped_on_files)
        self.file_list.move_requested.connect(self._move_file)
        self.file_list.remove_requested.connect(self.remove_current_file)
        self.file_list.open_requested.connect(lambda: self.open_preview(0))
        files_label.setBuddy(self.file_list)
        rv.addWidget(self.file_list, 2)

        rv.addWidget(self.pages_label)
        self.page_fix = PageFixBar()
        self.page_fix.turn_requested.connect(self.turn_pages_upright)
        self.page_fix.remove_requested.connect(self.remove_blank_pages)
        self.page_fix.fine_requested.connect(self.mark_page_fine)
        rv.addWidget(self.page_fix)
        self.page_strip.itemActivated.connect(lambda it: self.open_preview(int(it.data(ROLE_PAGE))))
        self.page_strip.itemDoubleClicked.connect(
            lambda it: self.open_preview(int(it.data(ROLE_PAGE)))
        )
        self.page_strip.currentItemChanged.connect(lambda *_: self._update_buttons())
        rv.addWidget(self.page_strip, 3)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([560, 640])

        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (
            ("Ctrl+L", lambda: self.rotate_current_page(-90)),
            ("Ctrl+R", lambda: self.rotate_current_page(90)),
            ("Insert", self.add_files),
        ):
            QShortcut(QKeySequence(keys), self, slot, context=ctx)
        tab_chain = (self.tree, b.add, b.add_folder, b.remove, b.rotate_left, b.rotate_right)
        for first, second in pairwise((*tab_chain, b.template, self.file_list, self.page_strip)):
            self.setTabOrder(first, second)
        self._show_document()

    # -- session ---------------------------------------------------------------------------------
    def set_session(self, session: ProjectSession | None) -> None:
        if session is not self.session:
            if self.import_task is not None:  # its files belong to the project being left
                self.import_task.cancel()
            self.thumbnails.set_source(session.store.evidence_pdf if session is not None else None)
            self.tree.collapsed_idents.clear()
            self.current = None
            self.hide_message()
        super().set_session(session)

    def on_changed(self, topic: str) -> None:
        if topic in ("selected", "tables", "evidence"):
            self._drop_undone_message()
            self.refresh()

    def _announce(self, text: str, kind: str) -> None:
        """A message about the undo step just made ("已添加 3 个文件"): it goes when that step
        is undone."""
        self.show_message(text, kind)
        if self.session is not None:
            self._announced = self.session.undo_stack.index()

    def _drop_undone_message(self) -> None:
        announced = self._announced
        if announced is not None and self.session is not None:
            undone = self.session.undo_stack.index() < announced
            if undone:
                self.hide_message()

    def refresh(self) -> None:
        if self.session is None:
            self.tree.clear_checklist()
            self.summary.setText("")
            self.current = None
            self._show_document()
            return
        roots, self.attached_count, self.required_count = build_checklist(
            self.session.guide, self.session.data
        )
        self.summary.setText(f"已附 {self.attached_count} / {self.required_count} 项材料")
        keep = self.current.ident if self.current is not None else None
        self.tree.fill(roots)
        item = self.tree.nodes.get(keep) if keep else None
        if item is None and keep is not None and self.current is not None and self.current.key:
            item = self.tree.find_key(self.current.key)
        if item is None:
            item = self.tree.first_missing() or self.tree.topLevelItem(0)
        if item is not None:
            self.tree.setCurrentItem(item)
            self.current = item.data(0, ROLE_NODE)
        self._show_document()

    def tree_item(self, key: DocKey) -> QTreeWidgetItem | None:
        """The tree item of a document (for tests and navigation)."""
        self.ensure_loaded()
        return self.tree.find_key(key)

    def tree_item_for_item(self, item_id: str) -> QTreeWidgetItem | None:
        """The tree item of a selected funding item."""
        self.ensure_loaded()
        return self.tree.nodes.get(f"item:{item_id}")

    def _on_current_item(self, item: QTreeWidgetItem | None, _old: object = None) -> None:
        if self.tree.building:
            return
        node = item.data(0, ROLE_NODE) if item is not None else None
        before = self.current
        self.current = node if isinstance(node, Node) else None
        if (before.ident if before else None) != (self.current.ident if self.current else None):
            self.hide_message()  # a message is about the material it was shown for
        self._show_document()

    # -- right side ----------------------------------------------------------------------------
    def _show_document(self) -> None:
        node = self.current
        doc = node.doc if node is not None else None
        if node is None:
            self.doc_title.setText("请在左侧选择一项材料")
            self.doc_note.setText("")
        elif node.kind in ("section", "item", "row", "proof", "empty"):
            self.doc_title.setText(node.label)
            self.doc_note.setText(group_note(node))
        else:
            self.doc_title.setText(node.label)
            self.doc_note.setText(
                requirement_note(node, self.session.guide if self.session is not None else None)
            )
        self.template_button.setVisible(
            node is not None
            and doc is not None
            and doc.kind == "narrative"
            and node.key is not None
        )
        self.file_list.accepting = node is not None and node.attachable
        # The empty list's hint offers 添加文件 only where that button works.
        self.file_list.hint = ADD_HINT if self.file_list.accepting else GROUP_HINT
        self.file_list.viewport().update()
        self._fill_files()
        self._update_buttons()

    def _current_files(self) -> list[EvidenceFile]:
        node = self.current
        if self.session is None or node is None or node.key is None:
            return []
        return list(self.session.data.files_for(*node.key))

    def _fill_files(self) -> None:
        self.files.set_files(self._current_files())

    def current_file(self) -> EvidenceFile | None:
        return self.files.current_file()

    def current_file_id(self) -> str | None:
        return self.files.current_file_id()

    def current_page(self) -> int | None:
        return self.files.current_page()

    def page_thumbnail_ready(self, index: int) -> bool:
        """Whether the page strip shows a real thumbnail for page ``index`` (tests)."""
        return self.files.page_thumbnail_ready(index)

    def _update_buttons(self) -> None:
        node = self.current
        can_add = node is not None and node.attachable and self.import_task is None
        has_file = self.file_list.currentItem() is not None
        has_page = has_file and self.page_strip.currentItem() is not None
        self.add_button.setEnabled(can_add)
        self.add_folder_button.setEnabled(can_add)
        self.remove_button.setEnabled(has_file)
        self.rotate_left_button.setEnabled(has_page)
        self.rotate_right_button.setEnabled(has_page)
        self.template_button.setEnabled(self.template_task is None)
        self.page_fix.show_file(self.current_file(), self.current_page() if has_page else None)

    # -- messages ---------------------------------------------------------------------------------
    def show_message(self, text: str, kind: str = "error") -> None:
        """The strip above the file list: error (red), warning (amber) or info (green)."""
        self._announced = None
        self.message.show_message(text, kind)

    def hide_message(self) -> None:
        self._announced = None
        self.message.hide_message()

    # -- adding files -------------------------------------------------------------------------------
    def add_files(self) -> None:
        node = self.current
        if node is None or not node.attachable or self.session is None:
            return
        paths = errors.choose_files(self, f"添加到“{short(node.label)}”")
        if paths:
            self.start_import(node.key, [Path(p) for p in paths])  # type: ignore[arg-type]

    def add_folder(self) -> None:
        node = self.current
        if node is None or not node.attachable or self.session is None:
            return
        folder = errors.choose_directory(self, f"选择文件夹，全部添加到“{short(node.label)}”")
        if folder:
            self.start_import(node.key, [Path(folder)])  # type: ignore[arg-type]

    def _dropped_on_tree(self, key: DocKey, paths: list[Path]) -> None:
        item = self.tree.find_key(key)
        if item is not None:
            self.tree.setCurrentItem(item)
        self.start_import(key, paths)

    def propose_folder(self, paths: list[Path]) -> None:
        """A folder dropped on the page as a whole: propose where each file goes, let the clerk
        confirm or correct the list, then attach (nothing is attached before)."""
        from app.intake import expand_paths
        from app.intake.assign import propose, targets
        from app.system.errors import AppError
        from widgets.evidence.assign import AssignDialog

        session = self.session
        if session is None:
            return
        try:
            files = expand_paths(paths)
        except AppError as exc:
            self.show_message(exc.message, "error")
            return
        if not files:
            self.show_message("所选文件夹中没有可添加的文件。", "warning")
            return
        data = session.data
        dialog = AssignDialog(
            propose(session.guide, data, files), targets(session.guide, data), self
        )
        accepted = dialog.exec() == AssignDialog.DialogCode.Accepted
        groups = dialog.chosen()
        refused = [c.problem for c in dialog.unreadable() if c.problem]
        dialog.deleteLater()
        if not accepted or self.session is not session:
            return
        if groups:
            # one file that cannot be read does not sink the folder: the rest are added
            self.importer.start_many(groups, lenient=True, refused=refused)
        elif refused:
            self.show_message(
                "没有添加任何文件。以下文件无法读取：\n" + "\n".join(f"· {r}" for r in refused),
                "error",
            )

    def _dropped_on_files(self, paths: list[Path], position: int) -> None:
        if self.current is not None and self.current.key is not None:
            self.start_import(self.current.key, paths, position)

    def start_import(self, key: DocKey, paths: list[Path], position: int | None = None) -> None:
        """Import ``paths`` (files and folders) into the document ``key`` in the background:
        all or nothing, one undo step."""
        self.ensure_loaded()
        self.importer.start(key, paths, position)

    def cancel_import(self) -> None:
        self.importer.cancel()

    @property
    def import_task(self) -> Task | None:
        """The import running now, if any."""
        return self.importer.task

    def _import_done(
        self,
        session: ProjectSession,
        key: DocKey,
        title: str,
        result: ImportResult,
    ) -> None:
        ids, warnings, pages, refused = result
        if ids:
            # on the project they went into, even if switched; a step of this page
            session.record_attach(ids, self.title)
        if self.session is not session:
            return
        left_out = (
            [f"以下 {len(refused)} 个文件无法读取，未添加（请处理后单独添加）："]
            + [f"· {r}" for r in refused]
            if refused
            else []
        )
        if not ids:
            if refused:
                self.show_message("\n".join(["没有添加任何文件。", *left_out]), "error")
            else:
                self.show_message("所选文件夹中没有可添加的文件。", "warning")
            return
        # Show the document the files went to, with the first new file selected.
        self.refresh()
        item = self.tree.find_key(key)
        if item is not None:
            self.tree.setCurrentItem(item)
        self.files.select_file(ids[0])
        text = f"已添加 {len(ids)} 个文件（{pages} 页）到“{short(title)}”。"
        warnings = left_out + warnings + self._same_file_notes(session, ids)
        if warnings:
            self._announce(text + "\n" + "\n".join(warnings), "warning")
        else:
            self._announce(text + "按 Ctrl+Z 可撤销。", "info")

    @staticmethod
    def _same_file_notes(session: ProjectSession, ids: list[str]) -> list[str]:
        """The new files that were already attached (same content, SHA-256)."""
        from app.rules.duplicates import same_files

        new = set(ids)
        notes = []
        for group in same_files(session.data.evidence):
            for f in group[1:]:
                if f.id in new:
                    earlier = group[0]
                    where = session.guide.document(earlier.document_id).title
                    notes.append(
                        f"“{short(f.name)}”与已附在“{short(where)}”下的“{short(earlier.name)}”"
                        "内容完全相同；如非有意，请移除多余的一份。"
                    )
        return notes

    # -- editing files ------------------------------------------------------------------------------
    def _move_file(self, file_id: str, position: int) -> None:
        if self.session is not None:
            self.session.move_file(file_id, position)
            self._select_file(file_id)

    def _select_file(self, file_id: str) -> None:
        self.refresh()
        self.files.select_file(file_id)

    def move_current_file(self, step: int) -> None:
        f = self.current_file()
        if f is not None:
            self._move_file(f.id, max(0, self.file_list.currentRow() + step))

    def remove_current_file(self) -> None:
        f = self.current_file()
        if f is None or self.session is None:
            return
        row = self.file_list.currentRow()
        self.session.remove_file(f.id)
        self.refresh()
        if self.file_list.count():
            self.file_list.setCurrentRow(min(row, self.file_list.count() - 1))
        self._announce(f"已移除“{f.name}”。按 Ctrl+Z 可撤销。", "info")

    def rotate_current_page(self, degrees: int) -> None:
        f = self.current_file()
        page = self.current_page()
        if f is None or page is None or self.session is None:
            return
        self.session.rotate_page(f.id, page, degrees)
        self.refresh()
        self.page_strip.setCurrentRow(page)

    def turn_pages_upright(self, turns: dict[int, int]) -> None:
        """The page fix bar's 转正: turn the file's misoriented pages (one undo step)."""
        f = self.current_file()
        if f is None or self.session is None or not turns:
            return
        page = self.current_page()
        self.session.turn_pages_upright(f.id, turns)
        self._select_file(f.id)
        if page is not None:
            self.page_strip.setCurrentRow(page)
        self.show_message(f"已转正“{short(f.name)}”的页面。按 Ctrl+Z 可撤销。", "info")

    def remove_blank_pages(self, pages: list[int]) -> None:
        """The page fix bar's 删除空白页 (the whole file when every page is blank)."""
        f = self.current_file()
        if f is None or self.session is None or not pages:
            return
        self.session.remove_pages(f.id, pages)
        if len(set(pages)) < f.page_count:
            self._select_file(f.id)
            what = "第 " + "、".join(str(p + 1) for p in sorted(pages)) + " 页"
            self.show_message(
                f"已删除“{short(f.name)}”的空白页（{what}）。按 Ctrl+Z 可撤销。", "info"
            )
        else:
            self.refresh()
            self.show_message(f"已移除空白的“{short(f.name)}”。按 Ctrl+Z 可撤销。", "info")

    def mark_page_fine(self, page: int) -> None:
        """The page fix bar's 此页无误: the page is right as it is; its finding goes (Ctrl+Z
        brings it back)."""
        f = self.current_file()
        if f is None or self.session is None or not 0 <= page < f.page_count:
            return
        self.session.set_page_fine(f.id, page)
        self._select_file(f.id)
        self.page_strip.setCurrentRow(page)
        what = f"第 {page + 1} 页" if f.page_count > 1 else "这一页"
        self._announce(f"已确认“{short(f.name)}”{what}无误，不再提醒。按 Ctrl+Z 可撤销。", "info")

    def open_preview(self, page: int) -> None:
        f = self.current_file()
        if f is None or self.session is None or f.page_count == 0:
            return
        dialog = PreviewDialog(self.session.store.evidence_pdf, f, page, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview = dialog
        dialog.open()

    # -- Word templates --------------------------------------------------------------------------
    def template_folder(self) -> Path:
        return self.templates.folder()

    def make_template(self) -> None:
        self.templates.start(self.current)

    @property
    def template_task(self) -> Task | None:
        """The template being written now, if any."""
        return self.templates.task

    # -- navigation ------------------------------------------------------------------------------
    def first_field(self) -> QWidget | None:
        return self.tree

    def focus_where(self, where: str) -> bool:
        self.ensure_loaded()
        if self.session is None:
            return False
        parts = where.split(".")
        if parts[0] == "document" and len(parts) >= 2:
            key: DocKey = (parts[1], parts[2] if len(parts) > 2 else None)
            item = self.tree.find_key(key)
            if item is None:
                return False
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)
            return True
        if parts[0] == "evidence" and len(parts) in (2, 3):
            f = next((f for f in self.session.data.evidence if f.id == parts[1]), None)
            if f is None:
                return False
            item = self.tree.find_key((f.document_id, f.row_id))
            if item is None:
                return False
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)
            self.files.select_file(f.id)
            if len(parts) == 3 and parts[2].isdigit() and int(parts[2]) < f.page_count:
                self.page_strip.setCurrentRow(int(parts[2]))
            return True
        return False
