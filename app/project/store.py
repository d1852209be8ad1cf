"""The project file: one SQLite database holding a whole application, evidence bytes included.

Every mutating method is one transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any
error), so there is no Save button and a crash loses at most the action in progress.

Errors:

- :class:`app.system.errors.ProjectFileError` (Chinese message naming the file): the file cannot be
  created, opened, read or written (missing, not a project, newer version, damaged, locked,
  read-only, disk full, I/O error). Raised only from here and :mod:`app.project.failures`.
- ``KeyError``: an unknown row id, file id, or a row id used with the wrong table. These are
  caller bugs (the UI only offers ids it got from :meth:`ProjectStore.load`).
- ``IndexError``: :meth:`ProjectStore.rotate_page` with a page the file does not have.
- ``ValueError`` / ``TypeError``: a bad argument (unknown company field, a value that is not an
  :data:`app.model.Value`, a rotation that is not a multiple of 90, a duplicate id, a SHA-256
  that does not match the bytes, a negative position).

A failed call leaves the file exactly as it was.

Threads: one store may be used from several threads, one call at a time (calls are serialised by
a lock). ``on_change`` callbacks run in the thread that made the change, after it committed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Any

from app.model import Company, EvidenceFile, ProjectData, Rate, Row, Value
from app.project import adding, codec, evidence, failures, guide_copy, records
from app.project.lock import ProjectLock, acquire
from app.project.opening import LaterCheck, check_header, create_file, open_file
from app.project.snapshots import EvidenceSnapshot, ImportedLike, RowSnapshot

ChangeCallback = Callable[[str], None]
"""Called with a topic after each committed change: ``"company"``, ``"selected"``,
``"inputs"``, ``"requested"``, ``"rates"``, ``"tables"``, ``"evidence"``, ``"options"``,
``"stages"`` or ``"guide"``."""


# A guide's own company field (``company_fields`` in the guide file): an id, stored as it comes.
_GUIDE_FIELD_ID = re.compile(r"[a-z][a-z0-9_]{0,63}")


def _new_id() -> str:
    return uuid.uuid4().hex


def _check_position(position: int | None) -> None:
    if position is not None and (isinstance(position, bool) or position < 0):
        raise ValueError(f"position must be 0 or more, not {position!r}")


def _encode_all(values: Mapping[str, Value]) -> dict[str, str]:
    return {field_id: codec.encode_value(value) for field_id, value in values.items()}


class ProjectStore:
    """An open project file. Create with :meth:`create`, open with :meth:`open`."""

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        guide_id: str,
        project_lock: ProjectLock | None = None,
        read_only: bool = False,
    ) -> None:
        """Internal: use :meth:`create` or :meth:`open`."""
        self.path = path
        self._conn: sqlite3.Connection | None = conn
        self._guide_id = guide_id
        self._lock = threading.RLock()
        self._project_lock = project_lock
        self.read_only = read_only
        self.on_change: list[ChangeCallback] = []
        self.later_check: LaterCheck | None = None  # see open(check_later=True)

    # -- opening and closing -------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path,
        guide_id: str,
        *,
        guide_text: str | None = None,
        guide_file: str = "",
        timeout: float = 5.0,
    ) -> ProjectStore:
        """Create a new, empty project for ``guide_id``. Refuses to overwrite any existing file.

        The project keeps a copy of its guide: ``guide_text`` (the text of the guide file named
        ``guide_file``, whose id must be ``guide_id``), or else the bundled guide of that id
        (:class:`app.system.errors.GuideError` when there is none).
        ``timeout``: seconds to wait for another program's lock before giving up."""
        if not isinstance(guide_id, str) or not guide_id:
            raise ValueError("guide_id must be a non-empty string")
        path = Path(path)
        guide_text, guide_file = guide_copy.checked(guide_id, guide_text, guide_file)
        conn = create_file(path, guide_id, timeout, guide_text, guide_file)
        try:
            held = acquire(path)
        except BaseException:
            conn.close()
            raise
        return cls(path, conn, guide_id, held)

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        timeout: float = 5.0,
        read_only: bool = False,
        take_over: bool = False,
        check_later: bool = False,
    ) -> ProjectStore:
        """Open a project file for editing, upgrading an older one in place (one transaction).

        One project, one writer: the project is locked (:mod:`app.project.lock`) until
        :meth:`close`; a project open for editing elsewhere is refused with
        :class:`app.project.lock.ProjectLockedError` naming the holder. ``read_only`` opens it
        for viewing without the lock (every change is then refused); ``take_over`` replaces
        another PC's lock (only after the user confirmed that PC has let go).

        Refuses, with a :class:`ProjectFileError` naming the file: a missing file, a file that is
        not SQLite or is another program's SQLite file, a file written by a newer version, a
        damaged file (``PRAGMA quick_check``), a read-only or locked file. ``check_later``: the
        damage check runs beside the caller's work instead (:attr:`later_check`; for a command
        that reads the file and writes nothing into it before calling its ``require()``).
        """
        path = Path(path)
        if read_only:
            conn, guide_id = open_file(path, timeout, read_only=True)
            return cls(path, conn, guide_id, read_only=True)
        check_header(path)
        held = acquire(path, take_over=take_over)
        try:
            conn, guide_id = open_file(path, timeout, check_later=check_later)
        except BaseException:
            held.release()
            raise
        store = cls(path, conn, guide_id, held)
        store.later_check = LaterCheck(path, timeout) if check_later else None
        try:
            # an import killed half-way left its staged files: never shown, now removed
            if conn.execute(
                "SELECT 1 FROM evidence WHERE substr(document_id, 1, ?) = ? LIMIT 1",
                (len(evidence.STAGED), evidence.STAGED),
            ).fetchone():
                with store._write() as write:
                    evidence.discard_staged(write)
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        """Close the file (everything is already saved). Closing twice is harmless."""
        if self.later_check is not None:
            self.later_check.wait()  # its own connection to the file closed first
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            if self._project_lock is not None:
                self._project_lock.release()
                self._project_lock = None

    def __enter__(self) -> ProjectStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def guide_id(self) -> str:
        return self._guide_id

    def stored_guide(self) -> tuple[str, str, str] | None:
        """The stored copy of the project's guide: ``(text, sha256, file_name)``, or None for a
        project made before copies were kept whose bundled guide this program lacks."""
        with self._read() as conn:
            try:
                return guide_copy.read(conn)
            except ValueError as exc:
                raise failures.damaged(self.path) from exc

    def left_guides(self) -> set[str]:
        """SHA-256 of the guide versions this project was moved away from."""
        with self._read() as conn:
            return set(guide_copy.read_left(conn))

    def replace_guide(
        self, guide_id: str, guide_text: str, guide_file: str, item_ids: Sequence[str]
    ) -> None:
        """Change the project to another guide (a newer version of it), in one transaction: the
        explicit step the user confirmed after seeing what changes. Selected items missing from
        ``item_ids`` (the new guide's) are deselected; values of items, tables and documents the
        new guide lacks stay stored, unused."""
        guide_text, guide_file = guide_copy.checked(guide_id, guide_text, guide_file)
        with self._write("guide", "selected") as conn:
            guide_copy.write(conn, guide_id, guide_text, guide_file)
            kept = [i for i in records.read_selected(conn) if i in set(item_ids)]
            records.write_selected(conn, kept)
            self._guide_id = guide_id

    @property
    def closed(self) -> bool:
        return self._conn is None

    # -- transactions --------------------------------------------------------------------------

    @contextlib.contextmanager
    def _write(self, *topics: str) -> Iterator[sqlite3.Connection]:
        """One committed transaction, rolled back on any exception; then ``on_change`` once per
        topic."""
        with self._lock:
            conn = self._open_conn()
            if self.read_only:
                raise failures.opened_read_only(self.path)
            try:
                conn.execute("BEGIN IMMEDIATE")
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise failures.from_sqlite(exc, self.path) from exc
                if isinstance(exc, UnicodeDecodeError):  # damaged text (see opening.connect)
                    raise failures.damaged(self.path) from exc
                raise
        for topic in topics:
            for callback in list(self.on_change):
                callback(topic)

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A consistent read (one read transaction) with SQLite errors mapped."""
        with self._lock:
            conn = self._open_conn()
            try:
                conn.execute("BEGIN")
                yield conn
            except sqlite3.Error as exc:
                raise failures.from_sqlite(exc, self.path) from exc
            except UnicodeDecodeError as exc:  # damaged text (see opening.connect)
                raise failures.damaged(self.path) from exc
            finally:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")

    def _open_conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise failures.closed(self.path)
        return self._conn

    # -- reading -------------------------------------------------------------------------------

    def load(self, files: tuple[EvidenceFile, ...] | None = None) -> ProjectData:
        """A snapshot of everything except evidence bytes. ``files``: the evidence files of an
        earlier snapshot, when no ``"evidence"`` change came since (the other parts are read
        again; at 1,000 files the files were most of the time a snapshot took)."""
        with self._read() as conn:
            try:
                return records.load(conn, self._guide_id, files)
            except (ValueError, TypeError) as exc:  # undecodable content
                raise failures.damaged(self.path) from exc

    # -- company ---------------------------------------------------------------------------------

    def set_company_field(self, field_id: str, value: str) -> None:
        """Set one company field (ids: :data:`app.model.COMPANY_FIELDS`, or a guide's own
        ``company_fields``)."""
        self.set_company_fields({field_id: value})

    def set_company(self, company: Company) -> None:
        """Replace every company field at once."""
        self.set_company_fields(
            {
                **{field_id: company.get(field_id) for field_id in records.COMPANY_IDS},
                **company.extra,
            }
        )

    def set_company_fields(self, values: Mapping[str, str]) -> None:
        """Set several company fields in one transaction."""
        for field_id, value in values.items():
            if field_id not in records.COMPANY_IDS and not _GUIDE_FIELD_ID.fullmatch(field_id):
                raise ValueError(f"unknown company field {field_id!r}")
            if not isinstance(value, str):
                raise TypeError(f"company field {field_id!r} must be str, not {value!r}")
        with self._write("company") as conn:
            conn.executemany(
                "INSERT INTO company (field_id, value) VALUES (?, ?)"
                " ON CONFLICT (field_id) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )

    # -- items ---------------------------------------------------------------------------------

    def set_selected(self, item_ids: Sequence[str]) -> None:
        """Replace the selected items; their order is kept as given. Inputs are kept."""
        ids = list(item_ids)
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate item ids in {ids!r}")
        with self._write("selected") as conn:
            records.write_selected(conn, ids)

    def set_item_selected(self, item_id: str, selected: bool, order_hint: Sequence[str]) -> None:
        """Select or deselect one item. The selection is then ordered as in ``order_hint`` (the
        guide's item order); ids missing from it go last, in their previous order."""
        rank = {hinted: index for index, hinted in enumerate(order_hint)}
        with self._write("selected") as conn:
            ids = records.read_selected(conn)
            if selected and item_id not in ids:
                ids.append(item_id)
            elif not selected and item_id in ids:
                ids.remove(item_id)
            ids.sort(key=lambda i: rank.get(i, len(rank)))
            records.write_selected(conn, ids)

    def set_input(self, item_id: str, field_id: str, value: Value | None) -> None:
        """Set an item's input field; ``None`` deletes it."""
        encoded = None if value is None else codec.encode_value(value)
        with self._write("inputs") as conn:
            if encoded is None:
                conn.execute(
                    "DELETE FROM item_inputs WHERE item_id = ? AND field_id = ?",
                    (item_id, field_id),
                )
            else:
                conn.execute(
                    "INSERT INTO item_inputs (item_id, field_id, value) VALUES (?, ?, ?)"
                    " ON CONFLICT (item_id, field_id) DO UPDATE SET value = excluded.value",
                    (item_id, field_id, encoded),
                )

    def set_requested(self, item_id: str, amount: Decimal | None) -> None:
        """Set the CNY amount asked for an item; ``None`` deletes it."""
        self._set_decimal("requested", "requested", "item_id", "amount", item_id, amount)

    def set_rate(self, currency: str, rate: Rate | None) -> None:
        """Set the project's own rate of a currency (as the table quotes it); ``None`` deletes
        it (the guide's default applies again, or the added currency is gone)."""
        if rate is not None and not isinstance(rate, Rate):
            raise TypeError(f"rate must be a Rate, not {type(rate).__name__}: {rate!r}")
        with self._write("rates") as conn:
            if rate is None:
                conn.execute("DELETE FROM rates WHERE currency = ?", (currency,))
            else:
                conn.execute(
                    "INSERT INTO rates (currency, value, quote, units, name) VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (currency) DO UPDATE SET value = excluded.value,"
                    " quote = excluded.quote, units = excluded.units, name = excluded.name",
                    (currency, codec.encode_decimal(rate.value), rate.quote, rate.units, rate.name),
                )

    def _set_decimal(
        self, topic: str, table: str, key_column: str, column: str, key: str, amount: Decimal | None
    ) -> None:
        # Table and column names are our constants, never user input.
        encoded = None if amount is None else codec.encode_decimal(amount)
        with self._write(topic) as conn:
            if encoded is None:
                conn.execute(f"DELETE FROM {table} WHERE {key_column} = ?", (key,))
            else:
                conn.execute(
                    f"INSERT INTO {table} ({key_column}, {column}) VALUES (?, ?)"
                    f" ON CONFLICT ({key_column}) DO UPDATE SET {column} = excluded.{column}",
                    (key, encoded),
                )

    # -- tables --------------------------------------------------------------------------------

    def add_row(
        self,
        table_id: str,
        values: Mapping[str, Value],
        position: int | None = None,
        row_id: str | None = None,
    ) -> str:
        """Add a row (at the end, or before ``position``; beyond the end means at the end) and
        return its id (a new uuid4 hex unless ``row_id`` is given; ValueError if that exists)."""
        _check_position(position)
        encoded = _encode_all(values)
        new_id = _new_id() if row_id is None else row_id
        with self._write("tables") as conn:
            records.insert_row(conn, table_id, new_id, position, encoded)
        return new_id

    def update_cell(self, table_id: str, row_id: str, field_id: str, value: Value | None) -> None:
        """Set one cell; ``None`` empties it."""
        encoded = None if value is None else codec.encode_value(value)
        with self._write("tables") as conn:
            records.row_position(conn, table_id, row_id)
            if encoded is None:
                conn.execute(
                    "DELETE FROM cells WHERE row_id = ? AND field_id = ?", (row_id, field_id)
                )
            else:
                records.write_cells(conn, row_id, {field_id: encoded})

    def update_row(self, table_id: str, row_id: str, values: Mapping[str, Value]) -> None:
        """Replace all of a row's values with ``values`` (fields not in it become empty)."""
        encoded = _encode_all(values)
        with self._write("tables") as conn:
            records.row_position(conn, table_id, row_id)
            conn.execute("DELETE FROM cells WHERE row_id = ?", (row_id,))
            records.write_cells(conn, row_id, encoded)

    def delete_row(self, table_id: str, row_id: str) -> RowSnapshot:
        """Delete a row and its per-row evidence; the snapshot restores both exactly."""
        with self._write("tables", "evidence") as conn:
            position = records.row_position(conn, table_id, row_id)
            values = records.row_values(conn, row_id)
            files = evidence.snapshots_of_row(conn, row_id)
            records.delete_row(conn, table_id, row_id, position)
        row = Row(id=row_id, values=MappingProxyType(values))
        return RowSnapshot(table_id=table_id, row=row, position=position, evidence=files)

    def restore_row(self, snap: RowSnapshot) -> None:
        """Undo :meth:`delete_row`: same id, position, values and evidence files.
        ValueError if the row id is in use."""
        _check_position(snap.position)
        encoded = _encode_all(snap.row.values)
        with self._write("tables", "evidence") as conn:
            records.insert_row(conn, snap.table_id, snap.row.id, snap.position, encoded)
            for file_snap in sorted(
                snap.evidence, key=lambda s: (s.file.document_id, s.file.order)
            ):
                evidence.restore(conn, file_snap)

    def move_row(self, table_id: str, row_id: str, new_position: int) -> None:
        """Move a row within its table (``new_position`` is clamped to the table's range)."""
        _check_position(new_position)
        with self._write("tables") as conn:
            records.move_row(conn, table_id, row_id, new_position)

    # -- evidence ------------------------------------------------------------------------------

    def add_evidence(
        self,
        document_id: str,
        row_id: str | None,
        imported: ImportedLike,
        position: int | None = None,
    ) -> str:
        """Store one imported file (before ``position``, default at the end); returns its id."""
        return self.add_evidence_many(document_id, row_id, [imported], position)[0]

    def add_evidence_many(
        self,
        document_id: str,
        row_id: str | None,
        imported: Sequence[ImportedLike],
        position: int | None = None,
    ) -> list[str]:
        """Store several imported files, in order, in ONE transaction: all or none are kept.

        ``row_id`` is the table row of a per-row document (KeyError if unknown), else None.
        ValueError if a file's ``sha256`` does not match its ``original`` bytes.
        """
        _check_position(position)
        return adding.add_many(self._write, document_id, row_id, imported, position)

    def add_evidence_stream(
        self,
        document_id: str,
        row_id: str | None,
        imported: Iterable[ImportedLike],
        position: int | None = None,
        stage_bytes: int = adding.STAGE_BYTES,
    ) -> list[str]:
        """Store imported files as they come (an iterator, e.g. ``app.intake.import_stream``),
        all or none: each is written at once, out of sight, and dropped from memory; the whole
        batch takes its place in one short transaction after the last. An exception from the
        iterator (a refused file, a cancel) or from writing removes what was written, and is
        raised. Memory is bounded by a few files, not the batch; the store stays usable
        between files (other calls interleave with the writing).

        ``row_id`` as in :meth:`add_evidence_many` (KeyError if unknown, checked at the end).
        ``stage_bytes``: files are written in transactions of about this many bytes."""
        return self.add_evidence_streams([(document_id, row_id, imported)], position, stage_bytes)[
            0
        ]

    def add_evidence_streams(
        self,
        groups: Sequence[tuple[str, str | None, Iterable[ImportedLike]]],
        position: int | None = None,
        stage_bytes: int = adding.STAGE_BYTES,
    ) -> list[list[str]]:
        """:meth:`add_evidence_stream` for several documents at once (their iterators are
        consumed in order), all or none across them; returns the ids per group."""
        _check_position(position)
        return adding.add_streams(self._write, groups, position, stage_bytes)

    def remove_evidence(self, file_id: str) -> EvidenceSnapshot:
        """Remove a file; the snapshot (bytes included) restores it exactly."""
        with self._write("evidence") as conn:
            snap = evidence.snapshot(conn, file_id)
            evidence.delete(conn, file_id)
        return snap

    def restore_evidence(self, snap: EvidenceSnapshot) -> None:
        """Undo :meth:`remove_evidence`: same id, position, pages and bytes.

        KeyError if the file's row no longer exists; ValueError if the id is in use."""
        with self._write("evidence") as conn:
            row_id = snap.file.row_id
            if row_id is not None and not records.row_exists(conn, row_id):
                raise KeyError(f"no row {row_id!r} in this project")
            evidence.restore(conn, snap)

    def move_evidence(self, file_id: str, new_position: int) -> None:
        """Move a file within its (document, row) group; the position is clamped to the group."""
        _check_position(new_position)
        with self._write("evidence") as conn:
            evidence.move(conn, file_id, new_position)

    def rotate_page(self, file_id: str, page_index: int, degrees: int) -> None:
        """Turn one page by ``degrees`` clockwise (a multiple of 90; negative turns left)."""
        with self._write("evidence") as conn:
            evidence.rotate(conn, file_id, page_index, degrees)

    def set_page_fine(
        self, file_id: str, page_index: int, *, fine_blank: bool, fine_turn: int | None
    ) -> None:
        """Record that the clerk said a flagged page is right ("此页无误"; see
        :class:`app.model.PageInfo`); False/None withdraw it."""
        with self._write("evidence") as conn:
            evidence.set_page_fine(conn, file_id, page_index, fine_blank, fine_turn)

    def record_page_checks(
        self, file_id: str, pdf_sha256: str, found: Mapping[int, tuple[tuple[int, ...], bool]]
    ) -> bool:
        """Store a late page check's results (:func:`app.project.evidence.record_checks`)."""
        with self._write() as conn:
            written = evidence.record_checks(conn, file_id, pdf_sha256, found)
        if written:
            for callback in list(self.on_change):
                callback("evidence")
        return written

    def remove_pages(self, file_id: str, indices: Sequence[int]) -> EvidenceSnapshot:
        """Remove pages (0-based) of a file, not all of them (ValueError; IndexError for a page
        it does not have); :meth:`replace_evidence` with the snapshot undoes it."""
        with self._write("evidence") as conn:
            snap = evidence.snapshot(conn, file_id)
            evidence.remove_pages(conn, file_id, indices)
        return snap

    def replace_evidence(self, snap: EvidenceSnapshot) -> None:
        """Put a stored file back exactly as ``snap`` holds it (undo of :meth:`remove_pages`)."""
        with self._write("evidence") as conn:
            evidence.delete(conn, snap.file.id)
            evidence.restore(conn, snap)

    def evidence_pdf(self, file_id: str) -> bytes:
        """The normalised PDF bytes of a file, verified against the SHA-256 stored with them:
        :class:`app.system.errors.EvidenceDamagedError` (naming the file) if they do not match."""
        with self._read() as conn:
            return evidence.checked_pdf(conn, file_id)

    def evidence_original(self, file_id: str) -> bytes:
        """The original bytes of a file, as imported."""
        with self._read() as conn:
            return evidence.blob(conn, file_id, "original")

    def verify(self) -> list[str]:
        """Ids of the files whose stored bytes no longer match their SHA-256 (empty if all good)."""
        with self._read() as conn:
            return evidence.bad_files(conn)

    def damaged_evidence(self) -> dict[str, tuple[str, ...]]:
        """Like :meth:`verify`, with the damaged parts of each file: ``"pdf"`` (what a build
        reads) and/or ``"original"`` (the file as imported)."""
        with self._read() as conn:
            return evidence.damaged(conn)

    def damaged_evidence_each(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """:meth:`damaged_evidence` one file at a time, each read in its own short transaction
        and checked after it (for a background check: the store is held only while one file's
        bytes are read, never while they are hashed, so the window's own reads and edits wait
        for a read at most). Yields ``(id, damaged parts)`` for every file, the parts empty
        when it is intact; a file removed meanwhile is skipped."""
        with self._read() as conn:
            ids = evidence.evidence_ids(conn)
        for file_id in ids:
            with self._read() as conn:
                stored = evidence.file_bytes(conn, file_id)
            if stored is not None:
                yield file_id, evidence.damaged_parts(stored)

    def set_declaration_confirmed(self, confirmed: bool) -> None:
        """Record (or withdraw) the user's confirmation of the guide's applicant conditions."""
        self.set_option(records.DECLARATION_OPTION, True if confirmed else None)

    # -- submission stages -----------------------------------------------------------------------

    def set_stage(self, stage_id: str, date: dt.date | None, forget: Sequence[str] = ()) -> None:
        """Record that ``stage_id`` (a guide ``[process]`` stage) was reached on ``date``;
        None forgets it. The stages in ``forget`` (the later ones, when the company steps back)
        are forgotten in the same transaction."""
        if not isinstance(stage_id, str) or not stage_id:
            raise ValueError("stage id must be a non-empty string")
        with self._write("stages") as conn:
            conn.executemany("DELETE FROM stages WHERE stage_id = ?", [(s,) for s in forget])
            if date is None:
                conn.execute("DELETE FROM stages WHERE stage_id = ?", (stage_id,))
            else:
                conn.execute(
                    "INSERT INTO stages (stage_id, date) VALUES (?, ?)"
                    " ON CONFLICT (stage_id) DO UPDATE SET date = excluded.date",
                    (stage_id, date.isoformat()),
                )

    def set_review_figures(self, figures: Mapping[str, str]) -> None:
        """Replace the figures recorded at the last 初审 print."""
        with self._write("stages") as conn:
            conn.execute("DELETE FROM review_figures")
            conn.executemany(
                "INSERT INTO review_figures (key, value) VALUES (?, ?)",
                [(str(k), str(v)) for k, v in figures.items()],
            )

    # -- options -------------------------------------------------------------------------------

    def get_options(self) -> dict[str, Any]:
        """All options and free metadata, e.g. ``{"duplex": False, "gutter_mm": 25}``."""
        with self._read() as conn:
            rows = conn.execute("SELECT key, value FROM options ORDER BY key").fetchall()
        try:
            return {str(key): codec.decode_json(value) for key, value in rows}
        except ValueError as exc:
            raise failures.damaged(self.path) from exc

    def set_option(self, key: str, value: Any) -> None:
        """Set one option to a JSON-able value (Decimal and date allowed); None removes it."""
        if not isinstance(key, str) or not key:
            raise ValueError("option key must be a non-empty string")
        encoded = None if value is None else codec.encode_json(value)
        with self._write("options") as conn:
            if encoded is None:
                conn.execute("DELETE FROM options WHERE key = ?", (key,))
            else:
                conn.execute(
                    "INSERT INTO options (key, value) VALUES (?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, encoded),
                )

    # -- backup --------------------------------------------------------------------------------

    def backup(self, dest: Path) -> None:
        """Write a compact, consistent copy to ``dest`` (``VACUUM INTO``), replacing it if it
        exists. The copy is written beside ``dest`` first, so a failure leaves ``dest`` as it was.
        """
        dest = Path(dest)
        if dest.absolute() == self.path.absolute():
            raise ValueError("cannot back a project up onto itself")
        temp = dest.with_name(f".{dest.name}.{_new_id()}.tmp")
        with self._lock:
            conn = self._open_conn()
            try:
                conn.execute("VACUUM INTO ?", (str(temp),))
                # VACUUM INTO does not sync its output; do it before the file takes dest's place.
                with open(temp, "rb+") as handle:
                    os.fsync(handle.fileno())
                os.replace(temp, dest)
            except (sqlite3.Error, OSError) as exc:
                with contextlib.suppress(OSError):
                    temp.unlink()
                raise failures.backup_failed(dest) from exc
