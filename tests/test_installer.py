"""The Linux installer (issue #20): packaging/build_installer.py builds the PyInstaller
bundle and its archive; the archive is unpacked into a temporary folder, install.sh runs
with HOME, PREFIX and XDG_DATA_HOME there, and the installed programs run: ``sozo
--version`` and ``sozo screenshot`` (the main window shown offscreen and grabbed).

SOZO_INSTALLER_ARCHIVE names an archive built earlier in the same run to reuse.
"""

from __future__ import annotations

import configparser
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
from PIL import Image

from engines import __version__

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parent.parent


def run(cmd: list[str], env: dict[str, str], cwd: Path, timeout: float) -> str:
    done = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, (
        f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done.stdout


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("SOZO_INSTALLER_ARCHIVE")
    if given:
        return Path(given)
    out = tmp_path_factory.mktemp("installer")
    start = time.monotonic()
    stdout = run(
        [sys.executable, str(ROOT / "packaging" / "build_installer.py"), "--out", str(out)],
        dict(os.environ),
        ROOT,
        timeout=1800,
    )
    print(stdout, f"built in {time.monotonic() - start:.0f} s")
    found = sorted(out.glob("sozo-studio-*-linux-*.tar.*"))
    assert len(found) == 1, stdout
    return found[0]


def unpack(archive: Path, into: Path) -> Path:
    if archive.name.endswith(".tar.zst"):
        subprocess.run(f"zstd -dc '{archive}' | tar -C '{into}' -xf -", shell=True, check=True)
    else:
        with tarfile.open(archive) as tar:
            tar.extractall(into, filter="tar")
    (top,) = into.iterdir()
    return top


def test_archive_installs_and_opens_the_window(archive: Path, tmp_path: Path) -> None:
    unpacked = tmp_path / "unpacked"
    unpacked.mkdir()
    top = unpack(archive, unpacked)
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "PREFIX": str(home / "opt" / "sozo-studio"),
        "XDG_DATA_HOME": str(home / "share"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "QT_QPA_PLATFORM": "offscreen",
        "OMP_NUM_THREADS": "1",
        "LANG": "C.UTF-8",
    }
    run(["sh", str(top / "install.sh")], env, tmp_path, timeout=300)
    # Nothing may come from the unpacked folder or the checkout once installed.
    shutil.rmtree(top)

    desktop = home / "share" / "applications" / "sozo-studio.desktop"
    assert desktop.is_file()
    if shutil.which("desktop-file-validate"):
        run(["desktop-file-validate", str(desktop)], env, tmp_path, timeout=60)
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(desktop, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Name[ja]"] == "創造スタジオ"
    assert section["Comment[ja]"]
    launcher = home / ".local" / "bin" / "sozo-studio"
    assert section["Exec"] == f"{launcher} %F"
    icon = home / "share" / "icons" / "hicolor" / "256x256" / "apps" / "sozo-studio.png"
    assert Image.open(icon).size == (256, 256)
    for size in (16, 32, 48, 128):
        assert (icon.parent.parent.parent / f"{size}x{size}" / "apps" / "sozo-studio.png").is_file()
    scalable = icon.parent.parent.parent / "scalable" / "apps" / "sozo-studio.svg"
    assert scalable.read_text(encoding="utf-8").lstrip().startswith("<")

    sozo = str(home / ".local" / "bin" / "sozo")
    assert run([sozo, "--version"], env, tmp_path, timeout=120).strip().endswith(__version__)
    # The studio's child processes (the hardware probe, a voice's rewrite) run
    # ``sys.executable -m MODULE``: in the bundle that is this program, which runs the module.
    probe = json.loads(run([str(launcher), "-m", "engines.device", "--json"], env, tmp_path, 300))
    assert probe["logical_cpus"] >= 1 and "torch_probed" in probe

    shot = tmp_path / "window.png"
    start = time.monotonic()
    run([sozo, "screenshot", str(shot), "--size", "1024x700"], env, tmp_path, timeout=300)
    print(f"screenshot from the installed bundle in {time.monotonic() - start:.1f} s")
    with Image.open(shot) as image:
        assert image.size == (1024, 700)
        # Rendered, not blank: a painted window has many colours.
        assert len(set(image.convert("RGB").getdata())) > 50

    prefix = Path(env["PREFIX"])
    run(["sh", str(prefix / "uninstall.sh")], env, tmp_path, timeout=60)
    assert not prefix.exists() and not desktop.exists() and not icon.exists()
    assert not scalable.exists()
    assert not (home / ".local" / "bin" / "sozo").exists()
