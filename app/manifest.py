"""The JSON manifest: a whole project as one readable file plus evidence files beside it.

Format documented in ``docs/manifest.md``. Import builds a project file (evidence normalised
through app.intake); export writes the manifest and copies every original evidence file into
``evidence/`` beside it, so export → import → export is lossless.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.errors import AppError, ManifestError
from app.guide import guide_by_id
from app.guide.model import FieldSpec, Guide
from app.model import COMPANY_FIELDS, Company, EvidenceFile, ProjectData, Rate, Row, Value
from app.outputs import safe_file_stem
from app.project.records import DECLARATION_OPTION
from app.values import ValueProblem, coerce

FORMAT = "packet-assembler-manifest"
VERSION = 1
_DEC_MARK = "\u0000dec:"


@dataclass(frozen=True)
class EvidenceRef:
    document_id: str
    row_id: str | None
    path: Path  # absolute


@dataclass(frozen=True)
class Manifest:
    source: Path
    guide: Guide
    data: ProjectData  # evidence empty: see ``evidence``
    evidence: tuple[EvidenceRef, ...]
    options: Mapping[str, Any] = field(default_factory=dict)


def _fail(path: Path, where: str, reason: str) -> ManifestError:
    return ManifestError(f"清单文件 {path.name} 有误：{where}：{reason}")


def load_manifest(path: Path) -> Manifest:
    """Read and validate a manifest. Raises ManifestError naming the key and the reason."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ManifestError(f"找不到清单文件 {path}。") from None
    except OSError as exc:
        raise ManifestError(f"无法读取清单文件 {path}：{exc.strerror}。") from None
    except UnicodeDecodeError:
        raise ManifestError(f"清单文件 {path.name} 不是 UTF-8 编码的 JSON 文件。") from None
    try:
        raw = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise _fail(
            path, f"第{exc.lineno}行第{exc.colno}列", f"JSON 格式错误（{exc.msg}）"
        ) from None
    return parse_manifest(raw, path)


def parse_manifest(raw: Any, path: Path) -> Manifest:
    if not isinstance(raw, dict):
        raise _fail(path, "（文件）", "应为 JSON 对象")
    if raw.get("format") != FORMAT:
        raise _fail(path, "format", f'应为 "{FORMAT}"')
    if raw.get("version") != VERSION:
        raise _fail(path, "version", f"本程序支持版本 {VERSION}，请升级本程序")
    known = {
        "format",
        "version",
        "guide",
        "company",
        "items",
        "tables",
        "rates",
        "evidence",
        "options",
        "declaration_confirmed",
    }
    for key in raw:
        if key not in known:
            raise _fail(path, key, "未知的键（拼写错误？）")
    guide_id = raw.get("guide")
    if not isinstance(guide_id, str):
        raise _fail(path, "guide", '应为申报指南编号，如 "zhuhai-service-trade-2019"')
    try:
        guide = guide_by_id(guide_id)
    except AppError as exc:
        raise _fail(path, "guide", exc.message) from None

    rates_raw = raw.get("rates") or {}
    if not isinstance(rates_raw, dict):
        raise _fail(path, "rates", "应为对象 {币种: 汇率}")
    rates = {str(k): _rate(path, f"rates.{k}", guide, str(k), v) for k, v in rates_raw.items()}
    added = {code for code in rates if code not in {c.code for c in guide.currencies}}

    company_raw = raw.get("company", {})
    if not isinstance(company_raw, dict):
        raise _fail(path, "company", "应为对象")
    company_keys = {k for k, _ in COMPANY_FIELDS}
    for k, v in company_raw.items():
        if k not in company_keys:
            raise _fail(
                path, f"company.{k}", f"未知的企业信息字段，可用：{'、'.join(sorted(company_keys))}"
            )
        if not isinstance(v, str):
            raise _fail(path, f"company.{k}", "应为字符串")
    company = Company(**company_raw)

    items_raw = raw.get("items", {})
    if not isinstance(items_raw, dict):
        raise _fail(path, "items", "应为对象 {项目编号: {...}}")
    selected: list[str] = []
    inputs: dict[str, dict[str, Value]] = {}
    requested: dict[str, Decimal] = {}
    for item_id, body in items_raw.items():
        where = f"items.{item_id}"
        if item_id not in guide.item_ids:
            raise _fail(path, where, "未知的申报项目编号")
        if not isinstance(body, dict):
            raise _fail(path, where, "应为对象")
        for k in body:
            if k not in ("selected", "inputs", "requested_cny"):
                raise _fail(path, f"{where}.{k}", "未知的键，可用：selected、inputs、requested_cny")
        sel = body.get("selected", True)
        if not isinstance(sel, bool):
            raise _fail(path, f"{where}.selected", "应为 true 或 false")
        if sel:
            selected.append(item_id)
        spec = guide.item(item_id)
        values: dict[str, Value] = {}
        for fid, v in (body.get("inputs") or {}).items():
            try:
                fspec = spec.input(fid)
            except KeyError:
                raise _fail(path, f"{where}.inputs.{fid}", "不是该项目的输入字段") from None
            value = _coerce(path, f"{where}.inputs.{fid}", fspec, v, guide, added)
            if value is not None:
                values[fid] = value
        if values:
            inputs[item_id] = values
        if "requested_cny" in body and body["requested_cny"] is not None:
            requested[item_id] = _decimal(path, f"{where}.requested_cny", body["requested_cny"])

    tables_raw = raw.get("tables", {})
    if not isinstance(tables_raw, dict):
        raise _fail(path, "tables", "应为对象 {表编号: [行, ...]}")
    tables: dict[str, tuple[Row, ...]] = {}
    row_ids: set[str] = set()
    for table_id, rows_raw in tables_raw.items():
        try:
            tspec = guide.table(table_id)
        except KeyError:
            raise _fail(path, f"tables.{table_id}", "未知的表编号") from None
        if not isinstance(rows_raw, list):
            raise _fail(path, f"tables.{table_id}", "应为行的数组")
        rows: list[Row] = []
        for n, row_raw in enumerate(rows_raw):
            where = f"tables.{table_id}[{n}]"
            if not isinstance(row_raw, dict):
                raise _fail(path, where, "每行应为对象")
            rid = row_raw.get("id") or f"{table_id}-{n + 1}"
            if not isinstance(rid, str) or not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", rid):
                raise _fail(path, f"{where}.id", "行编号只能含字母、数字、_ . -")
            if rid in row_ids:
                raise _fail(path, f"{where}.id", f"行编号 {rid} 重复")
            row_ids.add(rid)
            values = {}
            for col_id, v in row_raw.items():
                if col_id == "id":
                    continue
                try:
                    col = tspec.column(col_id)
                except KeyError:
                    raise _fail(path, f"{where}.{col_id}", f"不是表 {table_id} 的列") from None
                value = _coerce(path, f"{where}.{col_id}", col, v, guide, added)
                if value is not None:
                    values[col_id] = value
            rows.append(Row(id=rid, values=values))
        tables[table_id] = tuple(rows)

    base = path.parent
    evidence: list[EvidenceRef] = []
    ev_raw = raw.get("evidence", {})
    if not isinstance(ev_raw, dict):
        raise _fail(path, "evidence", "应为对象 {材料编号: [文件, ...]}")
    for doc_id, spec in ev_raw.items():
        try:
            doc = guide.document(doc_id)
        except KeyError:
            raise _fail(path, f"evidence.{doc_id}", "未知的材料编号") from None
        if not doc.needs_files:
            raise _fail(path, f"evidence.{doc_id}", "此材料由程序生成，不需要附文件")
        if doc.per_row:
            if not isinstance(spec, dict):
                raise _fail(path, f"evidence.{doc_id}", "按行提供的材料应为 {行编号: [文件, ...]}")
            for rid, files in spec.items():
                if rid not in row_ids:
                    raise _fail(path, f"evidence.{doc_id}.{rid}", "没有这个行编号")
                for p in _paths(path, f"evidence.{doc_id}.{rid}", files):
                    evidence.append(EvidenceRef(doc_id, rid, (base / p).resolve()))
        else:
            for p in _paths(path, f"evidence.{doc_id}", spec):
                evidence.append(EvidenceRef(doc_id, None, (base / p).resolve()))

    options = raw.get("options") or {}
    if not isinstance(options, dict):
        raise _fail(path, "options", "应为对象")
    confirmed = raw.get("declaration_confirmed", False)
    if not isinstance(confirmed, bool):
        raise _fail(path, "declaration_confirmed", "应为 true 或 false（是否确认符合申请条件）")
    ordered = tuple(i for i in guide.item_ids if i in selected)
    data = ProjectData(
        guide_id=guide.id,
        company=company,
        selected=ordered,
        inputs=inputs,
        tables=tables,
        rates=rates,
        requested=requested,
        declaration_confirmed=confirmed,
    )
    return Manifest(source=path, guide=guide, data=data, evidence=tuple(evidence), options=options)


def _paths(path: Path, where: str, files: Any) -> list[str]:
    if not isinstance(files, list) or not all(isinstance(f, str) and f for f in files):
        raise _fail(path, where, "应为文件路径（相对于清单文件）的数组")
    return list(files)


def _decimal(path: Path, where: str, v: Any) -> Decimal:
    if isinstance(v, bool) or not isinstance(v, int | Decimal | str):
        raise _fail(path, where, "应为数字")
    try:
        return Decimal(str(v))
    except ArithmeticError:
        raise _fail(path, where, f"“{v}”不是数字") from None


def _rate(path: Path, where: str, guide: Guide, code: str, v: Any) -> Rate:
    """A rate: a number, read the way the guide's table quotes that currency, or an object
    ``{"per_usd": ...}`` / ``{"usd_per": ..., "units": 100}`` (with ``"name"`` for a currency
    the guide does not list)."""
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise _fail(path, where, "币种代码应为三个大写字母，如 THB")
    try:
        default: Rate | None = guide.currency(code).rate
    except KeyError:
        default = None
    if not isinstance(v, dict):
        if default is None:
            raise _fail(
                path,
                where,
                '申报指南的汇率表没有此币种，请写成 {"name": "中文名称", "per_usd": 每1美元合多少}'
                ' 或 {"name": ..., "usd_per": 每单位合多少美元}',
            )
        value = _rate_number(path, where, v)
        rate = Rate(value, default.quote, default.units)
    else:
        for k in v:
            if k not in ("name", "per_usd", "usd_per", "units"):
                raise _fail(path, f"{where}.{k}", "未知的键，可用：name、per_usd、usd_per、units")
        if ("per_usd" in v) == ("usd_per" in v):
            raise _fail(path, where, "须有 per_usd 或 usd_per 之一")
        name = v.get("name", "")
        if not isinstance(name, str) or (default is None and not name.strip()):
            raise _fail(path, f"{where}.name", "请写明币种的中文名称")
        units = v.get("units", 1)
        if isinstance(units, bool) or not isinstance(units, int) or units < 1:
            raise _fail(path, f"{where}.units", "应为正整数（如 1 或 100）")
        if "per_usd" in v:
            if "units" in v:
                raise _fail(path, f"{where}.units", "units 只用于 usd_per")
            rate = Rate(_rate_number(path, f"{where}.per_usd", v["per_usd"]), "per_usd", 1, name)
        else:
            value = _rate_number(path, f"{where}.usd_per", v["usd_per"])
            rate = Rate(value, "usd_per", units, name)
    if not rate.value.is_finite() or rate.value <= 0:
        raise _fail(path, where, "汇率须大于 0")
    if code == "USD" and rate != Rate(Decimal(1)) and rate != Rate(Decimal(1), "usd_per"):
        raise _fail(path, where, "美元对美元的折算率只能是 1")
    return rate


def _rate_number(path: Path, where: str, v: Any) -> Decimal:
    """A rate as a JSON number (never a quoted one): its digits are kept exactly."""
    if isinstance(v, str):
        raise _fail(path, where, "汇率应为数字，数字请不要加引号")
    return _decimal(path, where, v)


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


def _coerce(
    path: Path, where: str, spec: FieldSpec, v: Any, guide: Guide, added: set[str]
) -> Value | None:
    if isinstance(v, float):  # parse_float=Decimal means floats never arrive; be safe anyway
        v = Decimal(repr(v))
    if spec.type in ("money", "decimal", "int") and isinstance(v, str):
        raise _fail(path, where, "数字请不要加引号")
    try:
        return coerce(spec, v, guide, added)
    except ValueProblem as exc:
        raise _fail(path, where, str(exc)) from None


# -- import into a project file ------------------------------------------------------------------

ProgressCallback = Callable[[int, int, str], None]


def import_manifest(
    manifest: Manifest,
    project_path: Path,
    password: Callable[[str], str | None] | None = None,
    progress: ProgressCallback | None = None,
    cancel: Callable[[], bool] | None = None,
) -> None:
    """Create ``project_path`` holding everything the manifest names.

    Evidence is normalised first; any refused file aborts the import (ManifestError/IntakeError
    naming the file) and no project file is left behind."""
    from app.intake import import_file
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
    imported = []
    total = len(manifest.evidence)
    for n, ref in enumerate(manifest.evidence):
        if cancel is not None and cancel():
            from app.errors import BuildCancelled

            raise BuildCancelled()
        if progress is not None:
            progress(n, total, f"正在导入 {ref.path.name}")
        imported.append((ref, import_file(ref.path, password)))
    tmp = project_path.with_name(project_path.name + ".importing")
    tmp.unlink(missing_ok=True)
    try:
        store = ProjectStore.create(tmp, manifest.guide.id)
        with store:
            write_project_data(store, manifest.data)
            for key, value in manifest.options.items():
                store.set_option(key, value)
            groups: dict[tuple[str, str | None], list[Any]] = {}
            for ref, imp in imported:
                groups.setdefault((ref.document_id, ref.row_id), []).append(imp)
            for (doc_id, row_id), files in groups.items():
                store.add_evidence_many(doc_id, row_id, files)
        tmp.replace(project_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(total, total, "导入完成")


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
    """The manifest as a JSON-able dict; ``evidence_paths`` maps file id -> relative path."""
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
        rel = evidence_paths[f.id]
        if f.row_id is None:
            evidence.setdefault(f.document_id, []).append(rel)
        else:
            evidence.setdefault(f.document_id, {}).setdefault(f.row_id, []).append(rel)
    out: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "guide": guide.id,
        "company": {k: data.company.get(k) for k, _ in COMPANY_FIELDS if data.company.get(k)},
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
        out["options"] = shown
    return out


def export_manifest(store: Any, manifest_path: Path) -> Path:
    """Write ``manifest_path`` and copy every evidence original into ``evidence/`` beside it."""
    data: ProjectData = store.load()
    guide = guide_by_id(data.guide_id)
    folder = manifest_path.parent / "evidence"
    folder.mkdir(parents=True, exist_ok=True)
    rel_paths: dict[str, str] = {}
    used: set[str] = set()
    for f in sorted(data.evidence, key=_packet_order(guide, data)):
        # Keep the user's own file name (only characters Windows forbids are replaced), so that
        # export -> import -> export is a fixed point; the manifest's list gives the order.
        stem, _ = safe_file_stem(Path(f.name).stem)
        suffix = Path(f.name).suffix
        sub = f.document_id + (f"/{f.row_id}" if f.row_id else "")
        rel = f"evidence/{sub}/{stem}{suffix}"
        k = 2
        while rel.lower() in used:
            rel = f"evidence/{sub}/{stem}（{k}）{suffix}"
            k += 1
        used.add(rel.lower())
        target = manifest_path.parent / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(store.evidence_original(f.id))
        rel_paths[f.id] = rel
    options = store.get_options()
    text = _dumps(manifest_dict(data, guide, rel_paths, options))
    tmp = manifest_path.with_name(manifest_path.name + ".tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(manifest_path)
    return manifest_path
