"""A scripted fake engine for the job contract and GUI tests: it reports progress like a
real engine, can burn CPU (in a way that releases the GIL, like torch or ONNX Runtime
kernels do), and can fail at a chosen step."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any

from engines.errors import BadInput
from engines.jobs import JobContext


@dataclass
class FakeEngine:
    steps: int = 10
    step_seconds: float = 0.01
    burn_cpu: bool = False
    fail_at: int | None = None
    fail_with_user_error: bool = False

    def generate(self, ctx: JobContext) -> list[int]:
        made: list[int] = []
        for step in range(self.steps):
            if self.fail_at is not None and step == self.fail_at:
                if self.fail_with_user_error:
                    raise BadInput("The prompt is empty: type something to generate.")
                raise ValueError("tensor shapes do not match (3 vs 4)")
            if self.burn_cpu:
                _burn(self.step_seconds)
            else:
                ctx.wait(self.step_seconds)
            made.append(step)
            ctx.keep_partial(list(made))
            ctx.report(step + 1, self.steps, message=f"step {step + 1}", preview=step)
        return made


def _burn(seconds: float) -> None:
    """Busy CPU work for about ``seconds``; hashlib releases the GIL on large buffers."""
    block = b"x" * (1 << 20)
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        hashlib.sha256(block).digest()


class InstantSink:
    """Stands in for ``QAudioSink`` (as ``studio.playback.AudioPlayer`` uses it) where
    there is no sound card: it takes half a second of audio at a time and "plays" it at
    once, keeping every byte it was given."""

    def __init__(self, sample_rate: int, channels: int) -> None:
        self.sample_rate, self.channels = sample_rate, channels
        self.buffer_size = 0
        self.data = bytearray()
        self.stopped = False

    def setBufferSize(self, size: int) -> None:
        self.buffer_size = size

    def start(self) -> InstantSink:
        return self

    def write(self, data: bytes) -> int:
        self.data += data
        return len(data)

    def bytesFree(self) -> int:
        return self.buffer_size

    def processedUSecs(self) -> int:
        return len(self.data) // (2 * self.channels) * 1_000_000 // self.sample_rate

    def stop(self) -> None:
        self.stopped = True


def instant_playback(monkeypatch: Any) -> list[InstantSink]:
    """Playback "available", on :class:`InstantSink`s: the sinks the players opened."""
    from studio import playback

    sinks: list[InstantSink] = []

    def open_sink(sample_rate: int, channels: int) -> InstantSink:
        sinks.append(InstantSink(sample_rate, channels))
        return sinks[-1]

    monkeypatch.setattr(playback, "playback_support", lambda: playback.PlaybackSupport(True))
    monkeypatch.setattr(playback, "qt_audio_sink", open_sink)
    return sinks
