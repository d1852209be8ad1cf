"""The assembler's own threads and its readers: stored PDFs read ahead in page order with a
failure in its place, nothing left running, and nothing left for the cycle collector."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from app.packet.assemble import DocInfo, DrawnPage, EvidencePage, assemble
from app.packet.layout import Layout
from app.system.errors import ProjectFileError
from tests.test_assemble import reportlab_pdf, small_plan


def test_stored_pdfs_are_read_ahead_in_page_order_and_nothing_keeps_running(
    tmp_path: Path,
) -> None:
    """The reading runs a few files ahead on its own thread: each file is asked for in the
    order the pages come (again when it comes back after another), a failure of the reading
    stops the packet at that file with progress reported up to it, and neither the reading
    nor the writing thread outlives the call."""
    import threading

    pages, drawn, evidence = small_plan()
    pages += [EvidencePage("f0", 0), DrawnPage(0), EvidencePage("f0", 0)]
    asked: list[str] = []

    def read(file_id: str) -> bytes:
        asked.append(file_id)
        return evidence[file_id]

    assemble(tmp_path / "a.pdf", pages, drawn, None, read, Layout(), info=DocInfo("t", "a"))
    assert asked == ["f0", "f1", "f2", "f3", "f0"]
    assert len(PdfReader(tmp_path / "a.pdf").pages) == len(pages)

    def failing(file_id: str) -> bytes:
        if file_id == "f2":
            raise ProjectFileError("项目文件中的证明材料 f2 已损坏")
        return evidence[file_id]

    reached: list[int] = []
    with pytest.raises(ProjectFileError, match="f2"):
        assemble(
            tmp_path / "b.pdf", pages, drawn, None, failing, Layout(), info=DocInfo("t", "a"),
            progress=lambda done, total, label: reached.append(done),
        )  # fmt: skip
    assert max(reached) == 3  # pages 0-2 done, page 3 (f2) failed
    assert not (tmp_path / "b.pdf").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]
    assert not [t for t in threading.enumerate() if t.name.startswith("packet-")]


def test_the_readers_leave_nothing_for_the_cycle_collector(tmp_path: Path) -> None:
    """pypdf's readers point at what they parsed and back: left as they are, every evidence
    file's objects wait for a full collection (85-110 ms holding Python's lock for a 300-page
    packet, a stall of the window in whichever thread it lands). Once assembled, they are
    freed by reference counting."""
    import gc

    from pypdf.generic import PdfObject

    pages, drawn, evidence = small_plan()
    pages += [EvidencePage(f"f{i % 4}", 0) for i in range(8)]
    gc.collect()
    gc.disable()
    try:
        assemble(
            tmp_path / "p.pdf", pages, drawn, reportlab_pdf([str(n) for n in range(len(pages))]),
            evidence.__getitem__, Layout(), info=DocInfo("t", "a"),
        )  # fmt: skip
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        left = [o for o in gc.garbage if isinstance(o, (PdfReader, PdfObject))]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert left == []
    assert len(PdfReader(tmp_path / "p.pdf").pages) == len(pages)
