"""docs/manifest.md: its generated sections match the guide file and the bundled sample."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.guide import Guide, load_guide
from app.manifest.doc import (
    DOC_PATH,
    SECTIONS,
    StaleMarkers,
    default_sections,
    markers,
    render_reference,
    sections,
    update_document,
)
from app.model import COMPANY_FIELDS
from app.outputs.demo import SAMPLE_MANIFEST

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC_PATH.read_text(encoding="utf-8")


def between(text: str, name: str) -> str:
    begin, end = markers(name)
    return text.split(begin, 1)[1].split(end, 1)[0]


def test_generated_sections_are_up_to_date(doc: str) -> None:
    fresh = update_document(doc, default_sections())
    assert fresh == doc, "docs/manifest.md is out of date: run python tools/gen_manifest_doc.py"


def test_every_section_has_its_markers(doc: str) -> None:
    for name in SECTIONS:
        begin, end = markers(name)
        assert doc.count(begin) == 1 and doc.count(end) == 1, name
        assert doc.index(begin) < doc.index(end)


def test_reference_lists_every_item_input_column_and_document(doc: str, guide: Guide) -> None:
    ref = between(doc, "reference")
    for item in guide.items:
        assert f"#### `{item.id}` — {item.full_title}" in ref
        section = ref.split(f"#### `{item.id}`", 1)[1].split("####", 1)[0]
        for spec in item.inputs:
            assert f"| `{spec.id}` |" in section and spec.label in section, (item.id, spec.id)
        for doc_id in item.documents:
            title = guide.document(doc_id).title
            assert f"| `{doc_id}` | {title} |" in section, (item.id, doc_id)
    for table in guide.tables:
        section = ref.split(f"#### `{table.id}` — “{table.title}”", 1)[1].split("####", 1)[0]
        for col in table.columns:
            assert f"| `{col.id}` |" in section and col.label in section, (table.id, col.id)
    for d in guide.documents:
        assert f"| `{d.id}` | {d.title} |" in ref
    for c in guide.currencies:
        assert f"| `{c.code}` | {c.name} | {c.rate.describe(c.name)} |" in ref
    for b in guide.business_types:
        assert f"| `{b.id}` | {b.name} | {b.category} |" in ref
    for district in guide.districts:
        assert district in ref


def test_per_row_and_generated_documents_are_marked(doc: str, guide: Guide) -> None:
    ref = between(doc, "reference")
    row = next(line for line in ref.splitlines() if line.startswith("| `ic_certificate` |"))
    assert "**per row**" in row
    row = next(line for line in ref.splitlines() if line.startswith("| `eci_policy_list` |"))
    assert "generated" in row and "per row" not in row


def test_money_columns_say_their_currency() -> None:
    ref = default_sections()["reference"]
    assert "| `execution_amount` | money (currency in `currency`) | 执行金额 |" in ref
    assert "| `annual_salary` | money (CNY) | 年薪（元） |" in ref
    assert "| `scope` | choice: `onshore` 在岸, `offshore` 离岸 | 在岸/离岸 |" in ref


def test_company_fields_section_lists_the_model_fields(doc: str) -> None:
    section = between(doc, "company-fields")
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert rows == [f"| `{key}` | {label} |" for key, label in COMPANY_FIELDS]


def test_example_is_the_sample_manifest_verbatim(doc: str) -> None:
    block = between(doc, "example").strip()
    assert block.startswith("```json\n") and block.endswith("\n```")
    body = block.removeprefix("```json\n").removesuffix("\n```")
    assert body == SAMPLE_MANIFEST.read_text(encoding="utf-8").rstrip("\n")
    assert json.loads(body)["format"] == "packet-assembler-manifest"


def test_documented_top_level_and_option_keys_cover_the_sample(doc: str) -> None:
    sample = json.loads(SAMPLE_MANIFEST.read_text(encoding="utf-8"))
    for key in sample:
        assert f"| `{key}` |" in doc, key
    for key in sample["options"]:
        assert f"| `{key}` |" in doc, key


def test_a_changed_guide_makes_the_doc_stale(tmp_path: Path, guide_text: str, doc: str) -> None:
    """Editing the guide file (a column label, a new document title) must show up as a
    difference, which is what makes test_generated_sections_are_up_to_date fail."""
    changed = guide_text.replace('label = "执行日期"', 'label = "执行日期（年月日）"').replace(
        'title = "劳动合同复印件"', 'title = "劳动合同及补充协议复印件"'
    )
    assert changed != guide_text
    path = tmp_path / "zhuhai-2019.toml"
    path.write_text(changed, encoding="utf-8")
    edited = load_guide(path)
    fresh = update_document(doc, sections(edited, SAMPLE_MANIFEST.read_text(encoding="utf-8")))
    assert fresh != doc
    ref = between(fresh, "reference")
    assert "执行日期（年月日）" in ref and "劳动合同及补充协议复印件" in ref
    assert render_reference(edited) != default_sections()["reference"]


def test_update_refuses_a_document_without_markers(doc: str) -> None:
    begin, _ = markers("reference")
    with pytest.raises(StaleMarkers):
        update_document(doc.replace(begin, ""), default_sections())
    with pytest.raises(StaleMarkers):
        update_document(doc + "\n" + doc, default_sections())


def test_update_is_idempotent_and_keeps_the_hand_written_text(doc: str) -> None:
    once = update_document(doc, default_sections())
    assert update_document(once, default_sections()) == once
    assert once.split(markers("company-fields")[0])[0] == doc.split(markers("company-fields")[0])[0]


def test_generator_check_mode_exits_zero_when_up_to_date() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_manifest_doc.py"), "--check"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "up to date" in done.stdout
