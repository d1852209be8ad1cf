"""Issue 20.4: a folder of good scans and one fake PDF. The proposal list reads every file
before the clerk confirms (the fake shows 无法读取 with the reason); confirming adds the good
files and lists the bad one; the 放到 column keeps its width however narrow the list or long
the reasons (also on a second drop of the same folder). Issue 20.9: a low-resolution web-page
screenshot in the folder is not advised to be rescanned."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app.outputs.demo import SAMPLE_DIR
from tests.gui.conftest import save_shot
from tests.gui.test_evidence_assign import _sample_without_files
from tests.gui.test_evidence_assign import _when_dialog as _when_dialog_raw
from tests.gui.test_evidence_page import drop_paths, wait_import
from widgets.evidence.assign import (
    FILE,
    STATE,
    TARGET,
    TARGET_MAX,
    TARGET_MIN,
    UNREADABLE,
    WHY,
    AssignDialog,
)
from widgets.pages.evidence import EvidencePage
from widgets.session import ProjectSession

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

GOOD = [
    "营业执照副本.jpg",
    "合同01-跨境电商平台软件开发服务合同.jpg",
    "合同03-数据中心运行维护服务协议.jpg",
    "CMMI证书.jpg",
    "ISO27001证书.jpg",
    "保险费发票.jpg",
    "周明轩-劳动合同.jpg",
]
FAKE = "合同04-智慧园区信息技术解决方案服务合同.pdf"
SCREENSHOT = "信用中国查询截图.png"


def folder(tmp_path: Path) -> Path:
    scans = tmp_path / "扫描件"
    scans.mkdir()
    for name in GOOD:
        shutil.copyfile(SAMPLE_DIR / "scans" / name, scans / name)
    # A web-page screenshot at the screen's resolution: low on an A4 page.
    shot = Image.new("RGB", (900, 640), "white")
    ImageDraw.Draw(shot).rectangle((40, 40, 860, 120), outline="black", width=3)
    shot.save(scans / SCREENSHOT)
    (scans / FAKE).write_text("这是一个改了扩展名的文本文件\n", encoding="utf-8")
    return scans


def _when_dialog(qtbot, act) -> list[AssignDialog]:  # type: ignore[no-untyped-def]
    """As the shared helper, but a failing check closes the dialog (instead of leaving the
    modal loop waiting) and the failure is raised once the drop returns."""
    errors: list[BaseException] = []

    def guarded(dialog: AssignDialog) -> None:
        try:
            act(dialog)
        except BaseException as exc:
            errors.append(exc)
            dialog.reject()

    seen = _when_dialog_raw(qtbot, guarded)
    seen_errors.append(errors)
    return seen


seen_errors: list[list[BaseException]] = []


def raise_errors() -> None:
    for errors in seen_errors:
        if errors:
            raise errors[0]


def row_of(dialog: AssignDialog, name: str) -> int:
    names = [dialog.table.item(n, FILE).text() for n in range(dialog.table.rowCount())]
    return names.index(name)


def test_one_bad_file_does_not_sink_the_folder(qtbot, gui_app, tmp_path):  # type: ignore[no-untyped-def]
    session = ProjectSession.open(_sample_without_files(tmp_path))
    page = EvidencePage()
    qtbot.addWidget(page)
    page.set_session(session)
    page.resize(1366, 768)
    page.show()
    scans = folder(tmp_path)
    seen_state: dict[str, str] = {}

    def confirm(dialog: AssignDialog) -> None:
        assert not dialog.ok_button.isEnabled() or dialog.checking == 0  # 添加 waits for reading
        qtbot.waitUntil(lambda: dialog.checking == 0, timeout=30000)
        assert dialog.ok_button.isEnabled()
        for n in range(dialog.table.rowCount()):
            seen_state[dialog.table.item(n, FILE).text()] = dialog.table.item(n, STATE).text()
        bad = row_of(dialog, FAKE)
        assert "不是 PDF 或图片" in dialog.table.item(bad, WHY).text()
        assert not dialog.combos[bad].isEnabled() and dialog.key_at(bad) is None
        assert "1 个文件无法读取" in dialog.summary.text()
        assert FAKE in dialog.bad_label.text() and dialog.bad_label.isVisible()
        wide = dialog.table.columnWidth(TARGET)
        assert wide >= TARGET_MIN
        for width, height in ((1366, 768), (1280, 720), (700, 500)):
            dialog.resize(min(dialog.width(), width - 40), min(dialog.height(), height - 60))
            QApplication.processEvents()
            assert dialog.table.columnWidth(TARGET) == wide  # 放到 is never squeezed
            save_shot(dialog, f"assign-bad-file-{width}", tmp_path)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    seen = _when_dialog(qtbot, confirm)
    section = page.tree.topLevelItem(0)
    assert drop_paths(page.tree.viewport(), page.tree.visualItemRect(section).center(), [scans])
    raise_errors()
    assert seen, "the confirm list was shown"
    assert seen_state[FAKE] == UNREADABLE
    assert all(seen_state[n].startswith("可以添加") for n in [*GOOD, SCREENSHOT])
    wait_import(qtbot, page)
    attached = {f.name for f in session.data.evidence}
    assert attached == {*GOOD, SCREENSHOT}
    message = page.message.text()
    assert "已添加 8 个文件" in message
    assert "1 个文件无法读取，未添加" in message and FAKE in message
    # The screenshot's low resolution is explained without advising a rescan.
    shot_lines = [line for line in message.splitlines() if SCREENSHOT in line]
    assert shot_lines and all("重新扫描" not in line for line in shot_lines)
    assert any("重新截图" in line for line in shot_lines)
    for size in ((1366, 728), (1280, 680)):
        page.resize(*size)
        QApplication.processEvents()
        save_shot(page, f"evidence-after-drop-{size[0]}", tmp_path)

    # The same folder again: every file is already attached, the reasons are long, and the
    # 放到 column still shows its choice whole.
    def cancel(dialog: AssignDialog) -> None:
        qtbot.waitUntil(lambda: dialog.checking == 0, timeout=30000)
        box = dialog.combos[row_of(dialog, GOOD[0])]
        assert dialog.table.columnWidth(TARGET) >= min(box.sizeHint().width(), TARGET_MAX)
        assert dialog.table.columnWidth(TARGET) >= TARGET_MIN
        dialog.reject()

    again = _when_dialog(qtbot, cancel)
    page.propose_folder([scans])
    raise_errors()
    assert again
    assert {f.name for f in session.data.evidence} == attached
    session.close()


def test_a_folder_of_only_bad_files_says_why_nothing_was_added(qtbot, gui_app, tmp_path):  # type: ignore[no-untyped-def]
    session = ProjectSession.open(_sample_without_files(tmp_path))
    page = EvidencePage()
    qtbot.addWidget(page)
    page.set_session(session)
    page.show()
    scans = tmp_path / "坏文件"
    scans.mkdir()
    (scans / "营业执照副本.pdf").write_bytes(b"<html><body>not a pdf</body></html>")

    def confirm(dialog: AssignDialog) -> None:
        qtbot.waitUntil(lambda: dialog.checking == 0, timeout=30000)
        dialog.accept()

    seen = _when_dialog(qtbot, confirm)
    page.propose_folder([scans])
    raise_errors()
    assert seen and page.import_task is None
    assert session.data.evidence == ()
    assert "没有添加任何文件" in page.message.text() and "营业执照副本.pdf" in page.message.text()
    session.close()
