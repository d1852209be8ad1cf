"""A rollback journal beside a project file is played back only when it is the project's own:
a journal of another project (copied folders, synced drives) is refused with a message naming
both files, and both are left as they were; the project's own hot journal (a crash mid-edit)
is rolled back as before."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.manifest.load import load_manifest
from app.manifest.transfer import import_manifest
from app.outputs.demo import SAMPLE_MANIFEST
from app.project import ProjectStore
from app.project.journal import JOURNAL_MAGIC, journal_of
from app.system.errors import ProjectFileError

# A child process: a transaction that spills its changes into the file, then dies before the
# commit (no clean-up at all): what a crash or a power cut mid-edit leaves.
_CRASH = textwrap.dedent(
    """
    import os, sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA cache_size = 4")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("DELETE FROM table_rows")
    conn.execute("UPDATE company SET value = value || '（未保存的修改）'")
    os._exit(9)
    """
)


def _project(folder: Path) -> Path:
    folder.mkdir()
    path = folder / "项目.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), path)
    return path


def _crash_mid_edit(path: Path) -> Path:
    code = subprocess.run([sys.executable, "-c", _CRASH, str(path)], check=False).returncode
    assert code == 9
    journal = journal_of(path)
    assert journal.read_bytes()[: len(JOURNAL_MAGIC)] == JOURNAL_MAGIC  # a hot journal is left
    return journal


def _rows(path: Path) -> int:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM table_rows").fetchone()[0])
    finally:
        conn.close()


def test_the_projects_own_journal_is_rolled_back(tmp_path: Path) -> None:
    path = _project(tmp_path / "甲")
    before = _rows(path)
    assert before > 0
    journal = _crash_mid_edit(path)
    with ProjectStore.open(path) as store:
        assert "未保存的修改" not in store.load().company.name
    assert not journal.exists()
    assert _rows(path) == before


def test_another_projects_journal_is_refused_and_both_files_kept(tmp_path: Path) -> None:
    ours = _project(tmp_path / "甲")
    theirs = _project(tmp_path / "乙")
    shutil.copyfile(_crash_mid_edit(theirs), journal_of(ours))  # a copied or synced folder
    kept = ours.read_bytes(), journal_of(ours).read_bytes()
    with pytest.raises(ProjectFileError) as caught:
        ProjectStore.open(ours)
    message = caught.value.message
    assert str(ours) in message and f"“{ours.name}-journal”" in message
    assert "不属于这个项目" in message and "移到别的文件夹" in message
    assert (ours.read_bytes(), journal_of(ours).read_bytes()) == kept
    # moved away as the message says, the project opens as it was last saved
    journal_of(ours).rename(tmp_path / "移走的-journal")
    with ProjectStore.open(ours) as store:
        assert store.load().company.name
    conn = sqlite3.connect(ours)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


def test_a_journal_of_another_page_size_is_refused_at_once(tmp_path: Path) -> None:
    ours = _project(tmp_path / "甲")
    other = tmp_path / "其他.db"
    conn = sqlite3.connect(other, isolation_level=None)
    conn.execute("PRAGMA page_size = 512")
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    journal = _crash_mid_edit_plain(other)
    shutil.copyfile(journal, journal_of(ours))
    kept = ours.read_bytes()
    with pytest.raises(ProjectFileError) as caught:
        ProjectStore.open(ours)
    assert "不属于这个项目" in caught.value.message
    assert ours.read_bytes() == kept


def _crash_mid_edit_plain(path: Path) -> Path:
    script = textwrap.dedent(
        """
        import os, sqlite3, sys
        conn = sqlite3.connect(sys.argv[1], isolation_level=None)
        conn.execute("PRAGMA cache_size = 2")
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO t VALUES (?)", [(os.urandom(400),) for _ in range(200)])
        os._exit(9)
        """
    )
    assert subprocess.run([sys.executable, "-c", script, str(path)], check=False).returncode == 9
    return journal_of(path)
