"""The API server with the real ``openai`` client and the bundled models (SmolLM2, the
emoji models, the Piper voice), on 127.0.0.1 and a free port."""

from __future__ import annotations

import base64
import http.client
import io
import json
import socket
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

import pytest

from engines.errors import BadInput
from engines.jobs import JobState
from studio.server import ApiServer, SerialJobQueue, ServerConfig
from tests.server.conftest import KEY, TEXT_MODEL

pytestmark = pytest.mark.integration

HELLO = [{"role": "user", "content": "Say hello."}]


def test_model_list_names_the_installed_text_image_and_speech_models(client: Any) -> None:
    ids = {m.id: m for m in client.models.list().data}
    assert TEXT_MODEL in ids and "emoji-ldm" in ids and "piper-en-us-joe-medium" in ids
    assert "emoji-upscaler" not in ids  # it enlarges pictures; no endpoint draws with it
    assert client.models.retrieve(TEXT_MODEL).id == TEXT_MODEL


def test_chat_greedy_reply_is_whole_and_repeatable(client: Any) -> None:
    def ask() -> Any:
        return client.chat.completions.create(
            model=TEXT_MODEL, messages=HELLO, max_tokens=8, temperature=0, seed=1
        )

    first, second = ask(), ask()
    assert first.choices[0].message.content
    assert first.choices[0].message.content == second.choices[0].message.content
    assert first.choices[0].finish_reason == "length"
    assert first.usage.completion_tokens == 8 and first.usage.prompt_tokens > 0


def test_streamed_chat_matches_the_whole_reply_and_ends_with_done(client: Any) -> None:
    whole = client.chat.completions.create(
        model=TEXT_MODEL, messages=HELLO, max_tokens=8, temperature=0
    )
    chunks = list(
        client.chat.completions.create(
            model=TEXT_MODEL,
            messages=HELLO,
            max_tokens=8,
            temperature=0,
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole.choices[0].message.content
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "length"
    assert chunks[-1].usage.completion_tokens == 8


def test_the_stream_is_server_sent_events_ending_with_done(server: ApiServer) -> None:
    body = json.dumps(
        {"model": TEXT_MODEL, "messages": HELLO, "max_tokens": 3, "stream": True}
    ).encode()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    conn.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
    reply = conn.getresponse()
    assert reply.getheader("Content-Type", "").startswith("text/event-stream")
    events = [e for e in reply.read().decode().split("\n\n") if e]
    assert all(e.startswith("data: ") for e in events)
    assert events[-1] == "data: [DONE]"
    assert json.loads(events[1][6:])["object"] == "chat.completion.chunk"


def test_a_stop_sequence_cuts_the_reply_before_it(client: Any) -> None:
    free = client.chat.completions.create(
        model=TEXT_MODEL, messages=HELLO, max_tokens=8, temperature=0
    ).choices[0]
    stop = free.message.content.split()[1]  # its second word
    cut = client.chat.completions.create(
        model=TEXT_MODEL, messages=HELLO, max_tokens=8, temperature=0, stop=[stop]
    ).choices[0]
    assert cut.finish_reason == "stop"
    assert stop not in cut.message.content
    assert free.message.content.startswith(cut.message.content)


def test_completion(client: Any) -> None:
    reply = client.completions.create(
        model=TEXT_MODEL, prompt="The capital of France is", max_tokens=6, temperature=0
    )
    assert reply.object == "text_completion" and reply.choices[0].text.strip()
    assert reply.usage.completion_tokens <= 6


def test_image_as_base64_png_with_its_recipe(client: Any) -> None:
    from PIL import Image

    reply = client.images.generate(
        model="emoji-ldm",
        prompt="red heart",
        size="64x64",
        response_format="b64_json",
        n=2,
        extra_body={"seed": 7, "steps": 4},
    )
    pictures = [Image.open(io.BytesIO(base64.b64decode(d.b64_json))) for d in reply.data]
    assert [p.size for p in pictures] == [(64, 64), (64, 64)]
    assert "Seed: 7" in pictures[0].text["parameters"]
    assert "Seed: 8" in pictures[1].text["parameters"]


def test_server_pictures_are_watermarked_and_signed(client: Any, tmp_path: Path) -> None:
    from engines import watermark
    from engines.credentials import read_credentials

    reply = client.images.generate(
        model="emoji-vae",
        prompt="cat",
        size="128x128",
        response_format="b64_json",
        extra_body={"seed": 5},
    )
    path = tmp_path / "reply.png"
    path.write_bytes(base64.b64decode(reply.data[0].b64_json))
    found = read_credentials(path)
    assert found.valid and "c2pa.created" in found.action, found.problems
    assert watermark.detect_file(path).found


def test_image_as_a_file_url_of_the_png(client: Any, server: ApiServer) -> None:
    from PIL import Image

    reply = client.images.generate(
        model="emoji-vae", prompt="cat", size="64x64", extra_body={"seed": 3}
    )
    url = reply.data[0].url
    assert url.startswith("file://")
    path = Path(url2pathname(urlparse(url).path))
    assert path.parent == server.config.image_folder().resolve()
    with Image.open(path) as picture:
        assert "Seed: 3" in picture.text["parameters"]


@pytest.mark.parametrize(("response_format", "kind"), [("wav", "WAV"), ("opus", "OGG")])
def test_speech_file_is_real_audio(client: Any, response_format: str, kind: str) -> None:
    import soundfile as sf

    reply = client.audio.speech.create(
        model="piper-en-us-joe-medium",
        voice="en_US-joe-medium",
        input="Hello there.",
        response_format=response_format,
    )
    info = sf.info(io.BytesIO(reply.content))
    assert info.format == kind and info.duration > 0.3
    audio, _ = sf.read(io.BytesIO(reply.content))
    assert abs(audio).max() > 0.01  # speech, not silence


# -- errors: the OpenAI shape, the right status, no engine reached ----------------------


def _error(exc: Any) -> dict[str, Any]:
    body = exc.value.body
    assert set(body) == {"message", "type", "param", "code"}, body  # the client unwraps "error"
    assert "Traceback" not in body["message"]
    return dict(body)


def test_unknown_model_is_404_and_makes_no_job(client: Any, server: Any) -> None:
    import openai

    before = len(server.jobs.submitted)
    with pytest.raises(openai.NotFoundError) as exc:
        client.chat.completions.create(model="gpt-9", messages=HELLO)
    assert _error(exc)["code"] == "model_not_found"
    assert len(server.jobs.submitted) == before


@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ({"temperature": 5}, "temperature"),
        ({"top_p": "high"}, "top_p"),
        ({"max_tokens": 0}, "max_tokens"),
        ({"stop": ["a", "b", "c", "d", "e"]}, "stop"),
        ({"n": 2}, "n"),
        ({"messages": [{"role": "wizard", "content": "hi"}]}, "messages[0].role"),
        ({"messages": []}, "messages"),
    ],
)
def test_bad_values_are_400_naming_the_parameter(
    client: Any, server: Any, extra: dict[str, Any], param: str
) -> None:
    import openai

    before = len(server.jobs.submitted)
    args: dict[str, Any] = {"model": TEXT_MODEL, "messages": HELLO, **extra}
    with pytest.raises(openai.BadRequestError) as exc:
        client.chat.completions.create(**args)
    assert _error(exc)["param"] == param
    assert len(server.jobs.submitted) == before


def test_model_of_another_task_is_400(client: Any) -> None:
    import openai

    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model="emoji-ldm", messages=HELLO)


def test_bad_image_size_and_speech_format_are_400(client: Any) -> None:
    import openai

    with pytest.raises(openai.BadRequestError) as exc:
        client.images.generate(model="emoji-ldm", prompt="x", size="256x128")
    assert _error(exc)["param"] == "size"
    with pytest.raises(openai.BadRequestError) as exc:
        client.audio.speech.create(
            model="piper-en-us-joe-medium", voice="alloy", input="Hi.", response_format="wav"
        )
    assert _error(exc)["param"] == "voice"
    with pytest.raises(openai.BadRequestError) as exc:
        client.audio.speech.create(
            model="piper-en-us-joe-medium", voice="en_US-joe-medium", input="Hi.",
            response_format="aac",
        )  # fmt: skip
    assert _error(exc)["param"] == "response_format"


def test_prompt_over_the_context_is_400_before_any_token(
    client: Any, server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refused before a job is queued, for chat and completions, whether the model is
    loaded or not: counted with its tokenizer and config, its weights never loaded."""
    import openai

    from engines.text import llm

    loads: list[object] = []
    real_load = llm.load

    def counted_load(*args: Any, **kwargs: Any) -> Any:
        loads.append(args)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(llm, "load", counted_load)
    refused: list[tuple[str, str, str]] = []
    monkeypatch.setattr(server, "on_refused", lambda m, p, e: refused.append((m, p, e.message)))
    llm.unload()
    long = [{"role": "user", "content": "word " * 9000}]  # SmolLM2 reads 8192 tokens
    jobs_before = len(server.jobs.submitted)
    with pytest.raises(openai.BadRequestError) as exc:
        client.chat.completions.create(model=TEXT_MODEL, messages=long, max_tokens=4)
    assert exc.value.status_code == 400
    error = _error(exc)
    assert set(error) == {"message", "type", "param", "code"}
    assert (error["code"], error["type"]) == ("context_length_exceeded", "invalid_request_error")
    assert "8192 tokens" in error["message"]
    with pytest.raises(openai.BadRequestError) as exc:
        client.completions.create(model=TEXT_MODEL, prompt="word " * 9000, max_tokens=4)
    assert _error(exc)["code"] == "context_length_exceeded"
    with pytest.raises(openai.BadRequestError) as exc:  # fits alone, not with the reply
        client.chat.completions.create(
            model=TEXT_MODEL, messages=[{"role": "user", "content": "Hi"}], max_tokens=9000
        )
    assert _error(exc)["code"] == "context_length_exceeded"
    assert len(server.jobs.submitted) == jobs_before  # never queued: no engine saw them
    assert loads == [] and llm.kept_model(TEXT_MODEL) is None  # and nothing was loaded
    # What `sozo serve` prints for each: the refusal in its words, not an internal error.
    assert [(m, p) for m, p, _ in refused] == [
        ("POST", "/v1/chat/completions"),
        ("POST", "/v1/completions"),
        ("POST", "/v1/chat/completions"),
    ]
    assert refused[0][2].startswith("This model's maximum context length is 8192 tokens.")

    loading = client.with_options(timeout=300)  # this one waits for the model to load
    reply = loading.chat.completions.create(
        model=TEXT_MODEL, messages=[{"role": "user", "content": "Hi"}], max_tokens=2
    )
    assert reply.choices[0].message.content is not None  # a prompt that fits still runs
    assert len(server.jobs.submitted) == jobs_before + 1 and len(loads) == 1
    with pytest.raises(openai.BadRequestError) as exc:  # loaded now: its own tokenizer
        client.chat.completions.create(model=TEXT_MODEL, messages=long, max_tokens=4)
    assert _error(exc)["code"] == "context_length_exceeded"
    assert len(server.jobs.submitted) == jobs_before + 1 and len(loads) == 1


def _raw(server: ApiServer, method: str, path: str, body: bytes = b"", **headers: str) -> Any:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request(method, path, body, headers)
    reply = conn.getresponse()
    return reply.status, json.loads(reply.read())["error"]


def test_malformed_json_unknown_path_and_a_too_big_body(server: ApiServer) -> None:
    status, error = _raw(server, "POST", "/v1/chat/completions", b"{not json")
    assert status == 400 and error["code"] == "invalid_json"
    status, error = _raw(server, "POST", "/v1/chat/completions", b"[1, 2]")
    assert status == 400
    status, error = _raw(server, "GET", "/v1/nothing-here")
    assert status == 404 and set(error) == {"message", "type", "param", "code"}
    status, error = _raw(server, "GET", "/v1/chat/completions")
    assert status == 405
    big = json.dumps({"model": TEXT_MODEL, "messages": [{"role": "user", "content": "x" * 70000}]})
    status, error = _raw(server, "POST", "/v1/chat/completions", big.encode())
    assert status == 413 and "65536" in error["message"]


def test_a_client_that_leaves_mid_stream_cancels_its_job_within_half_a_second(
    server: Any,
) -> None:
    body = json.dumps(
        {"model": TEXT_MODEL, "messages": HELLO, "max_tokens": 400, "stream": True}
    ).encode()
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=60)
    sock.sendall(
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    received = b""
    while received.count(b"data: ") < 3:  # the stream is under way
        received += sock.recv(4096)
    job = server.jobs.submitted[-1]
    assert job.state is JobState.running
    sock.close()
    left = time.monotonic()
    while not job.state.is_final and time.monotonic() - left < 5:
        time.sleep(0.01)
    took = time.monotonic() - left
    assert job.state is JobState.cancelled
    assert took < 0.5, f"cancelled {took:.2f} s after the client left"
    assert job.progress.step < 400


def test_another_address_needs_a_key_and_requests_without_it_get_401() -> None:
    with pytest.raises(BadInput, match="API key"):
        ApiServer(ServerConfig(host="0.0.0.0", port=0), SerialJobQueue())
    import openai

    jobs = SerialJobQueue()
    keyed = ApiServer(ServerConfig(port=0, api_key=KEY), jobs)
    keyed.start()
    try:
        wrong = openai.OpenAI(base_url=keyed.address, api_key="wrong", max_retries=0)
        with pytest.raises(openai.AuthenticationError) as exc:
            wrong.models.list()
        assert _error(exc)["code"] == "invalid_api_key"
        status, _ = _raw(keyed, "GET", "/v1/models")  # no Authorization header at all
        assert status == 401
        right = openai.OpenAI(base_url=keyed.address, api_key=KEY, max_retries=0)
        assert right.models.list().data
    finally:
        keyed.stop()
        jobs.close()


def test_sozo_serve_never_imports_qt() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from studio.cli import build_parser; "
        "args = build_parser().parse_args(['serve', '--host', '0.0.0.0']); "
        "from studio.cli import main; rc = main(['serve', '--host', '0.0.0.0']); "
        "assert rc == 1, rc; "
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "API key" in done.stderr and "Traceback" not in done.stderr


def test_server_speech_is_watermarked_and_a_wav_signed(client: Any, tmp_path: Path) -> None:
    import soundfile as sf

    from engines.audio_watermark import THRESHOLD, score
    from engines.credentials import read_credentials

    reply = client.audio.speech.create(
        model="piper-en-us-joe-medium",
        voice="en_US-joe-medium",
        input="Hello there. This sentence is long enough to carry the mark well.",
        response_format="wav",
    )
    path = tmp_path / "reply.wav"
    path.write_bytes(reply.content)
    found = read_credentials(path)
    assert found.valid and "c2pa.created" in found.action, found.problems
    audio, rate = sf.read(path)
    assert score(audio, rate) >= THRESHOLD
