"""F1: the user guide (docs/使用说明.md) inside the program, images included, no browser needed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

HELP_DOC = Path(__file__).resolve().parents[1] / "docs" / "使用说明.md"


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, doc: Path = HELP_DOC) -> None:
        super().__init__(parent)
        self.setWindowTitle("使用说明 — 申报材料助手")
        self.resize(960, 700)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(doc.parent)])
        try:
            text = doc.read_text(encoding="utf-8")
        except OSError:
            text = f"# 使用说明\n\n找不到说明文件 {doc}，请重新安装本程序。"
        self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(doc.parent) + "/"))
        self.browser.setMarkdown(text)
        self._fit_images()
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _fit_images(self, width: int = 760) -> None:
        """Screenshots are 1366 px wide: show them at a readable width, no sideways scrolling."""
        doc = self.browser.document()
        block = doc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                fmt = fragment.charFormat()
                if fmt.isImageFormat():
                    image = fmt.toImageFormat()
                    image.setWidth(width)
                    cursor = QTextCursor(doc)
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(
                        fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor
                    )
                    cursor.setCharFormat(image)
                it += 1
            block = block.next()
