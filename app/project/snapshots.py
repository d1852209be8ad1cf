"""Plain data crossing the store's boundary: what it imports, and what undo needs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from app.model import EvidenceFile, PageInfo, Row


class ImportedLike(Protocol):
    """What ``app.intake`` hands over for one accepted file (``app.intake.ImportedFile``).

    Declared here as a protocol so the store does not depend on the intake package.
    """

    @property
    def name(self) -> str: ...  # original file name, as the user knew it

    @property
    def original(self) -> bytes: ...  # the file's bytes as imported

    @property
    def sha256(self) -> str: ...  # hex SHA-256 of ``original``

    @property
    def pdf(self) -> bytes: ...  # the normalised, A4-ready PDF

    @property
    def pages(self) -> Sequence[PageInfo]: ...  # one per page of ``pdf``


@dataclass(frozen=True)
class EvidenceSnapshot:
    """Everything about one stored evidence file, bytes included: enough to put it back exactly
    (same id, position, pages and user rotations)."""

    file: EvidenceFile
    original: bytes = field(repr=False)
    pdf: bytes = field(repr=False)
    pdf_sha256: str = ""


@dataclass(frozen=True)
class RowSnapshot:
    """A deleted table row with its position and its per-row evidence files."""

    table_id: str
    row: Row
    position: int
    evidence: tuple[EvidenceSnapshot, ...] = ()
