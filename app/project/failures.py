"""Every user-facing message of the project store, and the one place raw exceptions are mapped.

SQLite and OS errors never leave :mod:`app.project` as themselves: :func:`from_sqlite` and
:func:`from_os` turn them into :class:`app.system.errors.ProjectFileError` with a Chinese message that
names the file and says what to do (the original exception stays available as ``__cause__``).
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from app.project.schema import FILE_SUFFIX
from app.system.errors import ProjectFileError

# Primary result codes (the low byte of an extended code), from sqlite3.h.
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_NOMEM = 7
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26


def not_found(path: Path) -> ProjectFileError:
    return ProjectFileError(
        f"找不到项目文件 {path}。请确认文件是否已被移动、改名或删除，然后重新选择。"
    )


def not_a_project(path: Path) -> ProjectFileError:
    return ProjectFileError(
        f"文件 {path} 不是申报项目文件（{FILE_SUFFIX}），无法打开。"
        "请选择由申报材料助手创建的项目文件。"
    )


def newer_version(path: Path) -> ProjectFileError:
    return ProjectFileError(f"项目文件 {path} 由更新版本的申报材料助手创建，请升级本程序后再打开。")


def damaged(path: Path) -> ProjectFileError:
    return ProjectFileError(
        f"项目文件 {path} 已损坏，无法打开。请改用该项目的备份副本；"
        "如没有备份，请新建项目并重新导入材料。"
    )


def already_exists(path: Path) -> ProjectFileError:
    return ProjectFileError(
        f"文件 {path} 已存在。为避免覆盖，请换一个文件名，或直接打开这个项目文件。"
    )


def folder_missing(path: Path) -> ProjectFileError:
    return ProjectFileError(
        f"无法在 {path.parent} 中保存项目文件 {path.name}：该文件夹不存在。请选择其他文件夹。"
    )


def folder_not_writable(path: Path) -> ProjectFileError:
    return ProjectFileError(
        f"无法在 {path.parent} 中创建项目文件 {path.name}：该文件夹不允许写入。"
        "请选择其他文件夹（如“文档”）。"
    )


def read_only(path: Path) -> ProjectFileError:
    return ProjectFileError(
        f"项目文件 {path} 是只读的（或所在文件夹不允许写入），修改无法保存。"
        "请把它复制到可写的文件夹（如“文档”）并取消只读属性，然后再打开。"
    )


def locked(path: Path) -> ProjectFileError:
    return ProjectFileError(
        f"项目文件 {path} 正被另一个程序或窗口使用，本次操作未完成。请关闭占用它的程序后重试。"
    )


def disk_full(path: Path) -> ProjectFileError:
    return ProjectFileError(
        f"磁盘空间不足，项目文件 {path} 无法保存本次修改（修改未保存）。请清理磁盘空间后重试。"
    )


def io_error(path: Path) -> ProjectFileError:
    return ProjectFileError(
        f"读写项目文件 {path} 时出错，本次修改未保存。"
        "请确认文件所在的磁盘、U 盘或网络位置仍然可用，然后重试。"
    )


def needs_upgrade(path: Path) -> ProjectFileError:
    return ProjectFileError(
        f"项目文件 {path} 由旧版本的申报材料助手创建，需要先升级才能查看，只读方式无法升级。"
        "请在没有其他人编辑它时正常打开一次（程序会自动升级），之后即可只读查看。"
    )


def opened_read_only(path: Path) -> ProjectFileError:
    return ProjectFileError(
        f"项目文件 {path.name} 是以只读方式打开的（它正在别处编辑），刚才的修改没有保存。"
        "如需修改，请等对方关闭该项目后重新打开。"
    )


def closed(path: Path) -> ProjectFileError:
    return ProjectFileError(f"项目文件 {path} 已关闭，请重新打开后再操作。")


def backup_failed(dest: Path) -> ProjectFileError:
    return ProjectFileError(
        f"无法把项目备份到 {dest}。请确认该文件夹存在、可写且磁盘空间足够，然后重试。"
    )


def from_sqlite(exc: sqlite3.Error, path: Path, *, opening: bool = False) -> ProjectFileError:
    """Map a ``sqlite3`` exception raised while using ``path`` to a user message."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return locked(path)
    if primary in (_SQLITE_READONLY, _SQLITE_PERM):
        return read_only(path)
    if primary == _SQLITE_FULL:
        return disk_full(path)
    if primary == _SQLITE_NOTADB:
        return not_a_project(path)
    if primary == _SQLITE_CORRUPT:
        return damaged(path)
    if primary == _SQLITE_CANTOPEN:
        return not_found(path) if not path.exists() else read_only(path)
    if opening and isinstance(exc, sqlite3.DatabaseError) and primary != _SQLITE_IOERR:
        return damaged(path)
    return io_error(path)


def from_os(exc: OSError, path: Path, *, creating: bool = False) -> ProjectFileError:
    """Map an ``OSError`` raised while creating or reading ``path``."""
    if isinstance(exc, FileExistsError):
        return already_exists(path)
    if isinstance(exc, FileNotFoundError):
        return folder_missing(path) if not path.parent.exists() else not_found(path)
    if isinstance(exc, PermissionError) or exc.errno == errno.EROFS:
        return folder_not_writable(path) if creating else read_only(path)
    if exc.errno == errno.ENOSPC:
        return disk_full(path)
    return io_error(path)
