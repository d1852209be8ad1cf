"""Rebuilding never overwrites a Word template the company may have filled in."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from docx import Document

from app.manifest.load import load_manifest
from app.manifest.transfer import import_manifest
from app.outputs.build import BuildOptions, build
from app.outputs.demo import SAMPLE_MANIFEST
from app.project import ProjectStore


def test_a_filled_template_survives_a_rebuild(tmp_path: Path) -> None:
    project = tmp_path / "sample.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), project)
    out = tmp_path / "out"
    with ProjectStore.open(project) as store:
        first = build(store, out, BuildOptions(), today=dt.date(2019, 2, 1))
        (template,) = first.templates
        doc = Document(str(template))
        doc.add_paragraph("本公司2018年取得CMMI5级认证（公司填写的内容）")
        doc.save(str(template))
        filled = template.read_bytes()

        second = build(store, out, BuildOptions(), today=dt.date(2019, 2, 1))
    assert second.templates == [template]
    assert template.read_bytes() == filled  # not overwritten
    assert any("未覆盖" in w and template.name in w for w in second.warnings)
    # The checksums still describe exactly what is in the folder, the kept template included.
    check = subprocess.run(
        ["sha256sum", "-c", "--quiet", "SHA256SUMS.txt"], cwd=out, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert f"Word模板/{template.name}" in (out / "SHA256SUMS.txt").read_text(encoding="utf-8")

    template.unlink()  # deleting it lets the next build write a fresh one
    with ProjectStore.open(project) as store:
        third = build(store, out, BuildOptions(), today=dt.date(2019, 2, 1))
    assert template.exists() and template.read_bytes() != filled
    assert not any("未覆盖" in w for w in third.warnings)
