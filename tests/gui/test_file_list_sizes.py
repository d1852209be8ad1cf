"""The file list gives each line its size once, measuring the first line with Qt and the others
from their text (asking Qt for each of 1,000 lines was ~50 ms of the window's thread): every
line as high as Qt measures it and as wide, or a pixel or two wider, never narrower."""

from __future__ import annotations

import random

from PySide6.QtWidgets import QWidget

from app.model import EvidenceFile, PageInfo
from widgets.evidence.files_view import FilesView

CHARS = "营业执照副本外汇收款凭证合同发票审计报告离岸软件开发珠海科技有限公司（盖章）《》—、，。0123abcXYZ_-"


def _files(count: int) -> list[EvidenceFile]:
    rng = random.Random(7)
    out = []
    for n in range(count):
        name = "".join(rng.choice(CHARS) for _ in range(rng.randint(2, 70))) + ".pdf"
        if n == 5:
            name = "第一行\n第二行.pdf"  # a line break in a name (possible on Linux)
        low = n % 4 == 0
        pages = tuple(
            PageInfo(595, 842, 0, 96.0 if low else 300.0, upright_turns=(1,) if n % 7 == 0 else ())
            for _ in range(rng.randint(1, 5))
        )
        out.append(EvidenceFile(f"f{n}", "contracts", None, name, "0" * 64, 1000, n, pages))
    return out


def test_each_line_is_as_high_as_qt_measures_it_and_no_narrower(qtbot):  # type: ignore[no-untyped-def]
    host = QWidget()
    qtbot.addWidget(host)
    view = FilesView(host, lambda: None)
    files = _files(60)
    view.set_files(files)
    listing = view.file_list
    assert listing.count() == 60
    for row in range(listing.count()):
        entry = listing.item(row)
        qt = listing.sizeHintForIndex(listing.indexFromItem(entry))
        ours = entry.sizeHint()
        assert ours.height() == qt.height(), (row, entry.text())
        assert qt.width() <= ours.width() <= qt.width() + 2, (row, entry.text())
