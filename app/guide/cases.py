"""A guide file's own test cases (``[[tests]]``), run through the real rules and findings.

Each case is a small company: item inputs, table rows, the items it applies for, and what the
guide's text says must come out: eligibility, ceiling and requested amount per item, rows
counted, and the blocking findings of the rules. ``guide test FILE`` runs them (see
docs/指南文件编写说明.md)::

    [[tests]]
    name = "在岸外包：执行金额恰为100万美元，第一档5万元"
    inputs = { outsourcing_onshore = { reported_on_platform = true } }
    rows = { contracts = [
      { name = "甲", client = "乙", scope = "onshore", currency = "USD", execution_amount = 1000000 },
    ] }
    expect = { outsourcing_onshore = { eligible = true, ceiling = 50000 } }

A row with ``repeat = N`` stands for N rows (a roster of 200 trainees), ``{n}`` in its text
replaced by 1..N so that each row is its own (``name = "学员{n}"``).

The cases may also stand in a companion file named by ``tests_file`` (its ``[[tests]]``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.guide.model import FieldSpec, Guide
from app.guide.problems import FILE_KEY, Context, Problem, parse_toml, read_text, sorted_problems
from app.guide.reader import Node, decimal_of
from app.model import ProjectData, Row, Value
from app.system.errors import GuideError

REPEAT_KEY = "repeat"  # a case's row standing for N rows
MAX_REPEAT = 10_000

# The families of findings a case may expect: the rules' own (items, rows, tables), not the
# company's details, documents or dates.
RULE_FAMILIES = ("item.", "items.", "table.", "row.")
EXPECT_KEYS = ("eligible", "ceiling", "requested", "counted", "reason")


@dataclass(frozen=True)
class Case:
    number: int  # 1-based, in file order
    name: str
    line: int | None
    source: str  # the file it stands in
    data: ProjectData
    expect: dict[str, dict[str, Any]]
    blocking: tuple[str, ...] | None


@dataclass(frozen=True)
class CaseResult:
    case: Case
    failures: tuple[str, ...] = field(default=())

    @property
    def passed(self) -> bool:
        return not self.failures

    def line(self) -> str:
        c = self.case
        at = f"（第 {c.line} 行）" if c.line is not None else ""
        head = f"{'通过' if self.passed else '失败'}　第 {c.number} 例{at}：{c.name}"
        return head + ("" if self.passed else " —— " + "；".join(self.failures))


def read_cases(guide: Guide, path: Path, data: dict[str, Any], ctx: Context) -> list[Case]:
    """The cases of a guide file (and of its ``tests_file``); problems go to ``ctx``."""
    root = Node(ctx, "", data)
    cases = [_case(guide, n, ctx.source) for n in root.nodes("tests", required=False)]
    companion = data.get("tests_file")
    if isinstance(companion, str) and companion:
        other = path.parent / companion
        text = read_text(other)
        octx = Context(str(other), text)
        odata = parse_toml(text, str(other))
        oroot = Node(octx, "", odata)
        cases += [_case(guide, n, str(other)) for n in oroot.nodes("tests")]
        oroot.done()
        # the companion's own lines, named by its file
        ctx.problems.extend(
            Problem(p.line, f"{other.name} 的 {p.key}", p.message) for p in octx.problems
        )
    return [c for c in cases if c is not None]


def _case(guide: Guide, n: Node, source: str) -> Case | None:
    ctx = n.ctx
    before = len(ctx.problems)
    name = n.text("name")
    inputs: dict[str, dict[str, Value]] = {}
    inputs_node = n.node("inputs", required=False)
    if inputs_node is not None:
        for item_id, fields in inputs_node.named_nodes_self():
            if item_id not in guide.item_ids:
                inputs_node.problem(item_id, f"未知的项目 {item_id}")
                continue
            inputs[item_id] = _values_of(
                fields, guide.item(item_id).input, f"项目 {item_id} 的输入", guide
            )
        inputs_node.used.update(inputs_node.data)
        inputs_node.done()

    tables: dict[str, tuple[Row, ...]] = {}
    rows_node = n.node("rows", required=False)
    if rows_node is not None:
        for table_id in rows_node.data:
            if table_id not in {t.id for t in guide.tables}:
                rows_node.problem(table_id, f"未知的表 {table_id}")
                rows_node.used.add(table_id)
                continue
            tspec = guide.table(table_id)
            rows: list[Row] = []
            for row in rows_node.nodes(table_id):
                repeat = _repeat_of(row) if REPEAT_KEY in row.data else 1
                row.used.add(REPEAT_KEY)
                vals = _values_of(row, tspec.column, f"表 {table_id} 的列", guide, skip=REPEAT_KEY)
                for copy in range(1, repeat + 1):
                    numbered = {
                        k: v.replace("{n}", str(copy)) if isinstance(v, str) else v
                        for k, v in vals.items()
                    }
                    rows.append(Row(id=f"{table_id}-{len(rows) + 1}", values=numbered))
            tables[table_id] = tuple(rows)
        rows_node.done()

    requested: dict[str, Decimal] = {}
    req_node = n.node("requested", required=False)
    if req_node is not None:
        for item_id in req_node.data:
            if item_id not in guide.item_ids:
                req_node.problem(item_id, f"未知的项目 {item_id}")
            amount = req_node.amount(item_id)
            if amount is not None:
                requested[item_id] = amount
        req_node.done()

    expect: dict[str, dict[str, Any]] = {}
    expect_node = n.node("expect", required=False)
    if expect_node is not None:
        for item_id, e in expect_node.named_nodes_self():
            if item_id not in guide.item_ids:
                expect_node.problem(item_id, f"未知的项目 {item_id}")
                continue
            got: dict[str, Any] = {}
            if "eligible" in e.data:
                got["eligible"] = e.flag("eligible")
            for key in ("ceiling", "requested"):
                if key in e.data:
                    got[key] = e.amount(key)
            if "counted" in e.data:
                got["counted"] = e.integer("counted")
            if "reason" in e.data:
                got["reason"] = e.text("reason")
            e.done()
            expect[item_id] = got
        expect_node.used.update(expect_node.data)
        expect_node.done()

    blocking = n.str_list("blocking", required=False) if "blocking" in n.data else None
    selected = n.str_list("selected", required=False)
    for item_id in selected:
        if item_id not in guide.item_ids:
            n.problem("selected", f"未知的项目 {item_id}")
    if not expect and blocking is None:
        n.problem("expect", "用例须写明预期结果（expect 或 blocking）")
    n.done()
    if len(ctx.problems) > before:
        return None
    chosen = set(selected) if selected else set(expect) | set(inputs)
    data = ProjectData(
        guide_id=guide.id,
        selected=tuple(i for i in guide.item_ids if i in chosen),
        inputs=inputs,
        tables=tables,
        requested=requested,
        declaration_confirmed=True,
    )
    number = (n.parts[-1] if isinstance(n.parts[-1], int) else 0) + 1
    line = ctx.line(n.parts)
    return Case(number, name, line, source, data, expect, blocking)


def _coerce(node: Node, key: str, spec: Any, guide: Guide) -> Value | None:
    from app.entry.values import ValueProblem, coerce

    raw = node.data[key]
    if isinstance(raw, float):  # 999999.99 as TOML reads it: keep the digits as written
        raw = decimal_of(node, key, raw)
    try:
        return coerce(spec, raw, guide)
    except ValueProblem as exc:
        node.problem(key, str(exc))
        return None


def run_case(guide: Guide, case: Case) -> CaseResult:
    """Evaluate a case with the program's rules and findings; each mismatch is a failure."""
    from app.rules.evaluation import evaluate, fmt_money
    from app.rules.findings import validate

    ev = evaluate(guide, case.data)
    failures: list[str] = []
    for item_id, want in case.expect.items():
        res = ev.items[item_id]
        title = guide.item(item_id).title
        if "eligible" in want and res.eligible != want["eligible"]:
            why = "；".join(res.reasons)
            failures.append(
                f"{title}：应{'符合' if want['eligible'] else '不符合'}条件，"
                f"实为{'符合' if res.eligible else '不符合'}" + (f"（{why}）" if why else "")
            )
        for key, label, actual in (
            ("ceiling", "支持上限", res.ceiling_cny),
            ("requested", "申请金额", res.requested_cny),
        ):
            if key in want and actual != want[key]:
                failures.append(
                    f"{title}：{label}应为 {fmt_money(want[key])} 元，实为 {fmt_money(actual)} 元"
                )
        if "counted" in want:
            counted = sum(1 for r in res.rows if r.counted)
            if counted != want["counted"]:
                failures.append(f"{title}：应计入 {want['counted']} 行，实为 {counted} 行")
        if "reason" in want and not any(want["reason"] in r for r in res.reasons):
            failures.append(
                f"{title}：说明中应有“{want['reason']}”，实为“{'；'.join(res.reasons)}”"
            )
    if case.blocking is not None:
        today = min((d.date for d in guide.deadlines), default=guide.period_end)
        found = validate(guide, case.data, ev, today=today - dt.timedelta(days=30))
        got = {f.code for f in found if f.blocking and f.code.startswith(RULE_FAMILIES)}
        want_codes = set(case.blocking)
        if got != want_codes:
            missing, extra = sorted(want_codes - got), sorted(got - want_codes)
            parts = []
            if missing:
                parts.append("缺少 " + "、".join(missing))
            if extra:
                texts = [f.message for f in found if f.code in extra and f.blocking]
                parts.append("多出 " + "、".join(extra) + "（" + "；".join(texts) + "）")
            failures.append("必须解决的问题不符：" + "，".join(parts))
    return CaseResult(case, tuple(failures))


def run_guide_tests(path: Path) -> tuple[list[CaseResult], list[Problem]]:
    """Load a guide file and run its cases. Problems (of the guide or of its cases) come
    back instead of results: a guide that does not load cannot be tested."""
    from app.guide.loader import check_guide

    guide, problems, _ = check_guide(path)
    if guide is None:
        return [], problems
    problems = case_problems(guide, path, read_text(path))
    if problems:
        return [], sorted_problems(problems)
    text = read_text(path)
    cases = read_cases(guide, path, parse_toml(text, str(path)), Context(str(path), text))
    return [run_case(guide, c) for c in cases], []


def case_problems(guide: Guide, path: Path, text: str) -> list[Problem]:
    """The problems of a guide's cases (for ``guide check``)."""
    ctx = Context(str(path), text)
    try:
        read_cases(guide, path, parse_toml(text, str(path)), ctx)
    except GuideError as exc:  # a companion file that cannot be read
        where = "" if exc.key == FILE_KEY else f"{exc.key}："
        line = ctx.line(("tests_file",))
        ctx.problems.append(Problem(line, "tests_file", f"{exc.path}：{where}{exc.reason}"))
    return ctx.problems


def _values_of(
    node: Node,
    spec_of: Callable[[str], FieldSpec],
    what: str,
    guide: Guide,
    skip: str = "",
) -> dict[str, Value]:
    """The values of ``node``'s keys, each read as its field (``spec_of``, KeyError for an
    unknown one: a problem naming ``what`` it is not)."""
    values: dict[str, Value] = {}
    for fid in node.data:
        node.used.add(fid)
        if fid == skip:
            continue
        try:
            fspec = spec_of(fid)
        except KeyError:
            node.problem(fid, f"{fid} 不是{what}")
            continue
        value = _coerce(node, fid, fspec, guide)
        if value is not None:
            values[fid] = value
    return values


def _repeat_of(row: Node) -> int:
    value = row.data.get(REPEAT_KEY)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_REPEAT:
        row.problem(REPEAT_KEY, f"repeat 应为 1 到 {MAX_REPEAT} 之间的整数（这一行代表多少行）")
        return 1
    return value
