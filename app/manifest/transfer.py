"""A manifest into a project file and back: import builds a project file (evidence normalised
through app.intake, then the page edits applied); export writes the manifest and copies every
evidence file into ``evidence/`` beside it (its original, or the program's PDF of the pages kept
when pages were removed: :func:`app.manifest.pages.export_content`) with the page edits, so
export → import → export is lossless."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.files import safe_file_stem
from app.guide import project_guide
from app.guide.model import Guide
from app.manifest.load import (
    _DEC_MARK,
    FORMAT,
    VERSION,
    EvidenceRef,
    Manifest,
)
from app.manifest.pages import (
    apply_to_store,
    beyond,
    beyond_message,
    edits_of,
    entry_json,
    export_content,
)
from app.model import COMPANY_FIELDS, EvidenceFile, ProjectData, Rate, Value
from app.project.records import DECLARATION_OPTION
from app.system.errors import ManifestError


def _rate_json(guide: Guide, code: str, rate: Rate) -> Any:
    """A rate for the manifest: a bare number when it is quoted as the guide quotes it."""
    try:
        default: Rate | None = guide.currency(code).rate
    except KeyError:
        default = None
    if default is not None and (default.quote, default.units) == (rate.quote, rate.units):
        return _json_value(rate.value)
    out: dict[str, Any] = {"name": rate.name} if rate.name else {}
    if rate.quote == "per_usd":
        out["per_usd"] = _json_value(rate.value)
    else:
        out["usd_per"] = _json_value(rate.value)
        if rate.units != 1:
            out["units"] = rate.units
    return out


# -- import into a project file ------------------------------------------------------------------

ProgressCallback = Callable[[int, int, str], None]


def import_manifest(
    manifest: Manifest,
    project_path: Path,
    password: Callable[[str], str | None] | None = None,
    progress: ProgressCallback | None = None,
    cancel: Callable[[], bool] | None = None,
) -> list[str]:
    """Create ``project_path`` holding everything the manifest names, and return what the
    intake said of the files (Chinese notes: repaired, low resolution...).

    Any refused file aborts the import (ManifestError/IntakeError naming the file) and no
    project file is left behind."""
    from app.intake import import_stream
    from app.project import ProjectStore

    missing = [ref.path for ref in manifest.evidence if not ref.path.is_file()]
    if missing:
        raise ManifestError(
            f"清单文件 {manifest.source.name} 列出的文件不存在：{missing[0]}"
            + (f" 等 {len(missing)} 个" if len(missing) > 1 else "")
            + "，请检查路径（相对于清单文件所在文件夹）。"
        )
    if project_path.exists():
        raise ManifestError(f"项目文件 {project_path} 已存在，请另选文件名。")
    total = len(manifest.evidence)
    groups: dict[tuple[str, str | None], list[EvidenceRef]] = {}
    for ref in manifest.evidence:
        groups.setdefault((ref.document_id, ref.row_id), []).append(ref)
    notes: list[str] = []
    tmp = project_path.with_name(project_path.name + ".importing")
    tmp.unlink(missing_ok=True)
    try:
        store = ProjectStore.create(
            tmp,
            manifest.guide.id,
            guide_text=manifest.data.guide_text or None,
            guide_file=Path(manifest.guide.source).name if manifest.data.guide_text else "",
        )
        with store:
            write_project_data(store, manifest.data)
            for key, value in manifest.options.items():
                store.set_option(key, value)
            done = 0
            for (doc_id, row_id), refs in groups.items():
                base = done
                paths = [ref.path for ref in refs]

                def step(n: int, _total: int, name: str, base: int = base) -> None:
                    if progress is not None and name:
                        progress(base + n, total, f"正在导入 {name}")

                # files are normalised and written one after another (memory holds a few),
                # all or none per document; the project file appears only when all are in
                stream = import_stream(paths, password, step, cancel)
                ids = store.add_evidence_stream(doc_id, row_id, _noted(stream, notes))
                _apply_page_edits(store, manifest, refs, ids)
                done += len(paths)
        tmp.replace(project_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(total, total, "导入完成")
    return notes


def _apply_page_edits(
    store: Any, manifest: Manifest, refs: list[EvidenceRef], ids: list[str]
) -> None:
    """Turn pages and record 此页无误 as the manifest says, once its files are in; a page the
    file does not have is refused (the whole import with it)."""
    if not any(ref.pages for ref in refs):
        return
    stored = {f.id: f for f in store.load().evidence}
    for ref, file_id in zip(refs, ids, strict=True):
        if not ref.pages:
            continue
        file = stored[file_id]
        missing = beyond(ref.pages, file.page_count)
        if missing is not None:
            raise ManifestError(
                beyond_message(manifest.source.name, file.name, missing, file.page_count)
            )
        apply_to_store(store, file_id, file.pages, ref.pages)


def _noted(items: Iterable[Any], notes: list[str]) -> Iterator[Any]:
    for item in items:
        notes.extend(item.warnings)
        yield item


def write_project_data(store: Any, data: ProjectData) -> None:
    """Write company, selection, inputs, rows, rates and amounts of ``data`` into a store."""
    store.set_company(data.company)
    store.set_selected(list(data.selected))
    for item_id, values in data.inputs.items():
        for fid, v in values.items():
            store.set_input(item_id, fid, v)
    for item_id, amount in data.requested.items():
        store.set_requested(item_id, amount)
    for code, rate in data.rates.items():
        store.set_rate(code, rate)
    if data.declaration_confirmed:
        store.set_declaration_confirmed(True)
    for table_id, rows in data.tables.items():
        for row in rows:
            store.add_row(table_id, row.values, row_id=row.id)
    for stage_id, date in data.stages.items():
        store.set_stage(stage_id, date)
    if data.review_figures:
        store.set_review_figures(data.review_figures)


# -- export ---------------------------------------------------------------------------------------


def _json_value(v: Value) -> Any:
    if isinstance(v, Decimal):
        return _DEC_MARK + str(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def _dumps(obj: Any) -> str:
    text = json.dumps(obj, ensure_ascii=False, indent=2)
    # Decimals are written as JSON numbers with their exact digits (json has no Decimal type).
    return re.sub(r'"\\u0000dec:([^"]+)"', r"\1", text)


def _packet_order(
    guide: Guide, data: ProjectData
) -> Callable[[EvidenceFile], tuple[int, int, int]]:
    """Sort key: documents in the guide's order, rows in table order, files in their order."""
    doc_index = {d.id: n for n, d in enumerate(guide.documents)}
    row_index = {r.id: n for rows in data.tables.values() for n, r in enumerate(rows)}

    def key(f: EvidenceFile) -> tuple[int, int, int]:
        return (
            doc_index.get(f.document_id, len(doc_index)),
            row_index.get(f.row_id or "", -1),
            f.order,
        )

    return key


def manifest_dict(
    data: ProjectData, guide: Guide, evidence_paths: Mapping[str, str], options: Mapping[str, Any]
) -> dict[str, Any]:
    """The manifest as a JSON-able dict; ``evidence_paths`` maps file id -> relative path. A
    file whose pages the clerk turned or said to be right is written in the object form with
    its page edits (:func:`app.manifest.pages.entry_json`), any other as its bare path."""
    items: dict[str, Any] = {}
    for item in guide.items:
        body: dict[str, Any] = {}
        if item.id in data.selected:
            body["selected"] = True
        inp = data.inputs.get(item.id)
        if inp:
            body["inputs"] = {k: _json_value(v) for k, v in inp.items()}
        if item.id in data.requested:
            body["requested_cny"] = _json_value(data.requested[item.id])
        if body:
            body.setdefault("selected", False)
            items[item.id] = body
    tables: dict[str, Any] = {}
    for tspec in guide.tables:
        rows = data.rows(tspec.id)
        if rows:
            tables[tspec.id] = [
                {"id": r.id, **{k: _json_value(v) for k, v in r.values.items()}} for r in rows
            ]
    evidence: dict[str, Any] = {}
    for f in sorted(data.evidence, key=_packet_order(guide, data)):
        rel = entry_json(evidence_paths[f.id], edits_of(f))
        if f.row_id is None:
            evidence.setdefault(f.document_id, []).append(rel)
        else:
            evidence.setdefault(f.document_id, {}).setdefault(f.row_id, []).append(rel)
    out: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "guide": guide.id,
        "company": {
            **{k: data.company.get(k) for k, _ in COMPANY_FIELDS if data.company.get(k)},
            **{k: v for k, v in data.company.extra.items() if v},
        },
        "items": items,
        "tables": tables,
    }
    if data.rates:
        out["rates"] = {k: _rate_json(guide, k, v) for k, v in data.rates.items()}
    out["evidence"] = evidence
    if data.declaration_confirmed:
        out["declaration_confirmed"] = True
    shown = {k: v for k, v in options.items() if k != DECLARATION_OPTION}
    if shown:
        out["options"] = {k: _json_value(v) for k, v in shown.items()}
    if data.stages:
        out["stages"] = {k: v.isoformat() for k, v in data.stages.items()}
    if data.review_figures:
        out["review_figures"] = dict(data.review_figures)
    return out


def export_manifest(store: Any, manifest_path: Path, notes: list[str] | None = None) -> Path:
    """Write ``manifest_path`` and copy every evidence file into ``evidence/`` beside it: its
    original, or (pages removed) the stored PDF of the pages kept, named ``<stem>.pdf``; each
    such file is said in ``notes`` (Chinese, for the user)."""
    data: ProjectData = store.load()
    guide = project_guide(data)
    folder = manifest_path.parent / "evidence"
    folder.mkdir(parents=True, exist_ok=True)
    rel_paths: dict[str, str] = {}
    used: set[str] = set()
    for f in sorted(data.evidence, key=_packet_order(guide, data)):
        # Keep the user's own file name (only characters Windows forbids are replaced), so that
        # export -> import -> export is a fixed point; the manifest's list gives the order.
        content, is_original = export_content(store, f)
        stem, _ = safe_file_stem(Path(f.name).stem)
        suffix = Path(f.name).suffix if is_original else ".pdf"
        sub = f.document_id + (f"/{f.row_id}" if f.row_id else "")
        rel = f"evidence/{sub}/{stem}{suffix}"
        k = 2
        while rel.lower() in used:
            rel = f"evidence/{sub}/{stem}（{k}）{suffix}"
            k += 1
        used.add(rel.lower())
        target = manifest_path.parent / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        rel_paths[f.id] = rel
        if not is_original and notes is not None:
            notes.append(
                f"“{f.name}”导出的是申报材料所用页面的 PDF（{rel}），不是原文件"
                "（删除过页面的文件都这样导出；原文件仍保存在项目文件中）。"
            )
    options = store.get_options()
    out = manifest_dict(data, guide, rel_paths, options)
    guide_file = _export_guide(data, guide, manifest_path.parent)
    if guide_file is not None:  # right after "guide", which the file's id must match
        keys = list(out)
        at = keys.index("guide") + 1
        out = (
            {k: out[k] for k in keys[:at]}
            | {"guide_file": guide_file}
            | {k: out[k] for k in keys[at:]}
        )
    text = _dumps(out)
    tmp = manifest_path.with_name(manifest_path.name + ".tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(manifest_path)
    return manifest_path


def _export_guide(data: ProjectData, guide: Guide, folder: Path) -> str | None:
    """A project whose guide is not the bundled guide of its id (a file opened from elsewhere,
    or an older version): its stored text is written beside the manifest, which names it in
    ``guide_file``; the manifest then imports on any PC. None: the bundled guide will do."""
    from app.guide.registry import GuideCopy, bundled_entry_or_none

    if not data.guide_text:
        return None
    copy = GuideCopy.of(data.guide_text)
    bundled = bundled_entry_or_none(guide.id)
    if bundled is not None and bundled.copy is not None and bundled.copy.sha256 == copy.sha256:
        return None
    stem, _ = safe_file_stem(guide.id)
    name = f"{stem}.toml"
    target = folder / name
    tmp = target.with_name(name + ".tmp")
    tmp.write_text(copy.text, encoding="utf-8")
    tmp.replace(target)
    return name
