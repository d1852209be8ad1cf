"""Imported files made ready to be written to a project file: the SHA-256 of each original
checked, its normalised PDF put in stored form (``app.project.pdfdelta``) and hashed, on a helper
thread one or two files ahead of the writer (``ProjectStore.add_evidence_streams``)."""

from __future__ import annotations

import collections
import concurrent.futures
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from app.model import PageInfo
from app.project import evidence
from app.project.snapshots import ImportedLike


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


def prepared(items: Iterable[ImportedLike]) -> Iterator[Prepared]:
    """``items`` prepared one or two ahead on a helper thread (hashing, the delta encoding),
    while the caller writes the previous ones (SQLite releases Python's lock as it writes)."""
    with concurrent.futures.ThreadPoolExecutor(1, "store-prepare") as pool:
        ahead: collections.deque[concurrent.futures.Future[Prepared]] = collections.deque()
        try:
            for item in items:
                ahead.append(pool.submit(prepare, item))
                if len(ahead) > 2:
                    yield ahead.popleft().result()
            while ahead:
                yield ahead.popleft().result()
        finally:
            for future in ahead:
                future.cancel()
