"""外币折算率: see and edit the USD rate of every currency the project uses. Defaults are the
guide's (the SAFE 2018 year-end table); an edited rate is kept in the project file."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.values import ValueProblem, parse_decimal
from widgets.session import ProjectSession

CODE, NAME, DEFAULT, USED = range(4)


class RatesDialog(QDialog):
    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("外币折算率")
        self.resize(640, 480)
        layout = QVBoxLayout(self)
        note = QLabel(
            "非美元金额按国家外汇管理局公布的2018年度末《各种货币对美元折算率表》折算成美元。"
            "下表默认使用申报指南数据文件中的汇率；如与公布的折算率表不一致，请在“本项目使用”一列直接修改"
            "（双击单元格），清空即恢复默认。修改立即保存在项目文件中。"
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            ["币种", "名称", "指南默认（1单位=美元）", "本项目使用"]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.reset_button = QPushButton("恢复所选币种的默认汇率")
        self.reset_button.clicked.connect(self.reset_selected)
        layout.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignLeft)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._loading = False
        self.table.itemChanged.connect(self._edited)
        self.reload()

    def reload(self) -> None:
        self._loading = True
        try:
            overrides = self.session.data.rates
            self.table.setRowCount(len(self.session.guide.currencies))
            for row, cur in enumerate(self.session.guide.currencies):
                used = overrides.get(cur.code)
                cells = [
                    cur.code,
                    cur.name,
                    str(cur.usd_per_unit),
                    str(used if used else cur.usd_per_unit),
                ]
                for col, text in enumerate(cells):
                    item = QTableWidgetItem(text)
                    flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
                    if col == USED and cur.code != "USD":
                        flags |= Qt.ItemFlag.ItemIsEditable
                    item.setFlags(flags)
                    if col in (DEFAULT, USED):
                        item.setTextAlignment(
                            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                        )
                    if col == USED and used is not None and used != cur.usd_per_unit:
                        font = item.font()
                        font.setBold(True)
                        item.setFont(font)
                        item.setToolTip("已修改（与指南默认不同）")
                    self.table.setItem(row, col, item)
        finally:
            self._loading = False

    def _edited(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() != USED:
            return
        code = self.table.item(item.row(), CODE).text()  # type: ignore[union-attr]
        text = item.text().strip()
        self.message.clear()
        if not text:
            self.session.set_rate(code, None)
        else:
            try:
                rate = parse_decimal(text, f"{code} 的折算率")
            except ValueProblem as exc:
                self.message.setText(str(exc))
                self.reload()
                return
            if rate <= 0:
                self.message.setText(f"{code} 的折算率须大于 0。")
                self.reload()
                return
            default = self.session.guide.currency(code).usd_per_unit
            self.session.set_rate(code, None if rate == default else Decimal(rate))
        self.reload()

    def reset_selected(self) -> None:
        for index in self.table.selectionModel().selectedRows():
            code = self.table.item(index.row(), CODE).text()  # type: ignore[union-attr]
            self.session.set_rate(code, None)
        self.reload()
