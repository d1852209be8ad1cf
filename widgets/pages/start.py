"""开始: create or open a project, recent projects, the guide's deadlines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.guide import DEFAULT_GUIDE_ID, guide_by_id
from app.guide.model import Guide
from widgets.pages.base import Page
from widgets.session import ProjectSession
from widgets.settings import recent_projects
from widgets.stage_panel import StagePanel


def days_left_text(guide: Guide, today: dt.date) -> list[str]:
    lines = []
    for d in guide.deadlines:
        days = (d.date - today).days
        if days > 0:
            when = f"还有 {days} 天"
        elif days == 0:
            when = "就是今天"
        else:
            when = f"已过 {-days} 天"
        lines.append(f"{d.date.year}年{d.date.month}月{d.date.day}日　{d.title}（{when}）")
    return lines


class StartPage(Page):
    title = "开始"
    needs_project = False
    shows_project = True  # the open project's stage and next step
    new_requested = Signal()
    open_requested = Signal()
    open_path_requested = Signal(Path)
    import_requested = Signal()

    def __init__(self, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.today = today or dt.date.today()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(16)

        heading = QLabel("申报材料助手")
        heading.setObjectName("heading")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        self.guide = guide_by_id(DEFAULT_GUIDE_ID)
        intro = QLabel(
            f"按《{self.guide.title}》（{self.guide.document_no}）整理申报材料："
            "填写企业信息 → 选择申报项目 → 附上证明材料 → 检查 → 生成 A4 申报材料 PDF 和 Excel 文件 → 打印。"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        buttons = QHBoxLayout()
        self.new_button = QPushButton("新建申报项目…")
        self.new_button.setToolTip("Ctrl+N")
        self.open_button = QPushButton("打开申报项目…")
        self.open_button.setToolTip("Ctrl+O")
        self.import_button = QPushButton("从清单文件导入…")
        for b in (self.new_button, self.open_button, self.import_button):
            b.setMinimumHeight(36)
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(self.open_requested)
        self.import_button.clicked.connect(self.import_requested)

        row = QHBoxLayout()
        recent_box = QGroupBox("最近的项目（双击打开）")
        rl = QVBoxLayout(recent_box)
        self.recent = QListWidget()
        self.recent.itemActivated.connect(self._open_recent)
        rl.addWidget(self.recent)
        row.addWidget(recent_box, 3)

        dates_box = QGroupBox("申报时间")
        dl = QVBoxLayout(dates_box)
        self.dates = QLabel()
        self.dates.setWordWrap(True)
        self.dates.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dl.addWidget(self.dates)
        dl.addStretch(1)
        row.addWidget(dates_box, 2)
        layout.addLayout(row, 1)
        self.stage_panel = StagePanel(self.today)
        layout.addWidget(self.stage_panel)
        self.refresh()

    def set_session(self, session: ProjectSession | None) -> None:
        self.stage_panel.set_session(session)
        super().set_session(session)

    def first_field(self) -> QWidget | None:
        return self.new_button

    def refresh(self) -> None:
        self.recent.clear()
        for p in recent_projects():
            item = QListWidgetItem(f"{p.stem}　—　{p.parent}")
            item.setData(Qt.ItemDataRole.UserRole, str(p))
            item.setToolTip(str(p))
            if not p.exists():
                item.setText(f"{p.stem}（文件已不存在）")
                item.setForeground(Qt.GlobalColor.gray)
            self.recent.addItem(item)
        self.stage_panel.refresh()
        lines = days_left_text(self.guide, self.today)
        # Each date with what is due then, as the guide file details it.
        self.dates.setText(
            "\n\n".join(
                f"• {line}" + (f"\n{d.detail}" if d.detail else "")
                for line, d in zip(lines, self.guide.deadlines, strict=True)
            )
        )

    def _open_recent(self, item: QListWidgetItem) -> None:
        self.open_path_requested.emit(Path(item.data(Qt.ItemDataRole.UserRole)))
