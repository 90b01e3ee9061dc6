"""engines.image.saving: a generation's pictures written with their own seeds, and the
rest kept in memory with the error when writing fails (the job writes them, issue #21)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from engines.image.saving import save_pictures
from engines.imagefile import Recipe, load_image


def _pictures() -> list[Image.Image]:
    return [Image.new("RGB", (8, 8), (40 * i, 0, 0)) for i in range(3)]


def test_each_picture_is_saved_with_its_own_seed(tmp_path: Path) -> None:
    outcome = save_pictures(_pictures(), Recipe(prompt="a red heart", steps=4), 7, tmp_path)
    assert outcome.error is None and outcome.unsaved == []
    assert [recipe.seed for _path, recipe in outcome.saved] == [7, 8, 9]
    for path, recipe in outcome.saved:
        assert path.parent == tmp_path and path.exists()
        loaded = load_image(path).recipe
        assert loaded is not None and loaded.seed == recipe.seed


def test_a_folder_that_cannot_be_written_keeps_every_picture(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", encoding="utf-8")
    pictures = _pictures()
    outcome = save_pictures(pictures, Recipe(prompt="p"), 0, not_a_folder)
    assert outcome.saved == [] and isinstance(outcome.error, OSError)
    assert [p for p, _recipe in outcome.unsaved] == pictures
    assert [recipe.seed for _p, recipe in outcome.unsaved] == [0, 1, 2]


def test_an_edit_is_saved_signed_with_its_source_as_ingredient(tmp_path: Path) -> None:
    from engines.credentials import read_credentials

    source = tmp_path / "canvas-init.png"
    Image.new("RGB", (64, 64), (200, 30, 30)).save(source)
    base = Recipe(prompt="apple", model="sd-inpaint")
    edits = save_pictures(_pictures(), base, 5, tmp_path / "out", sign=True, edited_from=source)
    made = save_pictures(_pictures(), base, 5, tmp_path / "new", sign=True)
    for path, _ in edits.saved:
        found = read_credentials(path)
        assert found.valid and found.action == "c2pa.opened, c2pa.edited", found
        assert found.ingredients == ("canvas-init.png (parentOf)",)
    for path, _ in made.saved:
        found = read_credentials(path)
        assert found.valid and found.action == "c2pa.created" and not found.ingredients
