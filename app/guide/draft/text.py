"""A guide as published, read into an outline: its file (UTF-8 with or without a BOM, GB18030,
or a .docx) becomes clean lines, and the lines a tree of numbered parts.

Numbering is recognised by its marker, whatever the guide's depth: 第一章, 第一条, 一、, （一）,
1. / 1、, （1） / (1), ①. A marker closes every open part of the same or a deeper kind, so a guide
that skips a level (一、 then 1.) still nests right. Bullets (-, --, •) stay lines of their part.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.system.errors import AppError

CN_DIGITS = "〇零一二三四五六七八九十百两"

# (kind, pattern) from the outermost to the innermost kind; the rank is the index.
MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"^第([{CN_DIGITS}]+)章\s*")),
    ("article", re.compile(rf"^第([{CN_DIGITS}]+)条\s*")),
    ("cn_comma", re.compile(rf"^([{CN_DIGITS}]+)\s*[、．.]\s*")),
    ("cn_paren", re.compile(rf"^[（(]\s*([{CN_DIGITS}]+)\s*[）)]\s*")),
    ("ar_dot", re.compile(r"^(\d{1,2})\s*(?:[.．](?!\d)|、)\s*")),
    ("ar_paren", re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*")),
    ("ar_half", re.compile(r"^(\d{1,2})\s*[)）]\s*")),
    ("circled", re.compile(r"^([①-⑳])\s*")),
)
BULLET = re.compile(r"^[-–—•·●▪*]+\s*")
URL_ONLY = re.compile(r"^<?\s*(?:https?://|www\.)\S*\s*>?$")
PAGE_NUMBER = re.compile(r"^[-—\s]*(?:第\s*)?\d{1,3}\s*(?:页)?[-—\s]*(?:/\s*\d+\s*)?$")
TERMINAL = '。；;：:！？!?）)”"》】'
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
JOIN_MIN = 25  # a line this long that stops mid-sentence was cut by a page break


class DraftInputError(AppError):
    """The guide text cannot be read: names the file and what to do."""


@dataclass
class Line:
    number: int  # 1-based line of the text as given (a joined line: its first)
    text: str
    bullet: bool = False


@dataclass
class Part:
    """One numbered part: its marker, its heading line and the lines and parts under it."""

    kind: str
    rank: int
    ordinal: str  # the marker's number as written: 一, 2, ①
    head: Line
    lines: list[Line] = field(default_factory=list)
    children: list[Part] = field(default_factory=list)
    parent: Part | None = field(default=None, repr=False)

    @property
    def marker(self) -> str:
        """The marker as the guide file writes an item's number: （二）, 1., （1）."""
        o = self.ordinal
        return {
            "chapter": f"第{o}章",
            "article": f"第{o}条",
            "cn_comma": f"{o}、",
            "cn_paren": f"（{o}）",
            "ar_dot": f"{o}.",
            "ar_paren": f"（{o}）",
            "ar_half": f"{o}）",
        }.get(self.kind, o)

    @property
    def title(self) -> str:
        return self.head.text

    def own_text(self) -> str:
        """The heading and the part's own lines (not its sub-parts')."""
        return "\n".join([self.head.text] + [ln.text for ln in self.lines])

    def all_text(self) -> str:
        return "\n".join([self.own_text()] + [c.all_text() for c in self.children])

    def walk(self) -> Iterator[Part]:
        yield self
        for c in self.children:
            yield from c.walk()

    def ancestors(self) -> list[Part]:
        out: list[Part] = []
        p = self.parent
        while p is not None:
            out.append(p)
            p = p.parent
        return out[::-1]


@dataclass
class Outline:
    preamble: list[Line]
    parts: list[Part]  # the top-level parts
    lines: list[Line]  # every cleaned line, numbered

    def walk(self) -> Iterator[Part]:
        for p in self.parts:
            yield from p.walk()


# -- reading the file ----------------------------------------------------------------------------


def read_text(path: Path) -> str:
    """The text of a guide file: .docx paragraphs (and table cells), or plain text in UTF-8
    (a BOM is fine) or GB18030 (GBK, GB2312)."""
    if not path.is_file():
        raise DraftInputError(f"找不到指南文本 {path}，请检查路径。")
    if path.suffix.lower() == ".docx":
        return _docx_text(path)
    if path.suffix.lower() == ".pdf":
        raise DraftInputError(
            f"{path.name} 是 PDF 文件，无法直接读取。请把指南正文复制到 .txt 文件（UTF-8 编码），"
            "或在 Word 中打开后另存为 .docx，再重试。"
        )
    if path.suffix.lower() == ".doc":
        raise DraftInputError(
            f"{path.name} 是旧版 Word 文档（.doc），无法直接读取。请在 Word 中另存为 .docx 或"
            "纯文本（.txt）后重试。"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DraftInputError(f"无法读取指南文本 {path}（{exc.strerror}）。") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise DraftInputError(
        f"{path.name} 不是文本文件（或编码无法识别）。请把指南正文另存为 UTF-8 或 GB18030 编码的"
        ".txt 文件，或 .docx 文件后重试。"
    )


def _docx_text(path: Path) -> str:
    from docx import Document

    try:
        doc = Document(str(path))
    except Exception:  # python-docx raises many kinds on a damaged or foreign file
        raise DraftInputError(
            f"{path.name} 不是有效的 .docx 文件（可能已损坏）。请在 Word 中重新另存后重试。"
        ) from None
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for child in doc.element.body.iterchildren():  # paragraphs and tables in document order
        tag = str(child.tag)
        if tag.endswith("}p"):
            lines.append(Paragraph(child, doc).text)
        elif tag.endswith("}tbl"):
            for row in Table(child, doc).rows:
                lines.append(_row_line([c.text for c in row.cells]))
    return "\n".join(lines)


def _row_line(cells: list[str]) -> str:
    """A table row as one line: "1 | 境外展会 | 按…" → "1. 境外展会；按…" (a numbered part)."""
    kept = list(dict.fromkeys(re.sub(r"\s+", " ", c).strip() for c in cells if c.strip()))
    if len(kept) > 1 and re.fullmatch(r"\d{1,2}[.．、]?", kept[0]):
        return f"{kept[0].rstrip('.．、')}. " + "；".join(kept[1:])
    return "；".join(kept)


# -- cleaning -------------------------------------------------------------------------------------


def marker_of(text: str) -> tuple[int, str, str] | None:
    """(rank, ordinal, rest of the line) when ``text`` starts with a numbering marker."""
    for rank, (_kind, pattern) in enumerate(MARKERS):
        m = pattern.match(text)
        if m and m.end() < len(text):
            return rank, m.group(1), text[m.end() :].strip()
    return None


def _strip_bullet(text: str) -> tuple[str, bool]:
    """A leading bullet removed; a bullet before a marker ("- （一）…", markdown) is no bullet."""
    m = BULLET.match(text)
    if not m or m.end() == len(text):
        return text, False
    rest = text[m.end() :].strip()
    if marker_of(rest) is not None:
        return rest, False
    return rest, True


GLUED = 120  # a line this long may be several paragraphs run together (a web page's copy)
GLUED_MARKER = re.compile(
    rf"(?<=[。；;：:])\s*(?=第[{CN_DIGITS}]+[章条]|[（(][{CN_DIGITS}]+[）)]|[{CN_DIGITS}]+、|"
    rf"\d{{1,2}}[.．、](?!\d)|[（(]\d{{1,2}}[）)])"
    rf"|(?=第[{CN_DIGITS}]+章[^。，；：\d]{{1,16}}?第[{CN_DIGITS}]+条)"
)
CHAPTER_THEN_ARTICLE = re.compile(
    rf"^(第[{CN_DIGITS}]+章\s*[^。，；：\d]{{1,16}}?)\s*(第[{CN_DIGITS}]+条.*)$"
)


def _unglue(line: str) -> list[str]:
    """Paragraphs run together ("…制定本细则。第二条 …（一）…") split again before each marker."""
    if len(line) < GLUED:
        return [line]
    out: list[str] = []
    for piece in GLUED_MARKER.split(line):
        m = CHAPTER_THEN_ARTICLE.match(piece.strip())
        out += [m.group(1), m.group(2)] if m else [piece]
    return [p for p in out if p.strip()]


def clean_lines(text: str) -> list[Line]:
    """Non-empty lines without page furniture (a URL or page number alone on a line), with a
    sentence cut by a page break joined again."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")
    text = text.replace("\ufeff", "").replace("\xa0", " ").translate(FULL_WIDTH_DIGITS)
    kept: list[tuple[str, bool, int]] = []
    raws = [(n, piece) for n, raw in enumerate(text.split("\n"), start=1) for piece in _unglue(raw)]
    for number_, raw in raws:
        s = re.sub(r"\s+", " ", raw).strip()
        s = re.sub(r"(?<=\d)[,，](?=\d{3}(?!\d))", "", s)  # 1,000万美元
        s = re.sub(r"(?<=[\u4e00-\u9fff，。；：、（）]) (?=[\u4e00-\u9fff，。；：、（）])", "", s)
        if not s or URL_ONLY.match(s) or PAGE_NUMBER.match(s):
            continue
        body, bullet = _strip_bullet(s)
        starts_part = bullet or marker_of(body) is not None
        if kept and not starts_part:
            prev, prev_bullet, prev_number = kept[-1]
            cut_figure = prev[-1].isdigit() and re.match(r"[万亿千元美%％个人项年月日]", body)
            long_cut = len(prev) >= JOIN_MIN and prev[-1] not in TERMINAL
            if cut_figure or (long_cut and not _ends_title(prev, body)):
                kept[-1] = (prev + body, prev_bullet, prev_number)
                continue
        kept.append((body, bullet, number_))
    return [Line(n, t, b) for t, b, n in kept]


TITLE_END = re.compile(r"(?:指南|细则|通知|办法|规程|须知|方案|决定|意见)(?:[（(][^）)]*[）)])?$")
DOC_NO_START = re.compile(
    r"^[\u4e00-\u9fff]{1,5}[〔\[［(（]\d{4}[〕\]］)）]|^\d{4}\s*年\s*\d{1,2}\s*月"
)


def _ends_title(prev: str, nxt: str) -> bool:
    """A title line, or a line before a 文号 or a date: never a sentence cut by a page break."""
    return bool(TITLE_END.search(prev) or DOC_NO_START.match(nxt))


def outline(text: str) -> Outline:
    lines = clean_lines(text)
    preamble: list[Line] = []
    top: list[Part] = []
    stack: list[Part] = []
    for line in lines:
        found = None if line.bullet else marker_of(line.text)
        if found is None:
            (stack[-1].lines if stack else preamble).append(line)
            continue
        rank, ordinal, _rest = found
        while stack and stack[-1].rank >= rank:
            stack.pop()
        part = Part(
            kind=MARKERS[rank][0],
            rank=rank,
            ordinal=ordinal,
            head=Line(line.number, _rest),
            parent=stack[-1] if stack else None,
        )
        (stack[-1].children if stack else top).append(part)
        stack.append(part)
    return Outline(preamble, top, lines)
