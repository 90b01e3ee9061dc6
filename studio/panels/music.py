"""The Music panel: a piano roll, melody A and B, morphing, continuation and playback.

The panel is a view over a :class:`~studio.panels.music_state.MusicState`: its controls
are bound to it, the piano roll and the melody A and B thumbnails follow it, and every
request is built from it. Models run only through ``engines.registry``: the melody
engine (sampling, continuing, variations, encoding, morphing, attribute edits) and the
soundfont (rendering). Sampling, continuing, variations, encoding and rendering run in
jobs; the morph slider and the attribute sliders re-decode in the GUI thread, since a
2-bar VAE decode takes milliseconds once the model is loaded. Playback uses
QtMultimedia when the system has an audio output; where it does not (no PulseAudio
library, no device), the panel says so and offers export only.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from engines import registry
from engines.audio import write as write_audio
from engines.catalogue import Task
from engines.errors import SozoError
from engines.jobs import Job, JobContext, JobState
from engines.music.arrangement import SAMPLE_RATE, export_midi, loudness_note
from engines.music.data import read_midi
from engines.music.types import SOUNDFONT_ID, EncodeRequest, MusicResult
from engines.recipes import MusicRecipe
from studio import playback
from studio.context import StudioContext
from studio.history import recorder as history_hooks
from studio.i18n.engine_text import render
from studio.panels.base import PanelBase
from studio.panels.music_controls import ATTRIBUTE_LABELS, MusicControls
from studio.panels.music_state import (
    ATTRIBUTE_SCALE,
    ATTRIBUTES,
    EXPORT_FORMATS,
    INSTRUMENT_NAMES,
    SLOT_BARS,
    MusicState,
)
from studio.panels.recipe_drop import dropped_recipe_files, read_recipe_quietly
from studio.state import bind
from studio.widgets.file_drag import FileDragLabel
from studio.widgets.melody_slot import MelodySlot
from studio.widgets.piano_roll import PianoKeyboardWidget, PianoRollWidget, whole_bars

__all__ = ["ATTRIBUTE_LABELS", "INSTRUMENT_NAMES", "MusicPanel", "PianoRollWidget"]

TITLE = "Sōzō Studio melody"  # of exported audio and MIDI files


def audio_output_status() -> tuple[bool, str]:
    """(can play, why not): never raises, whatever the system lacks."""
    return playback.playback_notice(
        QCoreApplication.translate("MusicPanel", "Export the melody to hear it.")
    )


class MusicPanel(PanelBase):
    """Sketch, sample, morph, continue, play and export melodies."""

    task = Task.music
    # Translated where they are shown (the header here, the window's list of panels).
    title = str(QT_TRANSLATE_NOOP("MusicPanel", "Music"))
    subtitle = str(
        QT_TRANSLATE_NOOP(
            "MusicPanel",
            "Sketch a melody, morph one tune into another, continue it, and hear it on real "
            "instruments.",
        )
    )

    melody_changed = Signal()

    def __init__(self, context: StudioContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._translate_header()
        self.state = MusicState(seed=int(time.time()) % 100_000, parent=self)
        self._jobs: dict[int, Job[Any]] = {}  # this panel's unfinished jobs
        self._engines: dict[str | None, Any] = {}  # by model id (None: the melody models)
        self._resetting = False  # attribute amounts going back to 0: no re-decode
        self._audio: np.ndarray | None = None
        self.player: playback.AudioPlayer | None = None  # made at the first Play
        self._play_started = 0.0
        self._play_timer = QTimer(self)
        self._play_timer.setInterval(30)
        self._play_timer.timeout.connect(self._tick)
        self.can_play, self.play_message = audio_output_status()
        self._build_prompt_area()
        self._build_output_area()
        self.setAcceptDrops(True)  # an exported melody dropped here restores its settings
        self.roll.set_tokens(self.state.melody)
        self.state.melody_changed.connect(self._show_melody)
        self.state.strip_changed.connect(self._show_strip)
        self.state.morph_changed.connect(self._on_morph)
        for name in ATTRIBUTES:
            getattr(self.state, f"{name}_amount_changed").connect(self._on_attributes)
        self.roll.notes_changed.connect(self._on_roll_edited)

    # -- layout ---------------------------------------------------------------------------
    def _translate_header(self) -> None:
        """The header's title and subtitle in the current language (marked above with
        QT_TRANSLATE_NOOP, so their translations are this panel's own). A no-op where the
        base panel translates them itself (part 1 of issue #14 makes it do so)."""
        english = (type(self).title, type(self).subtitle)
        for name, text in zip(("panelTitle", "panelSubtitle"), english, strict=True):
            label = self.findChild(QLabel, name)
            if label is not None:
                label.setText(self.tr(text))

    def _build_prompt_area(self) -> None:
        layout = QVBoxLayout(self.prompt_area)
        layout.setContentsMargins(0, 0, 0, 0)
        self.controls = c = MusicControls()
        layout.addWidget(c)
        # The controls by name, as the panel's own (tests and shortcuts reach them here).
        self.slot_a, self.slot_b, self.morph_slider = c.slot_a, c.slot_b, c.morph_slider
        self.strip_rolls, self.attribute_sliders = c.strip_rolls, c.attribute_sliders
        self.temperature, self.instrument, self.tempo = c.temperature, c.instrument, c.tempo
        self.accompaniment, self.bars, self.format = c.accompaniment, c.bars, c.format
        self.sample_button, self.continue_button = c.sample_button, c.continue_button
        self.variations_button, self.play_button = c.variations_button, c.play_button
        self.export_button = c.export_button
        self.bindings = [
            bind(self.state, "temperature", c.temperature),
            bind(self.state, "instrument", c.instrument, "data"),  # shown translated
            bind(self.state, "tempo", c.tempo),
            bind(self.state, "accompaniment", c.accompaniment, "checked"),
            bind(self.state, "bars", c.bars),
            bind(self.state, "export_format", c.format, "text"),
            bind(self.state, "morph", c.morph_slider, scale=100),
            *(
                bind(self.state, f"{name}_amount", slider, scale=ATTRIBUTE_SCALE)
                for name, slider in c.attribute_sliders.items()
            ),
        ]
        for slot in (c.slot_a, c.slot_b):
            slot.sample_button.clicked.connect(lambda _=False, s=slot: self.sample_into(s))
            slot.take_button.clicked.connect(lambda _=False, s=slot: self.take_roll_into(s))
            slot.midi_dropped.connect(lambda path, s=slot: self.load_midi_into(s, Path(path)))
            slot.roll.clicked.connect(lambda s=slot: self._show_slot(s))
        for i, roll in enumerate(c.strip_rolls):
            roll.clicked.connect(lambda i=i: self._on_strip_clicked(i))
        c.sample_button.clicked.connect(self.generate)
        c.continue_button.clicked.connect(self.continue_melody)
        c.variations_button.clicked.connect(self.make_variations)
        c.play_button.clicked.connect(self.toggle_play)
        c.export_button.clicked.connect(self.export_clicked)
        c.export_as_button.clicked.connect(self.export_as)

    def _build_output_area(self) -> None:
        layout = QVBoxLayout(self.output_area)
        layout.setContentsMargins(0, 8, 0, 0)
        self.roll = PianoRollWidget(editable=True)
        self.roll.setObjectName("pianoRoll")
        scroll = QScrollArea()
        scroll.setWidget(self.roll)
        scroll.setWidgetResizable(True)
        roll_row = QHBoxLayout()
        roll_row.setSpacing(0)
        self.keyboard = PianoKeyboardWidget(self.roll)
        roll_row.addWidget(self.keyboard)
        roll_row.addWidget(scroll, 1)
        layout.addLayout(roll_row, 1)
        row = QHBoxLayout()
        self.status = QLabel(
            self.tr(
                "Sample a melody, or draw one: click to add notes, drag to move, "
                "right-click to delete."
            )
        )
        self.status.setObjectName("musicStatus")
        self.status.setWordWrap(True)
        row.addWidget(self.status, 1)
        self.drag_audio = FileDragLabel(self.tr("↗ audio"), lambda: self._export_for_drag("audio"))
        self.drag_midi = FileDragLabel("↗ MIDI", lambda: self._export_for_drag("midi"))
        row.addWidget(self.drag_audio)
        row.addWidget(self.drag_midi)
        layout.addLayout(row)
        self.playback_note = QLabel(self.play_message)
        self.playback_note.setObjectName("playbackNotice")
        self.playback_note.setWordWrap(True)
        self.playback_note.setVisible(not self.can_play)
        layout.addWidget(self.playback_note)
        if not self.can_play:
            self.play_button.setEnabled(False)
            self.play_button.setToolTip(self.play_message)

    # -- engines ---------------------------------------------------------------------------
    def _engine(self, model_id: str | None = None, ctx: JobContext | None = None) -> Any:
        """The engine for ``model_id`` (None: the melody models), through the registry;
        kept, so that a slider move does not look the model up again."""
        engine = self._engines.get(model_id)
        if engine is None:
            engine = registry.load(model_id, ctx, task=Task.music)
            self._engines[model_id] = engine
        return engine

    def _run_now(self, request: Any) -> Any:
        """A quick request in the GUI thread; a failure is said in the status line."""
        try:
            return self._engine().generate(request, JobContext())
        except SozoError as exc:
            self.status.setText(str(exc))
            return None

    # -- current melody ------------------------------------------------------------------
    def melody(self) -> np.ndarray:
        return self.state.melody.copy()

    def set_melody(
        self, tokens: Any, message: str = "", *, keep_latent: bool = False, kept: Any = ()
    ) -> None:
        """Show a melody; ``kept``: the parts of its MIDI file that play under it."""
        self.stop()
        self.state.kept = tuple(kept)
        self.state.melody = whole_bars(np.asarray(tokens, dtype=np.int64))
        if not keep_latent:
            self.state.base_latent = None
            self._reset_attributes()
        self._audio = None
        if message:
            self.status.setText(message)
        self.melody_changed.emit()

    def _show_melody(self, tokens: np.ndarray) -> None:
        if not np.array_equal(self.roll.tokens(), tokens):  # not the roll's own edit
            self.roll.set_tokens(tokens)

    def _on_roll_edited(self) -> None:
        self.state.melody = self.roll.tokens()
        self.state.base_latent = None
        self._audio = None
        self._reset_attributes()
        self.melody_changed.emit()

    def _reset_attributes(self) -> None:
        self._resetting = True  # a reset is not a user move: no re-decode
        try:
            self.state.reset_attributes()
        finally:
            self._resetting = False

    # -- jobs ------------------------------------------------------------------------------
    def _submit(self, title: str, work: Any, on_done: Any, failed_message: Any = None) -> Job[Any]:
        """Run ``work`` as a job; ``on_done(result)`` only if it finishes;
        ``failed_message(job)``, if given, is the status line when it fails."""
        job: Job[Any] = Job(title, work, task=self.task.value)
        self._jobs[job.id] = job
        self.status.setText(self.tr("{title}…").format(title=title))

        def finished(job: Job[Any]) -> None:
            self._jobs.pop(job.id, None)
            if job.state is JobState.finished:
                on_done(job.result)
            elif job.state is JobState.failed and failed_message is not None:
                self.status.setText(failed_message(job))
            elif job.state is JobState.failed:
                self.status.setText(
                    self.tr("{title} failed: {error}").format(
                        title=job.title, error=render(job.error)
                    )
                )
            else:
                self.status.setText(self.tr("{title} cancelled.").format(title=job.title))

        self.context.runner.submit(job, on_done=finished, on_progress=self._on_job_progress)
        return job

    def _on_job_progress(self, job: Job[Any]) -> None:
        if job.progress is not None and job.progress.message:
            self.status.setText(
                self.tr("{title}: {message}").format(
                    title=job.title, message=render(job.progress.message)
                )
            )

    def _submit_request(self, title: str, request: Any, on_done: Any) -> Job[Any]:
        """Run one request on the melody engine as a job."""
        return self._submit(
            title, lambda ctx: self._engine(None, ctx).generate(request, ctx), on_done
        )

    def generate(self) -> None:
        """Sample a new melody of the chosen number of bars into the piano roll."""
        request = self.state.sample_request()
        said = self.tr("Sampled %n bars (seed {seed}).", "", request.bars).format(seed=request.seed)
        self._submit_request(
            self.tr("Sample melody"), request, lambda m: self.set_melody(m.tokens, said)
        )

    def sample_into(self, slot: MelodySlot) -> None:
        request = self.state.sample_request(SLOT_BARS)

        def work(ctx: Any) -> Any:
            engine = self._engine(None, ctx)
            sampled: MusicResult = engine.generate(request, ctx)
            tokens = np.asarray(sampled.tokens, dtype=np.int64)
            return tokens, engine.generate(EncodeRequest(tokens), ctx)

        def done(result: Any) -> None:
            tokens, latent = result
            self._put_in_slot(
                slot, tokens, self.tr("sampled (seed {seed})").format(seed=request.seed)
            )
            self._set_latent(slot, latent)
            said = self.tr("Melody {name} sampled (seed {seed}).")
            self.set_melody(tokens, said.format(name=slot.name, seed=request.seed))
            self._update_morph()

        self._submit(self.tr("Sample melody {name}").format(name=slot.name), work, done)

    def _put_in_slot(self, slot: MelodySlot, tokens: np.ndarray, source: str) -> None:
        self.state.set_slot(slot.name, tokens)
        slot.set_melody(tokens, source)

    def _set_latent(self, slot: MelodySlot, latent: np.ndarray | None) -> None:
        setattr(self.state, f"latent_{slot.name.lower()}", latent)

    def take_roll_into(self, slot: MelodySlot) -> None:
        tokens = self.melody()
        if not self.state.has_notes():
            self.status.setText(self.tr("The piano roll is empty: draw some notes first."))
            return
        self._put_in_slot(slot, tokens, self.tr("drawn"))
        self._encode_slot(slot)

    def load_midi_into(self, slot: MelodySlot, path: Path) -> None:
        try:
            read = read_midi(path)
        except SozoError as exc:
            self.status.setText(str(exc))
            return
        except Exception as exc:  # never let a strange file take the window down
            self.status.setText(render(exc))
            return
        self._put_in_slot(slot, read.tokens, path.name)
        self._encode_slot(slot)  # before the message, which its "Read melody…" would hide
        notes = " ".join(self.tr("Note: {notice}.").format(notice=render(n)) for n in read.notices)
        message = self.tr("Loaded {file} into melody {name}: {summary}. {notes}").format(
            file=path.name, name=slot.name, summary=read.summary(), notes=notes
        )
        self.state.tempo = round(read.tempo_bpm)  # the kept tracks play at the file's tempo
        self.set_melody(read.tokens, message.strip(), kept=read.accompaniment)
        recipe = read_recipe_quietly(path)
        if isinstance(recipe, MusicRecipe):
            self.apply_recipe(recipe, path.name)

    def apply_recipe(self, recipe: MusicRecipe, source: str) -> str:
        """Take the settings of the file ``source`` (its recipe); returns the status line."""
        skipped = self.state.apply_recipe(recipe)
        line = self.tr("Settings restored from {file} (seed {seed}).").format(
            file=source, seed=recipe.seed
        )
        if skipped:
            line += " " + self.tr("Not available here: {names}.").format(names=", ".join(skipped))
        self.status.setText(line)
        return line

    def dragEnterEvent(self, event: Any) -> None:
        if dropped_recipe_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        """An exported melody (audio or MIDI) dropped on the panel restores its settings."""
        for path in dropped_recipe_files(event):
            recipe = read_recipe_quietly(path)
            if isinstance(recipe, MusicRecipe):
                self.apply_recipe(recipe, path.name)
                event.acceptProposedAction()
                return
        self.status.setText(self.tr("That file carries no Sōzō Studio melody settings."))

    def _encode_slot(self, slot: MelodySlot) -> None:
        tokens = self._slot_tokens(slot)
        if tokens is None:
            return

        def done(latent: Any) -> None:
            self._set_latent(slot, latent)
            self._update_morph()

        title = self.tr("Read melody {name}").format(name=slot.name)
        self._submit_request(title, EncodeRequest(tokens), done)

    def _slot_tokens(self, slot: MelodySlot) -> np.ndarray | None:
        tokens: np.ndarray | None = getattr(self.state, f"melody_{slot.name.lower()}")
        return tokens

    def _show_slot(self, slot: MelodySlot) -> None:
        tokens = self._slot_tokens(slot)
        if tokens is not None:
            self.set_melody(tokens, self.tr("Melody {name} in the roll.").format(name=slot.name))

    # -- morphing ---------------------------------------------------------------------------
    def _update_morph(self) -> None:
        request = self.state.strip_request()
        self.morph_slider.setEnabled(request is not None)
        if request is None:
            return
        found = self._run_now(request)
        if found is None:
            return
        self.state.strip = np.stack(found.melodies)
        self.status.setText(
            self.tr(
                "Drag the slider to morph melody A into melody B; click an in-between melody "
                "to take it."
            )
        )

    def _show_strip(self, strip: np.ndarray) -> None:
        for roll, tokens in zip(self.strip_rolls, strip, strict=False):
            roll.set_tokens(tokens)

    def _on_morph(self, fraction: float) -> None:
        request = self.state.morph_request()
        if request is None:
            return
        found = self._run_now(request)
        if found is None:
            return
        percent = round(fraction * 100)
        said = self.tr("{a}% A, {b}% B.").format(a=100 - percent, b=percent)
        self.set_melody(found.melodies[0], said)
        self.state.base_latent = found.latents[0]

    def _on_strip_clicked(self, index: int) -> None:
        strip = self.state.strip
        if index < len(strip):
            said = self.tr("In-between melody {i} of {n}.")
            self.set_melody(strip[index], said.format(i=index + 1, n=len(self.strip_rolls)))

    def _on_attributes(self) -> None:
        if self._resetting:
            return
        if self.state.base_latent is None:
            if not self.state.has_notes():
                return
            latent = self._run_now(EncodeRequest(self.melody()))
            if latent is None:
                return
            self.state.base_latent = latent
        request = self.state.attribute_request()
        tokens = None if request is None else self._run_now(request)
        if tokens is not None:
            self.set_melody(tokens, self.tr("Attributes applied."), keep_latent=True)

    # -- continue and variations ----------------------------------------------------------------
    def continue_melody(self) -> None:
        if not self.state.has_notes():
            self.status.setText(self.tr("Nothing to continue: sample or draw a melody first."))
            return
        request = self.state.continue_request()
        kept = self.state.kept  # the file's tracks stay
        done = self.tr("Continued by %n bars.", "", request.bars)
        self._submit_request(
            self.tr("Continue melody"),
            request,
            lambda m: self.set_melody(m.tokens, done, kept=kept),
        )

    def make_variations(self) -> None:
        if not self.state.has_notes():
            self.status.setText(self.tr("Nothing to vary: sample or draw a melody first."))
            return

        def done(found: Any) -> None:
            self.state.strip = np.stack(found)
            self.status.setText(self.tr("Variations below the slider: click one to take it."))

        self._submit_request(self.tr("Variations"), self.state.variations_request(), done)

    # -- rendering, playback and export ------------------------------------------------------------
    def _render(self, request: Any, ctx: JobContext) -> np.ndarray:
        audio: np.ndarray = self._engine(SOUNDFONT_ID, ctx).generate(request, ctx)
        return audio

    def export_to(
        self, audio_path: Path, midi_path: Path | None = None, overwrite: bool = False
    ) -> Job[Any]:
        """Render and write the melody (a job); the status line names the files. A failed
        write keeps the melody and says so; ``overwrite`` once the user agreed."""
        request, comment = self.state.render_request(), self.state.settings_comment()
        recipe = self.state.recipe().to_json()
        settings = self.context.settings
        watermark = settings.watermark  # marked and signed as set when the job starts
        sign_model = self.state.recipe().models if settings.sign else None

        def work(ctx: Any) -> Any:
            audio = self._render(request, ctx)
            tags = {
                "title": TITLE,
                "comment": comment,
                "software": "Sōzō Studio",
                "recipe": recipe,
            }
            write_audio(
                audio_path,
                audio,
                SAMPLE_RATE,
                tags,
                overwrite=overwrite,
                watermark=watermark,
                sign_model=sign_model,
            )
            if midi_path is not None:
                export_midi(
                    midi_path, request.arrangement, TITLE, overwrite=overwrite, recipe=recipe
                )
            files = [str(audio_path)] + ([str(midi_path)] if midi_path else [])
            return self.tr("Wrote {files}; {loudness}.").format(
                files=", ".join(files), loudness=render(loudness_note(audio))
            )

        def failed(job: Job[Any]) -> str:
            from studio.save_elsewhere import write_failed

            return write_failed(render(job.error), self.tr("melody"))

        job = self._submit(self.tr("Export melody"), work, self.status.setText, failed)
        files = [audio_path] + ([midi_path] if midi_path else [])
        history_hooks.melody_exporting(
            self.context, job, files, self.state.melody, self.state.tempo, comment
        )
        return job

    def export_as(self) -> Job[Any] | None:
        """Ask where to write the audio (asking before replacing a file); the MIDI file
        goes beside it only when nothing is there yet."""
        from studio.save_elsewhere import ask_save_path

        folder = Path(self.context.settings.output_dir)
        suggested = folder / f"melody.{self.state.export_format}"
        formats = " ".join(f"*.{fmt}" for fmt in EXPORT_FORMATS)
        path = ask_save_path(
            self,
            self.tr("Export the melody"),
            suggested,
            self.tr("Audio ({formats})").format(formats=formats),
        )
        if path is None:
            return None
        midi = path.with_suffix(".mid")
        return self.export_to(path, None if midi.exists() else midi, overwrite=True)

    def export_clicked(self) -> None:
        folder = Path(self.context.settings.output_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.status.setText(
                self.tr("Cannot use the output folder {folder}: {error}").format(
                    folder=folder, error=exc
                )
            )
            return
        stem = folder / time.strftime("melody-%Y%m%d-%H%M%S")
        self.export_to(stem.with_suffix("." + self.state.export_format), stem.with_suffix(".mid"))

    def _export_for_drag(self, kind: str) -> Path | None:
        """Write the file to drag synchronously (a drag needs it now)."""
        folder = Path(tempfile.mkdtemp(prefix="sozo-music-"))
        try:
            if kind == "midi":
                return export_midi(
                    folder / "melody.mid",
                    self.state.arrangement(),
                    TITLE,
                    recipe=self.state.recipe().to_json(),
                )
            audio = self._render(self.state.render_request(), JobContext())
            tags = {"title": TITLE, "recipe": self.state.recipe().to_json()}
            settings = self.context.settings
            return write_audio(
                folder / f"melody.{self.state.export_format}",
                audio,
                SAMPLE_RATE,
                tags,
                watermark=settings.watermark,
                sign_model=self.state.recipe().models if settings.sign else None,
            )
        except SozoError as exc:
            self.status.setText(str(exc))
            return None

    def toggle_play(self) -> None:
        if self.player is not None and self.player.playing:
            self.stop()
            return
        if not self.can_play:
            self.status.setText(self.play_message)
            return
        request = self.state.render_request()

        def done(audio: Any) -> None:
            self._audio = audio
            self._start_playback(audio, request.arrangement.seconds_per_step())

        self._submit(self.tr("Render melody"), lambda ctx: self._render(request, ctx), done)

    def _start_playback(self, audio: np.ndarray, seconds_per_step: float) -> None:
        if self.player is None:
            self.player = playback.AudioPlayer(self, on_finished=self.stop)
        self._seconds_per_step = seconds_per_step
        self.player.play(playback.ArraySource(audio, SAMPLE_RATE))
        self._play_started = time.monotonic()
        self._play_timer.start()
        self.play_button.setText(self.tr("Stop"))

    def _tick(self) -> None:
        if self.player is None or not self.player.playing:
            return
        elapsed = self.player.position() / SAMPLE_RATE or (time.monotonic() - self._play_started)
        self.roll.playhead = elapsed / self._seconds_per_step
        self.roll.update()

    def stop(self) -> None:
        """Stop playback (and the playhead)."""
        if self.player is not None:
            self.player.stop()
        self._play_timer.stop()
        self.roll.playhead = None
        self.roll.update()
        self.play_button.setText(self.tr("Play"))

    def cancel(self) -> None:
        self.stop()
        super().cancel()
