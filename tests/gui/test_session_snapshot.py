"""The session's snapshot of the project after a change: the evidence files (the costly part at
1,000 files) are read again only after a change of the evidence; any other change reads the
rest again and keeps them, and every change shows in the next snapshot."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from app.intake import import_stream
from widgets.session import ProjectSession

DOC = ("business_license", None)


def _scan(path: Path) -> Path:
    Image.new("RGB", (300, 424), "white").save(path, dpi=(50, 50))
    return path


def test_evidence_is_read_again_only_after_an_evidence_change(  # type: ignore[no-untyped-def]
    qtbot, session: ProjectSession, tmp_path: Path
) -> None:
    (first,) = session.store.add_evidence_stream(*DOC, import_stream([_scan(tmp_path / "a.png")]))
    files = session.data.evidence
    assert [f.id for f in files] == [first]

    session.set_company_field("name", "珠海甲公司")
    session.set_option("duplex", True)
    data = session.data
    assert data.company.name == "珠海甲公司"  # the change is there
    assert data.evidence is files  # the files were not read again

    session.rotate_page(first, 0, 90)  # an evidence change: read again
    turned = session.data.evidence
    assert turned is not files
    assert turned[0].pages[0].user_rotation == 90

    (second,) = session.store.add_evidence_stream(*DOC, import_stream([_scan(tmp_path / "b.png")]))
    assert [f.id for f in session.data.evidence] == [first, second]
    session.set_company_field("name", "珠海乙公司")
    assert [f.id for f in session.data.evidence] == [first, second]
    assert session.data.company.name == "珠海乙公司"
    session.remove_file(first)
    assert [f.id for f in session.data.evidence] == [second]
