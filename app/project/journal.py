"""A rollback journal left beside a project file is played back only when it is the project's own.

SQLite rolls a hot ``<file>-journal`` back into its database the moment the file is opened, and
has no way to tell whether the journal belongs to that database: a journal of another project,
left beside the file by a copied folder or a synced drive, is written into this one without a
word. Before the project is opened for writing, :func:`check_hot_journal` therefore looks at a
journal found beside it:

1. its header and its image of page 1 must fit this file (SQLite journals page 1 in every write
   transaction, and its change counter then is this file's, or one less);
2. the rollback is tried on copies of both files in a temporary folder: when the file alone is
   sound (``PRAGMA integrity_check``, ``PRAGMA foreign_key_check``, still a project) and the
   journal played back into it makes it unsound, the journal is not its own.

A journal that fails either is refused with a message naming both files, and both are left as
they are. The check runs only when a journal is there (after a crash), never on a clean open.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import struct
import tempfile
from pathlib import Path

from app.project.schema import APPLICATION_ID
from app.system.errors import ProjectFileError

JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
_HEADER = struct.Struct(">8sIIIII")  # magic, nRec, nonce, initial pages, sector size, page size


def journal_of(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def hot_journal(path: Path) -> Path | None:
    """The journal beside ``path`` if SQLite would play it back (it starts with the magic)."""
    journal = journal_of(path)
    try:
        with open(journal, "rb") as handle:
            head = handle.read(len(JOURNAL_MAGIC))
    except OSError:
        return None
    return journal if head == JOURNAL_MAGIC else None


def foreign_journal(path: Path, journal: Path) -> ProjectFileError:
    return ProjectFileError(
        f"项目文件 {path} 旁边的“{journal.name}”不属于这个项目（可能是复制文件夹或同步网盘时"
        f"从别处带来的），若让它写入，项目中的数据会被别的项目的内容改乱。程序没有打开项目，"
        f"两个文件都保持原样。请把“{journal.name}”移到别的文件夹（不要删除，以备需要），"
        f"然后重新打开项目。"
    )


def check_hot_journal(path: Path, timeout: float) -> None:
    """Refuse (:class:`ProjectFileError`) a hot journal beside ``path`` that is not its own.
    Touches neither file; returns quietly when there is no journal or it fits."""
    journal = hot_journal(path)
    if journal is None:
        return
    if not _header_fits(path, journal):
        raise foreign_journal(path, journal)
    if not _sound_after(path, journal, timeout) and _sound_after(path, None, timeout):
        raise foreign_journal(path, journal)  # the file is sound; played back, it is not
    # sound either way, or damaged without the journal too (the open reports the damage)


def _header_fits(path: Path, journal: Path) -> bool:
    """The journal's page size is the file's, and its image of page 1 (if the journal holds
    one) has this file's change counter or the one before it."""
    try:
        with open(path, "rb") as db:
            db_head = db.read(100)
        with open(journal, "rb") as jr:
            head = jr.read(_HEADER.size)
            if len(head) < _HEADER.size:
                return True  # too short to hold a page: SQLite ignores it
            _magic, records, _nonce, _initial, sector, page_size = _HEADER.unpack(head)
            if len(db_head) < 100:
                return True
            db_page_size = struct.unpack(">H", db_head[16:18])[0]
            db_page_size = 65536 if db_page_size == 1 else db_page_size
            if page_size != db_page_size:
                return False
            if sector < _HEADER.size or sector > 65536:
                return True  # not a header SQLite would use: it plays nothing back
            jr.seek(sector)
            first = jr.read(4 + 100)
    except OSError:
        return True  # unreadable here: the trial rollback decides
    if records == 0 or len(first) < 104:
        return True  # nothing journaled (or the count is unknown): the trial decides
    (pgno,) = struct.unpack(">I", first[:4])
    if pgno != 1:
        return True
    page1 = first[4:]
    journaled = struct.unpack(">I", page1[24:28])[0]
    current = struct.unpack(">I", db_head[24:28])[0]
    return current in (journaled, (journaled + 1) & 0xFFFFFFFF)


def _sound_after(path: Path, journal: Path | None, timeout: float) -> bool:
    """Play ``journal`` back into copies of both files (or copy the file alone): the result
    must be a sound project."""
    try:
        folder = Path(tempfile.mkdtemp(prefix="sbproj-journal-"))
    except OSError:
        return True  # nowhere to try: the header check stands alone
    try:
        db_copy = folder / path.name
        try:
            shutil.copyfile(path, db_copy)
            if journal is not None:
                shutil.copyfile(journal, journal_of(db_copy))
        except OSError:
            return True  # e.g. no room for a copy: the header check stands alone
        conn = sqlite3.connect(db_copy, timeout=timeout, isolation_level=None)
        try:
            (app_id,) = conn.execute("PRAGMA application_id").fetchone()
            if app_id != APPLICATION_ID:
                return False
            if conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
                return False
            return not conn.execute("PRAGMA foreign_key_check").fetchall()
        except sqlite3.DatabaseError:
            return False
        finally:
            conn.close()
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(folder)
