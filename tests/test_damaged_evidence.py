"""Damaged project files (bit flips): damaged evidence never reaches a packet, `check` reports
it by the file's name, `build` refuses naming the document and the file and leaves the output
folder as it was, and no flip gives an internal error or a misleading disk message."""

from __future__ import annotations

import datetime as dt
import io
import random
import shutil
from pathlib import Path

import pytest

from app.cli import main
from app.guide import guide_by_id
from app.manifest.load import load_manifest
from app.manifest.transfer import import_manifest
from app.outputs.build import BuildOptions, build
from app.outputs.demo import SAMPLE_MANIFEST
from app.project import ProjectStore
from app.system.errors import EvidenceDamagedError, ProjectFileError
from tests.outputs_support import snapshot

TODAY = dt.date(2019, 2, 1)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, dict[str, bytes]]:
    """The sample company's project file and every evidence file's stored PDF bytes."""
    path = tmp_path_factory.mktemp("pristine") / "示例.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), path)
    with ProjectStore.open(path) as store:
        pdfs = {f.id: store.evidence_pdf(f.id) for f in store.load().evidence}
    return path.read_bytes(), pdfs


def _flipped(data: bytes, at: int, bit: int) -> bytes:
    out = bytearray(data)
    out[at] ^= 1 << bit
    return bytes(out)


def _check(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", str(path), "--today", TODAY.isoformat()], out, err)
    return code, out.getvalue(), err.getvalue()


def _damage_pdf(data: bytes, pdf: bytes) -> bytes:
    """Flip a bit inside a stored PDF's bytes (everywhere a chunk of its middle occurs: a JPEG
    scan's bytes are in its original too)."""
    middle = len(pdf) // 2
    chunk = pdf[middle : middle + 48]
    out, at = bytearray(data), data.find(chunk)
    assert at > 0
    while at > 0:
        out[at + 20] ^= 1 << 3
        at = data.find(chunk, at + 1)
    return bytes(out)


def test_random_bit_flips_never_let_damaged_evidence_through(
    tmp_path: Path, pristine: tuple[bytes, dict[str, bytes]]
) -> None:
    """A generated family: 60 single-bit flips anywhere in a real project file (seeded)."""
    data, pdfs = pristine
    rng = random.Random(2026)
    seen = {"project damaged": 0, "pdf damaged": 0, "original damaged": 0, "harmless": 0}
    for n in range(60):
        path = tmp_path / f"v{n}.sbproj"
        path.write_bytes(_flipped(data, rng.randrange(len(data)), rng.randrange(8)))
        code, out, err = _check(path)
        assert "内部错误" not in err and "Traceback" not in err and "I/O" not in err
        if code == 2:  # the project file itself is damaged: named, and nothing else is read
            assert "已损坏" in err and str(path) in err
            seen["project damaged"] += 1
            continue
        with ProjectStore.open(path) as store:
            files = store.load().evidence
            damaged_pdfs = []
            for f in files:  # what a build reads: the intact bytes, or a refusal naming the file
                try:
                    assert store.evidence_pdf(f.id) == pdfs[f.id]
                except EvidenceDamagedError as exc:
                    assert f.name in exc.message
                    damaged_pdfs.append(f.name)
            damaged = store.damaged_evidence()
        if damaged_pdfs:
            seen["pdf damaged"] += 1
            assert code == 1 and "必须解决" in out
            assert all(name in out for name in damaged_pdfs)
        elif damaged:
            seen["original damaged"] += 1
            assert "原件" in out and "已损坏" in out
        else:
            seen["harmless"] += 1
    # (a scan's PDF is stored as what it adds to its original: a flip in the original's bytes
    # damages the PDF too, so "original damaged" alone is rare)
    assert seen["pdf damaged"] > 5


def test_a_damaged_scan_refuses_the_build_by_document_and_file_name(
    tmp_path: Path, pristine: tuple[bytes, dict[str, bytes]]
) -> None:
    data, pdfs = pristine
    path = tmp_path / "示例.sbproj"
    path.write_bytes(data)
    out = tmp_path / "输出"
    with ProjectStore.open(path) as store:
        build(store, out, BuildOptions(), today=TODAY)
        loaded = store.load()
    victim = loaded.evidence[3]
    before = snapshot(out)
    title = guide_by_id(loaded.guide_id).document(victim.document_id).title
    path.write_bytes(_damage_pdf(data, pdfs[victim.id]))

    code, report, _ = _check(path)
    assert code == 1
    assert f"“{victim.name}”已损坏" in report and title in report and "重新添加" in report

    with ProjectStore.open(path) as store, pytest.raises(EvidenceDamagedError) as caught:
        build(store, out, BuildOptions(), today=TODAY)
    message = caught.value.message
    assert f"“{title}”" in message and f"“{victim.name}”" in message and "重新添加" in message
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["示例.sbproj", "输出"]


def test_a_damaged_project_file_is_reported_by_check_not_left_to_the_build(
    tmp_path: Path, pristine: tuple[bytes, dict[str, bytes]]
) -> None:
    """Flips in the file's own structure (the first pages: header, schema, tables)."""
    data, _ = pristine
    refused = built = 0
    for n, at in enumerate(range(16, 4096 * 3, 509)):
        path = tmp_path / f"s{n}.sbproj"
        path.write_bytes(_flipped(data, at, n % 8))
        code, out, err = _check(path)
        assert "内部错误" not in err and "I/O" not in err + out
        if code == 2:
            refused += 1
            assert str(path) in err
            continue
        built += 1
        if built > 3:
            continue
        # check passed it: then build must not fail with anything but a clear message either
        work = tmp_path / f"out{n}"
        with ProjectStore.open(path) as store:
            try:
                build(store, work, BuildOptions(draft=True), today=TODAY)
            except ProjectFileError as exc:  # e.g. a damaged value found while building
                assert str(path) in exc.message or "证明材料" in exc.message
    assert refused > 0
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_the_file_by_file_check_finds_what_the_whole_check_finds(
    tmp_path: Path, pristine: tuple[bytes, dict[str, bytes]]
) -> None:
    """What the window runs in the background on opening (one file per read) agrees with the
    check of every file at once, file by file and part by part."""
    data, pdfs = pristine
    path = tmp_path / "示例.sbproj"
    path.write_bytes(data)
    with ProjectStore.open(path) as store:
        ids = [f.id for f in store.load().evidence]
    victim = ids[2]
    path.write_bytes(_damage_pdf(data, pdfs[victim]))
    with ProjectStore.open(path) as store:
        each = list(store.damaged_evidence_each())
        whole = store.damaged_evidence()
    assert sorted(file_id for file_id, _ in each) == sorted(ids)  # every file, each once
    assert {file_id: parts for file_id, parts in each if parts} == whole
    assert victim in whole and "pdf" in whole[victim]
