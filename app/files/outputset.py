"""The atomic replacement of a whole set of outputs.

:class:`OutputSet` stages a set of files in a hidden folder beside the output folder and then
puts them in place so that the output folder ends with the old set or the new one, whatever
happens: every target is checked before any is touched, a failure is rolled back, and a
replacement cut short by a killed process is rolled back by the next :class:`OutputSet` on that
folder (see :func:`recover`).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import json
import os
import re
import shutil
import socket
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import IO, Any

from app.files.names import (
    STAGING_EXTRA,
    UMASK,
    WINDOWS_MAX_PATH,
    held_open,
    held_open_message,
    no_permission_message,
    path_length,
    replace_retrying,
)
from app.system.errors import OutputError

# -- sets of files ---------------------------------------------------------------------------

JOURNAL = "journal.json"  # in a staging folder: the set being put in place (written first)
_LOCK = ".lock"  # in a staging folder: locked while its OutputSet is open
_RANDOM = re.compile(r"[a-z0-9_]{8}")  # what tempfile.mkdtemp puts after the prefix
# In the output folder, only while a rollback could not finish: says so to whoever looks.
UNFINISHED_NOTE = "生成未完成-请先阅读.txt"
_OWNER_AT = 4096  # the folder lock's locked byte: its owner record (offset 0) stays readable


def staging_prefix(out_dir: Path) -> str:
    """Staging folders of ``out_dir`` are ``.<name>.build-xxxxxxxx`` beside it."""
    return f".{Path(out_dir).name}.build-"


def folder_lock_path(out_dir: Path) -> Path:
    """``.<name>.build.lock`` beside ``out_dir``: held by the one OutputSet writing into it."""
    out_dir = Path(os.path.abspath(out_dir))
    return out_dir.parent / f".{out_dir.name}.build.lock"


class OutputSet:
    """Replaces a set of files in an output folder as one::

        with OutputSet(out_dir) as staged:
            staged.check(["a.pdf", "b.xlsx", "SHA256SUMS.txt"])  # optional, before the work
            ...  # write the files under staged.folder
            placed = staged.install([staged.folder / "a.pdf", ..., staged.folder / "SHA256SUMS.txt"])

    Entering cleans what earlier, killed runs left beside ``out_dir`` (:func:`recover`) and
    creates the hidden staging folder there (same file system: every move is a rename); leaving
    removes it. :meth:`install` checks every target before touching any, keeps the old files
    until the new set is complete and rolls back on failure. The LAST file of the set is its
    seal (e.g. the checksum list): the old one is taken away first and the new one put in place
    last, so whenever the seal is there it describes the files beside it. Files of ``out_dir``
    that are not in the set are left alone. Raises :class:`OutputError` with a Chinese message.
    """

    def __init__(
        self, out_dir: Path, *, owner: str = "", attempts: int = 5, delay: float = 0.2
    ) -> None:
        self.out_dir = Path(os.path.abspath(out_dir))  # "." has a name and a parent
        self.owner = owner  # who writes, for the message another writer gets (e.g. the company)
        self.attempts = attempts
        self.delay = delay
        self._root: Path | None = None
        self._lock: IO[bytes] | None = None
        self._folder_lock: IO[bytes] | None = None
        self._keep = False  # a rollback could not finish: leave the journal for recover()

    @property
    def root(self) -> Path:
        """The staging folder (``.<name>.build-xxxxxxxx``)."""
        if self._root is None:
            raise RuntimeError("OutputSet used outside its with-block")
        return self._root

    @property
    def folder(self) -> Path:
        """Where the new files are written (their paths relative to it are their targets')."""
        return self.root / "new"

    def __enter__(self) -> OutputSet:
        parent = self.out_dir.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self._folder_lock = _lock_folder(self.out_dir, self.owner)
            recover(self.out_dir)
            root = Path(tempfile.mkdtemp(prefix=staging_prefix(self.out_dir), dir=parent))
            _hide(root)
            self._root = root
            self._lock = _try_lock(root / _LOCK)
            (root / "new").mkdir()
            (root / "old").mkdir()
        except BaseException as exc:
            self._close()
            if not isinstance(exc, OSError):
                raise
            raise OutputError(
                f"无法在 {parent} 中创建临时文件夹（{exc.strerror or exc}）。"
                f"请检查该文件夹是否存在且可写，或选择另一个输出文件夹。"
            ) from exc
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._close()

    def _close(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None
        if self._root is not None and not self._keep:
            shutil.rmtree(self._root, ignore_errors=True)
        self._root = None
        if self._folder_lock is not None:
            _unlock_folder(self.out_dir, self._folder_lock)
            self._folder_lock = None

    # -- checks --------------------------------------------------------------------------------

    def check(self, names: Sequence[str | PurePosixPath]) -> None:
        """Refuse (:class:`OutputError`, every problem named) when a target cannot be replaced:
        held open by another program, read-only, a folder or something else in its place, a
        path too long for Windows. Touches nothing."""
        problems = [p for p in (self._problem(PurePosixPath(n)) for n in names) if p]
        if problems:
            raise OutputError(
                "\n".join([*dict.fromkeys(problems), "输出文件夹中的文件都没有改动。"])
            )

    def _problem(self, rel: PurePosixPath) -> str | None:
        out = self.out_dir
        if out.exists() and not out.is_dir():
            return f"“{out}”是一个文件，不是文件夹。请选择另一个输出文件夹。"
        for sub in reversed(rel.parents[:-1]):
            where = out / sub
            if os.path.lexists(where) and not where.is_dir():
                return (
                    f"输出文件夹中的“{sub}”不是文件夹，挡住了要写入的“{rel}”。"
                    f"请把它改名或移走，或选择另一个输出文件夹。"
                )
        dest = out / rel
        if path_length(str(dest.absolute())) + STAGING_EXTRA > WINDOWS_MAX_PATH:
            return (
                f"“{dest}”的路径太长（Windows 最多 {WINDOWS_MAX_PATH} 个字符）。"
                f"请选择路径较短的输出文件夹（如 D:\\申报材料）。"
            )
        if not os.path.lexists(dest):
            return None
        if dest.is_dir() or not dest.is_file():
            return (
                f"输出文件夹中有一个名为“{rel}”的{'文件夹' if dest.is_dir() else '特殊文件'}，"
                f"挡住了同名的输出文件。请把它改名或移走，或选择另一个输出文件夹。"
            )
        try:  # what Windows refuses to a file held open (Excel) or read-only: opening to write
            os.close(os.open(dest, os.O_RDWR | getattr(os, "O_BINARY", 0)))
        except PermissionError as exc:
            return (
                held_open_message(str(rel)) if held_open(exc) else no_permission_message(str(rel))
            )
        except OSError as exc:
            return f"无法替换文件“{rel}”（{exc.strerror or exc}）。请选择另一个输出文件夹。"
        return None

    # -- putting the set in place --------------------------------------------------------------

    def install(self, files: Sequence[Path]) -> list[Path]:
        """Put ``files`` (under :attr:`folder`; the last one is the seal) in place of their
        namesakes in the output folder; returns their new paths. On any failure the output
        folder is left as it was."""
        if not files:
            raise ValueError("an output set needs at least one file")
        rels = [PurePosixPath(Path(f).relative_to(self.folder).as_posix()) for f in files]
        for f in files:
            if not Path(f).is_file():
                raise ValueError(f"{f} is not a staged file")
        self.check(rels)
        for f in files:
            with contextlib.suppress(OSError):
                os.chmod(f, 0o666 & ~UMASK)  # temporary files are private; outputs are not
        _write_journal(self.root, self.out_dir.name, rels)
        created = not self.out_dir.exists()
        current = rels[-1]
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            _stash(self.root, self.out_dir, current, link=False)
            for current in rels[:-1]:
                _stash(self.root, self.out_dir, current, link=True)
                self._put(current)
            current = rels[-1]
            self._put(current, last=True)
        except BaseException as exc:
            self._keep = not _roll_back(self.root, self.out_dir, rels)
            if self._keep:
                _write_note(self.out_dir, current)
            if created:
                with contextlib.suppress(OSError):
                    _remove_empty_tree(self.out_dir)
            if not isinstance(exc, OSError):
                raise
            if self._keep:  # e.g. a file opened by another program in the meantime
                after = (
                    "有文件暂时无法恢复原样；关闭打开输出文件夹中文件的程序后再次生成，"
                    "程序会先把输出文件夹恢复原样。"
                )
            else:
                after = "输出文件夹中的文件都没有改动。"
            if isinstance(exc, PermissionError):
                message = held_open_message if held_open(exc) else no_permission_message
                raise OutputError(message(str(current)) + after) from exc
            raise OutputError(
                f"无法把生成的文件“{current}”移入 {self.out_dir}（{exc.strerror or exc}）。"
                f"请检查该文件夹是否可写，或选择另一个输出文件夹。{after}"
            ) from exc
        return [self.out_dir / rel for rel in rels]

    def _put(self, rel: PurePosixPath, last: bool = False) -> None:
        dest = self.out_dir / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            replace_retrying(self.folder / rel, dest, self.attempts, self.delay)
        except OSError:
            if not last:
                raise
            # The seal could not be renamed into place (its name held by another program, the
            # staged copy held by a scanner): every other file of the new set is in place, so
            # writing the seal's bytes there finishes the set. Only then is the staged seal
            # removed: until that moment a rollback (or recover()) still sees an unfinished set.
            _copy_in_place(self.folder / rel, dest)
            (self.folder / rel).unlink()


def recover(out_dir: Path) -> list[Path]:
    """Clean the staging folders that earlier runs left beside ``out_dir`` (a killed build),
    rolling back a replacement they left half done. Folders of a run still going on (locked)
    are left alone, as is a folder whose rollback cannot finish yet. Returns those removed."""
    out_dir = Path(os.path.abspath(out_dir))
    prefix = staging_prefix(out_dir)
    try:
        entries = sorted(out_dir.parent.iterdir())
    except OSError:
        return []
    removed: list[Path] = []
    for entry in entries:
        if not entry.name.startswith(prefix) or not _RANDOM.fullmatch(entry.name[len(prefix) :]):
            continue
        if entry.is_symlink() or not entry.is_dir():
            continue
        try:
            lock = _try_lock(entry / _LOCK)
        except OSError:
            continue
        if lock is None:
            continue  # a build is using it
        try:
            if not os.path.lexists(entry / JOURNAL):
                done = True  # it never touched the output folder
            else:  # an unreadable journal keeps its folder: it may hold the old files
                rels = _read_journal(entry, out_dir.name)
                done = rels is not None and _roll_back(entry, out_dir, rels)
        finally:
            lock.close()
        if done:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    if not any(
        e.name.startswith(prefix) and _RANDOM.fullmatch(e.name[len(prefix) :])
        for e in _entries(out_dir.parent)
    ):
        with contextlib.suppress(OSError):
            (out_dir / UNFINISHED_NOTE).unlink()  # nothing is left half done
    return removed


def _entries(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []


def _write_journal(root: Path, out_name: str, rels: Sequence[PurePosixPath]) -> None:
    text = json.dumps({"folder": out_name, "files": [str(r) for r in rels]}, ensure_ascii=False)
    tmp = root / (JOURNAL + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, root / JOURNAL)  # the journal is whole or absent


def _read_journal(root: Path, out_name: str) -> list[PurePosixPath] | None:
    """The set a staging folder was putting in place, or None when its journal cannot be read
    (or is not ours)."""
    try:
        data: Any = json.loads((root / JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("folder") != out_name:
        return None
    files = data.get("files")
    if not isinstance(files, list) or not files or not all(isinstance(f, str) for f in files):
        return None
    rels = [PurePosixPath(f) for f in files]
    if any(r.is_absolute() or ".." in r.parts or not r.parts for r in rels):
        return None
    return rels


def _stash(root: Path, out_dir: Path, rel: PurePosixPath, *, link: bool) -> None:
    """Keep the current ``rel`` of the output folder in ``old/``: as a second name (hard link:
    it stays in place until the new file replaces it) or, for the seal or where links are not
    supported (FAT), moved away."""
    dest = out_dir / rel
    if not os.path.lexists(dest):
        return
    backup = root / "old" / rel
    backup.parent.mkdir(parents=True, exist_ok=True)
    if link and not dest.is_symlink():
        try:
            os.link(dest, backup)
            return
        except OSError:
            pass
    os.replace(dest, backup)


def _roll_back(root: Path, out_dir: Path, rels: Sequence[PurePosixPath]) -> bool:
    """Undo an install (whole, half done or not started) from its staging folder. Idempotent:
    a rollback cut short can be run again. The seal's new version goes first and its old one
    comes back last. Returns False when a step failed (the staging folder must stay)."""
    if not os.path.lexists(root / "new" / rels[-1]):
        return True  # the new seal is in place: the new set is complete, nothing to undo
    ok = True
    steps = [(_take_back, rels[-1]), *((_undo, r) for r in reversed(rels[:-1])), (_undo, rels[-1])]
    for step, rel in steps:
        try:
            step(root, out_dir, rel)
        except OSError:
            ok = False
    return ok


def _take_back(root: Path, out_dir: Path, rel: PurePosixPath) -> None:
    """Move the new ``rel`` back into the staging folder if it was put in place."""
    new, dest = root / "new" / rel, out_dir / rel
    if not os.path.lexists(new) and os.path.lexists(dest):
        new.parent.mkdir(parents=True, exist_ok=True)
        os.replace(dest, new)


def _undo(root: Path, out_dir: Path, rel: PurePosixPath) -> None:
    """Put the old ``rel`` back (or leave no file where there was none)."""
    _take_back(root, out_dir, rel)
    backup, dest = root / "old" / rel, out_dir / rel
    if not os.path.lexists(backup):
        return
    if os.path.lexists(dest) and os.path.samefile(backup, dest):
        backup.unlink()  # a second name of the file still in place
        return
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(backup, dest)
    except OSError:
        # The name refuses a rename (held by another program): its old bytes written in place
        # make the old set whole again; the backup goes only once they are.
        _copy_in_place(backup, dest)
        backup.unlink()


def _copy_in_place(src: Path, dest: Path) -> None:
    """Write ``src``'s bytes at ``dest`` (created or truncated), flushed to disk."""
    with open(src, "rb") as fin, open(dest, "wb") as fout:
        shutil.copyfileobj(fin, fout)
        fout.flush()
        os.fsync(fout.fileno())


def _write_note(out_dir: Path, culprit: PurePosixPath) -> None:
    """A visible note in the output folder: the set there is neither the old nor the new one
    whole. Removed by the :func:`recover` that finishes the rollback (the next build)."""
    stamp = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    text = (
        f"{stamp} 的生成没有完成：文件“{culprit}”被其他程序占用，程序无法把这个文件夹完全恢复原样。\r\n"
        f"此刻文件夹中的文件可能新旧混杂、缺少校验文件，请不要打印、上传或提交其中的文件。\r\n"
        f"关闭打开这些文件的程序（如 Excel、PDF 阅读器、记事本）后再次生成，"
        f"程序会先把文件夹恢复原样，并自动删除本说明。\r\n"
    )
    with contextlib.suppress(OSError):
        (out_dir / UNFINISHED_NOTE).write_text(text, encoding="utf-8-sig")


# -- one writer per output folder --------------------------------------------------------------


def _lock_folder(out_dir: Path, owner: str) -> IO[bytes]:
    """Take ``out_dir``'s folder lock without waiting, recording who holds it; another holder
    is refused with :class:`OutputError` naming it."""
    path = folder_lock_path(out_dir)
    for _ in range(5):
        handle = _try_lock(path, at=_OWNER_AT)
        if handle is None:
            raise OutputError(_busy_message(out_dir, _read_owner(path)))
        try:  # the file may have been removed by its last holder between our open and lock
            same = os.path.samestat(os.fstat(handle.fileno()), os.stat(path))
        except OSError:
            same = False
        if not same:
            handle.close()
            continue
        _hide(path)
        record = {
            "owner": owner,
            "started": _dt.datetime.now().isoformat(timespec="seconds"),
            "pid": os.getpid(),
            "host": socket.gethostname(),
        }
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(record, ensure_ascii=False).encode("utf-8"))
        handle.flush()
        return handle
    raise OutputError(_busy_message(out_dir, None))


def _unlock_folder(out_dir: Path, handle: IO[bytes]) -> None:
    path = folder_lock_path(out_dir)
    if sys.platform == "win32":  # an open file cannot be removed there
        handle.close()
        with contextlib.suppress(OSError):
            path.unlink()  # fails harmlessly if the next writer already opened it
    else:
        with contextlib.suppress(OSError):
            path.unlink()
        handle.close()


def _read_owner(path: Path) -> dict[str, Any] | None:
    try:
        with open(path, "rb") as handle:
            data: Any = json.loads(handle.read(_OWNER_AT).decode("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _busy_message(out_dir: Path, record: dict[str, Any] | None) -> str:
    who = "另一次生成"
    if record:
        owner = record.get("owner")
        started = record.get("started")
        host = record.get("host")
        parts = []
        if isinstance(owner, str) and owner:
            parts.append(owner)
        if isinstance(started, str) and len(started) >= 16:
            parts.append(f"{started[:10]} {started[11:16]} 开始")
        if isinstance(host, str) and host and host != socket.gethostname():
            parts.append(f"在电脑“{host}”上")
        if parts:
            who = f"另一次生成（{'，'.join(parts)}）"
    return (
        f"{who}正在写入输出文件夹“{out_dir}”。请等它完成后再生成，或选择另一个输出文件夹。"
        f"输出文件夹中的文件都没有改动。"
    )


def _remove_empty_tree(folder: Path) -> None:
    """Remove ``folder`` if it holds nothing but empty folders."""
    for sub in sorted(folder.rglob("*"), reverse=True):
        if sub.is_dir() and not sub.is_symlink():
            sub.rmdir()
    folder.rmdir()


def _hide(path: Path) -> None:
    """Hide a staging folder in Explorer (its leading dot hides it elsewhere)."""
    if sys.platform == "win32":
        import ctypes

        file_attribute_hidden = 0x2
        ctypes.windll.kernel32.SetFileAttributesW(str(path), file_attribute_hidden)


def _try_lock(path: Path, at: int = 0) -> IO[bytes] | None:
    """Open and lock ``path`` (created if needed) without waiting; None if another process holds
    the lock. The lock goes with the returned file (and with the process, however it ends).
    ``at``: the byte locked on Windows, where a locked range cannot be read by others."""
    handle = open(path, "a+b")  # noqa: SIM115 - the caller keeps it open while it holds the lock
    try:
        handle.seek(at)
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        handle.close()
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, errno.EDEADLK):
            return None
        raise
    return handle
