"""Resumable training state in one file, shared by the image training scripts."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class Checkpoint:
    """Modules and optimisers (anything with ``state_dict``), the generator that orders
    the data, and the step, saved to and resumed from ``path``.

    ``parts`` are named as their keys in the file; ``generator_key`` names the generator's
    (older scripts' files use their own names, so their runs still resume)."""

    def __init__(
        self, path: Path, generator: Any, *, generator_key: str = "gen", **parts: Any
    ) -> None:
        self.path = path
        self.generator = generator
        self.generator_key = generator_key
        self.parts = parts

    def resume(self) -> int:
        """Load the saved state if there is one; the step to continue from."""
        import torch

        if not self.path.exists():
            return 0
        state = torch.load(self.path, weights_only=False)
        for name, part in self.parts.items():
            part.load_state_dict(state[name])
        self.generator.set_state(state[self.generator_key])
        print(f"resumed at step {state['step']}", flush=True)
        return int(state["step"])

    def save(self, step: int) -> None:
        import torch

        state = {name: part.state_dict() for name, part in self.parts.items()}
        state[self.generator_key] = self.generator.get_state()
        state["step"] = step
        self.path.parent.mkdir(parents=True, exist_ok=True)
        torch.save(state, self.path)
