"""The page check (:mod:`app.intake.pagecheck`) for pages that missed it at import: pages stored
by a version before the check existed (project files before version 7, their
``pages.analysis`` NULL) or that it could not judge then. They are judged later from the stored
PDF, as at import: the window stores what it finds (in the background, on opening), ``check``
only computes it (it never writes the project file).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence

from app.intake import pagecheck
from app.model import EvidenceFile, ProjectData

Found = dict[int, tuple[tuple[int, ...], bool]]
"""Page index -> (clockwise turns making it upright, blank), as a late check found them."""


def unchecked(files: Iterable[EvidenceFile]) -> dict[str, list[int]]:
    """File id -> the indexes of its pages the check never ran on (files with none left out)."""
    out: dict[str, list[int]] = {}
    for f in files:
        indexes = [i for i, page in enumerate(f.pages) if not page.checked]
        if indexes:
            out[f.id] = indexes
    return out


def unchecked_count(files: Iterable[EvidenceFile]) -> int:
    return sum(len(indexes) for indexes in unchecked(files).values())


def check_stored(
    pdf: bytes, indexes: Sequence[int], cancelled: Callable[[], bool] = lambda: False
) -> Found | None:
    """Judge pages ``indexes`` of a stored (normalised) PDF, one at a time so that a cancel is
    seen between pages (None then: nothing is to be kept). A page the check cannot judge counts
    as checked with nothing found, as at import: it is not tried again at every opening."""
    found: Found = {}
    for index in indexes:
        if cancelled():
            return None
        try:
            judgements = pagecheck.check_pdf(pdf, {index})
        except Exception:  # a page the check did not foresee: nothing found on it
            judgements = []
        judgement = judgements[index] if index < len(judgements) else None
        found[index] = ((), False) if judgement is None else (judgement.turns, judgement.blank)
    return found


def applied(f: EvidenceFile, found: Mapping[int, tuple[tuple[int, ...], bool]]) -> EvidenceFile:
    """``f`` with what a late check found on its pages."""
    pages = tuple(
        dataclasses.replace(page, upright_turns=found[i][0], blank=found[i][1], checked=True)
        if i in found and not page.checked
        else page
        for i, page in enumerate(f.pages)
    )
    return dataclasses.replace(f, pages=pages)


def checked_in_memory(
    data: ProjectData, pdf_of: Callable[[str], bytes], skip: Iterable[str] = ()
) -> tuple[ProjectData, int]:
    """``data`` with its unchecked pages judged (nothing written), and how many were. Files in
    ``skip`` (damaged: their own finding says so) and files whose PDF cannot be read are left
    as they are."""
    todo = unchecked(data.evidence)
    left_out = set(skip)
    done = 0
    files = []
    for f in data.evidence:
        indexes = todo.get(f.id)
        if indexes and f.id not in left_out:
            try:
                pdf = pdf_of(f.id)
            except Exception:  # damaged or unreadable: its own finding (or none) says so
                files.append(f)
                continue
            found = check_stored(pdf, indexes)
            if found is not None:
                f = applied(f, found)
                done += len(found)
        files.append(f)
    return dataclasses.replace(data, evidence=tuple(files)), done
