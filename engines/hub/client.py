"""A client for a Hugging Face-compatible model hub, over its plain HTTP API.

Three calls are used, the ones the hub documents and its mirrors serve:
``/api/models?search=...&filter=...`` (search), ``/api/models/{repo}`` (licence, gating) and
``/api/models/{repo}/tree/main?recursive=true`` (files, with each LFS file's SHA-256 and
size). Files come from ``/{repo}/resolve/main/{path}`` (:mod:`engines.hub.download`).

The base address is ``HF_ENDPOINT`` (as ``huggingface_hub`` reads it), so a mirror or a
test's fake hub works; a token, when needed for a gated repository, is ``HF_TOKEN``.
Plain ``urllib`` is used rather than ``huggingface_hub`` so that a download reports every
chunk and stops at once on cancel. Every failure is a one-line :class:`BadInput`.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from engines.errors import BadInput
from engines.messages import message

DEFAULT_ENDPOINT = "https://huggingface.co"

# What each kind of search asks the hub for (its ``filter`` tag).
SEARCH_FILTERS: dict[str, str] = {
    "gguf": "gguf",  # text models as GGUF files (pick one quantisation)
    "text": "text-generation",  # text models as Hugging Face folders
    "image": "text-to-image",  # Stable Diffusion checkpoints and diffusers folders
}

# Piper's voices live in one repository with a catalogue file.
PIPER_REPO = "rhasspy/piper-voices"
PIPER_CATALOGUE = "voices.json"
# Piper's training recipes fix the rate by quality (piper/TRAINING.md).
PIPER_SAMPLE_RATES = {"x_low": 16000, "low": 16000, "medium": 22050, "high": 22050}

# "Q4_K_M", "IQ3_XS", "F16", "BF16", "Q8_0" in a GGUF file name.
_QUANT = re.compile(r"(?<![A-Za-z0-9])(I?Q\d+(?:_[A-Z0-9]+)*|BF16|F16|F32)(?![A-Za-z0-9])", re.I)


def endpoint() -> str:
    """The hub's base address: ``HF_ENDPOINT`` or the public hub."""
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


@dataclass(frozen=True)
class RepoFile:
    """One file of a repository as the hub lists it."""

    path: str
    size: int
    sha256: str | None = None  # the LFS object id; None for a small git-stored file

    @property
    def quantisation(self) -> str | None:
        """The quantisation named in a GGUF file's name (``Q4_K_M``), else None."""
        if not self.path.lower().endswith(".gguf"):
            return None
        found = _QUANT.findall(self.path.rsplit("/", 1)[-1])
        return found[-1].upper() if found else None


@dataclass(frozen=True)
class RepoSummary:
    """One search result."""

    repo_id: str
    downloads: int = 0
    likes: int = 0
    gated: bool = False
    licence: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class RepoDetails:
    """What a repository holds, and on what terms."""

    repo_id: str
    licence: str | None
    gated: bool
    files: tuple[RepoFile, ...] = field(default_factory=tuple)
    # The commit the listing is of: files are fetched from it, so a push to the repository
    # during a download cannot mix two versions (None: the hub gave none; "main" is used).
    commit: str | None = None

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)

    def quantisations(self) -> dict[str, RepoFile]:
        """Each quantisation a GGUF repository offers, with its file."""
        found: dict[str, RepoFile] = {}
        for f in self.files:
            q = f.quantisation
            if q is not None and "mmproj" not in f.path.lower():
                found.setdefault(q, f)
        return found


@dataclass(frozen=True)
class PiperVoice:
    """One voice of the piper-voices catalogue."""

    key: str  # "en_US-lessac-medium"
    language: str  # "en_US"
    language_name: str  # "English (United States)"
    quality: str  # x_low, low, medium, high
    sample_rate: int
    speakers: int
    files: tuple[RepoFile, ...]

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)


def _licence_of(data: dict[str, Any]) -> str | None:
    card = data.get("cardData") or {}
    licence = card.get("license") if isinstance(card, dict) else None
    if isinstance(licence, list):
        licence = ", ".join(str(x) for x in licence)
    if licence:
        return str(licence)
    for tag in data.get("tags") or ():
        if isinstance(tag, str) and tag.startswith("license:"):
            return tag.removeprefix("license:")
    return None


def _gated(data: dict[str, Any]) -> bool:
    # The hub says false, "auto" or "manual".
    return data.get("gated") not in (None, False, "false")


class HubClient:
    """Talks to one hub; ``base`` defaults to :func:`endpoint`."""

    def __init__(
        self, base: str | None = None, *, token: str | None = None, timeout: float = 30.0
    ) -> None:
        self.base = (base or endpoint()).rstrip("/")
        self.token = token if token is not None else os.environ.get("HF_TOKEN") or None
        self.timeout = timeout

    # -- HTTP ----------------------------------------------------------------------
    def url(self, path: str, query: dict[str, str] | None = None) -> str:
        url = self.base + path
        return url + ("?" + urllib.parse.urlencode(query) if query else "")

    def request(self, url: str, headers: dict[str, str] | None = None) -> urllib.request.Request:
        all_headers = {"User-Agent": "sozo-studio"}
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        all_headers.update(headers or {})
        return urllib.request.Request(url, headers=all_headers)

    def open(self, url: str, what: str, headers: dict[str, str] | None = None) -> Any:
        """Open ``url``; HTTP and network failures become one line naming ``what``."""
        try:
            return urllib.request.urlopen(self.request(url, headers), timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            exc.close()
            raise BadInput(self.http_error_line(exc.code, what)) from None
        except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise BadInput(message("hub.unreachable", base=self.base, reason=reason)) from None

    def http_error_line(self, code: int, what: str) -> str:
        if code in (401, 403):
            return message("hub.gated", what=what, base=self.base, code=code)
        if code == 404:
            return message("hub.not_found", what=what, base=self.base)
        if code == 416:
            return message("hub.range_refused", what=what)
        return message("hub.http", what=what, code=code)

    def get_json(self, path: str, what: str, query: dict[str, str] | None = None) -> Any:
        with self.open(self.url(path, query), what) as response:
            body = response.read()
        try:
            return json.loads(body)
        except ValueError:
            raise BadInput(message("hub.not_json", what=what, base=self.base)) from None

    # -- the API ---------------------------------------------------------------------
    def search(self, query: str, kind: str = "gguf", limit: int = 20) -> list[RepoSummary]:
        """Repositories matching ``query`` of a :data:`SEARCH_FILTERS` kind."""
        if kind not in SEARCH_FILTERS:
            raise BadInput(
                message("hub.search_kind", kinds=", ".join(SEARCH_FILTERS), kind=repr(kind))
            )
        params = {
            "search": query,
            "filter": SEARCH_FILTERS[kind],
            "limit": str(limit),
            "sort": "downloads",
            "full": "true",
            "cardData": "true",
        }
        data = self.get_json("/api/models", message("hub.search_for", query=repr(query)), params)
        if not isinstance(data, list):
            raise BadInput(message("hub.search_other", base=self.base))
        results = []
        for item in data:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            results.append(
                RepoSummary(
                    repo_id=item["id"],
                    downloads=int(item.get("downloads") or 0),
                    likes=int(item.get("likes") or 0),
                    gated=_gated(item),
                    licence=_licence_of(item),
                    tags=tuple(t for t in item.get("tags") or () if isinstance(t, str)),
                )
            )
        return results

    def details(self, repo_id: str, revision: str = "main", folder: str = "") -> RepoDetails:
        """Licence, gating and the file list (with SHA-256s) of ``repo_id``, or of one
        ``folder`` of it (a Piper voice's folder: the whole catalogue is thousands)."""
        _check_repo_id(repo_id)
        what = message("hub.the_repository", repo=repo_id)
        info = self.get_json(f"/api/models/{repo_id}", what)
        if not isinstance(info, dict):
            raise BadInput(message("hub.answered_other", what=what))
        commit = info.get("sha") if isinstance(info.get("sha"), str) else None
        # The listing of the very commit the info names, not of whatever "main" is next.
        listed_at = commit or revision
        tree_path = f"/api/models/{repo_id}/tree/{urllib.parse.quote(listed_at, safe='')}"
        if folder:
            tree_path += "/" + urllib.parse.quote(folder.strip("/"))
        tree = self.get_json(tree_path, what, {"recursive": "true"})
        files = []
        for item in tree if isinstance(tree, list) else ():
            if not isinstance(item, dict) or item.get("type") != "file":
                continue
            if not safe_repo_path(item.get("path")):
                continue  # "../x" or "/etc/x" would land outside the model's folder
            lfs = item.get("lfs") if isinstance(item.get("lfs"), dict) else None
            files.append(
                RepoFile(
                    path=str(item["path"]),
                    size=int((lfs or item).get("size") or 0),
                    sha256=str(lfs["oid"]) if lfs and lfs.get("oid") else None,
                )
            )
        return RepoDetails(repo_id, _licence_of(info), _gated(info), tuple(files), commit)

    def piper_voices(self, query: str = "") -> list[PiperVoice]:
        """The piper-voices catalogue, filtered by ``query`` (a key, language or name)."""
        url = self.file_url(PIPER_REPO, PIPER_CATALOGUE)
        with self.open(url, message("hub.piper_catalogue")) as response:
            body = response.read()
        try:
            data = json.loads(body)
        except ValueError:
            raise BadInput(message("hub.piper_not_json")) from None
        voices = []
        needle = query.lower()
        for key, item in (data if isinstance(data, dict) else {}).items():
            if not isinstance(item, dict):
                continue
            language = item.get("language") or {}
            code = str(language.get("code") or key.split("-")[0])
            name = str(language.get("name_english") or code)
            country = language.get("country_english")
            language_name = f"{name} ({country})" if country else name
            quality = str(item.get("quality") or key.rsplit("-", 1)[-1])
            if needle and needle not in f"{key} {language_name}".lower():
                continue
            files = tuple(
                RepoFile(path=p, size=int((meta or {}).get("size_bytes") or 0))
                for p, meta in (item.get("files") or {}).items()
                if p.endswith((".onnx", ".onnx.json"))
            )
            voices.append(
                PiperVoice(
                    key=key,
                    language=code,
                    language_name=language_name,
                    quality=quality,
                    sample_rate=PIPER_SAMPLE_RATES.get(quality, 22050),
                    speakers=int(item.get("num_speakers") or 1),
                    files=files,
                )
            )
        return sorted(voices, key=lambda v: v.key)

    def file_url(self, repo_id: str, path: str, revision: str = "main") -> str:
        quoted = urllib.parse.quote(path)
        return f"{self.base}/{repo_id}/resolve/{urllib.parse.quote(revision, safe='')}/{quoted}"


def safe_repo_path(path: object) -> bool:
    """True for a relative path inside the repository (no "..", no root, no drive)."""
    if not isinstance(path, str) or not path or "\\" in path or "\0" in path:
        return False
    parts = path.split("/")
    return not path.startswith("/") and ":" not in parts[0] and not {"..", ".", ""} & set(parts)


_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")


def _check_repo_id(repo_id: str) -> None:
    if not _REPO_ID.match(repo_id) or ".." in repo_id:
        raise BadInput(message("hub.bad_repo_name", repo=repr(repo_id)))
