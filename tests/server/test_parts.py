"""The server's small parts without a model: stop sequences, routing, Opus files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engines import audio
from engines.errors import BadInput
from studio.server import endpoints, is_loopback
from studio.server.errors import ApiError


def feed_all(stops: tuple[str, ...], pieces: list[str]) -> tuple[str, bool]:
    matcher = endpoints.StopMatcher(stops)
    sent = ""
    for piece in pieces:
        out, hit = matcher.feed(piece)
        sent += out
        if hit:
            return sent, True
    return sent + matcher.flush(), False


def test_a_stop_split_across_pieces_is_cut_and_never_sent() -> None:
    assert feed_all(("END",), ["Hello E", "N", "D more"]) == ("Hello ", True)
    assert feed_all(("\n\n",), ["a\n", "b"]) == ("a\nb", False)  # held, then released
    assert feed_all(("x", "yz"), ["ab", "cy", "zq"]) == ("abc", True)


def test_routes_and_their_errors() -> None:
    endpoint, params = endpoints.route("GET", "/v1/models/emoji-ldm")
    assert endpoint is endpoints.get_model and params == {"model": "emoji-ldm"}
    with pytest.raises(ApiError) as exc:
        endpoints.route("GET", "/v1/completions")
    assert exc.value.status == 405
    with pytest.raises(ApiError) as exc:
        endpoints.route("POST", "/v2/anything")
    assert exc.value.status == 404


def test_loopback_addresses() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2")


def test_opus_files_at_its_rates_only(tmp_path: Path) -> None:
    import soundfile as sf

    tone = np.sin(np.linspace(0, 2000, 48000)).astype(np.float32) * 0.5
    path = audio.write(tmp_path / "a.opus", tone, 48000)
    assert sf.info(str(path)).subtype == "OPUS"
    with pytest.raises(BadInput, match="Opus takes"):
        audio.write(tmp_path / "b.opus", tone, 22050)


def test_a_refusal_inside_a_job_is_logged_in_plain_words(tmp_path: Path) -> None:
    """A job that refuses (a prompt found too long after loading, nothing sayable) ends
    with the refusal's words, not "Internal error (ApiError)", and no traceback file; the
    client still gets the ApiError itself."""
    from types import SimpleNamespace

    from engines.jobs import JobState
    from studio.server import SerialJobQueue

    def refuse(ctx: object, events: object) -> None:
        raise ApiError(400, "This model's maximum context length is 8 tokens.", "messages", "x")

    jobs = SerialJobQueue()
    try:
        request = endpoints.RequestJob(SimpleNamespace(jobs=jobs), "API chat", "text", refuse)  # type: ignore[arg-type]
        request._done.wait(10)
    finally:
        jobs.close()
    job = request.job
    assert job.state is JobState.failed
    assert job.error == "Refused (400): This model's maximum context length is 8 tokens."
    assert "Internal error" not in (job.error or "") and job.log_file is None
    assert request.error().status == 400 and request.error().code == "x"
