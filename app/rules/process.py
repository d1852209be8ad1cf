"""The submission process (申报流程) of a project: where the company stands, what to do next,
by when, where and with what; and the figures of the 初审 print that the district stamped.

Pure functions of (guide, project data, today). Everything they say comes from the guide
file's ``[process]`` section; a guide without one has no process and these return nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from app.guide.model import Deadline, Guide, Place, Process, Stage
from app.model import ProjectData
from app.rules.evaluation import Evaluation, fmt_money

REVIEW, FINAL = "review", "final"
BUILD_STAGES: tuple[str, ...] = (REVIEW, FINAL)
REVIEW_MARK = "初审用"

_COUNTS = "零一两三四五六七八九十"


def copies(guide: Guide, stage: str) -> int:
    """Copies of a print the guide asks for (its ``[process]``); one without a process."""
    process = guide.process
    if process is None:
        return 1
    return max(1, process.review_copies if stage == REVIEW else process.final_copies)


def copies_word(n: int) -> str:
    """“两份”, “三份”: a count of copies as a Chinese form says it."""
    return f"{_COUNTS[n]}份" if 0 < n < len(_COUNTS) else f"{n}份"


def review_print_exists(guide: Guide) -> bool:
    """The guide has a stamping stage, hence a 初审 print (else only the final one)."""
    return guide.process is not None and guide.process.has_review_print


def current_stage(guide: Guide, data: ProjectData) -> Stage | None:
    """The furthest stage the project has recorded, or the first stage when none is."""
    process = guide.process
    if process is None:
        return None
    reached = [s for s in process.stages if s.id in data.stages]
    return reached[-1] if reached else process.stages[0]


def stage_reached(guide: Guide, data: ProjectData, stage_id: str | None) -> bool:
    """True when the project stands at ``stage_id`` or beyond it."""
    process = guide.process
    stage = current_stage(guide, data)
    if process is None or stage is None or stage_id is None:
        return False
    return process.index(stage.id) >= process.index(stage_id)


def chinese_date(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def missed_text(deadline: Deadline) -> str:
    """What the guide says of a missed deadline (its ``missed`` key), else nothing more than
    that it has passed: “期限（日期）已过。申报指南：逾期不予受理……”."""
    text = f"{deadline.title}（{chinese_date(deadline.date)}）已过。"
    if deadline.missed:
        text += f"申报指南：{deadline.missed}"
    return text


@dataclass(frozen=True)
class NextStep:
    stage: Stage  # where the company stands
    what: str  # the next step
    deadline: Deadline | None  # the guide's date for this step
    due: dt.date | None  # the guide's date (the deadline's)
    days_left: int | None  # days to the guide's date
    places: tuple[Place, ...]
    bring: tuple[str, ...]
    warning: str = ""  # the guide's date passed (and what the guide says of it)
    # The program's own advice, never the guide's: hand in this many days before the guide's
    # date (the district must *finish* its review by then), and a note when that is close.
    suggested: dt.date | None = None
    advice: str = ""  # the program's advice now (the suggested date close or passed)

    def when_text(self) -> str:
        """The guide's date for this step: “区商务部门完成初审：2019年2月18日前（还有 8 天）”."""
        if self.due is None or self.days_left is None:
            return ""
        date = chinese_date(self.due)
        if self.days_left > 0:
            left = f"还有 {self.days_left} 天"
        elif self.days_left == 0:
            left = "就是今天"
        else:
            left = f"已过 {-self.days_left} 天"
        title = f"{self.deadline.title}：" if self.deadline is not None else ""
        return f"{title}{date}前（{left}）"

    def suggestion_text(self) -> str:
        """The program's suggested hand-in date, said as its advice (empty when none)."""
        if self.suggested is None or self.due is None:
            return ""
        lead = (self.due - self.suggested).days
        where = "、".join(p.name for p in self.places) or "受理单位"
        return (
            f"{chinese_date(self.suggested)}前递交（本程序的建议，不是申报指南的规定：提前 {lead} 天，"
            f"给{where}留出办理时间；所需时间请向{where}确认）"
        )


def next_step(guide: Guide, data: ProjectData, today: dt.date) -> NextStep | None:
    process = guide.process
    stage = current_stage(guide, data)
    if process is None or stage is None:
        return None
    deadline = guide.deadline(stage.deadline) if stage.deadline else None
    due = days = suggested = None
    warning = advice = ""
    if deadline is not None:
        due = deadline.date
        days = (due - today).days
        lead = process.review_lead_days if stage.lead_days else 0
        if lead:
            suggested = due - dt.timedelta(days=lead)
        where = "、".join(process.place(p).name for p in stage.places) or "受理单位"
        if days < 0:
            warning = missed_text(deadline)
        elif suggested is not None and today > suggested:
            advice = (
                f"离{deadline.title}（{chinese_date(due)}）只剩 {days} 天，"
                f"请立即递交，并先向{where}确认办理所需时间。"
            )
        elif suggested is not None and (suggested - today).days <= 7:
            printed = "初审材料" if process.has_review_print else "申报材料"
            advice = (
                f"请尽快打印{printed}（{deadline.title}：{chinese_date(due)}前；"
                f"本程序建议至少提前 {lead} 天递交）。"
            )
    return NextStep(
        stage=stage,
        what=stage.next,
        deadline=deadline,
        due=due,
        days_left=days,
        places=tuple(process.place(p) for p in stage.places),
        bring=stage.bring,
        warning=warning,
        suggested=suggested,
        advice=advice,
    )


def place_lines(place: Place) -> list[str]:
    """A place as the guide gives it: name, address, contacts, e-mail, web address."""
    lines = [place.name]
    if place.address:
        lines.append(f"地址：{place.address}")
    lines += [f"联系人：{c}" for c in place.contacts]
    if place.email:
        lines.append(f"邮箱：{place.email}")
    if place.url:
        lines.append(f"网址：{place.url}")
    if place.detail:
        lines.append(place.detail)
    return lines


def next_step_lines(step: NextStep) -> list[str]:
    """The next step as plain lines (the window and the CLI show these)."""
    lines = [f"当前阶段：{step.stage.title}", f"下一步：{step.what}"]
    when = step.when_text()
    if when:
        lines.append(f"期限：{when}")
    suggestion = step.suggestion_text()
    if suggestion:
        lines.append(f"建议：{suggestion}")
    for place in step.places:
        lines.append("地点：" + "；".join(place_lines(place)))
    if step.bring:
        lines.append("携带：" + "；".join(step.bring))
    if step.warning:
        lines.append(f"注意：{step.warning}")
    if step.advice:
        lines.append(f"建议：{step.advice}")
    return lines


# -- the figures the district stamped ---------------------------------------------------------


def form_figures(guide: Guide, data: ProjectData, evaluation: Evaluation) -> dict[str, str]:
    """The figures printed on the 申请表: the items applied for and their amounts."""
    out = {"items": ",".join(evaluation.selected)}
    for item_id in evaluation.selected:
        r = evaluation.items[item_id]
        out[f"requested:{item_id}"] = str(r.requested_cny)
        out[f"ceiling:{item_id}"] = str(r.ceiling_cny)
    out["total"] = str(evaluation.total_requested_cny)
    return out


def figure_changes(guide: Guide, recorded: Mapping[str, str], now: Mapping[str, str]) -> list[str]:
    """What changed since the 初审 print, in Chinese, one line each (empty: nothing did)."""
    if not recorded:
        return []
    changes: list[str] = []

    def title(item_id: str) -> str:
        try:
            return guide.item(item_id).full_title
        except KeyError:
            return item_id

    old_items = [i for i in recorded.get("items", "").split(",") if i]
    new_items = [i for i in now.get("items", "").split(",") if i]
    for i in new_items:
        if i not in old_items:
            changes.append(f"新增了申报项目“{title(i)}”")
    for i in old_items:
        if i not in new_items:
            changes.append(f"取消了申报项目“{title(i)}”")
    for i in new_items:
        if i not in old_items:
            continue
        for key, label in (("requested", "申请金额"), ("ceiling", "支持上限")):
            before, after = recorded.get(f"{key}:{i}"), now.get(f"{key}:{i}")
            if before is not None and after is not None and _differs(before, after):
                changes.append(
                    f"“{title(i)}”的{label}由 {_money(before)} 元变为 {_money(after)} 元"
                )
    before, after = recorded.get("total"), now.get("total")
    if before is not None and after is not None and _differs(before, after):
        changes.append(f"申请金额合计由 {_money(before)} 元变为 {_money(after)} 元")
    return changes


def _differs(a: str, b: str) -> bool:
    try:
        return Decimal(a) != Decimal(b)
    except InvalidOperation:
        return a != b


def _money(text: str) -> str:
    try:
        return fmt_money(Decimal(text))
    except InvalidOperation:
        return text


def stamped_form_title(guide: Guide) -> str:
    process = guide.process
    if process is None or process.stamped_form is None:
        return ""
    return guide.document(process.stamped_form).title


def uses_stamped_form(process: Process | None, data: ProjectData) -> bool:
    """A final build puts the stamped scan in the generated form's place."""
    return (
        process is not None
        and process.stamped_form is not None
        and bool(data.files_for(process.stamped_form))
    )
