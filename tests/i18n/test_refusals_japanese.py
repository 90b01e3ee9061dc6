"""Refusals the engines raise on bad input (photos, pictures, speech, music) carry
message ids and read in Japanese in the studio, English text unchanged (issue #14)."""

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


def test_a_folder_given_as_a_photo_or_a_picture(tmp_path: Path, japanese: None) -> None:
    from engines.image.photo_input import open_photo
    from engines.imagefile import load_image

    error = refusal(lambda: open_photo(tmp_path))
    assert str(error) == f"The init image cannot be used: {tmp_path.name} is a folder."
    assert render(error) == f"元画像として使えません: {tmp_path.name} はフォルダーです。"
    error = refusal(lambda: load_image(tmp_path / "gone.png"))
    assert render(error) == "gone.png は存在しません。"


def test_a_text_file_given_as_a_mask(tmp_path: Path, japanese: None) -> None:
    from engines.image.photo_input import open_mask

    text = tmp_path / "notes.png"
    text.write_text("not a picture", encoding="utf-8")
    error = refusal(lambda: open_mask(text, (8, 8)))
    assert str(error) == "The mask cannot be used: notes.png is not an image file."
    assert render(error) == "マスクとして使えません: notes.png は画像ファイルではありません。"


def test_speech_refusals(japanese: None) -> None:
    from engines.speech import blends
    from engines.speech import text as speech_text

    error = refusal(lambda: blends.parse_blend("jf_alpha:lots"))
    assert str(error) == "The weight in 'jf_alpha:lots' is not a number."
    assert render(error) == "'jf_alpha:lots' の重みが数ではありません。"
    error = refusal(lambda: list(speech_text.parse_markup("Hi [pause 99s] there")))
    assert "秒より長すぎます" in render(error) and "longer than" in str(error)


def test_a_message_argument_that_is_a_message_is_translated_too(japanese: None) -> None:
    from engines.messages import message

    said = message("speech.noise_range", label=message("speech.noise_width"), value=3.0)
    assert str(said) == "Noise width 3.0 is out of range (0 to 2)."
    assert render(said) == "ノイズの幅 3.0 は範囲外です（0 から 2 まで）。"


def test_music_refusals(japanese: None) -> None:
    from engines.music.types import check_bars

    error = refusal(lambda: check_bars(0))
    assert str(error).startswith("bars must be between 1 and ")
    assert render(error).startswith("小節数は 1 から ")
