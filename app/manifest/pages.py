"""The clerk's page edits in a manifest: an evidence entry may be an object
``{"file": "...", "pages": [{"page": 2, "rotate": 90}, {"page": 3, "blank_ok": true}]}`` instead
of a bare path, so that a page turned, a flagged page said to be right ("此页无误") and, through
what export writes, a page removed survive export and import (see ``docs/manifest.md``).

Reading the object (strictly, with the key path in every refusal), applying the edits to a
project file or to pages in memory (``check``), and writing them back out are here; the rest of
the manifest is :mod:`app.manifest.load` and :mod:`app.manifest.transfer`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from app.model import EvidenceFile, PageInfo
from app.system.errors import IntakeError, ManifestError

ENTRY_KEYS = ("file", "pages")
PAGE_KEYS = ("page", "rotate", "blank_ok", "turn_ok")
TURNS = (0, 90, 180, 270)
MAX_PAGE = 100_000
"""Beyond any evidence file (the intake warns at 200 pages): a bigger number is a typing slip."""


@dataclass(frozen=True)
class PageEdit:
    """What the clerk did to one page of a file, as the manifest says it."""

    index: int  # 0-based (the manifest counts from 1)
    rotate: int = 0  # the page's user rotation, clockwise: 0/90/180/270
    blank_ok: bool = False  # a page flagged nearly blank is meant (PageInfo.fine_blank)
    turn_ok: int | None = None  # the rotation at which a flagged page is right (fine_turn)
    where: str = dataclasses.field(default="", compare=False)  # its key path, for messages


Fail = Callable[[str, str], Exception]
"""(key path, reason) -> the refusal to raise (:func:`app.manifest.load._fail` bound to the
manifest's path)."""


def parse_entry(raw: dict[str, Any], where: str, fail: Fail) -> tuple[Any, tuple[PageEdit, ...]]:
    """An evidence entry in the object form: its ``file`` (checked as a path by the caller)
    and its page edits, in page order."""
    for key in raw:
        if key not in ENTRY_KEYS:
            raise fail(f"{where}.{key}", "未知的键，可用：file、pages")
    if "file" not in raw:
        raise fail(where, '缺少 "file"：证明文件的路径（相对于清单文件所在文件夹）')
    pages_raw = raw.get("pages")
    if pages_raw is None:
        pages_raw = []
    if not isinstance(pages_raw, list):
        raise fail(f"{where}.pages", '应为数组，如 [{"page": 2, "rotate": 90}]')
    edits: dict[int, PageEdit] = {}
    for n, page_raw in enumerate(pages_raw):
        edit = _page(page_raw, f"{where}.pages[{n}]", fail)
        if edit.index in edits:
            raise fail(f"{where}.pages[{n}].page", f"第 {edit.index + 1} 页重复出现，请合并为一项")
        edits[edit.index] = edit
    return raw["file"], tuple(edits[i] for i in sorted(edits))


def _page(raw: Any, where: str, fail: Fail) -> PageEdit:
    if not isinstance(raw, dict):
        raise fail(where, '每页应为对象，如 {"page": 2, "rotate": 90}')
    for key in raw:
        if key not in PAGE_KEYS:
            raise fail(f"{where}.{key}", "未知的键，可用：page、rotate、blank_ok、turn_ok")
    if "page" not in raw:
        raise fail(where, '缺少 "page"：页码（从 1 数起）')
    number = raw["page"]
    if not _whole(number) or not 1 <= number <= MAX_PAGE:
        raise fail(f"{where}.page", "页码应为从 1 数起的整数（数字不加引号）")
    rotate = raw.get("rotate", 0)
    if not _whole(rotate) or rotate not in TURNS:
        raise fail(f"{where}.rotate", "应为 0、90、180 或 270（顺时针转动的度数）")
    blank_ok = raw.get("blank_ok", False)
    if not isinstance(blank_ok, bool):
        raise fail(f"{where}.blank_ok", "应为 true 或 false（这一页有意留空，不再提醒）")
    turn_raw = raw.get("turn_ok")
    turn_ok: int | None
    if turn_raw is None or turn_raw is False:
        turn_ok = None
    elif turn_raw is True:
        turn_ok = rotate  # right the way it is shown, at its rotate
    elif _whole(turn_raw) and turn_raw in TURNS:
        turn_ok = turn_raw
    else:
        raise fail(
            f"{where}.turn_ok",
            "应为 true（这一页按 rotate 放置即正确，不再提醒方向），"
            "或 0、90、180、270（转到该角度时正确）",
        )
    return PageEdit(number - 1, rotate, blank_ok, turn_ok, f"{where}.page")


def _whole(v: Any) -> bool:
    """A JSON integer, written without a decimal point (the loader reads those as int, others
    as Decimal); never true/false."""
    return isinstance(v, int) and not isinstance(v, bool)


def beyond(edits: Sequence[PageEdit], count: int) -> PageEdit | None:
    """The first edit naming a page the imported file does not have (None: all are there)."""
    return next((e for e in edits if e.index >= count), None)


def beyond_message(manifest: str, name: str, edit: PageEdit, count: int) -> str:
    """The refusal of a page the file does not have, naming the page's key and the file."""
    return (
        f"清单文件 {manifest} 有误：{edit.where}：文件“{name}”只有 {count} 页，"
        f"没有第 {edit.index + 1} 页，请检查页码（从 1 数起）。"
    )


def applied(pages: Sequence[PageInfo], edits: Sequence[PageEdit]) -> tuple[PageInfo, ...]:
    """``pages`` as the edits leave them (in memory, for ``check``); every edit names a page
    of ``pages`` (see :func:`beyond`)."""
    out = list(pages)
    for e in edits:
        out[e.index] = dataclasses.replace(
            out[e.index], user_rotation=e.rotate, fine_blank=e.blank_ok, fine_turn=e.turn_ok
        )
    return tuple(out)


def apply_to_store(
    store: Any, file_id: str, pages: Sequence[PageInfo], edits: Sequence[PageEdit]
) -> None:
    """Make the stored file's pages (``pages``, as imported) what the edits say."""
    for e in edits:
        turn = (e.rotate - pages[e.index].user_rotation) % 360
        if turn:
            store.rotate_page(file_id, e.index, turn)
        if e.blank_ok or e.turn_ok is not None:
            store.set_page_fine(file_id, e.index, fine_blank=e.blank_ok, fine_turn=e.turn_ok)


def edits_of(file: EvidenceFile) -> tuple[PageEdit, ...]:
    """The clerk's edits of a stored file's pages (the pages untouched left out)."""
    return tuple(
        PageEdit(i, p.user_rotation, p.fine_blank, p.fine_turn)
        for i, p in enumerate(file.pages)
        if p.user_rotation or p.fine_blank or p.fine_turn is not None
    )


def entry_json(rel: str, edits: Sequence[PageEdit]) -> Any:
    """An evidence entry as export writes it: the bare path unless pages were edited."""
    if not edits:
        return rel
    pages = []
    for e in edits:
        page: dict[str, Any] = {"page": e.index + 1}
        if e.rotate:
            page["rotate"] = e.rotate
        if e.blank_ok:
            page["blank_ok"] = True
        if e.turn_ok is not None:
            page["turn_ok"] = e.turn_ok
        pages.append(page)
    return {"file": rel, "pages": pages}


def export_content(store: Any, file: EvidenceFile) -> tuple[bytes, bool]:
    """The bytes export writes for a stored file, and whether they are its original: the
    original when importing it gives today exactly the PDF the project holds (the same pages in
    the same order, so the page edits by index fit it); otherwise the stored PDF itself, the
    pages the packet uses (pages were removed, or the original cannot be read again without
    its password)."""
    from app.intake.importer import import_bytes, normalised_pdf
    from app.system.errors import EvidenceDamagedError

    original = store.evidence_original(file.id)
    if file.page_count == 1 and _one_image(file.name, original):
        # one frame was one page whatever version imported it, and a file keeps a page: none
        # was removed (the scans, most files; normalising them again is most of the cost)
        return original, True
    try:
        stored = store.evidence_pdf(file.id)
    except EvidenceDamagedError:
        # the packet's copy is damaged: the original is all there is (what export wrote before
        # it wrote page edits), provided it still has the stored pages (the edits fit it)
        try:
            count: int | None = import_bytes(file.name, original).page_count
        except IntakeError:
            count = None
        if count == file.page_count:
            return original, True
        raise ManifestError(
            f"证明材料“{file.name}”在项目文件中已损坏（保存的内容与导入时的校验值不符），"
            f"无法导出。请在“材料”步骤中删除该文件，再重新添加原文件“{file.name}”，然后重新导出。"
        ) from None
    try:
        again = normalised_pdf(file.name, original)
    except IntakeError:
        return stored, False
    return (original, True) if again == stored else (stored, False)


def _one_image(name: str, original: bytes) -> bool:
    """The original is a picture of one frame (read from its header: nothing is decoded)."""
    import io

    from PIL import Image

    from app.intake.sniff import Kind, sniff

    try:
        if sniff(name, original) is Kind.PDF:
            return False
        with Image.open(io.BytesIO(original)) as image:
            return int(getattr(image, "n_frames", 1)) == 1
    except (IntakeError, OSError, ValueError, Image.DecompressionBombError):
        return False  # not sure: the full comparison decides
