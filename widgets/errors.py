"""Errors become messages in exactly one place; dialogs go through small functions that tests
can replace (``ask``, ``inform``, ``choose_*``)."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from app.system.errors import AppError
from app.system.logs import log_exception


def message_for(exc: BaseException) -> str:
    if isinstance(exc, AppError):
        return exc.message
    if isinstance(exc, MemoryError):
        return "内存不足，请关闭其他程序后重试。"
    where = log_exception(exc)
    # Honest about what is known: earlier edits were each saved when made; the operation that
    # failed may not have been.
    return (
        f"程序遇到意外错误（{type(exc).__name__}），刚才的操作可能没有完成、没有保存；"
        "在此之前的修改都已保存在项目文件中。请核对刚才的修改，必要时重新操作。\n"
        f"详细信息已记录到：{where}\n请将该文件发给技术支持。"
    )


def show_error(parent: QWidget | None, exc: BaseException, title: str = "出错了") -> None:
    """The one place an exception becomes a dialog."""
    inform(parent, title, message_for(exc), error=True)


def inform(
    parent: QWidget | None, title: str, text: str, error: bool = False, details: str = ""
) -> None:
    """A message with an OK button; ``details`` (a long list) behind 显示详情…."""
    box = QMessageBox(
        QMessageBox.Icon.Warning if error else QMessageBox.Icon.Information,
        title,
        text,
        QMessageBox.StandardButton.Ok,
        parent,
    )
    if details:
        box.setDetailedText(details)
    box.exec()


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """Yes/No question; True for yes."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def choose(parent: QWidget | None, title: str, text: str, buttons: list[str]) -> int | None:
    """A question with several answers; the index of the button chosen, None if closed.
    The last button is the cancel button (Esc)."""
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    made = [
        box.addButton(
            label,
            QMessageBox.ButtonRole.RejectRole
            if n == len(buttons) - 1
            else QMessageBox.ButtonRole.AcceptRole,
        )
        for n, label in enumerate(buttons)
    ]
    box.setDefaultButton(made[0])
    box.setEscapeButton(made[-1])
    box.exec()
    clicked = box.clickedButton()
    return made.index(clicked) if clicked in made else None


def ask_password(parent: QWidget | None, file_name: str) -> str | None:
    text, ok = QInputDialog.getText(
        parent, "需要密码", f"“{file_name}”已加密，请输入打开密码：", QLineEdit.EchoMode.Password
    )
    return text if ok and text else None


def choose_guide(parent: QWidget | None, titles: list[str]) -> int | None:
    """Which funding guide a new project follows; the index in ``titles`` or None."""
    title, ok = QInputDialog.getItem(
        parent, "选择申报指南", "新项目按哪一份申报指南准备：", titles, 0, False
    )
    return titles.index(title) if ok and title in titles else None


def choose_guide_file(parent: QWidget | None, start: str = "") -> str | None:
    """A guide file (.toml) from anywhere on this PC."""
    path, _ = QFileDialog.getOpenFileName(
        parent, "打开申报指南", start, "申报指南文件 (*.toml);;所有文件 (*)"
    )
    return path or None


PROJECT_FILTER = "申报项目文件 (*.sbproj)"


def choose_open_project(parent: QWidget | None, start: str = "") -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, "打开申报项目", start, PROJECT_FILTER)
    return path or None


def choose_new_project(parent: QWidget | None, start: str = "") -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, "新建申报项目", start, PROJECT_FILTER)
    if path and not path.lower().endswith(".sbproj"):
        path += ".sbproj"
    return path or None


def evidence_filter() -> str:
    """The file dialog's filter for evidence (``app.intake`` imported when first asked: it
    brings the image and PDF libraries, which the window's start does without)."""
    from app.intake import errors as intake_errors

    extensions = " ".join(f"*{ext}" for ext in intake_errors.EXTENSIONS)
    return f"扫描件和PDF ({extensions});;所有文件 (*)"


def choose_files(parent: QWidget | None, title: str = "添加证明文件") -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(
        parent,
        title,
        "",
        evidence_filter(),
    )
    return list(paths)


def choose_directory(parent: QWidget | None, title: str, start: str = "") -> str | None:
    path = QFileDialog.getExistingDirectory(parent, title, start)
    return path or None


def choose_open_file(parent: QWidget | None, title: str, filter_: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, "", filter_)
    return path or None
