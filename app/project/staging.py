"""Imported files made ready to be written to a project file: the SHA-256 of each original
checked, its normalised PDF put in stored form (``app.project.pdfdelta``) and hashed, on a feeder
thread running up to a transaction's worth of bytes ahead of the writer
(``ProjectStore.add_evidence_streams``), so that the import never waits for a commit."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from app.model import PageInfo
from app.project import evidence
from app.project.snapshots import ImportedLike
from app.system.ahead import ahead


@dataclass(frozen=True)
class Prepared:
    """An imported file ready to be written: checked, hashed, its PDF in stored form."""

    name: str
    sha256: str
    original: bytes
    stored_pdf: bytes
    pdf_sha256: str
    pages: tuple[PageInfo, ...]


def prepare(item: ImportedLike) -> Prepared:
    original = bytes(item.original)
    if hashlib.sha256(original).hexdigest() != item.sha256.lower():
        raise ValueError(f"SHA-256 of {item.name!r} does not match its bytes")
    pdf = bytes(item.pdf)
    return Prepared(
        item.name,
        item.sha256.lower(),
        original,
        evidence.stored_pdf(pdf, original),
        hashlib.sha256(pdf).hexdigest(),
        tuple(item.pages),
    )


def prepared(items: Iterable[ImportedLike], budget: int = 32 * 1024 * 1024) -> Iterator[Prepared]:
    """``items`` prepared (hashing, the delta encoding) on a feeder thread that runs ahead of
    the caller by up to ``budget`` bytes: while the caller writes and commits (SQLite releases
    Python's lock as it writes and syncs), the feeder keeps pulling ``items``, so the import's
    workers never wait for a commit. A failure of ``items`` (a refusal, a cancel) reaches the
    caller in its place; a caller that stops early stops the feeder, which closes ``items`` on
    its own thread."""
    return ahead(items, prepare, _weight, budget, name="store-prepare")


def _weight(entry: Prepared) -> int:
    return len(entry.original) + len(entry.stored_pdf)
