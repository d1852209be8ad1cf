"""Authenticode signing of a Windows bundle with signtool (Windows SDK), for build.py --sign.

Smart App Control (clean Windows 11 installs) and many managed PCs refuse unsigned code: every
executable file we ship must be signed, ours and the libraries' (PyInstaller's bootloaders,
Qt, PDFium, qpdf, pikepdf, Pillow, lxml, cryptography...). Files already signed by their
publisher (Qt's, Python's own DLLs) keep their signature.

The certificate comes from the environment, never from the repository:
    SIGN_CERT_FILE + SIGN_CERT_PASSWORD   a .pfx file and its password, or
    SIGN_CERT_SHA1                        the thumbprint of a certificate in the user's store;
    SIGN_TIMESTAMP_URL                    an RFC 3161 time-stamp server (so signatures outlive
                                          the certificate); SIGNTOOL the signtool.exe to use.
Written against Microsoft's "SignTool" documentation: `sign /fd sha256 /tr URL /td sha256`
with `/f file /p password` or `/sha1 thumbprint`; `verify /pa` checks a file against the
default Authenticode policy (exit 0: signed and trusted).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SIGNED_SUFFIXES = (".exe", ".dll", ".pyd")
BATCH = 50  # files per signtool call: command lines stay well under Windows' 32,767 characters


def find_signtool(env: dict[str, str]) -> str | None:
    """SIGNTOOL, signtool on PATH, or the newest x64 signtool of an installed Windows SDK."""
    if env.get("SIGNTOOL") and Path(env["SIGNTOOL"]).is_file():
        return env["SIGNTOOL"]
    found = shutil.which("signtool")
    if found:
        return found
    kits = Path(env.get("PROGRAMFILES(X86)") or "C:/Program Files (x86)") / "Windows Kits" / "10"
    candidates = sorted((kits / "bin").glob("10.*/x64/signtool.exe"), reverse=True)
    return str(candidates[0]) if candidates else None


@dataclass(frozen=True)
class Signer:
    signtool: str
    certificate: tuple[str, ...]  # the signtool arguments naming the certificate
    timestamp: str = ""

    @classmethod
    def from_environment(cls, env: dict[str, str] | None = None) -> Signer | None:
        env = dict(os.environ) if env is None else env
        tool = find_signtool(env)
        if tool is None:
            return None
        if env.get("SIGN_CERT_FILE"):
            cert: tuple[str, ...] = ("/f", env["SIGN_CERT_FILE"])
            if env.get("SIGN_CERT_PASSWORD"):
                cert += ("/p", env["SIGN_CERT_PASSWORD"])
        elif env.get("SIGN_CERT_SHA1"):
            cert = ("/sha1", env["SIGN_CERT_SHA1"])
        else:
            return None
        return cls(tool, cert, env.get("SIGN_TIMESTAMP_URL", ""))

    def sign_arguments(self) -> list[str]:
        args = ["sign", "/fd", "sha256", *self.certificate]
        if self.timestamp:
            args += ["/tr", self.timestamp, "/td", "sha256"]
        return args

    def is_signed(self, path: Path) -> bool:
        done = subprocess.run(
            [self.signtool, "verify", "/pa", "/q", str(path)], capture_output=True, check=False
        )
        return done.returncode == 0

    def unsigned(self, folder: Path) -> list[Path]:
        """Every .exe/.dll/.pyd under ``folder`` that carries no valid signature."""
        files = sorted(
            p
            for p in folder.rglob("*")
            if p.suffix.lower() in SIGNED_SUFFIXES and p.is_file() and not p.is_symlink()
        )
        return [p for p in files if not self.is_signed(p)]

    def sign(self, files: Sequence[Path]) -> None:
        for start in range(0, len(files), BATCH):
            batch = [str(p) for p in files[start : start + BATCH]]
            subprocess.run([self.signtool, *self.sign_arguments(), *batch], check=True)

    def sign_bundle(self, bundle: Path) -> list[Path]:
        """Sign what is unsigned in the bundle, then check that nothing is left unsigned."""
        todo = self.unsigned(bundle)
        self.sign(todo)
        left = self.unsigned(bundle)
        if left:
            raise SystemExit(f"still unsigned after signing: {[str(p) for p in left[:5]]}")
        return todo

    def iscc_command(self) -> str:
        """The sign tool command ISCC runs for the setup and its uninstaller (``$f``: the file,
        quoted by ISCC's ``$q``)."""

        def quoted(text: str) -> str:
            return f"$q{text}$q" if " " in text else text

        parts = [quoted(self.signtool), *(quoted(a) for a in self.sign_arguments()), "$f"]
        return " ".join(parts)
