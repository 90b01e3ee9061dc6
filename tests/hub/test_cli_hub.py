"""``sozo models search|files|download|verify|remove|add-folder`` against the fake hub,
and the plain ``sozo models`` list still working beside them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engines import paths
from studio.cli import main
from tests.hub.fake_hub import FakeHub

REPO = "acme/tiny-llama-GGUF"


def test_plain_models_still_lists_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and {"id", "task", "available"} <= set(rows[0])


def test_search_and_files(hub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "search", "tiny"]) == 0
    out = capsys.readouterr().out
    assert REPO in out and "apache-2.0" in out
    assert main(["models", "search", "english", "--kind", "voice", "--json"]) == 0
    [voice] = json.loads(capsys.readouterr().out)
    assert (voice["key"], voice["quality"], voice["sample_rate"]) == (
        "en_US-tiny-low",
        "low",
        16000,
    )
    assert main(["models", "files", REPO]) == 0
    out = capsys.readouterr().out
    assert "[Q4_K_M]" in out and "[Q8_0]" in out and "licence: apache-2.0" in out


def test_download_verify_remove(hub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "download", REPO, "--quant", "Q8_0"]) == 0
    model_id, where = capsys.readouterr().out.strip().split("\t")
    assert Path(where).is_file() and Path(where).is_relative_to(paths.models_dir())
    assert main(["models", "--task", "text"]) == 0
    assert model_id in capsys.readouterr().out
    assert main(["models", "verify"]) == 0
    assert capsys.readouterr().out.startswith("ok")
    Path(where).write_bytes(b"GGUF changed")
    assert main(["models", "verify", model_id]) == 1
    captured = capsys.readouterr()
    assert "BAD" in captured.out and "1 of 1 downloaded file(s) failed" in captured.err
    assert main(["models", "remove", model_id]) == 0
    assert not Path(where).exists()
    assert main(["models", "remove", model_id]) == 1
    assert "was not downloaded by the model manager" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["models", "download", REPO], "pick one with --quant"),
        (["models", "download", "acme/none"], "was not found"),
        (["models", "download", "acme/gated-GGUF"], "--accept-licence"),
        (["models", "download", "not a repo"], "owner/name"),
        (["models", "search", "x", "--limit", "0"], "--limit"),
        (["models", "add-folder", "/no/such/folder"], "not a folder"),
    ],
)
def test_bad_input_is_one_line(
    hub: FakeHub, capsys: pytest.CaptureFixture[str], argv: list[str], words: str
) -> None:
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert len(err.strip().splitlines()) <= 2  # the plan line, then the refusal


def test_gated_download_after_acceptance(hub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    hub.faults.deny["acme/gated-GGUF"] = 403
    assert main(["models", "download", "acme/gated-GGUF", "--accept-licence"]) == 1
    assert "gated or private" in capsys.readouterr().err
    del hub.faults.deny["acme/gated-GGUF"]
    assert main(["models", "download", "acme/gated-GGUF"]) == 0  # acceptance remembered
