"""Before rows pasted (or imported) with a header row are added: which of the clerk's columns
goes to which column of the table (changeable), the rows that will be added as the table will
show them, and the rows that cannot be read with the reason, which can be copied back to
Excel. Nothing is added until the clerk presses 添加."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.entry.row_header import missing_columns
from app.entry.row_import import GridRows, remap_rows
from app.entry.values import display
from app.guide.model import Guide, TableSpec
from widgets.screen_fit import fit_to_screen

SKIP = "（不导入）"
SHOWN_ROWS = 500  # rows drawn in the preview; the count says how many there are


class PastePreview(QDialog):
    """The mapping and the outcome of a paste with a header row. ``got`` is what pressing
    添加 adds (it changes when the clerk picks another column for one of theirs)."""

    def __init__(
        self,
        table: TableSpec,
        got: GridRows,
        verb: str,
        guide: Guide | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.table = table
        self.got = got
        self.verb = verb
        self.guide = guide
        self.setObjectName("paste_preview")
        self.setWindowTitle(f"{verb}到“{table.title}”：请核对")

        self.summary = QLabel()
        self.summary.setObjectName("paste_preview_summary")
        self.summary.setWordWrap(True)

        self.mapping = QTableWidget(0, 3)
        self.mapping.setObjectName("paste_preview_mapping")
        self.mapping.setHorizontalHeaderLabels(["您的列（标题行）", "放到表格的列", "说明"])
        self.mapping.verticalHeader().setVisible(False)
        self.mapping.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        head = self.mapping.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.combos: list[QComboBox] = []
        self.positions: list[int] = []
        self.notes: list[QTableWidgetItem] = []
        self.texts: list[str] = []
        for cell in got.header_cells:
            if not cell.text:
                continue
            n = self.mapping.rowCount()
            self.mapping.insertRow(n)
            self.mapping.setItem(n, 0, QTableWidgetItem(cell.text))
            box = QComboBox()
            box.addItem(SKIP, None)
            for col in table.columns:
                box.addItem(col.label, col.id)
            box.setCurrentIndex(max(box.findData(cell.column_id), 0))
            box.currentIndexChanged.connect(self._remap)
            self.mapping.setCellWidget(n, 1, box)
            self.combos.append(box)
            self.positions.append(cell.position)
            note = QTableWidgetItem("")
            self.mapping.setItem(n, 2, note)
            self.notes.append(note)
            self.texts.append(cell.text)
        self.missing = QLabel()
        self.missing.setObjectName("paste_preview_missing")
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet("color: #8a5a00;")

        self.rows = QTableWidget(0, len(table.columns))
        self.rows.setObjectName("paste_preview_rows")
        self.rows.setHorizontalHeaderLabels([c.label for c in table.columns])
        self.rows.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rows.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.rows_label = QLabel()
        self.rows_label.setWordWrap(True)

        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #b3261e;")
        self.problems = QPlainTextEdit()
        self.problems.setObjectName("paste_preview_problems")
        self.problems.setReadOnly(True)
        self.copy_button = QPushButton("复制不能添加的行")
        self.copy_button.setToolTip(
            "把这些行（连同标题行）复制到剪贴板：在 Excel 中粘贴、改正后，可再粘贴到这里"
        )
        self.copy_button.clicked.connect(self.copy_rejected)

        self.buttons = QDialogButtonBox()
        self.add_button = self.buttons.addButton("添加", QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setObjectName("paste_preview_add")
        cancel = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setToolTip("不添加任何行")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(QLabel("<b>列的对应</b>（可在“放到表格的列”中更改）"))
        tl.addWidget(self.mapping, 1)
        tl.addWidget(self.missing)
        middle = QWidget()
        ml = QVBoxLayout(middle)
        ml.setContentsMargins(0, 0, 0, 0)
        ml.addWidget(self.rows_label)
        ml.addWidget(self.rows, 1)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.problems_label, 1)
        row.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignTop)
        bl.addLayout(row)
        bl.addWidget(self.problems, 1)
        self.bottom = bottom
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        for w in (top, middle, bottom):
            split.addWidget(w)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setStretchFactor(2, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addWidget(self.buttons)
        self._fill()
        self._fit()

    def _fit(self) -> None:
        fit_to_screen(self, 1100, 720)

    # -- the clerk picks another column ---------------------------------------------------------
    def _remap(self) -> None:
        columns: list[str | None] = [None] * len(self.got.header_cells)
        for box, position in zip(self.combos, self.positions, strict=True):
            columns[position] = box.currentData()
        self.got = remap_rows(self.table, self.got, columns, self.guide)
        self._fill()

    def choose(self, header_text: str, column_label: str | None) -> bool:
        """Map the clerk's column ``header_text`` to the table column ``column_label`` (None:
        not imported), as picking it in the list does."""
        for box, text in zip(self.combos, self.texts, strict=True):
            if text == header_text:
                pos = box.findText(column_label or SKIP)
                if pos < 0:
                    return False
                box.setCurrentIndex(pos)
                return True
        return False

    # -- showing the outcome --------------------------------------------------------------------
    def _fill(self) -> None:
        got, table = self.got, self.table
        by_position = {c.position: c for c in got.header_cells}
        for n, (box, position) in enumerate(zip(self.combos, self.positions, strict=True)):
            cell = by_position[position]
            box.blockSignals(True)
            box.setCurrentIndex(max(box.findData(cell.column_id), 0))
            box.blockSignals(False)
            note = self.notes[n]
            note.setText(cell.note or ("按列名" if cell.column_id else ""))
            note.setForeground(Qt.GlobalColor.darkGray if cell.column_id else Qt.GlobalColor.red)
        missing = missing_columns(table, got.header_cells)
        if missing:
            names = "、".join(f"“{c.label}”" for c in missing)
            self.missing.setText(
                f"表格的 {names} 在您的数据中没有对应的列：添加后这些格子是空的，请逐行填写，"
                "或在上面为它们选一列。"
            )
        self.missing.setVisible(bool(missing))

        n = len(got.rows)
        shown = got.rows[:SHOWN_ROWS]
        self.rows.setRowCount(len(shown))
        for r, values in enumerate(shown):
            for c, spec in enumerate(table.columns):
                item = QTableWidgetItem(display(spec, values.get(spec.id), self.guide))
                if spec.type in ("money", "decimal", "int"):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.rows.setItem(r, c, item)
        more = f"（下面列出前 {SHOWN_ROWS} 行）" if n > SHOWN_ROWS else ""
        self.rows_label.setText(f"<b>将添加的 {n} 行</b>{more}，按表格显示：")

        bad = got.skipped
        if bad:
            self.problems_label.setText(
                f"<b>{bad} 行不能添加</b>（有无法识别的内容；不会丢失：可复制到 Excel 改正后再粘贴）："
            )
            self.problems.setPlainText("\n".join(str(p) for p in got.problems))
        self.bottom.setVisible(bool(bad))
        self.add_button.setText(f"添加 {n} 行")
        self.add_button.setEnabled(n > 0)
        skipped = "、".join(f"第 {line} 行“{t}”" for line, t in got.titles)
        text = f"标题行之前的{skipped}不是数据，未导入。" if skipped else ""
        text += f"已按标题行的列名把您的 {len(self.combos)} 列对应到表格中。将添加 {n} 行"
        text += f"；{bad} 行不能添加（见下方）。" if bad else "。"
        text += "请核对对应关系和数据，按“添加”后才会添加（可按 Ctrl+Z 撤销）。"
        self.summary.setText(text)

    def copy_rejected(self) -> None:
        QGuiApplication.clipboard().setText(self.got.copy_text(self.table))
        self.copy_button.setText("已复制")
