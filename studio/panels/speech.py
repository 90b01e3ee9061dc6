"""The Speech panel: type a script, pick or blend a voice, hear it, export it.

The panel is a view over a :class:`~studio.panels.speech_state.SpeechState`: its
controls are bound to it, what is spoken is built from it, and the clip last made is its
``clip`` (the waveform, Play and export follow ``clip_changed``). Models are loaded and
run only through ``engines.registry`` (the jobs in ``speech_state``).

Audio flows from the engine's sentence generator (on the job runner's worker thread) into
a :class:`~studio.widgets.clip_spool.ClipSpool`: raw 16-bit samples in a file under the cache plus a small peak
envelope for the waveform, so a long script needs little memory. The panel redraws from
the spool when the job reports; playback (QtMultimedia, where the system has an audio
library) reads the same file, so it starts as soon as the first sentence is written.

The first audio is quick because the selected voice is loaded (and warmed up) as a job
shortly after the panel is shown or the voice changes, not when Speak is pressed, and
because the engines speak the first sentence's first clause as a chunk of its own.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMimeData, Qt, QTimer, QUrl
from PySide6.QtGui import QDrag
from PySide6.QtWidgets import QFileDialog, QInputDialog, QVBoxLayout, QWidget

from engines import paths, speech
from engines.catalogue import Task
from engines.errors import BadInput, SozoError
from engines.jobs import Job, JobState
from engines.recipes import SpeechRecipe
from engines.speech.types import SpeechRequest
from studio import playback
from studio.history import recorder as history_hooks
from studio.i18n import QT_TRANSLATE_NOOP, current_language, fill
from studio.i18n.defaults import JAPANESE_SAMPLE_TEXT, JAPANESE_VOICE
from studio.i18n.engine_text import render
from studio.panels.base import PanelBase
from studio.panels.recipe_drop import dropped_recipe_files, read_recipe_quietly
from studio.panels.speech_controls import ClipControls, SpeechControls
from studio.panels.speech_state import (
    SpeechState,
    clip_message,
    preload_work,
    speak_work,
    unused_export_path,
    voice_files,
    voice_is_loaded,
)
from studio.widgets.clip_spool import ClipSpool

PRELOAD_DELAY_MS = 800  # after the panel shows: let the window paint and the device probe start
PREVIEW_TEXT = "こんにちは。声のブレンドを試しています。"
EXPORT_FORMATS = ("wav", "flac", "ogg", "mp3")
_clip_numbers = itertools.count(1)
translate = QCoreApplication.translate


def playback_support() -> tuple[bool, str]:
    """Whether the panel can play, and the notice to show where it cannot."""
    return playback.playback_notice(
        QCoreApplication.translate(
            "SpeechPanel", "Everything else works: export the audio to listen to it."
        )
    )


class SpeechPanel(PanelBase):
    """Text box, voice picker, sliders, Speak/Stop, waveform, playback and export."""

    task = Task.speech
    title = QT_TRANSLATE_NOOP("SpeechPanel", "Speech")
    subtitle = QT_TRANSLATE_NOOP(
        "SpeechPanel",
        "Have a script read by a natural voice in English or Japanese, shape the voice, and export the audio.",
    )

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.state = SpeechState(self)
        self.job: Job[Any] | None = None
        self.preview_job: Job[Any] | None = None
        self._holder: dict[str, Any] = {}
        self.last_export: Path | None = None
        self._voice_defaults: dict[str, tuple[float, float]] = {}
        self._autoplayed = False
        self._paused_at = 0
        self._build_prompt_area()
        self._build_output_area()
        if current_language() == "ja":  # a Japanese voice and script to start from
            self.state.text = JAPANESE_SAMPLE_TEXT
        self.setAcceptDrops(True)  # drop a Piper .onnx voice here to add it
        self.playback_ok, self.playback_message = playback_support()
        self.player: playback.AudioPlayer | None = None
        if self.playback_ok:
            try:
                self.player = playback.AudioPlayer(self)
            except Exception as exc:  # a broken audio stack must not break the panel
                self.playback_ok, self.playback_message = (
                    False,
                    self.tr("Playback is off: %1").replace("%1", str(exc)),
                )
        self.clip_controls.show_clips_of(self.state, lambda: self.playback_ok)
        self.state.clip_changed.connect(self._update_position)
        self.playback_label.setText(self.playback_message)
        self.playback_label.setVisible(not self.playback_ok)
        self._timer = QTimer(self)
        self._timer.setInterval(40)
        self._timer.timeout.connect(self._tick)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(350)
        self._preview_timer.timeout.connect(self.preview_blend)
        self.preload_job: Job[Any] | None = None
        self._preload_voice_id = ""  # the voice preload_job loads
        self._preload_timer = QTimer(self)
        self._preload_timer.setSingleShot(True)
        self._preload_timer.setInterval(PRELOAD_DELAY_MS)
        self._preload_timer.timeout.connect(self.preload_voice)
        self.refresh_voices(JAPANESE_VOICE if current_language() == "ja" else None)

    # -- building ---------------------------------------------------------------------------
    def _build_prompt_area(self) -> None:
        layout = QVBoxLayout(self.prompt_area)
        layout.setContentsMargins(0, 0, 0, 0)
        self.controls = c = SpeechControls()
        layout.addWidget(c)
        # The controls the panel and its tests reach by name.
        self.text_edit, self.voice_box, self.status_label = c.text_edit, c.voice_box, c.status_label
        self.noise_slider, self.blend_box, self.blend_slider = (
            c.noise_slider,
            c.blend_box,
            c.blend_slider,
        )
        self.stop_button, self.speak_button = c.stop_button, c.speak_button
        self.bindings = c.bind_state(self.state)
        self.state.voice_id_changed.connect(self._on_voice_changed)
        c.blend_slider.sliderReleased.connect(lambda: self._preview_timer.start())
        c.add_voice_button.clicked.connect(self._ask_piper_voice)
        c.save_blend_button.clicked.connect(self._ask_save_blend)
        c.stop_button.clicked.connect(self.cancel)
        c.speak_button.clicked.connect(self.generate)

    def _build_output_area(self) -> None:
        layout = QVBoxLayout(self.output_area)
        layout.setContentsMargins(0, 8, 0, 0)
        self.clip_controls = c = ClipControls(EXPORT_FORMATS)
        layout.addWidget(c, 1)
        self.waveform, self.play_button = c.waveform, c.play_button
        self.position_label, self.export_buttons = c.position_label, c.export_buttons
        self.playback_label = c.playback_label
        c.waveform.seek_requested.connect(self.seek)
        c.waveform.drag_requested.connect(self.start_drag)
        c.play_button.clicked.connect(self.toggle_play)
        for fmt, button in c.export_buttons.items():
            button.clicked.connect(lambda _=False, f=fmt: self._export_clicked(f))
        c.export_as_button.clicked.connect(self.export_as)

    # -- voices -------------------------------------------------------------------------------
    @property
    def spool(self) -> ClipSpool | None:
        """The current clip's audio (``state.clip``), or None."""
        return self.state.clip.spool if self.state.clip is not None else None

    def refresh_voices(self, select: str | None = None) -> None:
        voices = speech.list_voices(self.context.catalogue)
        self.controls.list_voices(voices, select or self.state.voice_id)
        self._on_voice_changed()

    def current_voice_id(self) -> str:
        return self.state.voice_id

    def _is_kokoro(self) -> bool:
        return self.state.is_kokoro()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._preload_timer.start()

    def preload_voice(self) -> Job[Any] | None:
        """Load the selected voice in the background (a job), unless it is loaded, being
        loaded, unavailable, or the panel is hidden."""
        voice = self.current_voice_id()
        if not voice or not self.isVisible():
            return None
        pending = self.preload_job
        if pending is not None and not pending.state.is_final:
            if self._preload_voice_id == voice:
                return None
            pending.cancel()  # still queued for a voice no longer picked
        try:
            speech.find_voice(voice, self.context.catalogue)
            if voice_is_loaded(voice, self.context.catalogue):
                return None
        except SozoError:
            return None  # an unavailable voice: Speak says why
        job: Job[Any] = Job(
            self.tr("Load voice %1").replace("%1", voice),
            preload_work(voice, self.context.catalogue),
            task=self.task.value,
        )
        self.preload_job, self._preload_voice_id = job, voice
        self.context.runner.submit(job, on_done=self._on_preload_done)
        return job

    def _on_voice_changed(self, *_: object) -> None:
        if self.isVisible():
            self._preload_timer.start()
        if not self._is_kokoro():  # the sliders start at the voice's own noise scales
            noise, noise_w = self._piper_defaults(self.current_voice_id())
            self.state.noise_scale, self.state.noise_w = noise, noise_w

    def _piper_defaults(self, voice_id: str) -> tuple[float, float]:
        """The voice's own noise scales (from its .onnx.json), shown as slider defaults."""
        if voice_id not in self._voice_defaults:
            defaults = speech.noise_defaults(voice_id, self.context.catalogue)
            self._voice_defaults[voice_id] = defaults
        return self._voice_defaults[voice_id]

    def blend_weights(self) -> dict[str, float]:
        """The Kokoro blend the controls describe; {} when no second voice is picked."""
        return self.state.blend_weights()

    def _ask_piper_voice(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Add a Piper voice"), str(Path.home()), self.tr("Piper voice (*.onnx)")
        )
        if path:
            self.add_piper_voice(Path(path))

    def add_piper_voice(self, path: Path) -> bool:
        try:
            voice = speech.import_piper_voice(path, self.context.catalogue)
        except Exception as exc:
            self._set_status(render(exc), error=True)
            return False
        self.refresh_voices(select=voice.id)
        self._set_status(self.tr("Added the voice %1.").replace("%1", voice.name))
        return True

    def _ask_save_blend(self) -> None:
        blend = self.blend_weights()
        if not blend:
            self._set_status(
                self.tr("Pick a Kokoro voice and a second voice to blend first."), error=True
            )
            return
        name, ok = QInputDialog.getText(
            self, self.tr("Save blend"), self.tr("Name for this voice:")
        )
        if ok and name.strip():
            self.save_blend(name, blend)

    def save_blend(self, name: str, blend: dict[str, float]) -> bool:
        from engines.speech.blends import save_blend

        try:
            save_blend(name, blend)
        except SozoError as exc:
            self._set_status(str(exc), error=True)
            return False
        self.refresh_voices(select=f"blend:{name.strip()}")
        self._set_status(self.tr("Saved the blend as the voice %1.").replace("%1", name.strip()))
        return True

    # -- speaking -------------------------------------------------------------------------------
    def build_request(self, text: str | None = None) -> SpeechRequest:
        """What Speak says: the state's script (or ``text``), voice and settings."""
        return self.state.request(text)

    def generate(self) -> None:
        request = self.build_request()
        job = self.speak(request)
        if job is not None:  # a blend's short previews (preview_blend) are not kept
            history_hooks.speech_started(self.context, job, request)

    def preview_blend(self) -> None:
        """Speak a short sentence with the current blend (the slider's live preview)."""
        if not self.blend_weights() or (self.job and not self.job.state.is_final):
            return
        first = self.state.text.strip().split("。")[0][:60]
        self.speak(self.build_request(text=(first + "。") if first else PREVIEW_TEXT))

    def speak(self, request: SpeechRequest) -> Job[Any] | None:
        if self.job is not None and not self.job.state.is_final:
            self.job.cancel()
        self._stop_playback()
        # A new clip plays from its first chunk, even if the last job's end (which also
        # resets this) has not reached the panel yet.
        self._autoplayed = False
        self._holder = {}
        self._clear_clip()
        number = next(_clip_numbers)
        job: Job[Any] = Job(
            self.tr("Speech #%1").replace("%1", str(number)),
            speak_work(request, self._holder),
            task=self.task.value,
        )
        self.job = job
        self.speak_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self._set_status(self.tr("Starting…"))
        self.context.runner.submit(
            job, on_done=self._on_speech_done, on_progress=self._on_speech_progress
        )
        self._timer.start()
        return job

    def cancel(self) -> None:
        super().cancel()
        self._stop_playback()

    def _clear_clip(self) -> None:
        self.state.clear_clip()

    def _refresh_clip(self) -> None:
        """The job's spool, as far as it is made, becomes the state's clip."""
        spool = self._holder.get("spool")
        if spool is not None:
            self.state.show_clip(spool, self._holder.get("tags"))

    def _on_speech_progress(self, job: Job[Any]) -> None:
        if job is not self.job:  # a newer clip owns the panel
            return
        self._refresh_clip()
        if job.progress is not None and job.progress.message:
            self._set_status(render(job.progress.message))
        if (
            self.playback_ok
            and self.player is not None
            and self.spool is not None
            and self.spool.frames
            and not self.player.playing
            and not self._autoplayed
        ):
            self._autoplayed = True  # streaming: play as soon as the first sentence exists
            self.player.play(self.spool, 0)

    def _on_preload_done(self, job: Job[Any]) -> None:
        # Said only while no clip is being spoken, whose own messages matter more.
        if job is self.preload_job and (self.job is None or self.job.state.is_final):
            if job.state is JobState.finished:
                self._set_status(
                    self.tr("The voice %1 is ready.").replace("%1", render(job.result))
                )
            elif job.state is JobState.failed:
                self._set_status(render(job.error), error=True)

    def _on_speech_done(self, job: Job[Any]) -> None:
        if job is not self.job:  # a newer clip owns the panel
            return
        self._autoplayed = False
        self._refresh_clip()
        self.speak_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        seconds = self.spool.duration if self.spool is not None else 0.0
        self._set_status(*clip_message(job, seconds, self._holder.get("stream")))
        if job.state is JobState.finished and not seconds:
            return
        if not self.player or not self.player.playing:
            self._timer.stop()

    def _tick(self) -> None:
        if self.job is not None and not self.job.state.is_final:
            self._refresh_clip()
        self._update_position()
        if (self.job is None or self.job.state.is_final) and not (
            self.player and self.player.playing
        ):
            self._timer.stop()

    def _update_position(self, *_: object) -> None:
        spool = self.spool
        if spool is None or not spool.frames:
            self.position_label.setText("0.0 / 0.0 s")
            return
        pos = self.player.position() if self.player and self.player.playing else 0
        if self.player and not self.player.playing:
            pos = self._paused_at
        self.waveform.set_playhead(pos / spool.frames)
        self.position_label.setText(f"{pos / spool.sample_rate:.1f} / {spool.duration:.1f} s")
        self.play_button.setText(
            self.tr("Pause") if self.player and self.player.playing else self.tr("Play")
        )

    # -- playback -------------------------------------------------------------------------------
    def toggle_play(self) -> None:
        if not self.playback_ok or self.player is None or self.spool is None:
            self._set_status(self.playback_message, error=True)
            return
        if self.player.playing:
            self._paused_at = self.player.position()
            self.player.stop()
        else:
            start = self._paused_at
            self.player.play(self.spool, 0 if start >= self.spool.frames else start)
            self._timer.start()
        self._update_position()

    def seek(self, fraction: float) -> None:
        if self.spool is None or not self.spool.frames:
            return
        frame = int(max(0.0, min(1.0, fraction)) * self.spool.frames)
        self._paused_at = frame
        if self.player is not None and self.player.playing:
            self.player.play(self.spool, frame)
        self.waveform.set_playhead(fraction)
        self._update_position()

    def _stop_playback(self) -> None:
        if self.player is not None:
            self.player.stop()
        self._paused_at = 0

    # -- export and drag ------------------------------------------------------------------------
    def _export_clicked(self, fmt: str) -> None:
        path = self.export(fmt)
        if path is not None:
            self._set_status(self.tr("Exported %1").replace("%1", str(path)))

    def default_export_path(self, fmt: str) -> Path:
        folder = getattr(self.context.settings, "output_dir", "") or paths.default_output_dir()
        return unused_export_path(Path(folder), fmt)

    def export_as(self) -> Path | None:
        """Ask where to write the clip (asking before replacing a file), and write it."""
        from studio.save_elsewhere import ask_save_path

        formats = " ".join(f"*.{fmt}" for fmt in EXPORT_FORMATS)
        path = ask_save_path(
            self,
            self.tr("Export the audio"),
            self.default_export_path("wav"),
            self.tr("Audio ({formats})").format(formats=formats),
        )
        if path is None:
            return None
        exported = self.export(path.suffix.lstrip(".").lower(), path, overwrite=True)
        if exported is not None:
            self._set_status(self.tr("Exported {path}").format(path=exported))
        return exported

    def export(self, fmt: str, path: Path | None = None, overwrite: bool = False) -> Path | None:
        """Write the state's clip (as made so far) to ``path`` or the output folder;
        ``overwrite`` once the user agreed to replace the file there."""
        clip = self.state.clip
        if clip is None or not clip.spool.frames:
            self._set_status(self.tr("Nothing to export yet: speak something first."), error=True)
            return None
        target = path or self.default_export_path(fmt)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            settings = self.context.settings
            clip.spool.export(
                target,
                clip.tags,
                overwrite=overwrite,
                watermark=settings.watermark,
                sign=settings.sign,
            )
        except Exception as exc:
            from studio.save_elsewhere import write_failed

            self._set_status(write_failed(exc, self.tr("audio")), error=True)
            return None
        self.last_export = target
        history_hooks.speech_exported(self.context, self.job, target, clip.tags)
        return target

    def drag_mime(self) -> QMimeData | None:
        """A file URL for the clip (exported to WAV first), for drops on file managers and
        DAWs."""
        path = self.export("wav")
        if path is None:
            return None
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        return mime

    def start_drag(self) -> None:
        mime = self.drag_mime()
        if mime is None:
            return
        drag = QDrag(self.waveform)
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.CopyAction)

    # -- dropping voice files on the panel ----------------------------------------------------------
    @staticmethod
    def _dropped_voices(event: Any) -> list[Path]:
        mime = event.mimeData()
        return voice_files([u.toLocalFile() for u in mime.urls() if u.isLocalFile()])

    def dragEnterEvent(self, event: Any) -> None:
        if self._dropped_voices(event) or dropped_recipe_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        """A Piper voice dropped on the panel (.onnx with its .onnx.json) is added; an
        exported clip is opened in the player with its script, voice and settings."""
        clips = [p for p in dropped_recipe_files(event) if not p.suffix.lower().startswith(".mid")]
        if clips:
            try:
                self.open_audio(clips[0])
            except SozoError as exc:
                self._set_status(str(exc), error=True)
            event.acceptProposedAction()
            return
        voices = self._dropped_voices(event)
        for path in {p.with_name(p.name.removesuffix(".json")) for p in voices}:
            self.add_piper_voice(path)
        if voices:
            event.acceptProposedAction()

    # -- opening an audio file into the player -------------------------------------------------
    def open_audio(self, path: Path) -> None:
        """Put a WAV, FLAC, OGG or MP3 file in the player as the current clip (mixed to mono, at its own
        rate). Raises ``BadInput`` with a readable line for a file that cannot be played."""
        audio, sample_rate = read_audio_file(path)
        if self.job is not None and not self.job.state.is_final:
            raise BadInput(
                self.tr("%1: a clip is being spoken; stop it first (Esc).").replace("%1", path.name)
            )
        self._stop_playback()
        self._clear_clip()
        spool = ClipSpool(sample_rate)
        spool.append(audio)
        spool.finish()
        self.state.show_clip(spool, None)
        line = fill(
            self.tr("Opened %1 (%2 s at %3 Hz)."),
            path.name,
            f"{spool.duration:.1f}",
            str(sample_rate),
        )
        recipe = read_recipe_quietly(path)
        if isinstance(recipe, SpeechRecipe):
            line += " " + self.apply_recipe(recipe)
        self._set_status(line)

    def apply_recipe(self, recipe: SpeechRecipe) -> str:
        """Take a clip's script, voice and settings; returns the line that says so."""
        self.state.apply_recipe(recipe)
        if recipe.voice and self.state.voice_id != recipe.voice:
            return self.tr(
                "Its script and settings are restored; its voice %1 is not installed here."
            ).replace("%1", recipe.voice)
        return self.tr("Its script, voice and settings are restored.")

    # -- misc -------------------------------------------------------------------------------------
    def _set_status(self, text: str, error: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setProperty("error", error)
        self.status_label.setStyleSheet("color: #c0392b;" if error else "")

    def closeEvent(self, event: Any) -> None:
        self._stop_playback()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """The window is closing (jobs already stopped): stop playback and delete the
        clip's spool file, so the cache folder does not fill with old clips."""
        self._stop_playback()
        self._clear_clip()


MAX_OPEN_SECONDS = 60 * 60  # an hour of mono float32 at 48 kHz is about 700 MB in memory


def read_audio_file(path: Path) -> tuple[Any, int]:
    """(mono float32 samples, sample rate) of a WAV, FLAC, OGG or MP3 file; ``BadInput`` otherwise."""
    import numpy as np
    import soundfile

    name = path.name or str(path)
    if not path.is_file():
        raise BadInput(
            (
                translate("SpeechPanel", "%1 does not exist.")
                if not path.exists()
                else translate("SpeechPanel", "%1 is a folder.")
            ).replace("%1", name)
        )
    try:
        info = soundfile.info(str(path))
        if info.format not in ("WAV", "WAVEX", "FLAC", "OGG", "MP3"):
            raise BadInput(
                fill(
                    translate("SpeechPanel", "%1 is %2 audio: open a WAV, FLAC, OGG or MP3 file."),
                    name,
                    str(info.format),
                )
            )
        if info.frames == 0 or info.samplerate <= 0:
            raise BadInput(translate("SpeechPanel", "%1 holds no audio.").replace("%1", name))
        if info.frames / info.samplerate > MAX_OPEN_SECONDS:
            raise BadInput(
                translate(
                    "SpeechPanel", "%1 is longer than an hour: too long to open here."
                ).replace("%1", name)
            )
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except soundfile.LibsndfileError as exc:
        raise BadInput(
            fill(
                translate("SpeechPanel", "%1 cannot be read as audio (%2)."),
                name,
                str(exc.error_string),
            )
        ) from None
    except (RuntimeError, OSError) as exc:
        raise BadInput(
            fill(translate("SpeechPanel", "%1 cannot be read as audio (%2)."), name, str(exc))
        ) from None
    return np.ascontiguousarray(data.mean(axis=1), dtype=np.float32), int(rate)
