"""The current (version 6) layout of a project file and its fixed identity.

A project is one SQLite database. ``PRAGMA application_id`` holds :data:`APPLICATION_ID` so that
any other SQLite file is recognised as "not a project file", and ``PRAGMA user_version`` holds
the schema version. Older files are upgraded by :mod:`app.project.migrations`.

Tables (version 7):

- ``meta``: key/value text (``guide_id``, ``created_at``, ``created_by``).
- ``guide_copy``: the text of the guide file the project follows and its SHA-256, the file's
  name and when it was stored (one row, version 6; :mod:`app.project.guide_copy`).
- ``company``: one row per :data:`app.model.COMPANY_FIELDS` id that has been set.
- ``selected_items``: item ids with their position.
- ``item_inputs``, ``cells``: values encoded by :mod:`app.project.codec`.
- ``requested``: exact decimal text.
- ``rates``: the project's own rates, as SAFE's table quotes them: ``value`` (exact decimal
  text), ``quote`` (``per_usd``: units per US dollar; ``usd_per``: US dollars per ``units``
  units) and, for a currency the guide does not list, its ``name``. Version 3 renamed
  ``usd_per_unit`` to ``value`` and added ``quote``, ``units`` and ``name`` (an older rate is
  kept exactly as what it was: US dollars per 1 unit).
- ``table_rows``: row id, table id, position (0..n-1 within the table).
- ``evidence``: file metadata and position within (document_id, row_id); per-row files are
  deleted with their row (foreign key ``ON DELETE CASCADE``).
- ``evidence_blobs``: the original and the normalised PDF bytes, kept apart from the metadata so
  listing files never reads megabytes; ``pdf_sha256`` added in version 2 (the SHA-256 of the
  whole PDF). Since version 4 the PDF is stored as what it adds to the original
  (:mod:`app.project.pdfdelta`: literal bytes and ranges of the original), so a scan's bytes
  are kept once; a PDF that shares nothing with its original is stored whole.
- ``pages``: one row per page of the normalised PDF; ``user_rotation`` added in version 2;
  ``analysis`` (version 7): what the page check found at import, JSON
  (``{"turns": [90], "blank": false}``, see :mod:`app.intake.pagecheck`), NULL when the page
  was not checked (imported before version 7: checked later, :mod:`app.intake.latecheck`).
  What the clerk said of a flagged page (「此页无误」) is kept in the same JSON:
  ``"fine_blank": true`` (a nearly empty page that is meant), ``"fine_turn": 90`` (right as
  shown at that user rotation); readers that do not know these keys ignore them.
- ``options``: free JSON settings (version 2).
- ``stages``: the submission stages reached (a guide ``[process]`` stage id) with their date
  (version 3).
- ``review_figures``: the figures (items, amounts) printed on the 申请表 of the last 初审 print,
  key/value text, so a later change can be told from the district-stamped form (version 3).

Columns added by a migration come last, in the same order as ``ALTER TABLE`` appends them, so a
fresh file and an upgraded file have identical tables.
"""

from __future__ import annotations

import sqlite3

from app.project.guide_copy import DDL as GUIDE_COPY_DDL

APPLICATION_ID = 0x53425041  # b"SBPA": 申报 Packet Assembler (a signed 32-bit value, as required)
SCHEMA_VERSION = 7
FILE_SUFFIX = ".sbproj"
PAGE_SIZE = 16384

SCHEMA_DDL: tuple[str, ...] = (
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
    """CREATE TABLE rates (
        currency TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        quote TEXT NOT NULL DEFAULT 'usd_per' CHECK (quote IN ('per_usd', 'usd_per')),
        units INTEGER NOT NULL DEFAULT 1 CHECK (units >= 1),
        name TEXT NOT NULL DEFAULT ''
    )""",
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
        pdf BLOB NOT NULL,
        pdf_sha256 TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE pages (
        file_id TEXT NOT NULL REFERENCES evidence (id) ON DELETE CASCADE,
        page_index INTEGER NOT NULL,
        width_pt REAL NOT NULL,
        height_pt REAL NOT NULL,
        source_rotation INTEGER NOT NULL,
        dpi REAL,
        user_rotation INTEGER NOT NULL DEFAULT 0 CHECK (user_rotation IN (0, 90, 180, 270)),
        analysis TEXT,
        PRIMARY KEY (file_id, page_index)
    )""",
    "CREATE TABLE options (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE stages (stage_id TEXT PRIMARY KEY, date TEXT NOT NULL)",
    "CREATE TABLE review_figures (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    GUIDE_COPY_DDL,
)
"""Statements creating a fresh version-:data:`SCHEMA_VERSION` file, run one by one inside the
caller's transaction (``executescript`` would commit on its own)."""


def create_schema(conn: sqlite3.Connection) -> None:
    """Create the current tables and stamp the file. Runs inside the caller's transaction."""
    for statement in SCHEMA_DDL:
        conn.execute(statement)
    stamp(conn, SCHEMA_VERSION)


def stamp(conn: sqlite3.Connection, version: int) -> None:
    """Write our application id and ``version`` into the database header."""
    # PRAGMA arguments cannot be bound parameters; both are ints we control.
    conn.execute(f"PRAGMA application_id = {int(APPLICATION_ID)}")
    conn.execute(f"PRAGMA user_version = {int(version)}")
