"""Guide files in the window: 文件 → 打开申报指南… (remembered across runs), the 新建 chooser
(bundled and opened guides with year and 文号, broken ones with their error), and moving a
project to another version of its guide after a dialog listing what changes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.guide import GuideCopy, GuideEntry, bundled_guides, read_guide_file
from app.guide.diff import guide_changes
from app.guide.model import Guide
from app.guide.registry import differing_files, guide_label
from app.system.errors import GuideError
from widgets import errors
from widgets.session import ProjectSession
from widgets.settings import (
    add_opened_guide,
    last_dir,
    last_guide,
    opened_guides,
    set_last_dir,
    set_last_guide,
)

OPEN_OTHER = "打开其他申报指南文件…"


def load_entry(path: Path) -> GuideEntry:
    """One guide file from anywhere, loaded or with its error."""
    try:
        guide, copy = read_guide_file(path)
    except GuideError as exc:
        return GuideEntry(path, error=exc.message)
    return GuideEntry(path, guide, copy, guide_id=guide.id)


def known_guides() -> list[GuideEntry]:
    """Bundled files, then the files opened before (a text already listed is not repeated)."""
    entries = list(bundled_guides())
    seen = {e.copy.sha256 for e in entries if e.copy is not None}
    bundled_paths = {e.path.resolve() for e in entries}
    for path in opened_guides():
        if path.resolve() in bundled_paths or not path.exists():  # a file since deleted: gone
            continue
        entry = load_entry(path)
        if entry.copy is not None:
            if entry.copy.sha256 in seen:
                continue
            seen.add(entry.copy.sha256)
        entries.append(entry)
    return entries


def current_guide() -> Guide | None:
    """The guide the start page speaks of without a project: the one last chosen or opened,
    else the newest bundled one."""
    last = last_guide()
    if last is not None:
        entry = load_entry(last)
        if entry.guide is not None:
            return entry.guide
    return next((e.guide for e in bundled_guides() if e.guide is not None), None)


def open_guide_file(parent: QWidget | None) -> GuideEntry | None:
    """Ask for a guide file anywhere on this PC; a good one is remembered for 新建."""
    path = errors.choose_guide_file(parent, last_dir("guides"))
    if not path:
        return None
    return remember(parent, Path(path))


def remember(parent: QWidget | None, path: Path) -> GuideEntry | None:
    entry = load_entry(path)
    if entry.guide is None:
        _refuse(parent, entry)
        return None
    set_last_dir("guides", path.parent)
    add_opened_guide(path)
    return entry


def guide_problems(path: Path) -> list[str]:
    """Every problem of a guide file, one line each (第 N 行 …), as ``guide check`` lists them."""
    from app.guide.loader import check_guide

    try:
        _guide, problems, warnings = check_guide(path)
    except Exception:
        return []
    return [p.text() for p in (*problems, *warnings)]


def _refuse(parent: QWidget | None, entry: GuideEntry) -> None:
    """A broken guide file: its first problem, and all of them behind 显示详情…."""
    found = guide_problems(entry.path)
    errors_only = [line for line in found if "　错误　" in line]
    text = entry.error or ""
    if len(errors_only) > 1:
        text += f"\n\n共 {len(errors_only)} 处错误，点“显示详情…”查看全部（每处注明行号）。"
    errors.inform(parent, "申报指南文件有误", text, error=True, details="\n".join(found))


def choose_guide(parent: QWidget | None) -> GuideEntry | None:
    """The guide a new project follows: asked when there is a choice (several guides, an
    opened one, or a broken file to show), with year and 文号; or another file from anywhere."""
    entries = sorted(known_guides(), key=lambda e: -e.guide.year if e.guide else 1)
    usable = [e for e in entries if e.guide is not None]
    if len(entries) == 1 and usable:
        return usable[0]
    titles = [e.label for e in entries] + [OPEN_OTHER]
    index = errors.choose_guide(parent, titles)
    if index is None:
        return None
    if index == len(entries):
        return open_guide_file(parent)
    chosen = entries[index]
    if chosen.guide is None:
        _refuse(parent, chosen)
        return None
    if chosen.path.resolve() in {e.path.resolve() for e in bundled_guides()}:
        set_last_guide(chosen.path)
    else:
        add_opened_guide(chosen.path)
    return chosen


def other_versions(session: ProjectSession) -> list[GuideEntry]:
    """Bundled or opened files with the project's guide id but other text."""
    stored = session.store.stored_guide()
    if stored is None:
        return []
    left = session.store.left_guides()
    return differing_files(session.guide, GuideCopy.of(stored[0]), known_guides(), left)


def notice_for(session: ProjectSession | None) -> str:
    """What the start page says when another version of the project's guide is at hand."""
    if session is None or session.read_only:
        return ""
    found = other_versions(session)
    if not found:
        return ""
    names = "、".join(e.path.name for e in found)
    return (
        f"发现与本项目的申报指南编号相同、内容不同的文件：{names}。"
        "本项目仍按自己保存的版本准备；如要改用新版本，请点“查看变化并更换…”。"
    )


class UpgradeDialog(QDialog):
    """What changes when the project moves to ``new``: items, amounts, documents, dates."""

    def __init__(self, parent: QWidget | None, session: ProjectSession, new: GuideEntry) -> None:
        super().__init__(parent)
        assert new.guide is not None
        self.setWindowTitle("更换申报指南版本")
        self.resize(720, 520)
        layout = QVBoxLayout(self)
        head = QLabel(
            f"当前：{guide_label(session.guide)}\n更换为：{guide_label(new.guide)}\n"
            f"文件：{new.path}"
        )
        head.setWordWrap(True)
        layout.addWidget(head)
        changes = guide_changes(session.guide, new.guide, session.data)
        lines = changes.lines or [
            "两份申报指南的项目、金额、材料和日期相同（只有文字或格式不同）。"
        ]
        self.changes = QPlainTextEdit("\n".join(lines))
        self.changes.setReadOnly(True)
        layout.addWidget(self.changes, 1)
        note = QLabel(
            "更换后，项目按新版本检查和生成；旧版本中有、新版本中没有的项目不再申报，"
            "已填写的内容和证明文件仍保存在项目文件中。此操作不能撤销。"
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox()
        self.confirm = buttons.addButton("更换", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def confirm_upgrade(parent: QWidget | None, session: ProjectSession, new: GuideEntry) -> bool:
    """Show the dialog; tests replace this function."""
    return UpgradeDialog(parent, session, new).exec() == QDialog.DialogCode.Accepted


def upgrade_guide(parent: QWidget | None, session: ProjectSession) -> bool:
    """更换申报指南版本…: a file of the same id found here, or one chosen; the changes shown;
    switched only once confirmed. True when the project now follows the new file."""
    found = other_versions(session)
    if found:
        titles = [f"{e.label}　{e.path}" for e in found] + [OPEN_OTHER]
        index = errors.choose_guide(parent, titles)
        if index is None:
            return False
        new = found[index] if index < len(found) else open_guide_file(parent)
    else:
        new = open_guide_file(parent)
    if new is None or new.guide is None or new.copy is None:
        return False
    stored = session.store.stored_guide()
    if stored is not None and stored[1] == new.copy.sha256:
        errors.inform(parent, "无需更换", f"项目已按此申报指南准备（{guide_label(new.guide)}）。")
        return False
    if not confirm_upgrade(parent, session, new):
        return False
    try:
        session.store.replace_guide(new.guide.id, new.copy.text, new.path.name, new.guide.item_ids)
    except Exception as exc:
        errors.show_error(parent, exc, "无法更换申报指南")
        return False
    return True
