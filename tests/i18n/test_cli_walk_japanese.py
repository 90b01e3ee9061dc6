"""The command line in Japanese has no English left: every subcommand's ``--help``, a
refusal of each where one is cheap, and what ``models``, ``device``, ``history`` and the
voice list print, under ``LANG=ja_JP.UTF-8`` (issue #14).

The GUI walk's detector (tests/i18n/test_walk_japanese.py) finds the Latin words left.
Besides its names, what is typed as it is stays Latin: option names (``--seed``),
metavars (``OUTPUT``), subcommand names and choices, the examples the help gives
(``formal=0.8``, ``kokoro:jf_alpha``), and the names :data:`CLI_NAMES` lists.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from engines.catalogue import Catalogue
from engines.music.instruments import INSTRUMENT_NAMES
from studio.cli import build_parser, main
from studio.cli.help_words import help_texts, help_texts_source
from tests.i18n.test_walk_japanese import english_words, quoted

pytestmark = pytest.mark.gui

# Names and values the CLI's texts use as they are typed or spelled.
CLI_NAMES = {
    *("sozo", "ComfyUI", "A1111", "LM", "TOML", "Ray", "ray", "host", "auto", "local"),
    *("owner", "name", "rhasspy", "piper", "voices", "Q4_K_M", "Q8_0", "en_US", "lessac"),
    *("medium", "joe", "jf_alpha", "jm_kumo", "formal", "positive", "red", "heart"),
    *("WIDTHxHEIGHT", "YYYY", "MM", "DD", "HF_TOKEN", "SOZO_API_KEY", "Bearer", "VITS"),
    *("kind", "grid", "walk", "melodies", "read", "aloud", "image", "ddim", "dpm", "m"),
    *("parameters", "smollm2", "instruct", "ldm", "C2PA", "z", "StyleTTS", "tts", "vae"),
    *("GRU", "transformer", "GAN", "dcgan", "unet", "search", "models", "id", "v1"),
    *("chat", "completions", "images", "generations", "audio", "speech", "lora", "torch"),
    *(word for name in INSTRUMENT_NAMES for word in name.split()),  # --instrument's
}

# Cheap refusals, one for each subcommand that has one (nothing loads a model).
REFUSALS = (
    ("models", "--bogus"),
    ("--device", "tpu", "device"),
    ("screenshot", "shot.jpg"),
    ("image", "red heart", "-o", "picture.jpg"),
    ("speech", "-o", "x.wav"),
    ("music", "-o", "tune.txt"),
    ("text", "hello", "--steer", "formal"),
    ("serve", "--port", "70000"),
    ("history", "show", "abc"),
    ("batch", "missing.toml"),
    ("import", "missing.gguf", "--kind", "text"),
    ("verify", "missing.png"),
    ("models", "files", "no-owner"),
    ("models", "remove", "not-downloaded"),
)


def commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    """Every command path: (), ("models",), ("models", "search")..."""
    yield path
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, each in action.choices.items():
                yield from commands(each, (*path, name))


def typed_words(parser: argparse.ArgumentParser) -> set[str]:
    """What a person types as it is: option names, metavars, dests, choices, commands."""
    words: set[str] = set()
    for action in parser._actions:
        words |= set(action.option_strings)
        for name in (action.dest, action.metavar):
            for each in name if isinstance(name, tuple) else (name,):
                words |= set(re.findall(r"\w+", each or ""))
        if isinstance(action, argparse._SubParsersAction):
            words |= {w for name in action.choices for w in re.findall(r"\w+", name)}
            for each in action.choices.values():
                words |= typed_words(each)
        elif action.choices:
            words |= {w for choice in action.choices for w in re.findall(r"\w+", str(choice))}
    return words


def left_in(texts: list[str], names: list[str]) -> dict[str, str]:
    """The English words left in ``texts``: options and what is typed as it is cut out."""
    cut = []
    for text in texts:
        for name in names:  # first, so that a quoted command is cut out whole
            text = text.replace(name, " ")
        text = re.sub(r"(?<![\w])--?[\w-]+", " ", text)  # option names, -o, --seed
        text = re.sub(r"\{[^}]*\}|\w+[=:][\w.,:=-]+", " ", text)  # {a,b}, formal=0.8
        text = re.sub(r"[\w.-]+(?:/[\w.-]+)+", " ", text)  # tests/bench/bench_threads.py
        cut.append(text)
    found = english_words(cut, [])
    allowed = typed_words(build_parser()) | CLI_NAMES
    return {w: t for w, t in found.items() if w not in allowed and not w.isupper()}


@pytest.fixture
def japanese_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")


def sozo(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """``sozo ARGV``: its exit status and what it printed (stdout and stderr)."""
    try:
        code = main(list(argv))
    except SystemExit as ended:
        code = int(ended.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


def catalogue_names() -> list[str]:
    """Model ids, names, families and licences, shown as they are (as the GUI walk), and
    what their messages quote (an install command)."""
    texts = set()
    for entry in Catalogue().all():
        texts |= {entry.id, entry.name, entry.family, entry.licence}
        texts |= set(quoted(entry.availability().message))
    return sorted((t for t in texts if t), key=len, reverse=True)


def test_every_help_in_japanese_has_no_english_but_names(
    japanese_locale: None, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = list(commands(build_parser()))
    assert len(paths) > 15  # sozo, its commands and models' and history's actions
    shown = []
    for path in paths:
        code, said = sozo(capsys, *path, "--help")
        assert code == 0, (path, said)
        shown.append(said)
    left = left_in(shown, catalogue_names())
    assert not left, f"English left in the Japanese help: {left}"
    joined = "\n".join(shown)
    assert "使い方: sozo image" in joined and "描くもの" in joined


def test_each_refusal_is_one_japanese_line(
    japanese_locale: None, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    said_all = []
    for argv in REFUSALS:
        code, said = sozo(capsys, *argv)
        assert code != 0, (argv, said)
        assert "Traceback" not in said, (argv, said)
        said_all.append(said)
    # What the person typed is quoted back as it is (a file name, a value).
    typed = sorted({word for argv in REFUSALS for word in argv}, key=len, reverse=True)
    left = left_in(said_all, [*typed, *catalogue_names()])
    assert not left, f"English left in Japanese refusals: {left}"


def test_what_the_commands_print_is_japanese(
    japanese_locale: None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from PIL import Image

    from engines.speech import list_voices
    from engines.speech.blends import VOICES

    names = catalogue_names()
    names += sorted({v.id for v in list_voices()} | set(VOICES), key=len, reverse=True)
    picture = tmp_path / "red.png"
    Image.new("RGB", (64, 64), (200, 30, 30)).save(picture)
    outputs = []
    for argv in (
        ("models",),
        ("device",),
        ("speech", "--list-voices"),
        ("history", "search"),
        ("verify", str(picture)),
    ):
        code, said = sozo(capsys, *argv)
        assert code == 0, (argv, said)
        outputs.append(said)
    # The CPU's own name and what torch and ONNX Runtime report stay as they are.
    outputs[1] = re.sub(r"CPU: [^·\n]*·", "CPU: ·", outputs[1])
    left = left_in(outputs, names)
    assert not left, f"English left in the Japanese output: {left}"
    assert "利用可能" in outputs[0] and "スレッド" in outputs[1]
    assert "履歴に一致するものはありません" in outputs[3]
    assert outputs[4].startswith("レシピ: なし\n")


def test_the_check_finds_english_left_in_help() -> None:
    left = left_in(["  --seed SEED   same seed, same picture", "  -o OUTPUT  書き出す"], [])
    assert set(left) == {"same", "seed", "picture"} - typed_words(build_parser())
    assert "same" in left and "picture" in left


def test_the_listed_help_texts_are_current() -> None:
    """studio/cli/help_texts.py lists every help text (lupdate extracts them from it)."""
    path = Path(__file__).resolve().parents[2] / "studio" / "cli" / "help_texts.py"
    assert path.read_text(encoding="utf-8") == help_texts_source(), (
        "the CLI's help changed: run python -m studio.i18n.update and translate"
    )
    assert "same seed, same picture" in help_texts()
