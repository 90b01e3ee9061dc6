"""Refusals about model files, the hub, devices and the list of imported models carry
message ids and read in Japanese in the studio, their English unchanged (issue #14)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from engines.errors import BadInput
from studio.i18n.engine_text import render

pytestmark = pytest.mark.gui


@pytest.fixture
def japanese() -> Iterator[None]:
    from studio.app import ensure_application
    from studio.i18n import install_translators

    app = ensure_application()
    install_translators(app, "ja")
    yield
    install_translators(app, "en")


def refusal(call: Callable[[], object]) -> BadInput:
    with pytest.raises(BadInput) as caught:
        call()
    assert caught.value.message_id, f"plain English refusal: {caught.value}"
    return caught.value


def test_checkpoints_that_are_not_stable_diffusion(japanese: None) -> None:
    from engines.image.sd import family_of

    error = refusal(lambda: family_of("style.safetensors", {"lora_unet_down.weight": ()}))
    assert str(error) == "style.safetensors is a LoRA, not a model: apply it to a model as a LoRA."
    assert render(error) == (
        "style.safetensors はモデルではなく LoRA です: LoRA としてモデルに適用してください。"
    )
    shapes = {"model.diffusion_model.input_blocks.0.0.weight": (320, 6, 3, 3)}
    error = refusal(lambda: family_of("odd.safetensors", shapes))
    assert "6-channel checkpoint" in str(error)
    assert render(error).startswith("odd.safetensors は 6 チャンネルのチェックポイントで")


def test_a_model_of_another_task_names_both_tasks_in_japanese(japanese: None) -> None:
    from engines.catalogue import Task
    from engines.registry import resolve

    error = refusal(lambda: resolve("smollm2-135m-instruct", Task.image))
    assert str(error) == "'smollm2-135m-instruct' is a text model, not an image model."
    assert render(error) == (
        "「smollm2-135m-instruct」はテキストのモデルで、画像のモデルではありません。"
    )


def test_hub_and_device_refusals(japanese: None) -> None:
    from engines.device import DevicePreference
    from engines.hub.client import HubClient

    error = refusal(lambda: HubClient().details("no-owner"))
    assert str(error) == "'no-owner' is not a repository name: give it as owner/name."
    assert render(error) == (
        "'no-owner' はリポジトリ名ではありません: owner/name の形で指定してください。"
    )
    error = refusal(lambda: DevicePreference.parse("tpu"))
    assert render(error) == "不明なデバイス 'tpu': auto・cpu・cuda のいずれかを選んでください。"
    line = HubClient().http_error_line(404, "x/y")
    assert render(line) == f"x/y は {HubClient().base} に見つかりませんでした（HTTP 404）。"


def test_a_damaged_list_of_imported_models_is_reported_in_japanese(
    isolated_dirs: Path, japanese: None
) -> None:
    from engines.catalogue import Catalogue

    isolated_dirs.mkdir(parents=True, exist_ok=True)
    (isolated_dirs / "user_models.json").write_text("[1, 2]", encoding="utf-8")
    catalogue = Catalogue()
    (notice,) = catalogue.notices
    assert str(notice).startswith("Your list of imported models was damaged (none of its 2")
    said = render(notice)
    assert said.startswith("取り込んだモデルの一覧が壊れていました（2 件の項目のどれも使えません）")
    assert "set aside" not in said and "new list" not in said
    error = refusal(lambda: catalogue.remove_model("smollm2-135m-instruct"))
    assert render(error) == (
        "「smollm2-135m-instruct」は取り込んだモデルではありません。"
        "組み込みのモデルは削除できません。"
    )


def test_speech_settings_and_history_notices_in_japanese(tmp_path: Path, japanese: None) -> None:
    from engines.history import History
    from engines.settings_file import read_compute_settings
    from engines.speech.text import ScriptFilter

    skip = ScriptFilter(frozenset({"Latin"}))
    assert skip("Hello Привет").strip() == "Hello"
    notice = skip.notice("piper:en_US-joe-medium")
    assert str(notice) == "Skipped letters that piper:en_US-joe-medium cannot read: 6 Cyrillic."
    assert render(notice) == "piper:en_US-joe-medium が読めない文字を飛ばしました: 6 Cyrillic。"

    settings = tmp_path / "settings.ini"
    settings.write_text("[compute]\nthreads = 99999\n", encoding="utf-8")
    (notice,) = read_compute_settings(settings).notices
    assert "out of range" in str(notice) and "using the default, 0" in str(notice)
    said = render(notice)
    assert said.startswith("settings.ini: compute/threads 99999 は範囲外です")
    assert said.endswith("（既定値 0 を使います）")

    db = tmp_path / "h.db"
    db.write_bytes(b"this is not a database " * 100)
    with History(db) as history:
        assert "could not be used" in history.notice
        said = render(history.notice)
        assert said.startswith("履歴のデータベースを使えませんでした: 読めません（")
        assert "新しい履歴を始めました" in said and "could not" not in said
