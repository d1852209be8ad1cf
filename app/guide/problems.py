"""Problems of a guide file, as its author needs them: every one at once, each with its line,
its key path counted as a person counts (the first item is 第1个) and a Chinese message.

:class:`Context` is shared by every :class:`app.guide.reader.Node` of one file: it locates
lines (lazily, with :mod:`app.guide.locate`), collects problems and warnings, and keeps one
mistake from being reported again as the many mistakes that follow from it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from app.guide.locate import Path as KeyPath
from app.guide.locate import line_of, locate
from app.system.errors import GuideError

FILE_KEY = "（文件）"
TOO_DEEP = "列表或表的嵌套层数过多，不是申报指南文件"


@dataclass(frozen=True)
class Problem:
    """One problem (or, with ``warning``, one suspicious value) of a guide file."""

    line: int | None
    key: str
    message: str
    warning: bool = False

    def text(self) -> str:
        at = f"第 {self.line} 行" if self.line is not None else "文件"
        kind = "提醒" if self.warning else "错误"
        key = f"{self.key}：" if self.key and self.key != FILE_KEY else ""
        return f"{at}　{kind}　{key}{self.message}"


class Context:
    """Shared by the nodes of one guide file: lines, problems, warnings."""

    def __init__(self, source: str, text: str | None = None) -> None:
        self.source = source
        self.text = text
        self._lines: dict[KeyPath, int] | None = None
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self._keys: set[str] = set()
        self.broken: set[str] = set()  # ids of elements that failed: no “unknown id” for them

    def line(self, parts: KeyPath) -> int | None:
        if self.text is None:
            return None
        if self._lines is None:
            self._lines = locate(self.text)
        return line_of(self._lines, parts)

    def error(self, parts: KeyPath, key: str, reason: str) -> GuideError:
        return GuideError(self.source, key or FILE_KEY, reason, self.line(parts))

    def record(self, err: GuideError) -> None:
        if err.key in self._keys:
            return  # one key, one problem: the rest follows from the first
        if "未知" in err.reason and any(
            re.search(rf"(?<![\w.]){re.escape(b)}(?![\w])", err.reason) for b in self.broken
        ):
            return  # refers to an element that failed itself, already reported
        self._keys.add(err.key)
        self.problems.append(Problem(err.line, err.key, err.reason))

    def forget(self, key: str) -> None:
        """Drop the problem of ``key`` (a “missing” key that turned out to be misspelt)."""
        self.problems = [p for p in self.problems if p.key != key]

    def warn(self, parts: KeyPath, key: str, message: str) -> None:
        self.warnings.append(Problem(self.line(parts), key, message, warning=True))

    @contextmanager
    def guard(self, element_id: Any = None) -> Iterator[None]:
        """Run one element's checks: its problem is recorded and the next element is read.
        Any other error after a recorded problem follows from it and is dropped."""
        try:
            yield
        except GuideError as err:
            self.record(err)
            if isinstance(element_id, str):
                self.broken.add(element_id)
        except (KeyError, ValueError, TypeError, AttributeError, AssertionError, InvalidOperation):
            if not self.problems:
                raise
            if isinstance(element_id, str):
                self.broken.add(element_id)

    def raise_first(self) -> None:
        """Raise the first problem found (the root of those after it, as parts are read in
        the order they depend on each other) as a GuideError saying how many more."""
        if not self.problems:
            return
        first = self.problems[0]
        more = len(self.problems) - 1
        raise GuideError(self.source, first.key, first.message, first.line, more)


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p.line or 0)


# -- reading the text ---------------------------------------------------------------------------


def read_text(path: Path) -> str:
    """A guide file's text: UTF-8, with or without the BOM Notepad writes (UTF-16 with a BOM
    is read too). Raises GuideError naming the file."""
    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise GuideError(source, FILE_KEY, "文件不存在") from None
    except IsADirectoryError:
        raise GuideError(source, FILE_KEY, "这是一个文件夹，不是申报指南文件") from None
    except OSError as exc:
        raise GuideError(source, FILE_KEY, f"无法读取（{exc.strerror}）") from None
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            return raw.decode("utf-16")
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GuideError(
            source,
            FILE_KEY,
            "不是 UTF-8 编码，请以 UTF-8 编码另存后重试（记事本：文件 → 另存为 → 编码选 UTF-8）",
        ) from None


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """The TOML data of ``text``; a syntax error becomes a GuideError in Chinese, with line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        p = syntax_problem(text, exc)
        raise GuideError(source, FILE_KEY, p.message, p.line) from None
    except RecursionError:
        raise GuideError(source, FILE_KEY, TOO_DEEP) from None


def syntax_problems(text: str, limit: int = 20) -> list[Problem]:
    """Every TOML syntax error of ``text`` (up to ``limit``): after each, its line is blanked
    and the text parsed again, so that an author sees them all at once."""
    lines = text.split("\n")
    out: list[Problem] = []
    for _ in range(limit):
        try:
            tomllib.loads("\n".join(lines))
            return out
        except RecursionError:
            return [*out, Problem(None, FILE_KEY, TOO_DEEP)]
        except tomllib.TOMLDecodeError as exc:
            p = syntax_problem("\n".join(lines), exc)
            if any(q.line == p.line for q in out):
                return out
            out.append(p)
            if p.line is None or p.line > len(lines):
                return out
            lines[p.line - 1] = ""
    return out


_AT = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)$")
_SYNTAX = [
    ("Expected newline or end of document after a statement", "这一行的值后面有多余的内容"),
    ("Expected '=' after a key in a key/value pair", "键名后面应为等号 =（键名不能有空格）"),
    ("Expected ']' at the end of a table declaration", "表头应以 ] 结尾，如 [tables.contracts]"),
    ("Expected ']]' at the end of an array declaration", "表数组的表头应以 ]] 结尾，如 [[items]]"),
    ("Invalid initial character for a key part", "此处应为键名（字母、数字、_ 或 -）"),
    ("Invalid statement", "无法识别的一行：应为“键 = 值”、[表头] 或以 # 开头的注释"),
    ("Invalid value", "值无法识别"),
    ("Invalid date or datetime", "日期无效，应写成 2019-02-18 的形式"),
    ("Unclosed array", "列表缺少结尾的 ]"),
    ("Unclosed inline table", "内联表缺少结尾的 }（内联表 { ... } 须写在同一行内）"),
    ("Unterminated string", "字符串缺少结尾的引号"),
    ("Cannot overwrite a value", "同一个键写了两次"),
    ("Cannot declare", "同一个表或键定义了两次"),
    ("Cannot redefine namespace", "同一个表定义了两次"),
    ("Cannot mutate immutable namespace", "此表已用内联表 { ... } 或列表写完，不能再添加键"),
    ("Duplicate inline table key", "内联表中同一个键写了两次"),
    ("Illegal character", "字符串中有不允许的字符（如换行：字符串须在同一行内结束）"),
    ("Unescaped '\\' in a string", "字符串中的反斜杠 \\ 须写成 \\\\，或改用单引号字符串"),
    ("Escaped character is not a Unicode scalar value", "转义字符无效"),
    ("Invalid hex value", "\\u 转义无效"),
    ("Found invalid character", "有无效字符"),
    ("Expected", "此处缺少应有的符号"),
]
_FULL_WIDTH = "“”‘’＝，：［］｛｝＂"
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')
_NUMBER_WITH_UNIT = re.compile(
    r"=\s*([-+]?\d[\d,，]*(?:\.\d+)?)\s*(万元|万美元|万|亿元|亿|元|美元|千|%|％|个|人|月)"
)


def syntax_problem(text: str, exc: tomllib.TOMLDecodeError) -> Problem:
    """tomllib's message in Chinese, with line and column and a hint at the likely cause."""
    raw = str(exc)
    m = _AT.search(raw)
    english = raw[: m.start()] if m else raw
    line = int(m.group(1)) if m and m.group(1) else None
    col = int(m.group(2)) if m and m.group(2) else None
    message = next((zh for en, zh in _SYNTAX if english.startswith(en)), "TOML 语法错误")
    lines = text.split("\n")
    src = lines[line - 1] if line is not None and line <= len(lines) else ""
    hint = _hint(english, src, col)
    char = src[col - 1] if col and col <= len(src) else ""
    shown = char if char.isprintable() and not char.isspace() else repr(char).strip("'")
    where = f"第 {col} 列" + (f"（“{shown}”处）" if char else "")
    if line is None:
        where = "文件末尾"
    text_out = f"TOML 语法错误，{where}：{message}" + (f"。{hint}" if hint else "")
    return Problem(line, FILE_KEY, text_out)


def _hint(english: str, src: str, col: int | None) -> str:
    bare = _STRING.sub(lambda m: " " * len(m.group(0)), src)
    wide = [c for c in bare if c in _FULL_WIDTH]
    if wide:
        return (
            f"这一行有中文标点“{wide[0]}”：TOML 的引号、等号、逗号、括号须用英文半角"
            '（" = , [ ] { }），中文只能写在引号里的文字中'
        )
    m = _NUMBER_WITH_UNIT.search(bare)
    if m:
        return "金额和数量请只写数字，不带单位" + _example(src[: m.start()], m.group(1), m.group(2))
    if re.search(r"=\s*\d[\d]*,\d{3}", bare):
        return "数字中不要写千分位逗号，如 1000000"
    if english.startswith("Invalid value"):
        value = src[(col or 1) - 1 :].strip()
        if re.match(r"[一二三四五六七八九十百千万零〇两]+", value):
            return "金额请写阿拉伯数字，如 50000"
        return (
            '文字须加英文双引号，如 title = "香洲区"；数字直接写，如 50000；是/否写 true 或 false'
        )
    if english.startswith("Expected newline"):
        if re.search(r"=\s*\d{4}-\d{1,2}-\d{1,2}", bare):
            return "日期无效，应写成 2019-02-18 的形式（月、日各两位）"
        return "一行只写一个“键 = 值”；文字须整个放在引号内，注释以 # 开头"
    if english.startswith("Expected '='") and " " in src.split("=")[0].strip():
        return "键名中不能有空格"
    if english.startswith("Invalid initial character") and src.rstrip().endswith(","):
        return "内联表 { ... } 须写在同一行内；内容多时请改用 [表头] 的写法"
    return ""


def _example(before: str, number: str, unit: str) -> str:
    key = before.strip() or "amount"
    scale = {"万元": 10000, "万美元": 10000, "万": 10000, "亿元": 10**8, "亿": 10**8, "千": 1000}
    try:
        value = Decimal(number.replace(",", "").replace("，", "")) * scale.get(unit, 1)
    except InvalidOperation:
        return ""
    shown = format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if "." in shown and value == value.to_integral_value():
        shown = shown.split(".")[0]
    return f"，如 {key} = {shown}（“{number}{unit}”写作 {shown}）"
