"""Which files a drop of files and folders means, in the order a person expects."""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from app.intake import errors

_SKIPPED_NAMES = frozenset({"thumbs.db", "desktop.ini", "ehthumbs.db", ".ds_store"})
_NUMBER = re.compile(r"(\d+)")

NaturalKey = tuple[tuple[tuple[int, int, str], ...], str]


def natural_key(name: str) -> NaturalKey:
    """Sort key: digit runs compare as numbers ("2.jpg" before "10.jpg"), letters without
    case, other characters (Chinese...) by code point; the name itself breaks ties."""
    text = unicodedata.normalize("NFKC", name).casefold()
    parts: list[tuple[int, int, str]] = []
    for index, chunk in enumerate(_NUMBER.split(text)):
        if not chunk:
            continue
        if index % 2:
            parts.append((0, int(chunk), chunk))
        else:
            parts.append((1, 0, chunk))
    return tuple(parts), name


def _is_hidden(path: Path) -> bool:
    if path.name.startswith(".") or path.name.startswith("~$"):
        return True
    if path.name.casefold() in _SKIPPED_NAMES:
        return True
    try:
        attributes = getattr(path.lstat(), "st_file_attributes", 0)
    except OSError:
        return False
    hidden = getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 2) | getattr(stat, "FILE_ATTRIBUTE_SYSTEM", 4)
    return bool(attributes & hidden)


def _walk(folder: Path, out: list[Path]) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError as exc:
        raise errors.ReadError(folder.name or str(folder)) from exc
    for entry in sorted(entries, key=lambda e: natural_key(e.name)):
        path = Path(entry.path)
        if _is_hidden(path):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                _walk(path, out)
            elif entry.is_file():
                out.append(path)
        except OSError:
            continue


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files as given, folders replaced by the files inside them (recursively, skipping hidden
    files, Thumbs.db and desktop.ini), naturally sorted within each folder with files and
    sub-folders interleaved by name. A file met twice is listed once."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            _walk(path, found)
        elif path.is_file():
            found.append(path)
        else:
            raise errors.ReadError(path.name or str(path))
    unique: list[Path] = []
    seen: set[str] = set()
    for path in found:
        key = os.path.normcase(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique
