"""Screenshots of every wizard page for the user guide, taken offscreen at 1366×768 with the
bundled sample company. Run by hand: ``python tools/screenshots.py docs/screenshots``."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PACKET_ASSEMBLER_HOME", tempfile.mkdtemp(prefix="shots-home-"))
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NAMES = ["1-开始", "2-企业信息", "3-申报项目", "4-材料", "5-检查", "6-输出"]


def main(out: Path) -> None:
    from PySide6.QtTest import QTest

    from app.demo import SAMPLE_MANIFEST
    from app.manifest import import_manifest, load_manifest
    from widgets.app import make_app
    from widgets.main_window import MainWindow

    app = make_app([])
    work = Path(tempfile.mkdtemp(prefix="shots-"))
    project = work / "珠海澳澜智联-2019申报.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), project)
    window = MainWindow(today=dt.date(2019, 1, 28))
    window.resize(1366, 768)
    window.show()
    window.open_project(project)
    out.mkdir(parents=True, exist_ok=True)
    for index, name in enumerate(NAMES):
        window.go(index)
        if index == 3:
            page = window.evidence_page
            page.focus_where("document.oso_contracts")
            for _ in range(200):
                if page.page_thumbnail_ready(0):
                    break
                QTest.qWait(25)
        QTest.qWait(300)
        app.processEvents()
        window.grab().save(str(out / f"{name}.png"))
        print(out / f"{name}.png")
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
