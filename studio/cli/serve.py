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


def cmd_serve(args: argparse.Namespace) -> int:
    from engines.errors import BadInput
    from engines.jobs import Job, JobState
    from studio.server import ApiServer, SerialJobQueue, ServerConfig
    from studio.server.errors import ApiError

    if not 0 <= args.port <= 65535:
        raise BadInput(f"--port must be between 0 and 65535, not {args.port}")

    def log_job(job: Job[Any]) -> None:
        def said(j: Job[Any]) -> None:
            if j.state.is_final:
                extra = f": {j.error}" if j.state is JobState.failed else ""
                print(f"[{j.id}] {j.title} {j.state.value} in {j.elapsed:.2f} s{extra}", flush=True)

        job.add_listener(said)

    jobs = SerialJobQueue(on_job=log_job)
    server = ApiServer(ServerConfig(args.host, args.port, args.api_key), jobs)

    def log_refusal(method: str, path: str, error: ApiError) -> None:
        print(f"[refused] {method} {path}: {error.status} {error.message}", flush=True)

    server.on_refused = log_refusal
    key_note = "; clients must send the API key" if args.api_key else ""
    print(f"Serving the OpenAI API at {server.address}{key_note} (Ctrl+C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        jobs.close()
    print("Stopped.", file=sys.stderr)
    return 0
