"""A finding (a problem or a warning) as data, and how a list of them gates a build.

:mod:`app.rules.findings` produces them (and re-exports these names)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["blocking", "warning"]


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    where: str
    message: str

    @property
    def blocking(self) -> bool:
        return self.severity == "blocking"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]


PROCESS_PREFIX = "process."
"""Findings about the district-stamped 申请表: they concern the bound (final) packet only."""


def blocking_for(findings: Iterable[Finding], stage: str) -> list[Finding]:
    """The findings that refuse a build of ``stage`` ("review", "final", "online"): the
    stamped form's findings refuse only the final packet (a 初审 print is what gets stamped,
    and may always be rebuilt; the online folder says itself when the scan is missing)."""
    return [
        f for f in blocking(findings) if stage == "final" or not f.code.startswith(PROCESS_PREFIX)
    ]


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Blocking first, otherwise in the order produced (company, items, documents...)."""
    return sorted(findings, key=lambda f: 0 if f.blocking else 1)
