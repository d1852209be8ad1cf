"""SQL for evidence files: metadata, blobs, pages and their order.

Helpers run inside the caller's transaction (see :class:`app.project.store.ProjectStore`) and
never commit. Files are ordered by ``position`` = 0..n-1 within their (document_id, row_id)
group; ``row_id IS ?`` matches both a row id and NULL (whole-packet documents).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from app.model import EvidenceFile, PageInfo
from app.project import pdfdelta
from app.project.snapshots import EvidenceSnapshot
from app.system.errors import EvidenceDamagedError

_FILE_COLUMNS = "id, document_id, row_id, name, sha256, size, position"

STAGED = "#staged:"
"""Prefix of the document id under which files of an import still in progress are written (one
batch id after it). Guide document ids are plain words, so staged files belong to no group,
and every listing leaves them out until :func:`commit_staged` gives them their place."""

_NOT_STAGED = f"substr(document_id, 1, {len(STAGED)}) != '{STAGED}'"
"""SQL: the row is not a staged file."""


def normal_rotation(degrees: int) -> int:
    """``degrees`` folded into 0/90/180/270; ValueError unless a multiple of 90."""
    if isinstance(degrees, bool) or not isinstance(degrees, int) or degrees % 90:
        raise ValueError(f"rotation must be a multiple of 90 degrees, not {degrees!r}")
    return degrees % 360


def group_of(conn: sqlite3.Connection, file_id: str) -> tuple[str, str | None, int]:
    """(document_id, row_id, position) of a stored file; KeyError if there is none."""
    found = conn.execute(
        "SELECT document_id, row_id, position FROM evidence WHERE id = ?", (file_id,)
    ).fetchone()
    if found is None:
        raise KeyError(f"no evidence file {file_id!r} in this project")
    return str(found[0]), found[1], int(found[2])


def group_count(conn: sqlite3.Connection, document_id: str, row_id: str | None) -> int:
    (count,) = conn.execute(
        "SELECT count(*) FROM evidence WHERE document_id = ? AND row_id IS ?",
        (document_id, row_id),
    ).fetchone()
    return int(count)


def open_gap(
    conn: sqlite3.Connection, document_id: str, row_id: str | None, position: int, width: int
) -> None:
    """Shift files at ``position`` and after down by ``width`` places."""
    conn.execute(
        "UPDATE evidence SET position = position + ?"
        " WHERE document_id = ? AND row_id IS ? AND position >= ?",
        (width, document_id, row_id, position),
    )


def close_gap(
    conn: sqlite3.Connection, document_id: str, row_id: str | None, position: int
) -> None:
    """Shift files after ``position`` up by one place (the file there has gone)."""
    conn.execute(
        "UPDATE evidence SET position = position - 1"
        " WHERE document_id = ? AND row_id IS ? AND position > ?",
        (document_id, row_id, position),
    )


def insert_file(
    conn: sqlite3.Connection,
    file: EvidenceFile,
    original: bytes,
    pdf: bytes,
    pdf_sha256: str,
) -> None:
    """Insert a file at ``file.order``; the caller has made room there."""
    insert_prepared(conn, file, original, stored_pdf(pdf, original), pdf_sha256)


def stored_pdf(pdf: bytes, original: bytes) -> bytes:
    """How a normalised PDF is kept: as what it adds to its original (``app.project.pdfdelta``)."""
    return pdfdelta.encode(pdf, original)


def insert_prepared(
    conn: sqlite3.Connection,
    file: EvidenceFile,
    original: bytes,
    stored: bytes,
    pdf_sha256: str,
) -> None:
    """:func:`insert_file` with the PDF already in its stored form (:func:`stored_pdf`)."""
    conn.execute(
        f"INSERT INTO evidence ({_FILE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (file.id, file.document_id, file.row_id, file.name, file.sha256, file.size, file.order),
    )
    conn.execute(
        "INSERT INTO evidence_blobs (file_id, original, pdf, pdf_sha256) VALUES (?, ?, ?, ?)",
        (file.id, original, stored, pdf_sha256),
    )
    insert_pages(conn, file.id, file.pages)


def insert_pages(conn: sqlite3.Connection, file_id: str, pages: Sequence[PageInfo]) -> None:
    conn.executemany(
        "INSERT INTO pages (file_id, page_index, width_pt, height_pt, source_rotation, dpi,"
        " user_rotation, analysis) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                file_id,
                index,
                float(page.width_pt),
                float(page.height_pt),
                normal_rotation(page.source_rotation),
                None if page.dpi is None else float(page.dpi),
                normal_rotation(page.user_rotation),
                encode_analysis(page),
            )
            for index, page in enumerate(pages)
        ],
    )


@dataclasses.dataclass(frozen=True)
class Analysis:
    """A page's stored analysis (the ``pages.analysis`` JSON): what the page check found and
    what the clerk said of it (see :class:`app.model.PageInfo`)."""

    turns: tuple[int, ...] = ()
    blank: bool = False
    checked: bool = False
    fine_blank: bool = False
    fine_turn: int | None = None

    def encode(self) -> str | None:
        """As stored: ``{"turns": [90], "blank": false}``, with ``"fine_blank": true`` and/or
        ``"fine_turn": 0`` once the clerk said the flagged page is right; None when the page
        was not checked and nothing was said of it."""
        said = self.fine_blank or self.fine_turn is not None
        if not (self.checked or self.turns or self.blank or said):
            return None
        found: dict[str, object] = {
            "turns": [normal_rotation(int(t)) for t in self.turns],
            "blank": bool(self.blank),
        }
        if self.fine_blank:
            found["fine_blank"] = True
        if self.fine_turn is not None:
            found["fine_turn"] = normal_rotation(self.fine_turn)
        return json.dumps(found, separators=(",", ":"))


def encode_analysis(page: PageInfo) -> str | None:
    """What the page check found on ``page`` and what the clerk said of it, as stored."""
    return Analysis(
        page.upright_turns, page.blank, page.checked, page.fine_blank, page.fine_turn
    ).encode()


def decode_analysis(text: object) -> Analysis:
    """The stored analysis; anything unreadable counts as not checked (a finding is advice: a
    damaged note must not stop a project from opening)."""
    if not isinstance(text, str):
        return Analysis()
    try:
        found = json.loads(text)
        turns = tuple(sorted({normal_rotation(int(t)) for t in found.get("turns", [])}))
        fine_turn = found.get("fine_turn")
        return Analysis(
            turns,
            bool(found.get("blank", False)),
            True,
            bool(found.get("fine_blank", False)),
            None if fine_turn is None else normal_rotation(int(fine_turn)),
        )
    except (ValueError, TypeError, AttributeError):
        return Analysis()


def _pages_by_file(
    conn: sqlite3.Connection, where: str, params: Sequence[object]
) -> dict[str, list[PageInfo]]:
    pages: dict[str, list[PageInfo]] = {}
    rows = conn.execute(
        "SELECT file_id, width_pt, height_pt, source_rotation, dpi, user_rotation, analysis"
        f" FROM pages WHERE {where} ORDER BY file_id, page_index",
        tuple(params),
    )
    for file_id, width, height, source_rotation, dpi, user_rotation, analysis in rows:
        found = decode_analysis(analysis)
        pages.setdefault(file_id, []).append(
            PageInfo(
                width_pt=float(width),
                height_pt=float(height),
                source_rotation=int(source_rotation),
                dpi=None if dpi is None else float(dpi),
                user_rotation=int(user_rotation),
                upright_turns=found.turns,
                blank=found.blank,
                checked=found.checked,
                fine_blank=found.fine_blank,
                fine_turn=found.fine_turn,
            )
        )
    return pages


def _files(rows: Iterable[tuple[Any, ...]], pages: dict[str, list[PageInfo]]) -> list[EvidenceFile]:
    files = []
    for file_id, document_id, row_id, name, sha256, size, position in rows:
        files.append(
            EvidenceFile(
                id=str(file_id),
                document_id=str(document_id),
                row_id=None if row_id is None else str(row_id),
                name=str(name),
                sha256=str(sha256),
                size=int(size),
                order=int(position),
                pages=tuple(pages.get(str(file_id), ())),
            )
        )
    return files


def load_all(conn: sqlite3.Connection) -> tuple[EvidenceFile, ...]:
    """Every file's metadata and pages (no bytes), by document, row and position."""
    pages = _pages_by_file(conn, "1", ())
    rows = conn.execute(
        f"SELECT {_FILE_COLUMNS} FROM evidence WHERE {_NOT_STAGED}"
        " ORDER BY document_id, row_id, position, id"
    )
    return tuple(_files(rows, pages))


def commit_staged(
    conn: sqlite3.Connection,
    batch: str,
    document_id: str,
    row_id: str | None,
    position: int | None,
) -> list[str]:
    """Give the files staged under ``batch`` their place, in the order they were staged,
    before ``position`` of (document_id, row_id) (default at the end); returns their ids."""
    ids = [
        str(found[0])
        for found in conn.execute(
            "SELECT id FROM evidence WHERE document_id = ? ORDER BY position", (STAGED + batch,)
        )
    ]
    count = group_count(conn, document_id, row_id)
    at = count if position is None else min(position, count)
    open_gap(conn, document_id, row_id, at, len(ids))
    conn.executemany(
        "UPDATE evidence SET document_id = ?, row_id = ?, position = ? WHERE id = ?",
        [(document_id, row_id, at + offset, file_id) for offset, file_id in enumerate(ids)],
    )
    return ids


def discard_staged(conn: sqlite3.Connection, batch: str | None = None) -> int:
    """Delete the files staged under ``batch`` (every staged file when None: what an import
    that was killed left behind); returns how many."""
    if batch is None:
        cursor = conn.execute(f"DELETE FROM evidence WHERE NOT ({_NOT_STAGED})")
    else:
        cursor = conn.execute("DELETE FROM evidence WHERE document_id = ?", (STAGED + batch,))
    return int(cursor.rowcount)


def snapshot(conn: sqlite3.Connection, file_id: str) -> EvidenceSnapshot:
    """Metadata, pages and bytes of one file; KeyError if there is none."""
    rows = conn.execute(f"SELECT {_FILE_COLUMNS} FROM evidence WHERE id = ?", (file_id,))
    files = _files(rows, _pages_by_file(conn, "file_id = ?", (file_id,)))
    if not files:
        raise KeyError(f"no evidence file {file_id!r} in this project")
    blobs = conn.execute(
        "SELECT original, pdf, pdf_sha256 FROM evidence_blobs WHERE file_id = ?", (file_id,)
    ).fetchone()
    original, pdf, pdf_sha256 = blobs if blobs is not None else (b"", b"", "")
    original = bytes(original)
    return EvidenceSnapshot(
        files[0], original, pdfdelta.decode(bytes(pdf), original), str(pdf_sha256)
    )


def snapshots_of_row(conn: sqlite3.Connection, row_id: str) -> tuple[EvidenceSnapshot, ...]:
    """Every file attached to a table row, by document and position."""
    ids = [
        str(found[0])
        for found in conn.execute(
            "SELECT id FROM evidence WHERE row_id = ? ORDER BY document_id, position", (row_id,)
        )
    ]
    return tuple(snapshot(conn, file_id) for file_id in ids)


def restore(conn: sqlite3.Connection, snap: EvidenceSnapshot) -> None:
    """Put a removed file back at its position (clamped to the group's current end)."""
    file = snap.file
    if conn.execute("SELECT 1 FROM evidence WHERE id = ?", (file.id,)).fetchone():
        raise ValueError(f"evidence file {file.id!r} is already in this project")
    position = min(max(file.order, 0), group_count(conn, file.document_id, file.row_id))
    open_gap(conn, file.document_id, file.row_id, position, 1)
    pdf_sha256 = snap.pdf_sha256 or hashlib.sha256(snap.pdf).hexdigest()
    placed = dataclasses.replace(file, order=position)
    insert_file(conn, placed, snap.original, snap.pdf, pdf_sha256)


def delete(conn: sqlite3.Connection, file_id: str) -> None:
    """Delete a file (its blobs and pages go with it) and close the gap it leaves."""
    document_id, row_id, position = group_of(conn, file_id)
    conn.execute("DELETE FROM evidence WHERE id = ?", (file_id,))
    close_gap(conn, document_id, row_id, position)


def move(conn: sqlite3.Connection, file_id: str, new_position: int) -> None:
    """Move a file within its group; ``new_position`` is clamped to the group's range."""
    document_id, row_id, old = group_of(conn, file_id)
    last = group_count(conn, document_id, row_id) - 1
    new = min(max(new_position, 0), last)
    if new == old:
        return
    close_gap(conn, document_id, row_id, old)
    open_gap(conn, document_id, row_id, new, 1)
    conn.execute("UPDATE evidence SET position = ? WHERE id = ?", (new, file_id))


def rotate(conn: sqlite3.Connection, file_id: str, page_index: int, degrees: int) -> None:
    """Add ``degrees`` (a multiple of 90, clockwise) to one page's user rotation."""
    turn = normal_rotation(degrees)
    group_of(conn, file_id)  # KeyError for an unknown file
    cursor = conn.execute(
        "UPDATE pages SET user_rotation = (user_rotation + ?) % 360"
        " WHERE file_id = ? AND page_index = ?",
        (turn, file_id, page_index),
    )
    if cursor.rowcount != 1:
        raise IndexError(f"evidence file {file_id!r} has no page {page_index}")


def _analysis(conn: sqlite3.Connection, file_id: str, page_index: int) -> Analysis:
    group_of(conn, file_id)  # KeyError for an unknown file
    found = conn.execute(
        "SELECT analysis FROM pages WHERE file_id = ? AND page_index = ?", (file_id, page_index)
    ).fetchone()
    if found is None:
        raise IndexError(f"evidence file {file_id!r} has no page {page_index}")
    return decode_analysis(found[0])


def set_page_fine(
    conn: sqlite3.Connection,
    file_id: str,
    page_index: int,
    fine_blank: bool,
    fine_turn: int | None,
) -> None:
    """Record what the clerk said of one page (see :class:`app.model.PageInfo`); the page
    check's own findings are kept as they are."""
    found = _analysis(conn, file_id, page_index)
    fine = dataclasses.replace(
        found,
        fine_blank=bool(fine_blank),
        fine_turn=None if fine_turn is None else normal_rotation(fine_turn),
    )
    conn.execute(
        "UPDATE pages SET analysis = ? WHERE file_id = ? AND page_index = ?",
        (fine.encode(), file_id, page_index),
    )


def record_checks(
    conn: sqlite3.Connection,
    file_id: str,
    pdf_sha256: str,
    found: Mapping[int, tuple[tuple[int, ...], bool]],
) -> bool:
    """Store what a late page check found (page index -> (turns, blank)) on pages not checked
    yet, provided the file's PDF is still the one checked (``pdf_sha256``); False when it is
    not (removed, pages removed or put back meanwhile): nothing is written."""
    row = conn.execute(
        "SELECT pdf_sha256 FROM evidence_blobs WHERE file_id = ?", (file_id,)
    ).fetchone()
    if row is None or row[0] != pdf_sha256:
        return False
    for index, (turns, blank) in found.items():
        checked = Analysis(tuple(turns), bool(blank), True).encode()
        conn.execute(
            "UPDATE pages SET analysis = ? WHERE file_id = ? AND page_index = ?"
            " AND analysis IS NULL",
            (checked, file_id, index),
        )
    return True


def remove_pages(conn: sqlite3.Connection, file_id: str, indices: Sequence[int]) -> None:
    """Remove pages (0-based ``indices``) from a file's normalised PDF and its page list; the
    original stays as imported. IndexError for a page the file does not have, ValueError when
    no page would be left (remove the file instead)."""
    snap = snapshot(conn, file_id)
    pages = list(snap.file.pages)
    gone = sorted(set(indices))
    if not gone or gone[0] < 0 or gone[-1] >= len(pages):
        raise IndexError(f"evidence file {file_id!r} has no page {indices!r}")
    if len(gone) == len(pages):
        raise ValueError("a file keeps at least one page: remove the file instead")
    import pikepdf  # here: every command opens a project, only this edit needs pikepdf (0.1 s)

    with pikepdf.open(io.BytesIO(snap.pdf)) as doc:
        for index in reversed(gone):
            del doc.pages[index]
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
    pdf = out.getvalue()
    conn.execute(
        "UPDATE evidence_blobs SET pdf = ?, pdf_sha256 = ? WHERE file_id = ?",
        (stored_pdf(pdf, snap.original), hashlib.sha256(pdf).hexdigest(), file_id),
    )
    conn.execute("DELETE FROM pages WHERE file_id = ?", (file_id,))
    insert_pages(conn, file_id, [p for i, p in enumerate(pages) if i not in gone])


def blob(conn: sqlite3.Connection, file_id: str, column: str) -> bytes:
    """The ``original`` or ``pdf`` bytes of a file (the PDF whole, however it is stored);
    KeyError if there is no such file, ValueError if its stored PDF is malformed."""
    if column not in ("original", "pdf"):
        raise ValueError(column)
    found = conn.execute(
        f"SELECT {column} FROM evidence_blobs WHERE file_id = ?", (file_id,)
    ).fetchone()
    if found is None:
        raise KeyError(f"no evidence file {file_id!r} in this project")
    data = bytes(found[0])
    if column == "pdf" and pdfdelta.is_delta(data):
        (original,) = conn.execute(
            "SELECT original FROM evidence_blobs WHERE file_id = ?", (file_id,)
        ).fetchone()
        return pdfdelta.decode(data, bytes(original))
    return data


def compact_pdfs(conn: sqlite3.Connection) -> int:
    """Store every normalised PDF kept whole as what it adds to its original (see
    ``app.project.pdfdelta``), one file at a time; returns how many were rewritten."""
    ids = [str(r[0]) for r in conn.execute("SELECT file_id FROM evidence_blobs")]
    done = 0
    for file_id in ids:
        original, pdf = conn.execute(
            "SELECT original, pdf FROM evidence_blobs WHERE file_id = ?", (file_id,)
        ).fetchone()
        pdf = bytes(pdf)
        if pdfdelta.is_delta(pdf):
            continue
        encoded = pdfdelta.encode(pdf, bytes(original))
        if encoded is not pdf:
            conn.execute("UPDATE evidence_blobs SET pdf = ? WHERE file_id = ?", (encoded, file_id))
            done += 1
    return done


def checked_pdf(conn: sqlite3.Connection, file_id: str) -> bytes:
    """The ``pdf`` bytes of a file (whole, however stored), verified against their SHA-256;
    KeyError if there is no such file, :class:`EvidenceDamagedError` if they do not match."""
    found = conn.execute(
        "SELECT e.name, b.pdf, b.pdf_sha256, b.original FROM evidence AS e"
        " LEFT JOIN evidence_blobs AS b ON b.file_id = e.id WHERE e.id = ?",
        (file_id,),
    ).fetchone()
    if found is None:
        raise KeyError(f"no evidence file {file_id!r} in this project")
    name, pdf, pdf_sha256, original = found
    whole = _whole_pdf(pdf, original)  # stored as what it adds to its original, maybe
    if whole is None or not _matches(whole, pdf_sha256):
        raise EvidenceDamagedError(file_id, str(name))
    return bytes(whole)


def damaged(conn: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    """Files whose stored bytes no longer match their SHA-256 (or are gone): id -> the damaged
    parts, ``"pdf"`` (what a build reads) and/or ``"original"`` (the file as imported)."""
    out: dict[str, tuple[str, ...]] = {}
    rows = conn.execute(
        "SELECT e.id, e.sha256, b.original, b.pdf_sha256, b.pdf FROM evidence AS e"
        " LEFT JOIN evidence_blobs AS b ON b.file_id = e.id"
        " ORDER BY e.document_id, e.row_id, e.position, e.id"
    )
    for file_id, sha256, original, pdf_sha256, pdf in rows:
        parts = tuple(
            part
            for part, ok in (
                ("pdf", _pdf_matches(pdf, original, pdf_sha256)),
                ("original", _matches(original, sha256)),
            )
            if not ok
        )
        if parts:
            out[str(file_id)] = parts
    return out


def evidence_ids(conn: sqlite3.Connection) -> list[str]:
    """Every file's id, in the order :func:`damaged` checks them."""
    rows = conn.execute("SELECT id FROM evidence ORDER BY document_id, row_id, position, id")
    return [str(file_id) for (file_id,) in rows]


def damaged_file(conn: sqlite3.Connection, file_id: str) -> tuple[str, ...] | None:
    """:func:`damaged` for one file: its damaged parts (empty when intact), or None when the
    file is no longer in the project."""
    stored = file_bytes(conn, file_id)
    return None if stored is None else damaged_parts(stored)


StoredBytes = tuple[str | None, bytes | None, str | None, bytes | None]
"""A file's SHA-256, original bytes, PDF SHA-256 and stored PDF blob, as read."""


def file_bytes(conn: sqlite3.Connection, file_id: str) -> StoredBytes | None:
    """What :func:`damaged_parts` checks of one file, or None when it is no longer in the
    project (the read alone: the check can then run without the store)."""
    row = conn.execute(
        "SELECT e.sha256, b.original, b.pdf_sha256, b.pdf FROM evidence AS e"
        " LEFT JOIN evidence_blobs AS b ON b.file_id = e.id WHERE e.id = ?",
        (file_id,),
    ).fetchone()
    return None if row is None else (row[0], row[1], row[2], row[3])


def damaged_parts(stored: StoredBytes) -> tuple[str, ...]:
    """The damaged parts of a file read by :func:`file_bytes` (empty when intact)."""
    sha256, original, pdf_sha256, pdf = stored
    return tuple(
        part
        for part, ok in (
            ("pdf", _pdf_matches(pdf, original, pdf_sha256)),
            ("original", _matches(original, sha256)),
        )
        if not ok
    )


def bad_files(conn: sqlite3.Connection) -> list[str]:
    """Ids of files whose original or PDF bytes no longer match their SHA-256 (or are gone)."""
    bad = []
    rows = conn.execute(
        "SELECT e.id, e.sha256, b.original, b.pdf_sha256, b.pdf FROM evidence AS e"
        " LEFT JOIN evidence_blobs AS b ON b.file_id = e.id"
        " ORDER BY e.document_id, e.row_id, e.position, e.id"
    )
    for file_id, sha256, original, pdf_sha256, pdf in rows:
        if not _matches(original, sha256) or not _pdf_matches(pdf, original, pdf_sha256):
            bad.append(str(file_id))
    return bad


def _whole_pdf(pdf: bytes | None, original: bytes | None) -> bytes | None:
    if pdf is None or original is None:
        return pdf
    try:
        return pdfdelta.decode(bytes(pdf), bytes(original))
    except ValueError:
        return None


def _pdf_matches(pdf: bytes | None, original: bytes | None, sha256: str | None) -> bool:
    """Whether the stored PDF (maybe as what it adds to its original) hashes to ``sha256``,
    hashed without being put together (see :func:`app.project.pdfdelta.sha256`)."""
    if pdf is None or original is None:
        return _matches(pdf, sha256)
    try:
        return pdfdelta.sha256(bytes(pdf), bytes(original)) == sha256
    except ValueError:
        return False


def _matches(data: bytes | None, sha256: str | None) -> bool:
    return data is not None and hashlib.sha256(data).hexdigest() == sha256
