"""`build` on a project file: options saved in the project (by the wizard or a manifest) are
the defaults; command-line flags win."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from pypdf import PdfReader

from app.cli import main
from app.manifest.load import load_manifest
from app.manifest.transfer import import_manifest
from app.outputs.demo import SAMPLE_MANIFEST
from app.project import ProjectStore


def _project(tmp_path: Path, **options: object) -> Path:
    path = tmp_path / "示例.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), path)
    with ProjectStore.open(path) as store:
        for key, value in options.items():
            store.set_option(key, value)
    return path


def _build(project: Path, out: Path, *flags: str) -> PdfReader:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(
        [
            "build",
            str(project),
            "--out",
            str(out),
            "--today",
            dt.date(2019, 2, 1).isoformat(),
            *flags,
        ],
        stdout,
        stderr,
    )
    assert code == 0, stderr.getvalue()
    (pdf,) = out.glob("*-申报材料.pdf")
    return PdfReader(pdf)


def _duplex(reader: PdfReader) -> str:
    return str(reader.trailer["/Root"]["/ViewerPreferences"]["/Duplex"])


def test_saved_options_are_the_defaults_and_flags_win(tmp_path: Path) -> None:
    project = _project(tmp_path, duplex=True, gutter_mm=30)
    saved = _build(project, tmp_path / "a")
    assert _duplex(saved) == "/DuplexFlipLongEdge"
    plain = _build(project, tmp_path / "b", "--no-duplex")
    assert _duplex(plain) == "/Simplex"
    assert len(plain.pages) < len(saved.pages)  # no blank pages to start items on odd pages


def test_a_bad_saved_gutter_is_refused_with_a_message(tmp_path: Path) -> None:
    project = _project(tmp_path, gutter_mm=80)
    err = io.StringIO()
    code = main(["build", str(project), "--out", str(tmp_path / "o")], io.StringIO(), err)
    assert code == 2 and "装订边" in err.getvalue()
    assert not (tmp_path / "o").exists()


def test_check_import_and_export_commands(tmp_path: Path) -> None:
    import json

    project = tmp_path / "导入.sbproj"
    out, err = io.StringIO(), io.StringIO()
    assert main(["import", str(SAMPLE_MANIFEST), str(project)], out, err) == 0, err.getvalue()
    assert project.exists()

    out = io.StringIO()
    code = main(["check", str(project), "--json", "--today", "2019-02-01"], out, io.StringIO())
    report = json.loads(out.getvalue())
    assert code == 0 and report["findings"] == []
    assert set(report["items"]) == {
        "outsourcing_onshore",
        "outsourcing_offshore",
        "international_certification",
        "talent_introduction",
        "export_credit_insurance",
    }
    assert report["total_requested_cny"] == 419000
    assert all(i["eligible"] and i["reasons"] == [] for i in report["items"].values())

    manifest = tmp_path / "导出" / "清单.json"
    assert main(["export", str(project), str(manifest)], io.StringIO(), io.StringIO()) == 0
    again = tmp_path / "再导入.sbproj"
    assert main(["import", str(manifest), str(again)], io.StringIO(), io.StringIO()) == 0
    with ProjectStore.open(project) as a, ProjectStore.open(again) as b:
        first, second = a.load(), b.load()
    assert first.company == second.company and first.tables == second.tables
    assert sorted(f.sha256 for f in first.evidence) == sorted(f.sha256 for f in second.evidence)

    # Importing over an existing project is refused with a message, the file untouched.
    before = project.read_bytes()
    err = io.StringIO()
    assert main(["import", str(SAMPLE_MANIFEST), str(project)], io.StringIO(), err) == 2
    assert "已存在" in err.getvalue() and project.read_bytes() == before


def _damage_index(path: Path, index: str) -> None:
    """Make an index's b-tree page claim 64 cells (damage only SQLite's check notices)."""
    import sqlite3

    conn = sqlite3.connect(path)
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    (root,) = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = ?", (index,)).fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    offset = (root - 1) * page_size
    assert data[offset] == 0x0A  # an index leaf page; bytes 3-4 count its cells
    data[offset + 3 : offset + 5] = (64).to_bytes(2, "big")
    path.write_bytes(bytes(data))
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]
    conn.close()


def test_a_damaged_project_builds_nothing_though_its_check_runs_beside_the_build(
    tmp_path: Path,
) -> None:
    """The build reads the whole project file anyway: SQLite's check of it runs beside the
    build, and the outputs go out only if it passes. Damage that only the check notices (an
    index the build never reads) still refuses the build, and the output folder keeps what
    it had."""
    project = _project(tmp_path)
    out = tmp_path / "输出"
    _build(project, out)
    before = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    _damage_index(project, "sqlite_autoindex_review_figures_1")
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["build", str(project), "--out", str(out), "--today", "2019-02-01"], stdout, stderr)
    assert code != 0
    assert "已损坏" in stderr.getvalue() and project.name in stderr.getvalue()
    assert "正在合成" in stderr.getvalue()  # the build went on beside the check
    assert {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["示例.sbproj", "输出"])
    # the other commands still refuse the file when opening it, as before
    assert main(["check", str(project)], io.StringIO(), io.StringIO()) != 0
