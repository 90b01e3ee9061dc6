"""The Music panel: a piano roll, melody A and B, morphing, continuation and playback.

The panel is a view over a :class:`~studio.panels.music_state.MusicState`: its controls
are bound to it and the piano roll follows its melody; jobs and exports read the state.
Models run in jobs (sampling, continuing, variations, rendering); the interpolation
slider and the attribute sliders re-decode in the GUI thread, since a 2-bar VAE decode
takes milliseconds once the model is loaded. Playback uses QtMultimedia when the system
has an audio output; where it does not (no PulseAudio library, no device), the panel
says so and offers export only.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from engines.catalogue import Task
from engines.errors import SozoError, describe_error
from engines.jobs import Job, JobState
from engines.music.data import read_midi
from studio import playback
from studio.context import StudioContext
from studio.panels.base import PanelBase
from studio.panels.music_controls import ATTRIBUTE_LABELS, MusicControls
from studio.panels.music_state import INSTRUMENT_NAMES, MusicState
from studio.state import bind
from studio.widgets.file_drag import FileDragLabel
from studio.widgets.melody_slot import MelodySlot
from studio.widgets.piano_roll import PianoKeyboardWidget, PianoRollWidget, whole_bars

__all__ = ["ATTRIBUTE_LABELS", "INSTRUMENT_NAMES", "MusicPanel", "PianoRollWidget"]


def audio_output_status() -> tuple[bool, str]:
    """(can play, why not): never raises, whatever the system lacks."""
    return playback.playback_notice("Export the melody to hear it.")


class MusicPanel(PanelBase):
    """Sketch, sample, morph, continue, play and export melodies."""

    task = Task.music
    title = "Music"
    subtitle = "Sketch a melody, morph one tune into another, continue it, and hear it on real instruments."

    melody_changed = Signal()

    def __init__(self, context: StudioContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.state = MusicState(seed=int(time.time()) % 100_000, parent=self)
        self._jobs: dict[int, Job[Any]] = {}  # this panel's unfinished jobs
        self._base_latent: np.ndarray | None = None  # the latent the sliders move from
        self._audio: np.ndarray | None = None
        self.player: playback.AudioPlayer | None = None  # made at the first Play
        self._play_started = 0.0
        self._play_timer = QTimer(self)
        self._play_timer.setInterval(30)
        self._play_timer.timeout.connect(self._tick)
        self.can_play, self.play_message = audio_output_status()
        self._build_prompt_area()
        self._build_output_area()
        self.roll.set_tokens(self.state.melody)
        self.state.melody_changed.connect(self._show_melody)
        self.roll.notes_changed.connect(self._on_roll_edited)

    # -- layout ---------------------------------------------------------------------------
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
            bind(self.state, "instrument", c.instrument, "text"),
            bind(self.state, "tempo", c.tempo),
            bind(self.state, "accompaniment", c.accompaniment, "checked"),
            bind(self.state, "bars", c.bars),
            bind(self.state, "export_format", c.format, "text"),
        ]
        for slot in (c.slot_a, c.slot_b):
            slot.sample_button.clicked.connect(lambda _=False, s=slot: self.sample_into(s))
            slot.take_button.clicked.connect(lambda _=False, s=slot: self.take_roll_into(s))
            slot.midi_dropped.connect(lambda path, s=slot: self.load_midi_into(s, Path(path)))
            slot.roll.clicked.connect(lambda s=slot: self._show_slot(s))
        c.morph_slider.valueChanged.connect(self._on_morph)
        for i, roll in enumerate(c.strip_rolls):
            roll.clicked.connect(lambda i=i: self._on_strip_clicked(i))
        for slider in c.attribute_sliders.values():
            slider.valueChanged.connect(self._on_attributes)
        c.sample_button.clicked.connect(self.generate)
        c.continue_button.clicked.connect(self.continue_melody)
        c.variations_button.clicked.connect(self.make_variations)
        c.play_button.clicked.connect(self.toggle_play)
        c.export_button.clicked.connect(self.export_clicked)

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
            "Sample a melody, or draw one: click to add notes, drag to move, right-click to delete."
        )
        self.status.setObjectName("musicStatus")
        self.status.setWordWrap(True)
        row.addWidget(self.status, 1)
        self.drag_audio = FileDragLabel("⇱ audio", lambda: self._export_for_drag("audio"))
        self.drag_midi = FileDragLabel("⇱ MIDI", lambda: self._export_for_drag("midi"))
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

    # -- current melody ------------------------------------------------------------------
    def melody(self) -> np.ndarray:
        return self.state.melody.copy()

    def set_melody(
        self, tokens: np.ndarray, message: str = "", *, keep_latent: bool = False, kept: Any = ()
    ) -> None:
        """Show a melody; ``kept``: the parts of its MIDI file that play under it."""
        self.stop()
        self.state.kept = tuple(kept)
        self.state.melody = whole_bars(tokens)
        if not keep_latent:
            self._base_latent = None
            self._reset_attribute_sliders()
        self._audio = None
        if message:
            self.status.setText(message)
        self.melody_changed.emit()

    def _show_melody(self, tokens: np.ndarray) -> None:
        if not np.array_equal(self.roll.tokens(), tokens):  # not the roll's own edit
            self.roll.set_tokens(tokens)

    def _on_roll_edited(self) -> None:
        self.state.melody = self.roll.tokens()
        self._base_latent = None
        self._audio = None
        self._reset_attribute_sliders()
        self.melody_changed.emit()

    def _reset_attribute_sliders(self) -> None:
        for slider in self.attribute_sliders.values():
            slider.blockSignals(True)  # a reset is not a user move: no re-decode
            slider.setValue(0)
            slider.blockSignals(False)

    # -- jobs ------------------------------------------------------------------------------
    def _submit(self, title: str, work: Any, on_done: Any) -> Job[Any]:
        """Run ``work`` as a job; ``on_done(result)`` only if it finishes."""
        job: Job[Any] = Job(title, work, task=self.task.value)
        self._jobs[job.id] = job
        self.status.setText(f"{title}…")

        def finished(job: Job[Any]) -> None:
            self._jobs.pop(job.id, None)
            if job.state is JobState.finished:
                on_done(job.result)
            elif job.state is JobState.failed:
                self.status.setText(f"{job.title} failed: {job.error}")
            else:
                self.status.setText(f"{job.title} cancelled.")

        self.context.runner.submit(job, on_done=finished, on_progress=self._on_job_progress)
        return job

    def _on_job_progress(self, job: Job[Any]) -> None:
        if job.progress is not None and job.progress.message:
            self.status.setText(f"{job.title}: {job.progress.message}")

    def generate(self) -> None:
        """Sample a new melody of the chosen number of bars into the piano roll."""
        state = self.state
        bars, seed, temperature = state.bars, state.next_seed(), state.temperature

        def work(ctx: Any) -> Any:
            from engines.music import compose

            return compose.sample(bars, seed, temperature, ctx)

        self._submit(
            "Sample melody",
            work,
            lambda m: self.set_melody(m.tokens, f"Sampled {bars} bars (seed {seed})."),
        )

    def sample_into(self, slot: MelodySlot) -> None:
        seed, temperature = self.state.next_seed(), self.state.temperature

        def work(ctx: Any) -> Any:
            from engines.music import compose

            melody = compose.sample(2, seed, temperature, ctx)
            return melody.tokens, compose.latents_of(melody.tokens)

        def done(result: Any) -> None:
            tokens, latent = result
            slot.set_melody(tokens, f"sampled (seed {seed})")
            slot.latent = latent
            self.set_melody(tokens, f"Melody {slot.name} sampled (seed {seed}).")
            self._update_morph()

        self._submit(f"Sample melody {slot.name}", work, done)

    def take_roll_into(self, slot: MelodySlot) -> None:
        tokens = self.melody()
        if not self.state.has_notes():
            self.status.setText("The piano roll is empty: draw some notes first.")
            return
        slot.set_melody(tokens, "drawn")
        self._encode_slot(slot)

    def load_midi_into(self, slot: MelodySlot, path: Path) -> None:
        try:
            read = read_midi(path)
        except SozoError as exc:
            self.status.setText(str(exc))
            return
        except Exception as exc:  # never let a strange file take the window down
            self.status.setText(describe_error(exc))
            return
        slot.set_melody(read.tokens, path.name)
        self._encode_slot(slot)  # before the message, which its "Read melody…" would hide
        notes = " ".join(f"Note: {n}." for n in read.notices)
        message = f"Loaded {path.name} into melody {slot.name}: {read.summary()}. {notes}"
        self.state.tempo = round(read.tempo_bpm)  # the kept tracks play at the file's tempo
        self.set_melody(read.tokens, message.strip(), kept=read.accompaniment)

    def _encode_slot(self, slot: MelodySlot) -> None:
        tokens = slot.tokens
        if tokens is None:
            return

        def work(ctx: Any) -> Any:
            from engines.music import compose

            return compose.latents_of(tokens)

        def done(latent: Any) -> None:
            slot.latent = latent
            self._update_morph()

        self._submit(f"Read melody {slot.name}", work, done)

    def _show_slot(self, slot: MelodySlot) -> None:
        if slot.tokens is not None:
            self.set_melody(slot.tokens, f"Melody {slot.name} in the roll.")

    # -- morphing ---------------------------------------------------------------------------
    def _morph_latents(self) -> tuple[np.ndarray, np.ndarray] | None:
        a, b = self.slot_a.latent, self.slot_b.latent
        if a is None or b is None:
            return None
        chunks = min(len(a), len(b))
        return a[:chunks], b[:chunks]

    def _update_morph(self) -> None:
        pair = self._morph_latents()
        self.morph_slider.setEnabled(pair is not None)
        if pair is None:
            return
        from engines.music import compose

        model = compose.vae()
        for roll, t in zip(self.strip_rolls, np.linspace(0, 1, len(self.strip_rolls)), strict=True):
            roll.set_tokens(model.decode(model.interpolate(pair[0], pair[1], float(t))))
        self.status.setText(
            "Drag the slider to morph melody A into melody B; click an in-between melody to take it."
        )

    def _on_morph(self, value: int) -> None:
        pair = self._morph_latents()
        if pair is None:
            return
        from engines.music import compose

        model = compose.vae()
        z = model.interpolate(pair[0], pair[1], value / 100.0)
        self.set_melody(model.decode(z), f"{100 - value}% A, {value}% B.")
        self._base_latent = z

    def _on_strip_clicked(self, index: int) -> None:
        self.set_melody(
            self.strip_rolls[index].tokens(),
            f"In-between melody {index + 1} of {len(self.strip_rolls)}.",
        )

    def _on_attributes(self) -> None:
        from engines.music import compose

        if self._base_latent is None:
            if not self.state.has_notes():
                return
            try:
                self._base_latent = compose.latents_of(self.melody())
            except SozoError as exc:
                self.status.setText(str(exc))
                return
        amounts = {name: s.value() / 50.0 for name, s in self.attribute_sliders.items()}
        self.set_melody(
            compose.decode(self._base_latent, amounts), "Attributes applied.", keep_latent=True
        )

    # -- continue and variations ----------------------------------------------------------------
    def continue_melody(self) -> None:
        tokens, bars = self.melody(), self.state.bars
        seed, temperature = self.state.next_seed(), self.state.temperature
        if not self.state.has_notes():
            self.status.setText("Nothing to continue: sample or draw a melody first.")
            return

        def work(ctx: Any) -> Any:
            from engines.music import compose

            return compose.extend(compose.Melody(tokens), bars, temperature, seed, ctx)

        kept, done = self.state.kept, f"Continued by {bars} bars."  # the file's other tracks stay
        self._submit("Continue melody", work, lambda m: self.set_melody(m.tokens, done, kept=kept))

    def make_variations(self) -> None:
        tokens, seed = self.melody(), self.state.next_seed()
        if not self.state.has_notes():
            self.status.setText("Nothing to vary: sample or draw a melody first.")
            return

        def work(ctx: Any) -> Any:
            from engines.music import compose

            return compose.variations(compose.Melody(tokens), len(self.strip_rolls), 0.6, seed)

        def done(found: Any) -> None:
            for roll, m in zip(self.strip_rolls, found, strict=False):
                roll.set_tokens(m.tokens)
            self.status.setText("Variations below the slider: click one to take it.")

        self._submit("Variations", work, done)

    # -- rendering, playback and export ------------------------------------------------------------
    def export_to(self, audio_path: Path, midi_path: Path | None = None) -> Job[Any]:
        """Render and write the melody (a job); the status line names the files."""
        arrangement, comment = self.state.arrangement(), self.state.settings_comment()

        def work(ctx: Any) -> Any:
            from engines.audio import write as write_audio
            from engines.music import render

            ctx.report(0, 2, message="rendering")
            audio = render.render(arrangement)
            tags = {"title": "Sōzō Studio melody", "comment": comment, "software": "Sōzō Studio"}
            write_audio(audio_path, audio, render.SAMPLE_RATE, tags)
            if midi_path is not None:
                render.export_midi(midi_path, arrangement, "Sōzō Studio melody")
            files = [str(audio_path)] + ([str(midi_path)] if midi_path else [])
            return f"Wrote {', '.join(files)}; {render.loudness_note(audio)}."

        return self._submit("Export melody", work, self.status.setText)

    def export_clicked(self) -> None:
        folder = Path(self.context.settings.output_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.status.setText(f"Cannot use the output folder {folder}: {exc}")
            return
        stem = folder / time.strftime("melody-%Y%m%d-%H%M%S")
        self.export_to(stem.with_suffix("." + self.state.export_format), stem.with_suffix(".mid"))

    def _export_for_drag(self, kind: str) -> Path | None:
        """Write the file to drag synchronously (a drag needs it now)."""
        from engines.audio import write as write_audio
        from engines.music import render

        folder = Path(tempfile.mkdtemp(prefix="sozo-music-"))
        try:
            if kind == "midi":
                return render.export_midi(
                    folder / "melody.mid", self.state.arrangement(), "Sōzō Studio melody"
                )
            audio = render.render(self.state.arrangement())
            name = f"melody.{self.state.export_format}"
            return write_audio(folder / name, audio, render.SAMPLE_RATE)
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
        arrangement = self.state.arrangement()

        def work(ctx: Any) -> Any:
            from engines.music import render

            ctx.report(0, 1, message="rendering")
            return render.render(arrangement)

        def done(audio: Any) -> None:
            self._audio = audio
            self._start_playback(audio, arrangement.seconds_per_step())

        self._submit("Render melody", work, done)

    def _start_playback(self, audio: np.ndarray, seconds_per_step: float) -> None:
        from engines.music.render import SAMPLE_RATE

        if self.player is None:
            self.player = playback.AudioPlayer(self, on_finished=self.stop)
        self._seconds_per_step = seconds_per_step
        self.player.play(playback.ArraySource(audio, SAMPLE_RATE))
        self._play_started = time.monotonic()
        self._play_timer.start()
        self.play_button.setText("Stop")

    def _tick(self) -> None:
        from engines.music.render import SAMPLE_RATE

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
        self.play_button.setText("Play")

    def cancel(self) -> None:
        self.stop()
        super().cancel()
