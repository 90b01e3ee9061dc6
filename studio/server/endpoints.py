"""The OpenAI-compatible endpoints: one function per endpoint, and :data:`ROUTES`.

Each endpoint takes a :class:`Call` (the parsed request, the server, and a way to learn
that the client went away) and returns a :class:`JsonReply`, :class:`BytesReply` or
:class:`EventStream`, or raises :class:`~studio.server.errors.ApiError`. Everything a
request asks for is checked here, before a job is made; the work itself is one
:class:`~engines.jobs.Job` per request, handed to the server's queue, which loads the
engine through :mod:`engines.registry` as the window's panels do.

What is refused before an engine runs: unknown models (404), bad values (400) and
prompts that do not fit the model's context with the reply (400
``context_length_exceeded``): counted with the model's tokenizer before any job is
queued, whether the model is loaded or not (its weights are not read for it). The job
checks again after loading, before any token is made.
"""

from __future__ import annotations

import base64
import io
import queue
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engines.catalogue import Catalogue, ModelEntry, Task
from engines.errors import ModelUnavailable, SozoError
from engines.jobs import Job, JobContext, JobState
from studio.server.errors import ApiError, Refused, bad_value

if TYPE_CHECKING:
    from engines.text.types import ChatMessage, TextRequest
    from studio.server.http import ApiServer

# How often a waiting request looks whether its client is still there: a client that
# goes away has its job cancelled within this (plus one token or step).
POLL_S = 0.05
MAX_STOP_SEQUENCES = 4  # as OpenAI
MAX_IMAGES = 10  # as OpenAI's n for images
SPEECH_FORMATS = {
    "wav": "audio/wav",
    "mp3": "audio/mpeg",
    "flac": "audio/flac",
    "opus": "audio/ogg",
}


class ClientGone(Exception):
    """The client closed its connection; its job has been cancelled."""


@dataclass
class Call:
    """One request as an endpoint sees it."""

    server: ApiServer
    body: dict[str, Any]
    path_params: dict[str, str] = field(default_factory=dict)
    client_gone: Callable[[], bool] = lambda: False


@dataclass
class JsonReply:
    body: dict[str, Any]
    status: int = 200


@dataclass
class BytesReply:
    data: bytes
    content_type: str


@dataclass
class EventStream:
    """Server-sent events: each item is one ``data:`` JSON line; ``[DONE]`` follows.
    Closing ``events`` (the client went away) cancels the request's job."""

    events: Iterator[dict[str, Any]]


Reply = JsonReply | BytesReply | EventStream
Endpoint = Callable[[Call], Reply]


# -- request values --------------------------------------------------------------------


def _number(body: dict[str, Any], name: str, low: float, high: float) -> float | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise bad_value(name, f"'{name}' must be a number, not {value!r}.")
    if not low <= value <= high:
        raise bad_value(name, f"'{name}' must be between {low:g} and {high:g}, not {value}.")
    return float(value)


def _integer(body: dict[str, Any], name: str, low: int, high: int) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_value(name, f"'{name}' must be a whole number, not {value!r}.")
    if not low <= value <= high:
        raise bad_value(name, f"'{name}' must be between {low} and {high}, not {value}.")
    return value


def _text(body: dict[str, Any], name: str, *, required: bool = True) -> str:
    value = body.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        what = "is missing" if value is None else f"must be a string, not {value!r}"
        raise bad_value(name, f"'{name}' {what}.")
    return value


def _one_choice(body: dict[str, Any]) -> None:
    if _integer(body, "n", 1, 128) not in (None, 1):
        raise bad_value("n", "Only one choice per request is made here: leave 'n' out or set 1.")


def _stops(body: dict[str, Any]) -> tuple[str, ...]:
    stop = body.get("stop")
    if stop is None:
        return ()
    stops = [stop] if isinstance(stop, str) else stop
    if (
        not isinstance(stops, list)
        or not all(isinstance(s, str) and s for s in stops)
        or len(stops) > MAX_STOP_SEQUENCES
    ):
        raise bad_value(
            "stop", f"'stop' is a string or a list of up to {MAX_STOP_SEQUENCES} non-empty strings."
        )
    return tuple(stops)


def _model(body: dict[str, Any], task: Task) -> ModelEntry:
    """The catalogue entry named by ``model``: 404 when there is none (or its files are
    missing), 400 when it does another task. Only catalogue ids: a path from the network
    must never make the server read a file the user did not list."""
    model_id = _text(body, "model")
    catalogue = Catalogue()
    servable = [m for m in _servable(catalogue) if m.task is task]
    try:
        entry = catalogue.get(model_id)
    except ModelUnavailable:
        known = ", ".join(m.id for m in servable) or "none"
        raise ApiError(
            404,
            f"The model '{model_id}' does not exist. {task.value.capitalize()} models: {known}.",
            param="model",
            code="model_not_found",
        ) from None
    if entry.task is not task or entry not in servable:
        if entry.task is task and not entry.availability().available:
            raise ApiError(
                404,
                f"The model '{model_id}' is not installed: {entry.availability().message}",
                param="model",
                code="model_not_found",
            )
        known = ", ".join(m.id for m in servable) or "none"
        raise bad_value(
            "model", f"'{model_id}' cannot be used here ({task.value} models: {known})."
        )
    return entry


def _servable(catalogue: Catalogue) -> list[ModelEntry]:
    """The installed models an endpoint here can run (not the upscaler, which enlarges
    pictures, nor music, which has no OpenAI endpoint)."""
    from engines.registry import ENTRIES

    out = []
    for entry in catalogue.all():
        if entry.task not in (Task.text, Task.image, Task.speech):
            continue
        if entry.engine_module not in ENTRIES or entry.engine_module == "engines.image.upscaler":
            continue
        if entry.opt_in or not entry.availability().available:
            continue
        out.append(entry)
    return out


# -- jobs ------------------------------------------------------------------------------

_STARTED = object()  # put on a text job's events once its prompt is checked


class RequestJob:
    """One request's job on the server's queue, and the events its work sends back.

    The endpoint waits through :meth:`next_event`, which cancels the job when the client
    has gone away, whether the job is running or still queued."""

    def __init__(self, server: ApiServer, title: str, task: str, work: Callable[..., Any]):
        self.events: queue.Queue[Any] = queue.Queue()
        self.failure: BaseException | None = None
        self._done = threading.Event()

        def run(ctx: JobContext) -> Any:
            try:
                return work(ctx, self.events)
            except ApiError as exc:
                # A refusal (a prompt over the context, nothing sayable): the job ends
                # with the refusal's own words, not as an internal fault with a traceback.
                self.failure = exc
                raise Refused(exc) from None
            except BaseException as exc:
                self.failure = exc
                raise

        self.job: Job[Any] = Job(title, run, task=task)
        self.job.add_listener(lambda job: self._done.set() if job.state.is_final else None)
        server.jobs.submit(self.job)

    def next_event(self, call: Call) -> Any:
        """The next event the work sent; None once the job has ended and sent all."""
        while True:
            try:
                return self.events.get(timeout=POLL_S)
            except queue.Empty:
                if self._done.is_set() and self.events.empty():
                    return None
                if call.client_gone():
                    self.job.cancel()
                    raise ClientGone() from None

    def result(self, call: Call) -> Any:
        """Wait for the job's end; its result, or the :class:`ApiError` it ended with."""
        while self.next_event(call) is not None:
            pass
        if self.job.state is JobState.finished:
            return self.job.result
        raise self.error()

    def error(self) -> ApiError:
        """How the job failed (or was cancelled), as the client should hear it."""
        if self.job.state is JobState.cancelled:
            return ApiError(
                503,
                "The request was cancelled (in the studio's Jobs dock, or the server is stopping).",
                code="cancelled",
            )
        if isinstance(self.failure, ApiError):
            return self.failure
        message = self.job.error or "The engine failed without saying why."
        if isinstance(self.failure, SozoError):
            return ApiError(400, message, code="invalid_value")
        return ApiError(500, message, code="engine_failed")


# -- models ----------------------------------------------------------------------------


def _model_card(entry: ModelEntry, created: int) -> dict[str, Any]:
    return {
        "id": entry.id,
        "object": "model",
        "created": created,
        "owned_by": "sozo-studio",
        "task": entry.task.value,
        "name": entry.name,
        "licence": entry.licence,
    }


def list_models(call: Call) -> Reply:
    """``GET /v1/models``: the installed text, image and speech models."""
    created = call.server.started_at
    cards = [_model_card(m, created) for m in _servable(Catalogue())]
    return JsonReply({"object": "list", "data": cards})


def get_model(call: Call) -> Reply:
    """``GET /v1/models/{model}``."""
    model_id = call.path_params["model"]
    for entry in _servable(Catalogue()):
        if entry.id == model_id:
            return JsonReply(_model_card(entry, call.server.started_at))
    raise ApiError(404, f"The model '{model_id}' does not exist.", "model", "model_not_found")


# -- text ------------------------------------------------------------------------------


def _message(item: Any, index: int) -> ChatMessage:
    from engines.text.types import ChatMessage

    param = f"messages[{index}]"
    if not isinstance(item, dict):
        raise bad_value(param, f"Each message is an object with 'role' and 'content' ({param}).")
    role = item.get("role")
    if role == "developer":  # OpenAI's newer name for the system prompt
        role = "system"
    if role not in ("system", "user", "assistant"):
        raise bad_value(
            f"{param}.role",
            f"{param}.role must be 'system', 'user' or 'assistant', not {role!r}.",
        )
    content = item.get("content")
    if isinstance(content, list):  # content parts: text only
        texts = []
        for part in content:
            if not isinstance(part, dict) or part.get("type") != "text":
                raise bad_value(
                    f"{param}.content", f"{param}: only text content parts are understood here."
                )
            texts.append(str(part.get("text", "")))
        content = "".join(texts)
    if not isinstance(content, str):
        raise bad_value(f"{param}.content", f"{param}.content must be a string.")
    return ChatMessage(role, content)


def _sampling(body: dict[str, Any], model_id: str, messages: tuple[ChatMessage, ...]) -> Any:
    from engines.text.types import TextRequest

    max_tokens = _integer(body, "max_completion_tokens", 1, 1 << 20)
    if max_tokens is None:
        max_tokens = _integer(body, "max_tokens", 1, 1 << 20)
    return TextRequest(
        messages=messages,
        model_id=model_id,
        max_new_tokens=max_tokens,
        temperature=_number(body, "temperature", 0.0, 2.0),
        top_p=_number(body, "top_p", 0.0, 1.0),
        seed=_integer(body, "seed", -(1 << 63), (1 << 63) - 1),
    )


@dataclass
class TextOutcome:
    """What a text job made: the reply, why it ended, and its token counts."""

    text: str
    finish_reason: str  # "stop" (end of text or a stop sequence) or "length"
    prompt_tokens: int
    completion_tokens: int

    def usage(self) -> dict[str, int]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
        }


class StopMatcher:
    """Cuts the reply at the first stop sequence, holding back text that may be the start
    of one until the next piece shows whether it is."""

    def __init__(self, stops: tuple[str, ...]) -> None:
        self.stops = stops
        self.text = ""
        self._sent = 0

    def feed(self, piece: str) -> tuple[str, bool]:
        """(text that is safe to send now, whether a stop sequence was reached)."""
        self.text += piece
        hits = [i for i in (self.text.find(s, self._sent) for s in self.stops) if i >= 0]
        if hits:
            self.text = self.text[: min(hits)]
            return self.flush(), True
        hold = max(
            (k for s in self.stops for k in range(1, len(s)) if self.text.endswith(s[:k])),
            default=0,
        )
        safe = max(self._sent, len(self.text) - hold)
        out, self._sent = self.text[self._sent : safe], safe
        return out, False

    def flush(self) -> str:
        out, self._sent = self.text[self._sent :], len(self.text)
        return out


def _check_context(model: Any, request: TextRequest) -> tuple[TextRequest, int]:
    """(the request with its reply budget, prompt tokens), or 400 when the prompt and
    the asked reply do not fit the model's context. The engine itself would drop the
    oldest turns instead; a client of an API expects to be told, as OpenAI does.

    ``model``: an :class:`engines.text.backend.TextModel` or a
    :class:`engines.text.prompt_size.PromptCounter` (its token count and context)."""
    from engines.text.sampling import DEFAULT_MAX_NEW_TOKENS

    prompt = model.count_prompt_tokens(request.messages)
    limit = model.context_length
    asked = request.max_new_tokens
    budget = asked if asked is not None else min(DEFAULT_MAX_NEW_TOKENS, limit - prompt)
    if prompt + max(budget, 1) > limit:
        raise ApiError(
            400,
            f"This model's maximum context length is {limit} tokens. However, you requested "
            f"{prompt + max(budget, 1)} tokens ({prompt} in the messages, {max(budget, 1)} in "
            "the completion). Please reduce the length of the messages or completion.",
            param="messages",
            code="context_length_exceeded",
        )
    return replace(request, max_new_tokens=budget), prompt


def _check_context_early(request: TextRequest) -> None:
    """A prompt over the context refused before any job is queued, loaded model or not:
    counted with the model's tokenizer and its config's context
    (:mod:`engines.text.prompt_size`: no weights are read). The loaded model's own
    tokenizer when it is loaded (a few milliseconds); else the tokenizer is read once
    (seconds, the first time) and kept."""
    from engines.text import prompt_size

    try:
        counter = prompt_size.counter(request.model_id)
    except SozoError:
        return  # the job says what is wrong with the model, as it would anyway
    _check_context(counter, request)


def _text_job(call: Call, request: TextRequest, stops: tuple[str, ...], title: str) -> RequestJob:
    """Start the job that writes the reply, sending each safe piece as an event."""
    _check_context_early(request)

    def work(ctx: JobContext, events: queue.Queue[Any]) -> TextOutcome:
        from engines import registry
        from engines.text.engine import StreamRequest
        from engines.text.types import TextResult

        engine: Any = registry.load(request.model_id, ctx, task=Task.text)
        fitted, prompt_tokens = _check_context(engine.model, request)
        events.put(_STARTED)
        matcher = StopMatcher(stops)
        final: TextResult | None = None
        stopped = False
        pieces = engine.generate(StreamRequest(fitted), ctx)
        try:
            for item in pieces:
                if isinstance(item, TextResult):
                    final = item
                    break
                out, stopped = matcher.feed(item)
                if out:
                    events.put(out)
                if stopped:
                    break
        finally:
            pieces.close()  # a stop sequence: the engine's loop ends here, its cache kept
        if not stopped:
            rest = matcher.flush()
            if rest:
                events.put(rest)
        if final is not None:
            tokens = final.tokens
            reason = "length" if final.stopped_early and not ctx.cancelled else "stop"
        else:
            tokens = ctx.last_progress.step if ctx.last_progress else 0
            reason = "stop"
        return TextOutcome(matcher.text, reason, prompt_tokens, tokens)

    return RequestJob(call.server, title, "text", work)


def _title(kind: str, text: str) -> str:
    words = " ".join(text.split())
    return f"API {kind}: {words[:40]}{'…' if len(words) > 40 else ''}"


def _text_reply(
    call: Call,
    request: TextRequest,
    stops: tuple[str, ...],
    title: str,
    *,
    make_body: Callable[[str, TextOutcome], dict[str, Any]],
    make_chunk: Callable[[str, dict[str, Any], str | None], dict[str, Any]],
) -> Reply:
    """The shared path of chat and text completions: run the job, reply whole or as
    server-sent events (the 200 and its headers only once the prompt was accepted)."""
    stream = call.body.get("stream", False)
    if not isinstance(stream, bool):
        raise bad_value("stream", "'stream' must be true or false.")
    options = call.body.get("stream_options") or {}
    include_usage = isinstance(options, dict) and bool(options.get("include_usage"))
    reply_id = uuid.uuid4().hex[:24]
    running = _text_job(call, request, stops, title)
    if not stream:
        outcome = running.result(call)
        return JsonReply(make_body(reply_id, outcome))
    first = running.next_event(call)
    if first is not _STARTED:  # the job ended (or sent nothing) before its first token
        while first is not None:
            first = running.next_event(call)
        raise running.error()

    def events() -> Iterator[dict[str, Any]]:
        try:
            yield make_chunk(reply_id, {"role": "assistant", "content": ""}, None)
            while (piece := running.next_event(call)) is not None:
                yield make_chunk(reply_id, {"content": piece}, None)
            if running.job.state is not JobState.finished:
                yield running.error().body()
                return
            outcome = running.job.result
            assert isinstance(outcome, TextOutcome)
            yield make_chunk(reply_id, {}, outcome.finish_reason)
            if include_usage:
                usage = make_chunk(reply_id, {}, None)
                usage["choices"], usage["usage"] = [], outcome.usage()
                yield usage
        finally:
            running.job.cancel()  # the client went away: stop at the next token

    return EventStream(events())


def chat_completions(call: Call) -> Reply:
    """``POST /v1/chat/completions``: a reply to a conversation, whole or streamed."""
    body = call.body
    entry = _model(body, Task.text)
    raw = body.get("messages")
    if not isinstance(raw, list) or not raw:
        raise bad_value("messages", "'messages' must be a non-empty list of messages.")
    messages = tuple(_message(m, i) for i, m in enumerate(raw))
    if not messages[-1].content.strip():
        raise bad_value("messages", "The last message is empty: there is nothing to answer.")
    _one_choice(body)
    request = _sampling(body, entry.id, messages)
    created = int(time.time())

    def chunk(reply_id: str, delta: dict[str, Any], reason: str | None) -> dict[str, Any]:
        return {
            "id": f"chatcmpl-{reply_id}",
            "object": "chat.completion.chunk",
            "created": created,
            "model": entry.id,
            "choices": [{"index": 0, "delta": delta, "finish_reason": reason}],
        }

    def whole(reply_id: str, outcome: TextOutcome) -> dict[str, Any]:
        message = {"role": "assistant", "content": outcome.text}
        return {
            "id": f"chatcmpl-{reply_id}",
            "object": "chat.completion",
            "created": created,
            "model": entry.id,
            "choices": [{"index": 0, "message": message, "finish_reason": outcome.finish_reason}],
            "usage": outcome.usage(),
        }

    title = _title("chat", messages[-1].content)
    return _text_reply(call, request, _stops(body), title, make_body=whole, make_chunk=chunk)


def completions(call: Call) -> Reply:
    """``POST /v1/completions``: text for a prompt. The bundled models are chat models,
    so the prompt is given to them as one user message in their chat template."""
    from engines.text.types import ChatMessage

    body = call.body
    entry = _model(body, Task.text)
    prompt = body.get("prompt")
    if isinstance(prompt, list) and len(prompt) == 1 and isinstance(prompt[0], str):
        prompt = prompt[0]
    if not isinstance(prompt, str) or not prompt.strip():
        raise bad_value("prompt", "'prompt' must be a non-empty string.")
    for unsupported in ("suffix", "logprobs", "echo", "best_of"):
        if body.get(unsupported) not in (None, False, 1 if unsupported == "best_of" else None):
            raise bad_value(unsupported, f"'{unsupported}' is not supported by this server.")
    _one_choice(body)
    request = _sampling(body, entry.id, (ChatMessage("user", prompt),))
    created = int(time.time())

    def chunk(reply_id: str, delta: dict[str, Any], reason: str | None) -> dict[str, Any]:
        choice = {"index": 0, "text": delta.get("content", ""), "logprobs": None}
        return {
            "id": f"cmpl-{reply_id}",
            "object": "text_completion",
            "created": created,
            "model": entry.id,
            "choices": [{**choice, "finish_reason": reason}],
        }

    def whole(reply_id: str, outcome: TextOutcome) -> dict[str, Any]:
        choice = {"index": 0, "text": outcome.text, "logprobs": None}
        return {
            "id": f"cmpl-{reply_id}",
            "object": "text_completion",
            "created": created,
            "model": entry.id,
            "choices": [{**choice, "finish_reason": outcome.finish_reason}],
            "usage": outcome.usage(),
        }

    title = _title("completion", prompt)
    return _text_reply(call, request, _stops(body), title, make_body=whole, make_chunk=chunk)


# -- images ----------------------------------------------------------------------------


def _side(body: dict[str, Any]) -> int | None:
    size = body.get("size")
    if size is None or size == "auto":
        return None
    try:
        width, height = (int(v) for v in str(size).lower().split("x"))
    except ValueError:
        raise bad_value("size", f"'size' is WIDTHxHEIGHT, e.g. 256x256, not {size!r}.") from None
    if width != height:
        raise bad_value(
            "size", f"These models draw square pictures: ask for e.g. 256x256, not {size}."
        )
    return width


def _png_bytes(image: Any, parameters: str, model: str) -> bytes:
    """The PNG with its recipe in the ``parameters`` chunk, as ``write_png`` writes it:
    watermarked and signed as the studio's own saves are (engines.provenance)."""
    from PIL.PngImagePlugin import PngInfo

    from engines.imagefile import APP_TAG
    from engines.provenance import sign_output
    from engines.watermark import mark_image

    info = PngInfo()
    info.add_text("parameters", parameters)
    info.add_text("Software", APP_TAG)
    out = io.BytesIO()
    mark_image(image).save(out, format="PNG", pnginfo=info)
    return sign_output(out.getvalue(), "generated.png", model)


def image_generations(call: Call) -> Reply:
    """``POST /v1/images/generations``: ``n`` pictures, as base64 PNG or file URLs of
    PNGs written with their recipes (seed ``seed + i`` for the i-th when a seed is given)."""
    from engines.image.types import ImageRequest

    body = call.body
    entry = _model(body, Task.image)
    prompt = _text(body, "prompt")
    count = _integer(body, "n", 1, MAX_IMAGES) or 1
    response_format = body.get("response_format") or "url"
    if response_format not in ("url", "b64_json"):
        raise bad_value("response_format", "'response_format' is 'url' or 'b64_json'.")
    seed = _integer(body, "seed", 0, 2**31 - 1)
    requests = [
        ImageRequest(
            prompt=prompt,
            model_id=entry.id,
            seed=None if seed is None else seed + i,
            size=_side(body),
            steps=_integer(body, "steps", 1, 1000),
        )
        for i in range(count)
    ]

    def work(ctx: JobContext, events: queue.Queue[Any]) -> list[Any]:
        from engines import registry

        engine = registry.load(entry.id, ctx, task=Task.image)
        return [engine.generate(request, ctx) for request in requests]

    results = RequestJob(call.server, _title("image", prompt), "image", work).result(call)
    data = []
    for result in results:
        for image in result.images:
            png = _png_bytes(image, result.parameters, entry.id)
            if response_format == "b64_json":
                data.append({"b64_json": base64.b64encode(png).decode("ascii")})
            else:
                data.append({"url": _save_png(call, png, prompt, result.seed).as_uri()})
    return JsonReply({"created": int(time.time()), "data": data})


def _save_png(call: Call, png: bytes, prompt: str, seed: int) -> Path:
    from engines.errors import BadInput
    from engines.imagefile import readable_stem, unique_path
    from engines.safe_write import write_bytes

    folder = call.server.config.image_folder()
    for _ in range(100):  # another request may take the name between check and write
        path = unique_path(folder, readable_stem(prompt, seed))
        try:
            return write_bytes(path, png).resolve()  # whole or not at all, never over a file
        except FileExistsError:
            continue
        except BadInput as exc:  # a full disk, a read-only folder: the server's problem
            raise ApiError(500, str(exc)) from None
    raise ApiError(500, f"Could not find a free file name in {folder}.")


# -- speech ----------------------------------------------------------------------------


def _voice(body: dict[str, Any], entry: ModelEntry) -> str:
    """The voice id for ``voice``: a full id (``piper:en_US-joe-medium``) or its name part
    (``en_US-joe-medium``, ``jf_alpha``), one of the model's voices."""
    from engines import speech

    voices = [v for v in speech.list_voices() if v.model_id == entry.id and v.available]
    asked = body.get("voice")
    if asked is None:
        return voices[0].id if voices else ""
    for voice in voices:
        if asked in (voice.id, voice.id.partition(":")[2]):
            return voice.id
    known = ", ".join(v.id for v in voices) or "none installed"
    raise bad_value("voice", f"{entry.id} has no voice {asked!r}. Its voices: {known}.")


def audio_speech(call: Call) -> Reply:
    """``POST /v1/audio/speech``: the input read aloud, as one audio file."""
    from engines.speech.types import SpeechRequest

    body = call.body
    entry = _model(body, Task.speech)
    text = _text(body, "input")
    if not text.strip():
        raise bad_value("input", "'input' is empty: there is nothing to read aloud.")
    response_format = body.get("response_format") or "mp3"
    if response_format not in SPEECH_FORMATS:
        raise bad_value(
            "response_format",
            f"'response_format' is one of {', '.join(SPEECH_FORMATS)}, not {response_format!r}.",
        )
    request = SpeechRequest(
        text=text,
        voice_id=_voice(body, entry),
        speed=_number(body, "speed", 0.25, 4.0),
        quick_start=False,  # a file is not listened to while it is made
    )

    def work(ctx: JobContext, events: queue.Queue[Any]) -> bytes:
        import numpy as np

        from engines import audio, registry

        engine = registry.load(entry.id, ctx, task=Task.speech)
        stream = engine.generate(request, ctx)  # checks the text, markup and settings
        chunks = []
        for chunk in stream:
            chunks.append(chunk.audio)
            ctx.report(chunk.index + 1, None, message=f"sentence {chunk.index + 1}")
        if not chunks:
            why = " ".join(stream.notices) or "the voice cannot read this text."
            raise ApiError(400, f"Nothing could be spoken. {why}", "input", "invalid_value")
        clip = np.concatenate(chunks).astype(np.float32)
        rate = stream.sample_rate
        if response_format == "opus" and rate not in audio.OPUS_RATES:
            from scipy.signal import resample_poly

            clip, rate = resample_poly(clip, 48000, rate).astype(np.float32), 48000
        with tempfile.TemporaryDirectory(prefix="sozo-speech-") as folder:
            path = Path(folder) / f"speech.{response_format}"
            tags = {"title": text[:200], "artist": stream.voice_label, "software": "Sōzō Studio"}
            # Marked as synthetic speech and signed where the format can carry it.
            audio.write(path, clip, rate, tags, watermark=True, sign_model=request.voice_id)
            return path.read_bytes()

    data = RequestJob(call.server, _title("speech", text), "speech", work).result(call)
    return BytesReply(data, SPEECH_FORMATS[response_format])


# -- routing ---------------------------------------------------------------------------

# (method, path) -> endpoint; "{name}" matches one path segment.
ROUTES: dict[tuple[str, str], Endpoint] = {
    ("GET", "/v1/models"): list_models,
    ("GET", "/v1/models/{model}"): get_model,
    ("POST", "/v1/chat/completions"): chat_completions,
    ("POST", "/v1/completions"): completions,
    ("POST", "/v1/images/generations"): image_generations,
    ("POST", "/v1/audio/speech"): audio_speech,
}


def route(method: str, path: str) -> tuple[Endpoint, dict[str, str]]:
    """The endpoint for a request and its path parameters; 404 or 405 otherwise."""
    parts = path.rstrip("/").split("/")
    methods = []
    for (route_method, template), endpoint in ROUTES.items():
        pattern = template.split("/")
        if len(pattern) != len(parts):
            continue
        params = {}
        for want, got in zip(pattern, parts, strict=True):
            if want.startswith("{"):
                params[want.strip("{}")] = got
            elif want != got:
                break
        else:
            if route_method == method:
                return endpoint, params
            methods.append(route_method)
    if methods:
        raise ApiError(405, f"{path} takes {' or '.join(methods)}, not {method}.")
    raise ApiError(
        404, f"Unknown path {path}: see GET /v1/models and the README.", code="not_found"
    )
