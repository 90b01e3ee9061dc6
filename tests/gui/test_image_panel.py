"""The Image panel end to end on a tiny random VAE imported as a user model: prompt to
gallery, recipes in the PNGs, drop-and-paint editing, interpolation, the pad, walk export.
Screenshots of each tab go to tests/_artifacts for review."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from engines.catalogue import Catalogue, ModelEntry
from engines.imagefile import load_image
from engines.jobs import JobState
from studio.main_window import MainWindow
from studio.panels.image import ImagePanel
from studio.panels.image_state import PromptWalk

pytestmark = pytest.mark.gui

torch = pytest.importorskip("torch")
ARTIFACTS = Path(__file__).resolve().parent.parent / "_artifacts"


@pytest.fixture
def tiny_vae_id(tmp_path: Path) -> str:
    from engines.image import vae as V

    torch.manual_seed(0)
    model = V.EmojiVAE(V.VAEConfig(channels=(4, 8, 8)))
    path = tmp_path / "tiny-vae.safetensors"
    V.save(model, path)
    entry = Catalogue().import_model(
        path, "image", "vae", name="Tiny VAE", engine_module="engines.image.emoji"
    )
    return entry.id


def import_sd_folder(folder: Path) -> ModelEntry:
    """An (empty) diffusers folder imported as a Stable Diffusion model: enough for the
    panel, which reads no weights until it generates."""
    folder.mkdir()
    (folder / "model_index.json").write_text("{}")
    return Catalogue().import_model(folder, "image", "diffusion", engine_module="engines.image.sd")


@pytest.fixture
def panel(make_window: Callable[..., MainWindow], tiny_vae_id: str) -> ImagePanel:
    window = make_window()
    window.show_panel("image")
    image_panel = window.panels["image"]
    assert isinstance(image_panel, ImagePanel)
    box = image_panel.controls.model
    box.setCurrentIndex(box.findData(tiny_vae_id))
    return image_panel


def _generate(
    qtbot: QtBot, panel: ImagePanel, batch: int = 2, prompt: str = "a tiny test picture"
) -> None:
    panel.controls.prompt.setPlainText(prompt)
    panel.controls.batch.setValue(batch)
    qtbot.mouseClick(panel.controls.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            panel.job is not None
            and panel.job.state.is_final
            and not panel.controls.stop_button.isEnabled()
        ),  # the panel has handled the end
        timeout=60000,
    )


def _drop(panel: ImagePanel, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    panel.canvas.dropEvent(
        QDropEvent(
            QPointF(5, 5),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        )
    )


def test_prompt_to_gallery_with_recipes_in_the_files(qtbot: QtBot, panel: ImagePanel) -> None:
    panel.controls.seed.spin.setValue(1234)
    panel.controls.seed.lock.setChecked(True)
    titles: list[str] = []
    panel.context.runner.job_added.connect(lambda job: titles.append(job.title))
    _generate(qtbot, panel, batch=2)
    assert panel.job is not None and panel.job.state is JobState.finished
    # The generation's engine is kept for exploring: no second "Load image model" job.
    assert panel.engine is not None and panel.engine_id == panel.controls.model.currentData()
    assert [t for t in titles if t.startswith("Load")] == []
    assert panel.gallery.count() == 2
    seeds = sorted(e.recipe.seed for e in panel.gallery.entries)
    assert seeds == [1234, 1235]
    for entry in panel.gallery.entries:
        loaded = load_image(entry.path)
        assert loaded.recipe is not None and loaded.recipe.seed == entry.recipe.seed
        assert loaded.recipe.model == panel.controls.model.currentData()
        assert loaded.image.size == (256, 256)
    assert "does not read prompts" in panel.message_label.text()  # a VAE ignores prompts
    # The same seed gives the same pixels.
    _generate(qtbot, panel, batch=1)
    again = [e for e in panel.gallery.entries if e.recipe.seed == 1234]
    assert len(again) == 2 and again[0].path != again[1].path  # a new file, not overwritten
    assert Image.open(again[0].path).tobytes() == Image.open(again[1].path).tobytes()
    ARTIFACTS.mkdir(exist_ok=True)
    panel.window().grab().save(str(ARTIFACTS / "image-panel-results.png"))


def test_clicking_a_result_reloads_its_settings(qtbot: QtBot, panel: ImagePanel) -> None:
    panel.controls.steps.setValue(7)
    _generate(qtbot, panel, batch=1)
    entry = panel.gallery.entries[0]
    panel.controls.steps.setValue(30)
    panel.controls.prompt.setPlainText("something else")
    rect = panel.gallery.visualItemRect(panel.gallery.item(0))
    qtbot.mouseClick(panel.gallery.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.controls.prompt.toPlainText() == "a tiny test picture"
    assert panel.controls.seed.spin.value() == entry.recipe.seed


def test_drop_paint_img2img_and_metadata_round_trip(
    qtbot: QtBot, panel: ImagePanel, tmp_path: Path
) -> None:
    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (320, 200), "skyblue").save(photo)
    panel.tabs.setCurrentIndex(1)
    _drop(panel, photo)
    assert panel.use_canvas.isChecked()
    assert panel.controls.mode_note.text() == "Image to image from photo.jpg"
    _generate(qtbot, panel, batch=1)
    assert panel.job is not None and panel.job.state is JobState.finished
    assert panel.gallery.entries[0].recipe.strength == pytest.approx(0.6)

    rect = panel.canvas.picture_rect()
    centre = rect.center().toPoint()
    qtbot.mousePress(panel.canvas, Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseMove(panel.canvas, centre + QPoint(20, 0))
    qtbot.mouseRelease(panel.canvas, Qt.MouseButton.LeftButton, pos=centre + QPoint(20, 0))
    assert panel.canvas.has_mask()
    assert panel.controls.mode_note.text().startswith("Inpaint the masked area")
    # The engine gets the whole photo and a mask of its size (#15: no crop to the model).
    request, _ = panel._request()
    assert request.init_image is not None and request.mask is not None
    assert Image.open(request.init_image).size == Image.open(request.mask).size == (320, 200)
    assert Image.open(request.mask).getpixel((160, 100)) == 255
    _generate(qtbot, panel, batch=1)
    assert panel.job is not None and panel.job.state is JobState.failed
    assert "cannot inpaint" in panel.message_label.text()  # a VAE cannot; said plainly
    panel.canvas.undo()
    assert not panel.canvas.has_mask()
    # An empty mask file dropped on the picture: said plainly, and the edit is img2img.
    Image.new("L", (320, 200), 0).save(tmp_path / "empty-mask.png")
    _drop(panel, tmp_path / "empty-mask.png")
    assert panel.canvas.source_name == "photo.jpg" and not panel.canvas.has_mask()
    assert "The mask empty-mask.png is empty" in panel.message_label.text()
    assert panel.controls.mode_note.text() == "Image to image from photo.jpg"
    _generate(qtbot, panel, batch=1)
    assert panel.job is not None and panel.job.state is JobState.finished
    ARTIFACTS.mkdir(exist_ok=True)
    panel.window().grab().save(str(ARTIFACTS / "image-panel-edit.png"))

    made = panel.gallery.entries[0].path
    panel.controls.prompt.setPlainText("changed")
    _drop(panel, made)
    assert panel.controls.prompt.toPlainText() == "a tiny test picture"
    assert "settings stored in the picture" in panel.message_label.text()


def test_edit_results_come_back_to_the_edit_tab_to_keep_editing(
    qtbot: QtBot, panel: ImagePanel, tmp_path: Path
) -> None:
    """Issue 18: results made from the Edit tab's picture showed on the Results tab only.
    Now the newest shows over the Edit tab's picture as a layer (#15: to compare, drag out
    or keep), and all of them are beside it to drag out or pick."""
    photo = tmp_path / "photo.png"
    Image.new("RGB", (64, 64), "skyblue").save(photo)
    panel.tabs.setCurrentIndex(1)
    _drop(panel, photo)
    assert not panel.edit_results.isVisible()
    assert not panel.canvas_actions.keep.isEnabled()
    _generate(qtbot, panel, batch=2)
    assert panel.job is not None and panel.job.state is JobState.finished
    newest, older = panel.gallery.entries[0], panel.gallery.entries[1]
    assert panel.tabs.currentIndex() == 1 and panel.edit_results.isVisible()
    assert [e.path for e in panel.edit_results.entries] == [newest.path, older.path]
    assert panel.canvas.result_name == newest.path.name
    assert panel.canvas.source_name == "photo.png"  # the picture stays until kept
    assert panel.canvas.result is not None and panel.canvas.result.recipe == newest.recipe
    assert panel.canvas_actions.keep.isEnabled()
    mime = panel.edit_results.mimeData([panel.edit_results.item(1)])
    assert [u.toLocalFile() for u in mime.urls()] == [str(older.path.resolve())]
    panel.edit_results.itemClicked.emit(panel.edit_results.item(1))
    assert panel.canvas.result_name == older.path.name
    # Dragging the result out gives a PNG with its recipe, beside the panel's scratch files.
    dragged = panel.canvas.write_flattened()
    assert dragged is not None and dragged.parent == panel._scratch
    assert load_image(dragged).recipe == load_image(older.path).recipe
    panel.canvas_actions.keep.click()  # the picked result is the picture to edit now
    assert panel.canvas.source_name == older.path.name and panel.canvas.result is None
    made = load_image(older.path).image
    assert np.array_equal(np.asarray(panel.canvas.init_image), np.asarray(made))
    assert panel.state.edit_image is panel.canvas.init_image  # the state follows
    assert panel.controls.mode_note.text() == f"Image to image from {older.path.name}"
    _generate(qtbot, panel, batch=1)  # editing goes on from the kept result
    assert panel.gallery.entries[0].recipe.strength == pytest.approx(0.6)
    assert len(panel.edit_results.entries) == 3
    assert panel.canvas.result_name == panel.gallery.entries[0].path.name
    assert panel.canvas.source_name == older.path.name
    ARTIFACTS.mkdir(exist_ok=True)
    panel.window().grab().save(str(ARTIFACTS / "image-panel-edit-results.png"))


def test_interpolation_slider_pad_and_walk_export(
    qtbot: QtBot, panel: ImagePanel, tmp_path: Path
) -> None:
    _generate(qtbot, panel, batch=4)
    panel.tabs.setCurrentIndex(2)
    panel.gallery.item(0).setSelected(True)
    panel.gallery.item(1).setSelected(True)
    panel.start_interpolation()  # first call loads the model as a job
    qtbot.waitUntil(lambda: panel.engine is not None, timeout=30000)
    panel.start_interpolation()
    assert panel.slider.isEnabled()
    qtbot.waitUntil(
        lambda: all(not label.pixmap().isNull() for label in panel.strip_labels), timeout=10000
    )
    frames: list[bytes] = []
    panel.decoder.frame_ready.connect(
        lambda tag, image: (
            frames.append(bytes(image.constBits())) if not tag.startswith("strip") else None
        )
    )
    for value in (100, 500, 900):
        panel.slider.setValue(value)
        qtbot.waitUntil(lambda: not panel.decoder.busy and len(frames) > 0, timeout=5000)
        qtbot.wait(50)
    assert len(frames) >= 2 and len(set(frames)) >= 2  # new frames as the slider moves

    for i in range(4):
        panel.gallery.item(i).setSelected(True)
    panel.start_pad()
    assert all(corner is not None for corner in panel.pad.corners)
    count = len(frames)
    panel.pad.set_point(0.2, 0.8)
    qtbot.waitUntil(lambda: len(frames) > count, timeout=5000)
    assert panel.pad.frame is not None
    ARTIFACTS.mkdir(exist_ok=True)
    panel.window().grab().save(str(ARTIFACTS / "image-panel-explore.png"))

    panel.walk_frames.setValue(5)
    job = panel.export_walk(tmp_path / "walk.gif")
    assert job is not None
    qtbot.waitUntil(lambda: job.state.is_final, timeout=30000)
    assert job.state is JobState.finished
    with Image.open(tmp_path / "walk.gif") as im:
        assert im.n_frames == 5


@pytest.mark.integration
def test_emoji_grid_from_a_prompt_then_inpaint_with_the_shipped_diffusion_model(
    qtbot: QtBot, make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    """The newcomer's path on the real weights: a grid of emoji from a prompt, then a
    painted mask redrawn by inpainting, the unmasked pixels kept."""
    window = make_window()
    window.show_panel("image")
    panel = window.panels["image"]
    assert isinstance(panel, ImagePanel)
    box = panel.controls.model
    index = box.findData("emoji-ldm")
    assert index >= 0 and box.model().item(index).isEnabled()  # type: ignore[attr-defined]
    box.setCurrentIndex(index)
    panel.controls.steps.setValue(10)
    _generate(qtbot, panel, batch=4, prompt="a red heart")
    assert panel.job is not None and panel.job.state is JobState.finished
    assert panel.gallery.count() == 4

    # The walk between two diffusion results goes through their noise and prompts; its
    # ends remake the results (to float rounding: the results were made in a batch of 4).
    panel.gallery.clearSelection()
    panel.gallery.item(0).setSelected(True)
    panel.gallery.item(1).setSelected(True)
    panel.start_interpolation()
    qtbot.waitUntil(lambda: panel.engine is not None, timeout=60000)
    panel.start_interpolation()
    assert isinstance(panel.explore.walk, PromptWalk)  # the diffusion walk between prompts
    first, second = panel.gallery.selected_entries()
    ends = [panel.frame_at(0.0), panel.frame_at(1.0)]
    for frame, entry in zip(ends, (first, second), strict=True):
        remade = frame.resize((256, 256), Image.Resampling.LANCZOS)
        saved = np.asarray(Image.open(entry.path).convert("RGBA"), dtype=np.float64)
        assert np.abs(np.asarray(remade, dtype=np.float64) - saved).mean() < 1.0
    # The middle is a picture of its own: as far from each end as a good share of the
    # ends' distance from each other (the better the model, the closer two hearts are).
    a, b = (np.asarray(end, dtype=np.float64) for end in ends)
    apart = np.abs(a - b).mean()
    middle = np.asarray(panel.frame_at(0.5), dtype=np.float64)
    assert apart > 2.0, apart
    for end in (a, b):
        assert np.abs(middle - end).mean() > 0.25 * apart, (np.abs(middle - end).mean(), apart)

    source = panel.gallery.entries[0].path
    panel.tabs.setCurrentIndex(1)
    panel.canvas.load_file(source)
    rect = panel.canvas.picture_rect()
    left = QPoint(int(rect.left() + rect.width() * 0.3), int(rect.center().y()))
    right = QPoint(int(rect.left() + rect.width() * 0.7), int(rect.center().y()))
    qtbot.mousePress(panel.canvas, Qt.MouseButton.LeftButton, pos=left)
    qtbot.mouseMove(panel.canvas, right)
    qtbot.mouseRelease(panel.canvas, Qt.MouseButton.LeftButton, pos=right)
    assert panel.controls.mode_note.text().startswith("Inpaint the masked area")
    original, painted = panel.canvas.init_image, panel.canvas.mask_pil()
    assert original is not None
    _generate(qtbot, panel, batch=1, prompt="a blue heart")
    assert panel.job is not None and panel.job.state is JobState.finished, (
        panel.message_label.text()
    )

    def on_white(image: Image.Image) -> np.ndarray:
        rgba = np.asarray(image.convert("RGBA").resize((64, 64)), dtype=np.float64) / 255
        return rgba[..., :3] * rgba[..., 3:] + (1 - rgba[..., 3:])

    # The result shows over the Edit tab's picture (issue 18; a layer since #15), and
    # beside it to drag out; keeping it makes it the picture.
    made = panel.gallery.entries[0].path
    assert panel.tabs.currentIndex() == 1
    assert panel.canvas.result_name == made.name
    panel.canvas.keep_result()
    assert panel.canvas.source_name == made.name and panel.canvas.init_image is not None
    assert np.array_equal(np.asarray(panel.canvas.init_image), np.asarray(load_image(made).image))
    assert [e.path for e in panel.edit_results.entries] == [made]
    assert not panel.canvas.has_mask()  # the redrawn pixels show; Undo brings the mask back
    panel.canvas.undo()
    assert np.array_equal(np.asarray(panel.canvas.mask_pil()), np.asarray(painted))
    result = on_white(Image.open(made))
    before = on_white(original)
    mask = np.asarray(painted.resize((64, 64))) > 0
    outside = np.abs(result - before)[~mask].mean()
    inside = np.abs(result - before)[mask].mean()
    assert outside < 0.03, outside  # unmasked pixels kept (up to resampling)
    assert inside > outside * 2, (inside, outside)  # the masked part was redrawn
    ARTIFACTS.mkdir(exist_ok=True)
    window.grab().save(str(ARTIFACTS / "image-panel-inpaint.png"))


def test_imported_stable_diffusion_models_are_offered(
    make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    entry = import_sd_folder(tmp_path / "my-sd-model")
    window = make_window()
    panel = window.panels["image"]
    assert isinstance(panel, ImagePanel)
    box = panel.controls.model
    index = box.findData(entry.id)
    assert index >= 0 and box.model().item(index).isEnabled()  # type: ignore[attr-defined]


def test_lora_row_is_offered_for_stable_diffusion_models_only(
    make_window: Callable[..., MainWindow], tiny_vae_id: str, tmp_path: Path
) -> None:
    sd = import_sd_folder(tmp_path / "my-sd-model")
    window = make_window()
    window.show_panel("image")
    panel = window.panels["image"]
    assert isinstance(panel, ImagePanel)
    controls = panel.controls
    controls.prompt.setPlainText("a cat")
    controls.model.setCurrentIndex(controls.model.findData(sd.id))
    assert controls.loras.isVisibleTo(panel)
    style, detail = tmp_path / "style.safetensors", tmp_path / "detail.safetensors"
    controls.loras.add(style)
    controls.loras.add(detail, 0.5)
    controls.loras.list.setCurrentRow(0)
    controls.loras.weight.setValue(0.8)  # edits the selected one
    assert "×0.8" in controls.loras.list.item(0).text()
    request, _ = panel._request()
    assert [(w.path.name, w.weight) for w in request.loras] == [
        ("style.safetensors", 0.8),
        ("detail.safetensors", 0.5),
    ]
    controls.loras.add(detail, 1.0)  # adding again updates, never duplicates
    assert controls.loras.list.count() == 2
    # The emoji models take no LoRA: the row hides and the request carries none.
    controls.model.setCurrentIndex(controls.model.findData(tiny_vae_id))
    assert not controls.loras.isVisibleTo(panel)
    assert panel._request()[0].loras == ()


def test_closing_the_window_removes_the_panels_scratch_folder(
    make_window: Callable[..., MainWindow],
) -> None:
    window = make_window()
    panel = window.panels["image"]
    assert isinstance(panel, ImagePanel)
    scratch = panel._scratch
    assert scratch.is_dir()
    window.close()
    assert not scratch.exists()


def test_each_model_shows_its_own_controls_and_defaults(
    make_window: Callable[..., MainWindow], tiny_vae_id: str, tmp_path: Path
) -> None:
    ids = {name: import_sd_folder(tmp_path / name).id for name in ("my-sd-model", "sd-turbo")}
    window = make_window()
    window.show_panel("image")
    panel = window.panels["image"]
    assert isinstance(panel, ImagePanel)
    c = panel.controls

    def choose(model_id: str) -> None:
        c.model.setCurrentIndex(c.model.findData(model_id))

    def samplers() -> list[str]:
        return [c.sampler.itemText(i) for i in range(c.sampler.count())]

    choose(ids["sd-turbo"])  # Turbo: one step, no guidance, said in the note
    assert (c.steps.value(), c.guidance.value()) == (1, 0.0)
    assert samplers() == [
        "Model's own",
        "DDIM",
        "DPM++ 2M",
        "DPM++ 2M Karras",
        "Euler",
        "Euler a",
        "LMS",
        "PLMS",
    ]
    assert "Turbo" in c.model_note.text() and c.model_note.isVisibleTo(panel)
    assert not c.upscale.isVisibleTo(panel)  # the learned upscaler is for the emoji models
    assert c.loras.isVisibleTo(panel)
    request, _ = panel._request()
    assert request.sampler is None and request.upscale is None
    ARTIFACTS.mkdir(exist_ok=True)
    QApplication.processEvents()  # (the splitter makes room for the LoRA row)
    panel.window().grab().save(str(ARTIFACTS / "image-panel-turbo.png"))
    choose(ids["my-sd-model"])
    assert (c.steps.value(), c.guidance.value()) == (25, 7.5)
    c.sampler.setCurrentIndex(c.sampler.findText("Euler a"))
    assert panel._request()[0].sampler == "euler-a"
    choose("emoji-ldm")
    assert (c.steps.value(), c.guidance.value()) == (25, 3.0)
    assert samplers() == ["DDIM", "DPM++ 2M"] and c.upscale.isVisibleTo(panel)
    assert not c.loras.isVisibleTo(panel)
    assert panel._request()[0].sampler == "ddim"
    choose(tiny_vae_id)  # a VAE samples in one go: no steps, guidance or sampler
    for widget in (c.steps, c.guidance, c.sampler):
        assert not widget.isVisibleTo(panel)
    assert c.upscale.isVisibleTo(panel) and panel._request()[0].sampler is None


def test_a_recipe_brings_back_its_model_settings_and_lora_files(
    make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    from engines.imagefile import Recipe

    sd = import_sd_folder(tmp_path / "my-sd-model")
    style = tmp_path / "loras" / "style.safetensors"
    style.parent.mkdir()
    style.write_bytes(b"")
    window = make_window()
    window.show_panel("image")
    panel = window.panels["image"]
    assert isinstance(panel, ImagePanel)
    c = panel.controls
    c.model.setCurrentIndex(c.model.findData(sd.id))
    # Adding a file through the dialog remembers it for later recipes.
    with mock.patch(
        "studio.panels.image_controls.QFileDialog.getOpenFileName",
        return_value=(str(style), ""),
    ):
        c.loras.findChild(QPushButton, "loraAdd").click()
    assert window.context.settings.recent_loras == [str(style)]
    c.loras.clear()
    c.model.setCurrentIndex(c.model.findData("emoji-ldm"))  # somewhere else meanwhile
    recipe = Recipe(
        prompt="a cat in ink",
        model=sd.id,
        seed=11,
        steps=30,
        guidance=5.0,
        sampler="euler-a",
        extra={"LoRA": "style.safetensors:0.7; gone.safetensors:1"},
    )
    panel._on_recipe_found(Recipe.from_parameters(recipe.to_parameters()))
    assert c.model.currentData() == sd.id
    assert (c.steps.value(), c.guidance.value(), c.sampler.currentData()) == (30, 5.0, "euler-a")
    assert [(w.path, w.weight) for w in c.loras.weights()] == [(style, 0.7)]
    assert "LoRA file(s) gone, which" in panel.message_label.text()
    request, _ = panel._request()
    assert request.sampler == "euler-a" and request.seed == 11


def test_a1111_and_comfyui_recipes_bring_back_their_samplers_and_loras(
    make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    import json

    from PIL.PngImagePlugin import PngInfo

    from engines.imagefile import Recipe
    from tests.test_recipe_formats import COMFY_PROMPT

    sd = import_sd_folder(tmp_path / "my-sd-model")
    loras = tmp_path / "loras"
    loras.mkdir()
    for name in ("add_detail", "paper_style"):
        (loras / f"{name}.safetensors").write_bytes(b"")
    window = make_window()
    window.show_panel("image")
    panel = window.panels["image"]
    assert isinstance(panel, ImagePanel)
    for name in ("add_detail", "paper_style"):
        window.context.settings.remember_lora(str(loras / f"{name}.safetensors"))
    c = panel.controls
    c.model.setCurrentIndex(c.model.findData(sd.id))
    a1111 = (
        "a lighthouse at dusk, <lora:add_detail:0.6>, dramatic sky <lora:epiNoiseoffset_v2:1>\n"
        "Negative prompt: lowres\n"
        f"Steps: 28, Sampler: DPM++ 2M Karras, CFG scale: 6.5, Seed: 99, Size: 512x768, "
        f"Model hash: 6ce0161689, Model: {sd.id}, Version: v1.6.0"
    )
    panel._on_recipe_found(Recipe.from_parameters(a1111))
    assert c.prompt.toPlainText() == "a lighthouse at dusk, dramatic sky"
    assert c.sampler.currentData() == "dpm++2m-karras"
    assert [(w.path, w.weight) for w in c.loras.weights()] == [
        (loras / "add_detail.safetensors", 0.6)
    ]
    message = panel.message_label.text()
    assert "LoRA file(s) epiNoiseoffset_v2, which" in message
    request, _ = panel._request()
    assert (request.sampler, request.steps, request.guidance, request.seed) == (
        "dpm++2m-karras", 28, 6.5, 99
    )  # fmt: skip
    # A sampler we lack is said, not dropped; the model's own is used.
    panel._on_recipe_found(Recipe.from_parameters(a1111.replace("2M Karras", "SDE")))
    assert "sampler DPM++ SDE, which" in panel.message_label.text()
    assert c.sampler.currentData() is None
    # An emoji model takes no LoRA: the recipe's are named as left out.
    c.model.setCurrentIndex(c.model.findData("emoji-ldm"))
    panel._on_recipe_found(Recipe.from_parameters(a1111.replace(sd.id, "emoji-ldm")))
    assert "add_detail, epiNoiseoffset_v2, which this model does not take" in (
        panel.message_label.text()
    )
    assert "sampler DPM++ 2M Karras, which" in panel.message_label.text()
    # A ComfyUI picture dropped on the canvas: its graph is the recipe.
    c.model.setCurrentIndex(c.model.findData(sd.id))
    info = PngInfo()
    info.add_text("prompt", json.dumps(COMFY_PROMPT))
    comfy = tmp_path / "ComfyUI_00001_.png"
    Image.new("RGB", (64, 64), "white").save(comfy, pnginfo=info)
    _drop(panel, comfy)
    assert c.prompt.toPlainText() == "a paper crane on a desk"
    assert c.negative.text() == "blurry, text"
    assert (c.steps.value(), c.guidance.value(), c.sampler.currentData()) == (
        20, 8.0, "dpm++2m-karras"
    )  # fmt: skip
    assert [(w.path.name, w.weight) for w in c.loras.weights()] == [
        ("paper_style.safetensors", 0.7),
        ("add_detail.safetensors", 0.5),
    ]
    assert "dreamshaper_8 is not installed here" in panel.message_label.text()


def test_the_panel_is_a_view_of_its_state(panel: ImagePanel, tiny_vae_id: str) -> None:
    """Controls and state agree both ways; the request is built from the state."""
    from engines.errors import BadInput
    from studio.panels.image_state import ImageState

    c, state = panel.controls, panel.state
    assert state.model_id == tiny_vae_id
    c.prompt.setPlainText("  a state-made apple ")
    c.negative.setText("blur")
    state.batch, state.size = 3, (128, 128)
    assert c.batch.value() == 3 and c.size_box.currentData() == (128, 128)
    state.strength = 0.333  # the slider shows hundredths: the state takes what it shows
    assert c.strength.value() == 33 and state.strength == pytest.approx(0.33)
    request = state.request(7, init_image=Path("init.png"))
    assert (request.prompt, request.negative_prompt) == ("a state-made apple", "blur")
    assert (request.model_id, request.seed, request.batch, request.size) == (
        tiny_vae_id,
        7,
        3,
        128,
    )
    assert request.strength == pytest.approx(0.33)
    assert request.sampler is None  # a VAE takes no sampler, whatever the state holds
    assert state.request(7).strength is None  # text to image: no strength
    assert panel._request()[0].prompt == "a state-made apple"
    with pytest.raises(BadInput, match="Choose an image model"):
        ImageState().request(1)


def test_a_recipe_brings_back_its_size(panel: ImagePanel) -> None:
    """The size combo holds (width, height) tuples; a recipe's parsed size is an equal
    tuple, not the same object, and must still find its item."""
    from engines.imagefile import Recipe

    recipe = Recipe(
        prompt="a small apple", model=panel.state.model_id, seed=3, width=128, height=128
    )
    panel._on_recipe_found(Recipe.from_parameters(recipe.to_parameters()))
    assert panel.controls.size_box.currentData() == (128, 128)
    assert panel.state.size == (128, 128) and panel._request()[0].size == 128


def test_seed_loras_and_canvas_live_in_the_state(
    qtbot: QtBot, panel: ImagePanel, tmp_path: Path
) -> None:
    """A widget edit reaches the state, a state change reaches the widget, and the request
    is built from the state (issue 19)."""
    from engines.image.types import LoraWeight

    c, state = panel.controls, panel.state
    c.seed.spin.setValue(4321)
    c.seed.lock.setChecked(True)
    assert (state.seed, state.seed_locked) == (4321, True)
    state.seed, state.seed_locked = 99, False
    assert (c.seed.spin.value(), c.seed.lock.isChecked()) == (99, False)
    request, _ = panel._request()  # unlocked: a new seed, shown in the spin box
    assert request.seed == state.seed == c.seed.spin.value() != 99

    style = tmp_path / "style.safetensors"
    style.write_bytes(b"")
    c.loras.add(style, 0.7)
    assert state.loras == (LoraWeight(style, 0.7),)
    c.loras.weight.setValue(0.4)
    assert state.loras == (LoraWeight(style, 0.4),)
    detail = LoraWeight(tmp_path / "detail.safetensors", 1.5)
    state.loras = (detail,)
    assert c.loras.weights() == (detail,) and c.loras.list.count() == 1

    picture = Image.new("RGBA", (64, 64), (10, 200, 10, 255))
    state.edit_image = picture  # the state's picture goes onto the canvas
    assert panel.canvas.init_image is not None
    assert panel.canvas.init_image.tobytes() == picture.tobytes()
    # A new picture on the canvas is used, as a dropped one is.
    assert panel.use_canvas.isChecked() and state.use_edit
    painted = Image.new("L", (64, 64), 0)
    painted.paste(255, (8, 8, 24, 24))
    state.edit_mask = painted
    assert panel.canvas.has_mask() and panel.canvas.mask_pil().tobytes() == painted.tobytes()
    assert panel.controls.mode_note.text().startswith("Inpaint the masked area")
    request, _ = panel._request()
    assert request.init_image is not None and request.mask is not None
    assert Image.open(request.mask).tobytes() == painted.tobytes()
    panel.canvas.clear_mask()  # and the canvas's edits reach the state
    assert state.edit_mask is None
    assert panel.controls.mode_note.text().startswith("Image to image")
    panel.use_canvas.setChecked(False)
    assert not state.use_edit and panel._request()[0].init_image is None
    panel.canvas.clear_image()
    assert state.edit_image is None and not state.use_edit
    assert panel.controls.mode_note.text() == "Text to image"


def test_the_explore_tab_is_a_view_over_its_state(qtbot: QtBot, panel: ImagePanel) -> None:
    """The slider, the pad's point and the direction amounts live in ExploreState: a widget
    edit reaches it, a state change moves the widget, and the frames follow it (#19)."""
    from studio.panels.image_explore import SLIDER_STEPS
    from studio.panels.image_state import LatentWalk

    explore = panel.explore
    assert not panel.slider.isEnabled() and not panel.export_button.isEnabled()
    qtbot.waitUntil(lambda: panel.controls.generate_button.isEnabled(), timeout=30000)
    panel.ensure_engine()
    qtbot.waitUntil(lambda: panel.engine is not None, timeout=30000)
    engine = panel.engine
    assert engine is not None
    from engines.image.engine import LatentRequest
    from studio.panels.image_explore import QUICK

    a = engine.generate(LatentRequest(seed=1), QUICK)
    b = engine.generate(LatentRequest(seed=2), QUICK)
    explore.walk = LatentWalk(a, b)  # the state's walk turns the slider and export on
    assert panel.slider.isEnabled() and panel.export_button.isEnabled()
    panel.slider.setValue(SLIDER_STEPS // 4)
    assert explore.position == 0.25
    shown = getattr(panel, "frames_shown", 0)
    explore.position = 0.75
    assert panel.slider.value() == 3 * SLIDER_STEPS // 4
    qtbot.waitUntil(lambda: getattr(panel, "frames_shown", 0) > shown, timeout=30000)
    assert panel.frame_at(0.0).tobytes() != panel.frame_at(1.0).tobytes()

    panel.pad.set_point(0.1, 0.9)
    assert explore.pad_point == (0.1, 0.9)
    explore.pad_point = (0.6, 0.4)
    assert (panel.pad.u, panel.pad.v) == (0.6, 0.4)

    explore.walk = None  # e.g. another model: nothing to walk or export
    assert not panel.slider.isEnabled() and not panel.export_button.isEnabled()
