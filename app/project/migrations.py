"""Upgrading older project files, one version step at a time.

``MIGRATIONS[n - 1]`` turns a version-``n`` file into a version-``n + 1`` file. Each step runs
inside the single transaction that :func:`migrate` is called in, so an interrupted upgrade leaves
the file at its old version, untouched.

Version history:

1. First release (:data:`V1_DDL`).
2. Adds ``pages.user_rotation`` (the user's extra clockwise turn of a page), the ``options``
   table (free JSON settings such as duplex printing or the binding gutter) and
   ``evidence_blobs.pdf_sha256`` so that ``verify()`` checks the normalised PDF as well as the
   original. The step computes ``pdf_sha256`` for every stored file.
3. Adds the ``stages`` table (submission stages reached, with dates) and the ``review_figures``
   table (the figures of the last 初审 print). Older files start with neither: stage 初审未交.
4. Stores each normalised PDF as what it adds to its original (``app.project.pdfdelta``): the
   scan's bytes are kept once. The step rewrites every stored PDF; the file shrinks by about
   half once it is vacuumed (:func:`app.project.opening.check_and_upgrade` does it after).
5. Rates as SAFE's table quotes them: ``rates.usd_per_unit`` becomes ``rates.value`` and
   ``quote``, ``units``, ``name`` are added; a stored rate keeps its meaning exactly
   (``quote = 'usd_per'``, ``units = 1``: US dollars per unit, as versions 1 to 4 stored it).
6. Adds the ``guide_copy`` table: the project keeps the text of its guide file. The step stores
   the bundled guide of the project's id (when the program has it; otherwise a later opening
   that finds it does).
7. Adds ``pages.analysis``: what the page check (sideways, blank) found at import. Pages
   stored before stay NULL (not checked): the window checks them in the background once the
   file is open and stores what it finds; ``check`` judges them without writing
   (:mod:`app.intake.latecheck`).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable

from app.project.schema import SCHEMA_VERSION, stamp

Migration = Callable[[sqlite3.Connection], None]

V1_DDL: tuple[str, ...] = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE company (field_id TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE selected_items (item_id TEXT PRIMARY KEY, position INTEGER NOT NULL)",
    """CREATE TABLE item_inputs (
        item_id TEXT NOT NULL,
        field_id TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (item_id, field_id)
    )""",
    "CREATE TABLE requested (item_id TEXT PRIMARY KEY, amount TEXT NOT NULL)",
    "CREATE TABLE rates (currency TEXT PRIMARY KEY, usd_per_unit TEXT NOT NULL)",
    """CREATE TABLE table_rows (
        id TEXT PRIMARY KEY,
        table_id TEXT NOT NULL,
        position INTEGER NOT NULL
    )""",
    "CREATE INDEX table_rows_order ON table_rows (table_id, position)",
    """CREATE TABLE cells (
        row_id TEXT NOT NULL REFERENCES table_rows (id) ON DELETE CASCADE,
        field_id TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (row_id, field_id)
    )""",
    """CREATE TABLE evidence (
        id TEXT PRIMARY KEY,
        document_id TEXT NOT NULL,
        row_id TEXT REFERENCES table_rows (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        position INTEGER NOT NULL
    )""",
    "CREATE INDEX evidence_order ON evidence (document_id, row_id, position)",
    "CREATE INDEX evidence_row ON evidence (row_id)",
    """CREATE TABLE evidence_blobs (
        file_id TEXT PRIMARY KEY REFERENCES evidence (id) ON DELETE CASCADE,
        original BLOB NOT NULL,
        pdf BLOB NOT NULL
    )""",
    """CREATE TABLE pages (
        file_id TEXT NOT NULL REFERENCES evidence (id) ON DELETE CASCADE,
        page_index INTEGER NOT NULL,
        width_pt REAL NOT NULL,
        height_pt REAL NOT NULL,
        source_rotation INTEGER NOT NULL,
        dpi REAL,
        PRIMARY KEY (file_id, page_index)
    )""",
)
"""The first release's tables. Kept verbatim: tests build version-1 files from it."""


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    conn.execute(
        "ALTER TABLE pages ADD COLUMN user_rotation INTEGER NOT NULL DEFAULT 0"
        " CHECK (user_rotation IN (0, 90, 180, 270))"
    )
    conn.execute("CREATE TABLE options (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("ALTER TABLE evidence_blobs ADD COLUMN pdf_sha256 TEXT NOT NULL DEFAULT ''")
    # One file at a time: a project may hold hundreds of megabytes of PDFs.
    ids = [row[0] for row in conn.execute("SELECT file_id FROM evidence_blobs")]
    for file_id in ids:
        (pdf,) = conn.execute(
            "SELECT pdf FROM evidence_blobs WHERE file_id = ?", (file_id,)
        ).fetchone()
        conn.execute(
            "UPDATE evidence_blobs SET pdf_sha256 = ? WHERE file_id = ?",
            (hashlib.sha256(pdf).hexdigest(), file_id),
        )


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE stages (stage_id TEXT PRIMARY KEY, date TEXT NOT NULL)")
    conn.execute("CREATE TABLE review_figures (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _v3_to_v4(conn: sqlite3.Connection) -> None:
    from app.project.evidence import compact_pdfs

    compact_pdfs(conn)


def _v4_to_v5(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE rates RENAME COLUMN usd_per_unit TO value")
    conn.execute(
        "ALTER TABLE rates ADD COLUMN quote TEXT NOT NULL DEFAULT 'usd_per'"
        " CHECK (quote IN ('per_usd', 'usd_per'))"
    )
    conn.execute("ALTER TABLE rates ADD COLUMN units INTEGER NOT NULL DEFAULT 1 CHECK (units >= 1)")
    conn.execute("ALTER TABLE rates ADD COLUMN name TEXT NOT NULL DEFAULT ''")


def _v5_to_v6(conn: sqlite3.Connection) -> None:
    from app.project import guide_copy

    conn.execute(guide_copy.DDL)
    guide_copy.fill_from_bundled(conn)


def _v6_to_v7(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE pages ADD COLUMN analysis TEXT")


MIGRATIONS: tuple[Migration, ...] = (
    _v1_to_v2,
    _v2_to_v3,
    _v3_to_v4,
    _v4_to_v5,
    _v5_to_v6,
    _v6_to_v7,
)

COMPACTING_VERSION = 4
"""The step after which an upgraded file is worth vacuuming (its PDFs shrank)."""

assert len(MIGRATIONS) == SCHEMA_VERSION - 1, "one migration step per schema version"


def migrate(conn: sqlite3.Connection, from_version: int) -> None:
    """Upgrade a file from ``from_version`` to :data:`SCHEMA_VERSION` inside the caller's
    transaction, then stamp the new version. ``from_version`` must be 1..SCHEMA_VERSION."""
    if not 1 <= from_version <= SCHEMA_VERSION:
        raise ValueError(f"cannot migrate from schema version {from_version}")
    for version in range(from_version, SCHEMA_VERSION):
        MIGRATIONS[version - 1](conn)
    stamp(conn, SCHEMA_VERSION)
