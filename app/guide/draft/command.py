"""``main.py guide draft GUIDE.txt --out DRAFT.toml``: a guide file drafted from the text.

:func:`add_draft_command` adds the sub-command to the ``guide`` command's sub-parsers;
:func:`run_draft` runs it (0 when the draft is written; a bad input raises an ``AppError``,
which the command line shows as one Chinese line, exit 2)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from app.guide.draft.model import Draft

MAX_TEXT_CHARS = 2_000_000  # a guide is tens of thousands of characters; more is not a guide


def add_draft_command(guide_subparsers: Any) -> argparse.ArgumentParser:
    d: argparse.ArgumentParser = guide_subparsers.add_parser(
        "draft",
        help="从申报指南原文生成指南文件草稿：识别项目、分档、上限、比例和申报材料，逐项标注【待核对】",
    )
    d.add_argument(
        "text", type=Path, help="申报指南原文：.txt（UTF-8 或 GB18030 编码）或 .docx 文件"
    )
    d.add_argument("--out", type=Path, required=True, help="草稿文件（.toml）")
    d.add_argument("--force", action="store_true", help="覆盖已有的草稿文件")
    return d


def run_draft(args: argparse.Namespace, out: TextIO | None = None) -> int:
    # Imported here: every command line builds the parser, only ``guide draft`` drafts.
    from app.files import write_output
    from app.guide.draft.meta import draft_guide
    from app.guide.draft.text import DraftInputError, read_text
    from app.guide.draft.write import render

    out = out or sys.stdout
    src: Path = args.text
    dest: Path = args.out
    if dest.suffix.lower() != ".toml":
        raise DraftInputError(f"草稿文件 {dest} 应为 .toml 文件。")
    if dest.exists() and dest.resolve() == src.resolve():
        raise DraftInputError(f"草稿文件不能与原文 {src} 是同一个文件。")
    if dest.exists() and not getattr(args, "force", False):
        raise DraftInputError(
            f"文件 {dest} 已存在（可能是已核对过的指南文件）。请换一个文件名，或加 --force 覆盖。"
        )
    text = read_text(src)
    if len(text) > MAX_TEXT_CHARS:
        raise DraftInputError(
            f"{src.name} 过大，不像是一份申报指南的正文。请只保留指南正文后重试。"
        )
    draft = draft_guide(text)
    if not draft.items:
        raise DraftInputError(
            f"在 {src.name} 中没有找到任何申报项目（带“不超过…万元”“最高…”等支持金额的条目）。"
            "请确认这是申报指南的正文（不是通知或附件），或手工编写指南文件（guide new）。"
        )
    body = render(draft, src.name)

    def write(path: Path) -> None:
        path.write_text(body, encoding="utf-8")

    write_output(dest, write, "草稿文件", "文件夹")
    report(draft, dest, out)
    return 0


def report(draft: Draft, dest: Path, out: TextIO) -> None:
    from app.guide.loader import load_guide
    from app.system.errors import GuideError

    docs = len(draft.documents)
    out.write(
        f"已生成指南文件草稿 {dest}：{len(draft.items)} 个申报项目，{docs} 份材料"
        f"（基本材料 {len(draft.base_documents)} 份），{len(draft.deadlines)} 个截止日期。\n"
    )
    out.write("每个值都标有【待核对】和原文出处，请对照原文逐项核对。\n")
    missing = draft.missing()
    if missing:
        out.write(f"原文中没有、须填写的（共 {len(missing)} 处，文件中标为【待填写】）：\n")
        for m in missing:
            out.write(f"  - {m}\n")
    try:
        load_guide(dest)
        out.write("本程序已能读取此草稿；核对后即可使用。\n")
    except GuideError as exc:
        out.write(f"填写后本程序才能读取此草稿（现在：{exc.key}：{exc.reason}）。\n")
    if draft.unplaced:
        out.write(f"未能归位的原文（共 {len(draft.unplaced)} 处，也列在草稿末尾）：\n")
        for u in draft.unplaced:
            shown = u.text if len(u.text) <= 60 else u.text[:60] + "…"
            out.write(f"  第 {u.line} 行（{u.why}）：{shown}\n")
    for item in draft.items:
        if item.ceiling is None:
            out.write(f"  {item.number}{item.title}：未找到支持金额，请填写。\n")
