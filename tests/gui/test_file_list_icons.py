"""The file list of a document with many files: every file is listed in order at once, while
thumbnails are rendered only for the lines in view and follow the list as it scrolls."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from app.intake import import_stream
from widgets.evidence.files import ROLE_FILE
from widgets.pages.evidence import EvidencePage
from widgets.session import ProjectSession

DOC = ("oso_fx_receipts", None)
FILES = 80
TIMEOUT = 30000


def _scans(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    out = []
    for n in range(count):
        image = Image.new("RGB", (300, 424), "white")
        ImageDraw.Draw(image).rectangle((20, 20 + n, 280, 60 + n), fill="black")
        path = folder / f"回单{n:03d}.png"
        image.save(path, dpi=(50, 50))
        out.append(path)
    return out


def test_only_the_lines_in_view_get_thumbnails_and_scrolling_brings_the_rest(  # type: ignore[no-untyped-def]
    qtbot, session: ProjectSession, tmp_path: Path
) -> None:
    session.store.set_selected(["outsourcing_offshore"])
    session.store.add_evidence_stream(*DOC, import_stream(_scans(tmp_path / "scans", FILES)))
    page = EvidencePage()
    qtbot.addWidget(page)
    page.set_session(session)
    page.resize(1200, 700)
    page.show()
    item = page.tree_item(DOC)
    assert item is not None
    page.tree.setCurrentItem(item)
    files = page.file_list
    thumbs = page.thumbnails
    ids = [f.id for f in session.data.files_for(*DOC)]
    # every file is listed, in order, with its number
    assert files.count() == FILES
    assert [files.item(r).data(ROLE_FILE) for r in range(FILES)] == ids
    assert files.item(FILES - 1).text().startswith(f"{FILES}. 回单{FILES - 1:03d}.png")

    def drawn(row: int) -> bool:
        return thumbs.peek(ids[row], 0) is not None

    in_view = page.files.visible_rows()
    assert 0 < len(in_view) < FILES // 2
    qtbot.waitUntil(lambda: all(drawn(r) for r in in_view), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: thumbs.pending() == 0, timeout=TIMEOUT)
    assert not drawn(FILES - 1)  # far below the view: never asked for
    assert sum(drawn(r) for r in range(FILES)) < FILES // 2
    # the line's icon is the thumbnail (not the grey placeholder every waiting file shares)
    placeholder = files.item(FILES - 1).icon().cacheKey()
    qtbot.waitUntil(lambda: files.item(in_view[0]).icon().cacheKey() != placeholder)

    files.scrollToBottom()
    qtbot.waitUntil(lambda: drawn(FILES - 1), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: files.item(FILES - 1).icon().cacheKey() != placeholder)
    assert FILES - 1 in page.files.visible_rows()
