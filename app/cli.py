"""Command line: ``check``, ``build``, ``demo``, ``import``, ``export``.

Exit codes: 0 nothing blocks, 1 something blocks, 2 unreadable input or bad usage. Every error
reaches the user as one Chinese line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn, TextIO

from app.about import command_name
from app.errors import AppError, IntakeError
from app.findings import Finding, validate
from app.guide import guide_by_id
from app.guide.model import Guide
from app.model import EvidenceFile, ProjectData
from app.rules import Evaluation, evaluate, fmt_money

EXIT_OK, EXIT_BLOCKING, EXIT_USAGE = 0, 1, 2
PROJECT_SUFFIXES = (".sbproj", ".sqlite", ".db")


class UsageError(AppError):
    pass


# argparse's own texts, in Chinese (it looks them up through the module-level gettext alias).
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "the following arguments are required: %s": "缺少参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "需要一个值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的值 %(value)r",
}


def _zh(text: str) -> str:
    return _ARGPARSE_ZH.get(text, text)


argparse._ = _zh  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"命令行参数有误：{message}。运行 {command_name()} --help 查看用法。")


def make_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog=command_name(),
        description="申报材料助手：珠海市服务贸易发展专项资金申报材料。不带参数运行打开图形界面。",
    )
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    c = sub.add_parser("check", help="检查项目文件或清单：资格、支持上限、申请金额和问题清单")
    c.add_argument("src", type=Path, help="项目文件（.sbproj）或清单文件（.json）")
    c.add_argument("--json", action="store_true", help="以 JSON 输出，供脚本使用")
    c.add_argument("--password", help="加密 PDF 证明文件的打开密码")
    c.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)

    b = sub.add_parser("build", help="生成申报材料 PDF、Excel 文件、Word 模板和核对清单")
    b.add_argument("src", type=Path, help="项目文件（.sbproj）或清单文件（.json）")
    b.add_argument("--out", type=Path, required=True, help="输出文件夹")
    b.add_argument(
        "--duplex",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="双面打印：每个项目从奇数页开始（默认按项目文件中的设置）",
    )
    b.add_argument(
        "--gutter",
        type=float,
        default=None,
        help="装订边宽度（毫米；默认按项目文件中的设置，或 25）",
    )
    b.add_argument(
        "--repeat-shared",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="在各项目中重复附上共用的服务外包证明材料（默认按项目文件中的设置）",
    )
    b.add_argument("--draft", action="store_true", help="存在问题时仍生成草稿（每页加“草稿”水印）")
    b.add_argument("--password", help="加密 PDF 证明文件的打开密码")
    b.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)

    d = sub.add_parser("demo", help="生成示例企业的申报材料")
    d.add_argument("--out", type=Path, required=True, help="输出文件夹")
    d.add_argument("--duplex", action="store_true")

    i = sub.add_parser("import", help="把清单文件导入为项目文件")
    i.add_argument("manifest", type=Path)
    i.add_argument("project", type=Path)
    i.add_argument("--password", help="加密 PDF 证明文件的打开密码")

    e = sub.add_parser("export", help="把项目文件导出为清单文件和证明文件夹")
    e.add_argument("project", type=Path)
    e.add_argument("manifest", type=Path)
    return p


def password_callback(given: str | None) -> Callable[[str], str | None]:
    asked: dict[str, int] = {}

    def ask(name: str) -> str | None:
        asked[name] = asked.get(name, 0) + 1
        if given is not None:
            return given if asked[name] == 1 else None
        if sys.stdin is not None and sys.stdin.isatty():
            try:
                return getpass.getpass(f"“{name}”需要打开密码（直接回车跳过）：") or None
            except (EOFError, KeyboardInterrupt):
                return None
        return None

    return ask


# -- loading a source -----------------------------------------------------------------------------


def load_source(
    src: Path, password: Callable[[str], str | None]
) -> tuple[Guide, ProjectData, list[Finding]]:
    """Guide, project data and extra findings (refused evidence) for a project file or manifest."""
    if not src.exists():
        raise UsageError(f"找不到文件 {src}。")
    if src.suffix.lower() == ".json":
        return _load_manifest(src, password)
    if src.suffix.lower() in PROJECT_SUFFIXES:
        from app.project import ProjectStore

        with ProjectStore.open(src) as store:
            data = store.load()
        return guide_by_id(data.guide_id), data, []
    raise UsageError(f"无法识别 {src.name}：请给出项目文件（.sbproj）或清单文件（.json）。")


def _load_manifest(
    src: Path, password: Callable[[str], str | None]
) -> tuple[Guide, ProjectData, list[Finding]]:
    from dataclasses import replace

    from app.intake import import_file
    from app.manifest import load_manifest

    manifest = load_manifest(src)
    files: list[EvidenceFile] = []
    extra: list[Finding] = []
    orders: dict[tuple[str, str | None], int] = {}
    for n, ref in enumerate(manifest.evidence):
        where = f"document.{ref.document_id}" + (f".{ref.row_id}" if ref.row_id else "")
        if not ref.path.is_file():
            extra.append(
                Finding(
                    "evidence.file_missing",
                    "blocking",
                    where,
                    f"清单列出的文件不存在：{ref.path}，请检查路径（相对于清单文件所在文件夹）。",
                )
            )
            continue
        try:
            imp = import_file(ref.path, password)
        except IntakeError as exc:
            extra.append(Finding("evidence.refused", "blocking", where, exc.message))
            continue
        extra.extend(Finding("evidence.intake_note", "warning", where, w) for w in imp.warnings)
        key = (ref.document_id, ref.row_id)
        order = orders.get(key, 0)
        orders[key] = order + 1
        files.append(
            EvidenceFile(
                id=f"f{n}",
                document_id=ref.document_id,
                row_id=ref.row_id,
                name=imp.name,
                sha256=imp.sha256,
                size=len(imp.original),
                order=order,
                pages=imp.pages,
            )
        )
    return manifest.guide, replace(manifest.data, evidence=tuple(files)), extra


# -- check ----------------------------------------------------------------------------------------


def check_result(
    guide: Guide, data: ProjectData, ev: Evaluation, findings: Sequence[Finding]
) -> dict[str, Any]:
    return {
        "guide": guide.id,
        "company": data.company.name,
        "items": {
            i: {
                "title": guide.item(i).full_title,
                "eligible": ev.items[i].eligible,
                "ceiling_cny": ev.items[i].ceiling_cny,
                "requested_cny": ev.items[i].requested_cny,
                "reasons": list(ev.items[i].reasons),
            }
            for i in ev.selected
        },
        "total_requested_cny": ev.total_requested_cny,
        "findings": [f.as_dict() for f in findings],
    }


def dumps_exact(obj: Any) -> str:
    """JSON with Decimals written as numbers with their exact digits."""

    def default(o: Any) -> Any:
        if isinstance(o, Decimal):
            return "\u0000dec:" + str(o)
        raise TypeError(type(o).__name__)

    text = json.dumps(obj, ensure_ascii=False, indent=2, default=default)
    return re.sub(r'"\\u0000dec:([^"]+)"', r"\1", text)


def print_report(
    out: TextIO, guide: Guide, data: ProjectData, ev: Evaluation, findings: Sequence[Finding]
) -> None:
    w = out.write
    w(f"{data.company.name or '（未填写企业全称）'}　{guide.title}\n\n")
    if not ev.selected:
        w("未选择申报项目。\n")
    for i in ev.selected:
        r = ev.items[i]
        state = "符合条件" if r.eligible else "不符合条件"
        w(f"{guide.item(i).full_title}　{state}\n")
        w(f"    支持上限 {fmt_money(r.ceiling_cny)} 元　申请金额 {fmt_money(r.requested_cny)} 元\n")
        for label, value in r.basis:
            w(f"    依据：{label} {value}\n")
        for reason in r.reasons:
            w(f"    {'说明' if r.eligible else '原因'}：{reason}\n")
    w(f"\n申请金额合计：{fmt_money(ev.total_requested_cny)} 元\n")
    blockers = [f for f in findings if f.blocking]
    warnings = [f for f in findings if not f.blocking]
    if blockers:
        w(f"\n必须解决的问题（{len(blockers)} 个）：\n")
        for f in blockers:
            w(f"  ✗ {f.message}　[{f.where}]\n")
    if warnings:
        w(f"\n提醒（{len(warnings)} 个）：\n")
        for f in warnings:
            w(f"  ! {f.message}　[{f.where}]\n")
    if blockers:
        w(f"\n结论：存在 {len(blockers)} 个必须解决的问题，暂不能生成正式申报材料。\n")
    else:
        w("\n结论：没有必须解决的问题，可以生成申报材料。\n")


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    guide, data, extra = load_source(args.src, password_callback(args.password))
    ev = evaluate(guide, data)
    findings = extra + validate(guide, data, ev, today=args.today)
    findings = sorted(findings, key=lambda f: 0 if f.blocking else 1)
    if args.json:
        out.write(dumps_exact(check_result(guide, data, ev, findings)) + "\n")
    else:
        print_report(out, guide, data, ev, findings)
    return EXIT_BLOCKING if any(f.blocking for f in findings) else EXIT_OK


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from app.manifest import import_manifest, load_manifest

    manifest = load_manifest(args.manifest)
    notes = import_manifest(manifest, args.project, password_callback(args.password))
    out.write(f"已导入：{args.project}\n")
    for note in notes:
        out.write(f"提醒：{note}\n")
    return EXIT_OK


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from app.manifest import export_manifest
    from app.project import ProjectStore

    if not args.project.exists():
        raise UsageError(f"找不到项目文件 {args.project}。")
    with ProjectStore.open(args.project) as store:
        export_manifest(store, args.manifest)
    out.write(f"已导出：{args.manifest}（证明文件在 {args.manifest.parent / 'evidence'}）\n")
    return EXIT_OK


def _progress_printer(err: TextIO) -> Callable[[int, int, str], None]:
    last = {"pct": -1}

    def progress(done: int, total: int, label: str) -> None:
        pct = int(100 * done / total) if total else 100
        if pct // 10 != last["pct"] // 10:
            last["pct"] = pct
            err.write(f"  {pct:3d}%  {label}\n")

    return progress


def build_options(args: argparse.Namespace, saved: dict[str, Any]) -> Any:
    """Command-line flags win; otherwise the options saved in the project (or manifest)."""
    from app.build import BuildOptions

    def pick(flag: Any, key: str, default: Any) -> Any:
        return flag if flag is not None else saved.get(key, default)

    gutter = float(pick(args.gutter, "gutter_mm", 25.0))
    if not 0 <= gutter <= 50:
        raise UsageError("装订边宽度应在 0 到 50 毫米之间（项目文件中的设置有误）。")
    return BuildOptions(
        duplex=bool(pick(args.duplex, "duplex", False)),
        gutter_mm=gutter,
        repeat_shared=bool(pick(args.repeat_shared, "repeat_shared", False)),
        draft=args.draft,
    )


def cmd_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from app.build import BlockedError, build

    if args.gutter is not None and not 0 <= args.gutter <= 50:
        raise UsageError("装订边宽度应在 0 到 50 毫米之间。")
    src: Path = args.src
    if not src.exists():
        raise UsageError(f"找不到文件 {src}。")
    with tempfile.TemporaryDirectory(prefix="packet-") as tmp:
        if src.suffix.lower() == ".json":
            from app.manifest import import_manifest, load_manifest

            project = Path(tmp) / "project.sbproj"
            import_manifest(load_manifest(src), project, password_callback(args.password))
            src = project
        elif src.suffix.lower() not in PROJECT_SUFFIXES:
            raise UsageError(f"无法识别 {src.name}：请给出项目文件（.sbproj）或清单文件（.json）。")
        from app.project import ProjectStore

        with ProjectStore.open(src) as store:
            options = build_options(args, store.get_options())
            try:
                result = build(
                    store, args.out, options, progress=_progress_printer(err), today=args.today
                )
            except BlockedError as exc:
                err.write(exc.message + "\n")
                for f in exc.findings:
                    if f.blocking:
                        err.write(f"  ✗ {f.message}\n")
                err.write("如需先看草稿，请加 --draft。\n")
                return EXIT_BLOCKING
    out.write(f"已生成（共 {result.pages} 页{'，草稿' if result.draft else ''}）：\n")
    for p in [result.pdf, result.workbook, *result.templates, result.originals, result.manifest]:
        out.write(f"  {p}\n")
    for w in result.warnings:
        out.write(f"  提醒：{w}\n")
    return EXIT_BLOCKING if any(f.blocking for f in result.findings) else EXIT_OK


def cmd_demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from app.demo import demo_manifest

    with tempfile.TemporaryDirectory(prefix="demo-") as tmp:
        manifest = demo_manifest(Path(tmp))
        ns = argparse.Namespace(
            src=manifest,
            out=args.out,
            duplex=args.duplex,
            gutter=25.0,
            repeat_shared=False,
            draft=False,
            password=None,
            today=dt.date(2019, 2, 1),
        )
        return cmd_build(ns, out, err)


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    for stream in (out, err):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    try:
        args = make_parser().parse_args(argv)
        if args.command == "check":
            return cmd_check(args, out)
        if args.command == "build":
            return cmd_build(args, out, err)
        if args.command == "demo":
            return cmd_demo(args, out, err)
        if args.command == "import":
            return cmd_import(args, out)
        if args.command == "export":
            return cmd_export(args, out)
        make_parser().print_help(out)
        return EXIT_USAGE
    except AppError as exc:
        err.write(exc.message + "\n")
        return exc.exit_code
    except KeyboardInterrupt:
        err.write("已中断。\n")
        return EXIT_USAGE
    except Exception as exc:  # a bug: log it, tell the user where, never a traceback
        from app.logs import log_exception

        where = log_exception(exc)
        err.write(
            f"程序内部错误：{type(exc).__name__}。详细信息已记录到 {where}，请将该文件发给技术支持。\n"
        )
        return EXIT_USAGE
