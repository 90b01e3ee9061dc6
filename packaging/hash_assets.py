#!/usr/bin/env python3
"""Write ``assets/checksums.json``: the sha256 and size of every binary the studio
ships (trained weights, the soundfont, data), as the policy in packaging/README.md asks.

    python packaging/hash_assets.py           # rewrite the list after retraining a model
    python packaging/hash_assets.py --check   # exit 1 if the list and the files disagree

tests/test_assets_policy.py checks the list, the sizes and the limits on every test run.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
LIST = ASSETS / "checksums.json"
BINARY_SUFFIXES = (".safetensors", ".sf3", ".npz", ".otf")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def binaries() -> list[Path]:
    return sorted(p for p in ASSETS.rglob("*") if p.is_file() and p.suffix in BINARY_SUFFIXES)


def measure() -> dict[str, dict[str, int | str]]:
    return {
        p.relative_to(ASSETS).as_posix(): {"bytes": p.stat().st_size, "sha256": sha256_of(p)}
        for p in binaries()
    }


def main(argv: list[str]) -> int:
    files = measure()
    if "--check" in argv:
        listed = json.loads(LIST.read_text(encoding="utf-8"))["files"]
        if listed != files:
            changed = sorted(
                k for k in listed.keys() | files.keys() if listed.get(k) != files.get(k)
            )
            print(f"{LIST.name} disagrees with the files: {', '.join(changed)}", file=sys.stderr)
            return 1
        print(f"{len(files)} files match {LIST.name}")
        return 0
    text = json.dumps({"files": files}, indent=2, sort_keys=True) + "\n"
    LIST.write_text(text, encoding="utf-8")
    print(f"wrote {LIST.relative_to(ROOT)} ({len(files)} files)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
