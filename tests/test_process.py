"""The submission process as guide data: stages, places, the next step and its date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.errors import GuideError
from app.guide import guide_by_id, load_guide
from app.guide.loader import CHECKLIST_DIR
from app.model import ProjectData
from app.process import current_stage, next_step, next_step_lines, stage_reached

GUIDE = guide_by_id("zhuhai-service-trade-2019")
MINI = Path(__file__).parent / "data" / "guide-2020-mini.toml"
SHIPPED = CHECKLIST_DIR / "zhuhai-2019.toml"


def at(*stages: str) -> ProjectData:
    return ProjectData(guide_id=GUIDE.id, stages={s: dt.date(2019, 2, 1) for s in stages})


def test_the_guide_file_holds_the_process_from_the_seed() -> None:
    process = GUIDE.process
    assert process is not None
    assert [s.title for s in process.stages] == [
        "初审未交",
        "已交初审",
        "初审通过",
        "网上申报已提交",
        "网上审核通过",
        "已正式递交",
    ]
    association = process.place("association")
    assert association.address == "珠海市高新区哈工大经济港科创楼1楼1106室"
    assert association.email == "member@zasto.org.cn"
    assert "6907920，13622965527" in association.contacts[0]
    assert process.place("platform").url == "http://ywgl.zhcz.gov.cn/"
    assert "2605681" in process.place("bureau").contacts[0]
    assert process.stamped_form == "district_stamped_form"
    assert GUIDE.document("district_stamped_form").kind == "scan"
    assert process.online.size_limit_mb == 10 and process.online.min_dpi == 150


def test_a_new_project_stands_before_the_review_with_a_lead_time() -> None:
    fresh = ProjectData(guide_id=GUIDE.id)
    assert current_stage(GUIDE, fresh).id == "review_pending"  # type: ignore[union-attr]
    step = next_step(GUIDE, fresh, dt.date(2019, 1, 10))
    assert step is not None
    assert step.deadline is not None and step.deadline.date == dt.date(2019, 2, 18)
    assert step.due == dt.date(2019, 2, 8)  # ten days for the district's review
    assert step.days_left == 29 and step.warning == ""
    assert [p.id for p in step.places] == ["district", "association"]
    text = "\n".join(next_step_lines(step))
    assert "勿装订" in text and "2019年2月8日前（还有 29 天）" in text
    assert "珠海市高新区哈工大经济港科创楼1楼1106室" in text


@pytest.mark.parametrize(
    ("today", "word"),
    [
        (dt.date(2019, 2, 3), "建议至少提前 10 天递交"),
        (dt.date(2019, 2, 12), "只剩 6 天"),
        (dt.date(2019, 2, 20), "已过"),
    ],
)
def test_lead_time_warnings(today: dt.date, word: str) -> None:
    step = next_step(GUIDE, ProjectData(guide_id=GUIDE.id), today)
    assert step is not None and word in step.warning


def test_each_stage_has_its_next_step() -> None:
    passed = next_step(GUIDE, at("review_submitted", "review_passed"), dt.date(2019, 2, 19))
    assert passed is not None and passed.stage.id == "review_passed"
    assert "网上申报" in passed.what and [p.id for p in passed.places] == ["platform"]
    assert passed.due == dt.date(2019, 2, 28) and passed.days_left == 9
    assert passed.warning == ""  # the review deadline no longer matters
    final = next_step(GUIDE, at("online_passed"), dt.date(2019, 2, 25))
    assert final is not None and any("原件" in b for b in final.bring) and final.stage.originals
    assert [p.id for p in final.places] == ["association"]
    done = next_step(GUIDE, at("final_submitted"), dt.date(2019, 3, 5))
    assert done is not None and done.due is None and done.when_text() == ""
    # the furthest recorded stage counts, whatever order they were recorded in
    assert stage_reached(GUIDE, at("online_submitted", "review_submitted"), "review_passed")
    assert not stage_reached(GUIDE, at("review_submitted"), "review_passed")


def test_a_guide_without_a_process_has_no_next_step() -> None:
    mini = load_guide(MINI)
    assert mini.process is None
    data = ProjectData(guide_id=mini.id)
    assert current_stage(mini, data) is None and next_step(mini, data, dt.date(2020, 1, 1)) is None
    assert not stage_reached(mini, data, "review_passed")


@pytest.mark.parametrize(
    ("old", "new", "key", "word"),
    [
        ('places = ["platform"]\nbring = []', 'places = ["nowhere"]\nbring = []', "places", "地点"),
        (
            'deadline = "final_submission"\nplaces = ["association"]',
            'deadline = "x"\nplaces = ["association"]',
            "deadline",
            "截止",
        ),
        ("min_dpi = 150", "min_dpi = 100", "process.online.min_dpi", "150"),
        (
            'stamp_required_from = "review_passed"',
            'stamp_required_from = "passed"',
            "process.stamp_required_from",
            "阶段",
        ),
        (
            'stamped_form = "district_stamped_form"',
            'stamped_form = "business_license_x"',
            "process.stamped_form",
            "scan",
        ),
        (
            "review_copies = 2\n",
            "review_copies = 2\nreview_copy = 2\n",
            "process.review_copy",
            "未知的键",
        ),
    ],
)
def test_a_bad_process_section_is_refused(
    tmp_path: Path, old: str, new: str, key: str, word: str
) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(GuideError) as info:
        load_guide(path)
    assert key in info.value.key and word in info.value.reason
