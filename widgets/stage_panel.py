"""申报进度: where the company stands in the guide's submission process, the next step, by when,
where and what to bring; and recording that a step was done. Shown on the start page and the
输出 page. Everything it says comes from the guide file's ``[process]`` (app.rules.process)."""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.entry.values import ValueProblem
from app.rules.process import NextStep, current_stage, next_step, place_lines
from widgets.date_edit import DateLineEdit
from widgets.session import ProjectSession
from widgets.wrapped_label import WrappedLabel

RED = "#b3261e"
AMBER = "#8a5a00"


def step_html(step: NextStep) -> str:
    """The next step as rich text: what, by the guide's date (red when passed, amber when
    close), the program's suggestion (labelled 建议, never red), where, what to bring, and the
    warning."""
    parts = [f"<b>下一步：</b>{escape(step.what)}"]
    when = step.when_text()
    if when:
        color = ""
        if step.days_left is not None and step.days_left < 0:
            color = RED
        elif step.days_left is not None and step.days_left <= 7:
            color = AMBER
        text = escape(when)
        if color:
            text = f"<span style='color:{color}'><b>{text}</b></span>"
        parts.append(f"<b>期限：</b>{text}")
    suggestion = step.suggestion_text()
    if suggestion:
        parts.append(f"<b>建议：</b>{escape(suggestion)}")
    for place in step.places:
        parts.append("<b>地点：</b>" + "；".join(escape(x) for x in place_lines(place)))
    if step.bring:
        parts.append("<b>携带：</b>" + "；".join(escape(b) for b in step.bring))
    if step.warning:
        parts.append(f"<span style='color:{RED}'><b>注意：</b>{escape(step.warning)}</span>")
    if step.advice:
        parts.append(f"<span style='color:{AMBER}'><b>建议：</b>{escape(step.advice)}</span>")
    return "<br>".join(parts)


class StagePanel(QGroupBox):
    """The project's stage and next step, with a way to record a step as done."""

    def __init__(self, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__("申报进度", parent)
        self.today = today
        self.session: ProjectSession | None = None
        layout = QVBoxLayout(self)
        self.stage_label = QLabel()
        self.stage_label.setObjectName("stage_label")
        font = self.stage_label.font()
        font.setBold(True)
        self.stage_label.setFont(font)
        layout.addWidget(self.stage_label)
        self.next_label = WrappedLabel()
        self.next_label.setObjectName("next_step")
        self.next_label.setWordWrap(True)
        self.next_label.setTextFormat(Qt.TextFormat.RichText)
        self.next_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.next_label.setOpenExternalLinks(False)
        layout.addWidget(self.next_label)

        row = QHBoxLayout()
        row.addWidget(QLabel("记录进度："))
        self.stage_combo = QComboBox()
        self.stage_combo.setObjectName("stage_combo")
        self.date_edit = DateLineEdit(start=today)
        self.date_edit.set_date(today)
        self.date_edit.returnPressed.connect(self.record)
        self.record_button = QPushButton("记录")
        self.record_button.setObjectName("record_stage")
        self.record_button.clicked.connect(self.record)
        row.addWidget(self.stage_combo, 1)
        row.addWidget(QLabel("日期："))
        row.addWidget(self.date_edit)
        row.addWidget(self.record_button)
        layout.addLayout(row)
        self.date_problem = WrappedLabel()
        self.date_problem.setObjectName("stage_date_problem")
        self.date_problem.setWordWrap(True)
        self.date_problem.setStyleSheet(f"color: {RED};")
        self.date_problem.hide()
        self.date_edit.textEdited.connect(lambda _t: self.date_problem.hide())
        layout.addWidget(self.date_problem)
        self.refresh()

    def set_session(self, session: ProjectSession | None, *, refresh: bool = True) -> None:
        """``refresh``: show it now (else the page holding the panel refreshes it when it
        loads the project; without a project the panel hides at once)."""
        self.session = session
        if refresh or session is None:
            self.refresh()

    def refresh(self) -> None:
        session = self.session
        process = session.guide.process if session is not None else None
        self.setVisible(session is not None and process is not None)
        if session is None or process is None:
            return
        data = session.data
        stage = current_stage(session.guide, data)
        step = next_step(session.guide, data, self.today)
        assert stage is not None and step is not None
        reached = data.stages.get(stage.id)
        since = f"（{reached.isoformat()}）" if reached else ""
        self.stage_label.setText(f"当前阶段：{stage.title}{since}")
        html = step_html(step)
        if step.stage.originals:
            from app.outputs.originals_list import originals_checklist

            lines = originals_checklist(session.guide, data)
            html += (
                f"<br><b>原件：</b>原件核对清单共 {len(lines)} 项（见“检查”页的“原件核对清单”，"
                "或输出文件夹中的“原件核对清单.pdf”），请逐项打勾后带齐。"
            )
        self.next_label.setText(html)
        self.stage_combo.blockSignals(True)
        self.stage_combo.clear()
        for s in process.stages:
            done = data.stages.get(s.id)
            label = f"{s.title}（{done.isoformat()}）" if done else s.title
            self.stage_combo.addItem(label, s.id)
        following = min(process.index(stage.id) + 1, len(process.stages) - 1)
        self.stage_combo.setCurrentIndex(following)
        self.stage_combo.blockSignals(False)

    def record(self) -> None:
        if self.session is None or self.session.store.closed:
            return
        stage_id = self.stage_combo.currentData()
        if not stage_id:
            return
        try:
            date = self.date_edit.date()
        except ValueProblem as exc:
            date, problem = None, str(exc)
        else:
            problem = "" if date is not None else "请填写日期（如 2019-02-02）。"
        if date is None:
            self.date_problem.setText(problem)
            self.date_problem.show()
            self.date_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.date_problem.hide()
        self.session.set_stage(str(stage_id), date)
