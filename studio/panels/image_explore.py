"""The Image panel's Explore tab: an interpolation strip and slider between two
results, a 2-D pad between four, the model's latent directions as sliders, and walk
export. A mixin of :class:`~studio.panels.image.ImagePanel`, whose engine, gallery and
live decoder it uses; frames are decoded on the decoder's thread (``frame_at``). Every
latent and frame comes from the engine's ``generate`` with a request of
:mod:`engines.image.engine` (``LatentRequest``, ``WalkRequest``, ``DirectionRequest``…).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engines.errors import BadInput
from engines.image.engine import (
    ExploreInfo,
    ExploreInfoRequest,
    FrameRequest,
    LatentRequest,
)
from engines.imagefile import WALK_FORMATS, save_walk
from engines.jobs import Job, JobContext, JobState
from engines.registry import Engine
from studio.context import StudioContext
from studio.history import recorder as history_hooks
from studio.i18n.engine_text import render
from studio.imageconv import pil_to_qimage
from studio.panels.image_controls import ImagePromptControls
from studio.panels.image_state import ExploreState, ImageState, LatentWalk, PadCorners, PromptWalk
from studio.widgets.direction_sliders import DirectionSliders
from studio.widgets.gallery import GalleryEntry, GalleryWidget
from studio.widgets.latent_pad import LatentPad, bilinear_weights
from studio.widgets.live_decoder import LiveDecoder

if TYPE_CHECKING:
    from PIL import Image

STRIP_FRAMES = 8
STRIP_COLUMNS = 4
DIRECTIONS_WIDTH = 190
SLIDER_STEPS = 1000
MAX_DIRECTION_SLIDERS = 5
DRAFT_STEPS = 6  # sampler steps for diffusion-walk frames while the slider is dragged
# Explore requests are quick: they report no progress and are never cancelled.
QUICK = JobContext()


class ExploreTabMixin:
    """The Explore tab's widgets and behaviour, for the Image panel."""

    # Provided by the panel.
    context: StudioContext
    controls: ImagePromptControls
    state: ImageState
    gallery: GalleryWidget
    decoder: LiveDecoder
    engine: Engine | None
    engine_id: str | None
    explore_info: ExploreInfo | None
    upscale_frames: bool  # read by the decoder thread
    show_message: Callable[[str], None]
    ensure_engine: Callable[[], None]
    explore: ExploreState  # the walk, the pad's corners and point, the directions' amounts
    # The panel's QObject.tr: at run time it finds this mixin's own translations (context
    # ExploreTabMixin, as pyside6-lupdate files them) through the panel's classes.
    tr: Callable[..., str]

    def _build_explore_tab(self) -> QWidget:
        tab = QWidget()
        grid = QGridLayout(tab)
        # Interpolation between two results.
        self.pick_ab = QPushButton(self.tr("Interpolate the two selected results"))
        self.pick_ab.setObjectName("interpolateButton")
        self.pick_ab.clicked.connect(self.start_interpolation)
        self.frame_label = QLabel(self.tr("Select two results in the gallery (Ctrl+click)."))
        self.frame_label.setObjectName("interpolationFrame")
        self.frame_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.frame_label.setWordWrap(True)  # the hint in a narrow column (Japanese is wide)
        self.frame_label.setMinimumSize(160, 160)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("interpolationSlider")
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.setEnabled(False)
        self.slider.valueChanged.connect(
            lambda v: setattr(self.explore, "position", v / SLIDER_STEPS)
        )
        self.slider.sliderReleased.connect(self._show_position)  # the full-step frame
        self.explore.position_changed.connect(self._on_position)
        self.explore.walk_changed.connect(self._on_walk)
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
        self.walk_frames.setPrefix(self.tr("Frames "))
        self.export_button = QPushButton(self.tr("Export walk…"))
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
        self.pad_button = QPushButton(self.tr("Pad: corners from the selected results"))
        self.pad_button.setObjectName("padButton")
        self.pad_button.clicked.connect(self.start_pad)
        self.pad = LatentPad()
        self.pad.point_changed.connect(lambda u, v: setattr(self.explore, "pad_point", (u, v)))
        self.explore.pad_point_changed.connect(self._on_pad_point)
        self.explore.direction_amounts_changed.connect(self._show_pad)
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

    # -- exploring -----------------------------------------------------------------------
    def _latent_of(self, entry: GalleryEntry) -> Any:
        """A result's latent: encoded from its pixels where the model can encode, else the
        model's starting latent for the result's seed (GAN)."""
        engine, info = self.engine, self._explore_info()
        assert engine is not None
        if info.can_encode:
            from PIL import Image

            with Image.open(entry.path) as im:
                return engine.generate(LatentRequest(image=im.convert("RGBA")), QUICK)
        if entry.recipe.model != engine.model_id or entry.recipe.seed is None:
            raise BadInput(
                self.tr(
                    "{name} was made by {other}; {model} can only explore its own results."
                ).format(
                    name=entry.path.name,
                    other=entry.recipe.model or self.tr("another model"),
                    model=engine.model_id,
                )
            )
        return engine.generate(LatentRequest(seed=entry.recipe.seed), QUICK)

    def _explore_info(self) -> ExploreInfo:
        """What the loaded engine explores, asked once per engine."""
        assert self.engine is not None
        if self.explore_info is None or self.explore_info.model_id != self.engine.model_id:
            self.explore_info = self.engine.generate(ExploreInfoRequest(), QUICK)
        return self.explore_info

    def _with_engine(self) -> bool:
        if self.engine is None or self.engine_id != self.controls.model.currentData():
            self.ensure_engine()
            self.show_message(self.tr("Loading the model for exploring… try again in a moment."))
            return False
        return True

    def start_interpolation(self) -> None:
        entries = self.gallery.selected_entries()
        if len(entries) != 2:
            self.show_message(
                self.tr("Select exactly two results in the gallery (Ctrl+click) to interpolate.")
            )
            return
        if not self._with_engine():
            return
        walk: LatentWalk | PromptWalk | None = self._diffusion_walk(entries)
        if walk is None:
            try:
                walk = LatentWalk(*(self._latent_of(e) for e in entries))
            except BadInput as exc:
                self.show_message(str(exc))
                return
        self.explore.walk = walk

    def _on_walk(self, walk: LatentWalk | PromptWalk | None) -> None:
        self.slider.setEnabled(walk is not None)
        self.export_button.setEnabled(walk is not None)
        if walk is not None:
            self._fill_strip()
            self._show_position()

    def _diffusion_walk(self, entries: list[GalleryEntry]) -> PromptWalk | None:
        """For two results of the diffusion model made from prompts: walk between their
        starting noise and their prompts (endpoints remake the results). Else None: the
        walk goes through the latent of the pictures themselves."""
        engine = self.engine
        recipes = [e.recipe for e in entries]
        if engine is None or not self._explore_info().prompt_walks:
            return None
        if any(
            r.model != engine.model_id or r.seed is None or not r.prompt.strip() for r in recipes
        ):
            return None
        a, b = recipes
        assert a.seed is not None and b.seed is not None  # checked above
        steps = min(a.steps or 25, 50)
        return PromptWalk((a.prompt, a.seed), (b.prompt, b.seed), steps, a.guidance)

    def frame_at(self, t: float, *, draft: bool = False) -> Image.Image:
        """The walk's picture at ``t`` in [0, 1] (any thread). ``draft``: while a diffusion
        walk's slider is being dragged, fewer sampler steps keep it moving smoothly; the
        full-step frame follows on release."""
        engine = self.engine
        assert engine is not None
        request = self.explore.walk_request(
            t, upscale=self.upscale_frames, draft_steps=DRAFT_STEPS if draft else None
        )
        if request is None:
            raise BadInput(self.tr("Interpolate two results first."))
        frame: Image.Image = engine.generate(request, QUICK)
        return frame

    def _fill_strip(self) -> None:
        for i in range(STRIP_FRAMES):
            t = i / (STRIP_FRAMES - 1)
            self.decoder.submit(f"strip{i}", partial(self.frame_at, t))

    def _on_position(self, t: float) -> None:
        self.slider.setValue(round(t * SLIDER_STEPS))  # no echo: the state is already t
        if self.explore.walk is None or self.engine is None:
            return
        draft = self.slider.isSliderDown()
        self.decoder.submit("interpolate", lambda: self.frame_at(t, draft=draft))

    def _show_position(self) -> None:
        self._on_position(self.explore.position)

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
        seed = self.state.seed
        while len(corners) < 4:  # too few selected: fill with fresh samples
            corners.append(engine.generate(LatentRequest(seed=seed + len(corners)), QUICK))
        for i, latent in enumerate(corners):
            corner = engine.generate(FrameRequest(latent, upscale=False), QUICK)
            self.pad.set_corner(i, pil_to_qimage(corner))
        self.explore.corners = PadCorners((corners[0], corners[1], corners[2], corners[3]))
        self._fill_directions()
        self._show_pad()

    def _on_pad_point(self, point: tuple[float, float]) -> None:
        self.pad.set_point(*point, emit=False)  # no echo: the state already has it
        self._show_pad()

    def _show_pad(self, *_: object) -> None:
        """The pad's frame for the state's corners, point and direction amounts."""
        engine = self.engine
        u, v = self.explore.pad_point
        request = self.explore.pad_request(
            tuple(bilinear_weights(u, v)), upscale=self.upscale_frames
        )
        if request is None or engine is None:
            return
        self.decoder.submit("pad", lambda: engine.generate(request, QUICK))

    def _fill_directions(self) -> None:
        self.explore.direction_amounts = ()
        engine = self.engine
        directions = self._explore_info().directions[:MAX_DIRECTION_SLIDERS] if engine else ()
        self.directions.set_directions(directions, engine.model_id if engine else None)

    def _on_direction(self, index: int, amount: float) -> None:
        self.explore.set_amount(index, amount)

    def _reset_directions(self) -> None:
        self.explore.direction_amounts = ()

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
            cast(QWidget, self),
            self.tr("Export the walk"),
            str(Path(self.context.settings.output_dir) / "walk.gif"),
            self.tr("Animated GIF (*.gif);;MP4 video (*.mp4);;PNG strip (*.png)"),
        )
        if path:
            self.export_walk(Path(path))

    def export_walk(self, path: Path) -> Job[Path] | None:
        """Write the A→B walk with the chosen number of frames, as a job (a diffusion
        walk samples every frame)."""
        if (
            path.suffix.lower() not in WALK_FORMATS
            or self.explore.walk is None
            or self.engine is None
        ):
            self.show_message(
                self.tr("Interpolate two results first, then export as .gif, .mp4 or .png.")
            )
            return None
        count = self.walk_frames.value()
        sign_model = (self.engine_id or "") if self.context.settings.sign else None

        def work(ctx: JobContext) -> Path:
            frames = []
            for i in range(count):
                frames.append(self.frame_at(i / (count - 1)))
                ctx.report(
                    i + 1, count, message=self.tr("frame {i} of {n}").format(i=i + 1, n=count)
                )
            return save_walk(frames, path, sign_model=sign_model)

        title = self.tr("Export walk to {name}").format(name=path.name)
        job: Job[Path] = Job(title, work, task="image")
        history_hooks.walk_exporting(self.context, job, path, self.engine_id or "")
        self.context.runner.submit(job, on_done=self._on_export_done)
        return job

    def _on_export_done(self, job: Job[Any]) -> None:
        done = job.state is JobState.finished
        said = self.tr("Exported the walk to {path}.").format(path=job.result)
        self.show_message(said if done else render(job.error))
