"""Reviewing each source and the whole set (duplicates by credit code)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from app.guide.model import Guide
from app.manifest.source import load_source  # the same loading as ``check``
from app.model import ProjectData
from app.review.discover import Found
from app.review.model import KIND_LABELS, ItemAmount, SourceResult
from app.review.packet import verify_packet
from app.rules.evaluation import evaluate
from app.rules.findings import Finding, sort_findings, validate
from app.system.errors import AppError

ProgressFn = Callable[[int, int, str], None]
CancelFn = Callable[[], bool]


@dataclass(frozen=True)
class Review:
    results: tuple[SourceResult, ...]

    @property
    def failed(self) -> bool:
        return any(r.failed for r in self.results)


def _no_password(_name: str) -> str | None:
    return None  # a batch never asks: an encrypted scan is reported as a problem


def _review_data(found: Found, today: dt.date | None) -> SourceResult:
    guide, data, extra = load_source(found.path, _no_password)
    ev = evaluate(guide, data)
    findings = sort_findings(extra + validate(guide, data, ev, today=today))
    stage = _stage(guide, data)
    items = tuple(
        ItemAmount(
            guide.item(i).number,
            guide.item(i).full_title,
            ev.items[i].ceiling_cny,
            ev.items[i].requested_cny,
        )
        for i in ev.selected
    )
    c = data.company
    return SourceResult(
        path=found.shown,
        kind=found.kind,
        company=c.name.strip() or None,
        credit_code=c.credit_code.strip() or None,
        district=c.district.strip() or None,
        items=items,
        total_requested_cny=ev.total_requested_cny,
        findings=tuple(findings),
        stage=stage,
        pages=None,
        guide=guide.reference,
    )


def _stage(guide: Guide, data: ProjectData) -> str:
    """The furthest submission stage the project records (申报流程), or "" when it records none
    or its guide has no process. Read by name so that this works with guides and projects
    written before the process was modelled."""
    process: Any = getattr(guide, "process", None)
    reached: Any = getattr(data, "stages", None) or {}
    if process is None or not reached:
        return ""
    titles = [str(s.title) for s in process.stages if s.id in reached]
    return titles[-1] if titles else ""


def review_source(found: Found, today: dt.date | None = None) -> SourceResult:
    """One source's verdict. Never raises for a bad file: its message goes into ``error``."""
    try:
        if found.kind == "packet":
            return verify_packet(found.path, found.shown)
        return _review_data(found, today)
    except AppError as exc:
        return SourceResult(path=found.shown, kind=found.kind, error=exc.message)
    except Exception as exc:  # a file no reader expected: still a row, never the end of the run
        what = KIND_LABELS[found.kind]
        return SourceResult(
            path=found.shown,
            kind=found.kind,
            error=f"无法读取{what} {found.shown}（{type(exc).__name__}），文件可能已损坏。",
        )


def _with_duplicates(results: Sequence[SourceResult]) -> list[SourceResult]:
    by_code: dict[str, list[int]] = {}
    for n, r in enumerate(results):
        if r.credit_code:
            by_code.setdefault(r.credit_code.upper(), []).append(n)
    out = list(results)
    for code, idx in by_code.items():
        if len(idx) < 2:
            continue
        for n in idx:
            others = "；".join(
                f"{KIND_LABELS[results[m].kind]} {results[m].path}" for m in idx if m != n
            )
            note = Finding(
                "review.duplicate",
                "warning",
                "company.credit_code",
                f"同一统一社会信用代码 {code} 还出现在：{others}。请确认以哪一份为准。",
            )
            out[n] = replace(out[n], findings=(*out[n].findings, note))
    return out


def review(
    sources: Sequence[Found],
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    today: dt.date | None = None,
) -> Review:
    """Review every source in order; ``progress(done, total, shown path)`` before each."""
    results: list[SourceResult] = []
    total = len(sources)
    for n, found in enumerate(sources):
        if cancel is not None and cancel():
            break
        if progress is not None:
            progress(n, total, found.shown)
        results.append(review_source(found, today))
    if progress is not None:
        progress(len(results), total, "完成")
    return Review(tuple(_with_duplicates(results)))


def duplicate_codes(results: Sequence[SourceResult]) -> set[str]:
    seen: set[str] = set()
    dup: set[str] = set()
    for r in results:
        if r.credit_code:
            key = r.credit_code.upper()
            (dup if key in seen else seen).add(key)
    return dup
