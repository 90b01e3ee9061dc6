"""The model catalogue: ids, licences, sources, availability with actionable messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from engines.catalogue import BUILTIN_MODELS, Catalogue, ModelEntry, ModelFile, Source, Task
from engines.errors import BadInput, ModelUnavailable


def test_every_builtin_model_has_the_required_facts() -> None:
    ids = [m.id for m in BUILTIN_MODELS]
    assert len(ids) == len(set(ids))
    for m in BUILTIN_MODELS:
        assert m.licence and m.family and m.name and m.files
        assert isinstance(m.task, Task) and isinstance(m.source, Source)
        assert m.install_hint, f"{m.id} must say how to get it when missing"
        if m.source is Source.package:
            assert m.install_hint.startswith("Install it with:")


def test_embedded_defaults_are_installed_by_the_setup_command() -> None:
    """packaging/model-packages.txt installs these; their files must be found and sized."""
    catalogue = Catalogue()
    for model_id in ("smollm2-135m-instruct", "piper-en-us-joe-medium", "kokoro-82m-ja"):
        state = catalogue.get(model_id).availability()
        assert state.available, state.message
        assert state.size_bytes > 50_000_000
        assert all(p.exists() for p in state.paths)


def test_a_missing_package_names_itself_and_how_to_get_it() -> None:
    entry = ModelEntry(
        id="x",
        name="Example model",
        task=Task.text,
        family="transformer",
        licence="MIT",
        source=Source.package,
        distribution="sozo-no-such-package",
        files=(ModelFile("w.bin", module="sozo_no_such_package"),),
        install_hint="Install it with: pip install sozo-no-such-package",
    )
    state = entry.availability()
    assert not state.available
    assert "sozo-no-such-package" in state.message
    assert "pip install sozo-no-such-package" in state.message
    with pytest.raises(ModelUnavailable, match="Example model is not installed"):
        entry.require()


def test_a_missing_asset_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOZO_ASSETS_DIR", str(tmp_path))
    entry = ModelEntry(
        id="vae",
        name="Emoji VAE",
        task=Task.image,
        family="vae",
        licence="Apache-2.0",
        source=Source.assets,
        files=(ModelFile("models/emoji-vae.safetensors"),),
        install_hint="Rebuild it with engines/image/train_vae.py.",
    )
    assert str(tmp_path / "models/emoji-vae.safetensors") in entry.availability().message
    (tmp_path / "models").mkdir()
    (tmp_path / "models/emoji-vae.safetensors").write_bytes(b"0" * 1234)
    state = entry.availability()
    assert state.available and state.size_bytes == 1234


def test_imported_models_persist_and_can_be_removed(tmp_path: Path) -> None:
    model = tmp_path / "My Model.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 100)
    catalogue = Catalogue()
    entry = catalogue.import_model(model, "text", "transformer")
    assert entry.id == "user-my-model"
    assert entry.source is Source.user
    reopened = Catalogue()
    again = reopened.get("user-my-model")
    assert again.availability().available
    assert again.availability().size_bytes == 104
    second = reopened.import_model(model, Task.text, "transformer")
    assert second.id == "user-my-model-2"
    reopened.remove_model("user-my-model")
    assert [m.id for m in Catalogue().for_task("text") if m.source is Source.user] == [
        "user-my-model-2"
    ]
    model.unlink()
    assert "missing the file" in Catalogue().get("user-my-model-2").availability().message


def test_bad_imports_and_unknown_ids_are_readable_errors(tmp_path: Path) -> None:
    catalogue = Catalogue()
    with pytest.raises(BadInput, match="no such file"):
        catalogue.import_model(tmp_path / "nope.gguf", "text", "transformer")
    with pytest.raises(ModelUnavailable, match="No model with the id 'nope'"):
        catalogue.get("nope")
    with pytest.raises(BadInput, match="built-in models stay"):
        catalogue.remove_model("smollm2-135m-instruct")


def test_a_damaged_user_list_does_not_stop_the_catalogue(isolated_dirs: Path) -> None:
    isolated_dirs.mkdir(parents=True, exist_ok=True)
    (isolated_dirs / "user_models.json").write_text("{not json", encoding="utf-8")
    assert len(Catalogue().all()) == len(BUILTIN_MODELS)
