"""Run in a child process with QT_SCALE_FACTOR set (tests/gui/test_hidpi.py): thumbnails, the
framed page icons and the preview, measured in real and logical pixels, printed as JSON."""

from __future__ import annotations

import json
import sys

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from app.model import EvidenceFile, PageInfo
from widgets.evidence.icons import PAGE_ICON, framed
from widgets.preview import PreviewDialog
from widgets.thumbnails import ThumbnailCache


def main(path: str) -> None:
    app = QApplication([])
    c = canvas.Canvas(path, pagesize=A4)
    c.drawString(100, 700, "page")
    c.showPage()
    c.save()
    pdf = open(path, "rb").read()  # noqa: SIM115
    cache = ThumbnailCache(height=150)
    cache.set_source(lambda _fid: pdf)
    cache.get("f", 0)
    deadline = 200
    while cache.get("f", 0) is None and deadline:
        QTest.qWait(50)
        deadline -= 1
    thumb = cache.get("f", 0)
    assert thumb is not None
    turned = cache.get("f", 0, 90)
    assert turned is not None
    icon = framed(thumb, PAGE_ICON)
    file = EvidenceFile("f", "d", None, "a.pdf", "0", 1, 0, (PageInfo(595.28, 841.89, 0, None),))
    dialog = PreviewDialog(lambda _fid: pdf, file)
    dialog.show()
    for _ in range(200):
        if dialog.rendered is not None:
            break
        QTest.qWait(50)
    pixmap = dialog.image.pixmap()
    print(
        json.dumps(
            {
                "screen_ratio": app.primaryScreen().devicePixelRatio(),
                "cache_ratio": cache.ratio,
                "thumb": [thumb.height(), thumb.devicePixelRatio()],
                "turned": [turned.width(), turned.devicePixelRatio()],
                "icon": [icon.width(), icon.height(), icon.devicePixelRatio()],
                "preview": [pixmap.height(), pixmap.devicePixelRatio(), dialog.image.height()],
                "dialog_ratio": dialog.devicePixelRatioF(),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
