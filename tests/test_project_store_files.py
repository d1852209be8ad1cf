"""The project file as a file: migration, refusals with clear messages, copies, backups, crashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from app.model import Company, Rate
from app.project import FILE_SUFFIX, SCHEMA_VERSION, ProjectStore
from app.project.migrations import V1_DDL
from app.project.schema import APPLICATION_ID
from app.system.errors import ProjectFileError
from tests.project_store_fixtures import imported, tiny_pdf

GUIDE = "zhuhai-service-trade-2019"
REPO = Path(__file__).resolve().parent.parent


def refused(path: Path) -> str:
    """Open ``path``, expect a ProjectFileError naming it, return its message."""
    with pytest.raises(ProjectFileError) as excinfo:
        ProjectStore.open(path)
    message = excinfo.value.message
    assert str(path) in message
    return message


def make_v1_file(path: Path) -> dict[str, bytes]:
    """A first-release project file built from the kept v1 DDL, with some data in it."""
    pdf = tiny_pdf("v1 scan", pages=2)
    original = b"\xff\xd8 a jpeg, honestly" * 10
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA page_size = 16384")
    conn.execute("BEGIN")
    for statement in V1_DDL:
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO meta VALUES ('guide_id', ?)", (GUIDE,))
    conn.execute("INSERT INTO company VALUES ('name', '旧版公司')")
    conn.execute("INSERT INTO selected_items VALUES ('technology_trade', 0)")
    conn.execute(
        "INSERT INTO item_inputs VALUES ('technology_trade', 'funded_on', ?)",
        ('{"$date": "2018-06-30"}',),
    )
    conn.execute("INSERT INTO requested VALUES ('technology_trade', '300000.00')")
    conn.execute("INSERT INTO rates VALUES ('EUR', '1.1450')")
    conn.execute("INSERT INTO table_rows VALUES ('r1', 'contracts', 0)")
    conn.execute("""INSERT INTO cells VALUES ('r1', 'amount', '{"$decimal": "5.50"}')""")
    conn.execute("INSERT INTO cells VALUES ('r1', 'offshore', 'true')")
    conn.execute(
        "INSERT INTO evidence VALUES ('f1', 'contract_scans', 'r1', '合同.jpg', ?, ?, 0)",
        (hashlib.sha256(original).hexdigest(), len(original)),
    )
    conn.execute("INSERT INTO evidence_blobs VALUES ('f1', ?, ?)", (original, pdf))
    conn.execute("INSERT INTO pages VALUES ('f1', 0, 595.0, 842.0, 0, NULL)")
    conn.execute("INSERT INTO pages VALUES ('f1', 1, 842.0, 595.0, 90, 300.0)")
    conn.execute("COMMIT")
    conn.close()
    return {"original": original, "pdf": pdf}


def table_shapes(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        names = [n for (n,) in conn.execute("SELECT name FROM sqlite_schema ORDER BY name")]
        return {name: conn.execute(f"PRAGMA table_xinfo({name})").fetchall() for name in names}
    finally:
        conn.close()


def test_a_v1_file_is_upgraded_on_open_with_its_data_intact(tmp_path: Path) -> None:
    old = tmp_path / f"old{FILE_SUFFIX}"
    blobs = make_v1_file(old)
    with ProjectStore.open(old) as store:
        data = store.load()
        assert data.guide_id == GUIDE
        assert data.company == Company(name="旧版公司")
        assert data.selected == ("technology_trade",)
        assert data.item_inputs("technology_trade") == {"funded_on": dt.date(2018, 6, 30)}
        assert str(data.requested["technology_trade"]) == "300000.00"
        # A version-1/2 rate was US dollars per unit: it keeps exactly that meaning.
        assert data.rates == {"EUR": Rate(Decimal("1.1450"), "usd_per", 1)}
        (row,) = data.rows("contracts")
        assert row.id == "r1" and dict(row.values) == {"amount": Decimal("5.50"), "offshore": True}
        (file,) = data.files_for("contract_scans", "r1")
        assert file.name == "合同.jpg" and file.size == len(blobs["original"])
        assert [(p.source_rotation, p.dpi, p.user_rotation) for p in file.pages] == [
            (0, None, 0),
            (90, 300.0, 0),
        ]
        assert store.evidence_pdf("f1") == blobs["pdf"]
        assert store.verify() == []  # the migration computed the PDF's SHA-256
        # What version 2 added works on the upgraded file.
        store.rotate_page("f1", 1, 90)
        store.set_option("duplex", True)
    with ProjectStore.open(old) as store:
        assert store.load().files_for("contract_scans", "r1")[0].pages[1].user_rotation == 90
        assert store.get_options() == {"duplex": True}
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    conn.close()
    # An upgraded file and a new file have the same tables, column for column.
    fresh = tmp_path / f"fresh{FILE_SUFFIX}"
    ProjectStore.create(fresh, GUIDE).close()
    assert table_shapes(old) == table_shapes(fresh)


def test_a_file_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / f"新版{FILE_SUFFIX}"
    ProjectStore.create(path, GUIDE).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    message = refused(path)
    assert message == f"项目文件 {path} 由更新版本的申报材料助手创建，请升级本程序后再打开。"
    assert path.read_bytes() == before


def test_other_files_are_refused_with_their_own_messages(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    not_project = refused(foreign)
    assert "不是申报项目文件" in not_project

    noise = tmp_path / f"noise{FILE_SUFFIX}"
    noise.write_bytes(os.urandom(40_000))
    assert refused(noise) == not_project.replace(str(foreign), str(noise))

    empty = tmp_path / f"empty{FILE_SUFFIX}"
    empty.write_bytes(b"")
    assert "不是申报项目文件" in refused(empty)

    folder = tmp_path / f"folder{FILE_SUFFIX}"
    folder.mkdir()
    assert "不是申报项目文件" in refused(folder)

    missing = tmp_path / f"missing{FILE_SUFFIX}"
    assert "找不到项目文件" in refused(missing)
    assert not missing.exists()  # opening never creates a file


def test_a_damaged_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / f"damaged{FILE_SUFFIX}"
    with ProjectStore.create(path, GUIDE) as store:
        for n in range(30):
            store.add_row("contracts", {"n": n, "text": "内容" * 200})
        store.add_evidence("doc", None, imported("a.pdf"))
    data = bytearray(path.read_bytes())
    page = 16384
    assert len(data) >= 4 * page
    # Overwrite the second and third pages (b-tree pages of the first tables) with garbage.
    data[page : 3 * page] = bytes(range(256)) * (2 * page // 256)
    path.write_bytes(bytes(data))
    assert "已损坏" in refused(path)

    # Subtler damage that SQLite only notices when checking: a b-tree page claiming 64 cells.
    subtle = tmp_path / f"subtle{FILE_SUFFIX}"
    ProjectStore.create(subtle, GUIDE).close()
    with ProjectStore.open(subtle) as store:
        store.add_evidence("doc", None, imported("b.pdf"))
    conn = sqlite3.connect(subtle)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'evidence'").fetchone()
    conn.close()
    data = bytearray(subtle.read_bytes())
    offset = (root - 1) * page
    assert data[offset] == 0x0D  # a table leaf page; bytes 3-4 count its cells
    data[offset + 3 : offset + 5] = (64).to_bytes(2, "big")
    subtle.write_bytes(bytes(data))
    conn = sqlite3.connect(subtle)
    assert conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]
    conn.close()
    assert "已损坏" in refused(subtle)

    truncated = tmp_path / f"truncated{FILE_SUFFIX}"
    truncated.write_bytes(bytes(data[: page + 100]))
    message = refused(truncated)
    assert "已损坏" in message or "不是申报项目文件" in message


def test_create_refuses_to_overwrite_and_names_a_missing_folder(tmp_path: Path) -> None:
    existing = tmp_path / f"existing{FILE_SUFFIX}"
    existing.write_bytes(b"precious")
    with pytest.raises(ProjectFileError) as excinfo:
        ProjectStore.create(existing, GUIDE)
    assert str(existing) in excinfo.value.message and "已存在" in excinfo.value.message
    assert existing.read_bytes() == b"precious"

    nowhere = tmp_path / "no such folder" / f"p{FILE_SUFFIX}"
    with pytest.raises(ProjectFileError) as excinfo:
        ProjectStore.create(nowhere, GUIDE)
    assert "不存在" in excinfo.value.message and nowhere.name in excinfo.value.message


def test_a_copied_file_opens_elsewhere_and_backup_makes_a_compact_copy(tmp_path: Path) -> None:
    path = tmp_path / f"original{FILE_SUFFIX}"
    with ProjectStore.create(path, GUIDE) as store:
        store.set_company_field("name", "丁公司")
        big = [imported(f"scan{n}.jpg", original=os.urandom(200_000)) for n in range(5)]
        ids = store.add_evidence_many("doc", None, big)
        for file_id in ids[1:]:
            store.remove_evidence(file_id)
        expected = store.load()

        moved = tmp_path / "U盘" / f"拷贝{FILE_SUFFIX}"
        moved.parent.mkdir()
        shutil.copyfile(path, moved)  # the project is closed-consistent: one file, no journal
        with ProjectStore.open(moved) as copy:
            assert copy.load() == expected
            assert copy.evidence_original(ids[0]) == big[0].original

        backup = tmp_path / f"backup{FILE_SUFFIX}"
        backup.write_bytes(b"an older backup, replaced")
        store.backup(backup)
        store.set_company_field("name", "after the backup")
    assert backup.stat().st_size < path.stat().st_size - 500_000  # deleted blobs not copied
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    with ProjectStore.open(backup) as restored:
        assert restored.load() == expected
        assert restored.verify() == []
        assert restored.evidence_original(ids[0]) == big[0].original

    with ProjectStore.open(path) as store, pytest.raises(ProjectFileError) as excinfo:
        store.backup(tmp_path / "no such folder" / "b.sbproj")
    assert "no such folder" in excinfo.value.message


def test_a_locked_file_gives_a_clear_message_and_no_change(tmp_path: Path) -> None:
    path = tmp_path / f"locked{FILE_SUFFIX}"
    store = ProjectStore.create(path, GUIDE, timeout=0.05)
    store.set_company_field("name", "戊公司")
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")  # another program holds the file
        with pytest.raises(ProjectFileError) as excinfo:
            store.set_company_field("name", "changed")
        assert "正被另一个程序或窗口使用" in excinfo.value.message
        assert str(path) in excinfo.value.message
        with pytest.raises(ProjectFileError) as excinfo:
            ProjectStore.open(path, timeout=0.05, read_only=True)
        assert "正被另一个程序或窗口使用" in excinfo.value.message
        other.execute("ROLLBACK")
    finally:
        other.close()
    assert store.load().company.name == "戊公司"
    store.set_company_field("name", "己公司")  # works again once the other program lets go
    store.close()


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores file permissions"
)
def test_a_read_only_file_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / f"readonly{FILE_SUFFIX}"
    ProjectStore.create(path, GUIDE).close()
    path.chmod(0o444)
    try:
        assert "只读" in refused(path)
    finally:
        path.chmod(0o644)


CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from app.project import ProjectStore
    from tests.project_store_fixtures import imported

    path, mode = Path(sys.argv[1]), sys.argv[2]

    class Stalls:
        # The 30th file hangs when the store reads its PDF: the transaction is open and
        # 29 files (several megabytes) are already written when the parent kills us.
        def __init__(self, f):
            self.name, self.original, self.sha256, self.pages = f.name, f.original, f.sha256, f.pages

        @property
        def pdf(self):
            print("stalled", flush=True)
            sys.stdin.readline()

    files = [imported(f"f{n}.jpg", original=bytes([n]) * 300_000) for n in range(40)]
    if mode == "midway":
        files[29] = Stalls(files[29])
    with ProjectStore.open(path) as store:
        store.add_evidence_many("doc", None, files)
        print("committed", flush=True)
        sys.stdin.readline()
    """
)


def run_and_kill(path: Path, mode: str, expect: str) -> None:
    """Run the child until it prints ``expect``, then kill -9 it."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        if line != expect:
            child.kill()
            raise AssertionError(f"child said {line!r}: {child.communicate()[1]}")
        if mode == "midway":  # the transaction has spilled to the file: a hot journal exists
            assert path.with_name(path.name + "-journal").exists()
        child.kill()
    finally:
        child.wait(timeout=30)


@pytest.mark.parametrize(
    ("mode", "expect", "kept"), [("midway", "stalled", 0), ("after", "committed", 40)]
)
def test_kill_9_during_a_big_import_keeps_all_or_none(
    tmp_path: Path, mode: str, expect: str, kept: int
) -> None:
    path = tmp_path / f"crash{FILE_SUFFIX}"
    with ProjectStore.create(path, GUIDE) as store:
        store.set_company_field("name", "庚公司")
        first = store.add_evidence("doc", None, imported("before.jpg"))
    run_and_kill(path, mode, expect)
    with ProjectStore.open(path) as store:  # rolls a hot journal back, passes quick_check
        data = store.load()
        assert data.company.name == "庚公司"
        names = [f.name for f in data.files_for("doc")]
        assert names == ["before.jpg"] + [f"f{n}.jpg" for n in range(kept)]
        assert [f.order for f in data.files_for("doc")] == list(range(kept + 1))
        assert store.verify() == []
        assert store.evidence_original(first) == imported("before.jpg").original
        store.add_evidence("doc", None, imported("after.jpg"))  # and it is writable again
    assert not path.with_name(path.name + "-journal").exists()


def test_a_v2_file_gains_the_stage_tables_and_keeps_its_data(tmp_path: Path) -> None:
    from app.project.migrations import MIGRATIONS

    old = tmp_path / f"v2{FILE_SUFFIX}"
    make_v1_file(old)
    conn = sqlite3.connect(old, isolation_level=None)
    conn.execute("BEGIN")
    MIGRATIONS[0](conn)  # exactly what a version-2 program wrote
    conn.execute("PRAGMA user_version = 2")
    conn.execute("INSERT INTO options VALUES ('duplex', 'true')")
    conn.execute("COMMIT")
    conn.close()
    with ProjectStore.open(old) as store:
        data = store.load()
        assert data.company == Company(name="旧版公司")
        assert data.stages == {} and data.review_figures == {}
        assert store.get_options() == {"duplex": True}
        store.set_stage("review_submitted", dt.date(2019, 2, 1))
        store.set_review_figures({"total": "300000.00"})
    with ProjectStore.open(old) as store:
        data = store.load()
        assert data.stages == {"review_submitted": dt.date(2019, 2, 1)}
        assert data.review_figures == {"total": "300000.00"}
        store.set_stage("review_submitted", None)
        assert store.load().stages == {}
    fresh = tmp_path / f"fresh{FILE_SUFFIX}"
    ProjectStore.create(fresh, GUIDE).close()
    assert table_shapes(old) == table_shapes(fresh)
