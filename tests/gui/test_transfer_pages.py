"""文件 → 导出清单文件, then 从清单文件导入: a page removed, a page turned and a page said to be
right in the window come back with the imported project."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from app.intake import import_bytes
from app.project import ProjectStore
from app.rules.findings import page_findings
from tests.pagecheck_support import jpeg, page, three_pages, turned
from widgets import errors
from widgets.session import ProjectSession
from widgets.transfer import export_manifest_dialog, import_manifest_dialog

KEY = ("business_license", None)


def test_the_windows_export_imports_back_with_the_page_edits(  # type: ignore[no-untyped-def]
    qtbot, session: ProjectSession, tmp_path: Path, monkeypatch
) -> None:
    head = jpeg(turned(page("cn", 5).image, 180))
    fid, scan = session.attach(
        *KEY, [import_bytes("执照.pdf", three_pages()), import_bytes("倒放.jpg", head)]
    )
    sideways = session.data.files_for(*KEY)[0].pages[1]
    session.rotate_page(fid, 1, sideways.turns_to_upright()[0])
    session.remove_pages(fid, [2])  # the empty page
    session.rotate_page(scan, 0, 90)
    session.set_page_fine(scan, 0)  # right as shown at 90°
    before = [
        (f.name, [(p.user_rotation, p.fine_blank, p.fine_turn) for p in f.pages])
        for f in session.data.files_for(*KEY)
    ]
    assert before == [
        ("执照.pdf", [(0, False, None), (sideways.turns_to_upright()[0], False, None)]),
        ("倒放.jpg", [(90, False, 90)]),
    ]

    manifest = tmp_path / "导出" / "清单.json"
    manifest.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(manifest), ""))
    said: list[str] = []
    monkeypatch.setattr(
        errors, "inform", lambda parent, title, text, details="": said.append(text + details)
    )
    monkeypatch.setattr(errors, "show_error", lambda *a, **k: said.append(f"error {a[1]}"))
    assert export_manifest_dialog(None, session) == manifest
    assert len(said) == 1 and "已导出" in said[0]
    assert "其中 1 个文件" in said[0]  # said in a line, the files named in the details
    assert "“执照.pdf”导出的是申报材料所用页面的 PDF" in said[0]  # its empty page removed
    assert "倒放.jpg" not in said[0]  # turned only: its original

    target = tmp_path / "导入.sbproj"
    monkeypatch.setattr(errors, "choose_open_file", lambda *a, **k: str(manifest))
    monkeypatch.setattr(errors, "choose_new_project", lambda *a, **k: str(target))
    assert import_manifest_dialog(None) == target
    with ProjectStore.open(target, read_only=True) as store:
        data = store.load()
    after = [
        (f.name, [(p.user_rotation, p.fine_blank, p.fine_turn) for p in f.pages])
        for f in data.files_for(*KEY)
    ]
    assert after == before  # the PDF with its page removed keeps its name: it was a PDF
    assert page_findings(data) == []
