"""Builds the Linux installer: a PyInstaller onedir bundle packed with install.sh.

    python packaging/build_installer.py [--out dist/installer] [--reuse]

Writes ``sozo-studio-<version>-linux-<arch>.tar.gz`` (``.tar.zst`` where zstd exists)
holding ``sozo-studio/`` (the bundle: the window ``sozo-studio`` and the command line
``sozo``), ``share/`` (desktop entry and hicolor icons), ``install.sh`` and
``uninstall.sh``. Uses the PyInstaller of the Python that runs it (the studio's venv).
See packaging/README.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "packaging" / "linux"
NAME = "sozo-studio"

# Imported lazily inside functions by the engines; named so the analysis follows them.
HIDDEN = [
    "torch",
    "onnxruntime",
    "safetensors",
    "soundfile",
    "mido",
    "pyloudnorm",
    "scipy.signal",
    "c2pa",
    "cryptography",
    "platformdirs",
    "tinysoundfont",
    "espeakng_loader",
    "pyopenjtalk",
    "jaconv",
    "pypinyin",
    "gguf",
    "tokenizers",
    "imageio_ffmpeg",
    "llama_cpp",
]
# Packages whose data files (dictionaries, shared libraries, ffmpeg) the engines open.
COLLECT_ALL = [
    "espeakng_loader",
    "pyopenjtalk",
    "c2pa",
    "imageio_ffmpeg",
    "pypinyin",
    "onnxruntime",
]
# llama-cpp-python (built by the bootstrap; absent where its build failed): its shared
# libraries sit in its package folder.
OPTIONAL_COLLECT_ALL = ["llama_cpp"]
# Not needed at run time: test suites and tools, and other GUI toolkits.
EXCLUDE = ["tests", "pytest", "tkinter", "IPython", "matplotlib", "torch.testing._internal"]


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from engines import __version__

    return __version__


def has_cuda_build() -> bool:
    spec = importlib.util.find_spec("torch")
    if spec is None or spec.origin is None:
        return False
    return any((Path(spec.origin).parent / "lib").glob("libcudart*"))


def pyinstaller(work: Path, dist: Path) -> Path:
    sep = os.pathsep
    args = [
        sys.executable, "-m", "PyInstaller", str(ROOT / "packaging" / "entry.py"),
        "--name", NAME, "--onedir", "--noconfirm", "--clean", "--log-level", "WARN",
        "--workpath", str(work), "--distpath", str(dist), "--specpath", str(work),
        "--paths", str(ROOT),
        "--collect-submodules", "studio", "--collect-submodules", "engines",
        # Their data files too (steering pairs, presets, the .qm translations).
        "--collect-data", "studio", "--collect-data", "engines",
        # The runtime assets (the wheel's sozo_assets): engines.paths.repo_root() is the
        # bundle's _internal folder, so they go to _internal/assets.
        "--add-data", f"{ROOT / 'assets'}{sep}assets",
        "--add-data", f"{ROOT / 'studio' / 'i18n'}/*.qm{sep}studio/i18n",
    ]  # fmt: skip
    for name in HIDDEN:
        args += ["--hidden-import", name]
    for name in COLLECT_ALL:
        args += ["--collect-all", name]
    for name in OPTIONAL_COLLECT_ALL:
        if importlib.util.find_spec(name) is not None:
            args += ["--collect-all", name]
    for name in EXCLUDE:
        args += ["--exclude-module", name]
    work.mkdir(parents=True, exist_ok=True)
    subprocess.run(args, check=True, cwd=work)
    bundle = dist / NAME
    os.symlink(NAME, bundle / "sozo")
    return bundle


def prune(bundle: Path) -> None:
    """Drops what the studio never loads: Qt's QML and WebEngine and CUDA libraries on a
    CPU build."""
    internal = bundle / "_internal"
    pyside = internal / "PySide6"
    for pattern in ("Qt/qml", "Qt/lib/libQt6WebEngine*", "Qt/resources/qtwebengine*",
                    "Qt/libexec/QtWebEngineProcess", "Qt/translations/qtwebengine*"):  # fmt: skip
        for path in pyside.glob(pattern):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    if not has_cuda_build():
        # A CPU bundle: torch has no CUDA, so neither does onnxruntime-gpu's CUDA and
        # TensorRT providers (284 MB; onnxruntime falls back to its CPU provider).
        for pattern in ("libcu*", "libonnxruntime_providers_cuda.so",
                        "libonnxruntime_providers_tensorrt.so"):  # fmt: skip
            for lib in internal.rglob(pattern):
                lib.unlink()


def stage(bundle: Path, out: Path) -> Path:
    top = out / f"{NAME}-{version()}"
    if top.exists():
        shutil.rmtree(top)
    top.mkdir(parents=True)
    shutil.move(str(bundle), top / NAME)
    apps = top / "share" / "applications"
    apps.mkdir(parents=True)
    shutil.copy(LINUX / f"{NAME}.desktop", apps)
    shutil.copytree(LINUX / "icons", top / "share" / "icons")
    for script in ("install.sh", "uninstall.sh"):
        shutil.copy(LINUX / script, top / script)
        (top / script).chmod(0o755)
    return top


def pack(top: Path) -> Path:
    base = f"{top.name}-linux-{platform.machine()}"
    if shutil.which("zstd"):
        archive = top.parent / f"{base}.tar.zst"
        subprocess.run(
            f"tar -C {top.parent} -cf - {top.name} | zstd -q -T0 -10 -o {archive} -f",
            shell=True, check=True,
        )  # fmt: skip
        return archive
    archive = top.parent / f"{base}.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(top, arcname=top.name)
    return archive


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def build(out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    work = out / "build"
    dist = out / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    start = time.monotonic()
    bundle = pyinstaller(work, dist)
    prune(bundle)
    top = stage(bundle, out)
    archive = pack(top)
    seconds = time.monotonic() - start
    print(f"archive {archive} {archive.stat().st_size / 2**20:.1f} MiB")
    print(f"unpacked {folder_size(top) / 2**20:.1f} MiB")
    print(f"build time {seconds:.0f} s")
    return archive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "installer")
    args = parser.parse_args(argv)
    build(args.out.resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
