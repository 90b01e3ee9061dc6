"""``sozo speech`` on the tiny voice."""

from __future__ import annotations

from pathlib import Path

import pytest
import soundfile as sf

from engines import speech
from engines.audio import read_tags
from engines.catalogue import Catalogue
from engines.credentials import read_credentials
from engines.speech import synthesis
from studio.cli import main


@pytest.fixture
def tiny_id(tiny_voice: Path) -> str:
    return speech.import_piper_voice(tiny_voice, Catalogue()).id


@pytest.mark.parametrize("fmt", ["wav", "mp3"])
def test_speech_writes_the_file_from_the_extension(
    tiny_id: str, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"hello.{fmt}"
    assert (
        main(["speech", "Hello there. Bye.", "--voice", tiny_id, "--speed", "1.5", "-o", str(out)])
        == 0
    )
    data, rate = sf.read(str(out))
    assert rate == 16_000 and len(data) > 0
    assert tiny_id in read_tags(out)["artist"]
    found = read_credentials(out)  # signed, naming the voice
    assert found.valid and "c2pa.created" in found.action, found.problems
    assert "CPUExecutionProvider" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["", "-o", "x.wav"], "empty"),
        (["?!", "-o", "x.wav"], "nothing to say"),
        (["Hi", "-o", "x.aac"], ".wav"),
        (["Hi", "--voice", "nobody", "-o", "x.wav"], "Unknown voice"),
        (["Hi", "--blend", "jf_alpha:x", "-o", "x.wav"], "not a number"),
        (["Hi", "--speed", "9", "-o", "x.wav"], "out of range"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(
    tiny_id: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    if "--voice" not in args and "--blend" not in args:
        args = [*args, "--voice", tiny_id]
    assert main(["speech", *args]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
    assert not (tmp_path / "x.wav").exists()


def test_text_the_voice_cannot_read_leaves_no_file(
    tiny_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.wav"
    assert main(["speech", "漢字です", "--voice", tiny_id, "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nothing could be spoken" in err[0] and "Han" in err[0]
    assert not out.exists()


def test_a_job_that_speaks_nothing_keeps_the_file_that_was_there(
    tiny_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 21: the CLI used to delete whatever was at -o after such a job."""
    out = tmp_path / "x.wav"
    out.write_bytes(b"the user's earlier recording")
    assert main(["speech", "漢字です", "--voice", tiny_id, "-o", str(out), "--overwrite"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nothing could be spoken" in err[0]
    assert out.read_bytes() == b"the user's earlier recording"
    assert not [p for p in tmp_path.iterdir() if ".sozo-" in p.name]  # no temporary file


def test_files_speak_each_first_sentence_whole(tiny_id: str, tmp_path: Path) -> None:
    """The quick-start split only helps live playback; a file gets whole sentences, so its
    audio equals the engine's output with the split turned off."""
    from engines.speech.types import SpeechRequest

    text = "Hello there, my old friend from the north. Bye."
    out = tmp_path / "whole.wav"
    assert main(["speech", text, "--voice", tiny_id, "-o", str(out)]) == 0
    data, _ = sf.read(str(out), dtype="float32")

    def made(quick: bool) -> int:
        stream = synthesis.stream(SpeechRequest(text=text, voice_id=tiny_id, quick_start=quick))
        return sum(len(chunk.audio) for chunk in stream)

    assert len(data) == made(False)
    assert made(True) != made(False)  # the split would have changed the audio


def test_speech_mp3_goes_through_the_one_writer_with_unicode_tags(
    tiny_id: str, tmp_path: Path, audio_writes: list[Path]
) -> None:
    from mutagen.id3 import ID3, Encoding

    out = tmp_path / "sozo.mp3"
    assert main(["speech", "Sōzō says hello.", "--voice", tiny_id, "-o", str(out)]) == 0
    assert audio_writes == [out]
    # An independent reader: Unicode, not ASCII-folded. The writer makes ID3v2.3 in
    # UTF-16; signing it (the c2pa library) rewrites the tag as ID3v2.4 in UTF-8, with the
    # manifest in a GEOB frame.
    id3 = ID3(str(out))
    assert id3["TIT2"].text == ["Sōzō says hello."]
    assert (id3.version, id3["TIT2"].encoding) == ((2, 4, 0), Encoding.UTF8)
    assert id3.getall("GEOB") and read_credentials(out).valid
    assert '"text": "Sōzō says hello."' in id3.getall("COMM")[0].text[0]
