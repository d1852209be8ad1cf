"""Guide files as documents: opened from anywhere (manifest ``guide_file``, ``--guide``), kept in
the project (text and SHA-256), moved to a newer version only on request, and a bundled folder
where one broken or duplicated file hides nothing else."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

import app.guide.loader as loader
from app.cli import main
from app.guide import bundled_guides, guide_by_id, project_guide, read_guide_file
from app.guide.diff import guide_changes
from app.manifest.load import OutsideFilesError, load_manifest
from app.manifest.transfer import import_manifest
from app.outputs.demo import demo_manifest
from app.project import SCHEMA_VERSION, ProjectStore
from app.system.errors import GuideError

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "checklists" / "zhuhai-2019.toml"
OLD_ID = "zhuhai-service-trade-2019"
NEW_ID = "zhuhai-service-trade-2020"


def variant(guide_id: str = NEW_ID, *, amount: int = 30000) -> str:
    """The 2019 guide's text as another year's file: other id, name, 文号, an amount and a
    document's title."""
    text = SHIPPED.read_text(encoding="utf-8")
    for old, new in (
        (f'id = "{OLD_ID}"', f'id = "{guide_id}"'),
        ('title = "2019年珠海市', 'title = "2020年珠海市'),
        ('document_no = "珠商〔2019〕28号"', 'document_no = "珠商〔2020〕71号"'),
        ("year = 2019", "year = 2020"),
        (
            'ceiling = { kind = "fixed", amount = 20000 }',
            f'ceiling = {{ kind = "fixed", amount = {amount} }}',
        ),
        ("填报数据情况截图", "填报数据情况截图（新版）"),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    return text


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def shipped_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A bundled folder of our own holding the 2019 guide."""
    folder = tmp_path / "checklists"
    folder.mkdir()
    shutil.copy(SHIPPED, folder)
    monkeypatch.setattr(loader, "CHECKLIST_DIR", folder)
    return folder


def guide_manifest(tmp_path: Path, text: str, guide_id: str = NEW_ID) -> Path:
    """The sample company's manifest, made for the guide file ``text`` beside it."""
    manifest = demo_manifest(tmp_path / "work")
    (manifest.parent / "指南2020.toml").write_text(text, encoding="utf-8")
    raw = json.loads(manifest.read_text(encoding="utf-8"))
    raw["guide"] = guide_id
    raw["guide_file"] = "指南2020.toml"
    manifest.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return manifest


# -- the bundled folder ---------------------------------------------------------------------------


def test_a_broken_bundled_file_is_listed_and_hides_nothing(shipped_dir: Path) -> None:
    (shipped_dir / "zz-broken.toml").write_text('format = 1\nid = "x"\n', encoding="utf-8")
    entries = {e.path.name: e for e in bundled_guides()}
    assert entries["zhuhai-2019.toml"].ok
    broken = entries["zz-broken.toml"]
    assert not broken.ok and "zz-broken.toml" in (broken.error or "")
    assert "有误" in broken.label
    assert guide_by_id(OLD_ID).id == OLD_ID
    code, out, err = run("check", str(ROOT / "resources" / "sample" / "manifest.json"))
    assert code in (0, 1) and "申请金额合计" in out, err
    code, out, err = run("demo", "--out", str(shipped_dir.parent / "demo"))
    assert code == 0 and "已生成" in out, err


def test_two_files_with_one_id_are_refused_naming_both(shipped_dir: Path, tmp_path: Path) -> None:
    (shipped_dir / "copy-of-2019.toml").write_text(variant(OLD_ID), encoding="utf-8")
    entries = bundled_guides()
    assert all(not e.ok for e in entries)
    for e in entries:
        assert "zhuhai-2019.toml" in (e.error or "") and "copy-of-2019.toml" in (e.error or "")
    with pytest.raises(GuideError) as info:
        guide_by_id(OLD_ID)
    assert "copy-of-2019.toml" in info.value.message and "zhuhai-2019.toml" in info.value.message


def test_a_copy_with_the_same_id_never_replaces_a_projects_guide(
    shipped_dir: Path, tmp_path: Path
) -> None:
    project = tmp_path / "项目.sbproj"
    ProjectStore.create(project, OLD_ID).close()  # kept the bundled 2019 text
    (shipped_dir / "zhuhai-2019.toml").write_text(variant(OLD_ID), encoding="utf-8")
    with ProjectStore.open(project) as store:
        data = store.load()
    guide = project_guide(data)
    assert guide.item("service_trade_statistics").ceiling.amount == 20000  # its own copy
    _, out, _ = run("check", str(project))
    assert "内容不同" in out and "guide upgrade" in out  # said, not used


# -- a project keeps its guide --------------------------------------------------------------------


def test_a_project_made_from_a_guide_file_builds_where_the_file_is_gone(
    shipped_dir: Path, tmp_path: Path
) -> None:
    text = variant()
    manifest = guide_manifest(tmp_path, text)
    project = tmp_path / "新.sbproj"
    code, out, err = run("import", str(manifest), str(project))
    assert code == 0, err
    (manifest.parent / "指南2020.toml").unlink()
    with pytest.raises(GuideError):
        guide_by_id(NEW_ID)  # nowhere on this PC but in the project
    with ProjectStore.open(project) as store:
        stored = store.stored_guide()
        data = store.load()
    assert stored is not None
    assert stored[1] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert stored[2] == "指南2020.toml"
    guide = project_guide(data)
    assert guide.id == NEW_ID and guide.document_no == "珠商〔2020〕71号"
    assert guide.item("service_trade_statistics").ceiling.amount == 30000
    out_dir = tmp_path / "out"
    code, out, err = run("build", str(project), "--out", str(out_dir), "--today", "2019-02-01")
    assert code == 0, err
    assert list(out_dir.glob("*.pdf")) and list(out_dir.glob("*.xlsx"))
    code, out, _ = run("check", str(project), "--json", "--today", "2019-02-01")
    assert json.loads(out)["guide"] == NEW_ID


def test_an_edited_stored_guide_is_damage(shipped_dir: Path, tmp_path: Path) -> None:
    project = tmp_path / "p.sbproj"
    ProjectStore.create(project, OLD_ID).close()
    conn = sqlite3.connect(project)
    conn.execute("UPDATE guide_copy SET text = text || '\n# edited'")
    conn.commit()
    conn.close()
    with ProjectStore.open(project) as store, pytest.raises(Exception) as info:
        store.load()
    assert "损坏" in str(info.value)


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_every_older_file_gets_the_bundled_guide_stored(tmp_path: Path, version: int) -> None:
    from app.project.migrations import MIGRATIONS, V1_DDL

    path = tmp_path / f"v{version}.sbproj"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    for statement in V1_DDL:
        conn.execute(statement)
    for step in MIGRATIONS[: version - 1]:
        step(conn)
    conn.execute("PRAGMA application_id = 1396854849")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("INSERT INTO meta VALUES ('guide_id', ?)", (OLD_ID,))
    conn.execute("COMMIT")
    conn.close()
    with ProjectStore.open(path) as store:
        stored = store.stored_guide()
        data = store.load()
    assert stored is not None
    assert stored[0] == SHIPPED.read_text(encoding="utf-8")
    assert stored[2] == "zhuhai-2019.toml"
    assert project_guide(data).id == OLD_ID


def test_an_older_file_whose_guide_was_missing_gets_it_on_a_later_opening(
    shipped_dir: Path, tmp_path: Path
) -> None:
    project = tmp_path / "p.sbproj"
    ProjectStore.create(project, OLD_ID).close()
    conn = sqlite3.connect(project, isolation_level=None)
    conn.execute("ALTER TABLE pages DROP COLUMN analysis")  # version 7
    conn.execute("DROP TABLE guide_copy")  # what version 5 wrote
    conn.execute("PRAGMA user_version = 5")
    conn.close()
    (shipped_dir / "zhuhai-2019.toml").rename(shipped_dir / "away.txt")
    with ProjectStore.open(project) as store:
        assert store.stored_guide() is None  # upgraded, nothing to store yet
    (shipped_dir / "away.txt").rename(shipped_dir / "zhuhai-2019.toml")
    with ProjectStore.open(project) as store:
        stored = store.stored_guide()
    assert stored is not None and stored[2] == "zhuhai-2019.toml"


# -- manifests and --guide ------------------------------------------------------------------------


def test_a_manifests_guide_file_outside_its_folder_is_refused_unless_allowed(
    tmp_path: Path,
) -> None:
    manifest = guide_manifest(tmp_path, variant())
    elsewhere = tmp_path / "别处.toml"
    (manifest.parent / "指南2020.toml").rename(elsewhere)
    raw = json.loads(manifest.read_text(encoding="utf-8"))
    raw["guide_file"] = "../../别处.toml"
    manifest.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(OutsideFilesError) as info:
        load_manifest(manifest)
    assert "guide_file" in info.value.message and info.value.paths == (elsewhere.resolve(),)
    loaded = load_manifest(manifest, allow_outside=True)
    assert loaded.guide.id == NEW_ID and loaded.data.guide_text == variant()


def test_a_manifest_whose_guide_id_and_file_disagree_is_refused(tmp_path: Path) -> None:
    manifest = guide_manifest(tmp_path, variant(), guide_id=OLD_ID)
    code, _, err = run("check", str(manifest))
    assert code == 2 and "guide" in err and NEW_ID in err


def test_the_command_lines_guide_option(tmp_path: Path) -> None:
    new = tmp_path / "别处" / "新指南.toml"
    new.parent.mkdir()
    new.write_text(variant(OLD_ID, amount=40000), encoding="utf-8")
    sample = demo_manifest(tmp_path / "work")
    code, out, err = run("check", str(sample), "--guide", str(new), "--json")
    assert code in (0, 1) and json.loads(out)["guide"] == OLD_ID, err
    given = load_manifest(sample, guide_file=new)
    assert given.guide.item("service_trade_statistics").ceiling.amount == 40000
    assert given.data.guide_text == new.read_text(encoding="utf-8")
    project = tmp_path / "p.sbproj"
    code, _, err = run("import", str(sample), str(project), "--guide", str(new))
    assert code == 0, err
    with ProjectStore.open(project) as store:
        assert project_guide(store.load()).item("service_trade_statistics").ceiling.amount == 40000
    # a project follows its own guide: --guide may not switch it silently
    other = tmp_path / "other.sbproj"
    code, _, err = run("import", str(sample), str(other))
    assert code == 0, err
    code, _, err = run("check", str(other), "--guide", str(new))
    assert code == 2 and "guide upgrade" in err
    for command in ("build", "online"):
        code, _, err = run(command, str(other), "--guide", str(new), "--out", str(tmp_path / "o"))
        assert code == 2 and "guide upgrade" in err and not (tmp_path / "o").exists()
    code, _, err = run("check", str(project), "--guide", str(new))
    assert code in (0, 1), err
    code, _, err = run("check", str(sample), "--guide", str(tmp_path / "无.toml"))
    assert code == 2 and "无.toml" in err and "不存在" in err


# -- moving to a newer version --------------------------------------------------------------------


def test_guide_upgrade_shows_what_changes_and_changes_only_when_confirmed(
    tmp_path: Path,
) -> None:
    project = tmp_path / "p.sbproj"
    code, _, err = run("import", str(demo_manifest(tmp_path / "w")), str(project))
    assert code == 0, err
    new = tmp_path / "新版.toml"
    new.write_text(variant(), encoding="utf-8")
    code, out, err = run("guide", "upgrade", str(project), str(new))
    assert code == 0, err
    assert "珠商〔2019〕28号 → 珠商〔2020〕71号" in out
    assert "定额 2 万元 → 定额 3 万元" in out
    assert "材料改名：" in out and "填报数据情况截图（新版）" in out
    assert "尚未更换" in out
    with ProjectStore.open(project) as store:
        assert store.guide_id == OLD_ID
    code, out, err = run("guide", "upgrade", str(project), str(new), "--yes")
    assert code == 0 and "已更换" in out, err
    with ProjectStore.open(project) as store:
        data = store.load()
        assert store.guide_id == NEW_ID and data.guide_id == NEW_ID
    assert project_guide(data).item("service_trade_statistics").ceiling.amount == 30000
    code, out, _ = run("guide", "upgrade", str(project), str(new))
    assert "无需更换" in out
    _, out, _ = run("check", str(project))
    assert "内容不同" not in out  # the bundled version it left is not offered again


def test_export_writes_a_non_bundled_guide_beside_the_manifest(tmp_path: Path) -> None:
    project = tmp_path / "p.sbproj"
    code, _, err = run("import", str(guide_manifest(tmp_path, variant())), str(project))
    assert code == 0, err
    out_manifest = tmp_path / "导出" / "manifest.json"
    code, _, err = run("export", str(project), str(out_manifest))
    assert code == 0, err
    raw = json.loads(out_manifest.read_text(encoding="utf-8"))
    assert raw["guide"] == NEW_ID and raw["guide_file"] == f"{NEW_ID}.toml"
    assert (out_manifest.parent / raw["guide_file"]).read_text(encoding="utf-8") == variant()
    again = load_manifest(out_manifest)
    assert again.guide.id == NEW_ID and again.data.guide_text == variant()
    # a project on the bundled guide exports as before: by id only
    plain = tmp_path / "plain.sbproj"
    ProjectStore.create(plain, OLD_ID).close()
    code, _, err = run("export", str(plain), str(tmp_path / "plain" / "m.json"))
    assert code == 0, err
    assert "guide_file" not in json.loads((tmp_path / "plain" / "m.json").read_text("utf-8"))


def test_changes_name_removed_items_and_the_projects_entries(tmp_path: Path) -> None:
    old, _ = read_guide_file(SHIPPED)
    text = variant().replace('"talent_introduction"', '"talent_2020"')
    path = tmp_path / "g.toml"
    path.write_text(text, encoding="utf-8")
    new, _ = read_guide_file(path)
    manifest = load_manifest(ROOT / "resources" / "sample" / "manifest.json")
    title = old.item("talent_introduction").full_title
    changes = guide_changes(old, new, manifest.data)
    assert any(line.startswith(f"新增项目：{title}") for line in changes.items)
    assert f"删除项目：{title}" in changes.items
    assert any(title in line and "将不再申报" in line for line in changes.project)
    assert not guide_changes(old, old).lines


def test_import_keeps_the_guide_it_was_given(tmp_path: Path) -> None:
    manifest = load_manifest(guide_manifest(tmp_path, variant()))
    project = tmp_path / "p.sbproj"
    import_manifest(manifest, project)
    with ProjectStore.open(project) as store:
        assert store.load().guide_text == variant()
