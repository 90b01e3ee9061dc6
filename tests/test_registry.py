"""The one engine interface: every catalogue model with an engine resolves through
``engines.registry`` to its task's entry module, and bad ids are one-line errors.
(Each task's ``generate`` through the registry: tests/<task>/test_registry_<task>.py.)"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from engines import registry
from engines.catalogue import Catalogue, Task
from engines.errors import BadInput

ROOT = Path(__file__).resolve().parent.parent
# This worktree's CLI (the venv's ``sozo`` script runs another checkout).
RUN_SOZO = "import sys; from studio.cli import main; sys.exit(main())"
MODEL = ("--model", "no-such-model")


def test_every_catalogue_model_with_an_engine_resolves() -> None:
    entries = [e for e in Catalogue().all() if e.engine_module]
    assert {e.task for e in entries} == set(Task)  # all four tasks have models
    for entry in entries:
        model_id, entry_module = registry.resolve(entry.id, entry.task)
        assert model_id == entry.id
        assert entry_module == registry.TASK_ENTRIES[entry.task]
        module = importlib.import_module(entry_module)
        assert callable(module.load)


def test_each_tasks_default_is_a_model_of_that_task() -> None:
    for task, entry_module in registry.TASK_ENTRIES.items():
        model_id, resolved = registry.resolve(None, task)
        assert resolved == entry_module
        assert Catalogue().get(model_id).task is task


def test_the_defaults_are_the_engines_own() -> None:
    from engines import speech
    from engines.image import registry as image_registry
    from engines.text import llm

    assert registry.resolve(None, Task.text)[0] == llm.DEFAULT_MODEL_ID
    assert registry.resolve(None, Task.image)[0] == image_registry.DEFAULT_MODEL
    assert registry.resolve(None, Task.speech)[0] == speech.PIPER_MODEL_ID


def test_an_unknown_model_is_a_one_line_bad_input() -> None:
    with pytest.raises(BadInput) as caught:
        registry.load("no-such-model", task=Task.image)
    message = str(caught.value)
    assert "No model with the id 'no-such-model'" in message and "\n" not in message
    assert "emoji-ldm" in message and "smollm2" not in message  # the image task's ids only


def test_a_model_of_another_task_is_refused() -> None:
    with pytest.raises(BadInput, match="'smollm2-135m-instruct' is a text model, not an image"):
        registry.load("smollm2-135m-instruct", task=Task.image)


def test_a_model_no_engine_runs_is_refused(tmp_path: Path) -> None:
    weights = tmp_path / "mystery.safetensors"
    weights.write_bytes(b"")
    entry = Catalogue().import_model(weights, Task.image, "vae", engine_module="elsewhere.x")
    with pytest.raises(BadInput, match="No engine runs"):
        registry.load(entry.id)


def test_a_path_is_only_a_text_model(tmp_path: Path) -> None:
    assert registry.resolve(str(tmp_path), Task.text) == (str(tmp_path), "engines.text.engine")
    with pytest.raises(BadInput, match="No model with the id"):
        registry.resolve(str(tmp_path), Task.image)


def test_the_registry_and_entry_modules_import_nothing_heavy() -> None:
    code = (
        "import sys, importlib\n"
        "from engines import registry\n"
        "for name in set(registry.ENTRIES.values()):\n"
        "    importlib.import_module(name)\n"
        "heavy = [m for m in ('torch', 'transformers', 'onnxruntime', 'diffusers') "
        "if m in sys.modules]\n"
        "print(heavy)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "[]"


def test_the_cli_says_an_unknown_model_in_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", RUN_SOZO, "image", "heart", "-o", str(tmp_path / "a.png"), *MODEL],
        capture_output=True,
        text=True,
        env=env,
    )
    assert out.returncode != 0
    assert "No model with the id 'no-such-model'" in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
