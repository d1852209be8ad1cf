"""Screenshots of every wizard page for the user guide, taken offscreen with the bundled sample
company, at the three screens clerks use: 1366×768 (the guide's pictures, in
``docs/screenshots/``), 1280×720 (``docs/screenshots/1280x720/``) and 1920×1080 at 150 %
(``docs/screenshots/150%/``: a 1280×720 logical window at scale 1.5). Each window is the size the
program gives a first window on that screen (less a 40-pixel taskbar).

Run by hand: ``python tools/screenshots.py docs/screenshots``. The sample project is placed in a
folder like a clerk's (``/home/张三/文档/2019年服务贸易申报`` where it can be made and is not
there yet, removed afterwards; else a temporary folder), so no developer path shows in the
pictures' 最近的项目 and 输出文件夹.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAMES = ["1-开始", "2-企业信息", "3-申报项目", "4-材料", "5-检查", "6-输出"]
# (sub-folder, screen width, screen height, scale factor)
SETS = [("", 1366, 768, 1.0), ("1280x720", 1280, 720, 1.0), ("150%", 1920, 1080, 1.5)]
TASKBAR = 40


def take(out: Path, screen_w: int, screen_h: int, scale: float) -> None:
    """One set, in this process (QT_SCALE_FACTOR must already be set for ``scale``)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QRect
    from PySide6.QtTest import QTest

    from app.manifest.load import load_manifest
    from app.manifest.transfer import import_manifest
    from app.outputs.demo import SAMPLE_MANIFEST
    from widgets.app import make_app
    from widgets.main_window import MainWindow, initial_geometry

    app = make_app([])
    work = Path(os.environ["SHOTS_WORK"])
    work.mkdir(parents=True, exist_ok=True)
    project = work / "珠海澳澜智联-2019申报.sbproj"
    if not project.exists():
        import_manifest(load_manifest(SAMPLE_MANIFEST), project)
    window = MainWindow(today=dt.date(2019, 1, 28))
    logical = QRect(0, 0, round(screen_w / scale), round(screen_h / scale) - TASKBAR)
    window.resize(initial_geometry(logical).size())
    window.show()
    window.open_project(project)
    for _ in range(800):  # the project is read in the background: the pages wait for it
        if window.session is not None and window.opening is None:
            break
        QTest.qWait(25)
    else:
        raise SystemExit(f"the sample project did not open: {window.status.text()}")
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
        path = out / f"{name}.png"
        window.grab().save(str(path))
        print(path, f"{window.width()}×{window.height()} × {scale}")
    window.close()


def clerk_folder() -> tuple[Path, Path | None]:
    """(folder for the sample project, what to remove afterwards)."""
    clerk = Path("/home/张三")
    if sys.platform != "win32" and os.access("/home", os.W_OK) and not clerk.exists():
        return clerk / "文档" / "2019年服务贸易申报", clerk
    temp = Path(tempfile.mkdtemp(prefix="shots-"))
    return temp / "文档" / "2019年服务贸易申报", temp


def main(out: Path) -> None:
    for folder, width, height, scale in SETS:
        home = Path(tempfile.mkdtemp(prefix="shots-home-"))
        work, remove = clerk_folder()
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            QT_SCALE_FACTOR=str(scale),
            PACKET_ASSEMBLER_HOME=str(home),
            SHOTS_WORK=str(work),
        )
        target = out / folder if folder else out
        args = [sys.executable, __file__, "--one", str(target), str(width), str(height), str(scale)]
        try:
            subprocess.run(args, env=env, check=True)
        finally:
            shutil.rmtree(home, ignore_errors=True)
            if remove is not None:
                shutil.rmtree(remove, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        take(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]))
    else:
        main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
