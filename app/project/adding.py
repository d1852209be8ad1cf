"""Adding evidence files to a project: in one transaction (files already imported and in
memory), or streamed (each file written out of sight as it comes, the whole batch put in place
in one short transaction after the last). :class:`app.project.store.ProjectStore` calls these
with its own ``_write`` (which serialises the store's writes and maps SQLite errors)."""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager

from app.model import EvidenceFile
from app.project import evidence, records
from app.project.snapshots import ImportedLike
from app.project.staging import Prepared, prepared

STAGE_BYTES = 32 * 1024 * 1024
"""A streamed batch is written in transactions of about this many bytes: few enough syncs to the
disk, little enough held in memory."""

WriteFn = Callable[..., AbstractContextManager[sqlite3.Connection]]


def new_id() -> str:
    return uuid.uuid4().hex


def add_many(
    write: WriteFn,
    document_id: str,
    row_id: str | None,
    imported: Sequence[ImportedLike],
    position: int | None,
) -> list[str]:
    """Store ``imported`` in order, in ONE transaction (see ``ProjectStore.add_evidence_many``)."""
    ids: list[str] = []
    with write("evidence") as conn:
        if row_id is not None and not records.row_exists(conn, row_id):
            raise KeyError(f"no row {row_id!r} in this project")
        count = evidence.group_count(conn, document_id, row_id)
        at = count if position is None else min(position, count)
        evidence.open_gap(conn, document_id, row_id, at, len(imported))
        for offset, item in enumerate(imported):
            original = bytes(item.original)
            if hashlib.sha256(original).hexdigest() != item.sha256.lower():
                raise ValueError(f"SHA-256 of {item.name!r} does not match its bytes")
            pdf = bytes(item.pdf)
            file = EvidenceFile(
                id=new_id(),
                document_id=document_id,
                row_id=row_id,
                name=item.name,
                sha256=item.sha256.lower(),
                size=len(original),
                order=at + offset,
                pages=tuple(item.pages),
            )
            evidence.insert_file(conn, file, original, pdf, hashlib.sha256(pdf).hexdigest())
            ids.append(file.id)
    return ids


def add_streams(
    write: WriteFn,
    groups: Sequence[tuple[str, str | None, Iterable[ImportedLike]]],
    position: int | None,
    stage_bytes: int,
) -> list[list[str]]:
    """Several documents' files as they come, all or none (see
    ``ProjectStore.add_evidence_streams``); the ids per group."""
    batches = [new_id() for _ in groups]
    try:
        for batch, (_doc, _row, imported) in zip(batches, groups, strict=True):
            buffered: list[Prepared] = []
            size = 0
            staged = 0
            for item in prepared(imported):
                buffered.append(item)
                size += len(item.original) + len(item.stored_pdf)
                if size >= stage_bytes:
                    staged = _stage(write, batch, buffered, staged)
                    buffered, size = [], 0
            _stage(write, batch, buffered, staged)
        with write("evidence") as conn:
            out = []
            for batch, (document_id, row_id, _items) in zip(batches, groups, strict=True):
                if row_id is not None and not records.row_exists(conn, row_id):
                    raise KeyError(f"no row {row_id!r} in this project")
                out.append(evidence.commit_staged(conn, batch, document_id, row_id, position))
            return out
    except BaseException:
        with contextlib.suppress(Exception), write() as conn:
            for batch in batches:
                evidence.discard_staged(conn, batch)
        raise


def _stage(write: WriteFn, batch: str, items: Sequence[Prepared], first: int) -> int:
    """Write ``items`` under ``batch`` in one transaction; returns the next sequence."""
    if not items:
        return first
    with write() as conn:
        for seq, item in enumerate(items, first):
            file = EvidenceFile(
                id=new_id(),
                document_id=evidence.STAGED + batch,
                row_id=None,
                name=item.name,
                sha256=item.sha256,
                size=len(item.original),
                order=seq,
                pages=item.pages,
            )
            evidence.insert_prepared(conn, file, item.original, item.stored_pdf, item.pdf_sha256)
    return first + len(items)
