"""SQL for everything but evidence: company, selected items, inputs, amounts and table rows.

Helpers run inside the caller's transaction and never commit. Table rows are ordered by
``position`` = 0..n-1 within their table.
"""

from __future__ import annotations

import datetime as _dt
import sqlite3
from collections.abc import Mapping
from types import MappingProxyType

from app.model import COMPANY_FIELDS, Company, EvidenceFile, ProjectData, Rate, Row, Value
from app.project import codec, evidence, guide_copy

COMPANY_IDS = frozenset(field_id for field_id, _label in COMPANY_FIELDS)


def write_selected(conn: sqlite3.Connection, ids: list[str]) -> None:
    conn.execute("DELETE FROM selected_items")
    conn.executemany(
        "INSERT INTO selected_items (item_id, position) VALUES (?, ?)",
        [(item_id, position) for position, item_id in enumerate(ids)],
    )


def read_selected(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT item_id FROM selected_items ORDER BY position, item_id")
    return [str(item_id) for (item_id,) in rows]


def row_exists(conn: sqlite3.Connection, row_id: str) -> bool:
    return conn.execute("SELECT 1 FROM table_rows WHERE id = ?", (row_id,)).fetchone() is not None


def row_position(conn: sqlite3.Connection, table_id: str, row_id: str) -> int:
    """Position of a row in its table; KeyError unless the row exists in *that* table."""
    found = conn.execute(
        "SELECT position FROM table_rows WHERE id = ? AND table_id = ?", (row_id, table_id)
    ).fetchone()
    if found is None:
        raise KeyError(f"no row {row_id!r} in table {table_id!r}")
    return int(found[0])


def row_count(conn: sqlite3.Connection, table_id: str) -> int:
    (count,) = conn.execute(
        "SELECT count(*) FROM table_rows WHERE table_id = ?", (table_id,)
    ).fetchone()
    return int(count)


def write_cells(conn: sqlite3.Connection, row_id: str, encoded: Mapping[str, str]) -> None:
    """Set (insert or replace) the given cells of a row."""
    conn.executemany(
        "INSERT INTO cells (row_id, field_id, value) VALUES (?, ?, ?)"
        " ON CONFLICT (row_id, field_id) DO UPDATE SET value = excluded.value",
        [(row_id, field_id, value) for field_id, value in encoded.items()],
    )


def insert_row(
    conn: sqlite3.Connection,
    table_id: str,
    row_id: str,
    position: int | None,
    encoded: Mapping[str, str],
) -> None:
    """Insert a row before ``position`` (None or beyond the end: at the end)."""
    if row_exists(conn, row_id):
        raise ValueError(f"row id {row_id!r} is already used")
    count = row_count(conn, table_id)
    at = count if position is None else min(position, count)
    conn.execute(
        "UPDATE table_rows SET position = position + 1 WHERE table_id = ? AND position >= ?",
        (table_id, at),
    )
    conn.execute(
        "INSERT INTO table_rows (id, table_id, position) VALUES (?, ?, ?)",
        (row_id, table_id, at),
    )
    write_cells(conn, row_id, encoded)


def row_values(conn: sqlite3.Connection, row_id: str) -> dict[str, Value]:
    rows = conn.execute(
        "SELECT field_id, value FROM cells WHERE row_id = ? ORDER BY field_id", (row_id,)
    )
    return {str(field_id): codec.decode_value(value) for field_id, value in rows}


def delete_row(conn: sqlite3.Connection, table_id: str, row_id: str, position: int) -> None:
    """Delete a row, its cells and its per-row evidence; close the gap in its table."""
    conn.execute("DELETE FROM evidence WHERE row_id = ?", (row_id,))  # blobs, pages cascade
    conn.execute("DELETE FROM table_rows WHERE id = ?", (row_id,))  # cells cascade
    conn.execute(
        "UPDATE table_rows SET position = position - 1 WHERE table_id = ? AND position > ?",
        (table_id, position),
    )


def move_row(conn: sqlite3.Connection, table_id: str, row_id: str, new_position: int) -> None:
    """Move a row within its table; ``new_position`` is clamped to the table's range."""
    old = row_position(conn, table_id, row_id)
    new = min(new_position, row_count(conn, table_id) - 1)
    if new == old:
        return
    conn.execute(
        "UPDATE table_rows SET position = position - 1 WHERE table_id = ? AND position > ?",
        (table_id, old),
    )
    conn.execute(
        "UPDATE table_rows SET position = position + 1"
        " WHERE table_id = ? AND position >= ? AND id != ?",
        (table_id, new, row_id),
    )
    conn.execute("UPDATE table_rows SET position = ? WHERE id = ?", (new, row_id))


def load(
    conn: sqlite3.Connection, guide_id: str, files: tuple[EvidenceFile, ...] | None = None
) -> ProjectData:
    """Everything but evidence bytes. ValueError if a stored value cannot be decoded. ``files``:
    the evidence files as read before (what a caller knows has not changed since), not read
    again."""
    stored = {
        str(field_id): str(value)
        for field_id, value in conn.execute("SELECT field_id, value FROM company")
    }
    company_values = {k: v for k, v in stored.items() if k in COMPANY_IDS}
    extra = MappingProxyType({k: v for k, v in stored.items() if k not in COMPANY_IDS})
    inputs: dict[str, dict[str, Value]] = {}
    for item_id, field_id, value in conn.execute(
        "SELECT item_id, field_id, value FROM item_inputs ORDER BY item_id, field_id"
    ):
        inputs.setdefault(item_id, {})[field_id] = codec.decode_value(value)
    cells: dict[str, dict[str, Value]] = {}
    for row_id, field_id, value in conn.execute(
        "SELECT row_id, field_id, value FROM cells ORDER BY row_id, field_id"
    ):
        cells.setdefault(row_id, {})[field_id] = codec.decode_value(value)
    tables: dict[str, list[Row]] = {}
    for row_id, table_id in conn.execute(
        "SELECT id, table_id FROM table_rows ORDER BY table_id, position, id"
    ):
        values = MappingProxyType(cells.get(row_id, {}))
        tables.setdefault(table_id, []).append(Row(id=row_id, values=values))
    requested = {
        str(item_id): codec.decode_decimal(amount)
        for item_id, amount in conn.execute("SELECT item_id, amount FROM requested")
    }
    rates = {
        str(currency): Rate(codec.decode_decimal(value), quote, int(units), str(name))
        for currency, value, quote, units, name in conn.execute(
            "SELECT currency, value, quote, units, name FROM rates"
        )
    }
    stages = {
        str(stage_id): _dt.date.fromisoformat(str(date))
        for stage_id, date in conn.execute("SELECT stage_id, date FROM stages")
    }
    review = {
        str(key): str(value) for key, value in conn.execute("SELECT key, value FROM review_figures")
    }
    copy = guide_copy.read(conn)
    return ProjectData(
        guide_id=guide_id,
        company=Company(**company_values, extra=extra),
        selected=tuple(read_selected(conn)),
        inputs=MappingProxyType({k: MappingProxyType(v) for k, v in inputs.items()}),
        tables=MappingProxyType({k: tuple(v) for k, v in tables.items()}),
        rates=MappingProxyType(rates),
        requested=MappingProxyType(requested),
        evidence=evidence.load_all(conn) if files is None else files,
        stages=MappingProxyType(stages),
        review_figures=MappingProxyType(review),
        declaration_confirmed=_declaration_confirmed(conn),
        guide_text=copy[0] if copy is not None else "",
    )


DECLARATION_OPTION = "declaration_confirmed"
"""The options key that records the user's confirmation of the applicant conditions."""


def _declaration_confirmed(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT value FROM options WHERE key = ?", (DECLARATION_OPTION,)).fetchone()
    return row is not None and codec.decode_json(row[0]) is True
