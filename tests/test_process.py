"""The submission process as guide data: stages, places, the next step and its date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.guide import guide_by_id, load_guide
from app.guide.loader import CHECKLIST_DIR
from app.model import ProjectData
from app.rules.process import current_stage, next_step, next_step_lines, stage_reached
from app.system.errors import GuideError

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


def test_a_new_project_stands_before_the_review_with_the_guides_date_and_our_advice() -> None:
    """五（三）1.: “各区商务部门出具初审意见……（2月18日前完成）”: the guide gives the district's
    date; the 10-day lead is the program's own advice, said as 建议, never as the guide's."""
    fresh = ProjectData(guide_id=GUIDE.id)
    assert current_stage(GUIDE, fresh).id == "review_pending"  # type: ignore[union-attr]
    step = next_step(GUIDE, fresh, dt.date(2019, 1, 10))
    assert step is not None
    assert step.deadline is not None and step.deadline.date == dt.date(2019, 2, 18)
    assert step.due == dt.date(2019, 2, 18) and step.days_left == 39  # the guide's date
    assert step.suggested == dt.date(2019, 2, 8)  # ten days for the district's review
    assert step.warning == "" and step.advice == ""
    assert [p.id for p in step.places] == ["district", "association"]
    lines = next_step_lines(step)
    text = "\n".join(lines)
    assert "勿装订" in text
    assert "期限：区商务部门完成初审：2019年2月18日前（还有 39 天）" in lines
    (advice,) = [line for line in lines if "2019年2月8日" in line]
    assert advice.startswith("建议：") and "本程序的建议，不是申报指南的规定" in advice
    assert "珠海市高新区哈工大经济港科创楼1楼1106室" in text


@pytest.mark.parametrize(
    ("today", "advice", "warning"),
    [
        (dt.date(2019, 1, 10), "", ""),
        (dt.date(2019, 2, 3), "本程序建议至少提前 10 天递交", ""),
        (dt.date(2019, 2, 12), "只剩 6 天", ""),  # past our suggested date: advice, not late
        (dt.date(2019, 2, 20), "", "已过"),
    ],
)
def test_lead_time_is_advice_and_only_the_guides_date_is_late(
    today: dt.date, advice: str, warning: str
) -> None:
    step = next_step(GUIDE, ProjectData(guide_id=GUIDE.id), today)
    assert step is not None
    assert (advice in step.advice) and (bool(step.advice) == bool(advice))
    assert (warning in step.warning) and (bool(step.warning) == bool(warning))
    assert step.days_left is not None and (step.days_left < 0) == bool(warning)


def test_a_missed_final_date_says_what_the_guide_says() -> None:
    """五（一）: “请申报企业于2月28日前递交（邮寄）正式装订纸质材料至我局指定地点，逾期我局将不再
    受理，同时视为企业（机构）放弃申报”: said so, not “请确认是否仍可受理”."""
    step = next_step(GUIDE, at("online_passed"), dt.date(2019, 3, 1))
    assert step is not None
    assert "逾期不予受理" in step.warning and "放弃申报" in step.warning
    assert "是否仍可受理" not in step.warning
    # the district's date: the guide says nothing of missing it, nor do we in its name
    review = next_step(GUIDE, ProjectData(guide_id=GUIDE.id), dt.date(2019, 2, 20))
    assert review is not None and review.warning == "区商务部门完成初审（2019年2月18日）已过。"


def test_the_hand_in_may_be_posted_and_the_last_stage_says_what_follows() -> None:
    """五（一）: “递交（邮寄）正式装订纸质材料”; 六（一）: “各单位收到资金后，应按照国家有关规定
    进行帐务处理，并自觉接受财政和商务主管部门的检查”; 六（三）: “市商务局按规定对专项资金使用
    情况实施绩效评价”."""
    hand_in = next_step(GUIDE, at("online_passed"), dt.date(2019, 2, 25))
    assert hand_in is not None and "邮寄" in hand_in.what and "原件" in hand_in.what
    assert "邮寄" in GUIDE.deadline("final_submission").detail
    done = next_step(GUIDE, at("final_submitted"), dt.date(2019, 3, 5))
    assert done is not None
    for words in ("帐务处理", "接受财政和商务主管部门的检查", "绩效评价"):
        assert words in done.what


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
