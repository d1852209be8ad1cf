"""What a review reports about one source (a project file, a manifest or a packet folder)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from app.rules.findings import Finding

SourceKind = Literal["project", "manifest", "packet"]

KIND_LABELS: dict[str, str] = {"project": "项目文件", "manifest": "清单文件", "packet": "申报材料"}


@dataclass(frozen=True)
class ItemAmount:
    """One item applied for: its number (``（二）1.``), full title (``（二）1.服务外包在岸业务``)
    and amounts."""

    number: str
    title: str
    ceiling_cny: Decimal | None
    requested_cny: Decimal | None


@dataclass(frozen=True)
class SourceResult:
    """The verdict on one source. ``error`` is set when the source could not be read, or when a
    packet failed its verification; ``findings`` hold every problem and warning."""

    path: str  # as given under the PATH the user named
    kind: SourceKind
    company: str | None = None
    credit_code: str | None = None
    district: str | None = None
    items: tuple[ItemAmount, ...] = ()
    total_requested_cny: Decimal | None = None
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    stage: str = ""
    pages: int | None = None
    guide: str | None = None  # the guide applied under: its title (and 文号)

    @property
    def blocking(self) -> int:
        return sum(1 for f in self.findings if f.blocking)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if not f.blocking)

    @property
    def failed(self) -> bool:
        """Whether this source makes the run's exit code 1."""
        return self.error is not None or self.blocking > 0

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind,
            "company": self.company,
            "credit_code": self.credit_code,
            "guide": self.guide,
            "total_requested_cny": self.total_requested_cny,
            "blocking": self.blocking,
            "warnings": self.warnings,
            "error": self.error,
        }
