"""Small trees for running this project's import-linter contracts on purpose-made copies."""

from __future__ import annotations

import tomllib
from pathlib import Path


def add_stand_ins(tree: Path) -> list[str]:
    """Empty modules for each of this project's modules that a ``forbidden`` contract in
    ``tree/pyproject.toml`` names and the tree lacks: import-linter refuses a contract
    whose modules are missing, and a copy made to test another contract need not carry
    the panels or the speech engines. Returns the modules added."""
    config = tomllib.loads((tree / "pyproject.toml").read_text(encoding="utf-8"))
    roots = config["tool"]["importlinter"]["root_packages"]
    added = []
    for contract in config["tool"]["importlinter"]["contracts"]:
        if contract["type"] != "forbidden":
            continue
        for module in [*contract["source_modules"], *contract["forbidden_modules"]]:
            parts = module.split(".")
            if parts[0] not in roots or "*" in module or (tree / Path(*parts)).is_dir():
                continue
            for depth in range(1, len(parts)):
                package = tree / Path(*parts[:depth])
                package.mkdir(exist_ok=True)
                (package / "__init__.py").touch()
            path = tree / Path(*parts[:-1]) / f"{parts[-1]}.py"
            if not path.exists():
                path.write_text("", encoding="utf-8")
                added.append(module)
    return added
