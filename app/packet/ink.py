"""What every drawer of the packet's pages shares: the :class:`Ink` that checks each string
against the font, paragraph styles, the drawing :class:`Context` and the :class:`Unbroken`
marker. It sits below :mod:`app.packet.draw` and the drawers (cover, form, tables, 目录), which
all import it and not one another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color, black
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer

from app.guide.model import Guide
from app.model import ProjectData
from app.packet.layout import MM, Layout
from app.rules.evaluation import Evaluation
from app.system.fonts import missing_glyphs, register_fonts, register_song

GREY = Color(0.45, 0.45, 0.45)
LIGHT = Color(0.92, 0.92, 0.92)


class Ink:
    """Checks every string that is drawn against the font and remembers what it lacks."""

    def __init__(self) -> None:
        self.font = register_fonts()
        self.sans = self.font
        self._warnings: dict[str, None] = {}

    def song(self) -> Ink:
        """The same ink set in the Song face (the 申请表, the 目录); a text the Song face
        cannot draw in full falls back to the sans font. Warnings are shared."""
        other = Ink.__new__(Ink)
        other.font, other.sans, other._warnings = register_song(), self.sans, self._warnings
        return other

    def face_for(self, text: str) -> str:
        """This ink's face, or the sans font when this face lacks a character of ``text``."""
        if self.font != self.sans and missing_glyphs(text, self.font):
            return self.sans
        return self.font

    def check(self, text: str) -> str:
        missing = missing_glyphs(text, self.sans)
        if missing:
            chars = "".join(missing)
            shown = text if len(text) <= 60 else text[:60] + "…"
            self._warnings[
                f"文字“{shown}”中的“{chars}”字体中没有，PDF 中会显示为空白。"
                f"请改用常用字，或打印后手写补上。"
            ] = None
        return text

    @property
    def warnings(self) -> list[str]:
        return list(self._warnings)

    def para(self, text: str, style: ParagraphStyle) -> Paragraph:
        """A paragraph of plain text (escaped; newlines become line breaks)."""
        self.check(text)
        face = self.face_for(text) if style.fontName == self.font else style.fontName
        if face != style.fontName:
            style = ParagraphStyle(f"{style.name}-{face}", parent=style, fontName=face)
        # A full-width space: three no-break spaces in the sans face (as always), as many as
        # make one em in another face (the Song face's space is twice as wide).
        em = "&nbsp;" * (3 if face == self.sans else _spaces_per_em(face))
        markup = escape(text).replace("\n", "<br/>").replace("\u3000", em)
        return Paragraph(markup, style)

    def draw(
        self,
        c: Canvas,
        x: float,
        y: float,
        text: str,
        size: float,
        align: str = "left",
        color: Color = black,
    ) -> None:
        self.check(text)
        c.setFont(self.face_for(text), size)
        c.setFillColor(color)
        if align == "center":
            c.drawCentredString(x, y, text)
        elif align == "right":
            c.drawRightString(x, y, text)
        else:
            c.drawString(x, y, text)
        c.setFillColor(black)

    def title(self, text: str, st: ParagraphStyle, width: float) -> Paragraph:
        """A title that breaks before its first full-width bracket when it needs two lines
        ("…专项资金" / "（服务贸易发展事项）申请表"), rather than wherever the width ends."""
        cut = text.find("（")
        if self.width(text, st.fontSize) > width and cut > 0:
            head, tail = text[:cut], text[cut:]
            if max(self.width(head, st.fontSize), self.width(tail, st.fontSize)) <= width:
                self.check(text)
                return Paragraph(f"{escape(head)}<br/>{escape(tail)}", st)
        return self.para(text, st)

    def width(self, text: str, size: float) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return float(stringWidth(text, self.face_for(text), size))

    def fit(self, text: str, size: float, width: float, smallest: float = 7.0) -> tuple[str, float]:
        """Shrink ``text`` down to ``smallest`` points to fit ``width``, then cut with "…"."""
        while size > smallest and self.width(text, size) > width:
            size -= 0.5
        if self.width(text, size) <= width:
            return text, size
        cut = text
        while cut and self.width(cut + "…", size) > width:
            cut = cut[:-1]
        return cut + "…", size


def _spaces_per_em(face: str) -> int:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    space = float(stringWidth(" ", face, 1000))
    return max(1, round(1000 / space)) if space > 0 else 3


def style(
    ink: Ink, size: float, align: int = TA_LEFT, leading: float | None = None, **kw: object
) -> ParagraphStyle:
    options: dict[str, object] = {"wordWrap": "CJK", **kw}
    return ParagraphStyle(
        name=f"s{size}-{align}",
        fontName=ink.font,
        fontSize=size,
        leading=leading if leading is not None else size * 1.35,
        alignment=align,
        **options,
    )


@dataclass
class Context:
    """What the drawers read."""

    guide: Guide
    project: ProjectData
    evaluation: Evaluation
    layout: Layout
    today: dt.date
    ink: Ink = field(default_factory=Ink)


StoryFactory = Callable[[Context], list[Flowable]]


class Unbroken(Spacer):
    """Marks that the next flowable must not be split: it starts a new page unless it fits in
    what is left of this one. (KeepTogether needs a doc template; our frames have none.)"""

    def __init__(self, content: Flowable) -> None:
        super().__init__(0, 0)
        self.content = content


__all__ = [
    "GREY",
    "LIGHT",
    "MM",
    "TA_CENTER",
    "TA_LEFT",
    "TA_RIGHT",
    "Context",
    "Ink",
    "StoryFactory",
    "Unbroken",
    "missing_glyphs",
    "style",
]
