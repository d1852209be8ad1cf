"""The command line's guide files: ``--guide FILE`` (check, build, online, import) and
``guide upgrade PROJECT NEW.toml`` (move a project to another version of its guide, after
showing what changes)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from app.guide.diff import guide_changes
from app.guide.registry import (
    GuideCopy,
    guide_label,
    project_guide,
    read_guide_file,
)
from app.system.errors import AppError

GUIDE_HELP = (
    "申报指南文件（.toml，可在任何位置）：清单按此文件检查、生成或导入；"
    "项目文件已保存自己的申报指南，此文件须与之相同（更换请用 guide upgrade）"
)


def add_guide_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--guide", type=Path, metavar="FILE", help=GUIDE_HELP)


def add_upgrade_command(gs: argparse._SubParsersAction[Any]) -> None:
    """``guide upgrade``: added to the ``guide`` command family's sub-parsers."""
    u = gs.add_parser(
        "upgrade",
        help="把项目改为按另一版本的申报指南准备：先列出项目、金额、材料等的变化，加 --yes 才更换",
    )
    u.add_argument("project", type=Path, help="项目文件（.sbproj）")
    u.add_argument("guide_file", type=Path, metavar="NEW", help="新版本的申报指南文件（.toml）")
    u.add_argument("--yes", action="store_true", help="确认更换（不加时只列出变化）")


def cmd_guide_upgrade(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    return cmd_upgrade(args, out)


def cmd_upgrade(args: argparse.Namespace, out: TextIO) -> int:
    from app.project import ProjectLockedError, ProjectStore

    if not args.project.exists():
        raise AppError(f"找不到项目文件 {args.project}。")
    new, copy = read_guide_file(args.guide_file)
    try:
        store = ProjectStore.open(args.project)
    except ProjectLockedError as exc:
        raise AppError(
            f"{exc.summary}，正在编辑的项目不能更换申报指南。请先在那里关闭该项目，再运行本命令。"
        ) from None
    with store:
        data = store.load()
        old = project_guide(data)
        if data.guide_text and GuideCopy.of(data.guide_text).sha256 == copy.sha256:
            out.write(f"项目已按此申报指南准备（{guide_label(new)}），无需更换。\n")
            return 0
        changes = guide_changes(old, new, data)
        out.write(f"当前：{guide_label(old)}\n更换为：{guide_label(new)}（{args.guide_file}）\n\n")
        if changes.empty:
            out.write("两份申报指南的项目、金额、材料和日期相同（只有文字或格式不同）。\n")
        for line in changes.lines:
            out.write(line + "\n")
        if not args.yes:
            out.write("\n尚未更换。确认更换请加 --yes 重新运行。\n")
            return 0
        store.replace_guide(new.id, copy.text, args.guide_file.name, new.item_ids)
    out.write(f"\n已更换：项目 {args.project.name} 现按 {guide_label(new)} 准备。\n")
    return 0
