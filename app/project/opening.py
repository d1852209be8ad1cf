"""Creating and opening project files: identity, version, integrity and upgrade checks.

Both functions return an open connection in autocommit mode (``isolation_level=None``: the store
issues ``BEGIN IMMEDIATE`` / ``COMMIT`` itself) with the settings every project connection uses.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import sqlite3
import threading
from pathlib import Path

from app.project import failures, guide_copy
from app.project.journal import check_hot_journal
from app.project.migrations import COMPACTING_VERSION, migrate
from app.project.schema import APPLICATION_ID, PAGE_SIZE, SCHEMA_VERSION, create_schema

_SQLITE_MAGIC = b"SQLite format 3\x00"


def _utf8(raw: bytes) -> str:
    return raw.decode("utf-8")


def connect(path: Path, timeout: float, read_only: bool = False) -> sqlite3.Connection:
    """Open an existing file read-write (never creating it), autocommit, usable from threads
    (the store serialises calls with a lock). ``read_only``: SQLite's read-only mode."""
    uri = path.absolute().as_uri() + ("?mode=ro" if read_only else "?mode=rw")
    conn = sqlite3.connect(
        uri, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False
    )
    # Text that is not UTF-8 can only come from damage: raise UnicodeDecodeError (mapped to
    # "damaged" by the callers) rather than sqlite3's OperationalError ("disk I/O" to a user).
    conn.text_factory = _utf8
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            conn.execute("PRAGMA journal_mode = DELETE")  # a closed project is one file
            conn.execute("PRAGMA synchronous = FULL")
    except BaseException:
        conn.close()
        raise
    return conn


def create_file(
    path: Path, guide_id: str, timeout: float, guide_text: str, guide_file: str = ""
) -> sqlite3.Connection:
    """Create a new project file keeping ``guide_text`` (the guide file's text, named
    ``guide_file``); refuses to overwrite anything. Cleans up after a failure."""
    if path.exists():
        raise failures.already_exists(path)
    try:
        # O_EXCL: refuse to overwrite, even a file that appeared a moment ago. SQLite treats an
        # empty file as an empty database.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        raise failures.from_os(exc, path, creating=True) from exc
    conn: sqlite3.Connection | None = None
    try:
        conn = connect(path, timeout)
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # before the first table
        conn.execute("BEGIN IMMEDIATE")
        create_schema(conn)
        conn.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [
                ("guide_id", guide_id),
                ("created_at", _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")),
                ("created_by", "申报材料助手"),
            ],
        )
        guide_copy.write(conn, guide_id, guide_text, guide_file)
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn is not None:
            conn.close()
        for leftover in (path, path.with_name(path.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()
        if isinstance(exc, sqlite3.Error):
            raise failures.from_sqlite(exc, path) from exc
        if isinstance(exc, OSError):
            raise failures.from_os(exc, path, creating=True) from exc
        raise
    return conn


def open_file(
    path: Path, timeout: float, read_only: bool = False, check_later: bool = False
) -> tuple[sqlite3.Connection, str]:
    """Open, check and (if older) upgrade a project file. Returns the connection and guide id.

    ``read_only``: for viewing a project open elsewhere; nothing is written (an older file,
    which would need upgrading, is refused). ``check_later``: a current file's integrity
    check is left to the caller (:class:`LaterCheck`); an older one is checked before its
    upgrade as always."""
    check_header(path)
    if not read_only and (
        not os.access(path, os.W_OK) or not os.access(path.absolute().parent, os.W_OK)
    ):
        raise failures.read_only(path)
    if not read_only:
        check_hot_journal(path, timeout)  # before SQLite plays a journal back into the file
    conn: sqlite3.Connection | None = None
    try:
        conn = connect(path, timeout, read_only)
        guide_id = check_and_upgrade(conn, path, upgrade=not read_only, check_later=check_later)
    except BaseException as exc:
        if conn is not None:
            conn.close()
        if isinstance(exc, sqlite3.Error):
            raise failures.from_sqlite(exc, path, opening=True) from exc
        if isinstance(exc, UnicodeDecodeError):
            raise failures.damaged(path) from exc
        raise
    return conn, guide_id


def check_header(path: Path) -> None:
    """Refuse a missing file, a folder, or a file that does not start like a SQLite database."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(_SQLITE_MAGIC))
    except FileNotFoundError as exc:
        raise failures.not_found(path) from exc
    except IsADirectoryError as exc:
        raise failures.not_a_project(path) from exc
    except OSError as exc:
        raise failures.from_os(exc, path) from exc
    if header != _SQLITE_MAGIC:
        raise failures.not_a_project(path)


def check_and_upgrade(
    conn: sqlite3.Connection, path: Path, upgrade: bool = True, check_later: bool = False
) -> str:
    """Identity, version and integrity checks on a freshly opened file; migrates an older file
    in one transaction. Returns the guide id. ``check_later``: no integrity check of a current
    file here (see :class:`LaterCheck`)."""
    (app_id,) = conn.execute("PRAGMA application_id").fetchone()
    if app_id != APPLICATION_ID:
        raise failures.not_a_project(path)
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    if version > SCHEMA_VERSION:
        raise failures.newer_version(path)
    if version < 1:
        raise failures.damaged(path)
    if not (check_later and version == SCHEMA_VERSION) and not sound(conn):
        raise failures.damaged(path)
    if version < SCHEMA_VERSION and not upgrade:
        raise failures.needs_upgrade(path)
    if version < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            migrate(conn, version)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if version < COMPACTING_VERSION:
            # the upgrade freed the space of the PDFs' second copy of every scan: give it
            # back (best effort: it needs as much free disk as the file, and changes nothing)
            with contextlib.suppress(sqlite3.Error):
                conn.execute("VACUUM")
    if upgrade and conn.execute("SELECT 1 FROM guide_copy").fetchone() is None:
        # made before projects kept their guide, whose bundled file was missing when the file
        # was upgraded: stored now that it is found (first opening here)
        conn.execute("BEGIN IMMEDIATE")
        try:
            guide_copy.fill_from_bundled(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    found = conn.execute("SELECT value FROM meta WHERE key = 'guide_id'").fetchone()
    if found is None or not isinstance(found[0], str) or not found[0]:
        raise failures.damaged(path)
    return found[0]


def sound(conn: sqlite3.Connection) -> bool:
    """SQLite's own check of every page of the file (``PRAGMA quick_check``)."""
    return bool(conn.execute("PRAGMA quick_check").fetchall() == [("ok",)])


class LaterCheck:
    """The integrity check of an open project file (:func:`sound`) on a thread of its own, over
    a read-only connection of its own: SQLite lets go of Python's lock while it reads the file,
    so a command that reads the whole file anyway (a build) need not wait for it first. The
    command calls :meth:`require` before anything it made leaves its hands."""

    def __init__(self, path: Path, timeout: float) -> None:
        self._path = path
        self._timeout = timeout
        self._found: bool | BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="project-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            conn = connect(self._path, self._timeout, read_only=True)
            try:
                self._found = sound(conn)
            finally:
                conn.close()
        except sqlite3.DatabaseError:
            self._found = False  # "file is not a database", "malformed": damaged
        except BaseException as exc:  # raised in the caller's thread by require()
            self._found = exc

    def wait(self) -> None:
        """Wait for the check to end (its connection closed), whatever it found."""
        self._thread.join()

    def require(self) -> None:
        """Wait for the check; :class:`ProjectFileError` (damaged, or the error that stopped
        the check, named for the file) unless the file is sound."""
        self._thread.join()
        found = self._found
        if isinstance(found, sqlite3.Error):
            raise failures.from_sqlite(found, self._path, opening=True) from found
        if isinstance(found, BaseException):
            raise found
        if not found:
            raise failures.damaged(self._path)
