"""Command line: ``check``, ``build``, ``online``, ``demo``, ``import``, ``export``.

Exit codes: 0 nothing blocks, 1 something blocks, 2 unreadable input or bad usage. Every error
reaches the user as one Chinese line on stderr, never a traceback.

``review`` checks many companies' sources at once (``app.review``).
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
from typing import Any, Literal, NoReturn, TextIO

from app.cli.guides import add_guide_option, add_upgrade_command, cmd_guide_upgrade
from app.guide import project_guide
from app.guide.commands import add_guide_commands, run_guide_command
from app.guide.draft.command import add_draft_command, run_draft
from app.guide.model import Guide
from app.manifest.source import PROJECT_SUFFIXES, check_project_guide, load_source, other_versions
from app.model import ProjectData
from app.rules.evaluation import Evaluation, evaluate, fmt_money
from app.rules.findings import Finding, blocking_for, validate
from app.system.about import command_name
from app.system.errors import AppError

EXIT_OK, EXIT_BLOCKING, EXIT_USAGE = 0, 1, 2


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


_ALLOW_OUTSIDE_HELP = (
    "允许清单引用清单文件夹以外的证明文件（默认拒绝，以免把本机其他文件放进申报材料）"
)


def make_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog=command_name(),
        description="申报材料助手：按申报指南文件整理专项资金申报材料（PDF、Excel 文件）。"
        "不带参数运行打开图形界面。",
    )
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    c = sub.add_parser("check", help="检查项目文件或清单：资格、支持上限、申请金额和问题清单")
    c.add_argument("src", type=Path, help="项目文件（.sbproj）或清单文件（.json）")
    c.add_argument("--json", action="store_true", help="以 JSON 输出，供脚本使用")
    c.add_argument("--password", help="加密 PDF 证明文件的打开密码")
    c.add_argument("--allow-outside", action="store_true", help=_ALLOW_OUTSIDE_HELP)
    c.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    add_guide_option(c)

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
        help="在各项目中重复附上共用的证明材料（默认按项目文件中的设置）",
    )
    b.add_argument(
        "--stage",
        choices=("review", "final"),
        default="final",
        help="review：初审材料（不装订：无装订边、无双面空白页，申请表以外的页眉注明“初审用”）；"
        "final：正式装订材料（默认；指南要求盖章时，申请表为盖章的原件，PDF 中该处放其扫描件，"
        "装订时换入原件）",
    )
    b.add_argument("--draft", action="store_true", help="存在问题时仍生成草稿（每页加“草稿”水印）")
    b.add_argument("--password", help="加密 PDF 证明文件的打开密码")
    b.add_argument("--allow-outside", action="store_true", help=_ALLOW_OUTSIDE_HELP)
    b.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    add_guide_option(b)

    o = sub.add_parser(
        "online",
        help="生成网上申报文件夹：按目录编号的逐项材料 PDF（每个不超过大小限制）、Excel 文件和对照表",
    )
    o.add_argument("src", type=Path, help="项目文件（.sbproj）或清单文件（.json）")
    o.add_argument("--out", type=Path, required=True, help="输出文件夹")
    o.add_argument("--password", help="加密 PDF 证明文件的打开密码")
    o.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    add_guide_option(o)

    d = sub.add_parser("demo", help="生成示例企业的申报材料")
    d.add_argument("--out", type=Path, required=True, help="输出文件夹")
    d.add_argument("--duplex", action="store_true")

    i = sub.add_parser("import", help="把清单文件导入为项目文件")
    i.add_argument("manifest", type=Path)
    i.add_argument("project", type=Path)
    i.add_argument("--password", help="加密 PDF 证明文件的打开密码")
    i.add_argument("--allow-outside", action="store_true", help=_ALLOW_OUTSIDE_HELP)
    add_guide_option(i)

    e = sub.add_parser("export", help="把项目文件导出为清单文件和证明文件夹")
    e.add_argument("project", type=Path)
    e.add_argument("manifest", type=Path)

    r = sub.add_parser(
        "review", help="批量检查多家企业的项目文件、清单文件和申报材料文件夹，生成汇总表"
    )
    r.add_argument("paths", nargs="+", metavar="PATH", help="文件夹（逐层查找）或文件")
    r.add_argument("--out", type=Path, help="汇总表（.xlsx）")
    r.add_argument("--json", action="store_true", help="以 JSON 输出，供脚本使用")
    r.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    add_guide_commands(sub, more=(add_upgrade_command, add_draft_command))
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
    out: TextIO,
    guide: Guide,
    data: ProjectData,
    ev: Evaluation,
    findings: Sequence[Finding],
    notes: Sequence[str] = (),
) -> None:
    """The human report; ``notes`` (paragraphs) come before the conclusion."""
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
    for note in notes:
        w(f"\n{note}\n")
    if blockers:
        w(f"\n结论：存在 {len(blockers)} 个必须解决的问题，暂不能生成正式申报材料。\n")
    else:
        w("\n结论：没有必须解决的问题，可以生成申报材料。\n")


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    from app.rules.findings import page_findings

    late: list[int] = []
    guide, data, extra = load_source(
        args.src, password_callback(args.password), args.allow_outside, args.guide, late.append
    )
    ev = evaluate(guide, data)
    findings = extra + validate(guide, data, ev, today=args.today)
    findings = sorted(findings, key=lambda f: 0 if f.blocking else 1)
    dismissed = page_findings(data, dismissed=True)  # the clerk said 此页无误: not findings
    late_count = sum(late)
    if args.json:
        result = check_result(guide, data, ev, findings)
        result["dismissed"] = [f.as_dict() for f in dismissed]
        result["pages_checked_now"] = late_count
        out.write(dumps_exact(result) + "\n")
    else:
        notes = []
        if dismissed:
            notes.append(f"另有 {len(dismissed)} 页已确认无误（“此页无误”），不再提醒。")
        if late_count:
            notes.append(
                f"{late_count} 页是旧版本导入的，导入时没有检查方向和空白页，本次已一并检查"
                "（结果未写入项目文件；在程序中打开项目时会检查并保存）。"
            )
        print_report(out, guide, data, ev, findings, notes)
    return EXIT_BLOCKING if any(f.blocking for f in findings) else EXIT_OK


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from app.manifest.load import load_manifest
    from app.manifest.transfer import import_manifest
    from app.rules.duplicates import duplicate_notes

    manifest = load_manifest(args.manifest, allow_outside=args.allow_outside, guide_file=args.guide)
    notes = import_manifest(manifest, args.project, password_callback(args.password))
    out.write(f"已导入：{args.project}\n")
    for note in notes:
        out.write(f"提醒：{note}\n")
    for note in duplicate_notes(manifest.guide, manifest.data):
        out.write(f"注意：{note}，请删除多余的一行。\n")
    return EXIT_OK


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from app.manifest.transfer import export_manifest

    if not args.project.exists():
        raise UsageError(f"找不到项目文件 {args.project}。")
    notes: list[str] = []
    with open_for_command(args.project, "导出") as store:
        export_manifest(store, args.manifest, notes)
    out.write(f"已导出：{args.manifest}（证明文件在 {args.manifest.parent / 'evidence'}）\n")
    for note in notes:
        out.write(f"提醒：{note}\n")
    return EXIT_OK


def open_for_command(path: Path, doing: str, check_later: bool = False) -> Any:
    """The project, locked for this command (a build or an export reads it several times and
    needs it still): refused, naming who has it open, while it is being edited elsewhere.
    ``check_later``: see :meth:`ProjectStore.open` (the command calls
    ``store.later_check.require()`` before its outputs go out)."""
    from app.project import ProjectLockedError, ProjectStore

    try:
        return ProjectStore.open(path, check_later=check_later)
    except ProjectLockedError as exc:
        raise UsageError(
            f"{exc.summary}，正在编辑的项目无法{doing}（内容可能随时变化）。"
            f"请先在那里关闭该项目，再运行本命令。"
        ) from None


def _project_guide_notes(store: Any, given: Path | None, err: TextIO) -> None:
    """A project builds on its stored guide: ``--guide`` must be that one; a bundled file of
    the same id with other text is said, never used."""
    data = store.load()
    check_project_guide(data, given)
    for note in other_versions(project_guide(data), data, store.left_guides()):
        err.write(f"提醒：{note}\n")


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
    from app.outputs.build import BuildOptions
    from app.system.options import saved_flag, saved_gutter_mm

    stage: Literal["review", "final"] = (
        "review" if getattr(args, "stage", "") == "review" else "final"
    )
    if stage == "review":  # unbound: no gutter, no blank pages, unless asked on the command line
        from app.packet.plan import UNBOUND_GUTTER_MM

        gutter = float(args.gutter) if args.gutter is not None else UNBOUND_GUTTER_MM
        duplex = bool(args.duplex)
    else:
        saved_gutter = args.gutter if args.gutter is not None else saved_gutter_mm(saved)
        gutter = -1.0 if saved_gutter is None else float(saved_gutter)  # -1: refused below
        duplex = bool(args.duplex if args.duplex is not None else saved_flag(saved, "duplex"))
    if not 0 <= gutter <= 50:
        raise UsageError(
            "装订边宽度应在 0 到 50 毫米之间（项目文件中保存的设置有误，"
            "请用 --gutter 指定，或在图形界面的“生成”页重新设置）。"
        )
    return BuildOptions(
        duplex=duplex,
        gutter_mm=gutter,
        repeat_shared=(
            args.repeat_shared
            if args.repeat_shared is not None
            else saved_flag(saved, "repeat_shared")
        ),
        draft=args.draft,
        stage=stage,
    )


def cmd_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from app.outputs.build import BlockedError, build

    if args.gutter is not None and not 0 <= args.gutter <= 50:
        raise UsageError("装订边宽度应在 0 到 50 毫米之间。")
    src: Path = args.src
    if not src.exists():
        raise UsageError(f"找不到文件 {src}。")
    with tempfile.TemporaryDirectory(prefix="packet-") as tmp:
        if src.suffix.lower() == ".json":
            from app.manifest.load import load_manifest
            from app.manifest.transfer import import_manifest

            project = Path(tmp) / "project.sbproj"
            manifest = load_manifest(src, allow_outside=args.allow_outside, guide_file=args.guide)
            import_manifest(manifest, project, password_callback(args.password))
            src = project
        elif src.suffix.lower() not in PROJECT_SUFFIXES:
            raise UsageError(f"无法识别 {src.name}：请给出项目文件（.sbproj）或清单文件（.json）。")
        # The file's damage check runs beside the build (which reads all of it anyway), and
        # must pass before the outputs are put in place.
        with open_for_command(src, "生成", check_later=True) as store:
            _project_guide_notes(store, args.guide if src == args.src else None, err)
            options = build_options(args, store.get_options())
            try:
                result = build(
                    store,
                    args.out,
                    options,
                    progress=_progress_printer(err),
                    today=args.today,
                    before_install=store.later_check.require,
                )
            except BlockedError as exc:
                err.write(exc.message + "\n")
                for f in exc.findings:
                    if f.blocking:
                        err.write(f"  ✗ {f.message}\n")
                err.write("如需先看草稿，请加 --draft。\n")
                return EXIT_BLOCKING
            except BaseException:
                store.later_check.require()  # a damaged file is said as such, first
                raise
            if result.stage == "review" and not result.draft and src == args.src:
                store.set_review_figures(result.figures)  # what the district will stamp
    kind = "，初审用" if result.stage == "review" else ""
    out.write(f"已生成（共 {result.pages} 页{kind}{'，草稿' if result.draft else ''}）：\n")
    for p in [result.pdf, result.workbook, *result.templates, result.originals, result.manifest]:
        out.write(f"  {p}\n")
    for w in result.warnings:
        out.write(f"  提醒：{w}\n")
    return EXIT_BLOCKING if blocking_for(result.findings, result.stage) else EXIT_OK


def cmd_online(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from app.outputs.build import BlockedError
    from app.outputs.online import fmt_size, write_online

    src: Path = args.src
    if not src.exists():
        raise UsageError(f"找不到文件 {src}。")
    with tempfile.TemporaryDirectory(prefix="online-") as tmp:
        if src.suffix.lower() == ".json":
            from app.manifest.load import load_manifest
            from app.manifest.transfer import import_manifest

            project = Path(tmp) / "project.sbproj"
            manifest = load_manifest(src, guide_file=args.guide)
            import_manifest(manifest, project, password_callback(args.password))
            src = project
        elif src.suffix.lower() not in PROJECT_SUFFIXES:
            raise UsageError(f"无法识别 {src.name}：请给出项目文件（.sbproj）或清单文件（.json）。")
        from app.project import ProjectStore

        with ProjectStore.open(src) as store:
            _project_guide_notes(store, args.guide if src == args.src else None, err)
            try:
                result = write_online(
                    store, args.out, progress=_progress_printer(err), today=args.today
                )
            except BlockedError as exc:
                blockers = [f for f in exc.findings if f.blocking]
                err.write(
                    f"存在 {len(blockers)} 个必须解决的问题，未生成网上申报文件夹。"
                    "请按提示逐项处理后重试：\n"
                )
                for f in blockers:
                    err.write(f"  ✗ {f.message}\n")
                return EXIT_BLOCKING
    out.write(
        f"已生成网上申报文件夹：{result.folder}\n"
        f"  逐项材料 {len(result.documents)} 个（每个不超过 {fmt_size(result.limit_bytes)}："
        "本程序的默认上限，请以平台实际要求为准）、"
        f"{result.workbook.name}、{result.table_pdf.name}、{result.notes.name}\n"
    )
    for r in result.reductions:
        out.write(
            f"  已压缩：{r.name}　{fmt_size(r.before)} → {fmt_size(r.after)}（{r.dpi} dpi）\n"
        )
    for name in result.too_large:
        out.write(f"  仍超过大小限制：{name}，请拆分后上传\n")
    for w in result.warnings:
        out.write(f"  提醒：{w}\n")
    return EXIT_BLOCKING if result.too_large else EXIT_OK


def cmd_demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from app.outputs.demo import demo_manifest

    with tempfile.TemporaryDirectory(prefix="demo-") as tmp:
        manifest = demo_manifest(Path(tmp))
        ns = argparse.Namespace(
            src=manifest,
            out=args.out,
            duplex=args.duplex,
            gutter=25.0,
            repeat_shared=False,
            draft=False,
            stage="final",
            password=None,
            allow_outside=False,
            guide=None,
            today=dt.date(2019, 2, 1),
        )
        return cmd_build(ns, out, err)


def cmd_review(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from app.review import find_sources, review, write_summary

    if args.out is not None and args.out.suffix.lower() != ".xlsx":
        raise UsageError(f"汇总表 {args.out} 应为 .xlsx 文件。")
    sources = find_sources(args.paths)
    err.write(f"找到 {len(sources)} 份材料，正在检查……\n")

    def progress(done: int, total: int, label: str) -> None:
        if done < total:
            err.write(f"  [{done + 1}/{total}] {label}\n")

    result = review(sources, progress=progress, today=args.today)
    if args.out is not None:
        write_summary(args.out, result.results)
        err.write(f"已生成汇总表：{args.out}\n")
    if args.json:
        out.write(dumps_exact({"sources": [r.as_json() for r in result.results]}) + "\n")
    else:
        for r in result.results:
            if r.error is not None:
                verdict = r.error
            elif r.blocking:
                verdict = f"{r.blocking} 个必须解决的问题，{r.warnings} 个提醒"
            else:
                verdict = f"可以申报（{r.warnings} 个提醒）" if r.warnings else "可以申报"
            total = (
                f"{fmt_money(r.total_requested_cny)} 元"
                if r.total_requested_cny is not None
                else "—"
            )
            out.write(
                f"{r.company or '（企业名称不详）'}　{r.credit_code or '—'}　{total}　{verdict}\n"
            )
            out.write(f"    {r.path}\n")
        bad = sum(1 for r in result.results if r.failed)
        out.write(f"\n共 {len(result.results)} 份，{bad} 份有必须解决的问题或无法读取。\n")
    return EXIT_BLOCKING if result.failed else EXIT_OK


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
        if args.command == "online":
            return cmd_online(args, out, err)
        if args.command == "demo":
            return cmd_demo(args, out, err)
        if args.command == "import":
            return cmd_import(args, out)
        if args.command == "export":
            return cmd_export(args, out)
        if args.command == "review":
            return cmd_review(args, out, err)
        if args.command == "guide":
            return run_guide_command(
                args,
                out,
                err,
                {"upgrade": cmd_guide_upgrade, "draft": lambda a, o, _e: run_draft(a, o)},
            )
        make_parser().print_help(out)
        return EXIT_USAGE
    except AppError as exc:
        err.write(exc.message + "\n")
        return exc.exit_code
    except KeyboardInterrupt:
        err.write("已中断。\n")
        return EXIT_USAGE
    except Exception as exc:  # a bug: log it, tell the user where, never a traceback
        from app.system.logs import log_exception

        where = log_exception(exc)
        err.write(
            f"程序内部错误：{type(exc).__name__}。详细信息已记录到 {where}，请将该文件发给技术支持。\n"
        )
        return EXIT_USAGE
