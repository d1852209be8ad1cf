"""外币折算率: see, edit and add the rate of every currency the project uses, written the way
SAFE's year-end table quotes it. The guide file's rates are defaults to check against the
published table; an edited or added rate is kept in the project file."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.entry.values import ValueProblem, parse_decimal
from app.guide.model import Guide
from app.model import Rate
from app.rules.evaluation import Rates
from widgets.session import ProjectSession

CODE, NAME, QUOTE, DEFAULT, USED = range(5)

HOW = (
    "如不一致，在“本项目使用”一列直接修改（双击单元格），"
    "清空即恢复默认值。表中没有的币种可在下方添加。修改立即保存在项目文件中。"
)


def rates_note(guide: Guide) -> str:
    """What the dialog says of the rates: the guide's own words (its ``[conversion]``), then
    how to change them."""
    conv = guide.conversion
    if conv is not None and conv.note:
        head = conv.note
    else:
        head = f"“默认值”取自申报指南文件《{guide.title}》。"
    source = conv.rate_source if conv is not None and conv.rate_source else "公布的折算率表"
    return f"{head}请逐一与{source}核对：{HOW}"


QUOTES = (("per_usd", "1 美元合多少该币种"), ("usd_per", "每 N 单位该币种合多少美元"))


def quote_text(rate: Rate, name: str) -> str:
    """How the table writes the rate: “1 美元 = ? 人民币” or “100 日元 = ? 美元”."""
    if rate.quote == "per_usd":
        return f"1 美元 = ? {name}"
    return f"{rate.units} {name} = ? 美元"


class RatesDialog(QDialog):
    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("外币折算率")
        self.resize(760, 560)
        layout = QVBoxLayout(self)
        note = QLabel(rates_note(session.guide))
        note.setObjectName("rates_note")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            ["币种", "名称", "折算率表写法", "默认值（须核对）", "本项目使用"]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.reset_button = QPushButton("所选币种恢复默认值（添加的币种则删除）")
        self.reset_button.clicked.connect(self.reset_selected)
        layout.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignLeft)

        box = QGroupBox("添加折算率表中的其他币种")
        row = QHBoxLayout(box)
        self.new_code = QLineEdit()
        self.new_code.setPlaceholderText("代码，如 THB")
        self.new_code.setMaxLength(3)
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText("中文名称，如 泰铢")
        self.new_quote = QComboBox()
        for key, label in QUOTES:
            self.new_quote.addItem(label, key)
        self.new_units = QComboBox()
        for units in (1, 100):
            self.new_units.addItem(f"N = {units}", units)
        self.new_value = QLineEdit()
        self.new_value.setPlaceholderText("折算率")
        self.add_button = QPushButton("添加")
        self.add_button.clicked.connect(self.add_currency)
        for w in (
            self.new_code,
            self.new_name,
            self.new_quote,
            self.new_units,
            self.new_value,
            self.add_button,
        ):
            row.addWidget(w)
        layout.addWidget(box)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._loading = False
        self.table.itemChanged.connect(self._edited)
        self.reload()

    def _defaults(self) -> dict[str, Rate]:
        return {c.code: c.rate for c in self.session.guide.currencies}

    def reload(self) -> None:
        self._loading = True
        try:
            rates = Rates(self.session.guide, self.session.data.rates)
            defaults = self._defaults()
            own = self.session.data.rates
            self.table.setRowCount(len(rates.codes))
            for row, code in enumerate(rates.codes):
                used = rates.rate(code)
                default = defaults.get(code)
                name = rates.name(code)
                cells = [
                    code,
                    name,
                    quote_text(used, name),
                    str(default.value) if default is not None else "（表中新增）",
                    str(used.value),
                ]
                for col, text in enumerate(cells):
                    item = QTableWidgetItem(text)
                    flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
                    if col == USED and code != "USD":
                        flags |= Qt.ItemFlag.ItemIsEditable
                    item.setFlags(flags)
                    if col in (DEFAULT, USED):
                        item.setTextAlignment(
                            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                        )
                    if col == USED and code in own and own[code] != default:
                        font = item.font()
                        font.setBold(True)
                        item.setFont(font)
                        item.setToolTip("本项目填写（与默认值不同）")
                    self.table.setItem(row, col, item)
        finally:
            self._loading = False

    def _edited(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() != USED:
            return
        code = self.table.item(item.row(), CODE).text()  # type: ignore[union-attr]
        text = item.text().strip()
        self.message.clear()
        default = self._defaults().get(code)
        if not text:
            if default is not None:
                self.session.set_rate(code, None)
            self.reload()
            return
        value = self._value(text, code)
        if value is None:
            self.reload()
            return
        current = Rates(self.session.guide, self.session.data.rates).rate(code)
        rate = Rate(value, current.quote, current.units, current.name)
        self.session.set_rate(code, None if rate == default else rate)
        self.reload()

    def _value(self, text: str, code: str) -> Decimal | None:
        try:
            value = parse_decimal(text, f"{code} 的折算率")
        except ValueProblem as exc:
            self.message.setText(str(exc))
            return None
        if value <= 0:
            self.message.setText(f"{code} 的折算率须大于 0。")
            return None
        return value

    def add_currency(self) -> None:
        code = self.new_code.text().strip().upper()
        name = self.new_name.text().strip()
        self.message.clear()
        if len(code) != 3 or not code.isascii() or not code.isalpha():
            self.message.setText("币种代码应为三个英文字母，如 THB。")
            return
        if Rates(self.session.guide, self.session.data.rates).known(code):
            self.message.setText(f"{code} 已在表中，请直接修改它的折算率。")
            return
        if not name:
            self.message.setText("请填写币种的中文名称。")
            return
        value = self._value(self.new_value.text().strip(), code)
        if value is None:
            return
        quote = self.new_quote.currentData()
        units = int(self.new_units.currentData()) if quote == "usd_per" else 1
        self.session.set_rate(code, Rate(value, quote, units, name))
        for w in (self.new_code, self.new_name, self.new_value):
            w.clear()
        self.reload()

    def reset_selected(self) -> None:
        for index in self.table.selectionModel().selectedRows():
            code = self.table.item(index.row(), CODE).text()  # type: ignore[union-attr]
            self.session.set_rate(code, None)
        self.reload()
