"""企业信息: the company's data, checked as typed, messages inline next to each field."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.files import company_name_notice
from app.model import COMPANY_FIELDS
from app.rules.company import (
    check_credit_code,
    check_district,
    check_email,
    check_phone,
    normalise_credit_code,
    split_other_district,
)
from widgets.pages.base import Page
from widgets.session import ProjectSession
from widgets.wrapped_label import WrappedLabel

HINTS = {
    "name": "与营业执照一致的企业全称；Excel 文件将以它命名",
    "credit_code": "18位，见营业执照",
    "address": "注册地址",
    "phone": "手机号码，或带区号的固定电话（如 0756-1234567，分机写在“转”之后）",
    "account": "收款账号",
}
OTHER = "__other__"  # the district combo's data for 其他 (a district the guide file does not list)


OPTIONAL = ("email", "bank", "account")  # the fields without a * (all others are required)


class CompanyPage(Page):
    title = "企业信息"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no invisible Tab stop before 企业全称
        outer.addWidget(scroll)
        self.scroll_area = scroll
        body = QWidget()
        body.setMaximumWidth(900)  # long lines are hard to read on wide screens
        scroll.setWidget(body)
        form = QFormLayout(body)
        form.setContentsMargins(24, 24, 24, 24)
        form.setVerticalSpacing(2)  # each field keeps a line for its message below
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.editors: dict[str, QLineEdit | QComboBox] = {}
        self.messages: dict[str, QLabel] = {}
        self.labels: dict[str, str] = {}
        self._emptied: set[str] = set()  # required fields the clerk has emptied
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(400)
        self._timer.timeout.connect(self._save_all)
        self._loading = False
        heading = QLabel("企业信息")
        heading.setObjectName("company_heading")
        heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        form.addRow(heading)
        hint = WrappedLabel(
            "按营业执照和开户许可证填写，带 * 的必须填写；输入即自动保存，"
            "这些信息将用于封面、申请表和 Excel 文件。"
        )
        hint.setObjectName("company_hint")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5f6368; margin-bottom: 8px;")
        form.addRow(hint)
        for fid, label in COMPANY_FIELDS:
            editor: QLineEdit | QComboBox
            if fid == "district":
                editor = QComboBox()
                editor.setEditable(False)
                editor.currentIndexChanged.connect(lambda _i, f=fid: self._save(f))
            else:
                editor = QLineEdit()
                editor.setPlaceholderText(HINTS.get(fid, ""))
                editor.textEdited.connect(lambda _t, f=fid: self._edited(f))
                editor.editingFinished.connect(lambda f=fid: self._save(f))
                editor.returnPressed.connect(self._next_field)  # Enter moves on, as in forms
            editor.setObjectName(f"company_{fid}")
            editor.setAccessibleName(label)
            message = WrappedLabel()
            message.setObjectName(f"company_{fid}_message")
            message.setWordWrap(True)
            message.setStyleSheet("color: #b3261e;")
            # One line is kept for the message: it does not push the fields below down.
            policy = message.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            message.setSizePolicy(policy)
            message.setText("测")
            message.setMinimumHeight(message.sizeHint().height())
            message.setText("")
            message.hide()
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(editor)
            if fid == "district":
                self.district_other = QLineEdit()
                self.district_other.setObjectName("company_district_other")
                self.district_other.setAccessibleName("其他区（经济功能区）名称")
                self.district_other.setPlaceholderText("所在区（经济功能区）的名称")
                self.district_other.editingFinished.connect(lambda: self._save("district"))
                self.district_other.hide()
                box.addWidget(self.district_other)
            box.addWidget(message)
            self.labels[fid] = label
            star = "<span style='color:#b3261e'>*</span>" if fid not in OPTIONAL else ""
            form.addRow(QLabel(f"{label}{star}："), box)
            self.editors[fid] = editor
            self.messages[fid] = message

        # The guide's own company fields (企业规模, 申报主体类型…): built for the open guide.
        self.own_box = QGroupBox("申报指南要求的其他企业信息")
        self.own_box.setObjectName("company_own_fields")
        self.own_form = QFormLayout(self.own_box)
        self.own_box.hide()
        self._own_ids: tuple[str, ...] = ()
        form.addRow(self.own_box)

        # The guide's 申请对象和条件, confirmed by the user as a declaration.
        self.conditions_box = QGroupBox("申请条件（申报指南“一、申请对象和条件”）")
        self.conditions_box.setObjectName("company_conditions")
        conditions = QVBoxLayout(self.conditions_box)
        self.conditions_text = WrappedLabel()
        self.conditions_text.setObjectName("company_conditions_text")
        self.conditions_text.setWordWrap(True)
        self.conditions_text.setTextFormat(Qt.TextFormat.RichText)
        conditions.addWidget(self.conditions_text)
        self.declaration = QCheckBox("本单位确认符合以上申请条件")
        self.declaration.setObjectName("company_declaration")
        self.declaration.toggled.connect(self._declared)
        conditions.addWidget(self.declaration)
        form.addRow(self.conditions_box)

    def set_session(self, session: ProjectSession | None) -> None:
        if self.session is not None and session is not self.session:
            self.flush()  # what is being typed belongs to the project being left
        if session is not self.session:
            self._emptied.clear()
        super().set_session(session)

    # -- data -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.session is None:
            return
        self._loading = True
        try:
            company = self.session.data.company
            guide = self.session.guide
            combo = self.editors["district"]
            assert isinstance(combo, QComboBox)
            if combo.count() == 0:
                combo.addItem("（请选择）", "")
                for d in guide.districts:
                    combo.addItem(d, d)
                if guide.district_other:
                    combo.addItem(f"{guide.district_other}（请填写名称）", OTHER)
            self._build_own_fields()
            for fid, editor in self.editors.items():
                value = company.get(fid)
                if isinstance(editor, QLineEdit):
                    # Only what is being typed (changed since the last save) is kept: the
                    # field focused on opening still follows undo and other windows.
                    typing = editor.hasFocus() and editor.isModified()
                    if editor.text() != value and not typing:
                        editor.setText(value)
                elif fid == "district":
                    other = split_other_district(value, guide.district_other)
                    index = editor.findData(OTHER if other is not None else value)
                    editor.setCurrentIndex(max(index, 0))
                    if other is not None and not self.district_other.hasFocus():
                        self.district_other.setText(other)
                else:  # a choice among the guide's own company fields
                    editor.setCurrentIndex(max(editor.findData(value), 0))
            self.district_other.setVisible(combo.currentData() == OTHER)
            self._show_conditions()
            for fid in self.editors:
                self._check(fid)
        finally:
            self._loading = False

    def _build_own_fields(self) -> None:
        """Editors for the open guide's ``company_fields`` (rebuilt when the guide changes)."""
        assert self.session is not None
        specs = self.session.guide.company_fields
        if tuple(f.id for f in specs) == self._own_ids:
            return
        for fid in self._own_ids:
            self.editors.pop(fid, None)
            self.messages.pop(fid, None)
        while self.own_form.rowCount():
            self.own_form.removeRow(0)
        for spec in specs:
            editor: QLineEdit | QComboBox
            if spec.type == "choice":
                editor = QComboBox()
                editor.addItem("（请选择）", "")
                for key, label in spec.choices:
                    editor.addItem(label, key)
                editor.currentIndexChanged.connect(lambda _i, f=spec.id: self._save(f))
            else:
                editor = QLineEdit()
                editor.setPlaceholderText(spec.help)
                editor.textEdited.connect(lambda _t, f=spec.id: self._edited(f))
                editor.editingFinished.connect(lambda f=spec.id: self._save(f))
                editor.returnPressed.connect(self._next_field)
            editor.setObjectName(f"company_{spec.id}")
            editor.setAccessibleName(spec.label)
            message = WrappedLabel()
            message.setObjectName(f"company_{spec.id}_message")
            message.setStyleSheet("color: #b3261e;")
            message.hide()
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(editor)
            box.addWidget(message)
            star = "<span style='color:#b3261e'>*</span>" if spec.required else ""
            self.own_form.addRow(QLabel(f"{spec.label}{star}："), box)
            self.editors[spec.id] = editor
            self.messages[spec.id] = message
        self._own_ids = tuple(f.id for f in specs)
        self.own_box.setVisible(bool(specs))

    def _show_conditions(self) -> None:
        assert self.session is not None
        guide = self.session.guide
        self.conditions_box.setVisible(bool(guide.conditions))
        lines = []
        for n, c in enumerate(guide.conditions, start=1):
            proof = ""
            if c.document is not None:
                proof = f"<br><span style='color:#555'>证明材料：{guide.document(c.document).title}</span>"
            lines.append(f"{n}. {c.text}{proof}")
        self.conditions_text.setText("<br>".join(lines))
        self.declaration.setChecked(self.session.data.declaration_confirmed)

    def _declared(self, checked: bool) -> None:
        if self._loading or self.stale or not self.alive():
            return
        assert self.session is not None
        self.session.set_declaration_confirmed(checked)

    def _value(self, fid: str) -> str:
        editor = self.editors[fid]
        if isinstance(editor, QComboBox):
            data = str(editor.currentData() or "")
            if data == OTHER and self.session is not None:
                return f"{self.session.guide.district_other}：{self.district_other.text().strip()}"
            return data
        text = editor.text().strip()
        return normalise_credit_code(text) if fid == "credit_code" else text

    def _edited(self, fid: str) -> None:
        if fid not in OPTIONAL and not self._value(fid):
            self._emptied.add(fid)  # a required field the clerk has just emptied
        self._check(fid, typing=True)
        self._timer.start()

    def _save_all(self) -> None:
        for fid in self.editors:
            self._save(fid)

    def _save(self, fid: str) -> None:
        # Stale: the fields still show another project (or none) until the page loads this one
        if self._loading or self.stale or not self.alive():
            return
        assert self.session is not None
        self.session.set_company_field(fid, self._value(fid))
        editor = self.editors[fid]
        if isinstance(editor, QLineEdit):
            editor.setModified(False)  # saved: no longer "being typed"
        self._check(fid)

    def _check(self, fid: str, typing: bool = False) -> None:
        value = self._value(fid)
        msg: str | None = None
        if fid == "credit_code":
            if value and not (typing and len(value) < 18):
                msg = check_credit_code(value)
        elif fid == "phone" and value:
            msg = check_phone(value)
        elif fid == "email":
            msg = check_email(value)
        elif fid == "district" and self.session is not None:
            combo = self.editors["district"]
            assert isinstance(combo, QComboBox)
            self.district_other.setVisible(combo.currentData() == OTHER)
            guide = self.session.guide
            if split_other_district(value, guide.district_other) is not None:
                msg = check_district(
                    value,
                    guide.districts,
                    guide.district_other,
                    guide.district_note,
                    guide.districts_from_guide,
                )
        elif fid == "name" and value:
            msg = company_name_notice(value)
        if value:
            self._emptied.discard(fid)
        elif fid in self._emptied:
            msg = f"“{self.labels[fid]}”是必填项，不能为空，请填写。"
        label = self.messages[fid]
        label.setText(msg or "")
        label.setVisible(bool(msg))

    def _next_field(self) -> None:
        self.focusNextChild()

    def first_field(self) -> QWidget | None:
        return self.editors["name"]

    def focus_where(self, where: str) -> bool:
        self.ensure_loaded()
        if where == "company.declaration":
            self.scroll_area.ensureWidgetVisible(self.declaration)
            self.declaration.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        if where.startswith("company."):
            fid = where.split(".", 1)[1]
            editor = self.editors.get(fid)
            if editor is not None:
                editor.setFocus(Qt.FocusReason.OtherFocusReason)
                if isinstance(editor, QLineEdit):
                    editor.selectAll()
                return True
        return False

    def flush(self) -> None:
        """Save whatever is being typed (before leaving the page or closing)."""
        if self._timer.isActive():
            self._timer.stop()
        self._save_all()
