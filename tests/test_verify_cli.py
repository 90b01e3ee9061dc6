"""``sozo verify FILE``: one line each for the recipe, the content credentials and the
watermark; exit 0 when the file was read, 1 with one line when it was not. Pictures
saved with ``watermark=True`` (what the Image panel does when Settings say so) carry it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engines import audio
from engines.imagefile import Recipe, save_result
from engines.recipes import MusicRecipe
from studio.cli import main
from tests.watermark_images import textured


def _verify(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code = main(["verify", str(path)])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_a_marked_picture_with_a_recipe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    picture = Image.fromarray(textured(9, 256))
    recipe = Recipe(prompt="a red kite", seed=12)
    marked = save_result(picture, tmp_path / "a", recipe, watermark=True)
    plain = save_result(picture, tmp_path / "b", recipe)
    code, lines, err = _verify(marked, capsys)
    assert code == 0 and err == ""
    assert lines[0] == "Recipe: picture, seed 12, prompt 'a red kite'"
    assert lines[1] == "Content credentials: no content credentials"
    assert lines[2] == "Watermark: Sōzō Studio watermark found (version 1)"
    code, lines, _ = _verify(plain, capsys)
    assert code == 0 and lines[2] == "Watermark: no Sōzō Studio watermark found"
    jpeg = tmp_path / "copy.jpg"
    Image.open(marked).convert("RGB").save(jpeg, quality=75)
    code, lines, _ = _verify(jpeg, capsys)
    assert (code, lines[0], lines[2]) == (
        0,
        "Recipe: none",
        "Watermark: Sōzō Studio watermark found (version 1)",
    )


def test_rgba_pictures_keep_their_alpha(tmp_path: Path) -> None:
    rgba = Image.fromarray(textured(4, 200)).convert("RGBA")
    rgba.putalpha(Image.fromarray(np.full((200, 200), 77, np.uint8)))
    path = save_result(rgba, tmp_path, Recipe(prompt="x", seed=1), watermark=True)
    with Image.open(path) as im:
        assert im.mode == "RGBA" and np.all(np.asarray(im)[..., 3] == 77)


def test_an_exported_melody(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.flac"
    recipe = MusicRecipe("models", 5, 0.9, "piano", 120, 8, False).to_json()
    audio.write(path, np.zeros(2000, np.float32), 16000, {"recipe": recipe})
    code, lines, _ = _verify(path, capsys)
    assert code == 0 and lines[0] == "Recipe: melody, seed 5, piano at 120 BPM"
    assert lines[2].startswith("Watermark: no Sōzō Studio watermark found (correlation z ")


def test_unreadable_files_give_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = _verify(tmp_path / "gone.png", capsys)
    assert (
        code == 1
        and lines == []
        and err.strip() == f"sozo: {tmp_path / 'gone.png'} does not exist."
    )
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 30)
    code, _, err = _verify(broken, capsys)
    assert code == 1 and len(err.strip().splitlines()) == 1 and "broken.png" in err


def test_the_watermark_setting_is_on_by_default_and_kept(tmp_path: Path) -> None:
    from studio.settings import StudioSettings

    file = tmp_path / "settings.ini"
    settings = StudioSettings(file)
    assert settings.watermark is True
    seen: list[bool] = []
    settings.watermark_changed.connect(seen.append)
    settings.watermark = False
    settings.watermark = False  # no change: no signal
    assert seen == [False] and StudioSettings(file).watermark is False
