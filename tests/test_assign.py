"""Folder-drop assignment: each file of a dropped folder proposed to a document by its name."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from app.intake.assign import propose, targets
from app.manifest.load import load_manifest
from app.model import EvidenceFile
from app.outputs.demo import SAMPLE_DIR, SAMPLE_MANIFEST


def test_every_sample_file_goes_where_the_sample_manifest_has_it() -> None:
    manifest = load_manifest(SAMPLE_MANIFEST)
    truth = {ref.path.name: (ref.document_id, ref.row_id) for ref in manifest.evidence}
    files = sorted((SAMPLE_DIR / "scans").iterdir())
    assert len(files) == len(truth) == 32
    proposals = propose(manifest.guide, manifest.data, files)
    wrong = [(p.path.name, p.key, p.reason) for p in proposals if p.key != truth[p.path.name]]
    assert wrong == []
    assert all(p.reason.startswith("文件名含") for p in proposals)


def test_files_it_cannot_place_are_left_with_the_reason() -> None:
    manifest = load_manifest(SAMPLE_MANIFEST)
    names = [
        "IMG_0001.jpg",  # no document word
        "发票.jpg",  # 在岸 invoices or the insurance premium's?
        "王五-劳动合同.jpg",  # a person not in the table: which person's?
        "周明轩 个税.pdf",  # a variant word and the person's name
        "营业执照（正本）.png",
    ]
    got = {p.path.name: p for p in propose(manifest.guide, manifest.data, [Path(n) for n in names])}
    assert got["IMG_0001.jpg"].key is None
    assert "没有可识别" in got["IMG_0001.jpg"].reason
    assert got["发票.jpg"].key is None
    assert "税务局出具的发票" in got["发票.jpg"].reason and "保险费发票" in got["发票.jpg"].reason
    assert got["王五-劳动合同.jpg"].key is None
    assert (
        "周明轩" in got["王五-劳动合同.jpg"].reason and "何静怡" in got["王五-劳动合同.jpg"].reason
    )
    assert got["周明轩 个税.pdf"].key == ("ti_income_tax", "person-01")
    assert got["营业执照（正本）.png"].key == ("business_license", None)


def test_targets_name_the_row_of_per_row_documents() -> None:
    manifest = load_manifest(SAMPLE_MANIFEST)
    labels = {t.key: t.label for t in targets(manifest.guide, manifest.data)}
    assert labels[("ti_labour_contract", "person-01")] == "周明轩：劳动合同复印件"
    assert ("business_license", None) in labels


def test_a_file_already_attached_is_not_proposed_again() -> None:
    manifest = load_manifest(SAMPLE_MANIFEST)
    attached = EvidenceFile("f1", "business_license", None, "营业执照副本.jpg", "0" * 64, 1, 0)
    data = replace(manifest.data, evidence=(attached,))
    (p,) = propose(manifest.guide, data, [Path("扫描件/营业执照副本.jpg")])
    assert p.key is None and "已有同名文件" in p.reason and "营业执照" in p.reason
