"""The 申报材料 lists: the basic documents every packet has, and each item's own list, matched
to the items by their headings (and order); a list inside an item's own text is that item's."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.guide.draft.amounts import number
from app.guide.draft.items import DOC_INTRO, DOCS_TITLE
from app.guide.draft.model import DDoc, DItem, DSet, Src, Unplaced
from app.guide.draft.text import Line, Outline, Part

BASE_TITLE = re.compile(r"基本|共性|通用|共同|基础|所有")
NARRATIVE = re.compile(r"报告|说明|方案|总结|计划书|简介|介绍|情况表述")
NOT_NARRATIVE = re.compile(r"复印件|证书|截图|证明文件|凭证|发票|合同|原件|执照")
DETAIL_SPLIT = re.compile(
    r"[，,]\s*(?:内容)?(?:需)?包括[：:]?|[（(]\s*(?:内容)?(?:需)?包括(?:但不限于)?[：:]?"
)
QUALIFIED = re.compile(r"^([^；;，,]{1,12}?)(?:需|须|应)?提供")
REFERS = re.compile(r"^参照第?([^点项条“]{1,4})[点项条]?(?:“[^”]*”)?(?:的要求)?准备")
APPLICATION_FORM = re.compile(r"申请表|申报表")


INLINE_LIST = re.compile(r"^([^：:；;，,。<>/（(]{2,20})[：:](?!//)(.+)$")


@dataclass
class Group:
    """A titled list of documents, or a heading over such lists."""

    part: Part
    lines: list[Line] = field(default_factory=list)
    subgroups: list[Group] = field(default_factory=list)
    title: str = ""


def _inline_group(part: Part) -> Group | None:
    """ "1. 出口规模增长项目：海关出口数据证明；出口增幅计算说明。" — a list on one line."""
    m = INLINE_LIST.match(part.head.text)
    if m is None or part.children or part.lines:
        return None
    items = [t for t in re.split(r"[；;]", m.group(2)) if t.strip(" 。")]
    lines = [Line(part.head.number, t.strip()) for t in items]
    return Group(part, lines, title=m.group(1))


def _doc_lines(part: Part) -> list[Line]:
    lines = [ln for ln in part.lines if (ln.bullet or not _intro(ln.text)) and _worded(ln.text)]
    lines += [
        c.head for c in part.children if not c.children and not c.lines and _inline_group(c) is None
    ]
    return lines


def _worded(text: str) -> bool:
    """A line that can name a document (not a stray "提供" or "。")."""
    return len(re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]|提供|提交", "", text)) >= 2


def _intro(text: str) -> bool:
    return text.rstrip().endswith(("：", ":")) or "以下" in text


def _group(part: Part) -> Group:
    g = Group(part, _doc_lines(part), title=part.title)
    for c in part.children:
        inline = _inline_group(c)
        if inline is not None:
            g.subgroups.append(inline)
        elif c.children or c.lines:
            g.subgroups.append(_group(c))
    return g


def documents_part(ol: Outline) -> Part | None:
    for part in ol.walk():
        if len(part.title) <= 24 and DOCS_TITLE.search(part.title) and "要求" not in part.title:
            return part
    return None


def bigrams(text: str) -> set[str]:
    t = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", text)
    return {t[i : i + 2] for i in range(len(t) - 1)} or ({t} if t else set())


def containment(small: str, big: str) -> float:
    a = bigrams(small)
    return len(a & bigrams(big)) / len(a) if a else 0.0


def _group_title(group: Group) -> str:
    return re.sub(
        r"(?:项目|事项|类)?(?:需提[供交]的?)?(?:申报)?(?:材料|资料)?[：:；;。]*$", "", group.title
    )


class DocumentReader:
    def __init__(self) -> None:
        self.documents: list[DDoc] = []
        self.base: list[str] = []
        self.unplaced: list[Unplaced] = []
        self.sets: list[DSet] = []
        self._form_seen = False
        self._by_group: dict[str, list[str]] = {}  # a list's number -> the documents it gave

    def read(self, ol: Outline, items: list[DItem], item_parts: dict[str, Part]) -> None:
        part = documents_part(ol)
        if part is not None:
            top = _group(part)
            base = [g for g in top.subgroups if BASE_TITLE.search(g.part.title)]
            rest = [g for g in top.subgroups if g not in base]
            for g in base:
                self.base += self._docs(g.lines, "base")
            if (not base and top.lines and rest) or (not base and not rest):
                self.base += self._docs(top.lines, "base")
            groups = []
            for g in rest:  # "具体项目需提交的其他材料" is a heading over the items' lists
                groups += g.subgroups if (g.subgroups and not g.lines) else [g]
            self._assign(groups, items)
            self._proof_sets()
        for item in items:  # a 申报材料 list inside the item's own text
            if not item.documents:
                lines = _inline_lines(item_parts[item.id])
                item.documents = self._docs(lines, item.id)

    def _assign(self, groups: list[Group], items: list[DItem]) -> None:
        """Each group to the items it names: by heading words, ties broken by order."""
        heads = _headings(items)
        for n, g in enumerate(groups):
            title = _group_title(g)
            best, score = None, 0.0
            for k, (head_title, members) in enumerate(heads):
                s = 2 * containment(title, head_title) + containment(
                    title, "\n".join(m.match_text for m in members)
                )
                s += 0.3 if k == n else 0.0
                if s > score:
                    best, score = members, s
            if best is None or score < 0.5:
                for ln in g.lines:
                    self.unplaced.append(
                        Unplaced(ln.number, ln.text, f"材料清单“{title}”对不上任何项目")
                    )
                continue
            before = len(self.documents)
            if g.subgroups and len(best) > 1:
                self._assign_sub(g, best)
            else:
                self._give(g.lines, best)
            key = _ordinal(g.part.ordinal)
            self._by_group.setdefault(key, [d.id for d in self.documents[before:] if not d.refers])

    def _proof_sets(self) -> None:
        """ "参照第2点准备…证明文件": the document stands for list 2's documents (a proof set)."""
        for doc in self.documents:
            members = self._by_group.get(_ordinal(doc.refers)) if doc.refers else None
            if not members:
                continue
            set_id = f"set_{_ordinal(doc.refers)}"
            if not any(s.id == set_id for s in self.sets):
                self.sets.append(DSet(set_id, doc.title, members))
            doc.kind, doc.set, doc.copy_of_original = "proof_set", set_id, False
            doc.remark = (
                f"原文“参照第{doc.refers}点”：代表第{doc.refers}点的全部材料（材料组 {set_id}）。"
            )

    def _assign_sub(self, g: Group, members: list[DItem]) -> None:
        if g.lines:
            self._give(g.lines, members)
        for n, sub in enumerate(g.subgroups):
            title = _group_title(sub)
            scored = [
                (containment(title, m.match_text) + (0.3 if k == n else 0.0), k)
                for k, m in enumerate(members)
            ]
            _score, k = max(scored)
            self._give(sub.lines, [members[k]])

    def _give(self, lines: list[Line], members: list[DItem]) -> None:
        """The documents of ``lines`` to each member; "离岸业务需提供…；在岸业务需提供…" splits
        by the member its qualifier names."""
        owner = members[0].id
        for ln in (ln for ln in lines if _worded(ln.text)):
            clauses = [c for c in re.split(r"[；;]", ln.text) if c.strip()]
            qualified = [QUALIFIED.match(c.strip()) for c in clauses]
            if len(members) > 1 and len(clauses) > 1 and all(qualified):
                for clause, q in zip(clauses, qualified, strict=True):
                    assert q is not None
                    body = clause.strip()[q.end() :]
                    target = max(members, key=lambda m: containment(q.group(1), m.title))
                    doc = self._doc(Line(ln.number, body), target.id)
                    doc.remark = f"原文按“{q.group(1)}”分给了 {target.number}{target.title}。"
                    target.documents.append(doc.id)
                continue
            doc = self._doc(ln, owner)
            for m in members:
                if doc.id not in m.documents:
                    m.documents.append(doc.id)

    def _docs(self, lines: list[Line], owner: str) -> list[str]:
        return [self._doc(ln, owner).id for ln in lines if _worded(ln.text)]

    def _doc(self, line: Line, owner: str) -> DDoc:
        text = line.text.strip().rstrip("；;。.，,、 ")
        remark = ""
        ref = REFERS.match(text)
        refers = ""
        if ref:
            remark = f"原文“{ref.group(0)}…”：同一组材料，可改为 proof_set（见 document_sets）。"
            refers = ref.group(1)
            text = text[ref.end() :]
        text = re.sub(r"^(?:需|须|应)?(?:提供|提交|附上|附)", "", text).strip()
        text = re.sub(r"[（(]附件\d*[）)]", "", text)
        url = re.search(r"[（(]\s*<?((?:https?://|www\.)[^）)>\s]+)>?\s*[）)]", text)
        if url:  # a web address in the title goes to the note
            text = text[: url.start()] + text[url.end() :]
        title, detail = text, ""
        m = DETAIL_SPLIT.search(text)
        if m:
            title, detail = text[: m.start()], text[m.end() :].rstrip("）)")
        else:
            p = re.search(r"[（(]([^（）()]{12,})[）)]$", text)
            if p:
                title, detail = text[: p.start()], p.group(1)
        title = title.strip("，,：: ") or text or line.text.strip()
        n = sum(1 for d in self.documents if d.id.startswith(f"{owner}_doc")) + 1
        doc = DDoc(
            f"{owner}_doc{n}", title, src=Src(line.number, line.text), remark=remark, refers=refers
        )
        if APPLICATION_FORM.search(title) and not self._form_seen and owner == "base":
            self._form_seen = True
            doc.id, doc.kind, doc.generator = "application_form", "generated", "application_form"
        elif NARRATIVE.search(title) and not NOT_NARRATIVE.search(title):
            doc.kind = "narrative"
            parts = [
                re.sub(r"^(?:以及|及|和)", "", p).strip()
                for p in re.split(r"[、，,；;]|以及", re.sub(r"等[。；;]?$", "", detail))
            ]
            parts = [p for p in parts if p][:8]
            if parts:
                doc.headings = [f"{_cn(k)}、{p}" for k, p in enumerate(parts, start=1)]
            else:
                doc.headings = ["一、基本情况", "二、具体说明"]
                doc.remark = (
                    doc.remark + " 原文未列出内容：模板标题为占位，请按需要修改。"
                ).strip()
        else:
            doc.note = "；".join(x for x in (detail, url.group(1) if url else "") if x)
            if "原件" in text and "复印件" not in text:
                doc.original = True
            elif "复印件" in text:
                doc.copy_of_original = True
            if re.match(r"^(?:其他|其它)|如有", title):
                doc.optional = True
        self.documents.append(doc)
        return doc


def _headings(items: list[DItem]) -> list[tuple[str, list[DItem]]]:
    """The item headings a 申报材料 list may name: each category (its items) in order."""
    out: list[tuple[str, list[DItem]]] = []
    for it in items:
        key = it.category or it.title
        if out and out[-1][0] == key:
            out[-1][1].append(it)
        else:
            out.append((key, [it]))
    return out


def _inline_lines(part: Part) -> list[Line]:
    """Lines after "申报材料：" in an item's own text, or under its 申报材料 sub-part."""
    out: list[Line] = []
    for c in part.children:
        if DOCS_TITLE.search(c.title) or DOC_INTRO.search(c.title):
            out += [ln for ln in c.lines if ln.bullet or not _intro(ln.text)]
            out += [g.head for g in c.children]
    intro = next((ln for ln in part.lines if DOC_INTRO.search(ln.text)), None)
    if intro is None:
        return out
    rest = re.split(r"[：:]", intro.text, maxsplit=1)
    if len(rest) > 1 and rest[1].strip():
        out += [Line(intro.number, t) for t in re.split(r"[；;]", rest[1]) if t.strip()]
    out += [ln for ln in part.lines if ln.number > intro.number]
    for c in part.children:
        if c.head.number > intro.number:
            out.append(c.head)
    return sorted(out, key=lambda ln: ln.number)


def _ordinal(text: str) -> str:
    value = number(text.strip())
    return str(int(value)) if value is not None else text.strip()


def _cn(n: int) -> str:
    digits = "一二三四五六七八九十"
    return digits[n - 1] if n <= 10 else str(n)
