"""The bundled voices, run for real: properties a listener would notice."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from engines import speech
from engines.jobs import Cancelled, JobContext
from engines.speech import synthesis
from engines.speech.types import SpeechRequest

pytestmark = pytest.mark.integration

JOE = "piper:en_US-joe-medium"


def _audio(text: str, voice: str | None = JOE, **kw: object) -> tuple[np.ndarray, int]:
    request = SpeechRequest(text=text, voice_id=voice, **kw)  # type: ignore[arg-type]
    stream = synthesis.stream(request)
    chunks = [c.audio for c in stream]
    return np.concatenate(chunks), stream.sample_rate


def _longest_silence(audio: np.ndarray, rate: int, threshold: float = 1e-4) -> float:
    quiet = np.abs(audio) < threshold
    best = run = 0
    for q in quiet:
        run = run + 1 if q else 0
        best = max(best, run)
    return best / rate


@pytest.fixture(scope="module")
def have_voices() -> None:
    for v in speech.list_voices():
        if v.id in (JOE, "kokoro:jf_alpha") and not v.available:
            pytest.fail(v.message)


def test_joe_speaks_at_22050_and_is_not_silent(have_voices: None) -> None:
    audio, rate = _audio("The quick brown fox jumps over the lazy dog.")
    assert rate == 22_050
    assert 1.5 < len(audio) / rate < 6.0
    rms = float(np.sqrt(np.mean(audio**2)))
    assert rms > 0.03 and np.abs(audio).max() <= 1.0


def test_duration_grows_with_text_and_falls_with_speed(have_voices: None) -> None:
    short, _ = _audio("Hello there.", noise_w=0.0)
    long, _ = _audio("Hello there. It is a fine morning for a long walk by the river.", noise_w=0.0)
    fast, _ = _audio("Hello there.", noise_w=0.0, speed=2.0)
    assert len(long) > 2 * len(short)
    assert len(fast) < 0.8 * len(short)


def test_a_pause_adds_the_asked_silence(have_voices: None) -> None:
    audio, rate = _audio("One sentence. [pause 1200ms] Another sentence.")
    silence = _longest_silence(audio, rate)
    assert 1.2 <= silence < 1.2 + 0.6  # the pause, plus at most the gaps around it


def test_cancel_stops_early(have_voices: None) -> None:
    ctx = JobContext()
    text = "This sentence is one of many. " * 40
    stream = synthesis.stream(SpeechRequest(text=text, voice_id=JOE), ctx)
    made = 0
    with pytest.raises(Cancelled):
        for _ in stream:
            made += 1
            if made == 2:
                ctx.cancel()
    assert made == 2


def test_kokoro_speaks_japanese_at_24000(have_voices: None) -> None:
    audio, rate = _audio("こんにちは。今日はいい天気ですね。", voice="kokoro:jf_alpha")
    assert rate == 24_000
    assert 1.0 < len(audio) / rate < 8.0
    assert float(np.sqrt(np.mean(audio**2))) > 0.02 and np.abs(audio).max() <= 0.9 + 1e-6


def test_blend_a1_b0_equals_a_and_half_half_differs(have_voices: None) -> None:
    model = synthesis.kokoro_model()
    alpha = model.voices["jf_alpha"]
    assert np.array_equal(model.style({"jf_alpha": 1.0, "jm_kumo": 0.0}), alpha)
    text = "こんにちは。"
    a, _ = _audio(text, voice="kokoro:jf_alpha")
    a10, _ = _audio(text, voice=None, blend={"jf_alpha": 1.0, "jm_kumo": 0.0})
    mix, _ = _audio(text, voice=None, blend={"jf_alpha": 0.5, "jm_kumo": 0.5})
    assert np.array_equal(a, a10)
    assert len(mix) != len(a) or not np.allclose(mix, a)


def test_voice_switch_mid_text_joins_two_engines(have_voices: None) -> None:
    request = SpeechRequest(text="Hello. [voice kokoro:jf_alpha] こんにちは。", voice_id=JOE)
    stream = synthesis.stream(request)
    chunks = list(stream)
    assert [c.text for c in chunks] == ["Hello.", "こんにちは。"]
    assert {c.sample_rate for c in chunks} == {22_050}  # Kokoro resampled to the first voice
    assert stream.voices_used == [JOE, "kokoro:jf_alpha"]


@pytest.mark.parametrize(
    ("voice", "text"),
    [
        (JOE, "The library opens at nine in the morning."),
        ("kokoro:jf_alpha", "図書館は朝九時に開きます。"),
    ],
)
def test_a_quick_start_join_sounds_like_one_sentence(
    have_voices: None, voice: str, text: str
) -> None:
    """The first sentence cut in two for a quick start: no gap at the join longer than the
    pauses inside a sentence spoken whole, and about the same length."""
    kw = {"noise_w": 0.0} if voice == JOE else {}
    request = SpeechRequest(text=text, voice_id=voice, **kw)  # type: ignore[arg-type]
    cut = list(synthesis.stream(request))
    assert [c.ends_sentence for c in cut] == [False, True]
    rate = cut[0].sample_rate
    joined = np.concatenate([c.audio for c in cut])
    whole = np.concatenate([c.audio for c in synthesis.stream(replace(request, quick_start=False))])
    gap = int(0.15 * rate)  # leave out the silence after the sentence
    # A model's near-silence (below 1% of full scale) between words lasts < 0.1 s.
    around_join = joined[cut[0].audio.size - rate // 4 : cut[0].audio.size + rate // 4]
    assert _longest_silence(around_join, rate, 0.01) < 0.1
    assert 0.9 < (joined.size - gap) / (whole.size - gap) < 1.2


def test_kokoro_in_two_parts_equals_the_whole_graph(have_voices: None) -> None:
    """The prosody part and the decoder, run one after the other, give exactly what the
    joined model file gives."""
    import onnxruntime as ort

    model = synthesis.kokoro_model()
    assert model.model_path is not None
    ids = model.tokens(model.phonemize("図書館は朝九時に開きます。"))
    table = model.voices["jm_kumo"]
    whole = ort.InferenceSession(str(model.model_path), providers=["CPUExecutionProvider"])
    feeds = {
        "tokens": np.array([[0, *ids, 0]], dtype=np.int64),
        "style": table[len(ids) - 1].reshape(1, 256),
        "speed": np.array([1.0], dtype=np.float32),
    }
    assert np.array_equal(whole.run(None, feeds)[0].reshape(-1), model._infer(ids, table, 1.0))


def _envelope(audio: np.ndarray) -> np.ndarray:
    """Level in dB per 10 ms, from the first sample above 1% of full scale."""
    audio = audio[int(np.flatnonzero(np.abs(audio) > 0.01)[0]) :]
    frames = audio[: audio.size // 240 * 240].reshape(-1, 240)
    return 10 * np.log10(np.mean(frames**2, axis=1) + 1e-10)


@pytest.mark.parametrize("voice", ["jf_alpha", "jm_kumo"])
def test_a_quick_start_head_sounds_as_in_the_whole_sentence(have_voices: None, voice: str) -> None:
    """The head (図書館は) follows the same words in the sentence spoken whole, level for
    level, 10 ms by 10 ms: the sentence's timing and intonation, no lengthened last vowel
    (said alone, as a sentence of its own, it correlates 0.19-0.46 with them)."""
    model = synthesis.kokoro_model()
    text = "図書館は朝九時に開きます。"
    head = next(iter(model.synthesize(text, {voice: 1.0}, split_first=True)))
    assert head.text == "図書館は" and not head.ends_sentence
    whole = _envelope(next(iter(model.synthesize(text, {voice: 1.0}))).audio)
    ours = _envelope(head.audio)
    whole = whole[: ours.size]
    loud = whole > whole.max() - 40
    assert np.corrcoef(ours[loud], whole[loud])[0, 1] > 0.75


def test_a_head_read_differently_alone_is_not_cut(
    have_voices: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the head's reading is not the start of the sentence's, the sentence is spoken
    whole (one chunk) rather than cut at a wrong frame."""
    model = synthesis.kokoro_model()
    phonemize = model.phonemize
    monkeypatch.setattr(model, "phonemize", lambda s: "ka" if s == "図書館は" else phonemize(s))
    chunks = list(
        model.synthesize("図書館は朝九時に開きます。", {"jf_alpha": 1.0}, split_first=True)
    )
    assert [(c.text, c.ends_sentence) for c in chunks] == [("図書館は朝九時に開きます。", True)]


def test_joe_seeded_sounds_as_joe_unseeded(have_voices: None) -> None:
    """The seeded graph (engines.speech.noise) against ONNX Runtime's own draws on the
    unmodified voice file: duration and loudness of one sentence over 6 takes each."""
    import onnxruntime as ort

    from engines.catalogue import Catalogue
    from engines.speech.piper import PiperSettings

    voice = synthesis.piper_voice(speech.find_voice(JOE))
    assert len(voice._noise) == 2  # the duration predictor's and the prior's
    sentence = "The quick brown fox jumps over the lazy dog, then runs into the woods."
    ids = voice.phoneme_ids(voice.phonemize(sentence))
    inputs = {
        "input": np.array([ids], dtype=np.int64),
        "input_lengths": np.array([len(ids)], dtype=np.int64),
        "scales": voice.scales(PiperSettings()),
    }
    onnx_file, _ = speech._piper_files(Catalogue().get(speech.find_voice(JOE).model_id))
    plain = ort.InferenceSession(str(onnx_file), providers=["CPUExecutionProvider"])
    theirs = [plain.run(None, inputs)[0].reshape(-1) for _ in range(6)]
    ours = [voice._voice_audio(sentence, PiperSettings(seed=s)) for s in range(6)]

    def stats(takes: list[np.ndarray]) -> tuple[float, float]:
        return (
            float(np.median([t.size for t in takes])),
            float(np.median([np.sqrt(np.mean(t**2)) for t in takes])),
        )

    (their_len, their_rms), (our_len, our_rms) = stats(theirs), stats(ours)
    assert abs(our_len / their_len - 1) < 0.05
    assert abs(our_rms / their_rms - 1) < 0.10
    assert len({t.size for t in ours}) > 1  # the duration noise is there: takes differ


def test_joe_same_seed_same_samples_other_seed_other_take(have_voices: None) -> None:
    text = "One sentence here. And another one after it."
    a, _ = _audio(text, seed=11)
    np.testing.assert_array_equal(a, _audio(text, seed=11)[0])
    b, _ = _audio(text, seed=12)
    assert a.size != b.size or not np.array_equal(a, b)
