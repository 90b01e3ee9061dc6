"""What the Speech panel speaks from, with no widgets in it, and the jobs it runs.

The panel binds its text box, voice picker and sliders to a :class:`SpeechState`;
:meth:`SpeechState.request` builds what is spoken from the state alone.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from engines.errors import SozoError
from engines.jobs import Job, JobContext, JobState
from engines.speech.types import SpeechRequest
from studio.state import StateProperty
from studio.widgets.clip_spool import ClipSpool

PIPER_NOISE_DEFAULTS = (0.667, 0.8)  # noise scale, noise w: Piper's own defaults


class SpeechState(QObject):
    """The script, the voice, its settings and the Kokoro blend."""

    text_changed = Signal(str)
    voice_id_changed = Signal(str)  # "" when no voice is listed
    speed_changed = Signal(float)  # 1.0 is the voice's own pace
    noise_scale_changed = Signal(float)  # Piper only: expressiveness
    noise_w_changed = Signal(float)  # Piper only: rhythm
    blend_with_changed = Signal(str)  # a second Kokoro voice, "" for none
    blend_weight_changed = Signal(float)  # the second voice's share, 0..1

    text: StateProperty[str] = StateProperty("")
    voice_id: StateProperty[str] = StateProperty("")
    speed: StateProperty[float] = StateProperty(1.0)
    noise_scale: StateProperty[float] = StateProperty(PIPER_NOISE_DEFAULTS[0])
    noise_w: StateProperty[float] = StateProperty(PIPER_NOISE_DEFAULTS[1])
    blend_with: StateProperty[str] = StateProperty("")
    blend_weight: StateProperty[float] = StateProperty(0.5)

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
    notices = " ".join(stream.notices) if stream is not None else ""
    if job.state is JobState.finished:
        if not seconds:
            return f"Nothing could be spoken. {notices}".strip(), True
        providers = ", ".join(sorted(stream.providers)) if stream is not None else ""
        provider = providers.replace("ExecutionProvider", "") or "?"
        made = f"{seconds:.1f} s of audio in {job.elapsed:.1f} s · ran on ONNX Runtime {provider}"
        return f"{made}. {notices}".strip(), False
    if job.state is JobState.cancelled:
        return f"Stopped; kept {seconds:.1f} s of audio.", False
    kept = f" Kept {seconds:.1f} s of audio." if seconds else ""
    return f"{job.error}{kept}", True


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


def piper_defaults(voice_id: str, catalogue: Any) -> tuple[float, float]:
    """A Piper voice's own noise scales (from its .onnx.json); Piper's if unreadable."""
    try:
        from engines.speech import _piper_files, find_voice
        from engines.speech.piper import PiperConfig

        v = find_voice(voice_id, catalogue)
        _, config = _piper_files(catalogue.get(v.model_id))
        c = PiperConfig.from_file(config)
        return (c.noise_scale, c.noise_w)
    except SozoError:
        return PIPER_NOISE_DEFAULTS


def speak_work(request: SpeechRequest, holder: dict[str, Any]) -> Any:
    """The job: stream the request's sentences into a new :class:`ClipSpool`.

    ``holder`` receives the stream and the spool as soon as they exist, so the panel can
    draw and play while later sentences are made; the spool is the job's partial result.
    """

    def work(ctx: JobContext) -> ClipSpool:
        from engines import speech

        stream = speech.stream(request, ctx)
        spool = ClipSpool(stream.sample_rate)
        holder["stream"], holder["spool"] = stream, spool
        ctx.keep_partial(spool)
        total = 0
        done = 0
        try:
            ctx.report(0, 1, message="Speaking…")
            for chunk in stream:
                spool.append(chunk.audio, chunk.text)
                if chunk.text and chunk.ends_sentence:
                    done += 1
                if not total:  # counted after the first audio, so as not to delay it
                    total = max(1, stream.sentences_total)
                ctx.report(min(done, total), total, message=f"{spool.duration:.1f} s of audio")
        finally:
            spool.finish()
        return spool

    return work


def preload_work(voice_id: str, catalogue: Any) -> Any:
    """The job that loads and warms up a voice's engine before the user presses Speak."""

    def work(ctx: JobContext) -> str:
        from engines import speech

        ctx.report(0, 1, message=f"Loading the voice {voice_id}…")
        name = speech.preload(voice_id, catalogue)
        ctx.report(1, 1, message=f"{name} is ready")
        return name

    return work
