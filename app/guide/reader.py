"""Reading one TOML table of a guide file: typed getters that know their key path, and a final
check that no unknown key was left over (a typo must not pass silently)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from app.errors import GuideError


class Node:
    """A TOML table being read: typed getters that know their key path, and a final
    check that no unknown key was left over (a typo must not pass silently)."""

    def __init__(self, source: str, path: str, data: Any) -> None:
        if not isinstance(data, Mapping):
            raise GuideError(source, path or "（文件）", "应为表（table）")
        self.source = source
        self.path = path
        self.data: Mapping[str, Any] = data
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def fail(self, name: str, reason: str) -> GuideError:
        return GuideError(self.source, self.key(name), reason)

    def _get(self, name: str, required: bool) -> Any:
        self.used.add(name)
        if name not in self.data:
            if required:
                raise self.fail(name, "缺少此项")
            return None
        return self.data[name]

    def text(self, name: str, required: bool = True, default: str = "") -> str:
        v = self._get(name, required)
        if v is None:
            return default
        if not isinstance(v, str) or (required and not v.strip()):
            raise self.fail(name, "应为非空字符串")
        return v

    def opt_str(self, name: str) -> str | None:
        v = self._get(name, False)
        if v is None:
            return None
        if not isinstance(v, str) or not v.strip():
            raise self.fail(name, "应为非空字符串")
        return v

    def flag(self, name: str, default: bool = False) -> bool:
        v = self._get(name, False)
        if v is None:
            return default
        if not isinstance(v, bool):
            raise self.fail(name, "应为 true 或 false")
        return v

    def integer(self, name: str, required: bool = True) -> int | None:
        v = self._get(name, required)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int):
            raise self.fail(name, "应为整数")
        return v

    def decimal(self, name: str, required: bool = True) -> Decimal | None:
        v = self._get(name, required)
        if v is None:
            return None
        return decimal_of(self, name, v)

    def date(self, name: str) -> dt.date:
        v = self._get(name, True)
        if isinstance(v, dt.datetime) or not isinstance(v, dt.date):
            raise self.fail(name, "应为日期（如 2019-02-18）")
        return v

    def str_list(self, name: str, required: bool = True) -> tuple[str, ...]:
        v = self._get(name, required)
        if v is None:
            return ()
        if not isinstance(v, list) or not all(isinstance(s, str) and s for s in v):
            raise self.fail(name, "应为字符串列表")
        return tuple(v)

    def nodes(self, name: str, required: bool = True) -> list[Node]:
        v = self._get(name, required)
        if v is None:
            return []
        if not isinstance(v, list):
            raise self.fail(name, "应为表的数组")
        return [Node(self.source, f"{self.key(name)}[{i}]", e) for i, e in enumerate(v)]

    def node(self, name: str, required: bool = True) -> Node | None:
        v = self._get(name, required)
        if v is None:
            return None
        return Node(self.source, self.key(name), v)

    def named_nodes(self, name: str) -> list[tuple[str, Node]]:
        """A table of tables (``[documents.<id>]``): (id, node) pairs in file order."""
        v = self._get(name, True)
        if not isinstance(v, Mapping) or not v:
            raise self.fail(name, "应为非空的表")
        return [(k, Node(self.source, f"{self.key(name)}.{k}", e)) for k, e in v.items()]

    def named_nodes_self(self) -> list[tuple[str, Node]]:
        """This node's own sub-tables, as (id, node) pairs in file order."""
        return [(k, Node(self.source, self.key(k), e)) for k, e in self.data.items()]

    def raw(self, name: str) -> Any:
        return self._get(name, False)

    def done(self) -> None:
        extra = sorted(set(self.data) - self.used)
        if extra:
            raise self.fail(extra[0], "未知的键（拼写错误？）")


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
    for i in ids:
        if i in seen:
            raise node.fail(name, f"编号 {i} 重复")
        seen.add(i)
