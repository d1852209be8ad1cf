"""Reading one TOML table of a guide file: typed getters that know their key path, and a final
check that no unknown key was left over (a typo must not pass silently)."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from app.guide.problems import FILE_KEY, Context
from app.system.errors import GuideError


class Node:
    """A TOML table being read: typed getters that know their key path, and a final
    check that no unknown key was left over (a typo must not pass silently).

    A wrong or missing value is recorded in the shared :class:`Context` and the getter returns
    a neutral value, so that one reading reports every such problem; the loader raises once
    at the end. ``fail`` makes a GuideError for a check of the loader's own (raised, and
    recorded by the enclosing ``ctx.guard``)."""

    def __init__(
        self,
        source: str | Context,
        path: str = "",
        data: Any = None,
        parts: tuple[str | int, ...] = (),
    ) -> None:
        self.ctx = source if isinstance(source, Context) else Context(source)
        self.source = self.ctx.source
        self.path = path  # as a person counts: items[第3个：talent_training].ceiling
        self.parts = parts  # as the data counts: ("items", 2, "ceiling")
        if not isinstance(data, Mapping):
            raise self.ctx.error(parts, path or FILE_KEY, "应为表（table）")
        self.data: Mapping[str, Any] = data
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def fail(self, name: str, reason: str) -> GuideError:
        return self.ctx.error((*self.parts, *name.split(".")), self.key(name), reason)

    def problem(self, name: str, reason: str) -> None:
        """Record a problem of ``name`` and go on reading."""
        self.ctx.record(self.fail(name, reason))

    def warn(self, name: str, reason: str) -> None:
        self.ctx.warn((*self.parts, name), self.key(name), reason)

    def _get(self, name: str, required: bool) -> Any:
        self.used.add(name)
        if name not in self.data:
            if required:
                self.problem(name, "缺少此项")
            return None
        return self.data[name]

    def text(self, name: str, required: bool = True, default: str = "") -> str:
        v = self._get(name, required)
        if v is None:
            return default
        if not isinstance(v, str) or (required and not v.strip()):
            self.problem(name, "应为非空字符串（文字须加英文双引号）")
            return default
        return v

    def opt_str(self, name: str) -> str | None:
        v = self._get(name, False)
        if v is None:
            return None
        if not isinstance(v, str) or not v.strip():
            self.problem(name, "应为非空字符串（文字须加英文双引号）")
            return None
        return v

    def flag(self, name: str, default: bool = False) -> bool:
        v = self._get(name, False)
        if v is None:
            return default
        if not isinstance(v, bool):
            self.problem(name, "应为 true 或 false（不加引号）")
            return default
        return v

    def integer(self, name: str, required: bool = True) -> int | None:
        v = self._get(name, required)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int):
            self.problem(name, "应为整数（不加引号）")
            return None
        return v

    def decimal(self, name: str, required: bool = True) -> Decimal | None:
        v = self._get(name, required)
        if v is None:
            return None
        try:
            return decimal_of(self, name, v)
        except GuideError as err:
            self.ctx.record(err)
            return None

    def amount(self, name: str, required: bool = True) -> Decimal | None:
        """A money amount or cap: a number, never negative."""
        v = self.decimal(name, required)
        if v is not None and v < 0:
            self.problem(name, f"金额不能为负数（此处为 {v}）")
            return None
        return v

    def date(self, name: str) -> dt.date:
        v = self._get(name, True)
        if v is None:
            return dt.date.min
        if isinstance(v, dt.datetime) or not isinstance(v, dt.date):
            self.problem(name, "应为日期，如 2019-02-18（不加引号）")
            return dt.date.min
        return v

    def str_list(self, name: str, required: bool = True) -> tuple[str, ...]:
        v = self._get(name, required)
        if v is None:
            return ()
        if not isinstance(v, list) or not all(isinstance(s, str) and s for s in v):
            self.problem(name, '应为字符串列表，如 ["甲", "乙"]')
            return ()
        return tuple(v)

    def nodes(self, name: str, required: bool = True) -> list[Node]:
        v = self._get(name, required)
        if v is None:
            return []
        if not isinstance(v, list):
            self.problem(name, "应为表的数组")
            return []
        out = []
        for i, e in enumerate(v):
            label = f"{self.key(name)}[{ordinal(i, e)}]"
            try:
                out.append(Node(self.ctx, label, e, (*self.parts, name, i)))
            except GuideError as err:
                self.ctx.record(err)
        return out

    def node(self, name: str, required: bool = True) -> Node | None:
        v = self._get(name, required)
        if v is None:
            return None
        try:
            return Node(self.ctx, self.key(name), v, (*self.parts, name))
        except GuideError as err:
            self.ctx.record(err)
            return None

    def named_nodes(self, name: str) -> list[tuple[str, Node]]:
        """A table of tables (``[documents.<id>]``): (id, node) pairs in file order."""
        v = self._get(name, True)
        if v is None:
            return []
        if not isinstance(v, Mapping) or not v:
            self.problem(name, "应为非空的表")
            return []
        child = Node(self.ctx, self.key(name), v, (*self.parts, name))
        return child.named_nodes_self()

    def named_nodes_self(self) -> list[tuple[str, Node]]:
        """This node's own sub-tables, as (id, node) pairs in file order."""
        out = []
        for k, e in self.data.items():
            try:
                out.append((k, Node(self.ctx, self.key(k), e, (*self.parts, k))))
            except GuideError as err:
                self.ctx.record(err)
        return out

    def raw(self, name: str) -> Any:
        return self._get(name, False)

    def done(self) -> None:
        """Every key left unread is unknown: each is reported, with the closest known key."""
        for extra in sorted(set(self.data) - self.used):
            close = difflib.get_close_matches(extra, sorted(self.used), n=1, cutoff=0.6)
            hint = f"，是否应为 {close[0]}？" if close else "（拼写错误？）"
            if close and close[0] not in self.data:
                self.ctx.forget(self.key(close[0]))  # not missing: misspelt
            self.problem(extra, f"未知的键 {extra}{hint}")


def ordinal(i: int, element: Any) -> str:
    """An array element as a person counts it: 第3个, with its id when it has one."""
    eid = element.get("id") if isinstance(element, Mapping) else None
    return f"第{i + 1}个：{eid}" if isinstance(eid, str) and eid else f"第{i + 1}个"


def decimal_of(node: Node, name: str, v: Any) -> Decimal:
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        raise node.fail(name, "应为数字")
    try:
        d = Decimal(str(v))
    except InvalidOperation:
        raise node.fail(name, f"“{v}”不是数字") from None
    if not d.is_finite():
        raise node.fail(name, "应为有限的数字")
    return d


def unique(node: Node, name: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for n, i in enumerate(ids):
        if i in seen and i:
            node.ctx.record(
                node.ctx.error((*node.parts, name, n), node.key(name), f"编号 {i} 重复")
            )
        seen.add(i)
