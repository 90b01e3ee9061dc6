"""Batch files: many jobs described in one TOML file, expanded into items.

A batch file has one ``kind`` and the settings of that kind; every item it expands into
is one output file with a name fixed by its place in the batch, so a second run (resume)
knows which outputs are already there, and a local run and a Ray run write the same files:

``image-grid``
    every prompt x seed x guidance: ``prompts = ["red heart", ...]``, ``seeds = [1, 2]``
    (or ``seeds = {from = 1, count = 8}``), ``guidance = [2.0, 3.0]`` (optional),
    ``model``, ``steps``, ``size``, ``sampler``. Writes PNGs with their recipes.
``image-walk``
    ``frames`` pictures along the latent path from ``from_seed`` to ``to_seed`` (spherical
    interpolation), ``model``, ``size``. Writes PNGs.
``melodies``
    one melody per seed: ``seeds``, ``bars``, ``temperature``, ``instrument``, ``tempo``,
    ``format`` ("mid", "wav" or "flac"). MIDI files, or renders through the soundfont.
``read-aloud``
    a UTF-8 text file read chapter by chapter: ``text_file``, ``voice``, ``speed``,
    ``format`` ("wav" or "flac"); chapters start at Markdown headings (``# Title``) or at
    ``chapter_pattern`` (a regular expression matched against each line); a text without
    either is one chapter.

Paths in the file are relative to the file; ``output`` is the folder the outputs go to
(default: a folder named after the batch file, beside it).
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engines.errors import BadInput
from engines.messages import message

KINDS = ("image-grid", "image-walk", "melodies", "read-aloud")
MAX_ITEMS = 10_000  # a batch larger than this is most likely a typo in a count
MAX_SEED = 2**32 - 1
AUDIO_FORMATS = ("wav", "flac")  # both encode the same samples to the same bytes every time


@dataclass(frozen=True)
class BatchItem:
    """One output of a batch: what to make (``params``) and the file name it goes to."""

    index: int
    kind: str
    name: str  # the output's file name inside the batch's folder
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Batch:
    kind: str
    output: Path
    items: tuple[BatchItem, ...]
    source: Path | None = None  # the batch file
    threads: int = 1  # torch/ONNX threads per worker, the same locally and on Ray

    def fingerprint(self) -> str:
        """A hash of what the batch makes: resuming into a folder another batch wrote is
        refused (the folder's manifest holds this)."""
        described = [(i.index, i.kind, i.name, i.params) for i in self.items]
        text = json.dumps(described, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def load_batch(path: str | Path, *, output: Path | None = None) -> Batch:
    """Read and check a batch file: one line of :class:`BadInput` for anything wrong."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput(message("batch.missing", path=str(p))) from None
    except IsADirectoryError:
        raise BadInput(message("batch.folder", path=str(p))) from None
    except UnicodeDecodeError:
        raise BadInput(message("batch.not_utf8", name=p.name)) from None
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(message("batch.not_toml", name=p.name, reason=str(exc))) from None
    except OSError as exc:
        raise BadInput(
            message("batch.cannot_read", path=str(p), reason=str(exc.strerror or exc))
        ) from None
    return parse_batch(data, base=p.parent, name=p.stem, source=p, output=output)


def parse_batch(
    data: dict[str, Any],
    *,
    base: Path,
    name: str = "batch",
    source: Path | None = None,
    output: Path | None = None,
) -> Batch:
    fields = _Fields(data)
    kind = fields.text("kind", None)
    if kind not in KINDS:
        raise BadInput(message("batch.kind", kinds=", ".join(KINDS), kind=repr(kind)))
    out = output or base / (fields.text("output", name) or name)
    out = out if out.is_absolute() else base / out
    threads = fields.integer("threads", 1, 1, 64) or 1
    expand = {
        "image-grid": _image_grid,
        "image-walk": _image_walk,
        "melodies": _melodies,
        "read-aloud": _read_aloud,
    }[kind]
    items = expand(fields, base)
    fields.done()
    if not items:
        raise BadInput(message("batch.nothing"))
    return Batch(kind, out, tuple(items), source=source, threads=threads)


class _Fields:
    """The batch file's keys, each read once and checked; :meth:`done` names any key left
    over (a typo would otherwise be ignored without a word)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = dict(data)

    def _take(self, key: str) -> Any:
        return self.data.pop(key, None)

    def done(self) -> None:
        if self.data:
            raise BadInput(message("batch.unknown_key", keys=", ".join(sorted(self.data))))

    def text(self, key: str, default: str | None) -> str | None:
        value = self._take(key)
        if value is None:
            return default
        if not isinstance(value, str):
            raise BadInput(message("batch.not_text", key=key, value=repr(value)))
        return value

    def integer(self, key: str, default: int | None, low: int, high: int) -> int | None:
        value = self._take(key)
        if value is None:
            return default
        return _checked_int(key, value, low, high)

    def number(self, key: str, default: float | None, low: float, high: float) -> float | None:
        value = self._take(key)
        if value is None:
            return default
        return _checked_float(key, value, low, high)

    def numbers(self, key: str, low: float, high: float) -> list[float | None]:
        value = self._take(key)
        if value is None:
            return [None]  # the model's default
        values = value if isinstance(value, list) else [value]
        return [_checked_float(key, v, low, high) for v in values]

    def texts(self, key: str) -> list[str]:
        value = self._take(key)
        if value is None:
            raise BadInput(message("batch.needs_texts", key=key))
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) for v in values):
            raise BadInput(message("batch.texts_in_quotes", key=key))
        return list(values)

    def seeds(self, default: list[int] | None = None) -> list[int]:
        value = self._take("seeds")
        if value is None:
            if default is None:
                raise BadInput(message("batch.needs_seeds", example="{from = 1, count = 8}"))
            return default
        if isinstance(value, dict):
            start = _checked_int("seeds.from", value.get("from", 0), 0, MAX_SEED)
            count = _checked_int("seeds.count", value.get("count"), 1, MAX_ITEMS)
            if set(value) - {"from", "count"}:
                raise BadInput(message("batch.seeds_range", example="{from = 1, count = 8}"))
            if start + count - 1 > MAX_SEED:
                raise BadInput(message("batch.seeds_most", most=MAX_SEED))
            return list(range(start, start + count))
        values = value if isinstance(value, list) else [value]
        seeds = [_checked_int("seeds", v, 0, MAX_SEED) for v in values]
        if len(set(seeds)) != len(seeds):
            raise BadInput(message("batch.seed_twice"))
        return seeds


def _checked_int(key: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadInput(message("batch.not_whole", key=key, value=repr(value)))
    if not low <= value <= high:
        raise BadInput(message("batch.between", key=key, low=low, high=high, value=value))
    return value


def _checked_float(key: str, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadInput(message("batch.not_number", key=key, value=repr(value)))
    if not low <= value <= high:  # NaN fails this too
        raise BadInput(
            message("batch.between", key=key, low=f"{low:g}", high=f"{high:g}", value=value)
        )
    return float(value)


def _check_count(n: int) -> None:
    if n > MAX_ITEMS:
        raise BadInput(message("batch.too_many", count=n, most=MAX_ITEMS))


_UNSAFE = re.compile(r"[^\w\-]+", re.UNICODE)


def _slug(text: str, words: int = 5) -> str:
    stem = "-".join(_UNSAFE.sub(" ", text).lower().split()[:words])[:48].strip("-")
    return stem or "untitled"


def _image_grid(f: _Fields, base: Path) -> list[BatchItem]:
    prompts = f.texts("prompts")
    seeds = f.seeds()
    guidances = f.numbers("guidance", 0.0, 30.0)
    model = f.text("model", None)
    steps = f.integer("steps", None, 1, 200)
    size = f.integer("size", None, 16, 2048)
    sampler = f.text("sampler", None)
    negative = f.text("negative_prompt", "") or ""
    _check_count(len(prompts) * len(seeds) * len(guidances))
    items: list[BatchItem] = []
    for p, prompt in enumerate(prompts):
        for guidance in guidances:
            for seed in seeds:
                g = "" if guidance is None else f"-g{guidance:g}"
                name = f"{len(items):04d}-p{p + 1}-{_slug(prompt)}{g}-s{seed}.png"
                params = {
                    "prompt": prompt,
                    "negative_prompt": negative,
                    "seed": seed,
                    "guidance": guidance,
                    "model": model,
                    "steps": steps,
                    "size": size,
                    "sampler": sampler,
                }
                items.append(BatchItem(len(items), "image-grid", name, params))
    return items


def _image_walk(f: _Fields, base: Path) -> list[BatchItem]:
    start = f.integer("from_seed", None, 0, MAX_SEED)
    end = f.integer("to_seed", None, 0, MAX_SEED)
    if start is None or end is None:
        raise BadInput(message("batch.walk_seeds"))
    frames = f.integer("frames", 12, 2, MAX_ITEMS) or 12
    model = f.text("model", None)
    size = f.integer("size", None, 16, 2048)
    return [
        BatchItem(
            i,
            "image-walk",
            f"frame-{i:04d}.png",
            {
                "from_seed": start,
                "to_seed": end,
                "t": i / (frames - 1),
                "frame": i,
                "frames": frames,
                "model": model,
                "size": size,
            },
        )
        for i in range(frames)
    ]


def _melodies(f: _Fields, base: Path) -> list[BatchItem]:
    from engines.music.types import MAX_BARS

    seeds = f.seeds()
    bars = f.integer("bars", 4, 1, MAX_BARS)
    temperature = f.number("temperature", 1.0, 0.0, 3.0)
    instrument = f.text("instrument", "piano")
    tempo = f.number("tempo", 110.0, 20.0, 300.0)
    fmt = (f.text("format", "mid") or "mid").lower().lstrip(".")
    if fmt not in ("mid", *AUDIO_FORMATS):
        raise BadInput(message("batch.music_format", format=repr(fmt)))
    _check_count(len(seeds))
    params = {"bars": bars, "temperature": temperature, "instrument": instrument, "tempo": tempo}
    return [
        BatchItem(i, "melodies", f"melody-{i:04d}-s{seed}.{fmt}", {**params, "seed": seed})
        for i, seed in enumerate(seeds)
    ]


_HEADING = re.compile(r"^#{1,6}\s+\S")


def split_chapters(text: str, pattern: str | None = None) -> list[tuple[str, str]]:
    """(title, text) of each chapter: a chapter starts at a line matching ``pattern``
    (default: a Markdown heading), which is its title and is read aloud too."""
    try:
        start = re.compile(pattern) if pattern else _HEADING
    except re.error as exc:
        raise BadInput(message("batch.bad_pattern", reason=str(exc))) from None
    chapters: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if start.search(line):
            chapters.append((line.strip().lstrip("#").strip(), [line.strip().lstrip("#")]))
        elif chapters:
            chapters[-1][1].append(line)
        elif line.strip():
            chapters.append(("", [line]))
    result = [(title, "\n".join(lines).strip()) for title, lines in chapters]
    return [(title, body) for title, body in result if body]


def _read_aloud(f: _Fields, base: Path) -> list[BatchItem]:
    name = f.text("text_file", None)
    if name is None:
        raise BadInput(message("batch.needs_text_file"))
    path = Path(name) if Path(name).is_absolute() else base / name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(message("batch.text_missing", path=str(path))) from None
    except UnicodeDecodeError:
        raise BadInput(message("batch.text_not_utf8", name=path.name)) from None
    except OSError as exc:
        raise BadInput(
            message("batch.cannot_read", path=str(path), reason=str(exc.strerror or exc))
        ) from None
    voice = f.text("voice", None)
    speed = f.number("speed", None, 0.25, 4.0)
    fmt = (f.text("format", "flac") or "flac").lower().lstrip(".")
    if fmt not in AUDIO_FORMATS:
        raise BadInput(message("batch.speech_format", format=repr(fmt)))
    chapters = split_chapters(text, f.text("chapter_pattern", None))
    _check_count(len(chapters))
    return [
        BatchItem(
            i,
            "read-aloud",
            f"chapter-{i + 1:03d}-{_slug(title or body, 4)}.{fmt}",
            {"text": body, "title": title, "voice": voice, "speed": speed, "seed": i},
        )
        for i, (title, body) in enumerate(chapters)
    ]
