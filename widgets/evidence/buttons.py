"""The row of buttons above the 材料 page's file list."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton


class DocumentButtons:
    """Add files / folder, remove, rotate left / right, and (at the far end) the Word template;
    ``row`` is the layout holding them. The page connects and enables them."""

    def __init__(self) -> None:
        self.row = QHBoxLayout()
        self.add = QPushButton("添加文件…")
        self.add.setToolTip("选择一个或多个扫描件、图片或PDF（Insert）")
        self.add_folder = QPushButton("添加文件夹…")
        self.add_folder.setToolTip("添加文件夹中的全部文件，按文件名顺序")
        self.remove = QPushButton("移除")
        self.remove.setToolTip("移除所选文件（Delete），可用 Ctrl+Z 撤销")
        self.rotate_left = QPushButton("⟲")
        self.rotate_left.setToolTip("所选页面向左旋转90°（Ctrl+L）")
        self.rotate_left.setAccessibleName("向左旋转")
        self.rotate_right = QPushButton("⟳")
        self.rotate_right.setToolTip("所选页面向右旋转90°（Ctrl+R）")
        self.rotate_right.setAccessibleName("向右旋转")
        self.template = QPushButton("生成Word模板并打开")
        self.template.setToolTip("生成已填好企业信息的Word模板，填写、签名盖章后扫描添加到这里")
        for b in (self.rotate_left, self.rotate_right):
            b.setFixedWidth(40)
        for b in (self.add, self.add_folder, self.remove, self.rotate_left, self.rotate_right):
            self.row.addWidget(b)
        self.row.addStretch(1)
        self.row.addWidget(self.template)
