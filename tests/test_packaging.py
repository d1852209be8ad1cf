"""The frozen build's inputs: one version, the spec's data files, the windowed program's missing
console, and messages naming the installed program when frozen. The bundle itself is built and
smoke-tested by `python packaging/build.py` (and .ci/run)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from app.cli import commands as cli
from app.system import about

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "packet-assembler.spec"
sys.path.insert(0, str(ROOT / "packaging"))
from packaging_support import version_info_text  # noqa: E402


def test_one_version_everywhere() -> None:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta["version"] == about.VERSION
    pins = meta["optional-dependencies"]["packaging"]
    assert any(p.lower().startswith("pyinstaller==") for p in pins)
    text = version_info_text()
    ast.parse(text, mode="eval")
    assert about.APP_NAME in text and about.COMPANY in text and about.VERSION in text


def test_spec_bundles_every_data_file_the_program_reads() -> None:
    spec = SPEC.read_text(encoding="utf-8")
    for source in (
        '"checklists"',
        '"resources"',
        '"使用说明.md"',
        '"manifest.md"',
        '"screenshots"',
    ):
        assert source in spec
    for path in (
        ROOT / "checklists",
        ROOT / "resources" / "fonts",
        ROOT / "docs" / "使用说明.md",
        ROOT / "docs" / "manifest.md",
        ROOT / "docs" / "screenshots",
    ):
        assert path.exists(), path
    assert '"tkinter"' in spec
    assert "upx=True" not in spec and spec.count("upx=False") == 3


def test_messages_name_the_installed_program_when_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    assert about.command_name() == "python main.py"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    name = about.command_name()
    assert name.startswith(about.CLI_EXE)
    err = _Capture()
    assert cli.main(["build"], out=_Capture(), err=err) == cli.EXIT_USAGE
    assert f"运行 {name} --help" in err.text and "python main.py" not in err.text
    out = _Capture()
    cli.main([], out=out, err=_Capture())
    assert name in out.text


class _Capture:
    def __init__(self) -> None:
        self.text = ""

    def write(self, s: str) -> int:
        self.text += s
        return len(s)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("args", [["--help"], ["check", "缺少的项目.sbproj"], ["build"]])
def test_windowed_program_without_console_never_crashes(tmp_path: Path, args: list[str]) -> None:
    """A windowed program starts with sys.stdout and sys.stderr set to None."""
    code = (
        "import sys; sys.stdout = None; sys.stderr = None\n"
        f"sys.argv = ['main.py', *{args!r}]\n"
        "import main\n"
        "try:\n    rc = main.run()\nexcept SystemExit as exc:\n    rc = exc.code\n"
        f"open({str(tmp_path / 'rc')!r}, 'w').write(str(rc))\n"
    )
    env = dict(os.environ, PACKET_ASSEMBLER_HOME=str(tmp_path / "home"))
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "rc").read_text() == ("0" if args == ["--help"] else "2")


def test_installer_script_is_per_user_and_keeps_projects() -> None:
    iss = (ROOT / "packaging" / "installer.iss").read_text(encoding="utf-8-sig")
    assert "PrivilegesRequired=lowest" in iss
    assert "DefaultDirName={autopf}\\" in iss
    assert '#define AppName "申报材料助手"' in iss
    assert (
        'Name: "{autoprograms}\\{#AppName}"' in iss and 'Name: "{autodesktop}\\{#AppName}"' in iss
    )
    assert f'#define GuiExe "{about.GUI_EXE}.exe"' in iss
    assert "ChangesAssociations=yes" in iss
    assert '"""{app}\\{#GuiExe}"" ""%1"""' in iss  # the double-clicked file reaches main.py
    assert "\\DefaultIcon" in iss
    assert "[UninstallDelete]" not in iss and "HKCR" not in iss.split("\n[Registry]\n")[1]
    build = (ROOT / "packaging" / "build.py").read_text(encoding="utf-8")
    for define in ("AppVersion", "AppPublisher", "GuiExe", "BundleDir"):
        assert f"/D{define}=" in build and f"#ifndef {define}" in iss
