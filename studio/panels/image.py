"""The Image panel: prompt to gallery, latent exploration, and drag-and-drop editing.

Three tabs share one set of prompt controls:

* Results: the live preview while sampling, then the gallery of results (with a history
  that survives restarts; click one to load its settings; drag it out as a PNG file).
* Edit: drop or paste a picture, paint a mask; Generate then runs img2img (and inpaints
  where the mask is); a result can be sent back to keep editing.
* Explore: an interpolation strip and slider between two selected results, a 2-D pad
  between four, the model's latent directions as sliders, and walk export.

The prompt controls, the seed, the LoRA list and the canvas's picture and mask are bound
to an :class:`~studio.panels.image_state.ImageState`, from which requests are built.
Models load and run only through :mod:`engines.registry` (an import-linter contract in
pyproject.toml holds it so). The Explore tab lives in :mod:`studio.panels.image_explore`.
Generation runs as jobs on the studio's runner; live slider frames come from a
:class:`LiveDecoder` thread, so the GUI thread never waits for torch.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from engines import registry
from engines.catalogue import Task
from engines.errors import BadInput
from engines.image.captions_ja import read_japanese
from engines.image.engine import ExploreInfo, model_defaults
from engines.image.saving import SavedPictures, save_pictures
from engines.image.types import ImageRequest, ImageResult
from engines.imagefile import Recipe, load_image, save_result
from engines.jobs import Job, JobContext, JobState
from engines.registry import Engine
from studio.context import StudioContext
from studio.history import recorder as history_hooks
from studio.i18n.engine_text import render, render_all
from studio.imageconv import pil_to_qimage
from studio.panels.base import PanelBase
from studio.panels.image_controls import CanvasTools, ImagePromptControls
from studio.panels.image_edit_options import ImageEditOptionsWidget
from studio.panels.image_explore import ExploreTabMixin
from studio.panels.image_state import ExploreState, ImageState
from studio.state import Binding, bind
from studio.widgets.canvas.base import MAX_BRUSH_SIZE
from studio.widgets.canvas.layers_list import LayersList
from studio.widgets.canvas.toolbar import CanvasActions
from studio.widgets.gallery import EditResultsStrip, GalleryEntry, GalleryWidget, new_entry
from studio.widgets.image_canvas import ImageCanvas
from studio.widgets.live_decoder import LiveDecoder

OUTPUT_SIZES = (64, 128, 256, 512)


def _save_finished(
    result: ImageResult, request: ImageRequest, folder: Path, marks: dict[str, Any]
) -> SavedPictures:
    """Save a finished generation's pictures, each with the recipe that remakes it
    (``marks``: the watermark and signing switches, as set when the job started)."""
    base = Recipe.from_parameters(result.parameters)
    base = replace(base, negative_prompt=request.negative_prompt, model=request.model_id)
    return save_pictures(list(result.images), base, result.seed, folder, **marks)


class ImagePanel(PanelBase, ExploreTabMixin):
    task = Task.image
    # Translated where they are shown (the header here, the window's list of panels).
    title = str(QT_TRANSLATE_NOOP("ImagePanel", "Image"))
    subtitle = str(
        QT_TRANSLATE_NOOP(
            "ImagePanel",
            "Images from text, latent sliders between results, and drag-and-drop editing "
            "with a painted mask.",
        )
    )

    def __init__(self, context: StudioContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._translate_header()
        self.engine: Engine | None = None
        self.engine_id: str | None = None
        self.explore_info: ExploreInfo | None = None  # what the loaded engine explores
        self.job: Job[Any] | None = None
        self._request_running = ImageRequest(prompt="")
        self._generated_with: tuple[str, Engine] | None = None
        # A finished generation's pictures, written by its job (keyed by id of its result).
        self._saved_by_job: dict[int, SavedPictures] = {}
        self._load_job: Job[Any] | None = None
        self.explore = ExploreState(self)  # the Explore tab's walk, pad and directions
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
        self.state = ImageState(self)
        self.bindings = self._bind_controls()
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
        # Pictures whose save failed stay here until saved elsewhere (issue 21).
        self.kept_pictures: list[tuple[Any, Recipe]] = []
        self.save_kept_button = QPushButton(self.tr("Save kept pictures…"))
        self.save_kept_button.setObjectName("saveKeptButton")
        self.save_kept_button.setVisible(False)
        self.save_kept_button.clicked.connect(self._choose_folder_for_kept)
        out_layout.addWidget(self.save_kept_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("imageTabs")
        self.tabs.addTab(self._build_results_tab(), self.tr("Results"))
        self.tabs.addTab(self._build_edit_tab(), self.tr("Edit"))
        self.tabs.addTab(self._build_explore_tab(), self.tr("Explore"))
        out_layout.addWidget(self.tabs, 1)
        self.bindings += self._bind_canvas()
        self.state.use_edit_changed.connect(self._update_mode_note)
        self.state.edit_mask_changed.connect(self._update_mode_note)
        self.state.outpaint_changed.connect(self._update_mode_note)

        paste = QShortcut(QKeySequence.StandardKey.Paste, self)
        paste.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        paste.activated.connect(self._paste)
        self._fill_models()
        self._update_mode_note()

    # -- building ------------------------------------------------------------------------
    def _translate_header(self) -> None:
        """The header's title and subtitle in the current language (marked above with
        QT_TRANSLATE_NOOP, so their translations are this panel's own). A no-op where the
        base panel translates them itself (part 1 of issue #14 makes it do so)."""
        english = (type(self).title, type(self).subtitle)
        for name, text in zip(("panelTitle", "panelSubtitle"), english, strict=True):
            label = self.findChild(QLabel, name)
            if label is not None:
                label.setText(self.tr(text))

    def _build_results_tab(self) -> QWidget:
        tab = QWidget()
        layout = QHBoxLayout(tab)
        left = QVBoxLayout()
        self.preview = QLabel(self.tr("Results appear here."))
        self.preview.setObjectName("imagePreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(256, 256)
        left.addWidget(self.preview, 1)
        row = QHBoxLayout()
        self.send_button = QPushButton(self.tr("Send to canvas"))
        self.send_button.setToolTip(self.tr("Edit the selected result: img2img or inpainting"))
        self.send_button.clicked.connect(self._send_to_canvas)
        self.folder_button = QPushButton(self.tr("Open output folder"))
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
        self.use_canvas = QCheckBox(
            self.tr("Generate from this picture (img2img; inpaint the mask)")
        )
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
        # The canvas's keys ([ ] E) move the tool row; its own actions have a row of their own.
        self.tools.size_box.setMaximum(MAX_BRUSH_SIZE)
        self.canvas.brush_size_changed.connect(lambda v: self.tools.size_box.setValue(round(v)))
        self.canvas.erasing_changed.connect(self.tools.eraser.setChecked)
        self.canvas.drag_folder = self._scratch
        # Saved and dragged-out edits carry content credentials as Settings says (#16).
        self.canvas.signing = lambda: self.context.settings.sign
        self.canvas_actions = CanvasActions(self.canvas)
        for key, slot in (
            (QKeySequence.StandardKey.Undo, self.canvas.undo),
            (QKeySequence.StandardKey.Redo, self.canvas.redo),
        ):
            shortcut = QShortcut(key, tab)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.canvas.message.connect(self.show_message)
        self.canvas.recipe_found.connect(self._on_recipe_found)
        # Results made from this picture come back here, beside it (see _on_generation_done).
        self.edit_results = EditResultsStrip()
        self.edit_results.entry_activated.connect(self._edit_result)
        # The photo and the results kept over it, bottom to top (#15).
        self.layers = LayersList(self.canvas)
        self.layers.save_requested.connect(self._choose_composite_file)
        row = QHBoxLayout()
        row.addWidget(self.canvas, 1)
        row.addWidget(self.layers)
        row.addWidget(self.edit_results)
        layout.addWidget(self.tools)
        layout.addWidget(self.canvas_actions)
        layout.addLayout(row, 1)
        # Padding, feather, scale and outpainting (#15), after "Generate from this picture".
        self.edit_options = ImageEditOptionsWidget()
        self.edit_options.add_leading(self.use_canvas)
        layout.addWidget(self.edit_options)
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
            label = (
                entry.name
                if state.available
                else self.tr("{name} (not installed)").format(name=entry.name)
            )
            box.addItem(label, entry.id)
            index = box.count() - 1
            usable = state.available and ours and entry.engine_ready
            item = box.model().item(index)  # type: ignore[attr-defined]
            item.setEnabled(usable)
            reason = (
                render(state.message)
                if not state.available
                else ""
                if ours
                else self.tr("engine not built yet")
            )
            box.setItemData(index, reason or render(entry.description), Qt.ItemDataRole.ToolTipRole)
            if usable and first_available < 0:
                first_available = index
        if first_available >= 0:
            box.setCurrentIndex(first_available)
        self.controls.generate_button.setEnabled(first_available >= 0)
        if first_available < 0:
            self.show_message(
                self.tr("No image model is installed: see Tools → Models for how to get one.")
            )

    def _on_model_changed(self, *_: object) -> None:
        model_id = self.controls.model.currentData()
        if model_id != self.engine_id:
            self.engine = self.engine_id = self.explore_info = None
            self.explore.clear()
        entry = next(
            (m for m in self.context.catalogue.for_task(Task.image) if m.id == model_id), None
        )
        notes: list[str] = []
        if entry is not None:
            defaults = model_defaults(entry)
            self.controls.set_model_defaults(defaults)
            self.state.takes_steps = bool(defaults.samplers)
            self.state.takes_upscale, self.state.takes_loras = (
                defaults.upscales,
                defaults.takes_loras,
            )
            notes = [render(entry.licence_note), defaults.note]
        note = "\n".join(n for n in notes if n)
        self.controls.model_note.setText(note)
        self.controls.model_note.setVisible(bool(note))

    def _engine_work(self, model_id: str, ctx: JobContext) -> Engine:
        ctx.report(0, None, message=self.tr("Loading {model}…").format(model=model_id))
        return registry.load(model_id, task=Task.image)

    def ensure_engine(self) -> None:
        """Load the chosen model as a job (first use only); exploring waits for it."""
        model_id = self.controls.model.currentData()
        if model_id is None or (self.engine is not None and self.engine_id == model_id):
            return
        job: Job[Engine] = Job(
            self.tr("Load image model {model}").format(model=model_id),
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
            self.show_message(render(job.error))

    # -- generating ----------------------------------------------------------------------
    def _bind_controls(self) -> list[Binding]:
        c, state = self.controls, self.state
        return [
            bind(state, "prompt", c.prompt, "text"),
            bind(state, "negative_prompt", c.negative, "text"),
            bind(state, "model_id", c.model, "data"),
            bind(state, "steps", c.steps),
            bind(state, "guidance", c.guidance),
            bind(state, "batch", c.batch),
            bind(state, "size", c.size_box, "data"),
            bind(state, "sampler", c.sampler, "data"),
            bind(state, "upscale", c.upscale, "checked"),
            bind(state, "strength", c.strength, scale=100),
            bind(state, "seed", c.seed.spin),
            bind(state, "seed_locked", c.seed.lock, "checked"),
            bind(state, "loras", c.loras, (c.loras.weights, c.loras.set_weights, c.loras.changed)),
        ]

    def _bind_canvas(self) -> list[Binding]:
        """The canvas paints; its picture (as the model gets it) and mask are the state's."""
        canvas, state = self.canvas, self.state

        def show_image(image: Any) -> None:
            if image is None:
                canvas.clear_image()
            else:
                canvas.set_image(image)

        def mask() -> Any:
            # A view, not a copy: a stroke on a 6000x4000 photo copies no 24 MB (#15).
            return canvas.mask_view() if canvas.has_mask() else None

        def show_mask(image: Any) -> None:
            if image is None:
                canvas.clear_mask()
            else:
                canvas.set_mask(image)

        bindings = [
            bind(
                state,
                "edit_image",
                canvas,
                (lambda: canvas.init_image, show_image, canvas.image_changed),
            ),
            bind(state, "edit_mask", canvas, (mask, show_mask, canvas.mask_changed)),
            bind(state, "use_edit", self.use_canvas, "checked"),
            *self.edit_options.bind_to(state),
        ]
        # After the binding: a picture dropped or pasted (even the same one again) is used.
        canvas.image_changed.connect(self._on_canvas_image)
        return bindings

    def _request(self) -> tuple[ImageRequest, str]:
        """The request from the state, with its edit picture and mask (if used)."""
        model_id = self.state.model_id
        if model_id is None:
            raise BadInput(
                self.tr("Choose an image model first (Tools → Models lists what is installed).")
            )
        init, mask = self.state.edit_files(self._scratch)
        seed = self.state.next_seed()
        return self.state.request(seed, init_image=init, mask=mask), model_id

    def generate(self) -> None:
        if self.job is not None and not self.job.state.is_final:
            self.show_message(self.tr("A generation is running: Stop it (Esc) or wait for it."))
            return
        try:
            request, model_id = self._request()
        except BadInput as exc:
            self.show_message(str(exc))
            return
        self._request_running = request
        output_dir = Path(self.context.settings.output_dir)
        marks = self._marks(request)

        def work(ctx: JobContext) -> ImageResult:
            engine = self._engine_work(model_id, ctx)
            # Handed to the GUI thread in _on_generation_done: exploring reuses this engine
            # instead of queueing a second "Load image model" job.
            self._generated_with = (model_id, engine)
            result: ImageResult = engine.generate(request, ctx)
            # Written here, not on the GUI thread: a batch's PNGs stalled the window.
            self._saved_by_job[id(result)] = _save_finished(result, request, output_dir, marks)
            return result

        kind = (
            self.tr("Outpaint")
            if any(request.outpaint)
            else self.tr("Inpaint")
            if request.mask
            else self.tr("Image to image")
            if request.init_image
            else self.tr("Image")
        )
        prompt = request.prompt[:40] or self.tr("(no prompt)")
        self.job = Job(
            self.tr("{kind}: {prompt}").format(kind=kind, prompt=prompt), work, task="image"
        )
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
            self.show_message(self._translated_error(job.error or ""))
            return
        saved, notes = self._save_results(job)
        history_hooks.images_saved(self.context, job, saved)
        notes = self.translated_notices(notes)
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
            notes.append(
                self.tr("Stopped: kept %n result(s) made before the stop.", "", len(saved))
            )
        self.show_message(" ".join(notes))
        loaded = self._generated_with
        self._generated_with = None
        if self.engine is None and loaded and loaded[0] == self.controls.model.currentData():
            self.engine, self.engine_id = loaded[1], loaded[0]
            self._after_engine_loaded()
        elif self.engine is None:
            self.ensure_engine()

    def _marks(self, request: ImageRequest) -> dict[str, Any]:
        """Whether saved pictures get the invisible watermark and content credentials.

        An edit of the user's picture (img2img, inpainting, outpainting) is not
        watermarked: the mark spreads over the whole picture, and an edit keeps every
        pixel outside its mask exactly as it was (issue #15). Its credentials, when
        signing is on, still say it was made here: ``c2pa.edited``, with the picture it
        was made from as its parentOf ingredient."""
        settings = self.context.settings
        edit = request.init_image is not None
        return {
            "watermark": settings.watermark and not edit,
            "sign": settings.sign,
            "edited_from": request.init_image if edit and settings.sign else None,
        }

    def _save_results(self, job: Job[Any]) -> tuple[list[tuple[Path, Recipe]], list[str]]:
        """A finished (or stopped) job's saved pictures with their recipes, and notes.

        A finished job's job wrote them on its worker thread; a stopped one hands over the
        pictures made so far, saved here (a few, after the user's Stop)."""
        request = self._request_running
        outcome = self._saved_by_job.pop(id(job.result), None)
        if isinstance(job.result, ImageResult):
            notes = list(job.result.notices)
            if outcome is None:  # the job's work did not get to save them
                outcome = _save_finished(
                    job.result,
                    request,
                    Path(self.context.settings.output_dir),
                    self._marks(request),
                )
        else:  # stopped: the engine handed over the pictures made so far
            pictures = [p for p in (job.result or []) if hasattr(p, "save")]
            base = Recipe(prompt=request.prompt, steps=request.steps, guidance=request.guidance)
            base = replace(base, negative_prompt=request.negative_prompt, model=request.model_id)
            folder = Path(self.context.settings.output_dir)
            outcome = save_pictures(
                pictures, base, request.seed or 0, folder, **self._marks(request)
            )
            notes = []
        if outcome.error is not None:
            # Nothing is lost: the rest stay in memory, to be saved elsewhere.
            folder = Path(self.context.settings.output_dir)
            self._keep_unsaved(outcome.unsaved, folder, outcome.error, notes)
        return outcome.saved, notes

    def _keep_unsaved(
        self, pictures: list[tuple[Any, Recipe]], folder: Path, exc: BaseException, notes: list[str]
    ) -> None:

        self.kept_pictures = pictures
        self.save_kept_button.setVisible(True)
        text = self.tr(
            "Could not save to {folder}: {why} {count} picture(s) are kept: use Save kept "
            "pictures… to save them elsewhere."
        )
        why = render(exc).rstrip(".") + "."
        notes.append(text.format(folder=folder, why=why, count=len(pictures)))

    def _choose_folder_for_kept(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Save the kept pictures in"), self.context.settings.output_dir
        )
        if folder:
            self.save_kept(Path(folder))

    def save_kept(self, folder: Path) -> list[Path]:
        """Save the pictures kept after a failed save into ``folder`` (new names, so
        nothing is replaced); those that fail again stay kept."""
        saved: list[Path] = []
        kept, self.kept_pictures = self.kept_pictures, []
        for n, (picture, recipe) in enumerate(kept):
            try:
                s = self.context.settings
                path = save_result(picture, folder, recipe, watermark=s.watermark, sign=s.sign)
            except (OSError, BadInput) as exc:
                notes: list[str] = []
                self._keep_unsaved(kept[n:], folder, exc, notes)
                self.show_message(" ".join(notes))
                break
            saved.append(path)
            self.gallery.add(new_entry(path, recipe))
        else:
            self.save_kept_button.setVisible(False)
            self.show_message(
                self.tr("Saved {count} picture(s) in {folder}.").format(
                    count=len(saved), folder=folder
                )
            )
        return saved

    def _translated_error(self, error: str) -> str:
        """A failed generation's line; the refusal of a Japanese prompt the model knows no
        word of (engines.image.captions_ja) in the interface's language."""
        if not error:
            return self.tr("The generation failed.")
        reading = read_japanese(self._request_running.prompt)
        if reading is not None and error == reading.refusal():
            return self.tr(
                "The emoji model knows none of the words in “{prompt}”: it reads the emoji's "
                "Japanese names (赤いハート, にっこり笑う猫), colours and common words, or English."
            ).format(prompt=reading.prompt)
        return render(error)

    def translated_notices(self, notices: list[str]) -> list[str]:
        """The engine's notices, with what it read a Japanese prompt as (its English
        notices, engines.image.captions_ja) said in the interface's language."""
        reading = read_japanese(self._request_running.prompt)
        if reading is None:
            return render_all(notices)
        engine_said = reading.notices()
        said = []
        if reading.english and engine_said[0] in notices:
            said.append(
                self.tr("Japanese prompt read as: {reading}.").format(reading=reading.english)
            )
        if reading.unknown and engine_said[-1] in notices:
            said.append(
                self.tr(
                    "Not known to the emoji model, left out: {words} (it knows the emoji's "
                    "Japanese names, colours and common words)."
                ).format(words="、".join(reading.unknown))
            )
        return said + render_all(n for n in notices if n not in engine_said)

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
        self.state.apply_edit_recipe(recipe)  # mask padding, feather, scale (#15)
        self.show_message(
            " ".join(
                [
                    self.tr("Loaded the settings stored in the picture: “{prompt}”.").format(
                        prompt=recipe.prompt[:60]
                    ),
                    *notices,
                ]
            )
        )

    def _on_canvas_image(self) -> None:
        self.state.use_edit = self.state.edit_image is not None
        self._update_mode_note()

    def _update_mode_note(self, *_: object) -> None:
        if self.state.editing:
            if any(self.state.outpaint):
                text = self.tr("Extend the canvas of {source} (outpaint)")
            elif self.state.edit_mask is not None:
                text = self.tr("Inpaint the masked area from {source}")
            else:
                text = self.tr("Image to image from {source}")
            text = text.format(source=self.canvas.source_name)
        else:
            text = self.tr("Text to image")
        self.controls.mode_note.setText(text)

    def _send_to_canvas(self) -> None:
        entries = self.gallery.selected_entries()
        if not entries:
            self.show_message(self.tr("Select a result in the gallery first."))
            return
        self.canvas.load_file(entries[0].path)
        self.tabs.setCurrentIndex(1)

    def _edit_result(self, entry: GalleryEntry) -> None:
        """A result made on the Edit tab shows as a layer over the picture there, to compare,
        drag out, or keep as the picture to edit further."""
        try:
            loaded = load_image(entry.path)
        except BadInput as exc:
            self.show_message(str(exc))
            return
        self.canvas.take_result(loaded.image, entry.path.name, entry.recipe)

    def _choose_composite_file(self) -> None:
        stem = Path(self.canvas.result_name or self.canvas.source_name or "composite").stem
        start = str(Path(self.context.settings.output_dir) / f"{stem}-layers.png")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the flattened picture"), start, self.tr("PNG pictures (*.png)")
        )
        if path:
            self.save_composite(Path(path))

    def save_composite(self, path: Path) -> Path | None:
        """Save the flattened layers (what the canvas shows) as a PNG with the recipe of
        every layer at ``path``, a path the user chose; the photo and the results stay
        as they are. None (said in the message line) when it cannot be written."""
        if path.suffix.lower() != ".png":
            path = path.with_name(path.name + ".png")
        try:
            saved = self.canvas.save_flattened(path, overwrite=True)
        except (OSError, BadInput) as exc:
            self.show_message(
                self.tr("Could not save {path}: {why}").format(path=path, why=render(exc))
            )
            return None
        self.show_message(self.tr("Saved the flattened picture as {path}.").format(path=saved))
        return saved

    def _open_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a picture"),
            "",
            self.tr("Images (*.png *.jpg *.jpeg *.webp *.gif *.bmp *.tif *.tiff)"),
        )
        if path:
            self.canvas.load_file(path)

    def open_file(self, path: Path) -> None:
        """A picture opened from the desktop. One with a recipe restores its settings and
        shows it in Results; one without becomes the picture to edit. Raises ``BadInput``
        (a readable line) for a file that is not a usable image."""
        loaded = load_image(path)
        recipe = loaded.recipe
        if recipe is None:
            self.canvas.load_file(path)
            self.tabs.setCurrentIndex(1)
            return
        notices = self.controls.apply_recipe(recipe, self.context.settings.recent_loras)
        self.state.apply_edit_recipe(recipe)  # mask padding, feather, scale (#15)
        self._show_preview(pil_to_qimage(loaded.image))
        self.tabs.setCurrentIndex(0)
        self.show_message(
            " ".join(
                [
                    self.tr("Restored the recipe of {name}.").format(name=loaded.path.name),
                    *loaded.notices,
                    *notices,
                ]
            )
        )

    def _paste(self) -> None:
        if self.canvas.paste():
            self.tabs.setCurrentIndex(1)

    def _open_folder(self) -> None:
        folder = Path(self.context.settings.output_dir)
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def shutdown(self) -> None:
        self.decoder.stop()
        # The canvas picture and mask handed to jobs; jobs are stopped before this runs.
        shutil.rmtree(self._scratch, ignore_errors=True)
