"""`python main.py selftest`: start the real window, visit every page, check that Chinese renders
with the bundled font (and, on Windows, that the system's UI font is there), and quit. A smoke
test for CI and for installs. On Windows the real platform plugin (qwindows) is started, as a
clerk's double-click starts it; elsewhere without a display, Qt's offscreen plugin."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

WINDOWS_UI_FONTS = ("Microsoft YaHei UI", "Microsoft YaHei")


def needs_offscreen(platform: str, env: dict[str, str]) -> bool:
    """Offscreen only where no screen can exist (no X or Wayland display); never on Windows,
    where the real plugin is what must be tried."""
    if platform == "win32" or env.get("QT_QPA_PLATFORM"):
        return False
    return not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY")


def run() -> int:
    if needs_offscreen(sys.platform, dict(os.environ)):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.setdefault("PACKET_ASSEMBLER_HOME", tempfile.mkdtemp(prefix="selftest-home-"))
    from PySide6.QtGui import QFontDatabase, QRawFont
    from PySide6.QtTest import QTest

    from app.guide import available_guides, load_guide
    from widgets.app import BUNDLED_FAMILY, make_app
    from widgets.main_window import MainWindow
    from widgets.session import ProjectSession

    app = make_app([])
    problems: list[str] = []
    if BUNDLED_FAMILY not in QFontDatabase.families():
        problems.append("内置中文字体未能加载")
    raw = QRawFont.fromFont(app.font())
    if not all(raw.supportsCharacter(ord(ch)) for ch in "申报材料助手"):
        problems.append("界面字体缺少中文字形")
    if not _renders_a_page():
        problems.append("无法显示 PDF 页面缩略图")
    from app.outputs.side import process_works

    if not process_works():
        problems.append("无法启动辅助进程（生成较大的申报材料时会慢一些）")
    families = set(QFontDatabase.families())
    if sys.platform == "win32" and not families.intersection(WINDOWS_UI_FONTS):
        problems.append("系统缺少“微软雅黑”界面字体（Microsoft YaHei UI）")
    with tempfile.TemporaryDirectory(prefix="selftest-") as tmp:
        project = Path(tmp) / "自检.sbproj"
        guide = load_guide(available_guides()[0])  # any bundled guide will do
        ProjectSession.create(project, guide.id).close()
        window = MainWindow(today=dt.date(guide.year, 2, 1))
        window.resize(1366, 768)
        window.show()
        window.open_project(project)
        for _ in range(200):  # the project opens in the background
            if window.session is not None:
                break
            QTest.qWait(25)
        for index in range(len(window.pages)):
            window.go(index)
            QTest.qWait(50)
            if window.stack.currentIndex() != index:
                problems.append(f"无法打开第 {index + 1} 步")
            if window.grab().isNull():
                problems.append(f"第 {index + 1} 步无法显示")
        window.close()
    if problems:
        sys.stderr.write("自检未通过：" + "；".join(problems) + "\n")
        return 1
    from PySide6.QtGui import QGuiApplication

    sys.stdout.write(
        "自检通过：窗口、各步骤页面和中文字体均正常。"
        f"（显示插件：{QGuiApplication.platformName()}）\n"
    )
    return 0


def _renders_a_page() -> bool:
    """The thumbnail renderer (PDFium, a library the frozen bundle must carry) draws a page."""
    from reportlab.pdfgen import canvas

    from widgets.thumbnails import render_pages

    with tempfile.TemporaryDirectory(prefix="selftest-pdf-") as tmp:
        path = Path(tmp) / "page.pdf"
        c = canvas.Canvas(str(path))
        c.drawString(100, 700, "selftest")
        c.save()
        images = render_pages(path.read_bytes(), [0], 40)
    return 0 in images and images[0].height() == 40
