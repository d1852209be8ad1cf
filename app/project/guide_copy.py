"""The project's own copy of its guide file (table ``guide_copy``, since version 6): the text
and its SHA-256, so a project opens and builds on a PC that has never seen the file. The
versions it was moved away from are listed by SHA-256 in ``meta`` (``guide_left``).

A project made before version 6 gets the bundled guide of its id stored when it is upgraded
(or, when that guide was missing then, on a later opening that finds it)."""

from __future__ import annotations

import datetime as _dt
import hashlib
import sqlite3

DDL = """CREATE TABLE guide_copy (
        slot INTEGER PRIMARY KEY CHECK (slot = 1),
        text TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        file_name TEXT NOT NULL DEFAULT '',
        stored_at TEXT NOT NULL
    )"""


def read(conn: sqlite3.Connection) -> tuple[str, str, str] | None:
    """``(text, sha256, file_name)`` of the stored copy, or None. ValueError when the text no
    longer matches its SHA-256 (damage)."""
    row = conn.execute("SELECT text, sha256, file_name FROM guide_copy WHERE slot = 1").fetchone()
    if row is None:
        return None
    text, sha, name = str(row[0]), str(row[1]), str(row[2])
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != sha:
        raise ValueError("the stored guide's text does not match its SHA-256")
    return text, sha, name


def write(conn: sqlite3.Connection, guide_id: str, text: str, file_name: str = "") -> None:
    """Store ``text`` as the project's guide (replacing any earlier copy) and its id in
    ``meta``. Runs inside the caller's transaction."""
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    before = conn.execute("SELECT sha256 FROM guide_copy WHERE slot = 1").fetchone()
    if before is not None and before[0] != sha:  # a version left is not offered again
        left = [s for s in read_left(conn) if s != sha] + [str(before[0])]
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('guide_left', ?)", (" ".join(left),)
        )
    now = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    conn.execute(
        "INSERT OR REPLACE INTO guide_copy (slot, text, sha256, file_name, stored_at)"
        " VALUES (1, ?, ?, ?, ?)",
        (text, sha, file_name, now),
    )
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('guide_id', ?)", (guide_id,))


def read_left(conn: sqlite3.Connection) -> list[str]:
    """SHA-256 of the guide versions the project was moved away from (meta ``guide_left``)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'guide_left'").fetchone()
    return str(row[0]).split() if row is not None else []


def fill_from_bundled(conn: sqlite3.Connection) -> bool:
    """A project without a copy (made before version 6) gets the bundled guide of its id, when
    the program has a usable one. Runs inside the caller's transaction; True if stored."""
    if conn.execute("SELECT 1 FROM guide_copy").fetchone() is not None:
        return False
    found = conn.execute("SELECT value FROM meta WHERE key = 'guide_id'").fetchone()
    if found is None:
        return False
    from app.guide.registry import bundled_entry_or_none

    entry = bundled_entry_or_none(str(found[0]))
    if entry is None or entry.copy is None:
        return False
    write(conn, str(found[0]), entry.copy.text, entry.path.name)
    return True


def checked(guide_id: str, text: str | None, file_name: str) -> tuple[str, str]:
    """The text (and file name) a project keeps for ``guide_id``: ``text`` checked to load and
    to carry that id, or, when None, the bundled guide of that id (GuideError if none)."""
    from app.guide.registry import GuideCopy, guide_entry, guide_of_copy

    if text is None:
        entry = guide_entry(guide_id)
        assert entry.copy is not None
        return entry.copy.text, entry.path.name
    copy = GuideCopy.of(text)
    loaded = guide_of_copy(copy, file_name or guide_id)
    if loaded.id != guide_id:
        raise ValueError(f"the guide text has id {loaded.id!r}, not {guide_id!r}")
    return copy.text, file_name
