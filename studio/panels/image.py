"""The Image panel: prompt to gallery, latent exploration, and drag-and-drop editing.

Three tabs share one set of prompt controls:

* Results: the live preview while sampling, then the gallery of results (with a history
  that survives restarts; click one to load its settings; drag it out as a PNG file).
* Edit: drop or paste a picture, paint a mask; Generate then runs img2img (and inpaints
  where the mask is); a result can be sent back to keep editing.
* Explore: an interpolation strip and slider between two selected results, a 2-D pad
  between four, the model's latent directions as sliders, and walk export.

Generation runs as jobs on the studio's runner; live slider frames come from a
:class:`LiveDecoder` thread, so the GUI thread never waits for torch.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from engines.catalogue import Task
from engines.errors import BadInput
from engines.image.api import model_defaults
from engines.image.types import ImageRequest, ImageResult
from engines.imagefile import WALK_FORMATS, Recipe, load_image, save_result, save_walk
from engines.jobs import Job, JobContext, JobState
from studio.context import StudioContext
from studio.imageconv import pil_to_qimage
from studio.panels.base import PanelBase
from studio.panels.image_controls import CanvasTools, ImagePromptControls
from studio.widgets.direction_sliders import DirectionSliders
from studio.widgets.gallery import EditResultsStrip, GalleryEntry, GalleryWidget, new_entry
from studio.widgets.image_canvas import ImageCanvas
from studio.widgets.latent_pad import LatentPad, bilinear_weights
from studio.widgets.live_decoder import LiveDecoder

if TYPE_CHECKING:
    from PIL import Image

    from engines.image.api import ImageEngine

OUTPUT_SIZES = (64, 128, 256, 512)
STRIP_FRAMES = 8
STRIP_COLUMNS = 4
DIRECTIONS_WIDTH = 190
SLIDER_STEPS = 1000
MAX_DIRECTION_SLIDERS = 5
DRAFT_STEPS = 6  # sampler steps for diffusion-walk frames while the slider is dragged


def load_image_engine(model_id: str) -> ImageEngine:
    from engines.image.api import load_engine

    return load_engine(model_id)


class ImagePanel(PanelBase):
    task = Task.image
    title = "Image"
    subtitle = (
        "Images from text, latent sliders between results, and drag-and-drop editing "
        "with a painted mask."
    )

    def __init__(self, context: StudioContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.engine: ImageEngine | None = None
        self.engine_id: str | None = None
        self.job: Job[Any] | None = None
        self._request_running = ImageRequest(prompt="")
        self._generated_with: tuple[str, ImageEngine] | None = None
        self._load_job: Job[Any] | None = None
        self._latents: dict[str, Any] = {}  # "a", "b", "pad0".."pad3", "base" -> tensors
        self._direction_amounts: dict[int, float] = {}
        self._walk: tuple[Any, ...] | None = None
        self.decoder = LiveDecoder()
        self.decoder.frame_ready.connect(self._on_frame)
        self.decoder.failed.connect(lambda _tag, text: self.show_message(text))
        self._scratch = Path(tempfile.mkdtemp(prefix="sozo-image-"))

        # -- prompt area ---------------------------------------------------------------
        prompt_layout = QVBoxLayout(self.prompt_area)
        prompt_layout.setContentsMargins(0, 0, 0, 0)
        self.controls = ImagePromptControls()
        self.controls.generate_requested.connect(self.generate)
        self.controls.stop_requested.connect(self.cancel)
        self.controls.model.currentIndexChanged.connect(self._on_model_changed)
        self.controls.loras.added.connect(context.settings.remember_lora)
        for size in OUTPUT_SIZES:
            self.controls.size_box.addItem(f"{size}×{size}", (size, size))
        self.controls.size_box.setCurrentIndex(OUTPUT_SIZES.index(256))
        # Read by the decoder thread: a plain bool, set here on the GUI thread.
        self.upscale_frames = self.controls.upscale.isChecked()
        self.controls.upscale.toggled.connect(lambda on: setattr(self, "upscale_frames", on))
        prompt_layout.addWidget(self.controls)

        # -- output area ---------------------------------------------------------------
        out_layout = QVBoxLayout(self.output_area)
        out_layout.setContentsMargins(0, 4, 0, 0)
        self.message_label = QLabel()
        self.message_label.setObjectName("imageMessage")
        self.message_label.setWordWrap(True)
        out_layout.addWidget(self.message_label)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("imageTabs")
        self.tabs.addTab(self._build_results_tab(), "Results")
        self.tabs.addTab(self._build_edit_tab(), "Edit")
        self.tabs.addTab(self._build_explore_tab(), "Explore")
        out_layout.addWidget(self.tabs, 1)

        paste = QShortcut(QKeySequence.StandardKey.Paste, self)
        paste.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        paste.activated.connect(self._paste)
        self._fill_models()
        self._update_mode_note()

    # -- building ------------------------------------------------------------------------
    def _build_results_tab(self) -> QWidget:
        tab = QWidget()
        layout = QHBoxLayout(tab)
        left = QVBoxLayout()
        self.preview = QLabel("Results appear here.")
        self.preview.setObjectName("imagePreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(256, 256)
        left.addWidget(self.preview, 1)
        row = QHBoxLayout()
        self.send_button = QPushButton("Send to canvas")
        self.send_button.setToolTip("Edit the selected result: img2img or inpainting")
        self.send_button.clicked.connect(self._send_to_canvas)
        self.folder_button = QPushButton("Open output folder")
        self.folder_button.clicked.connect(self._open_folder)
        row.addWidget(self.send_button)
        row.addWidget(self.folder_button)
        left.addLayout(row)
        layout.addLayout(left, 1)
        self.gallery = GalleryWidget()
        self.gallery.entry_activated.connect(self._on_entry_activated)
        layout.addWidget(self.gallery, 1)
        return tab

    def _build_edit_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.tools = CanvasTools()
        self.canvas = ImageCanvas()
        self.use_canvas = QCheckBox("Generate from this picture (img2img; inpaint the mask)")
        self.use_canvas.setObjectName("useCanvas")
        self.tools.brush.toggled.connect(lambda on: setattr(self.canvas, "erasing", not on))
        self.tools.size_box.valueChanged.connect(
            lambda v: setattr(self.canvas, "brush_size", float(v))
        )
        self.tools.softness.valueChanged.connect(
            lambda v: setattr(self.canvas, "softness", v / 100)
        )
        self.tools.undo.clicked.connect(self.canvas.undo)
        self.tools.redo.clicked.connect(self.canvas.redo)
        self.tools.clear.clicked.connect(self.canvas.clear_mask)
        self.tools.open.clicked.connect(self._open_image)
        for key, slot in (
            (QKeySequence.StandardKey.Undo, self.canvas.undo),
            (QKeySequence.StandardKey.Redo, self.canvas.redo),
        ):
            shortcut = QShortcut(key, tab)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.canvas.message.connect(self.show_message)
        self.canvas.recipe_found.connect(self._on_recipe_found)
        self.canvas.image_changed.connect(self._on_canvas_image)
        self.canvas.mask_changed.connect(self._update_mode_note)
        self.use_canvas.toggled.connect(self._update_mode_note)
        # Results made from this picture come back here, beside it (see _on_generation_done).
        self.edit_results = EditResultsStrip()
        self.edit_results.entry_activated.connect(self._edit_result)
        row = QHBoxLayout()
        row.addWidget(self.canvas, 1)
        row.addWidget(self.edit_results)
        layout.addWidget(self.tools)
        layout.addLayout(row, 1)
        layout.addWidget(self.use_canvas)
        return tab

    def _build_explore_tab(self) -> QWidget:
        tab = QWidget()
        grid = QGridLayout(tab)
        # Interpolation between two results.
        self.pick_ab = QPushButton("Interpolate the two selected results")
        self.pick_ab.setObjectName("interpolateButton")
        self.pick_ab.clicked.connect(self.start_interpolation)
        self.frame_label = QLabel("Select two results in the gallery (Ctrl+click).")
        self.frame_label.setObjectName("interpolationFrame")
        self.frame_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.frame_label.setMinimumSize(160, 160)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("interpolationSlider")
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.setEnabled(False)
        self.slider.valueChanged.connect(self._on_slider)
        self.slider.sliderReleased.connect(lambda: self._on_slider(self.slider.value()))
        # Two rows of four, read like text: narrow enough to leave the pad and the
        # direction sliders their room beside it at the default window size.
        self.strip = QGridLayout()
        self.strip_labels: list[QLabel] = []
        for i in range(STRIP_FRAMES):
            label = QLabel()
            label.setFixedSize(56, 56)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.strip_labels.append(label)
            self.strip.addWidget(label, i // STRIP_COLUMNS, i % STRIP_COLUMNS)
        export_row = QHBoxLayout()
        self.walk_frames = QSpinBox()
        self.walk_frames.setRange(2, 240)
        self.walk_frames.setValue(24)
        self.walk_frames.setPrefix("Frames ")
        self.export_button = QPushButton("Export walk…")
        self.export_button.setObjectName("exportWalk")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._ask_export_walk)
        export_row.addWidget(self.walk_frames)
        export_row.addWidget(self.export_button)
        export_row.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.pick_ab)
        left.addWidget(self.frame_label, 1)
        left.addWidget(self.slider)
        left.addLayout(self.strip)
        left.addLayout(export_row)

        # The 2-D pad between four results, and the direction sliders in a column beside
        # it (below it they had no room and were drawn over the pad's corner pictures).
        self.pad_button = QPushButton("Pad: corners from the selected results")
        self.pad_button.setObjectName("padButton")
        self.pad_button.clicked.connect(self.start_pad)
        self.pad = LatentPad()
        self.pad.point_changed.connect(self._on_pad)
        self.directions = DirectionSliders()
        self.directions.setFixedWidth(DIRECTIONS_WIDTH)
        self.directions.moved.connect(self._on_direction)
        self.directions.reset.connect(self._reset_directions)
        grid.addWidget(self.pad_button, 0, 1, 1, 2)
        grid.addWidget(self.pad, 1, 1)
        grid.addWidget(self.directions, 1, 2)
        grid.addLayout(left, 0, 0, 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        return tab

    # -- models --------------------------------------------------------------------------
    def _fill_models(self) -> None:
        box = self.controls.model
        box.clear()
        first_available = -1
        for entry in self.context.catalogue.for_task(Task.image):
            if entry.family == "upscaler":  # it enlarges other models' pictures (Upscale)
                continue
            state = entry.availability()
            # The image API loads the emoji models, the face GAN and Stable Diffusion.
            ours = (entry.engine_module or "").startswith("engines.image.")
            label = entry.name if state.available else f"{entry.name} (not installed)"
            box.addItem(label, entry.id)
            index = box.count() - 1
            usable = state.available and ours and entry.engine_ready
            item = box.model().item(index)  # type: ignore[attr-defined]
            item.setEnabled(usable)
            reason = (
                state.message if not state.available else "" if ours else "engine not built yet"
            )
            box.setItemData(index, reason or entry.description, Qt.ItemDataRole.ToolTipRole)
            if usable and first_available < 0:
                first_available = index
        if first_available >= 0:
            box.setCurrentIndex(first_available)
        self.controls.generate_button.setEnabled(first_available >= 0)
        if first_available < 0:
            self.show_message("No image model is installed: see Tools → Models for how to get one.")

    def _on_model_changed(self, *_: object) -> None:
        model_id = self.controls.model.currentData()
        if model_id != self.engine_id:
            self.engine = None
            self.engine_id = None
            self._latents.clear()
        entry = next(
            (m for m in self.context.catalogue.for_task(Task.image) if m.id == model_id), None
        )
        notes: list[str] = []
        if entry is not None:
            defaults = model_defaults(entry)
            self.controls.set_model_defaults(defaults)
            notes = [entry.licence_note, defaults.note]
        note = "\n".join(n for n in notes if n)
        self.controls.model_note.setText(note)
        self.controls.model_note.setVisible(bool(note))

    def _engine_work(self, model_id: str, ctx: JobContext) -> ImageEngine:
        ctx.report(0, None, message=f"Loading {model_id}…")
        return load_image_engine(model_id)

    def ensure_engine(self) -> None:
        """Load the chosen model as a job (first use only); exploring waits for it."""
        model_id = self.controls.model.currentData()
        if model_id is None or (self.engine is not None and self.engine_id == model_id):
            return
        job: Job[ImageEngine] = Job(
            f"Load image model {model_id}",
            lambda ctx: self._engine_work(model_id, ctx),
            task="image",
        )
        self._load_job = job
        self.context.runner.submit(job, on_done=self._on_load_done)

    def _on_load_done(self, job: Job[Any]) -> None:
        if job is not self._load_job:  # a later choice of model replaced this load
            return
        if job.state is JobState.finished:
            self.engine, self.engine_id = job.result, self.controls.model.currentData()
            self._after_engine_loaded()
        elif job.error:
            self.show_message(job.error)

    # -- generating ----------------------------------------------------------------------
    def _request(self) -> tuple[ImageRequest, str]:
        c = self.controls
        model_id = c.model.currentData()
        if model_id is None:
            raise BadInput("Choose an image model first (Tools → Models lists what is installed).")
        prompt = c.prompt.toPlainText().strip()
        size = c.size_box.currentData()[0]
        init = mask = None
        strength: float | None = None
        if self.use_canvas.isChecked() and self.canvas.init_image is not None:
            init = self._scratch / "init.png"
            self.canvas.init_image.save(init)
            strength = c.strength_value
            if self.canvas.has_mask():
                mask = self._scratch / "mask.png"
                self.canvas.mask_pil().save(mask)
        request = ImageRequest(
            prompt=prompt,
            negative_prompt=c.negative.text().strip(),
            model_id=model_id,
            seed=c.seed.next_seed(),
            steps=c.steps.value(),
            guidance=c.guidance.value(),
            batch=c.batch.value(),
            init_image=init,
            strength=strength,
            mask=mask,
            size=size,
            sampler=c.sampler_value,
            upscale=c.upscale.isChecked() if c.upscale.isVisibleTo(self) else None,
            loras=c.loras.weights() if c.loras.isVisibleTo(self) else (),
        )
        return request, model_id

    def generate(self) -> None:
        if self.job is not None and not self.job.state.is_final:
            self.show_message("A generation is running: Stop it (Esc) or wait for it.")
            return
        try:
            request, model_id = self._request()
        except BadInput as exc:
            self.show_message(str(exc))
            return
        self._request_running = request

        def work(ctx: JobContext) -> ImageResult:
            engine = self._engine_work(model_id, ctx)
            # Handed to the GUI thread in _on_generation_done: exploring reuses this engine
            # instead of queueing a second "Load image model" job.
            self._generated_with = (model_id, engine)
            return engine.generate(request, ctx)

        kind = "Inpaint" if request.mask else "Image to image" if request.init_image else "Image"
        self.job = Job(f"{kind}: {request.prompt[:40] or '(no prompt)'}", work, task="image")
        self.controls.set_running(True)
        self.show_message("")
        self.context.runner.submit(
            self.job, on_done=self._on_generation_done, on_progress=self._on_generation_progress
        )

    def _on_generation_progress(self, job: Job[Any]) -> None:
        if job is not self.job or job.progress is None:
            return
        preview = job.progress.preview
        if preview is not None and hasattr(preview, "convert"):
            self._show_preview(pil_to_qimage(preview))

    def _on_generation_done(self, job: Job[Any]) -> None:
        if job is not self.job:  # a newer generation owns the panel now
            return
        self.controls.set_running(False)
        if job.state is JobState.failed:
            self.show_message(job.error or "The generation failed.")
            return
        saved, notes = self._save_results(job)
        for path, recipe in saved:
            self.gallery.add(new_entry(path, recipe))
        if saved:
            self._show_preview(QImage(str(saved[-1][0])))
            self.gallery.setCurrentRow(0)
        if saved and self._request_running.init_image is not None:  # made from the canvas
            for path, recipe in saved:
                self.edit_results.add(new_entry(path, recipe))
            self._edit_result(self.edit_results.entries[0])
        if job.state is JobState.cancelled:
            notes.append(f"Stopped: kept {len(saved)} result(s) made before the stop.")
        self.show_message(" ".join(notes))
        loaded = self._generated_with
        self._generated_with = None
        if self.engine is None and loaded and loaded[0] == self.controls.model.currentData():
            self.engine, self.engine_id = loaded[1], loaded[0]
            self._after_engine_loaded()
        elif self.engine is None:
            self.ensure_engine()

    def _save_results(self, job: Job[Any]) -> tuple[list[tuple[Path, Recipe]], list[str]]:
        """Save a finished (or stopped) job's pictures with their recipes."""
        request = self._request_running
        if isinstance(job.result, ImageResult):
            pictures = list(job.result.images)
            base = Recipe.from_parameters(job.result.parameters)
            first_seed, notes = job.result.seed, list(job.result.notices)
        else:  # stopped: the engine handed over the pictures made so far
            pictures = [p for p in (job.result or []) if hasattr(p, "save")]
            base = Recipe(prompt=request.prompt, steps=request.steps, guidance=request.guidance)
            first_seed, notes = request.seed or 0, []
        base = replace(base, negative_prompt=request.negative_prompt, model=request.model_id)
        output_dir = Path(self.context.settings.output_dir)
        saved = []
        for i, picture in enumerate(pictures):
            # Each picture gets its own seed, so its recipe remakes it alone (batch 1).
            recipe = replace(base, seed=first_seed + i)
            try:
                saved.append((save_result(picture, output_dir, recipe), recipe))
            except (OSError, BadInput) as exc:
                notes.append(f"Could not save to {output_dir}: {exc}")
                break
        return saved, notes

    # -- helpers -------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        self.message_label.setText(text)

    def _show_preview(self, image: QImage) -> None:
        pixmap = QPixmap.fromImage(image)
        side = min(self.preview.width(), self.preview.height(), 512)
        self.preview.setPixmap(
            pixmap.scaled(
                side,
                side,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.FastTransformation,
            )
        )

    def _on_entry_activated(self, entry: GalleryEntry) -> None:
        notices = self.controls.apply_recipe(entry.recipe, self.context.settings.recent_loras)
        self._show_preview(QImage(str(entry.path)))
        self.show_message(" ".join(notices))

    def _on_recipe_found(self, recipe: Recipe) -> None:
        notices = self.controls.apply_recipe(recipe, self.context.settings.recent_loras)
        self.show_message(
            " ".join(
                [f"Loaded the settings stored in the picture: “{recipe.prompt[:60]}”.", *notices]
            )
        )

    def _on_canvas_image(self) -> None:
        self.use_canvas.setChecked(self.canvas.init_image is not None)
        self._update_mode_note()

    def _update_mode_note(self, *_: object) -> None:
        if self.use_canvas.isChecked() and self.canvas.init_image is not None:
            mode = "Inpaint the masked area" if self.canvas.has_mask() else "Image to image"
            text = f"{mode} from {self.canvas.source_name}"
        else:
            text = "Text to image"
        self.controls.mode_note.setText(text)

    def _send_to_canvas(self) -> None:
        entries = self.gallery.selected_entries()
        if not entries:
            self.show_message("Select a result in the gallery first.")
            return
        self.canvas.load_file(entries[0].path)
        self.tabs.setCurrentIndex(1)

    def _edit_result(self, entry: GalleryEntry) -> None:
        """A result made on the Edit tab becomes the picture there, to keep editing."""
        try:
            loaded = load_image(entry.path)
        except BadInput as exc:
            self.show_message(str(exc))
            return
        self.canvas.take_result(loaded.image, entry.path.name)

    def _open_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Open a picture",
            "",
            "Images (*.png *.jpg *.jpeg *.webp *.gif *.bmp *.tif *.tiff)",
        )
        if path:
            self.canvas.load_file(path)

    def _paste(self) -> None:
        if self.canvas.paste():
            self.tabs.setCurrentIndex(1)

    def _open_folder(self) -> None:
        folder = Path(self.context.settings.output_dir)
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # -- exploring -----------------------------------------------------------------------
    def _latent_of(self, entry: GalleryEntry) -> Any:
        """A result's latent: encoded from its pixels where the model can encode, else the
        model's starting latent for the result's seed (GAN)."""
        engine = self.engine
        assert engine is not None
        if engine.can_encode:
            from PIL import Image

            with Image.open(entry.path) as im:
                return engine.encode(im.convert("RGBA"))
        if entry.recipe.model != engine.model_id or entry.recipe.seed is None:
            raise BadInput(
                f"{entry.path.name} was made by {entry.recipe.model or 'another model'}; "
                f"{engine.model_id} can only explore its own results."
            )
        return engine.random_latent(entry.recipe.seed)

    def _with_engine(self) -> bool:
        if self.engine is None or self.engine_id != self.controls.model.currentData():
            self.ensure_engine()
            self.show_message("Loading the model for exploring… try again in a moment.")
            return False
        return True

    def start_interpolation(self) -> None:
        entries = self.gallery.selected_entries()
        if len(entries) != 2:
            self.show_message(
                "Select exactly two results in the gallery (Ctrl+click) to interpolate."
            )
            return
        if not self._with_engine():
            return
        self._walk = self._diffusion_walk(entries)
        if self._walk is None:
            try:
                self._latents["a"], self._latents["b"] = (self._latent_of(e) for e in entries)
            except BadInput as exc:
                self.show_message(str(exc))
                return
        else:
            self._latents["a"] = self._latents["b"] = None  # the walk samples instead
        self.slider.setEnabled(True)
        self.export_button.setEnabled(True)
        self._fill_strip()
        self._on_slider(self.slider.value())

    def _diffusion_walk(self, entries: list[GalleryEntry]) -> tuple[Any, ...] | None:
        """For two results of the diffusion model made from prompts: walk between their
        starting noise and their prompts (endpoints remake the results). Else None: the
        walk goes through the latent of the pictures themselves."""
        engine = self.engine
        recipes = [e.recipe for e in entries]
        if not hasattr(engine, "walk_frame") or engine is None:
            return None
        if any(
            r.model != engine.model_id or r.seed is None or not r.prompt.strip() for r in recipes
        ):
            return None
        a, b = recipes
        steps = min(a.steps or 25, 50)
        return ((a.prompt, a.seed), (b.prompt, b.seed), steps, a.guidance)

    def frame_at(self, t: float, *, draft: bool = False) -> Image.Image:
        """The walk's picture at ``t`` in [0, 1] (any thread). ``draft``: while a diffusion
        walk's slider is being dragged, fewer sampler steps keep it moving smoothly; the
        full-step frame follows on release."""
        engine = self.engine
        assert engine is not None
        upscale = self.upscale_frames
        if self._walk is not None:
            a, b, steps, guidance = self._walk
            steps = min(steps, DRAFT_STEPS) if draft else steps
            return engine.walk_frame(  # type: ignore[attr-defined]
                a, b, t, steps=steps, guidance=guidance, upscale=upscale
            )
        return engine.frame(
            engine.interpolate(self._latents["a"], self._latents["b"], t), upscale=upscale
        )

    def _fill_strip(self) -> None:
        for i in range(STRIP_FRAMES):
            t = i / (STRIP_FRAMES - 1)
            self.decoder.submit(f"strip{i}", partial(self.frame_at, t))

    def _on_slider(self, value: int) -> None:
        if "a" not in self._latents or self.engine is None:
            return
        t, draft = value / SLIDER_STEPS, self.slider.isSliderDown()
        self.decoder.submit("interpolate", lambda: self.frame_at(t, draft=draft))

    def start_pad(self) -> None:
        entries = self.gallery.selected_entries()
        if not self._with_engine():
            return
        engine = self.engine
        assert engine is not None
        try:
            corners = [self._latent_of(e) for e in entries[:4]]
        except BadInput as exc:
            self.show_message(str(exc))
            return
        seed = self.controls.seed.spin.value()
        while len(corners) < 4:  # too few selected: fill with fresh samples
            corners.append(engine.random_latent(seed + len(corners)))
        for i, latent in enumerate(corners):
            self._latents[f"pad{i}"] = latent
            self.pad.set_corner(i, pil_to_qimage(engine.decode(latent)[0]))
        self._latents["base"] = corners[0]
        self._fill_directions()
        self._on_pad(self.pad.u, self.pad.v)

    def _pad_latent(self, u: float, v: float) -> Any:
        weights = bilinear_weights(u, v)
        corners = [self._latents[f"pad{i}"] for i in range(4)]
        blended = sum(w * z for w, z in zip(weights, corners, strict=True))
        # A weighted mean of Gaussian latents is too short; restore a typical length.
        norm = sum(w * z.norm() for w, z in zip(weights, corners, strict=True))
        return blended * (norm / blended.norm().clamp_min(1e-6))

    def _on_pad(self, u: float, v: float) -> None:
        if "pad0" not in self._latents or self.engine is None:
            return
        engine = self.engine
        amounts = dict(self._direction_amounts)
        upscale = self.upscale_frames

        def frame() -> Image.Image:
            latent = self._pad_latent(u, v)
            for index, amount in amounts.items():
                latent = engine.move(latent, index, amount)
            return engine.frame(latent, upscale=upscale)

        self.decoder.submit("pad", frame)

    def _fill_directions(self) -> None:
        self._direction_amounts.clear()
        engine = self.engine
        directions = engine.directions()[:MAX_DIRECTION_SLIDERS] if engine else []
        self.directions.set_directions(directions, engine.model_id if engine else "This model")

    def _on_direction(self, index: int, amount: float) -> None:
        self._direction_amounts[index] = amount
        self._on_pad(self.pad.u, self.pad.v)

    def _reset_directions(self) -> None:
        self._direction_amounts.clear()
        self._on_pad(self.pad.u, self.pad.v)

    def _after_engine_loaded(self) -> None:
        self._fill_directions()

    def _on_frame(self, tag: str, frame: QImage) -> None:
        pixmap = QPixmap.fromImage(frame)
        if tag == "interpolate":
            side = min(self.frame_label.width(), self.frame_label.height())
            self.frame_label.setPixmap(
                pixmap.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio)
            )
        elif tag == "pad":
            self.pad.set_frame(frame)
        elif tag.startswith("strip"):
            label = self.strip_labels[int(tag[5:])]
            label.setPixmap(pixmap.scaled(56, 56, Qt.AspectRatioMode.KeepAspectRatio))
        self.frames_shown = getattr(self, "frames_shown", 0) + 1

    def _ask_export_walk(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Export the walk",
            str(Path(self.context.settings.output_dir) / "walk.gif"),
            "Animated GIF (*.gif);;MP4 video (*.mp4);;PNG strip (*.png)",
        )
        if path:
            self.export_walk(Path(path))

    def export_walk(self, path: Path) -> Job[Path] | None:
        """Write the A→B walk with the chosen number of frames, as a job (a diffusion
        walk samples every frame)."""
        if (
            path.suffix.lower() not in WALK_FORMATS
            or "a" not in self._latents
            or self.engine is None
        ):
            self.show_message("Interpolate two results first, then export as .gif, .mp4 or .png.")
            return None
        count = self.walk_frames.value()

        def work(ctx: JobContext) -> Path:
            frames = []
            for i in range(count):
                frames.append(self.frame_at(i / (count - 1)))
                ctx.report(i + 1, count, message=f"frame {i + 1} of {count}")
            return save_walk(frames, path)

        job: Job[Path] = Job(f"Export walk to {path.name}", work, task="image")
        self.context.runner.submit(job, on_done=self._on_export_done)
        return job

    def _on_export_done(self, job: Job[Any]) -> None:
        done = job.state is JobState.finished
        self.show_message(f"Exported the walk to {job.result}." if done else job.error or "")

    def shutdown(self) -> None:
        self.decoder.stop()
        # The canvas picture and mask handed to jobs; jobs are stopped before this runs.
        shutil.rmtree(self._scratch, ignore_errors=True)
