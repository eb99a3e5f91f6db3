#!/usr/bin/env python3
"""Build the Windows installer: compile translations, PyInstaller one-dir, then NSIS.

Run from anywhere with the project's venv python (PyInstaller installed there):
    python installer/build.py [--skip-nsis]
Output: dist/red-steward/ and dist/RedSteward-Setup-<version>.exe
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(cmd: list[str]) -> None:
    print("    $ " + " ".join(cmd), flush=True)
    result = subprocess.run(cmd, cwd=ROOT)
    if result.returncode != 0:
        sys.exit(f"ERROR: command failed with exit code {result.returncode}: {cmd[0]}")


def read_version() -> str:
    text = (ROOT / "desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.M)
    if not match:
        sys.exit("ERROR: no __version__ in desktop/__init__.py")
    return match.group(1)


def find_makensis() -> str | None:
    found = shutil.which("makensis")
    if found:
        return found
    for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles")):
        if base and (Path(base) / "NSIS" / "makensis.exe").is_file():
            return str(Path(base) / "NSIS" / "makensis.exe")
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-nsis", action="store_true", help="stop after PyInstaller")
    args = parser.parse_args()
    version = read_version()
    step(f"building Red Steward {version}")

    if list((ROOT / "translations").glob("*/LC_MESSAGES/messages.po")):
        step("compiling translations (pybabel compile)")
        run([sys.executable, "-m", "babel.messages.frontend", "compile",
             "-d", "translations", "-D", "messages"])
    else:
        step("no translations/*/LC_MESSAGES/messages.po: skipping pybabel compile")

    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        sys.exit(f"ERROR: PyInstaller is not installed: {sys.executable} -m pip install pyinstaller")
    step("PyInstaller one-dir build -> dist/red-steward")
    run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
         "--distpath", str(ROOT / "dist"), "--workpath", str(ROOT / "build"),
         str(INSTALLER / "app.spec")])

    step("selftest of the bundle (offscreen)")
    program = "red-steward-cli.exe" if os.name == "nt" else "red-steward"  # with a console
    cli = ROOT / "dist" / "red-steward" / program
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONPATH", None)
    if subprocess.run([str(cli), "selftest"], cwd=ROOT, env=env).returncode != 0:
        sys.exit("ERROR: the bundle's selftest failed (see the step above)")

    if args.skip_nsis:
        step("--skip-nsis: done; the app is in dist/red-steward")
        return
    makensis = find_makensis()
    if not makensis:
        step("makensis not found (install NSIS 3 from https://nsis.sourceforge.io): "
             "skipping the installer; the app is in dist/red-steward")
        return
    step("NSIS installer -> dist/RedSteward-Setup-%s.exe" % version)
    opt = "/" if os.name == "nt" else "-"  # makensis on Linux/macOS takes -OPTION
    run([makensis, f"{opt}INPUTCHARSET", "UTF8", f"{opt}DVERSION={version}", str(INSTALLER / "setup.nsi")])
    step("done")


if __name__ == "__main__":
    main()
