"""The Piper engine and the speech registry, on the tiny voices (no weights needed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from engines import speech
from engines.catalogue import Catalogue
from engines.errors import BadInput, ModelUnavailable
from engines.jobs import Cancelled, JobContext
from engines.speech import synthesis
from engines.speech.piper import PiperSettings, PiperVoice
from engines.speech.types import SpeechRequest


def test_one_chunk_per_sentence_at_the_voice_rate(tiny_voice: Path) -> None:
    voice = PiperVoice(tiny_voice).load()
    chunks = list(voice.synthesize("Hello there. How are you? Dr. Smith is fine."))
    assert [c.text for c in chunks] == ["Hello there.", "How are you?", "Dr. Smith is fine."]
    assert [c.index for c in chunks] == [0, 1, 2]
    assert all(c.sample_rate == 16_000 and c.audio.dtype == np.float32 for c in chunks)
    assert voice.provider == "CPUExecutionProvider"


def test_phoneme_ids_follow_piper(tiny_voice: Path) -> None:
    voice = PiperVoice(tiny_voice)
    m = voice.config.phoneme_id_map
    ids = voice.phoneme_ids(["h", "ə", "§"])  # § is not in the map: dropped
    assert ids == [*m["^"], *m["_"], *m["h"], *m["_"], *m["ə"], *m["_"], *m["$"]]
    assert voice.phonemize("Hello, world.")[-1] == "."  # clause punctuation is kept
    assert "," in voice.phonemize("Hello, world.")


def test_settings_default_to_the_voice_and_reach_the_model(tiny_voice: Path) -> None:
    voice = PiperVoice(tiny_voice).load()
    assert voice.scales(PiperSettings()).tolist() == pytest.approx([0.5, 1.0, 0.6])
    assert voice.scales(PiperSettings(speed=2.0)).tolist()[1] == pytest.approx(0.5)
    gap = int(0.15 * voice.sample_rate)

    def spoken(settings: PiperSettings) -> np.ndarray:
        audio = voice.speak_sentence("Hello.", settings)
        assert not audio[-gap:].any()  # the sentence gap, the same for every setting
        return audio[:-gap]

    plain = spoken(PiperSettings(noise_scale=0.0))
    noisy = spoken(PiperSettings(noise_scale=1.0))
    # Noise changes the samples, not the length; the same noise setting gives the same
    # samples again (the tiny voice's noise is fixed, like VITS's under a fixed seed).
    assert noisy.shape == plain.shape
    assert np.abs(noisy - plain).max() > 0.01
    np.testing.assert_array_equal(noisy, spoken(PiperSettings(noise_scale=1.0)))
    # Speed divides length_scale, which stretches every phoneme: twice as fast is half
    # as long, half as fast twice as long.
    assert spoken(PiperSettings(noise_scale=0.0, speed=2.0)).size == plain.size // 2
    assert spoken(PiperSettings(noise_scale=0.0, speed=0.5)).size == plain.size * 2
    with pytest.raises(BadInput, match="Speed"):
        list(voice.synthesize("Hi.", PiperSettings(speed=10)))


def test_multi_speaker_voices_expose_speakers(tiny_multi_voice: Path) -> None:
    voice = PiperVoice(tiny_multi_voice).load()
    assert voice.speakers == ["alice", "bob", "carol"]
    a = voice.speak_sentence("Hello.", PiperSettings(speaker="alice", noise_scale=0.0))
    c = voice.speak_sentence("Hello.", PiperSettings(speaker="carol", noise_scale=0.0))
    assert not np.allclose(a, c)  # the speaker id reaches the model
    with pytest.raises(BadInput, match="no speaker 'dave'"):
        voice.speaker_id("dave")


def test_cancel_between_sentences(tiny_voice: Path) -> None:
    ctx = JobContext()
    chunks = PiperVoice(tiny_voice).synthesize("One. Two. Three. Four.", ctx=ctx)
    assert next(chunks).text == "One."
    ctx.cancel()
    with pytest.raises(Cancelled):
        next(chunks)


def test_broken_and_mismatched_voice_files_name_the_file(
    tiny_voice: Path, tiny_multi_voice: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.onnx"
    broken.write_bytes(b"not an onnx model at all")
    shutil.copy(tiny_voice.with_suffix(".onnx.json"), tmp_path / "broken.onnx.json")
    with pytest.raises(BadInput, match=r"broken\.onnx"):
        PiperVoice(broken).load()

    lonely = tmp_path / "lonely.onnx"
    shutil.copy(tiny_voice, lonely)
    with pytest.raises(ModelUnavailable, match=r"lonely\.onnx\.json"):
        PiperVoice(lonely)

    bad_json = tmp_path / "bad.onnx"
    shutil.copy(tiny_voice, bad_json)
    (tmp_path / "bad.onnx.json").write_text('{"audio": {}}', encoding="utf-8")
    with pytest.raises(BadInput, match=r"bad\.onnx\.json"):
        PiperVoice(bad_json)

    # A multi-speaker model with a single-speaker config.
    mixed = tmp_path / "mixed.onnx"
    shutil.copy(tiny_multi_voice, mixed)
    shutil.copy(tiny_voice.with_suffix(".onnx.json"), tmp_path / "mixed.onnx.json")
    with pytest.raises(BadInput, match="do not belong together"):
        PiperVoice(mixed).load()


def test_imported_voice_is_listed_with_its_speakers(tiny_multi_voice: Path) -> None:
    cat = Catalogue()
    info = speech.import_piper_voice(tiny_multi_voice, cat)
    ids = [v.id for v in speech.list_voices(Catalogue())]  # persisted across instances
    assert info.id in ids
    assert {"piper:tiny_multi#alice", "piper:tiny_multi#bob", "piper:tiny_multi#carol"} <= set(ids)
    bob = speech.find_voice("piper:tiny_multi#bob", cat)
    assert bob.speaker == "bob" and bob.language == "en-US"


def test_stream_markup_pause_and_notices(tiny_voice: Path) -> None:
    cat = Catalogue()
    speech.import_piper_voice(tiny_voice, cat)
    request = SpeechRequest(text="Hello. [pause 750ms] 漢字 world.", voice_id="piper:tiny")
    stream = synthesis.stream(request, catalogue=cat)
    chunks = list(stream)
    assert stream.sample_rate == 16_000
    pause = [c for c in chunks if not c.text]
    assert len(pause) == 1 and len(pause[0].audio) == 12_000 and not pause[0].audio.any()
    assert [c.text for c in chunks if c.text] == ["Hello.", "漢字 world."]
    assert any("2 Han" in n for n in stream.notices)
    assert stream.providers == {"CPUExecutionProvider"}


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), ("   \n", "empty"), ("?!… [pause 1s]", "nothing to say")],
)
def test_bad_text_is_refused_before_any_work(tiny_voice: Path, text: str, message: str) -> None:
    cat = Catalogue()
    speech.import_piper_voice(tiny_voice, cat)
    with pytest.raises(BadInput, match=message):
        synthesis.stream(SpeechRequest(text=text, voice_id="piper:tiny"), catalogue=cat)


def test_unknown_voice_in_markup_fails_at_once(tiny_voice: Path) -> None:
    cat = Catalogue()
    speech.import_piper_voice(tiny_voice, cat)
    with pytest.raises(BadInput, match="Unknown voice 'nobody'"):
        synthesis.stream(
            SpeechRequest(text="Hi [voice nobody] there", voice_id="piper:tiny"), catalogue=cat
        )


def test_a_100k_character_text_streams_and_cancels(tiny_voice: Path) -> None:
    cat = Catalogue()
    speech.import_piper_voice(tiny_voice, cat)
    text = ("This is a sentence of a very long script. " * 2400)[:100_000]
    ctx = JobContext()
    stream = synthesis.stream(SpeechRequest(text=text, voice_id="piper:tiny"), ctx, cat)
    chunks = iter(stream)
    first = [next(chunks) for _ in range(3)]
    assert stream.sentences_total > 2000
    assert all(c.audio.size < 20_000 for c in first)  # one sentence each, not the text
    ctx.cancel()
    with pytest.raises(Cancelled):
        next(chunks)


def test_quick_start_cuts_the_first_sentence_only(tiny_voice: Path) -> None:
    voice = PiperVoice(tiny_voice).load()
    text = "The library opens at nine in the morning. The reading room opens at ten today."
    chunks = list(voice.synthesize(text, split_first=True))
    assert [(c.text, c.ends_sentence) for c in chunks] == [
        ("The library opens", False),
        ("at nine in the morning.", True),
        ("The reading room opens at ten today.", True),
    ]
    whole = list(voice.synthesize(text))
    assert [c.text for c in whole] == [
        "The library opens at nine in the morning.",
        "The reading room opens at ten today.",
    ]


def test_the_join_of_a_cut_sentence_has_no_click_and_no_gap(tiny_voice: Path) -> None:
    voice = PiperVoice(tiny_voice).load()
    settings = PiperSettings(noise_scale=0.0, noise_w=0.0)
    head, rest = voice.synthesize(
        "The library opens at nine in the morning.", settings, split_first=True
    )
    # Both sides fade to silence at the join, so the wave cannot jump there.
    assert head.audio[-1] == 0.0 and rest.audio[0] == 0.0
    fade = int(0.005 * voice.sample_rate)
    assert np.abs(head.audio[-fade:]).max() > 0  # a fade, not a cut to silence
    # The head carries no sentence gap: at most the kept 30 ms of its own tail is quiet.
    loud = np.flatnonzero(np.abs(head.audio) > 0.02 * np.abs(head.audio).max())
    assert (head.audio.size - 1 - loud[-1]) / voice.sample_rate <= 0.031
    # The rest ends the sentence: it has the gap.
    gap = int(0.15 * voice.sample_rate)
    assert not rest.audio[-gap:].any()
    # One loudness across the join, within the level of a whole sentence.
    assert max(np.abs(head.audio).max(), np.abs(rest.audio).max()) == pytest.approx(0.9, abs=1e-3)


def test_stream_quick_start_and_preload(tiny_voice: Path) -> None:
    cat = Catalogue()
    speech.import_piper_voice(tiny_voice, cat)
    synthesis.unload_all()
    assert not synthesis.is_loaded("piper:tiny", cat)
    assert synthesis.preload("piper:tiny", cat) == "tiny"
    assert synthesis.is_loaded("piper:tiny", cat)
    text = "Visitors can borrow up to five books at a time. Then they go home."
    quick = list(synthesis.stream(SpeechRequest(text=text, voice_id="piper:tiny"), catalogue=cat))
    assert [c.ends_sentence for c in quick] == [False, True, True]
    slow = synthesis.stream(
        SpeechRequest(text=text, voice_id="piper:tiny", quick_start=False), catalogue=cat
    )
    assert [c.ends_sentence for c in slow] == [True, True]
    assert slow.sentences_total == 2
