"""Resumable training state in one file, shared by the image and music training scripts.

A run stopped by its time limit (or by hand) and started again with the same checkpoint
goes on where it stopped: the weights, the optimiser's moments, the step and every random
state that orders the data, so that the resumed run continues the one it left.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class NumpyRandomState:
    """A ``numpy.random.Generator`` as a checkpoint part (its bit generator's state)."""

    def __init__(self, rng: Any) -> None:
        self.rng = rng

    def state_dict(self) -> Any:
        return self.rng.bit_generator.state

    def load_state_dict(self, state: Any) -> None:
        self.rng.bit_generator.state = state


class TorchGlobalRandomState:
    """torch's global CPU generator as a checkpoint part: what dropout and
    ``torch.randn`` without a ``generator=`` draw from."""

    def state_dict(self) -> Any:
        import torch

        return torch.get_rng_state()

    def load_state_dict(self, state: Any) -> None:
        import torch

        torch.set_rng_state(state)


class Checkpoint:
    """Modules, optimisers and random states (anything with ``state_dict`` and
    ``load_state_dict``), the ``torch.Generator`` that orders the data if there is one, and
    the step, saved to and resumed from ``path``.

    ``parts`` are named as their keys in the file; ``generator_key`` names the generator's
    (older scripts' files use their own names, so their runs still resume)."""

    def __init__(
        self, path: Path, generator: Any | None = None, *, generator_key: str = "gen", **parts: Any
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
        if self.generator is not None:
            self.generator.set_state(state[self.generator_key])
        print(f"resumed at step {state['step']}", flush=True)
        return int(state["step"])

    def save(self, step: int) -> None:
        import torch

        state = {name: part.state_dict() for name, part in self.parts.items()}
        if self.generator is not None:
            state[self.generator_key] = self.generator.get_state()
        state["step"] = step
        self.path.parent.mkdir(parents=True, exist_ok=True)
        torch.save(state, self.path)


__all__ = ["Checkpoint", "NumpyRandomState", "TorchGlobalRandomState"]
