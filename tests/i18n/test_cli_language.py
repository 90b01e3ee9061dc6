"""The command line follows the locale (studio.cli.i18n): Japanese for ja_JP, else English."""

from __future__ import annotations

import sys

import pytest

from studio.cli import main
from studio.cli.i18n import locale_language


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "C"}, "en"),
        ({}, "en"),
        ({"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, "en"),  # LC_ALL first
        ({"LC_MESSAGES": "ja_JP.UTF-8", "LANG": "en_GB.UTF-8"}, "ja"),
        ({"LC_ALL": "", "LC_MESSAGES": "", "LANG": "ja"}, "ja"),  # empty ones are unset
    ],
)
def test_the_locale_is_read_as_the_c_library_reads_it(
    environ: dict[str, str], expected: str
) -> None:
    assert locale_language(environ) == expected


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str, *argv: str
) -> tuple[int, str]:
    """``sozo ARGV`` under ``LANG=lang`` (LC_ALL and LC_MESSAGES unset): its status and
    stderr."""
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", lang)
    code = main(list(argv))
    return code, capsys.readouterr().err.strip()


def test_a_bad_number_is_one_japanese_line_in_a_japanese_locale(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run(monkeypatch, capsys, "ja_JP.UTF-8", "--threads", "99999999999", "models")
    assert code == 1
    assert err == (
        "sozo: --threads 99999999999 は範囲外です。0 から 1024 までの整数 （0: 自動）を指定してください"
    )
    code, err = run(monkeypatch, capsys, "C", "--threads", "99999999999", "models")
    assert code == 1
    assert err == (
        "sozo: --threads 99999999999 is out of range: give a whole number from 0 to 1024 "
        "(0: automatic)"
    )


def test_the_clis_own_lines_follow_the_locale(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run(monkeypatch, capsys, "ja_JP.UTF-8", "speech", "-o", "x.wav")
    assert code == 1
    assert err.startswith("sozo: 話すテキストを指定してください。")
    code, err = run(monkeypatch, capsys, "en_US.UTF-8", "speech", "-o", "x.wav")
    assert code == 1
    assert err == 'sozo: give the text to speak, e.g. sozo speech "Hello." -o hello.wav'


def test_english_runs_never_import_qt() -> None:
    """``sozo --version`` stays quick: the CLI reaches for Qt's translator only to print
    a line in Japanese."""
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}

    code = (
        "import sys; from studio.cli import main\n"
        "try: main(['--threads', '-5', 'models'])\n"
        "except SystemExit: pass\n"
        "print('PySide6' in sys.modules)"
    )
    for lang, expected in (("C", "False"), ("ja_JP.UTF-8", "True")):
        out = subprocess.run(
            [sys.executable, "-c", code],
            env={**env, "LANG": lang},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        assert out.stdout.strip() == expected, (lang, out.stderr)


def usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str, *argv: str
) -> tuple[object, str, str]:
    """``sozo ARGV`` that argparse ends (help or a refusal): its exit code, stdout, stderr."""
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", lang)
    with pytest.raises(SystemExit) as ended:
        main(list(argv))
    out = capsys.readouterr()
    return ended.value.code, out.out, out.err.strip()


def test_argparses_own_words_follow_the_locale(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """ "usage:", "options:", a refusal of an unknown option: argparse's gettext texts."""
    code, _, err = usage_error(monkeypatch, capsys, "ja_JP.UTF-8", "models", "--bogus")
    assert (code, err) == (2, "sozo: 認識できない引数です: --bogus （sozo --help を参照）")
    code, shown, _ = usage_error(monkeypatch, capsys, "ja_JP.UTF-8", "device", "--help")
    assert code == 0 and shown.startswith("使い方: sozo device")
    assert "オプション:" in shown and "このヘルプを表示して終了します" in shown
    assert "usage" not in shown and "options" not in shown and "show this help" not in shown
    code, _, err = usage_error(monkeypatch, capsys, "C", "models", "--bogus")
    assert (code, err) == (2, "sozo: unrecognized arguments: --bogus (see sozo --help)")
