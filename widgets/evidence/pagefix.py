"""Under the page strip of the 材料 page: what the import found on the selected file's pages
(a page lying sideways or on its head, a blank page), with a one-click fix for each, and
「此页无误」 for a page that is right as it is (a landscape table, a page left empty on purpose);
each undoable like every page edit."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app.model import EvidenceFile


class PageFixBar(QFrame):
    """Hidden unless the shown file has a page to fix. ``turn_requested`` carries page index
    -> clockwise degrees; ``remove_requested`` the page indexes to remove; ``fine_requested``
    the page the clerk says is right as it is (the selected flagged page, or the only one)."""

    turn_requested = Signal(object)  # dict[int, int]
    remove_requested = Signal(object)  # list[int]
    fine_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evidence_page_fix")
        self.setStyleSheet(
            "QFrame#evidence_page_fix { background: #fef7e0; border: 1px solid #f6d58b;"
            " border-radius: 4px; } QLabel { color: #8a4b00; }"
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        row.addWidget(self.label, 1)
        self.upright = QPushButton("转正")
        self.upright.setToolTip("把方向不对的页面转成文字朝上（可用 Ctrl+Z 撤销）")
        self.right = QPushButton("向右转正")
        self.right.setToolTip("把横放的页面向右（顺时针）转 90°（可用 Ctrl+Z 撤销）")
        self.left = QPushButton("向左转正")
        self.left.setToolTip("把横放的页面向左（逆时针）转 90°（可用 Ctrl+Z 撤销）")
        self.remove = QPushButton("删除空白页")
        self.remove.setToolTip("从申报材料中删除这些空白页，原文件不变（可用 Ctrl+Z 撤销）")
        self.fine = QPushButton("此页无误")
        self.fine.setObjectName("evidence_page_fine")
        for button in (self.upright, self.right, self.left, self.remove, self.fine):
            row.addWidget(button)
        self.fine.clicked.connect(self._fine_clicked)
        self.target: int | None = None  # the page 此页无误 is about
        self.upright.clicked.connect(lambda: self.turn_requested.emit(dict(self.known)))
        self.right.clicked.connect(lambda: self.turn_requested.emit(self._unsure(90)))
        self.left.clicked.connect(lambda: self.turn_requested.emit(self._unsure(270)))
        self.remove.clicked.connect(lambda: self.remove_requested.emit(list(self.blank)))
        self.known: dict[int, int] = {}
        self.unsure: list[int] = []
        self.blank: list[int] = []
        self.hide()

    def _unsure(self, degrees: int) -> dict[int, int]:
        return dict.fromkeys(self.unsure, degrees)

    def _fine_clicked(self) -> None:
        if self.target is not None:
            self.fine_requested.emit(self.target)

    def show_file(self, f: EvidenceFile | None, page: int | None = None) -> None:
        """Show what needs fixing on ``f`` (nothing: hidden); ``page``: the page selected in the
        strip (此页无误 is about it when it is flagged)."""
        self.known, self.unsure, self.blank = {}, [], []
        for index, info in enumerate(f.pages if f is not None else ()):
            if info.flagged_blank:
                self.blank.append(index)
            elif info.flagged_sideways:
                turns = info.turns_to_upright()
                if len(turns) == 1:
                    self.known[index] = turns[0]
                else:
                    self.unsure.append(index)
        if f is None or not (self.known or self.unsure or self.blank):
            self.hide()
            return
        parts = []
        many = f.page_count > 1
        turned = sorted([*self.known, *self.unsure])
        if turned:
            where = _pages(turned) if many else "这个文件"
            parts.append(f"{where}的文字不是正向的（横放或倒置）")
        if self.blank:
            where = _pages(self.blank) if many else "这个文件"
            parts.append(f"{where}几乎是空白页")
        advice = []
        if self.known:
            advice.append("点“转正”")
        if self.unsure:
            advice.append("看缩略图后点“向右转正”或“向左转正”")
        if self.blank:
            advice.append("如是多扫的空白页，点“删除空白页”")
        advice.append("本来就是这样的页，点“此页无误”")
        self.label.setText("；".join(parts) + "。" + "，".join(advice) + "。")
        self.upright.setVisible(bool(self.known))
        self.right.setVisible(bool(self.unsure))
        self.left.setVisible(bool(self.unsure))
        self.remove.setVisible(bool(self.blank))
        self._show_fine(f, page, sorted([*turned, *self.blank]))
        self.show()

    def _show_fine(self, f: EvidenceFile, page: int | None, flagged: list[int]) -> None:
        """此页无误 for the selected page when it is flagged, else for the only flagged page;
        with several and none of them selected, it asks for one."""
        if page in flagged:
            self.target = page
        elif len(flagged) == 1:
            self.target = flagged[0]
        else:
            self.target = None
        if self.target is None:
            self.fine.setText("此页无误")
            self.fine.setEnabled(False)
            self.fine.setToolTip("请先在下方选中要确认的页面")
            return
        self.fine.setEnabled(True)
        self.fine.setText(
            "此页无误" if f.page_count == 1 else f"此页无误（第 {self.target + 1} 页）"
        )
        what = "空白" if f.pages[self.target].flagged_blank else "方向"
        self.fine.setToolTip(
            f"这一页本来就是这样（如横排的表格、有意留空的页），不再提醒{what}问题"
            "（可用 Ctrl+Z 撤销）"
        )


def _pages(indexes: list[int]) -> str:
    return "第 " + "、".join(str(i + 1) for i in indexes) + " 页"
