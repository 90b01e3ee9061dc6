"""The music trainers save and resume through the shared ``engines.checkpoints``: a run
stopped and started again ends where one uninterrupted run of as many steps ends."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from engines import checkpoints
from engines.music import data, train_transformer, train_vae
from engines.music.data import Note


def _tiny_corpus(path: Path) -> Path:
    """Eight random 4/4 tunes of 8 bars, two of them held out."""
    tunes = []
    for seed in range(8):
        rng = np.random.default_rng(seed)
        notes, at = [], 0
        while at < 128:
            length = int(rng.choice([2, 4, 4, 8]))
            notes.append(Note(int(rng.integers(60, 80)), at, length))
            at += length
        tunes.append(data.notes_to_tokens(notes, 128))
    held_out = np.zeros(8, dtype=bool)
    held_out[[2, 5]] = True
    data.Corpus(
        tokens=tunes,
        bar_starts=[np.arange(0, 128, 16) for _ in tunes],
        key_tonic=np.zeros(8, dtype=np.int64),
        key_mode=np.zeros(8, dtype=np.int64),
        meter=np.full(8, data.METERS.index("4/4")),
        collection=np.zeros(8, dtype=np.int64),
        held_out=held_out,
        titles=[f"t{i}" for i in range(8)],
    ).save(path)
    return path


def _train(
    trainer: ModuleType,
    tmp_path: Path,
    run: str,
    options: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """Run the trainer's ``main`` on the tiny corpus, into ``tmp_path / run``."""
    monkeypatch.setattr(
        sys,
        "argv",
        [
            "train",
            "--corpus",
            str(tmp_path / "corpus.npz"),
            "--checkpoint",
            str(tmp_path / run / "ckpt.pt"),
            "--output",
            str(tmp_path / run / "weights.safetensors"),
            "--batch",
            "4",
            "--minutes",
            "10",
            *options,  # a second --minutes wins
        ],
    )
    assert trainer.main() == 0
    return tmp_path / run / "ckpt.pt"


@pytest.fixture
def saves(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, int]]:
    """(path, step) of every save through the shared checkpoint during the test."""
    saved: list[tuple[Path, int]] = []
    original_save = checkpoints.Checkpoint.save

    def recording_save(self: checkpoints.Checkpoint, step: int) -> None:
        saved.append((self.path, step))
        original_save(self, step)

    monkeypatch.setattr(checkpoints.Checkpoint, "save", recording_save)
    return saved


def test_a_resumed_transformer_run_continues_the_one_it_left(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    saves: list[tuple[Path, int]],
) -> None:
    import torch
    from safetensors.torch import load_file

    torch.set_num_threads(1)
    _tiny_corpus(tmp_path / "corpus.npz")
    whole = _train(train_transformer, tmp_path, "whole", ["--max-steps", "4"], monkeypatch)
    halves = _train(train_transformer, tmp_path, "halves", ["--max-steps", "2"], monkeypatch)
    assert "resumed at step" not in capsys.readouterr().out
    _train(train_transformer, tmp_path, "halves", ["--max-steps", "4"], monkeypatch)
    assert "resumed at step 2" in capsys.readouterr().out
    assert saves == [(whole, 4), (halves, 2), (halves, 4)]  # through the shared checkpoint

    a, b = torch.load(whole, weights_only=False), torch.load(halves, weights_only=False)
    assert a["step"] == b["step"] == 4
    assert set(a) == {"network", "optimiser", "rng", "torch_rng", "step"}  # the old keys
    for name, tensor in a["network"].items():
        assert torch.equal(tensor, b["network"][name]), name
    assert a["rng"] == b["rng"] and torch.equal(a["torch_rng"], b["torch_rng"])
    first = load_file(str(tmp_path / "whole" / "weights.safetensors"))
    again = load_file(str(tmp_path / "halves" / "weights.safetensors"))
    assert all(torch.equal(first[k], again[k]) for k in first)


def test_a_resumed_vae_run_restores_all_its_state(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    saves: list[tuple[Path, int]],
) -> None:
    """The VAE's learning rate follows --max-steps and wall time, so a run in two halves
    is not one run; ``--minutes 0`` resumes and trains no further: the weights it writes
    (and the code density drawn with the resumed generator) are the first run's."""
    import torch
    from safetensors.torch import load_file

    torch.set_num_threads(1)
    _tiny_corpus(tmp_path / "corpus.npz")
    ckpt = _train(train_vae, tmp_path, "a", ["--max-steps", "3"], monkeypatch)
    first = load_file(str(tmp_path / "a" / "weights.safetensors"))
    assert "resumed at step" not in capsys.readouterr().out
    _train(train_vae, tmp_path, "a", ["--max-steps", "3", "--minutes", "0"], monkeypatch)
    assert "resumed at step 3" in capsys.readouterr().out
    assert saves == [(ckpt, 3), (ckpt, 3)]  # through the shared checkpoint
    state = torch.load(ckpt, weights_only=False)
    assert set(state) == {"network", "optimiser", "rng", "torch_rng", "step"}  # the old keys
    again = load_file(str(tmp_path / "a" / "weights.safetensors"))
    assert first.keys() == again.keys()
    assert all(torch.equal(first[k], again[k]) for k in first)
