"""Finding the sources under the paths a user names: project files, manifests, packet folders."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.outputs.build import SUMS_NAME as PACKET_SUMS_NAME
from app.review.model import SourceKind
from app.system.errors import AppError

PROJECT_SUFFIX = ".sbproj"
EXPLICIT_PROJECT_SUFFIXES = (".sbproj", ".sqlite", ".db")
MANIFEST_MARK = b"packet-assembler-manifest"
_SNIFF_BYTES = 4096


class ReviewUsageError(AppError):
    """A path given to the review does not exist, or nothing reviewable was found."""


@dataclass(frozen=True)
class Found:
    path: Path  # the file (project, manifest) or folder (packet)
    shown: str  # as given under the user's PATH
    kind: SourceKind


def _is_manifest(path: Path) -> bool:
    """A ``.json`` file is a manifest when it names our format near its start."""
    try:
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError:
        return True  # unreadable: let the review report it as a row
    return MANIFEST_MARK in head


def _classify_file(path: Path, explicit: bool) -> SourceKind | None:
    suffix = path.suffix.lower()
    if suffix == PROJECT_SUFFIX or (explicit and suffix in EXPLICIT_PROJECT_SUFFIXES):
        return "project"
    if suffix == ".json" and (explicit or _is_manifest(path)):
        return "manifest"
    if explicit and path.name == PACKET_SUMS_NAME:
        return "packet"
    return None


def _walk(root: Path, given: str) -> Iterable[Found]:
    if (root / PACKET_SUMS_NAME).is_file():
        yield Found(root, given, "packet")
        return
    for here, dirs, files in os.walk(root):
        here_path = Path(here)
        rel = os.path.relpath(here, root)

        def shown(name: str, rel: str = rel) -> str:
            return os.path.join(given, name) if rel == "." else os.path.join(given, rel, name)

        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for d in list(dirs):
            if (here_path / d / PACKET_SUMS_NAME).is_file():
                dirs.remove(d)  # a packet folder is one source: not searched further
                yield Found(here_path / d, shown(d), "packet")
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = here_path / name
            kind = _classify_file(path, explicit=False)
            if kind is not None:
                yield Found(path, shown(name), kind)


def find_sources(paths: Sequence[str | Path]) -> list[Found]:
    """Every source under ``paths`` (files or folders, searched recursively), in path order.

    A folder holding ``SHA256SUMS.txt`` is a built packet and is not searched further; hidden
    files and folders (a build's temporary folder) are skipped. A path that does not exist is
    refused with :class:`ReviewUsageError`; so is a run that finds nothing."""
    found: list[Found] = []
    seen: set[Path] = set()
    for given in paths:
        text = str(given)
        path = Path(text)
        if not path.exists():
            raise ReviewUsageError(f"找不到 {text}，请检查路径。")
        if path.is_dir():
            candidates: Iterable[Found] = sorted(_walk(path, text), key=lambda f: f.shown)
        else:
            kind = _classify_file(path, explicit=True)
            if kind is None:
                raise ReviewUsageError(
                    f"无法识别 {text}：请给出文件夹、项目文件（.sbproj）、清单文件（.json）"
                    "或申报材料文件夹中的 SHA256SUMS.txt。"
                )
            candidates = [Found(path.parent if kind == "packet" else path, text, kind)]
        for f in candidates:
            key = f.path.resolve()
            if key not in seen:
                seen.add(key)
                found.append(f)
    if not found:
        raise ReviewUsageError(
            "在给出的路径中没有找到项目文件（.sbproj）、清单文件（.json）或申报材料文件夹"
            "（含 SHA256SUMS.txt）。"
        )
    return found
