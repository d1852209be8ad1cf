"""开始: create or open a project, recent projects, the guide's deadlines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
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

from app.guide.model import Guide
from app.guide.registry import guide_label
from widgets.guides import current_guide, notice_for
from widgets.pages.base import Page
from widgets.session import ProjectSession
from widgets.settings import recent_projects
from widgets.stage_panel import StagePanel
from widgets.wrapped_label import WrappedLabel


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


NOTICE_LATER_MS = 100  # a notice left to a later turn is looked for by then at the latest


class StartPage(Page):
    title = "开始"
    refreshed_when_shown = True
    needs_project = False
    shows_project = True  # the open project's stage and next step
    new_requested = Signal()
    open_requested = Signal()
    open_path_requested = Signal(Path)
    import_requested = Signal()
    upgrade_requested = Signal()  # another version of the project's guide is at hand

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
        self.guide: Guide | None = None
        self.intro = WrappedLabel()
        self.intro.setWordWrap(True)
        self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.intro)
        notice_row = QHBoxLayout()
        self.notice = WrappedLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #8a5a00;")
        self.upgrade_button = QPushButton("查看变化并更换…")
        self.upgrade_button.clicked.connect(self.upgrade_requested)
        notice_row.addWidget(self.notice, 1)
        notice_row.addWidget(self.upgrade_button)
        layout.addLayout(notice_row)

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

        self.dates_box = dates_box = QGroupBox("申报时间")
        dl = QVBoxLayout(dates_box)
        self.dates = WrappedLabel()
        self.dates.setWordWrap(True)
        self.dates.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dl.addWidget(self.dates)
        dl.addStretch(1)
        row.addWidget(dates_box, 2)
        layout.addLayout(row, 1)
        self.stage_panel = StagePanel(self.today)
        layout.addWidget(self.stage_panel)
        # what ``notice_for`` said for a project (it reads the project file): said again when
        # a guide file is opened (``show_guide``), not each time the page is shown
        self._notice: tuple[ProjectSession | None, str] | None = None
        self.refresh()

    def set_session(self, session: ProjectSession | None) -> None:
        # Loaded now if shown, else when shown (``refresh``: the guide, the panel, the dates);
        # opening a project from this page goes on to 企业信息 in the same turn: building this
        # page for it three times there was ~10 ms of the window's thread.
        self.stage_panel.set_session(session, refresh=False)
        super().set_session(session)

    def show_guide(self, *, again: bool = True) -> None:
        """Speak of the open project's guide, else of the guide last chosen or opened (else the
        newest bundled one): its name, year, 文号 and dates; and of another version at hand
        (``again``: look for one again, else what was found for this project is said)."""
        session = self.live_session()
        self.guide = session.guide if session is not None else current_guide()
        guide = self.guide
        steps = (
            "填写企业信息 → 选择申报项目 → 附上证明材料 → 检查 → "
            "生成 A4 申报材料 PDF 和 Excel 文件 → 打印。"
        )
        if guide is None:
            self.intro.setText(
                "没有可用的申报指南：请用“文件 → 打开申报指南…”选择协会或商务部门发布的申报指南文件。"
            )
        else:
            no = f"（{guide.document_no}）" if guide.document_no else ""
            whose = "本项目按" if session is not None else "按"
            self.intro.setText(f"{whose}《{guide.title}》{no}整理申报材料：{steps}")
            self.intro.setToolTip(guide_label(guide))
        self.dates_box.setTitle(f"申报时间（{guide.year}年）" if guide is not None else "申报时间")
        if again or session is None:
            self._notice = (session, notice_for(session))
        elif self._notice is None or self._notice[0] is not session:
            # A project's first: looked for on a turn of its own (it reads the project file;
            # opening a project from this page goes on to 企业信息 in the same turn).
            self._notice = None  # the window's ``hidden_pages`` asks for it before that:
            QTimer.singleShot(NOTICE_LATER_MS, self, self._look_for_notice)
        notice = self._notice[1] if self._notice is not None else ""
        self.notice.setText(notice)
        self.notice.setVisible(bool(notice))
        self.upgrade_button.setVisible(bool(notice))

    def _look_for_notice(self) -> None:
        self.load_more()

    def load_more(self) -> bool:
        if self._notice is None and self.live_session() is not None:
            self.show_guide()
            return True
        return False

    def first_field(self) -> QWidget | None:
        return self.new_button

    def refresh(self) -> None:
        self.show_guide(again=False)
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
        if self.guide is None:
            self.dates.setText("")
            return
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
