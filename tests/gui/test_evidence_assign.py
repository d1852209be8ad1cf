"""A folder dropped on the 材料 page as a whole: a proposal per file, confirmed or corrected by
the clerk before anything is attached. Measured on the sample's own scans."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app.manifest.load import load_manifest
from app.manifest.transfer import import_manifest
from app.outputs.demo import SAMPLE_DIR, SAMPLE_MANIFEST
from tests.gui.conftest import save_shot
from tests.gui.test_evidence_page import drop_paths, wait_import
from widgets.evidence.assign import LEAVE, AssignDialog
from widgets.pages.evidence import EvidencePage
from widgets.session import ProjectSession

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _sample_without_files(tmp_path: Path) -> Path:
    """The sample company's project with its tables filled in and nothing attached."""
    raw = json.loads(SAMPLE_MANIFEST.read_text(encoding="utf-8"))
    raw["evidence"] = {}
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    project = tmp_path / "示例.sbproj"
    import_manifest(load_manifest(manifest), project)
    return project


def _when_dialog(qtbot, act) -> list[AssignDialog]:  # type: ignore[no-untyped-def]
    seen: list[AssignDialog] = []

    def poll() -> None:
        w = QApplication.activeModalWidget()
        if isinstance(w, AssignDialog):
            seen.append(w)
            act(w)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


def test_drop_a_folder_on_the_page_proposes_then_attaches(qtbot, gui_app, tmp_path):  # type: ignore[no-untyped-def]
    session = ProjectSession.open(_sample_without_files(tmp_path))
    page = EvidencePage()
    qtbot.addWidget(page)
    page.set_session(session)
    page.resize(1366, 768)
    page.show()
    scans = tmp_path / "扫描件"
    shutil.copytree(SAMPLE_DIR / "scans", scans)
    truth = {
        r.path.name: (r.document_id, r.row_id) for r in load_manifest(SAMPLE_MANIFEST).evidence
    }
    seen_rows: dict[str, tuple[str, str | None] | None] = {}

    def confirm(dialog: AssignDialog) -> None:
        qtbot.waitUntil(lambda: dialog.checking == 0, timeout=60000)  # every file is read first
        for n in range(dialog.table.rowCount()):
            seen_rows[dialog.table.item(n, 0).text()] = dialog.key_at(n)
        assert "32 个文件中的 32 个" in dialog.summary.text()
        save_shot(dialog, "assign")
        # The clerk corrects one: the audit report is left for later.
        row = [dialog.table.item(n, 0).text() for n in range(dialog.table.rowCount())].index(
            "2018年度审计报告.pdf"
        )
        dialog.combos[row].setCurrentText(LEAVE)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    seen = _when_dialog(qtbot, confirm)
    section = page.tree.topLevelItem(0)  # 一、基本材料: not a document
    rect = page.tree.visualItemRect(section)
    assert drop_paths(page.tree.viewport(), rect.center(), [scans])
    assert seen, "the confirm list was shown"
    assert seen_rows == truth  # every sample file proposed where the sample manifest has it
    wait_import(qtbot, page)
    placed = {f.name: (f.document_id, f.row_id) for f in session.data.evidence}
    assert placed == {n: k for n, k in truth.items() if n != "2018年度审计报告.pdf"}
    assert "已添加 31 个文件" in page.message.text()
    docs = len({k for n, k in truth.items() if n != "2018年度审计报告.pdf"})
    assert f"到“{docs} 项材料”" in page.message.text()
    session.close()


def test_cancel_attaches_nothing(qtbot, gui_app, tmp_path):  # type: ignore[no-untyped-def]
    session = ProjectSession.open(_sample_without_files(tmp_path))
    page = EvidencePage()
    qtbot.addWidget(page)
    page.set_session(session)
    page.show()
    scans = tmp_path / "扫描件"
    scans.mkdir()
    shutil.copyfile(SAMPLE_DIR / "scans" / "营业执照副本.jpg", scans / "营业执照副本.jpg")
    shutil.copyfile(SAMPLE_DIR / "scans" / "营业执照副本.jpg", scans / "IMG_0001.jpg")

    def cancel(dialog: AssignDialog) -> None:
        assert "1 个未能确定" in dialog.summary.text()
        assert dialog.combos[0].currentText() == LEAVE  # IMG_0001 (natural order first)
        dialog.reject()

    seen = _when_dialog(qtbot, cancel)
    page.propose_folder([scans])
    assert seen and page.import_task is None
    assert session.data.evidence == ()
    session.close()
