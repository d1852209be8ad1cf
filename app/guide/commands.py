"""The ``guide`` command line: what an association needs to write a guide file without a
programmer. ``guide check FILE`` lists every problem at once, ``guide new OUT.toml`` writes a
commented skeleton, ``guide test FILE`` runs the file's own test cases.

The ``guide`` sub-parser is made in one place, :func:`add_guide_commands`: another ``guide``
command (``draft``, ``upgrade``...) adds itself there, with its handler in :data:`HANDLERS`.
``app.cli.commands`` only calls :func:`add_guide_commands` and :func:`run_guide_command`.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from app.system.errors import AppError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]


class GuideCommandError(AppError):
    """Bad usage of a ``guide`` command (exit 2)."""


def add_guide_commands(
    subparsers: Any, more: Sequence[Callable[[Any], object]] = ()
) -> argparse.ArgumentParser:
    """Add ``guide`` and its sub-commands to the program's sub-parsers; returns the ``guide``
    parser. ``more``: functions adding other ``guide`` sub-commands (``draft``, ``upgrade``) to
    its sub-parsers; their handlers are passed to :func:`run_guide_command`."""
    g: argparse.ArgumentParser = subparsers.add_parser(
        "guide", help="申报指南文件：检查、新建、测试、从原文生成草稿、更换项目所用的版本"
    )
    sub = g.add_subparsers(dest="guide_command", parser_class=type(g))

    c = sub.add_parser("check", help="检查申报指南文件，一次列出所有错误（带行号）和可疑之处")
    c.add_argument("file", type=Path, help="申报指南文件（.toml）")

    n = sub.add_parser("new", help="新建申报指南文件：带中文注释的骨架，按指南原文逐项修改")
    n.add_argument("out", type=Path, help="要写出的文件（.toml），不覆盖已有文件")
    n.add_argument("--year", type=int, default=None, help="指南年度（默认今年）")

    t = sub.add_parser("test", help="运行申报指南文件中的测试用例（[[tests]]）")
    t.add_argument("file", type=Path, help="申报指南文件（.toml）")
    for add in more:
        add(sub)
    return g


def run_guide_command(
    args: argparse.Namespace,
    out: TextIO,
    err: TextIO,
    more: Mapping[str, Handler] | None = None,
) -> int:
    handlers = {**HANDLERS, **(more or {})}
    handler = handlers.get(getattr(args, "guide_command", None) or "")
    if handler is None:
        names = "、".join(sorted(handlers))
        raise GuideCommandError(f"请给出 guide 的子命令：{names}。例如 guide check 指南.toml")
    return handler(args, out, err)


def _problem_lines(path: Path, problems: list[Any], warnings: list[Any]) -> list[str]:
    lines = [f"{path}"]
    lines += [f"  {p.text()}" for p in problems]
    lines += [f"  {w.text()}" for w in warnings]
    return lines


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from app.guide.cases import case_problems
    from app.guide.loader import check_guide
    from app.guide.problems import read_text, sorted_problems

    path: Path = args.file
    guide, problems, warnings = check_guide(path)
    if guide is not None:
        text = read_text(path)
        problems = sorted_problems(case_problems(guide, path, text))
        warnings = sorted_problems([*warnings, *_same_id(guide, path, text)])
    for line in _problem_lines(path, problems, warnings):
        out.write(line + "\n")
    if problems:
        out.write(
            f"共 {len(problems)} 处错误"
            + (f"、{len(warnings)} 处提醒" if warnings else "")
            + "：请逐条修改后再检查。\n"
        )
        return EXIT_PROBLEMS
    assert guide is not None
    tail = f"，{len(warnings)} 处提醒请核对" if warnings else ""
    out.write(f"没有错误{tail}：{guide.title}，{len(guide.items)} 个申报项目。\n")
    return EXIT_OK


def _same_id(guide: Any, path: Path, text: str) -> list[Any]:
    """A bundled guide with the same id: a copy of last year's file whose id was not changed."""
    from app.guide.loader import load_guide
    from app.guide.problems import Context, Problem
    from app.guide.registry import available_guides
    from app.system.errors import GuideError

    out = []
    for other in available_guides():
        if other.resolve() == path.resolve():
            continue
        try:
            same = load_guide(other).id == guide.id
        except GuideError:
            continue
        if same:
            line = Context(str(path), text).line(("id",))
            out.append(
                Problem(
                    line, "id", f"与程序自带的指南 {other.name} 的 id 相同：新指南须换一个 id", True
                )
            )
    return out


def cmd_new(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from app.files import write_output
    from app.guide.skeleton import skeleton

    path: Path = args.out
    year = args.year or dt.date.today().year
    if not 2000 <= year <= 2100:
        raise GuideCommandError(
            f"年度 {year} 不合理，请写四位数的年份，如 {dt.date.today().year}。"
        )
    if path.exists():
        raise GuideCommandError(f"{path} 已存在，不会覆盖：请换一个文件名，或先移走原文件。")
    text = skeleton(year)

    def write(p: Path) -> None:
        p.write_text(text, encoding="utf-8")

    write_output(path, write, "申报指南文件", "文件夹")
    out.write(
        f"已写出申报指南骨架 {path}。请按指南原文修改“【请填写】”处，"
        f"然后运行 guide check {path} 检查。\n"
    )
    return EXIT_OK


def cmd_test(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from app.guide.cases import run_guide_tests

    path: Path = args.file
    results, problems = run_guide_tests(path)
    if problems:
        for line in _problem_lines(path, problems, []):
            out.write(line + "\n")
        out.write("申报指南文件或其测试用例有错误，无法运行测试：请先用 guide check 检查。\n")
        return EXIT_USAGE
    for r in results:
        out.write(r.line() + "\n")
    passed = sum(1 for r in results if r.passed)
    failed = len(results) - passed
    if not results:
        out.write("文件中没有测试用例（[[tests]]），请按编写说明添加。\n")
    out.write(f"共 {len(results)} 例：通过 {passed}，失败 {failed}\n")
    return EXIT_OK if results and not failed else EXIT_PROBLEMS


HANDLERS: dict[str, Handler] = {"check": cmd_check, "new": cmd_new, "test": cmd_test}
