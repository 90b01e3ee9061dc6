"""A fake Hugging Face hub on 127.0.0.1 for the model manager's tests.

It speaks the parts of the hub's HTTP API the client uses, with the hub's JSON shapes:
``/api/models?search=&filter=`` (search), ``/api/models/{repo}`` (info: ``gated``,
``cardData.license``), ``/api/models/{repo}/tree/main[/{folder}]`` (files with
``lfs.oid`` = SHA-256 and ``size``) and ``/{repo}/resolve/main/{path}`` (with ``ETag``,
``X-Repo-Commit`` and ``Range``). It can be told to cut a connection after some bytes,
serve one corrupted byte, answer slowly, or refuse a repository as gated (401/403).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

COMMIT = "0123456789abcdef0123456789abcdef01234567"


@dataclass
class FakeRepo:
    files: dict[str, bytes]
    licence: str | None = "apache-2.0"
    gated: bool = False
    tags: tuple[str, ...] = ()
    # Small files stored in git, not LFS: the hub lists no SHA-256 for them.
    git_files: frozenset[str] = frozenset()


@dataclass
class Faults:
    """What the server does wrong, for the tests to switch on."""

    cut_after: int | None = None  # close the connection after this many body bytes...
    cuts_left: int = 0  # ...this many times
    corrupt: bool = False  # flip one byte of every file served
    delay_per_chunk: float = 0.0  # seconds between 8 KiB chunks
    ignore_range: bool = False  # answer 200 with the whole file to a Range request
    deny: dict[str, int] = field(default_factory=dict)  # repo -> 401 or 403 on resolve
    ranges_asked: list[str] = field(default_factory=list)


class FakeHub:
    def __init__(self) -> None:
        self.repos: dict[str, FakeRepo] = {}
        self.faults = Faults()
        self.requests: list[str] = []
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet in tests
                pass

            def do_GET(self) -> None:
                hub.requests.append(self.path)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    hub.handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> FakeHub:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- answers -------------------------------------------------------------------
    def handle(self, h: BaseHTTPRequestHandler) -> None:
        parsed = urllib.parse.urlsplit(h.path)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        parts = [urllib.parse.unquote(p) for p in parsed.path.strip("/").split("/")]
        if parts[:2] == ["api", "models"]:
            if len(parts) == 2:
                return self._json(h, self._search(query))
            repo_id = "/".join(parts[2:4])
            repo = self.repos.get(repo_id)
            if repo is None:
                return self._json(h, {"error": "Repository not found"}, 404)
            if len(parts) == 4:
                return self._json(h, self._info(repo_id, repo))
            if parts[4] == "tree" and len(parts) >= 6:
                return self._json(h, self._tree(repo, "/".join(parts[6:])))
            return self._json(h, {"error": "not found"}, 404)
        if len(parts) >= 5 and parts[2] == "resolve":
            return self._resolve(h, "/".join(parts[:2]), "/".join(parts[4:]))
        return self._json(h, {"error": "not found"}, 404)

    def _search(self, query: dict[str, str]) -> list[dict[str, Any]]:
        needle = query.get("search", "").lower()
        tag = query.get("filter")
        found = []
        for repo_id, repo in self.repos.items():
            if needle in repo_id.lower() and (tag is None or tag in repo.tags):
                found.append(self._info(repo_id, repo))
        return found[: int(query.get("limit", "50"))]

    def _info(self, repo_id: str, repo: FakeRepo) -> dict[str, Any]:
        tags = list(repo.tags) + ([f"license:{repo.licence}"] if repo.licence else [])
        return {
            "id": repo_id,
            "downloads": 10,
            "likes": 1,
            "gated": "manual" if repo.gated else False,
            "tags": tags,
            "cardData": {"license": repo.licence} if repo.licence else {},
            "sha": COMMIT,
        }

    def _tree(self, repo: FakeRepo, folder: str) -> list[dict[str, Any]]:
        entries = []
        for path, data in sorted(repo.files.items()):
            if folder and not path.startswith(folder.rstrip("/") + "/"):
                continue
            entry: dict[str, Any] = {"type": "file", "path": path, "size": len(data)}
            entry["oid"] = hashlib.sha1(data).hexdigest()
            if path not in repo.git_files:
                entry["lfs"] = {
                    "oid": hashlib.sha256(data).hexdigest(),
                    "size": len(data),
                    "pointerSize": 134,
                }
            entries.append(entry)
        return entries

    def _resolve(self, h: BaseHTTPRequestHandler, repo_id: str, path: str) -> None:
        repo = self.repos.get(repo_id)
        if repo_id in self.faults.deny:
            return self._json(
                h, {"error": "Access to this model is restricted"}, self.faults.deny[repo_id]
            )
        if repo is None or path not in repo.files:
            return self._json(h, {"error": "Entry not found"}, 404)
        data = repo.files[path]
        if self.faults.corrupt and data:
            data = bytes([data[0] ^ 0xFF]) + data[1:]
        start = 0
        asked = h.headers.get("Range")
        if asked:
            self.faults.ranges_asked.append(asked)
        if asked and not self.faults.ignore_range:
            start = int(asked.removeprefix("bytes=").split("-")[0])
            if start >= len(data):
                h.send_response(416)
                h.send_header("Content-Range", f"bytes */{len(data)}")
                h.end_headers()
                return
            h.send_response(206)
            h.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            h.send_response(200)
        body = data[start:]
        h.send_header("Content-Length", str(len(body)))
        h.send_header("ETag", f'"{hashlib.sha256(repo.files[path]).hexdigest()}"')
        h.send_header("X-Repo-Commit", COMMIT)
        h.send_header("Accept-Ranges", "bytes")
        h.end_headers()
        limit = len(body)
        if self.faults.cuts_left > 0 and self.faults.cut_after is not None:
            self.faults.cuts_left -= 1
            limit = min(limit, self.faults.cut_after)
        for i in range(0, limit, 8192):
            h.wfile.write(body[i : min(i + 8192, limit)])
            h.wfile.flush()
            if self.faults.delay_per_chunk:
                time.sleep(self.faults.delay_per_chunk)
        if limit < len(body):
            h.close_connection = True

    @staticmethod
    def _json(h: BaseHTTPRequestHandler, data: Any, status: int = 200) -> None:
        body = json.dumps(data).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)
