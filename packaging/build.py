"""Build the one-folder bundle with PyInstaller, then smoke-test it as a user would meet it.

    python packaging/build.py [--zip] [--installer] [--sign]

The bundle (dist/PacketAssembler/) holds two programs sharing one _internal/ folder:
PacketAssembler (windowed) and PacketAssembler-cli (console). The smoke test moves the bundle
into a folder whose path has Chinese characters and a space, runs the frozen `selftest` and
`demo --out` from another working directory with a fresh user-data folder, checks that nothing
was written into the bundle (installs are read-only), and moves it back.
--zip also writes the portable zip; --installer compiles packaging/installer.iss with Inno
Setup's ISCC (6 or 7; Windows only). --sign (Windows) signs, right after PyInstaller and before
the smoke test, every .exe, .dll and .pyd of the bundle that is not signed yet (PyInstaller's
bootloaders, PDFium, qpdf, pikepdf, Pillow, lxml, cryptography...), then the installer and its
uninstaller, with signtool and the certificate the environment names:

    SIGN_CERT_FILE + SIGN_CERT_PASSWORD   a .pfx file and its password, or
    SIGN_CERT_SHA1                        the thumbprint of a certificate in the user's store;
    SIGN_TIMESTAMP_URL                    an RFC 3161 time-stamp server (recommended).

Without --sign (or without a certificate) the zip and the installer are named "-unsigned" and
the build says so: Smart App Control blocks unsigned programs on clean Windows 11 installs.
PyInstaller does not cross-compile: a Windows bundle is built by this same command on Windows.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from packaging_support import PROGRAMS, about, version_info_text  # noqa: E402
from signing import Signer  # noqa: E402

SPEC = HERE / "packet-assembler.spec"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""


def say(text: str) -> None:
    print(f"[build] {text}", flush=True)


def pyinstaller(dist: Path, work: Path) -> Path:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        sys.exit('PyInstaller is missing: pip install -e ".[packaging]" (or the pinned version)')
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    cmd += ["--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    say(" ".join(cmd))
    subprocess.run(cmd, check=True, cwd=ROOT)
    bundle = dist / about.GUI_EXE
    for name in (about.GUI_EXE, about.CLI_EXE):
        if not (bundle / (name + EXE_SUFFIX)).is_file():
            sys.exit(f"the bundle has no {name}{EXE_SUFFIX}")
    return bundle


def check_version_resource() -> None:
    """Each program's version resource must parse as PyInstaller reads it on Windows (its
    loader needs pefile, a Windows-only dependency: elsewhere the text is checked as Python
    syntax) and name that program."""
    for exe, description in PROGRAMS.items():
        text = version_info_text(exe, description)
        if sys.platform == "win32":
            from PyInstaller.utils.win32.versioninfo import load_version_info_from_text_file

            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "version_info.txt"
                path.write_text(text, encoding="utf-8")
                text = str(load_version_info_from_text_file(str(path)))
        else:
            ast.parse(text, mode="eval")
        if about.APP_NAME not in text or about.VERSION not in text or f"{exe}.exe" not in text:
            sys.exit(f"the version resource of {exe} lost its name or version")


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def bundle_size(folder: Path) -> tuple[int, int]:
    """Bytes and files, symbolic links (PyInstaller makes a few on Linux) not counted twice."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def run_timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", errors="replace"
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(
            f"smoke test failed: {' '.join(cmd)} exited {proc.returncode}\n"
            f"{proc.stdout}\n{proc.stderr}"
        )
    return elapsed, proc.stdout


def smoke_test(bundle: Path) -> None:
    """Run the frozen programs from a Chinese path with a space, the cwd elsewhere."""
    odd_parent = bundle.parent / "冒烟 测试" / "申报 材料助手"
    if odd_parent.parent.exists():
        shutil.rmtree(odd_parent.parent)
    odd_parent.mkdir(parents=True)
    moved = odd_parent / bundle.name
    bundle.rename(moved)  # same file system: instant, and the bundle must not care where it is
    try:
        before = snapshot(moved)
        with tempfile.TemporaryDirectory(prefix="smoke-") as tmp:
            cwd = Path(tmp) / "别处 工作目录"
            cwd.mkdir()
            env = dict(os.environ)
            env["QT_QPA_PLATFORM"] = "offscreen"
            env["PACKET_ASSEMBLER_HOME"] = str(Path(tmp) / "用户 数据")
            cli = str(moved / (about.CLI_EXE + EXE_SUFFIX))
            gui = str(moved / (about.GUI_EXE + EXE_SUFFIX))
            timings = []
            for _ in range(3):
                elapsed, out = run_timed([cli, "selftest"], cwd, env)
                timings.append(elapsed)
            if "自检通过" not in out:
                sys.exit(f"frozen selftest printed no pass line: {out!r}")
            say(f"frozen selftest ok from {moved}: " + ", ".join(f"{t:.2f}s" for t in timings))
            # The windowed program (stdout/stderr None on Windows) must run the same checks.
            run_timed([gui, "selftest"], cwd, env)
            say("windowed program selftest ok")
            out_dir = Path(tmp) / "输出 文件夹" / "示例"
            run_timed([cli, "demo", "--out", str(out_dir)], cwd, env)
            pdfs = list(out_dir.glob("*.pdf"))
            xlsx = list(out_dir.glob("*.xlsx"))
            if not pdfs or not xlsx:
                sys.exit(f"frozen demo wrote no PDF/Excel file into {out_dir}")
            say(f"frozen demo ok: {pdfs[0].name}, {xlsx[0].name}")
            elapsed, _ = run_timed([sys.executable, "main.py", "selftest"], ROOT, env)
            say(f"unfrozen python main.py selftest for comparison: {elapsed:.2f}s")
        after = snapshot(moved)
        if after != before:
            changed = sorted(set(after.items()) ^ set(before.items()))[:5]
            sys.exit(
                f"the programs wrote into their own folder (installs are read-only): {changed}"
            )
    finally:
        moved.rename(bundle)
        shutil.rmtree(odd_parent.parent, ignore_errors=True)
    size, count = bundle_size(bundle)
    say(f"bundle: {size / 2**20:.0f} MB in {count} files")


def platform_tag() -> str:
    return {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)


def make_zip(bundle: Path, signed: bool) -> Path:
    """The portable zip: one ASCII-named top folder (older unzip tools mangle non-ASCII names)."""
    top = f"{about.GUI_EXE}-{about.VERSION}"
    mark = "" if signed else "-unsigned"
    target = bundle.parent / f"{top}-{platform_tag()}{mark}-portable.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(bundle.rglob("*")):
            arc = f"{top}/{path.relative_to(bundle).as_posix()}"
            if path.is_file():
                zf.write(path, arc)
    say(f"zip: {target} ({target.stat().st_size / 2**20:.0f} MB)")
    return target


INNO_VERSIONS = ("Inno Setup 7", "Inno Setup 6")  # the newest first


def iscc_candidates(env: dict[str, str]) -> list[Path]:
    """Where Inno Setup's compiler is installed: per machine under Program Files (x86) or
    Program Files, per user under %LOCALAPPDATA%\\Programs; version 7 before 6."""
    bases = [env.get("PROGRAMFILES(X86)"), env.get("PROGRAMFILES")]
    if env.get("LOCALAPPDATA"):
        bases.append(str(Path(env["LOCALAPPDATA"]) / "Programs"))
    return [Path(b) / v / "ISCC.exe" for v in INNO_VERSIONS for b in bases if b]


def find_iscc() -> str | None:
    found = shutil.which("iscc")
    if found:
        return found
    for candidate in iscc_candidates(dict(os.environ)):
        if candidate.is_file():
            return str(candidate)
    return None


def make_installer(bundle: Path, signer: Signer | None) -> None:
    iscc = find_iscc()
    if sys.platform != "win32" or iscc is None:
        sys.exit("--installer needs Windows with Inno Setup 6 or 7 (ISCC.exe)")
    cmd = [
        iscc,
        f"/DAppVersion={about.VERSION}",
        f"/DAppPublisher={about.COMPANY}",
        f"/DGuiExe={about.GUI_EXE}.exe",
        f"/DCliExe={about.CLI_EXE}.exe",
        f"/DBundleDir={bundle}",
        f"/O{bundle.parent}",
    ]
    if signer is not None:  # the setup and its uninstaller, signed by ISCC as it writes them
        cmd += [f"/Sours={signer.iscc_command()}", "/DSignSetup=1"]
    else:
        cmd += ["/DUnsigned=1"]
    cmd.append(str(HERE / "installer.iss"))
    say(" ".join(c if not c.startswith("/Sours=") else "/Sours=<signtool ...>" for c in cmd))
    subprocess.run(cmd, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zip", action="store_true", help="also write the portable zip")
    parser.add_argument("--installer", action="store_true", help="also compile the installer")
    parser.add_argument(
        "--sign", action="store_true", help="sign the programs, libraries and installer"
    )
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    args = parser.parse_args()
    started = time.perf_counter()
    check_version_resource()
    signer = Signer.from_environment() if args.sign else None
    if args.sign and signer is None:
        sys.exit(
            "--sign needs signtool and SIGN_CERT_FILE (+ SIGN_CERT_PASSWORD) or SIGN_CERT_SHA1"
        )
    bundle = pyinstaller(args.dist.resolve(), args.work.resolve())
    say(f"built in {time.perf_counter() - started:.0f}s: {bundle}")
    if signer is not None:
        signed = signer.sign_bundle(bundle)
        say(f"signed {len(signed)} files of the bundle (those already signed were left alone)")
    else:
        say("UNSIGNED build: Smart App Control on clean Windows 11 blocks unsigned programs")
    smoke_test(bundle)
    if args.zip:
        make_zip(bundle, signed=signer is not None)
    if args.installer:
        make_installer(bundle, signer)
    say(f"done in {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
