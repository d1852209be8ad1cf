"""Error types of the core. Each carries the Chinese message a user sees.

Errors become dialogs (GUI) or stderr lines (CLI) in exactly one place each; nothing classifies
errors by searching their text. Subclass ``AppError`` and pass a message that names the file
(where there is one) and says what to do.
"""

from __future__ import annotations


class AppError(Exception):
    """Base of every error the user may see. ``message`` is Simplified Chinese."""

    exit_code = 2  # the CLI exit code: 2 unreadable input or bad usage, 1 blocking problems

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class GuideError(AppError):
    """A checklist (guide) data file is malformed: names the file, the key and the reason."""

    def __init__(
        self, path: str, key: str, reason: str, line: int | None = None, more: int = 0
    ) -> None:
        at = f"第 {line} 行，" if line is not None else ""
        named = "" if line is not None and key == "（文件）" else f"{key}："
        tail = f"（另有 {more} 处问题，可用“guide check”命令一次列出）" if more else ""
        super().__init__(f"申报指南文件 {path} 有误：{at}{named}{reason}{tail}")
        self.path = path
        self.key = key
        self.reason = reason
        self.line = line  # 1-based line of the key in the file, when known
        self.more = more  # further problems of the same file (guide check lists them all)


class ProjectFileError(AppError):
    """The project file cannot be opened or written (damaged, newer version, locked, ...)."""


class ManifestError(AppError):
    """A manifest file is malformed or names a missing evidence file."""


class IntakeError(AppError):
    """An evidence file is refused at import. The project is left unchanged."""

    def __init__(self, file_name: str, message: str) -> None:
        super().__init__(message)
        self.file_name = file_name


class BuildCancelled(AppError):
    """The user cancelled a long operation; outputs are left as they were."""

    def __init__(self) -> None:
        super().__init__("已取消，输出文件夹保持原样。")


class OutputError(AppError):
    """An output cannot be written (folder missing, file held open by another program...)."""


class EvidenceDamagedError(ProjectFileError):
    """An evidence file's stored bytes no longer match the SHA-256 recorded at import (the
    project file is damaged there). Names the file (and its document, when known) and says how
    to attach it again."""

    def __init__(self, file_id: str, name: str, document: str = "") -> None:
        where = f"“{document}”；" if document else ""
        super().__init__(
            f"证明材料“{name}”已损坏（{where}项目文件中保存的内容与导入时的校验值不符），"
            f"申报材料未生成。请在“材料”步骤中删除该文件，再重新添加原文件“{name}”，然后重新生成。"
        )
        self.file_id = file_id
        self.name = name
        self.document = document
