"""The guide loader: the shipped 2019 file against the guide, a second year's file, refusals."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.guide import Guide, available_guides, guide_by_id, load_guide
from app.guide.loader import parse_guide
from app.model import Rate
from app.system.errors import GuideError

ITEM_IDS = (
    "service_trade_statistics",
    "outsourcing_onshore",
    "outsourcing_offshore",
    "technology_trade",
    "culture_translation",
    "culture_service_export",
    "tcm_projects",
    "tcm_general_export",
    "international_certification",
    "talent_introduction",
    "talent_training",
    "public_service_center",
    "export_credit_insurance",
)

# GUIDE-2019.md "Item documents", in the guide's order (ids canonical).
ITEM_DOCUMENTS = {
    "service_trade_statistics": (
        "sts_platform_screenshot",
        "sts_contracts",
        "sts_fx_receipts",
        "sts_audit_report",
    ),
    "outsourcing_onshore": (
        "oso_platform_screenshot",
        "oso_execution_summary",
        "oso_audit_report",
        "oso_contracts",
        "oso_invoices",
    ),
    "outsourcing_offshore": (
        "oso_platform_screenshot",
        "oso_execution_summary",
        "oso_audit_report",
        "oso_contracts",
        "oso_fx_receipts",
    ),
    "technology_trade": (
        "tt_registration_certificate",
        "tt_award_or_patent",
        "tt_payment_voucher",
        "tt_advancement_statement",
        "tt_funding_proof",
    ),
    "culture_translation": ("ct_contracts", "ct_payment_vouchers"),
    "culture_service_export": ("cse_contracts", "cse_income_vouchers"),
    "tcm_projects": ("tcm_contracts", "tcm_project_description", "tcm_income_vouchers"),
    "tcm_general_export": ("tge_customs_certificate", "tge_income_vouchers"),
    "international_certification": (
        "ic_outsourcing_proof",
        "ic_application_report",
        "ic_certificate",
        "ic_consulting_contract",
        "ic_fee_vouchers",
    ),
    "talent_introduction": (
        "ti_outsourcing_proof",
        "ti_identity_degree",
        "ti_labour_contract",
        "ti_income_tax",
        "ti_social_security",
    ),
    "talent_training": (
        "tr_application_report",
        "tr_institution_proof",
        "tr_roster",
        "tr_certificates",
        "tr_agreements",
    ),
    "public_service_center": (
        "psc_application_report",
        "psc_construction_contract",
        "psc_business_contracts",
        "psc_cost_vouchers",
        "psc_other",
    ),
    "export_credit_insurance": ("eci_policy_list", "eci_premium_notices", "eci_premium_invoices"),
}

PER_ROW = {
    "tcm_contracts",
    "tcm_project_description",
    "tcm_income_vouchers",
    "ic_certificate",
    "ic_consulting_contract",
    "ic_fee_vouchers",
    "ti_identity_degree",
    "ti_labour_contract",
    "ti_income_tax",
    "ti_social_security",
}


# --------------------------------------------------------------------------- the shipped file


def test_shipped_file_is_found_and_loads(guide: Guide) -> None:
    assert guide.id == "zhuhai-service-trade-2019"
    assert guide.year == 2019
    assert guide.document_no == "珠商〔2019〕28号"
    assert (guide.period_start, guide.period_end) == (dt.date(2018, 1, 1), dt.date(2018, 12, 31))
    assert any(p.name == "zhuhai-2019.toml" for p in available_guides())
    assert guide_by_id("zhuhai-service-trade-2019").item_ids == guide.item_ids


def test_items_in_guide_order_with_canonical_ids(guide: Guide) -> None:
    assert guide.item_ids == ITEM_IDS
    numbers = [it.number for it in guide.items]
    assert numbers[0] == "（一）" and numbers[-1] == "（九）"
    assert guide.item("outsourcing_offshore").full_title == "（二）2.服务外包离岸业务"


def test_base_documents(guide: Guide) -> None:
    assert guide.base_documents == ("application_form", "business_license", "credit_record")
    assert guide.document("application_form").kind == "generated"
    assert guide.document("application_form").generator == "application_form"
    assert guide.document("business_license").kind == "scan"
    assert guide.document("credit_record").kind == "scan"


@pytest.mark.parametrize("item_id", ITEM_IDS)
def test_item_documents_equal_the_guide_list(guide: Guide, item_id: str) -> None:
    assert guide.item(item_id).documents == ITEM_DOCUMENTS[item_id]


def test_business_types_23_in_three_categories(guide: Guide) -> None:
    assert len(guide.business_types) == 23
    assert Counter(b.category for b in guide.business_types) == {"ITO": 8, "BPO": 6, "KPO": 9}
    assert len({b.id for b in guide.business_types}) == 23
    assert guide.business_type("software_rd").name == "软件研发服务"
    assert guide.business_type("new_energy_rd").category == "KPO"


def test_certifications_districts_deadlines(guide: Guide) -> None:
    assert len(guide.certifications) == 14
    assert guide.certifications[0] == "CMMI" and "ISO27001/BS7799" in guide.certifications
    # Zhuhai's 2019 districts, then its economic function zones (GUIDE-2019: “保税区” included),
    # and 其他 with a name.
    assert guide.districts == (
        "香洲区",
        "金湾区",
        "斗门区",
        "横琴新区",
        "高新区",
        "保税区",
        "高栏港经济区",
        "万山海洋开发试验区",
        "富山工业园",
    )
    assert guide.district_other == "其他"
    assert [(d.id, d.date) for d in guide.deadlines] == [
        ("district_review", dt.date(2019, 2, 18)),
        ("final_submission", dt.date(2019, 2, 28)),
    ]


def test_per_row_flags(guide: Guide) -> None:
    flagged = {d.id for d in guide.documents if d.per_row}
    assert flagged == PER_ROW
    assert not guide.document("ti_outsourcing_proof").per_row
    assert not guide.document("tge_customs_certificate").per_row


def test_original_and_copies(guide: Guide) -> None:
    assert guide.document("tge_customs_certificate").original is True
    assert [d.id for d in guide.documents if d.original] == ["tge_customs_certificate"]
    assert guide.document("business_license").copy_of_original is True


def test_narratives_have_headings_and_proof_sets_resolve(guide: Guide) -> None:
    narratives = [d for d in guide.documents if d.kind == "narrative"]
    assert {d.id for d in narratives} == {
        "tt_advancement_statement",
        "tcm_project_description",
        "ic_application_report",
        "tr_application_report",
        "psc_application_report",
    }
    for doc in narratives:
        assert doc.headings and all(h.strip() for h in doc.headings), doc.id
    proof = guide.document_set("outsourcing_proof")
    assert proof.documents == (
        "oso_platform_screenshot",
        "oso_execution_summary",
        "oso_audit_report",
        "oso_contracts",
        "oso_invoices",
        "oso_fx_receipts",
    )
    assert guide.document("ic_outsourcing_proof").set == "outsourcing_proof"
    assert guide.document("ti_outsourcing_proof").set == "outsourcing_proof"
    assert guide.document("psc_other").optional is True


def test_exclusive_and_rates(guide: Guide) -> None:
    assert guide.item("tcm_projects").exclusive_with == ("tcm_general_export",)
    assert guide.item("tcm_general_export").exclusive_with == ("tcm_projects",)
    assert guide.currency("USD").rate == Rate(Decimal(1), "per_usd")
    # As SAFE's table quotes it: units per US dollar, or US dollars per 100 units.
    assert guide.currency("CNY").rate == Rate(Decimal("6.8632"), "per_usd")
    assert guide.currency("EUR").rate == Rate(Decimal("1.1450"), "usd_per")
    assert guide.currency("JPY").rate == Rate(Decimal("0.9040"), "usd_per", 100)


def test_guide_is_immutable(guide: Guide) -> None:
    with pytest.raises(AttributeError):
        guide.year = 2020  # type: ignore[misc]


# --------------------------------------------------------------------------- a second year


def test_second_guide_loads_with_the_same_code(mini_guide: Guide) -> None:
    assert mini_guide.id == "mini-service-trade-2020"
    assert mini_guide.year == 2020
    assert mini_guide.item_ids == ("training_scale", "overseas_fairs")
    assert mini_guide.period_start == dt.date(2019, 1, 1)
    assert mini_guide.districts == ("甲区", "乙区")
    assert mini_guide.business_types == ()
    assert mini_guide.item("training_scale").ceiling.tiers == (
        (Decimal(50), Decimal(20000)),
        (Decimal(100), Decimal(40000)),
    )
    assert {d.id for d in mini_guide.documents if d.per_row} == {"fair_invoice", "fair_photos"}


def test_guide_by_id_refuses_an_unknown_year() -> None:
    with pytest.raises(GuideError) as info:
        guide_by_id("zhuhai-service-trade-2099")
    assert "2099" in info.value.reason


# --------------------------------------------------------------------------- refusals


def _write(tmp_path: Path, text: str, name: str = "bad.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"edit anchor not unique: {old!r}"
    return text.replace(old, new)


def _refused(path: Path) -> GuideError:
    with pytest.raises(GuideError) as info:
        load_guide(path)
    err = info.value
    assert err.path == str(path)
    assert str(path) in err.message and err.reason in err.message
    assert err.key in err.message or err.key == "（文件）"
    return err


# (anchor in the shipped text, replacement, expected key path, a word of the reason)
REFUSALS = {
    "syntax_error": ("format = 1\n", "format = = 1\n", "（文件）", "TOML"),
    "unknown_top_level_key": (
        'short_title = "2019年服务贸易发展事项"\n',
        'short_title = "2019年服务贸易发展事项"\nshort_titel = "x"\n',
        "short_titel",
        "未知的键",
    ),
    "unknown_item_key": (
        'cost_measure = "tt_cost_cny"',
        'cost_measur = "tt_cost_cny"',
        "items[第4个：technology_trade].cost_measur",
        "未知的键",
    ),
    "unknown_column_key": (
        '{ id = "affiliated", label = "集团关联公司", type = "bool", required = false,',
        '{ id = "affiliated", label = "集团关联公司", type = "bool", requird = false,',
        "tables.contracts.columns[第6个：affiliated].requird",
        "未知的键",
    ),
    "unknown_document_key": (
        'title = "项目简单说明"\n',
        'title = "项目简单说明"\nper_rows = true\n',
        "documents.tcm_project_description.per_rows",
        "未知的键",
    ),
    "wrong_type_year": ("year = 2019\n", 'year = "2019"\n', "year", "整数"),
    "wrong_type_flag": (
        'kind = "scan"\noriginal = true\n',
        'kind = "scan"\noriginal = "yes"\n',
        "documents.tge_customs_certificate.original",
        "true 或 false",
    ),
    "wrong_type_date": (
        "period_start = 2018-01-01",
        'period_start = "2018"',
        "period_start",
        "日期",
    ),
    "unknown_field_type": (
        '{ id = "course_months", label = "培训时长（月）", type = "decimal" }',
        '{ id = "course_months", label = "培训时长（月）", type = "float" }',
        "items[第11个：talent_training].inputs[第3个：course_months].type",
        "float",
    ),
    "duplicate_item_id": (
        'id = "culture_service_export"',
        'id = "culture_translation"',
        "items",
        "culture_translation 重复",
    ),
    "dangling_document": (
        'documents = ["ct_contracts", "ct_payment_vouchers"]',
        'documents = ["ct_contracts", "ct_payment_voucher"]',
        "items[第5个：culture_translation].documents",
        "ct_payment_voucher",
    ),
    "dangling_base_document": (
        'base_documents = ["application_form", "business_license", "credit_record"]',
        'base_documents = ["application_form", "business_licence", "credit_record"]',
        "base_documents",
        "business_licence",
    ),
    "dangling_condition_measure": (
        '{ measure = "sts_amount_usd", op = ">="',
        '{ measure = "sts_amount_eur", op = ">="',
        "items[第1个：service_trade_statistics].conditions[第2个].measure",
        "sts_amount_eur",
    ),
    "dangling_ceiling_measure": (
        'measure = "onshore_execution_usd", tiers',
        'measure = "onshore_total_usd", tiers',
        "items[第2个：outsourcing_onshore].ceiling.measure",
        "onshore_total_usd",
    ),
    "dangling_cost_measure": (
        'cost_measure = "tt_cost_cny"',
        'cost_measure = "tt_costs_cny"',
        "items[第4个：technology_trade].cost_measure",
        "tt_costs_cny",
    ),
    "tiers_not_ascending": (
        "[[1000000, 50000], [5000000, 100000], [10000000, 150000]]",
        "[[1000000, 50000], [10000000, 150000], [5000000, 100000]]",
        "items[第2个：outsourcing_onshore].ceiling.tiers",
        "从小到大",
    ),
    "tiers_equal_bounds": (
        "[[200, 50000], [500, 100000], [1000, 150000]]",
        "[[200, 50000], [500, 100000], [500, 150000]]",
        "items[第11个：talent_training].ceiling.tiers",
        "从小到大",
    ),
    "per_row_document_without_table": (
        'documents = ["ct_contracts", "ct_payment_vouchers"]',
        'documents = ["ct_contracts", "ct_payment_vouchers", "tcm_contracts"]',
        "items[第5个：culture_translation].documents",
        "tcm_contracts",
    ),
    "money_without_unit": (
        '{ id = "annual_salary", label = "年薪（元）", type = "money", unit = "CNY" }',
        '{ id = "annual_salary", label = "年薪（元）", type = "money" }',
        "tables.persons.columns[第7个：annual_salary].type",
        "unit 或 currency_field",
    ),
    "money_with_unit_and_currency_field": (
        '{ id = "cost", label = "认证费用", type = "money", currency_field = "currency" }',
        '{ id = "cost", label = "认证费用", type = "money", currency_field = "currency", unit = "CNY" }',
        "tables.certifications.columns[第7个：cost].type",
        "unit 或 currency_field",
    ),
    "unknown_currency_unit": (
        '{ id = "annual_salary", label = "年薪（元）", type = "money", unit = "CNY" }',
        '{ id = "annual_salary", label = "年薪（元）", type = "money", unit = "RMB" }',
        "tables.persons.columns[第7个：annual_salary].unit",
        "RMB",
    ),
    "unknown_currency_default": (
        '{ id = "currency", label = "币种", type = "currency", default = "CNY" }',
        '{ id = "currency", label = "币种", type = "currency", default = "RMB" }',
        "tables.certifications.columns[第6个：currency].default",
        "RMB",
    ),
    "format_too_new": ("format = 1\n", "format = 2\n", "format", "升级"),
    "duplicate_deadline_id": (
        'id = "final_submission"',
        'id = "district_review"',
        "deadlines",
        "district_review 重复",
    ),
    "unknown_op": (
        '{ column = "tax_months", op = ">"',
        '{ column = "tax_months", op = "=>"',
        "items[第10个：talent_introduction].row_conditions[第4个].op",
        "=>",
    ),
    "row_condition_unknown_column": (
        '{ column = "tax_months", op = ">"',
        '{ column = "tax_month", op = ">"',
        "items[第10个：talent_introduction].row_conditions[第4个].column",
        "persons",
    ),
    "unknown_exclusive_item": (
        'exclusive_with = ["tcm_projects"]',
        'exclusive_with = ["tcm_project"]',
        "items[第8个：tcm_general_export].exclusive_with",
        "tcm_project",
    ),
    "per_row_base_document": (
        'base_documents = ["application_form", "business_license", "credit_record"]',
        'base_documents = ["application_form", "business_license", "tcm_contracts"]',
        "base_documents",
        "tcm_contracts",
    ),
    "measure_unknown_table": (
        'kind = "count"\ntable = "trainees"',
        'kind = "count"\ntable = "trainee"',
        "measures.roster_count.table",
        "trainee",
    ),
    "generated_from_unknown_table": (
        'generator = "table:policies"',
        'generator = "table:policy"',
        "documents.eci_policy_list.generator",
        "policy",
    ),
    "narrative_without_headings": (
        'headings = ["一、项目基本情况", "二、合作方及服务内容", "三、项目业绩收入情况"]\n',
        "",
        "documents.tcm_project_description.headings",
        "标题",
    ),
    "where_choice_typo": (
        'where = { scope = "offshore" }\nperiod',
        'where = { scope = "ofshore" }\nperiod',
        "measures.offshore_execution_usd.where",
        "ofshore",
    ),
    "where_bool_as_text": (
        'where = { scope = "onshore", affiliated = true }',
        'where = { scope = "onshore", affiliated = "true" }',
        "measures.onshore_affiliated_usd.where",
        "affiliated",
    ),
    "required_when_unknown_table": (
        'required_when = { table = "contracts", where = { scope = "onshore" } }',
        'required_when = { table = "contract", where = { scope = "onshore" } }',
        "documents.oso_invoices.required_when",
        "contract",
    ),
    "required_when_choice_typo": (
        'required_when = { table = "contracts", where = { scope = "onshore" } }',
        'required_when = { table = "contracts", where = { scope = "onshor" } }',
        "documents.oso_invoices.required_when",
        "onshor",
    ),
    "where_unknown_column": (
        'where = { scope = "offshore" }\nperiod',
        'where = { scop = "offshore" }\nperiod',
        "measures.offshore_execution_usd.where",
        "scop",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refusal_names_file_key_and_reason(tmp_path: Path, guide_text: str, case: str) -> None:
    old, new, key, word = REFUSALS[case]
    err = _refused(_write(tmp_path, _edit(guide_text, old, new)))
    assert err.key == key
    assert word in err.reason


def test_refusal_missing_file(tmp_path: Path) -> None:
    err = _refused(tmp_path / "nowhere.toml")
    assert err.key == "（文件）"
    assert "不存在" in err.reason


def test_refusal_of_an_unreadable_encoding(tmp_path: Path, guide_text: str) -> None:
    path = tmp_path / "gbk.toml"
    path.write_bytes(guide_text.encode("gbk"))
    err = _refused(path)
    assert err.key == "（文件）"
    assert "UTF-8" in err.reason


def test_the_edited_copy_of_the_shipped_file_still_loads(tmp_path: Path, guide_text: str) -> None:
    """The refusal tests edit the shipped text: an unedited copy must load, so each refusal
    is due to its edit alone."""
    assert load_guide(_write(tmp_path, guide_text)).item_ids == ITEM_IDS


def _minimal() -> dict[str, object]:
    """The smallest valid guide, as the dict tomllib would produce."""
    return {
        "format": 1,
        "id": "tiny",
        "year": 2021,
        "title": "标题",
        "short_title": "短标题",
        "issuer": "发文机关",
        "form_title": "申请表",
        "packet_title": "申报材料",
        "period_start": dt.date(2020, 1, 1),
        "period_end": dt.date(2020, 12, 31),
        "districts": ["甲区"],
        "base_documents": ["form"],
        "currencies": [
            {"code": "USD", "name": "美元", "per_usd": "1"},
            {"code": "CNY", "name": "人民币", "per_usd": "7"},
        ],
        "business_types": [],
        "conditions": [],
        "deadlines": [],
        "tables": {
            "rows": {
                "title": "明细",
                "sheet": "明细表",
                "row_label": "name",
                "columns": [
                    {"id": "name", "label": "名称", "type": "text"},
                    {"id": "amount", "label": "金额", "type": "money", "unit": "CNY"},
                ],
            }
        },
        "measures": {
            "total": {
                "label": "合计",
                "kind": "sum",
                "table": "rows",
                "column": "amount",
                "unit": "CNY",
            }
        },
        "documents": {
            "form": {"title": "申请表", "kind": "generated", "generator": "application_form"},
            "scan": {"title": "复印件", "kind": "scan", "per_row": True},
        },
        "items": [
            {
                "id": "only",
                "number": "一、",
                "title": "唯一项目",
                "category": "类",
                "summary": "概要",
                "table": "rows",
                "documents": ["scan"],
                "conditions": [
                    {"measure": "total", "op": ">", "value": 0, "reason": "合计须大于0。"}
                ],
                "ceiling": {"kind": "share", "measure": "total", "percent": 50, "cap": 1000},
            }
        ],
    }


def test_minimal_dict_parses() -> None:
    g = parse_guide(_minimal(), "tiny.toml")
    assert g.item_ids == ("only",)
    assert g.item("only").ceiling.cap == Decimal(1000)


def test_minimal_dict_refusals() -> None:
    data = _minimal()
    items = data["items"]
    assert isinstance(items, list)
    items[0]["table"] = 5  # not a string
    with pytest.raises(GuideError) as info:
        parse_guide(data, "tiny.toml")
    assert info.value.path == "tiny.toml"
    assert info.value.key == "items[第1个：only].table"

    data = _minimal()
    data["currencies"] = [{"code": "USD", "name": "美元", "per_usd": "1"}]
    with pytest.raises(GuideError) as info:
        parse_guide(data, "tiny.toml")
    # USD and CNY are no longer required: the unit naming the missing CNY is refused instead
    assert (
        info.value.key == "tables.rows.columns[第2个：amount].unit" and "CNY" in info.value.reason
    )

    data = _minimal()
    items = data["items"]
    assert isinstance(items, list)
    del items[0]["table"]  # a per-row document in an item without a table
    with pytest.raises(GuideError) as info:
        parse_guide(data, "tiny.toml")
    assert info.value.key == "items[第1个：only].documents" and "scan" in info.value.reason


# -- the optional output keys (issue 18.2): each refused with its key when meaningless ----------


def _with(**changes: object) -> dict[str, object]:
    data = _minimal()
    for path, value in changes.items():
        node: Any = data
        *parents, last = path.split("__")
        for p in parents:
            node = node[p]
        node[last] = value
    return data


@pytest.mark.parametrize(
    ("changes", "key", "reason"),
    [
        (
            {"tables__rows__totals": [{"measure": "nowhere", "label": "合计"}]},
            "tables.rows.totals",
            "未知的计算项 nowhere",
        ),
        (
            {"tables__rows__checks": [{"column": "amount", "op": "≤", "other": "amount",
                                       "message": "m"}]},
            "tables.rows.checks[第1个].op",
            "未知比较",
        ),
        (
            {"tables__rows__checks": [{"column": "name", "op": "<=", "other": "amount",
                                       "message": "m"}]},
            "tables.rows.checks[第1个].column",
            "数值或日期列",
        ),
        ({"conversion": {"anchor": "EUR"}}, "conversion.anchor", "未知币种 EUR"),
        ({"form": {"opinion_seal": "（公章）"}}, "form.opinion_title", "opinion_title"),
        (
            {
                "business_catalogue": {"categories": ["A"]},
                "business_types": [{"id": "x", "name": "某业务", "category": "B"}],
            },
            "business_types[第1个：x].category",
            "应为 A 之一",
        ),
        (
            {"company_fields": [{"id": "size", "label": "规模", "type": "int"}]},
            "company_fields[第1个：size].type",
            "text 或 choice",
        ),
        (
            {"company_fields": [{"id": "phone", "label": "电话", "type": "text"}]},
            "company_fields[第1个：phone].id",
            "重复",
        ),
        (
            {"template_facts": [{"match": "收入", "facts": [{"kind": "guess"}]}]},
            "template_facts[第1个].facts[第1个].kind",
            "未知的内容 guess",
        ),
        (
            {"template_facts": [{"match": "收入", "facts": [{"kind": "measure",
                                                            "measure": "nowhere"}]}]},
            "template_facts[第1个]",
            "未知的计算项 nowhere",
        ),
        ({"template_prompts": [{"match": "收入", "text": "写", "x": 1}]}, "template_prompts[第1个].x",
         "未知的键"),
    ],
)  # fmt: skip
def test_output_keys_refused_with_their_key(
    changes: dict[str, object], key: str, reason: str
) -> None:
    with pytest.raises(GuideError) as info:
        parse_guide(_with(**changes), "tiny.toml")
    assert info.value.key == key and reason in info.value.reason


def test_output_keys_absent_give_neutral_defaults_and_present_load() -> None:
    g = parse_guide(_minimal(), "tiny.toml")
    assert g.conversion is None and g.cover_boxes == () and g.form.opinion_title == ""
    assert g.table("rows").totals == () and g.table("rows").checks == ()
    assert g.fallback_currency == "USD"  # the first currency when no anchor is declared
    assert g.reference == "标题"  # no 文号: no brackets
    data = _with(
        document_no="某〔2021〕1号",
        cover_boxes=["正本", "副本"],
        conversion={"anchor": "CNY", "rate_source": "某表"},
        tables__rows__totals=[{"measure": "total", "label": "总额（元）"}],
    )
    g = parse_guide(data, "tiny.toml")
    assert g.reference == "标题（某〔2021〕1号）" and g.fallback_currency == "CNY"
    assert g.table("rows").totals[0].label == "总额（元）" and g.cover_boxes == ("正本", "副本")
