"""``engines.checkpoints``: what the image and music trainers resume from."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def test_save_and_resume_every_kind_of_part(tmp_path: Path) -> None:
    import torch

    from engines.checkpoints import Checkpoint, NumpyRandomState, TorchGlobalRandomState

    def parts(seed: int) -> tuple[torch.nn.Linear, torch.Generator, np.random.Generator]:
        torch.manual_seed(seed)
        return (
            torch.nn.Linear(3, 2),
            torch.Generator().manual_seed(seed),
            np.random.default_rng(seed),
        )

    path = tmp_path / "run" / "checkpoint.pt"
    model, gen, rng = parts(0)
    ckpt = Checkpoint(
        path, gen, generator_key="rng_t", model=model, rng=NumpyRandomState(rng),
        torch_rng=TorchGlobalRandomState(),
    )  # fmt: skip
    assert ckpt.resume() == 0  # nothing saved yet
    ckpt.save(7)
    expected = (torch.rand(2, generator=gen), rng.random(), torch.rand(1))

    model2, gen2, rng2 = parts(1)  # other weights and random states: all replaced
    assert not torch.equal(model2.weight, model.weight)
    again = Checkpoint(
        path, gen2, generator_key="rng_t", model=model2, rng=NumpyRandomState(rng2),
        torch_rng=TorchGlobalRandomState(),
    )  # fmt: skip
    assert again.resume() == 7
    assert torch.equal(model2.weight, model.weight)
    assert torch.equal(torch.rand(2, generator=gen2), expected[0])
    assert rng2.random() == expected[1]
    assert torch.equal(torch.rand(1), expected[2])
    saved = torch.load(path, weights_only=False)
    assert set(saved) == {"model", "rng", "torch_rng", "rng_t", "step"}
