"""Reading a manifest: the JSON file is parsed and every value checked once, at the edge, with
the key path in every refusal (see ``docs/manifest.md``)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

from app.entry.values import MAX_NUMBER_CHARS, ValueProblem, coerce, parse_decimal
from app.guide import guide_by_id, read_guide_file
from app.guide.model import FieldSpec, Guide
from app.manifest.pages import PageEdit, parse_entry
from app.model import COMPANY_FIELDS, Company, ProjectData, Rate, Row, Value
from app.system.errors import AppError, ManifestError

FORMAT = "packet-assembler-manifest"
VERSION = 1
_DEC_MARK = "\u0000dec:"
ZERO = Decimal(0)


@dataclass(frozen=True)
class EvidenceRef:
    document_id: str
    row_id: str | None
    path: Path  # absolute
    outside: bool = False  # the file lies outside the manifest's folder (allowed on request)
    pages: tuple[PageEdit, ...] = ()  # the clerk's page edits (the entry's object form)
    where: str = ""  # the entry's key path, for messages: "evidence.business_license[0]"


@dataclass(frozen=True)
class Manifest:
    source: Path
    guide: Guide
    data: ProjectData  # evidence empty: see ``evidence``
    evidence: tuple[EvidenceRef, ...]
    options: Mapping[str, Any] = field(default_factory=dict)


class OutsideFilesError(ManifestError):
    """The manifest names evidence files outside its own folder and the caller did not allow it.

    ``paths`` lists them (resolved), so a caller can show them and ask before loading again with
    ``allow_outside=True``."""

    def __init__(self, message: str, paths: tuple[Path, ...]) -> None:
        super().__init__(message)
        self.paths = paths


MAX_MANIFEST_BYTES = 20 * 1024 * 1024
"""A manifest is text; anything larger is not one (evidence files live beside it)."""

MAX_TEXT_CHARS = 2000
"""Longest text value (company field, table cell, free option)."""

MAX_PATH_CHARS = 1000
"""Longest evidence path as written in the manifest."""

GUTTER_RANGE = (Decimal(0), Decimal(50))


class _BadNumber:
    """A JSON number the loader will not compute with (too long, NaN, Infinity): kept as text so
    the value's key can be named when it is reached."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text if len(self.text) <= 24 else self.text[:20] + "…"


def _json_number(text: str) -> Decimal | int | _BadNumber:
    # Bounded before Decimal/int: a 5,000-digit number or 1e999999 costs nothing here.
    if len(text) > MAX_NUMBER_CHARS:
        return _BadNumber(text)
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return Decimal(text)


def _json_constant(text: str) -> _BadNumber:
    return _BadNumber(text)  # NaN, Infinity, -Infinity


def _fail(path: Path, where: str, reason: str) -> ManifestError:
    # A key or value can be any length in a hostile file; the message stays a message.
    if len(where) > 120:
        where = where[:100] + "…"
    if len(reason) > 400:
        reason = reason[:380] + "…"
    return ManifestError(f"清单文件 {path.name} 有误：{where}：{reason}")


def load_manifest(
    path: Path, *, allow_outside: bool = False, guide_file: Path | None = None
) -> Manifest:
    """Read and validate a manifest. Raises ManifestError naming the key and the reason.

    ``guide_file``: the guide file to use (given on the command line), in place of the
    manifest's own ``guide_file`` or bundled ``guide``; its id must match ``guide`` if given.

    Evidence files outside the manifest's folder (``../``, absolute paths, symlinks leading
    out) are refused with :class:`OutsideFilesError` unless ``allow_outside``."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_MANIFEST_BYTES:
            raise _fail(path, "（文件）", f"文件过大（{size // 1048576} MB），不像清单文件")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ManifestError(f"找不到清单文件 {path}。") from None
    except OSError as exc:
        raise ManifestError(f"无法读取清单文件 {path}：{exc.strerror}。") from None
    except UnicodeDecodeError:
        raise ManifestError(f"清单文件 {path.name} 不是 UTF-8 编码的 JSON 文件。") from None
    try:
        raw = json.loads(
            text,
            parse_float=_json_number,
            parse_int=_json_number,
            parse_constant=_json_constant,
        )
    except json.JSONDecodeError as exc:
        raise _fail(
            path, f"第{exc.lineno}行第{exc.colno}列", f"JSON 格式错误（{exc.msg}）"
        ) from None
    except RecursionError:
        raise _fail(path, "（文件）", "括号嵌套层数过深，不是清单文件的结构") from None
    return parse_manifest(raw, path, allow_outside=allow_outside, guide_file=guide_file)


def _object(path: Path, where: str, v: Any, what: str = "应为对象") -> dict[str, Any]:
    """``v`` as a JSON object; absent (None) is an empty one."""
    if v is None:
        return {}
    if not isinstance(v, dict):
        raise _fail(path, where, what)
    return v


def _text(path: Path, where: str, v: Any) -> str:
    if not isinstance(v, str):
        raise _fail(path, where, f"应为字符串（用双引号括起的文字），不是{_kind(v)}")
    if len(v) > MAX_TEXT_CHARS:
        raise _fail(path, where, f"文字过长（{len(v)} 个字符，最多 {MAX_TEXT_CHARS} 个）")
    return v


def _kind(v: Any) -> str:
    """What a JSON value is, in words, for messages."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true/false"
    if isinstance(v, int | Decimal | _BadNumber):
        return "数字"
    if isinstance(v, str):
        return "字符串"
    if isinstance(v, list):
        return "数组"
    if isinstance(v, dict):
        return "对象"
    return type(v).__name__


def parse_manifest(
    raw: Any, path: Path, *, allow_outside: bool = False, guide_file: Path | None = None
) -> Manifest:
    if not isinstance(raw, dict):
        raise _fail(path, "（文件）", "应为 JSON 对象")
    if raw.get("format") != FORMAT:
        raise _fail(path, "format", f'应为 "{FORMAT}"')
    version = raw.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version != VERSION:
        raise _fail(path, "version", f"本程序支持版本 {VERSION}，请升级本程序")
    known = {
        "format",
        "version",
        "guide",
        "guide_file",
        "company",
        "items",
        "tables",
        "rates",
        "evidence",
        "options",
        "stages",
        "review_figures",
        "declaration_confirmed",
    }
    for key in raw:
        if key not in known:
            raise _fail(path, key, "未知的键（拼写错误？）")
    # a guide_file outside the folder is only read (to check the rest) until it is allowed
    guide, guide_text, guide_ref = _guide(path, raw, guide_file)

    rates_raw = _object(path, "rates", raw.get("rates"), "应为对象 {币种代码: 汇率}")
    rates = {str(k): _rate(path, f"rates.{k}", guide, str(k), v) for k, v in rates_raw.items()}
    added = {code for code in rates if code not in {c.code for c in guide.currencies}}

    company_raw = _object(path, "company", raw.get("company"))
    basic_keys = {k for k, _ in COMPANY_FIELDS}
    own = {f.id: f for f in guide.company_fields}  # the guide's own company fields
    company_keys = basic_keys | set(own)
    extra: dict[str, str] = {}
    for k, v in company_raw.items():
        if k not in company_keys:
            raise _fail(
                path, f"company.{k}", f"未知的企业信息字段，可用：{'、'.join(sorted(company_keys))}"
            )
        _text(path, f"company.{k}", v)
        if k in own:
            extra[k] = _company_choice(path, own[k], v)
    company = Company(
        **{k: v for k, v in company_raw.items() if k in basic_keys},
        extra=MappingProxyType(extra),
    )

    items_raw = _object(path, "items", raw.get("items"), "应为对象 {项目编号: {...}}")
    selected: list[str] = []
    inputs: dict[str, dict[str, Value]] = {}
    requested: dict[str, Decimal] = {}
    for item_id, body_raw in items_raw.items():
        where = f"items.{item_id}"
        if item_id not in guide.item_ids:
            raise _fail(path, where, "未知的申报项目编号")
        body = _object(path, where, body_raw)
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
        inputs_raw = _object(path, f"{where}.inputs", body.get("inputs"), "应为对象 {字段: 值}")
        for fid, v in inputs_raw.items():
            try:
                fspec = spec.input(fid)
            except KeyError:
                raise _fail(path, f"{where}.inputs.{fid}", "不是该项目的输入字段") from None
            value = _coerce(path, f"{where}.inputs.{fid}", fspec, v, guide, added)
            if value is not None:
                values[fid] = value
        if values:
            inputs[item_id] = values
        if body.get("requested_cny") is not None:
            requested[item_id] = _number(
                path, f"{where}.requested_cny", body["requested_cny"], "申请金额", minimum=ZERO
            )

    tables_raw = _object(path, "tables", raw.get("tables"), "应为对象 {表编号: [行, ...]}")
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
                raise _fail(path, f"{where}.id", "行编号只能含字母、数字、_ . -（1 到 64 个字符）")
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

    evidence = _evidence(path, raw.get("evidence"), guide, row_ids)
    outside = tuple(ref for ref in evidence if ref.outside)
    if guide_ref is not None and guide_ref.outside:
        outside = (guide_ref, *outside)
    if outside and not allow_outside:
        first = outside[0]
        raise OutsideFilesError(
            f"清单文件 {path.name} 有误：{first.where}：文件 {first.path} 不在清单文件所在的文件夹"
            f"（{path.parent}）之内"
            + (f"，这样的文件共 {len(outside)} 个" if len(outside) > 1 else "")
            + "。为防止把本机的其他文件误放进申报材料，默认只读取清单文件夹内的文件。"
            "请把文件复制到清单文件夹中并改用相对路径；如确认要使用这些文件，"
            "命令行请加 --allow-outside，图形界面中导入时确认即可。",
            tuple(ref.path for ref in outside),
        )

    options = _options(path, raw.get("options"))
    stages = _stages(path, guide, raw.get("stages"))
    confirmed = raw.get("declaration_confirmed", False)
    if not isinstance(confirmed, bool):
        raise _fail(path, "declaration_confirmed", "应为 true 或 false（是否确认符合申请条件）")
    figures = raw.get("review_figures") or {}
    if not isinstance(figures, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in figures.items()
    ):
        raise _fail(path, "review_figures", "应为对象 {名称: 文字}（由程序导出，请勿修改）")
    ordered = tuple(i for i in guide.item_ids if i in selected)
    data = ProjectData(
        guide_id=guide.id,
        company=company,
        selected=ordered,
        inputs=inputs,
        tables=tables,
        rates=rates,
        requested=requested,
        stages=stages,
        review_figures=figures,
        declaration_confirmed=confirmed,
        guide_text=guide_text,
    )
    refs = tuple(
        EvidenceRef(r.document_id, r.row_id, r.path, r.outside, r.pages, r.where) for r in evidence
    )
    return Manifest(source=path, guide=guide, data=data, evidence=refs, options=options)


def _guide(
    path: Path, raw: Mapping[str, Any], given: Path | None
) -> tuple[Guide, str, _Ref | None]:
    """The manifest's guide: ``guide_file`` (a guide file, relative to the manifest's folder,
    whose text the project will keep) and/or ``guide`` (the id of a bundled guide, or the id
    the file must have); ``given`` (the command line's) replaces ``guide_file``. Returns the
    guide, its text ('' for a bundled one) and the manifest's own file."""
    guide_id = raw.get("guide")
    file_raw = raw.get("guide_file")
    if guide_id is not None and not isinstance(guide_id, str):
        raise _fail(path, "guide", '应为申报指南编号，如 "zhuhai-service-trade-2019"')
    if given is not None:
        try:
            guide, copy = read_guide_file(given)
        except AppError as exc:
            raise ManifestError(exc.message) from None
        if guide_id is not None and guide.id != guide_id:
            raise _fail(
                path,
                "guide",
                f"清单按申报指南 {guide_id} 填写，而指定的申报指南文件 {given.name} 的编号是"
                f" {guide.id}，请确认文件无误",
            )
        return guide, copy.text, None
    if file_raw is None:
        if guide_id is None:
            raise _fail(
                path,
                "guide",
                '缺少申报指南：请写 "guide": 编号（本程序自带的申报指南），'
                '或 "guide_file": 申报指南文件（相对于清单文件）',
            )
        try:
            return guide_by_id(guide_id), "", None
        except AppError as exc:
            raise _fail(path, "guide", exc.message) from None
    if not isinstance(file_raw, str) or not file_raw.strip() or len(file_raw) > MAX_PATH_CHARS:
        raise _fail(path, "guide_file", "应为申报指南文件的路径（相对于清单文件所在文件夹）")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in file_raw):
        raise _fail(path, "guide_file", "文件路径含有控制字符（如换行或 NUL），请检查")
    rel = file_raw
    ref = _ref(path, path.parent.resolve(), "guide_file", "", None, rel)
    try:
        guide, copy = read_guide_file(ref.path)
    except AppError as exc:
        raise _fail(path, "guide_file", exc.message) from None
    if guide_id is not None and guide.id != guide_id:
        raise _fail(
            path,
            "guide",
            f"与 guide_file 不符：申报指南文件 {rel} 的编号是 {guide.id}，不是 {guide_id}",
        )
    return guide, copy.text, ref


def _company_choice(path: Path, spec: FieldSpec, value: str) -> str:
    """A guide's company field: a choice by its id or its label (stored as the id)."""
    if spec.type != "choice" or not value:
        return value
    for key, label in spec.choices:
        if value in (key, label):
            return key
    options = "、".join(label for _, label in spec.choices)
    raise _fail(path, f"company.{spec.id}", f"“{value}”不是{spec.label}的选项，可用：{options}")


def _stages(path: Path, guide: Guide, raw: Any) -> dict[str, dt.date]:
    """``{"review_submitted": "2019-02-02"}``: the submission stages reached, with dates."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _fail(path, "stages", '应为对象 {阶段编号: "日期"}')
    known = [s.id for s in guide.process.stages] if guide.process is not None else []
    out: dict[str, dt.date] = {}
    for stage_id, v in raw.items():
        if stage_id not in known:
            raise _fail(
                path, f"stages.{stage_id}", f"未知的阶段，可用：{'、'.join(known) or '（无）'}"
            )
        bad = _fail(path, f"stages.{stage_id}", '应为日期，如 "2019-02-02"')
        if not isinstance(v, str):
            raise bad
        try:
            out[stage_id] = dt.date.fromisoformat(v)
        except ValueError:
            raise bad from None
    return out


def rate_currency_allowed(code: str, guide: Guide, value: Any) -> bool:
    """Whether ``rates`` may give ``value`` for ``code``: a currency of the guide's table, or
    one the manifest adds with its name (the object form ``{"name": ..., "per_usd": ...}``).
    The one place that decides it."""
    return any(c.code == code for c in guide.currencies) or isinstance(value, dict)


@dataclass(frozen=True)
class _Ref:
    document_id: str
    row_id: str | None
    path: Path
    outside: bool
    where: str
    pages: tuple[PageEdit, ...] = ()


def _evidence(path: Path, ev: Any, guide: Guide, row_ids: set[str]) -> list[_Ref]:
    base = path.parent.resolve()
    out: list[_Ref] = []
    ev_raw = _object(path, "evidence", ev, "应为对象 {材料编号: [文件, ...]}")
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
                for where, p, edits in _paths(path, f"evidence.{doc_id}.{rid}", files):
                    out.append(_ref(path, base, where, doc_id, rid, p, edits))
        else:
            for where, p, edits in _paths(path, f"evidence.{doc_id}", spec):
                out.append(_ref(path, base, where, doc_id, None, p, edits))
    return out


def _ref(
    path: Path,
    base: Path,
    where: str,
    doc_id: str,
    rid: str | None,
    p: str,
    edits: tuple[PageEdit, ...] = (),
) -> _Ref:
    try:
        resolved = (base / p).resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, an impossible name
        raise _fail(path, where, f"无法解析文件路径“{p}”") from None
    outside = resolved != base and base not in resolved.parents
    return _Ref(doc_id, rid, resolved, outside, where, edits)


def _paths(path: Path, where: str, files: Any) -> list[tuple[str, str, tuple[PageEdit, ...]]]:
    """Each entry of an evidence list: a path, or ``{"file": path, "pages": [...]}`` (see
    :mod:`app.manifest.pages`); its key path, the path and its page edits."""
    if not isinstance(files, list):
        raise _fail(path, where, "应为文件路径（相对于清单文件）的数组")
    out = []
    for n, entry in enumerate(files):
        at = f"{where}[{n}]"
        edits: tuple[PageEdit, ...] = ()
        f = entry
        if isinstance(entry, dict):
            f, edits = parse_entry(entry, at, lambda key, reason: _fail(path, key, reason))
            at_file = f"{at}.file"
        else:
            at_file = at
        if not isinstance(f, str) or not f.strip():
            raise _fail(
                path,
                at_file,
                "应为文件路径（相对于清单文件所在文件夹）"
                + ('，或 {"file": 路径, "pages": [...]}' if at_file == at else ""),
            )
        if len(f) > MAX_PATH_CHARS:
            raise _fail(path, at_file, f"文件路径过长（{len(f)} 个字符，最多 {MAX_PATH_CHARS} 个）")
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in f):
            raise _fail(path, at_file, "文件路径含有控制字符（如换行或 NUL），请检查")
        out.append((at, f, edits))
    return out


def _options(path: Path, v: Any) -> dict[str, Any]:
    """Typed packet options; other keys are free metadata holding plain values only."""
    options = _object(path, "options", v)
    out: dict[str, Any] = {}
    for key, value in options.items():
        where = f"options.{key}"
        if value is None:
            continue
        if key in ("duplex", "repeat_shared"):
            if not isinstance(value, bool):
                raise _fail(path, where, f"应为 true 或 false，不是{_kind(value)}")
            out[key] = value
        elif key == "gutter_mm":
            gutter = _number(path, where, value, "装订边宽度", minimum=GUTTER_RANGE[0])
            if gutter > GUTTER_RANGE[1]:
                raise _fail(path, where, "装订边宽度应在 0 到 50 毫米之间")
            out[key] = gutter
        else:
            if len(key) > 64:
                raise _fail(path, f"options.{key[:20]}…", "键过长")
            if isinstance(value, str):
                out[key] = _text(path, where, value)
            elif isinstance(value, bool):
                out[key] = value
            elif isinstance(value, int | Decimal | _BadNumber):
                out[key] = _number(path, where, value, "数值")
            else:
                raise _fail(path, where, f"应为文字、数字或 true/false，不是{_kind(value)}")
    return out


def _number(
    path: Path, where: str, v: Any, label: str, *, minimum: Decimal | None = None
) -> Decimal:
    """A JSON number (never a quoted one), finite and within the bounds of app.entry.values."""
    if isinstance(v, _BadNumber):
        raise _fail(path, where, f"“{v}”不是可用的数字（过长、NaN 或 Infinity）")
    if isinstance(v, str):
        raise _fail(path, where, "应为数字，数字请不要加引号")
    if isinstance(v, bool) or not isinstance(v, int | Decimal):
        raise _fail(path, where, f"应为数字，不是{_kind(v)}")
    try:
        value = parse_decimal(v, label)
    except ValueProblem as exc:
        raise _fail(path, where, str(exc)) from None
    if minimum is not None and value < minimum:
        raise _fail(path, where, f"{label}不能小于 {minimum}")
    return value


_STRING_TYPES = ("text", "certification", "date", "choice", "currency", "business_type")


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
    if not rate_currency_allowed(code, guide, v):
        raise _fail(
            path,
            where,
            '本程序的默认汇率表没有此币种，请写成 {"name": "中文名称", "per_usd": 每1美元合多少}'
            ' 或 {"name": ..., "usd_per": 每单位合多少美元}',
        )
    if not isinstance(v, dict):
        if default is None:
            raise _fail(
                path,
                where,
                '本程序的默认汇率表没有此币种，请写成 {"name": "中文名称", "per_usd": 每1美元合多少}'
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
    return _number(path, where, v, "汇率")


def _coerce(
    path: Path, where: str, spec: FieldSpec, v: Any, guide: Guide, added: set[str]
) -> Value | None:
    """A cell or input, by its field's type: the JSON type the manifest doc gives, then coerce."""
    if v is None:
        return None
    if spec.type in ("money", "decimal", "int"):
        v = _number(path, where, v, spec.label)
    elif spec.type == "bool":
        if not isinstance(v, bool):
            raise _fail(path, where, f"应为 true 或 false，不是{_kind(v)}")
    elif spec.type in _STRING_TYPES or isinstance(v, dict | list | _BadNumber):
        v = _text(path, where, v)
    try:
        return coerce(spec, v, guide, added)
    except ValueProblem as exc:
        raise _fail(path, where, str(exc)) from None
