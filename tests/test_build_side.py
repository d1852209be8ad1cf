"""The build's side outputs (the Excel file and the Word templates) written in a
process of their own while the PDF is assembled: the same files as when written in the build's
own process, our refusals with their message, a dead process replaced, a cancel honoured, and
nothing left running."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from app.guide.registry import project_guide
from app.outputs.build import BuildOptions, build, toc_rows
from app.outputs.side import SideJob, SideOutputs, dumps
from app.packet.draw import Context, measure_parts
from app.packet.layout import Layout
from app.packet.plan import make_plan
from app.rules.evaluation import evaluate
from app.system.errors import BuildCancelled, OutputError
from tests.packet_fixtures import MemorySource, project
from tests.pdftools import pdf_text

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2019, 1, 10)
SELECTED = ["outsourcing_onshore", "international_certification", "export_credit_insurance"]


def _cells(path: Path) -> dict[str, list[list[object]]]:
    wb = load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def _docx_text(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def test_written_elsewhere_the_outputs_are_those_written_here(tmp_path: Path) -> None:
    results = {}
    for elsewhere in (False, True):
        out = tmp_path / ("elsewhere" if elsewhere else "here")
        results[elsewhere] = build(
            MemorySource(project(SELECTED)),
            out,
            BuildOptions(),
            today=TODAY,
            side_process=elsewhere,
        )
    here, there = results[False], results[True]
    assert _cells(there.workbook) == _cells(here.workbook)
    assert [p.name for p in there.templates] == [p.name for p in here.templates] != []
    for a, b in zip(there.templates, here.templates, strict=True):
        assert _docx_text(a) == _docx_text(b)
    assert pdf_text(there.originals) == pdf_text(here.originals)
    # the checksum list names the files the other process wrote, with their digests
    listed = there.manifest.read_text(encoding="utf-8")
    assert there.workbook.name in listed and there.originals.name in listed


def test_a_script_without_a_main_guard_is_not_run_again_by_the_other_process(
    tmp_path: Path,
) -> None:
    """``multiprocessing``'s spawn would run the caller's main script again in the child: a
    script building without an ``if __name__ == "__main__"`` guard would build again there."""
    marker = tmp_path / "runs.txt"
    script = tmp_path / "build_once.py"
    script.write_text(
        "import datetime as dt, sys\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        f"open({str(marker)!r}, 'a').write('run\\n')\n"
        "from app.outputs.build import BuildOptions, build\n"
        "from tests.packet_fixtures import MemorySource, project\n"
        f"r = build(MemorySource(project({SELECTED!r})), __import__('pathlib').Path("
        f"{str(tmp_path / 'out')!r}), BuildOptions(), today=dt.date(2019, 1, 10),"
        " side_process=True)\n"
        "print(r.workbook.name)\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(".xlsx")
    assert marker.read_text(encoding="utf-8") == "run\n"


def _job(tmp_path: Path, folder: Path) -> SideJob:
    """The job a build of the sample selection hands over (its real plan's 目录 lines)."""
    data = project(SELECTED)
    guide = project_guide(data)
    evaluation = evaluate(guide, data)
    ctx = Context(guide, data, evaluation, Layout(), TODAY)
    plan = make_plan(guide, data, evaluation, BuildOptions(), measure_parts(ctx))
    return SideJob(
        folder,
        "示例.xlsx",
        "Word模板",
        tmp_path / "Word模板",
        guide,
        data,
        evaluation,
        tuple(toc_rows(plan)),
    )


def test_a_refusal_in_the_other_process_comes_back_with_its_message(tmp_path: Path) -> None:
    blocked = tmp_path / "一个文件"  # a file where the staging folder should be
    blocked.write_text("不是文件夹", encoding="utf-8")
    messages = []
    for in_process in (True, False):
        side = SideOutputs(_job(tmp_path, blocked), in_process=in_process)
        assert side.elsewhere is (not in_process)
        with pytest.raises(OutputError) as caught:
            side.result()
        messages.append(caught.value.message)
    assert messages[0] == messages[1]
    assert "示例.xlsx" in messages[1] and "输出文件夹" in messages[1]
    assert blocked.read_text(encoding="utf-8") == "不是文件夹"


def test_a_process_that_dies_is_replaced_by_writing_here(tmp_path: Path) -> None:
    folder = tmp_path / "staging"
    folder.mkdir()
    side = SideOutputs(_job(tmp_path, folder), in_process=False)
    assert side.elsewhere
    assert side._child is not None
    side._child.proc.kill()  # as the system would end it (out of memory, an antivirus)
    templates = side.result()
    assert (folder / "示例.xlsx").exists()
    assert templates and all(t.exists() for t in templates)
    assert not side.elsewhere


def test_a_cancel_while_waiting_ends_the_other_process(tmp_path: Path) -> None:
    folder = tmp_path / "staging"
    folder.mkdir()
    side = SideOutputs(_job(tmp_path, folder), in_process=False)
    assert side._child is not None
    proc = side._child.proc
    with pytest.raises(BuildCancelled):
        side.result(cancel=lambda: True)
    assert not side.elsewhere
    assert proc.poll() is not None  # ended, not left running


def test_the_job_travels_whole(tmp_path: Path) -> None:
    """The data holds read-only mappings (the company's extra fields): they arrive equal and
    still read-only."""
    import pickle
    import types

    job = _job(tmp_path, tmp_path)
    assert isinstance(job.data.company.extra, types.MappingProxyType)
    back = pickle.loads(dumps(job))
    assert back == job
    assert isinstance(back.data.company.extra, types.MappingProxyType)


def test_the_self_tests_probe_starts_a_process_and_hears_from_it() -> None:
    from app.outputs.side import process_works

    assert process_works()
