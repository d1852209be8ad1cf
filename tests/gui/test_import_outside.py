"""Importing someone else's manifest in the window: evidence outside the manifest's folder is
listed and imported only when the clerk confirms; declining leaves no project file."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from widgets import errors
from widgets.transfer import import_manifest_dialog


def _manifest_naming(tmp_path: Path, outside: Path) -> Path:
    folder = tmp_path / "来件"
    folder.mkdir()
    manifest = folder / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "format": "packet-assembler-manifest",
                "version": 1,
                "guide": "zhuhai-service-trade-2019",
                "company": {"name": "珠海测试有限公司"},
                "evidence": {"business_license": [f"../{outside.parent.name}/{outside.name}"]},
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return manifest


def _setup(tmp_path: Path, monkeypatch, answer: bool) -> tuple[Path, Path, list[str]]:  # type: ignore[no-untyped-def]
    private = tmp_path / "私人文件夹" / "身份证.png"
    private.parent.mkdir()
    Image.new("L", (600, 800), 200).save(private)
    manifest = _manifest_naming(tmp_path, private)
    target = tmp_path / "导入.sbproj"
    asked: list[str] = []
    monkeypatch.setattr(errors, "choose_open_file", lambda *a, **k: str(manifest))
    monkeypatch.setattr(errors, "choose_new_project", lambda *a, **k: str(target))
    monkeypatch.setattr(errors, "ask", lambda parent, title, text: asked.append(text) or answer)
    return private, target, asked


def test_outside_files_are_listed_and_declining_imports_nothing(
    qtbot, gui_app, tmp_path, monkeypatch
):  # type: ignore[no-untyped-def]
    private, target, asked = _setup(tmp_path, monkeypatch, answer=False)
    assert import_manifest_dialog(None) is None
    assert len(asked) == 1 and str(private) in asked[0]
    assert not target.exists()


def test_outside_files_are_imported_when_confirmed(qtbot, gui_app, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    _private, target, asked = _setup(tmp_path, monkeypatch, answer=True)
    assert import_manifest_dialog(None) == target
    assert len(asked) == 1 and target.is_file()
