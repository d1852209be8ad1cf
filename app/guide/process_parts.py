"""Parser for a guide file's ``[process]`` section: the submission stages, places and the
online declaration's upload rules (see docs/guide-format.md)."""

from __future__ import annotations

from decimal import Decimal

from app.guide.model import DocumentSpec, OnlineRules, Place, Process, Stage
from app.guide.reader import Node, unique


def process_of(node: Node, deadline_ids: set[str], doc_by_id: dict[str, DocumentSpec]) -> Process:
    places: list[Place] = []
    places_node = node.node("places")
    assert places_node is not None
    for pid, n in places_node.named_nodes_self():
        places.append(
            Place(
                id=pid,
                name=n.text("name"),
                address=n.text("address", required=False),
                contacts=n.str_list("contacts", required=False),
                email=n.text("email", required=False),
                url=n.text("url", required=False),
                detail=n.text("detail", required=False),
            )
        )
        n.done()
    places_node.used.update(places_node.data.keys())
    place_ids = {p.id for p in places}

    stages: list[Stage] = []
    for n in node.nodes("stages"):
        deadline = n.opt_str("deadline")
        if deadline is not None and deadline not in deadline_ids:
            raise n.fail("deadline", f"未知的截止日期 {deadline}")
        where = n.str_list("places", required=False)
        for p in where:
            if p not in place_ids:
                raise n.fail("places", f"未知的地点 {p}")
        stages.append(
            Stage(
                id=n.text("id"),
                title=n.text("title"),
                next=n.text("next"),
                deadline=deadline,
                lead_days=n.flag("lead_days"),
                places=where,
                bring=n.str_list("bring", required=False),
                originals=n.flag("originals"),
            )
        )
        n.done()
    if not stages:
        raise node.fail("stages", "至少要有一个阶段")
    unique(node, "stages", [s.id for s in stages])
    stage_ids = {s.id for s in stages}

    stamped = node.opt_str("stamped_form")
    replaces = node.opt_str("replaces")
    if (stamped is None) != (replaces is None):
        raise node.fail("stamped_form", "stamped_form 与 replaces 须同时给出")
    if stamped is not None:
        doc = doc_by_id.get(stamped)
        if doc is None or doc.kind != "scan":
            raise node.fail("stamped_form", f"{stamped} 应为 scan 类型的材料")
    if replaces is not None and replaces not in doc_by_id:
        raise node.fail("replaces", f"未知的材料 {replaces}")
    required_from = node.opt_str("stamp_required_from")
    if required_from is not None and required_from not in stage_ids:
        raise node.fail("stamp_required_from", f"未知的阶段 {required_from}")

    online = OnlineRules()
    online_node = node.node("online", required=False)
    if online_node is not None:
        limit = online_node.decimal("size_limit_mb", required=False) or online.size_limit_mb
        image_dpi = online_node.integer("image_dpi", required=False) or online.image_dpi
        min_dpi = online_node.integer("min_dpi", required=False) or online.min_dpi
        if limit <= 0:
            raise online_node.fail("size_limit_mb", "应大于 0")
        if min_dpi < 150:
            raise online_node.fail("min_dpi", "不应低于 150 dpi")
        if image_dpi < min_dpi:
            raise online_node.fail("image_dpi", f"不应低于 min_dpi（{min_dpi}）")
        online = OnlineRules(size_limit_mb=Decimal(limit), image_dpi=image_dpi, min_dpi=min_dpi)
        online_node.done()

    def count(name: str, default: int) -> int:
        v = node.integer(name, required=False)
        if v is None:
            return default
        if v < 0:
            raise node.fail(name, "不应为负数")
        return v

    process = Process(
        stages=tuple(stages),
        places=tuple(places),
        stamped_form=stamped,
        replaces=replaces,
        stamp_required_from=required_from,
        review_lead_days=count("review_lead_days", 0),
        review_copies=count("review_copies", 1),
        final_copies=count("final_copies", 1),
        online=online,
        review_print=node.text("review_print", required=False),
        final_print=node.text("final_print", required=False),
        stamped_by=node.text("stamped_by", required=False),
    )
    node.done()
    return process
