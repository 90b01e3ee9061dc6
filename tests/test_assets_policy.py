"""The policy for what ``assets/`` ships (packaging/README.md): runtime files only,
every binary listed with its sha256 and size, each under its limit, all of it in the wheel."""

from __future__ import annotations

import hashlib
import shutil
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from engines.catalogue import BUILTIN_MODELS, ModelEntry, ModelFile, Source, Task, shipped_files

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
MIB = 2**20

# The limits packaging/README.md states. A model over its limit goes into a package of its
# own (as the embedded defaults do), so the studio's wheel stays small.
FILE_LIMITS = {
    "models/": 8 * MIB,
    "data/": 4 * MIB,
    "soundfonts/": 32 * MIB,
    "fonts/": 3 * MIB,
}
TOTAL_LIMIT = 48 * MIB
BINARY_SUFFIXES = (".safetensors", ".sf3", ".npz", ".otf")


def files_under_assets() -> list[Path]:
    return sorted(p for p in ASSETS.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def test_every_shipped_binary_is_listed_with_its_size_and_sha256() -> None:
    listed = shipped_files()
    present = {
        p.relative_to(ASSETS).as_posix(): p
        for p in files_under_assets()
        if p.suffix in BINARY_SUFFIXES
    }
    assert sorted(listed) == sorted(present), "run: python packaging/hash_assets.py"
    for relpath, path in present.items():
        assert path.stat().st_size == listed[relpath].size_bytes, relpath
        assert hashlib.sha256(path.read_bytes()).hexdigest() == listed[relpath].sha256, relpath


def test_shipped_binaries_keep_to_the_size_limits() -> None:
    total = 0
    for path in files_under_assets():
        relpath = path.relative_to(ASSETS).as_posix()
        size = path.stat().st_size
        total += size
        if path.suffix in BINARY_SUFFIXES:
            limit = next(v for k, v in FILE_LIMITS.items() if relpath.startswith(k))
            assert size <= limit, f"{relpath}: {size / MIB:.1f} MiB > {limit / MIB:.0f} MiB"
    assert total <= TOTAL_LIMIT, f"assets holds {total / MIB:.1f} MiB"


def test_every_catalogue_file_in_the_assets_is_listed() -> None:
    listed = shipped_files()
    for entry in BUILTIN_MODELS:
        if entry.source is Source.assets:
            for f in entry.files:
                if f.module is not None:
                    continue  # a file of an installed package (the caption encoder)
                assert f.relpath in listed, f"{entry.id}: {f.relpath} has no checksum"


def test_assets_hold_runtime_files_only_and_all_are_package_data() -> None:
    """Evaluation sheets and reports live in tests/bench/, not in what the wheel carries; any
    file here matches the package-data patterns, so the wheel cannot silently leave it out."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["sozo_assets"]
    assert config["tool"]["setuptools"]["package-dir"] == {"sozo_assets": "assets"}
    for path in files_under_assets():
        relpath = path.relative_to(ASSETS).as_posix()
        assert "evaluation" not in relpath, relpath
        # setuptools' "**/" also matches no folder at all.
        assert any(
            fnmatch(relpath, p) or fnmatch(relpath, p.replace("**/", "")) for p in patterns
        ), f"{relpath} is not package data: add its pattern to pyproject.toml or move it out"


def test_a_truncated_shipped_file_is_reported_as_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    relpath = "models/image/emoji-upscaler.safetensors"
    (tmp_path / "models/image").mkdir(parents=True)
    shutil.copy(ASSETS / "checksums.json", tmp_path / "checksums.json")
    (tmp_path / relpath).write_bytes((ASSETS / relpath).read_bytes()[:1000])
    monkeypatch.setenv("SOZO_ASSETS_DIR", str(tmp_path))
    entry = ModelEntry(
        id="upscaler",
        name="Emoji upscaler",
        task=Task.image,
        family="upscaler",
        licence="Apache-2.0",
        source=Source.assets,
        files=(ModelFile(relpath),),
        install_hint="Retrain it.",
    )
    state = entry.availability()
    assert not state.available
    assert "damaged or incomplete (1,000 bytes where 94,520 were shipped)" in state.message
    # The whole file is fine again.
    shutil.copy(ASSETS / relpath, tmp_path / relpath)
    assert entry.availability().available


def test_every_package_of_the_studio_is_in_the_wheel() -> None:
    """pyproject.toml lists the packages (a find cannot map assets/ to sozo_assets): a new
    package of studio/ or engines/ must be added there, or the wheel leaves it out."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(folder.relative_to(ROOT).parts)
        for top in ("studio", "engines")
        for folder in [ROOT / top, *(ROOT / top).rglob("*")]
        if folder.is_dir()
        and "__pycache__" not in folder.parts
        and any(f.suffix in (".py", ".onnx", ".json") for f in folder.iterdir())
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
    assert "sozo_assets" in listed
