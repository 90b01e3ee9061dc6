"""What the Speech panel speaks from and what it made, with no widgets in it, and the
jobs it runs.

The panel binds its text box, voice picker and sliders to a :class:`SpeechState`;
:meth:`SpeechState.request` builds what is spoken from the state alone. The clip last
made (:class:`Clip`) is state too: the waveform, Play and the export buttons are views
over ``SpeechState.clip``. The jobs reach the models only through the one engine
interface (``engines.registry.load`` then ``generate``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from engines import registry
from engines.catalogue import Catalogue, Task
from engines.jobs import Job, JobContext, JobState
from engines.recipes import SpeechRecipe
from engines.speech import PIPER_NOISE_DEFAULTS
from engines.speech.audio import ClipTags
from engines.speech.engine import LoadVoiceRequest, VoiceLoadedQuery, model_for
from engines.speech.types import SpeechRequest
from studio.i18n import fill
from studio.i18n.engine_text import render, render_all
from studio.state import StateProperty
from studio.widgets.clip_spool import ClipSpool

translate = QCoreApplication.translate


@dataclass(frozen=True)
class Clip:
    """The audio last made: what the waveform shows, Play plays and export writes."""

    spool: ClipSpool  # its samples and peaks, growing while the job speaks
    tags: ClipTags | None  # the script, voice and settings, written into exports
    frames: int  # the spool's length when the state heard of it: a grown clip is a new one


class SpeechState(QObject):
    """The script, the voice, its settings and the Kokoro blend."""

    text_changed = Signal(str)
    voice_id_changed = Signal(str)  # "" when no voice is listed
    speed_changed = Signal(float)  # 1.0 is the voice's own pace
    noise_scale_changed = Signal(float)  # Piper only: expressiveness
    noise_w_changed = Signal(float)  # Piper only: rhythm
    blend_with_changed = Signal(str)  # a second Kokoro voice, "" for none
    blend_weight_changed = Signal(float)  # the second voice's share, 0..1
    clip_changed = Signal(object)  # a Clip, or None: nothing made yet (or cleared)

    text: StateProperty[str] = StateProperty("")
    voice_id: StateProperty[str] = StateProperty("")
    speed: StateProperty[float] = StateProperty(1.0)
    noise_scale: StateProperty[float] = StateProperty(PIPER_NOISE_DEFAULTS[0])
    noise_w: StateProperty[float] = StateProperty(PIPER_NOISE_DEFAULTS[1])
    blend_with: StateProperty[str] = StateProperty("")
    blend_weight: StateProperty[float] = StateProperty(0.5)
    clip: StateProperty[Clip | None] = StateProperty(None)

    def is_kokoro(self) -> bool:
        """Kokoro voices and saved blends take a blend and no noise settings."""
        return self.voice_id.startswith(("kokoro:", "blend:"))

    def blend_weights(self) -> dict[str, float]:
        """The Kokoro blend the state describes; {} when no second voice is picked."""
        other, voice = self.blend_with, self.voice_id
        if not other or not voice.startswith("kokoro:"):
            return {}
        base = voice.removeprefix("kokoro:")
        if other == base:
            return {base: 1.0}
        return {base: 1.0 - self.blend_weight, other: self.blend_weight}

    def show_clip(self, spool: ClipSpool | None, tags: ClipTags | None = None) -> None:
        """Make ``spool`` (as it is now) the current clip; None: no clip. Saying the same
        spool again after it grew is a change, so the views redraw."""
        self.clip = None if spool is None else Clip(spool, tags, spool.frames)

    def clear_clip(self) -> None:
        """Forget the current clip and delete its spool file."""
        if self.clip is not None:
            self.clip.spool.close()
        self.clip = None

    def has_audio(self) -> bool:
        """Whether there is a clip with audio in it (to play, export or drag)."""
        return self.clip is not None and self.clip.spool.frames > 0

    def apply_recipe(self, recipe: SpeechRecipe) -> None:
        """Take a clip's recipe as the script, voice and settings (None: the default)."""
        self.text = recipe.text
        blend = dict(recipe.blend)
        voice = recipe.voice or ""
        if voice.startswith("kokoro:") and len(blend) == 2:
            base = voice.removeprefix("kokoro:")
            other = next((k for k in blend if k != base), "")
            self.blend_with = other
            self.blend_weight = float(blend.get(other, 0.5))
        else:
            self.blend_with = ""
        self.voice_id = voice
        self.speed = 1.0 if recipe.speed is None else float(recipe.speed)
        if recipe.noise_scale is not None:
            self.noise_scale = float(recipe.noise_scale)
        else:
            self.noise_scale = PIPER_NOISE_DEFAULTS[0]
        if recipe.noise_w is not None:
            self.noise_w = float(recipe.noise_w)
        else:
            self.noise_w = PIPER_NOISE_DEFAULTS[1]

    def recipe(self) -> SpeechRecipe:
        """The recipe of what :meth:`request` would speak."""
        return SpeechRecipe.from_request(self.request())

    def request(self, text: str | None = None) -> SpeechRequest:
        """What to speak: the script (or ``text``) with this voice and settings."""
        kokoro = self.is_kokoro()
        return SpeechRequest(
            text=self.text if text is None else text,
            voice_id=self.voice_id or None,
            blend=self.blend_weights(),
            speed=None if self.speed == 1.0 else self.speed,
            noise_scale=None if kokoro else self.noise_scale,
            noise_w=None if kokoro else self.noise_w,
        )


def clip_message(job: Job[Any], seconds: float, stream: Any) -> tuple[str, bool]:
    """The status line when a clip's job has ended, and whether it reports an error."""
    notices = " ".join(render_all(stream.notices)) if stream is not None else ""
    if job.state is JobState.finished:
        if not seconds:
            nothing = translate("SpeechPanel", "Nothing could be spoken.")
            return f"{nothing} {notices}".strip(), True
        providers = ", ".join(sorted(stream.providers)) if stream is not None else ""
        provider = providers.replace("ExecutionProvider", "") or "?"
        made = fill(
            translate("SpeechPanel", "%1 s of audio in %2 s · ran on ONNX Runtime %3."),
            f"{seconds:.1f}",
            f"{job.elapsed:.1f}",
            provider,
        )
        return f"{made} {notices}".strip(), False
    if job.state is JobState.cancelled:
        stopped = translate("SpeechPanel", "Stopped; kept %1 s of audio.")
        return stopped.replace("%1", f"{seconds:.1f}"), False
    kept = (
        " " + translate("SpeechPanel", "Kept %1 s of audio.").replace("%1", f"{seconds:.1f}")
        if seconds
        else ""
    )
    return f"{render(job.error)}{kept}", True


def unused_export_path(folder: Path, fmt: str) -> Path:
    """``speech-<time>.<fmt>`` in ``folder``, numbered if that name is taken."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = folder / f"speech-{stamp}.{fmt}"
    n = 2
    while path.exists():
        path = folder / f"speech-{stamp}-{n}.{fmt}"
        n += 1
    return path


def voice_files(dropped: list[str]) -> list[Path]:
    """The Piper voice files (.onnx, .onnx.json) among dropped files."""
    return [Path(f) for f in dropped if f.endswith((".onnx", ".onnx.json"))]


def voice_is_loaded(voice_id: str, catalogue: Catalogue | None = None) -> bool:
    """Whether the voice's weights are loaded already (so preloading would do nothing)."""
    query = VoiceLoadedQuery(voice_id)
    engine = registry.load(model_for(query), task=Task.speech, catalogue=catalogue)
    return bool(engine.generate(query, JobContext()))


def speak_work(request: SpeechRequest, holder: dict[str, Any]) -> Any:
    """The job: stream the request's sentences into a new :class:`ClipSpool`.

    ``holder`` receives the stream, the spool and the clip's tags as soon as they exist,
    so the panel can draw and play while later sentences are made; the spool is the job's
    partial result.
    """

    def work(ctx: JobContext) -> ClipSpool:
        stream = registry.load(model_for(request), ctx, task=Task.speech).generate(request, ctx)
        spool = ClipSpool(stream.sample_rate)
        tags = ClipTags(
            request.text, stream.voice_label, stream.settings_summary(), request=request
        )
        holder["stream"], holder["tags"], holder["spool"] = stream, tags, spool
        ctx.keep_partial(spool)
        total = 0
        done = 0
        try:
            ctx.report(0, 1, message=translate("SpeechPanel", "Speaking…"))
            for chunk in stream:
                spool.append(chunk.audio, chunk.text)
                if chunk.text and chunk.ends_sentence:
                    done += 1
                if not total:  # counted after the first audio, so as not to delay it
                    total = max(1, stream.sentences_total)
                ctx.report(
                    min(done, total),
                    total,
                    message=translate("SpeechPanel", "%1 s of audio").replace(
                        "%1", f"{spool.duration:.1f}"
                    ),
                )
        finally:
            spool.finish()
        return spool

    return work


def preload_work(voice_id: str, catalogue: Any) -> Any:
    """The job that loads and warms up a voice's engine before the user presses Speak."""

    def work(ctx: JobContext) -> str:
        ctx.report(
            0,
            1,
            message=translate("SpeechPanel", "Loading the voice %1…").replace("%1", voice_id),
        )
        request = LoadVoiceRequest(voice_id)
        engine = registry.load(model_for(request), ctx, task=Task.speech, catalogue=catalogue)
        name = str(engine.generate(request, ctx))
        ctx.report(1, 1, message=translate("SpeechPanel", "%1 is ready").replace("%1", name))
        return name

    return work
