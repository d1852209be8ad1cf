"""The Windows release's inputs that can be checked anywhere: each program's own version
resource, the CLI's UTF-8 mode, Inno Setup 7 found before 6, the installer's per-machine mode,
clean upgrade and uninstall, the PATH task, and signing: which files get signed, the command
ISCC runs, and that an unsigned build says so. (The signing itself needs Windows: the tests run
a stand-in signtool that records its calls.)"""

from __future__ import annotations

import ast
import os
import stat
import sys
from pathlib import Path

import pytest

from app.system import about

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
sys.path.insert(0, str(PACKAGING))
from packaging_support import PROGRAMS, version_info_text  # noqa: E402
from signing import Signer  # noqa: E402

ISS = (PACKAGING / "installer.iss").read_text(encoding="utf-8-sig")
SPEC = (PACKAGING / "packet-assembler.spec").read_text(encoding="utf-8")


def test_each_program_has_its_own_version_resource() -> None:
    texts = {exe: version_info_text(exe, desc) for exe, desc in PROGRAMS.items()}
    assert set(texts) == {about.GUI_EXE, about.CLI_EXE}
    for exe, text in texts.items():
        ast.parse(text, mode="eval")
        assert f"StringStruct('OriginalFilename', '{exe}.exe')" in text
        assert f"StringStruct('InternalName', '{exe}')" in text
    assert texts[about.GUI_EXE] != texts[about.CLI_EXE]
    assert "命令行" in texts[about.CLI_EXE]
    assert 'version_info-{name}.txt", name)' in SPEC


def test_the_console_program_runs_in_utf8_mode() -> None:
    assert '("X utf8", None, "OPTION")' in SPEC
    cli_line = next(line for line in SPEC.splitlines() if line.startswith("cli = program("))
    assert "X utf8" in cli_line


def test_inno_setup_7_is_found_before_6(tmp_path: Path) -> None:
    from build import iscc_candidates

    env = {
        "PROGRAMFILES(X86)": str(tmp_path / "x86"),
        "PROGRAMFILES": str(tmp_path / "pf"),
        "LOCALAPPDATA": str(tmp_path / "local"),
    }
    found = [str(p.relative_to(tmp_path)) for p in iscc_candidates(env)]
    assert found[0].startswith(str(Path("x86") / "Inno Setup 7"))
    assert any("Inno Setup 6" in f for f in found)
    assert max(i for i, f in enumerate(found) if "Inno Setup 7" in f) < min(
        i for i, f in enumerate(found) if "Inno Setup 6" in f
    )
    assert str(Path("local") / "Programs" / "Inno Setup 7" / "ISCC.exe") in found


def test_the_installer_offers_per_machine_installs_and_cleans_up() -> None:
    setup = ISS.split("\n[Setup]\n", 1)[1].split("\n[", 1)[0]
    assert "PrivilegesRequired=lowest" in setup
    assert "PrivilegesRequiredOverridesAllowed=dialog commandline" in setup
    assert "MinVersion=10.0" in setup
    assert (
        '[InstallDelete]\n; An upgrade must not leave libraries of the older version beside the new ones.\nType: filesandordirs; Name: "{app}\\_internal"'
        in ISS
    )
    registry = ISS.split("\n[Registry]\n", 1)[1].split("\n[", 1)[0]
    for line in (ln for ln in registry.splitlines() if ln.startswith("Root:")):
        # every key or value we create goes at uninstall: nothing empty stays behind
        assert "uninsdelete" in line or "DefaultIcon" in line or "shell\\open" in line, line
    assert 'Software\\Classes\\.sbproj"' in registry and "uninsdeletekeyifempty" in registry


def test_the_path_task_adds_and_removes_the_install_folder() -> None:
    assert 'Name: "addtopath"' in ISS and "Flags: unchecked" in ISS
    code = ISS.split("\n[Code]\n", 1)[1]
    assert "IsAdminInstallMode" in code and "HKEY_LOCAL_MACHINE" in code
    assert "WizardIsTaskSelected('addtopath')" in code
    assert "usPostUninstall" in code and "RemoveFromPath" in code
    assert "ChangesEnvironment=yes" in ISS


def test_unsigned_setups_are_named_so_and_signed_ones_sign_the_uninstaller() -> None:
    assert "#ifdef Unsigned" in ISS and "-unsigned-setup" in ISS
    signed = ISS.split("#ifdef SignSetup", 1)[1].split("#endif", 1)[0]
    assert "SignTool=ours" in signed and "SignedUninstaller=yes" in signed


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in signtool is a POSIX script")
def test_signing_signs_exactly_the_unsigned_executables(tmp_path: Path) -> None:
    log = tmp_path / "calls.txt"
    signed_list = tmp_path / "signed.txt"
    signed_list.write_text("", encoding="utf-8")
    tool = tmp_path / "signtool"
    tool.write_text(
        "#!/bin/sh\n"
        f'echo "$@" >> "{log}"\n'
        'if [ "$1" = verify ]; then\n'
        f'  grep -qxF "$4" "{signed_list}" && exit 0 || exit 1\n'
        "fi\n"
        f'for f in "$@"; do case "$f" in /*) echo "$f" >> "{signed_list}";; esac; done\n',
        encoding="utf-8",
    )
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)
    bundle = tmp_path / "PacketAssembler"
    (bundle / "_internal" / "PIL").mkdir(parents=True)
    files = {
        "PacketAssembler.exe": False,
        "PacketAssembler-cli.exe": False,
        "_internal/Qt6Core.dll": True,  # signed by its publisher
        "_internal/pdfium.dll": False,
        "_internal/PIL/_imaging.cp311-win_amd64.pyd": False,
        "_internal/base_library.zip": False,  # not an executable file
    }
    for rel, already in files.items():
        (bundle / rel).write_bytes(b"MZ")
        if already:
            with signed_list.open("a", encoding="utf-8") as fh:
                fh.write(f"{bundle / rel}\n")
    env = {"SIGNTOOL": str(tool), "SIGN_CERT_FILE": "c:/cert.pfx", "SIGN_CERT_PASSWORD": "pw"}
    signer = Signer.from_environment(env)
    assert signer is not None
    done = signer.sign_bundle(bundle)
    names = sorted(p.relative_to(bundle).as_posix() for p in done)
    assert names == sorted(
        rel for rel, already in files.items() if not already and not rel.endswith(".zip")
    )
    sign_calls = [
        ln for ln in log.read_text(encoding="utf-8").splitlines() if ln.startswith("sign")
    ]
    assert len(sign_calls) == 1 and "/fd sha256 /f c:/cert.pfx /p pw" in sign_calls[0]
    assert "Qt6Core.dll" not in sign_calls[0]


def test_no_certificate_means_no_signer_and_iscc_gets_the_sign_command(tmp_path: Path) -> None:
    tool = tmp_path / "signtool.exe"
    tool.write_bytes(b"")
    assert Signer.from_environment({"SIGNTOOL": str(tool)}) is None
    signer = Signer.from_environment(
        {"SIGNTOOL": str(tool), "SIGN_CERT_SHA1": "ab12", "SIGN_TIMESTAMP_URL": "http://ts"}
    )
    assert signer is not None
    command = signer.iscc_command()
    assert (
        command.endswith("$f") and "/sha1 ab12" in command and "/tr http://ts /td sha256" in command
    )
    assert os.path.basename(signer.signtool) == "signtool.exe"
