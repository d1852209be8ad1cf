"""Which guides there are: the files shipped in ``checklists/``, files opened from anywhere, and
the copy a project keeps of the guide it was made with.

- A bundled file that is broken never hides the others: :func:`bundled_guides` lists it with its
  error, and every other file still loads.
- Two bundled files with one ``id`` are both refused, naming both files (which one was meant
  cannot be told; a copy whose id was not changed must never silently stand in for the guide).
- A project's guide is its own stored copy (:func:`project_guide`); the bundled file of the
  same id is only used for a project made before copies were kept.

A guide's *copy* is its text (UTF-8, without a byte order mark) and the SHA-256 of that text
encoded as UTF-8, which for an ordinary UTF-8 file is the SHA-256 of the file.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.guide import loader as _loader
from app.guide.model import Guide
from app.model import ProjectData
from app.system.errors import GuideError

MAX_GUIDE_BYTES = 4 * 1024 * 1024
"""A guide file is text of some tens of kilobytes; anything past this is not one."""


@dataclass(frozen=True)
class GuideCopy:
    """A guide's text as a project keeps it, with its SHA-256."""

    text: str
    sha256: str

    @classmethod
    def of(cls, text: str) -> GuideCopy:
        text = text.removeprefix("\ufeff")
        return cls(text, sha256_text(text))


@dataclass(frozen=True)
class GuideEntry:
    """One guide file: loaded (``guide`` and ``copy``) or refused (``error``, in Chinese)."""

    path: Path
    guide: Guide | None = None
    copy: GuideCopy | None = None
    error: str | None = None
    guide_id: str | None = None  # known even for a refused duplicate

    @property
    def ok(self) -> bool:
        return self.guide is not None

    @property
    def label(self) -> str:
        """How a chooser lists it: year, title and 文号; a refused file with its error."""
        if self.guide is None:
            return f"（有误，不能使用）{self.path.name}：{self.error}"
        return guide_label(self.guide)


def guide_label(guide: Guide) -> str:
    """Title, 文号 and year (the year first unless the title says it)."""
    no = f"（{guide.document_no}）" if guide.document_no else ""
    year = "" if str(guide.year) in guide.title else f"{guide.year}年　"
    return f"{year}{guide.title}{no}"


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- reading one file ------------------------------------------------------------------------------


def read_guide_file(path: Path | str) -> tuple[Guide, GuideCopy]:
    """Read and validate a guide file from anywhere; the guide and the copy a project keeps.
    Raises GuideError naming the file."""
    path = Path(path)
    source = str(path)
    try:
        if path.is_dir():
            raise GuideError(source, "（文件）", "这是文件夹，请选择申报指南文件（.toml）")
        size = path.stat().st_size
        if size > MAX_GUIDE_BYTES:
            raise GuideError(source, "（文件）", f"文件过大（{size // 1024} KB），不像申报指南文件")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise GuideError(source, "（文件）", "文件不存在") from None
    except OSError as exc:
        raise GuideError(source, "（文件）", f"无法读取（{exc.strerror}）") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise GuideError(source, "（文件）", "不是 UTF-8 编码，请以 UTF-8 编码另存后重试") from None
    copy = GuideCopy.of(text)
    known = _parsed.get(copy.sha256)  # the same text parsed already (e.g. a project's copy)
    if known is not None:
        return dataclasses.replace(known, source=source), copy
    guide = _loader.load_guide_text(copy.text, source)
    _parsed.setdefault(copy.sha256, guide)
    return guide, copy


_parsed: dict[str, Guide] = {}


def guide_of_copy(copy: GuideCopy, source: str) -> Guide:
    """The guide a stored copy holds (parsed once per text). Raises GuideError."""
    found = _parsed.get(copy.sha256)
    if found is None:
        found = _loader.load_guide_text(copy.text, source)
        _parsed[copy.sha256] = found
    return found


# -- the bundled folder ----------------------------------------------------------------------------


def available_guides(directory: Path | None = None) -> list[Path]:
    """The guide files shipped with the program (``checklists/``), newest year first."""
    return sorted((directory or _loader.CHECKLIST_DIR).glob("*.toml"), reverse=True)


_scans: dict[tuple[object, ...], tuple[GuideEntry, ...]] = {}


def bundled_guides(directory: Path | None = None) -> tuple[GuideEntry, ...]:
    """Every file of ``checklists/`` (or ``directory``), loaded one by one: a broken file is
    listed with its error and hides nothing; files sharing one id are all refused, each naming
    the others. Cached until a file there changes."""
    folder = directory or _loader.CHECKLIST_DIR
    paths = available_guides(folder)
    key: list[object] = [str(folder)]
    for p in paths:
        try:
            st = p.stat()
            key.append((p.name, st.st_mtime_ns, st.st_size))
        except OSError:
            key.append((p.name, None))
    cache_key = tuple(key)
    if cache_key not in _scans:
        _scans.clear()  # one folder's state at a time
        _scans[cache_key] = _scan(paths)
    return _scans[cache_key]


def _scan(paths: Iterable[Path]) -> tuple[GuideEntry, ...]:
    entries: list[GuideEntry] = []
    for path in paths:
        try:
            guide, copy = read_guide_file(path)
        except GuideError as exc:
            entries.append(GuideEntry(path, error=exc.message))
            continue
        entries.append(GuideEntry(path, guide, copy, guide_id=guide.id))
    by_id: dict[str, list[GuideEntry]] = {}
    for e in entries:
        if e.guide is not None:
            by_id.setdefault(e.guide.id, []).append(e)
    out: list[GuideEntry] = []
    for e in entries:
        same = by_id.get(e.guide.id, []) if e.guide is not None else []
        if len(same) > 1:
            names = "、".join(s.path.name for s in same)
            e = GuideEntry(
                e.path,
                error=f"{names} 使用同一编号（id）{e.guide_id}，无法判断用哪一个，均不采用。"
                "如是新版本，请修改其中一个文件的 id；否则请删除多余的文件",
                guide_id=e.guide_id,
            )
        out.append(e)
    return tuple(out)


def guide_entry(guide_id: str, directory: Path | None = None) -> GuideEntry:
    """The bundled file with this id. Raises GuideError naming the folder (or both files of a
    duplicated id, or the broken files that might have held it)."""
    entries = bundled_guides(directory)
    for e in entries:
        if e.guide is not None and e.guide.id == guide_id:
            return e
    folder = str(directory or _loader.CHECKLIST_DIR)
    for e in entries:
        if e.guide_id == guide_id and e.error:
            raise GuideError(str(e.path), "id", e.error)
    broken = [e.path.name for e in entries if e.error and e.guide_id is None]
    also = f"（另有 {len(broken)} 个文件有误：{'、'.join(broken)}）" if broken else ""
    raise GuideError(
        folder,
        "id",
        f"找不到编号为 {guide_id} 的申报指南文件{also}，请打开该申报指南文件或升级本程序",
    )


def guide_by_id(guide_id: str, directory: Path | None = None) -> Guide:
    """The bundled guide with this id. Raises GuideError when none (or more than one) has it."""
    guide = guide_entry(guide_id, directory).guide
    assert guide is not None
    return guide


def bundled_entry_or_none(guide_id: str) -> GuideEntry | None:
    """The usable bundled file with this id, or None."""
    try:
        return guide_entry(guide_id)
    except GuideError:
        return None


# -- a project's guide -----------------------------------------------------------------------------


def project_guide(data: ProjectData) -> Guide:
    """The guide a project (or manifest) follows: its own stored copy when it has one, else the
    bundled guide of its id. Raises GuideError."""
    return stored_guide(data.guide_id, data.guide_text)


def stored_guide(guide_id: str, text: str | None) -> Guide:
    """A project's guide from its stored text, or (none stored) the bundled guide of its id."""
    if text:
        return guide_of_copy(GuideCopy.of(text), f"项目中保存的申报指南（{guide_id}）")
    return guide_by_id(guide_id)


def differing_files(
    guide: Guide, copy: GuideCopy, others: Iterable[GuideEntry], left: Iterable[str] = ()
) -> list[GuideEntry]:
    """Among ``others`` (bundled and opened files), those with the project guide's id but other
    text (and not a version the project was moved away from, SHA-256 in ``left``): the project
    keeps its own copy, and the user is told of these."""
    skip = {copy.sha256, *left}
    return [
        e
        for e in others
        if e.guide is not None
        and e.copy is not None
        and e.guide.id == guide.id
        and e.copy.sha256 not in skip
    ]
