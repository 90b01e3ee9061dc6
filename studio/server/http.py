"""The HTTP side of the API server: the standard library's ``ThreadingHTTPServer``.

Why the standard library: the server answers a handful of local clients, one engine job
at a time, so a thread per connection costs nothing that matters, and it adds no runtime
dependency (an ASGI stack would bring several) to a desktop app. Server-sent events are
written as HTTP/1.1 chunks, so keep-alive connections (the ``openai`` client's) stay usable.

Checked before any endpoint runs: the API key (401), the path (404/405), the body's size
(413 over :data:`MAX_BODY_BYTES`, refused before it is read) and its JSON (400).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import select
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from engines.errors import BadInput, describe_error
from studio.server import endpoints
from studio.server.errors import ApiError
from studio.server.queue import JobQueue

log = logging.getLogger(__name__)

# 1 MiB: some 250 000 words, far more than any bundled model's context holds, and small
# enough that a stray upload cannot fill the memory.
MAX_BODY_BYTES = 1 << 20
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8188


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ServerConfig:
    """Where the server listens and what it asks of clients."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT  # 0: a free port (tests)
    api_key: str | None = None  # clients send it as "Authorization: Bearer KEY"
    max_body_bytes: int = MAX_BODY_BYTES
    output_dir: Path | None = None  # image URLs' PNGs go here (None: the studio's output folder)

    def image_folder(self) -> Path:
        from engines import paths

        return self.output_dir or paths.default_output_dir() / "api"


class ApiServer:
    """The OpenAI-compatible server: ``start()`` serves on a thread, ``stop()`` ends it.

    A host other than a loopback address is refused without an API key: the models and
    the disk behind them would otherwise be open to the whole network."""

    def __init__(self, config: ServerConfig, jobs: JobQueue) -> None:
        if not is_loopback(config.host) and not config.api_key:
            raise BadInput(
                f"Serving on {config.host} opens the studio to other machines: give an API "
                "key (--api-key) that clients must send, or serve on 127.0.0.1."
            )
        self.config = config
        self.jobs = jobs
        self.started_at = int(time.time())
        try:
            self._httpd = _HttpServer((config.host, config.port), _Handler)
        except OSError as exc:
            raise BadInput(
                f"Cannot listen on {config.host}:{config.port}: {exc.strerror or exc}"
            ) from None
        self._httpd.api = self
        self._thread: threading.Thread | None = None
        # Told of each request refused before any job (method, path, the error): the
        # terminal of ``sozo serve`` prints it, in the refusal's own words.
        self.on_refused: Callable[[str, str, ApiError], None] | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def address(self) -> str:
        """The base URL clients use (``base_url`` of the ``openai`` client)."""
        host = self.config.host
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}/v1"

    def serve_forever(self) -> None:
        self._httpd.serve_forever(poll_interval=0.2)

    def start(self) -> None:
        self._thread = threading.Thread(target=self.serve_forever, name="sozo-api", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(2.0)


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # idle keep-alive connections must not hold up stop()
    api: ApiServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hung up between requests is no fault: no traceback on stderr.
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        log.exception("connection from %s failed", client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "SozoStudio"
    timeout = 120  # an idle keep-alive connection is closed after this
    server: _HttpServer

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    # -- one request -------------------------------------------------------------------
    def _handle(self, method: str) -> None:
        api = self.server.api
        try:
            self._check_key(api.config.api_key)
            endpoint, params = endpoints.route(method, self.path.split("?", 1)[0])
            body = self._read_json(api.config.max_body_bytes) if method == "POST" else {}
            reply = endpoint(endpoints.Call(api, body, params, self._client_gone))
        except endpoints.ClientGone:
            self.close_connection = True
            return
        except ApiError as exc:
            log.info("refused %s %s (%s): %s", method, self.path, exc.status, exc.message)
            if api.on_refused is not None:
                api.on_refused(method, self.path, exc)
            self._send_json(exc.status, exc.body())
            return
        except Exception as exc:  # an internal fault: a readable line, never a traceback
            log.exception("request %s %s failed", method, self.path)
            error = ApiError(500, describe_error(exc), code="internal_error")
            self._send_json(500, error.body())
            return
        try:
            if isinstance(reply, endpoints.EventStream):
                self._send_events(reply)
            elif isinstance(reply, endpoints.BytesReply):
                self._send(200, reply.data, reply.content_type)
            else:
                self._send_json(reply.status, reply.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _check_key(self, key: str | None) -> None:
        if not key:
            return
        given = self.headers.get("Authorization", "")
        scheme, _, token = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip(), key):
            raise ApiError(
                401,
                "Missing or wrong API key: send 'Authorization: Bearer KEY' with the key "
                "the server was started with.",
                code="invalid_api_key",
            )

    def _read_json(self, limit: int) -> dict[str, Any]:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self.close_connection = True
            raise ApiError(411, "Send the body with a Content-Length, not chunked.")
        length_text = self.headers.get("Content-Length")
        try:
            length = int(length_text) if length_text is not None else 0
            if length < 0:
                raise ValueError
        except ValueError:
            self.close_connection = True
            raise ApiError(400, f"Bad Content-Length: {length_text!r}.") from None
        if length > limit:
            self.close_connection = True  # the unread body must not be read as a request
            raise ApiError(
                413,
                f"The request body is {length} bytes; this server takes at most {limit}.",
                code="request_too_large",
            )
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ApiError(
                400, f"The body is not valid JSON: {exc}.", code="invalid_json"
            ) from None
        if not isinstance(body, dict):
            raise ApiError(400, "The body must be a JSON object.", code="invalid_json")
        return body

    def _client_gone(self) -> bool:
        """Whether the client closed its end (readable with nothing to read)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True

    # -- replies -----------------------------------------------------------------------
    def _send(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def _send_json(self, status: int, body: dict[str, Any]) -> None:
        self._send(status, json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json")

    def _send_events(self, reply: endpoints.EventStream) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for event in reply.events:
                self._chunk(b"data: " + json.dumps(event, ensure_ascii=False).encode() + b"\n\n")
            self._chunk(b"data: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")
        except (endpoints.ClientGone, BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            close = getattr(reply.events, "close", None)
            if close is not None:
                close()  # cancels the job if it is still running

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
