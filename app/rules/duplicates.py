"""Rows entered twice and files attached twice.

A table's ``duplicate_key`` (guide data) names the columns that identify a row: the contract's
name, client and amount; a person's ID number; a certificate's number. Two rows agreeing on all
of them (none empty) are the same thing entered twice, which would count twice in the sums and
the printed tables. Text is compared ignoring spaces, full-width forms and case.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from app.guide.model import Guide, TableSpec
from app.model import EvidenceFile, ProjectData, Value

RowKey = tuple[str, ...]
_SPACE = re.compile(r"\s+")


def normalized(value: Value | None) -> str:
    """A cell as compared for identity: spaces, full-width forms and case ignored."""
    return _norm(value)


def _norm(value: Value | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    text = unicodedata.normalize("NFKC", str(value))
    return _SPACE.sub("", text).casefold()


def row_key(table: TableSpec, values: Mapping[str, Value]) -> RowKey | None:
    """What identifies the row, or None when the table has no key or a key cell is empty."""
    if not table.duplicate_key:
        return None
    key = tuple(_norm(values.get(col)) for col in table.duplicate_key)
    return None if any(not part for part in key) else key


def key_label(table: TableSpec) -> str:
    """The key columns in words: “合同名称、发包方、合同金额”."""
    return "、".join(table.column(c).label for c in table.duplicate_key)


def duplicate_groups(
    table: TableSpec, rows: Sequence[Mapping[str, Value]]
) -> list[tuple[int, ...]]:
    """Positions of rows sharing a key (each group in order, at least two long)."""
    groups: dict[RowKey, list[int]] = {}
    for n, values in enumerate(rows):
        key = row_key(table, values)
        if key is not None:
            groups.setdefault(key, []).append(n)
    return [tuple(g) for g in groups.values() if len(g) > 1]


@dataclass(frozen=True)
class IncomingDuplicates:
    """How rows about to be added (a paste, an import) repeat what is there or each other."""

    of_existing: tuple[int, ...]  # incoming positions whose key is already in the table
    within: tuple[int, ...]  # incoming positions repeating an earlier incoming row
    existing_ids: tuple[str, ...]  # ids of the existing rows that are repeated

    @property
    def count(self) -> int:
        return len(self.of_existing) + len(self.within)

    @property
    def positions(self) -> frozenset[int]:
        return frozenset(self.of_existing) | frozenset(self.within)


def incoming_duplicates(
    table: TableSpec,
    existing: Iterable[tuple[str, Mapping[str, Value]]],
    incoming: Sequence[Mapping[str, Value]],
) -> IncomingDuplicates:
    """Which ``incoming`` rows repeat an ``existing`` (id, values) row or an earlier incoming one."""
    have: dict[RowKey, str] = {}
    for row_id, values in existing:
        key = row_key(table, values)
        if key is not None:
            have.setdefault(key, row_id)
    of_existing: list[int] = []
    within: list[int] = []
    repeated: list[str] = []
    seen: set[RowKey] = set()
    for n, values in enumerate(incoming):
        key = row_key(table, values)
        if key is None:
            continue
        if key in have:
            of_existing.append(n)
            if have[key] not in repeated:
                repeated.append(have[key])
        elif key in seen:
            within.append(n)
        seen.add(key)
    return IncomingDuplicates(tuple(of_existing), tuple(within), tuple(repeated))


def same_files(files: Iterable[EvidenceFile]) -> list[tuple[EvidenceFile, ...]]:
    """Files attached more than once (the same SHA-256), each group in attachment order."""
    groups: dict[str, list[EvidenceFile]] = {}
    for f in files:
        groups.setdefault(f.sha256, []).append(f)
    return [tuple(g) for g in groups.values() if len(g) > 1]


def duplicate_notes(guide: Guide, data: ProjectData) -> list[str]:
    """One Chinese line per row that repeats an earlier one, for every table (an import's
    report: the project is created all the same, and the check lists them as problems)."""
    notes: list[str] = []
    for table in guide.tables:
        rows = data.rows(table.id)
        for group in duplicate_groups(table, [r.values for r in rows]):
            for n in group[1:]:
                notes.append(
                    f"“{table.title}”第{n + 1}行与第{group[0] + 1}行重复（{key_label(table)}相同）"
                )
    return notes
