"""The panels' one player (``studio.playback.AudioPlayer``) against a scripted sink: it
feeds whole frames within the sink's free space, follows a growing source, reports the
frame heard and stops itself at the end. Real output is covered by the panels' playback
tests where a sound server runs."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from studio import playback

pytestmark = pytest.mark.gui


class ScriptedSink:
    """A ``QAudioSink`` as the player uses it: a buffer the test drains by hand."""

    def __init__(self, sample_rate: int, channels: int) -> None:
        self.sample_rate, self.channels = sample_rate, channels
        self.buffer_size = 0
        self.queued = 0  # bytes in the buffer
        self.played = 0  # bytes the "sound card" took
        self.data = bytearray()
        self.stopped = False

    def setBufferSize(self, size: int) -> None:
        self.buffer_size = size

    def start(self) -> Any:
        return self

    def write(self, data: bytes) -> int:
        assert len(data) <= self.bytesFree()
        self.data += data
        self.queued += len(data)
        return len(data)

    def bytesFree(self) -> int:
        return self.buffer_size - self.queued

    def processedUSecs(self) -> int:
        frames = self.played // (2 * self.channels)
        return frames * 1_000_000 // self.sample_rate  # whole microseconds, as Qt's

    def drain(self, count: int) -> None:
        taken = min(count, self.queued)
        self.queued -= taken
        self.played += taken

    def stop(self) -> None:
        self.stopped = True


class GrowingSource:
    """Mono frames appended while playing, like a speech clip being made."""

    channels = 1

    def __init__(self, sample_rate: int) -> None:
        self.sample_rate = sample_rate
        self.pcm = b""
        self.finished = False

    @property
    def frames(self) -> int:
        return len(self.pcm) // 2

    def read_bytes(self, offset: int, count: int) -> bytes:
        return self.pcm[offset : offset + count]


PARENTS: list[Any] = []  # the players' timers live as long as their parent


def _player(qtbot: QtBot, **kw: Any) -> tuple[playback.AudioPlayer, list[ScriptedSink]]:
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    PARENTS[:] = [parent]
    sinks: list[ScriptedSink] = []

    def factory(rate: int, channels: int) -> ScriptedSink:
        sinks.append(ScriptedSink(rate, channels))
        return sinks[-1]

    return playback.AudioPlayer(parent, sink_factory=factory, **kw), sinks


def test_a_stereo_clip_plays_whole_frames_to_its_end(qtbot: QtBot) -> None:
    rate = 1_001  # odd sizes: half a second of stereo is not a whole number of frames
    audio = np.random.default_rng(0).uniform(-1, 1, (2_345, 2)).astype(np.float32)
    source = playback.ArraySource(audio, rate)
    ended: list[bool] = []
    player, sinks = _player(qtbot, on_finished=lambda: ended.append(True))
    player.play(source)
    sink = sinks[0]
    assert (sink.channels, sink.buffer_size) == (2, rate * 2)  # half a second
    assert player.playing and len(sink.data) % 4 == 0 and len(sink.data) <= sink.buffer_size
    for _ in range(100):  # 2,345 frames at 333 bytes a feed: some 30 feeds
        if not player.playing:
            break
        sink.drain(333)
        qtbot.wait(35)  # one feed
        assert len(sink.data) % 4 == 0
        if player.playing:
            assert abs(player.position() - sink.played // 4) <= 1
    # Stopped though processedUSecs(), in whole microseconds, never reaches the last frame.
    assert not player.playing
    expected = (np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes()
    assert bytes(sink.data) == expected and sink.stopped and ended == [True]


def test_playback_follows_a_growing_source_and_starts_where_asked(qtbot: QtBot) -> None:
    source = GrowingSource(8_000)
    source.pcm = bytes(range(200)) * 10  # 1,000 frames so far
    player, sinks = _player(qtbot)
    player.play(source, start_frame=100)
    sink = sinks[0]
    assert bytes(sink.data) == source.pcm[200:]  # from frame 100
    sink.drain(10_000)
    qtbot.wait(70)
    assert player.playing  # heard all there is, but more is coming
    assert player.position() == 1_000
    source.pcm += b"\x01\x02" * 500
    qtbot.waitUntil(lambda: len(sink.data) == 1_800 + 1_000, timeout=1_000)
    source.finished = True
    sink.drain(10_000)
    qtbot.waitUntil(lambda: not player.playing, timeout=1_000)
    assert bytes(sink.data) == source.pcm[200:]
    player.play(source, 0)  # again: a fresh sink from the start
    assert len(sinks) == 2 and sinks[0].stopped and bytes(sinks[1].data[:10]) == source.pcm[:10]
    player.stop()
    assert not player.playing and player.position() == 0
