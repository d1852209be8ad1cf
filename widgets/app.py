"""Starting the GUI: the application object, the bundled CJK font, the last-resort error hook."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from app.system.about import command_name

FONT_FILE = Path(__file__).resolve().parents[1] / "resources" / "fonts" / "wqy-microhei.ttc"
BUNDLED_FAMILY = "WenQuanYi Micro Hei"
APP_ICON = Path(__file__).resolve().parents[1] / "resources" / "icons" / "app.png"


def register_font(app: QApplication) -> str:
    """Register the bundled CJK font so Chinese renders on any machine; prefer the system's
    Microsoft YaHei UI where it exists (Windows), else the bundled face."""
    QFontDatabase.addApplicationFont(str(FONT_FILE))
    families = set(QFontDatabase.families())
    preferred = ["Microsoft YaHei UI", "Microsoft YaHei", BUNDLED_FAMILY]
    family = next((f for f in preferred if f in families), BUNDLED_FAMILY)
    font = QFont(family)
    font.setPointSizeF(10)
    font.setFamilies([family, BUNDLED_FAMILY])
    app.setFont(font)
    return family


CHINESE = QLocale(
    QLocale.Language.Chinese, QLocale.Script.SimplifiedChineseScript, QLocale.Country.China
)


def use_chinese_locale() -> None:
    """The program speaks Chinese whatever the system's locale: month and day names in
    calendars, number and date formats in Qt's own widgets come from the default QLocale, not
    from the translations."""
    QLocale.setDefault(CHINESE)


def translation_folders() -> list[str]:
    """Where Qt's own translations may be: Qt's configured folder, then PySide6's (a frozen
    build or an unusual install may point Qt elsewhere)."""
    folders = [QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)]
    try:
        import PySide6

        folders.append(str(Path(PySide6.__file__).resolve().parent / "Qt" / "translations"))
    except (ImportError, TypeError):  # pragma: no cover - PySide6 is what runs this
        pass
    return list(dict.fromkeys(f for f in folders if f))


def install_translations(app: QApplication) -> bool:
    """Qt's own Chinese texts (standard buttons 确定/取消, file dialogs, context menus)."""
    installed = False
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        for folder in translation_folders():
            translator = QTranslator(app)
            if translator.load(name, folder):
                app.installTranslator(translator)
                installed = True
                break
    return installed


SWITCH_INTERVAL_S = 0.001
"""How long a thread holding the GIL keeps it once another thread asks (Python's default: 5 ms)."""


def make_app(argv: Sequence[str] | None = None) -> QApplication:
    from widgets.refguard import keep_singletons_alive

    keep_singletons_alive()  # before any Qt call: see widgets/refguard.py
    # A background thread running Python (an import's page check, a build, the warm-up) lets
    # the window's thread have the GIL after 1 ms instead of Python's 5 ms: each slot, timer
    # and event handler written in Python waits for it, several of them per repaint.
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    use_chinese_locale()
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv or sys.argv))
    app.setApplicationName("申报材料助手")
    app.setOrganizationName("PacketAssembler")
    app.setApplicationDisplayName("申报材料助手")
    app.setWindowIcon(QIcon(str(APP_ICON)))
    register_font(app)
    if not app.property("translations_installed"):
        app.setProperty("translations_installed", install_translations(app))
    return app


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Anything unexpected on the UI thread: log it and tell the user where, never a traceback."""
    from widgets.errors import show_error

    exc.__traceback__ = tb
    try:
        show_error(None, exc)
    except Exception:  # pragma: no cover - last resort
        sys.__excepthook__(kind, exc, tb)


def no_display() -> bool:
    """On Linux without X11/Wayland (and no platform chosen), Qt would abort: say so instead."""
    return (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    )


def run_gui(argv: Sequence[str]) -> int:
    if no_display():
        sys.stderr.write(
            "找不到图形界面（没有显示器会话）。请在桌面环境中运行本程序；"
            f"无界面时可使用命令行：{command_name()} --help。\n"
        )
        return 2
    app = make_app(argv)
    sys.excepthook = _excepthook
    args = [Path(a) for a in argv[1:] if a.lower().endswith(".sbproj")]
    if args and args[0].exists():
        from widgets.instance import forward

        if forward(args[0]):  # another window has it: that window came forward instead
            sys.stdout.write(f"“{args[0].name}”已在另一个窗口中打开，已切换到该窗口。\n")
            return 0
    from widgets.main_window import MainWindow

    window = MainWindow()
    if os.environ.get(MEASURE_START_VARIABLE):
        _quit_after_first_paint(window)
    window.show()
    if args:
        window.open_project(args[0])
    QTimer.singleShot(WARM_AFTER_MS, warm_up)
    return app.exec()


MEASURE_START_VARIABLE = "PACKET_ASSEMBLER_MEASURE_START"
"""Set (by ``benchmarks/bench_start.py``): the program prints ``shown`` once the main window
has been painted the first time, and quits."""


def _quit_after_first_paint(window: QWidget) -> None:
    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                window.removeEventFilter(self)
                # once this paint is done: the window is on screen and answers input
                QTimer.singleShot(0, self.finish)
            return False

        def finish(self) -> None:
            sys.stdout.write("shown\n")
            sys.stdout.flush()
            QApplication.quit()

    watcher = FirstPaint(window)
    window.installEventFilter(watcher)


WARM_AFTER_MS = 1500
HEAVY_MODULES = (
    "app.intake",
    "app.intake.pdfs",  # imported by the import on its first PDF or unusual image
    "img2pdf",
    "pypdfium2",
    "app.outputs.build",
    "app.outputs.online",
    "app.review",
    "widgets.printing",
    "widgets.packet_view",
)
"""Imported on first use otherwise: the import of evidence (Pillow, img2pdf, pypdf, pikepdf), the
build (reportlab, openpyxl, python-docx), the online folder, review, printing and the packet
window (QtPdf)."""


def warm_up() -> threading.Thread:
    """Import the heavy modules (and parse the PDF fonts) in a background thread once the window
    is up, so the first 生成/打印/核查 click does not spend its first 0.1-0.5 s importing on the
    window's thread.
    Importing holds the GIL only in short slices (the window keeps running)."""
    import importlib

    from app.system.collector import quiet_then_settle

    def load() -> None:
        for name in HEAVY_MODULES:
            try:
                importlib.import_module(name)
            except Exception:  # pragma: no cover - imported again (and reported) when used
                return
        from app.system.fonts import register_fonts, register_song

        try:  # once per process (~0.05 s from the font cache, ~0.2 s to parse): not in the build
            register_fonts()
            register_song()
        except Exception:  # pragma: no cover - registered again (and reported) when used
            return

    def work() -> None:
        # What the warm-up loads stays for the life of the program: no collection walks it
        # (a full collection in the middle of it held the GIL 60-80 ms), nor ever again.
        with quiet_then_settle():
            load()

    thread = threading.Thread(target=work, name="warm-up", daemon=True)
    thread.start()
    return thread
