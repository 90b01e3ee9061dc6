"""``sozo serve`` speaks the locale's language; studio.cli.serve never imports Qt (an
import-linter rule): a child translates the server's lines once at start
(studio.cli.serve_words)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from studio.cli import serve

ROOT = Path(__file__).resolve().parents[2]


def test_english_needs_no_child(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "C.UTF-8")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a child process was started")

    monkeypatch.setattr(subprocess, "run", refuse)
    assert serve.serve_words() == serve.ENGLISH


def test_every_line_is_japanese_with_its_placeholders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "ja_JP.UTF-8")
    words = serve.serve_words()
    assert words.keys() == serve.ENGLISH.keys()
    for key, line in words.items():
        assert line != serve.ENGLISH[key], key
        assert any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in line), key
        assert serve._fields(line) == serve._fields(serve.ENGLISH[key]), key


def test_a_translation_that_lost_a_placeholder_is_not_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LC_ALL", "ja_JP.UTF-8")
    said = '{"refused": "[拒否] {method}", "stopped": "停止しました。"}'
    monkeypatch.setattr(
        subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, said + "\n", "")
    )
    words = serve.serve_words()
    assert words["refused"] == serve.ENGLISH["refused"]  # {path} {status} {message} lost
    assert words["stopped"] == "停止しました。"
    assert words["serving"] == serve.ENGLISH["serving"]  # not given: English


def test_sozo_serve_speaks_japanese(tmp_path: Path) -> None:
    probe = "import sys; from studio.cli import main; raise SystemExit(main(sys.argv[1:]))"
    env = dict(
        os.environ, LC_ALL="ja_JP.UTF-8", PYTHONPATH=str(ROOT), SOZO_CONFIG_DIR=str(tmp_path)
    )
    child = subprocess.Popen(
        [sys.executable, "-c", probe, "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
    )
    try:
        assert child.stdout is not None
        first = child.stdout.readline()
        assert first.startswith("OpenAI 互換 API を http://127.0.0.1:"), first
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=60)
    finally:
        child.kill()
    assert "停止しました。" in err
    assert "Traceback" not in err
