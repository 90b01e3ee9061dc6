"""``sozo import PATH --kind text|image|voice``: add a model or voice the user has, with
the same checks as the Models dialog and the panels (engines.imports)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    from engines.imports import KINDS

    p = sub.add_parser(
        "import",
        help="add a model or voice file you have to the catalogue",
        description="Add a language model (GGUF file or Hugging Face folder), a Stable "
        "Diffusion model (.safetensors or diffusers folder) or a Piper voice (.onnx with its "
        ".onnx.json). A file the engine could not load is refused.",
    )
    p.add_argument("path", type=Path, help="the model file or folder")
    p.add_argument("--kind", choices=tuple(KINDS), required=True, help="what the file is")
    p.set_defaults(handler=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    from engines.catalogue import Catalogue
    from engines.imports import import_user_model

    catalogue = Catalogue()
    entry = import_user_model(args.path, args.kind, catalogue)
    print(f"{entry.id}  {entry.name}")
    return 0
