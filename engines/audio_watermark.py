"""An inaudible watermark in speech: keyed noise in the 1-3 kHz band, added at a fixed
level under the speech, found again by correlation.

Method: direct-sequence spread spectrum (Boney, Tewfik and Hamdy, "Digital watermarks
for audio signals", IEEE ICMCS 1996; Kirovski and Malvar, "Spread-spectrum
watermarking of audio signals", IEEE Trans. Signal Processing 51(4), 2003). The mark is
a noise sequence, made block by block (``BLOCK`` samples) from the key and the block's
index with random phases in the band, so a writer that gets the clip in chunks of any
size adds the same sequence. Each block's noise is scaled to ``LEVEL`` (-26 dB) of the
speech's RMS in it, so silence stays silent.

Detection correlates the clip's band with the sequence at every lag up to ``MAX_LAG``
samples (an encoder's delay: MP3 adds about a thousand) and normalises the best peak by
the correlation's spread over all lags: unmarked audio gives a z of about 4 at most at
its best lag, a marked clip of a few seconds well above ``THRESHOLD``.

It proves as little as the picture's mark: found, the clip passed through this studio
(the key is public); missing, nothing (resampling, time stretching or re-recording
remove it). It carries no payload beyond "Sōzō Studio".
"""

from __future__ import annotations

import numpy as np

KEY = 0x5A0202
BLOCK = 4096
BAND_HZ = (1000.0, 3000.0)
LEVEL = 10 ** (-26 / 20)  # the mark's RMS, relative to the speech's in the same block
MAX_LAG = 2048
THRESHOLD = 8.0  # z of the best lag


def _block_noise(index: int, sample_rate: int) -> np.ndarray:
    """The unit-RMS band-limited noise of block ``index``."""
    rng = np.random.default_rng([KEY, index])
    freqs = np.fft.rfftfreq(BLOCK, 1.0 / sample_rate)
    band = (freqs >= BAND_HZ[0]) & (freqs <= min(BAND_HZ[1], sample_rate / 2.5))
    spectrum = np.zeros(len(freqs), complex)
    spectrum[band] = np.exp(2j * np.pi * rng.random(int(band.sum())))
    noise = np.fft.irfft(spectrum, BLOCK)
    return np.asarray(noise / (np.sqrt(np.mean(noise**2)) + 1e-12))


def sequence(start: int, length: int, sample_rate: int) -> np.ndarray:
    """The unit noise for samples ``start`` to ``start + length`` of a clip."""
    out = np.empty(length)
    pos = start
    while pos < start + length:
        block, offset = divmod(pos, BLOCK)
        take = min(BLOCK - offset, start + length - pos)
        out[pos - start : pos - start + take] = _block_noise(block, sample_rate)[
            offset : offset + take
        ]
        pos += take
    return out


class Marker:
    """Adds the mark to a clip written in chunks: ``mark(chunk)`` for each, in order."""

    def __init__(self, sample_rate: int) -> None:
        self.sample_rate = sample_rate
        self.position = 0

    def mark(self, audio: np.ndarray) -> np.ndarray:
        """(N,) mono or (N, channels) samples with the mark added (the same noise in
        every channel, so a mix down to mono keeps it: music is stereo)."""
        audio = np.asarray(audio, dtype=np.float32)
        wide = audio.ndim == 2
        out = audio.astype(np.float64).reshape(len(audio), -1)
        noise = sequence(self.position, len(out), self.sample_rate)
        first = self.position
        pos = 0
        while pos < len(out):  # scaled block by block to the sound in it
            take = min(BLOCK - (first + pos) % BLOCK, len(out) - pos)
            part = out[pos : pos + take]
            rms = float(np.sqrt(np.mean(part**2))) if take else 0.0
            out[pos : pos + take] = part + LEVEL * rms * noise[pos : pos + take, None]
            pos += take
        self.position += len(out)
        return (out if wide else out.reshape(-1)).astype(np.float32)


def _band(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    spectrum = np.fft.rfft(audio)
    freqs = np.fft.rfftfreq(len(audio), 1.0 / sample_rate)
    spectrum[(freqs < BAND_HZ[0]) | (freqs > BAND_HZ[1])] = 0
    return np.fft.irfft(spectrum, len(audio))


def score(audio: np.ndarray, sample_rate: int) -> float:
    """The z of the best lag's correlation with the mark (about 0-4 for unmarked audio)."""
    audio = np.asarray(audio, dtype=np.float64)
    if audio.ndim == 2:
        audio = audio.mean(axis=1)
    if len(audio) < 2 * BLOCK or not np.any(audio):
        return 0.0
    host = _band(audio, sample_rate)
    mark = sequence(0, len(audio), sample_rate)
    n = 1 << int(np.ceil(np.log2(2 * len(audio))))
    corr = np.fft.irfft(np.fft.rfft(host, n) * np.conj(np.fft.rfft(mark, n)), n)
    lags = np.concatenate([corr[: MAX_LAG + 1], corr[-MAX_LAG:]])  # host delayed or early
    spread = float(np.sqrt(np.mean(lags**2))) + 1e-12
    return float(np.max(np.abs(lags)) / spread)


def detect_file(path: object) -> tuple[bool, float]:
    """(found, z) for an audio file that libsndfile reads."""
    import soundfile as sf

    audio, rate = sf.read(str(path), dtype="float32", always_2d=True)
    z = score(audio, rate)
    return z >= THRESHOLD, z
