"""``sozo serve [--host 127.0.0.1] [--port 8188] [--api-key KEY]``: the OpenAI-compatible
API on the studio's engines, without the window (and without importing Qt)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "serve",
        help="serve the local models as an OpenAI-compatible API",
        description="Serve the installed text, image and speech models on an OpenAI-"
        "compatible API (/v1/models, /v1/chat/completions, /v1/completions, "
        "/v1/images/generations, /v1/audio/speech). Requests run one at a time.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8188, help="port (default 8188; 0: any free one)")
    p.add_argument(
        "--api-key",
        default=os.environ.get("SOZO_API_KEY"),
        help="key clients must send as a bearer token (default: $SOZO_API_KEY); "
        "required for any address but 127.0.0.1",
    )
    p.set_defaults(handler=cmd_serve)


ENGLISH = {
    "serving": "Serving the OpenAI API at {address} (Ctrl+C stops)",
    "serving_key": (
        "Serving the OpenAI API at {address}; clients must send the API key (Ctrl+C stops)"
    ),
    "refused": "[refused] {method} {path}: {status} {message}",
    "job": "[{job}] {title} {state} in {seconds} s",
    "job_failed": "[{job}] {title} failed in {seconds} s: {error}",
    "finished": "finished",
    "cancelled": "cancelled",
    "stopped": "Stopped.",
}


def serve_words() -> dict[str, str]:
    """The server's lines in the locale's language. This process never imports Qt (the
    server's rule): a child (:mod:`studio.cli.serve_words`) translates them, once, only
    when the locale is not English; English if it cannot."""
    import json
    import subprocess

    from studio.cli.language import locale_language

    if locale_language() == "en":
        return dict(ENGLISH)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "studio.cli.serve_words"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
            check=True,
        )
        found = json.loads(done.stdout.strip().splitlines()[-1])
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return dict(ENGLISH)
    words = dict(ENGLISH)
    for key, english in ENGLISH.items():
        line = found.get(key)
        try:  # a translation that lost a placeholder is not used
            if isinstance(line, str) and _fields(line) == _fields(english):
                words[key] = line
        except ValueError:
            pass
    return words


def _fields(template: str) -> set[str]:
    import string

    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def cmd_serve(args: argparse.Namespace) -> int:
    from engines.errors import BadInput
    from engines.jobs import Job, JobState
    from studio.server import ApiServer, SerialJobQueue, ServerConfig
    from studio.server.errors import ApiError

    if not 0 <= args.port <= 65535:
        raise BadInput(f"--port must be between 0 and 65535, not {args.port}")

    said_as = serve_words()

    def log_job(job: Job[Any]) -> None:
        def said(j: Job[Any]) -> None:
            if not j.state.is_final:
                return
            parts = {"job": j.id, "title": j.title, "seconds": f"{j.elapsed:.2f}"}
            if j.state is JobState.failed:
                print(said_as["job_failed"].format(**parts, error=j.error), flush=True)
            else:
                state = said_as.get(j.state.value, j.state.value)
                print(said_as["job"].format(**parts, state=state), flush=True)

        job.add_listener(said)

    jobs = SerialJobQueue(on_job=log_job)
    server = ApiServer(ServerConfig(args.host, args.port, args.api_key), jobs)

    def log_refusal(method: str, path: str, error: ApiError) -> None:
        line = said_as["refused"].format(
            method=method, path=path, status=error.status, message=error.message
        )
        print(line, flush=True)

    server.on_refused = log_refusal
    serving = said_as["serving_key" if args.api_key else "serving"]
    print(serving.format(address=server.address), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        jobs.close()
    print(said_as["stopped"], file=sys.stderr)
    return 0
