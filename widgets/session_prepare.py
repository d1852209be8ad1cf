"""What a project session starts with and works out (no Qt): the project as opening reads it
in the background (:func:`prepare`, on any thread) and every finding of a project
(:func:`project_findings`). Used by :mod:`widgets.session` and the main window's opening."""

from __future__ import annotations

from dataclasses import dataclass

from app.guide.model import Guide
from app.guide.registry import stored_guide
from app.model import ProjectData
from app.project import ProjectStore
from app.rules.evaluation import Evaluation, evaluate
from app.rules.findings import Finding, damaged_evidence_findings, validate


@dataclass(frozen=True)
class Prepared:
    """A project as opening reads it in the background, with what the window shows at once
    worked out from it there (its guide, evaluation and findings: ~10-40 ms of the window's
    thread otherwise)."""

    data: ProjectData
    guide: Guide
    evaluation: Evaluation
    findings: tuple[Finding, ...]


def prepare(store: ProjectStore) -> Prepared:
    """Read ``store`` and work out what a session starts with (any thread). Nothing stored is
    found damaged yet: the session's own check of the stored evidence comes after."""
    data = store.load()
    guide = project_guide_of(store)
    evaluation = evaluate(guide, data)
    return Prepared(data, guide, evaluation, tuple(project_findings(guide, data, {}, evaluation)))


def project_guide_of(store: ProjectStore) -> Guide:
    """The guide the project follows: its stored copy, else the bundled guide of its id."""
    stored = store.stored_guide()
    return stored_guide(store.guide_id, stored[0] if stored else None)


def project_findings(
    guide: Guide,
    data: ProjectData,
    damaged: dict[str, tuple[str, ...]],
    evaluation: Evaluation | None = None,
) -> list[Finding]:
    """Every finding of the project: damaged evidence first, then the guide's rules."""
    return damaged_evidence_findings(guide, data, damaged) + validate(
        guide, data, evaluation if evaluation is not None else evaluate(guide, data)
    )
