"""Making one batch item's file, the same way in every process.

:class:`Renderer` turns a :class:`~engines.batch.spec.BatchItem` into the bytes of its
output file. It is what a local batch runs in the studio's own process and what each Ray
worker holds (one per worker, so each model is loaded once per worker). The file is
written by the writers the CLI and the panels use (PNG with its recipe, MIDI, WAV/FLAC with
tags) into a scratch folder and read back, so a batch's outputs are the same files as
one-at-a-time commands make, byte for byte, wherever they were computed: watermarked
(the marks are the same for the same content), and not signed: a signature is never the
same twice (engines.provenance), so the batch's driver signs each file as it writes it
(:func:`signed_by`), with the user's key, which never goes to a worker.

Thread counts change floating-point sums in some kernels, so the renderer sets torch's and
ONNX Runtime's threads to the batch's ``threads`` itself: a local run and a Ray run of
one batch compute each item the same way.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from engines.batch.spec import BatchItem
from engines.errors import BadInput
from engines.jobs import JobContext
from engines.messages import message

APP = "Sōzō Studio"


MELODY_MODELS = "melody-vae-2bar+melody-transformer"


def signed_by(item: BatchItem) -> str:
    """The model an item's content credentials name."""
    if item.kind == "melodies":
        return MELODY_MODELS
    if item.kind == "read-aloud":
        return str(item.params["voice"])
    return str(item.params.get("model") or "")


class Renderer:
    def __init__(self, threads: int = 1, device: str = "auto") -> None:
        self.threads = threads
        self.device = device
        self._engines: dict[tuple[str, str | None], Any] = {}
        self._threads_set = False

    def _set_threads(self) -> None:
        if self._threads_set:
            return
        from engines import device

        device.configure(self.device, self.threads)  # torch's threads follow on first use
        self._threads_set = True

    def _engine(self, task: str, model_id: str | None) -> Any:
        key = (task, model_id)
        if key not in self._engines:
            from engines import registry
            from engines.catalogue import Task

            self._engines[key] = registry.load(model_id, task=Task(task))
        return self._engines[key]

    def render(self, item: BatchItem, ctx: JobContext | None = None) -> bytes:
        """The bytes of ``item``'s output file."""
        self._set_threads()
        ctx = ctx or JobContext()
        make = {
            "image-grid": self._image,
            "image-walk": self._walk_frame,
            "melodies": self._melody,
            "read-aloud": self._chapter,
        }[item.kind]
        with tempfile.TemporaryDirectory(prefix="sozo-batch-") as scratch:
            path = Path(scratch) / item.name
            make(item.params, path, ctx)
            return path.read_bytes()

    # -- the four kinds ------------------------------------------------------------------

    def _image(self, p: dict[str, Any], path: Path, ctx: JobContext) -> None:
        from engines.image.types import ImageRequest
        from engines.imagefile import write_png

        request = ImageRequest(
            prompt=p["prompt"],
            negative_prompt=p["negative_prompt"],
            model_id=p["model"],
            seed=p["seed"],
            steps=p["steps"],
            guidance=p["guidance"],
            size=p["size"],
            sampler=p["sampler"],
        )
        result = self._engine("image", p["model"]).generate(request, ctx)
        write_png(result.images[0], path, result.parameters, watermark=True)

    def _walk_frame(self, p: dict[str, Any], path: Path, ctx: JobContext) -> None:
        from engines.image.base import resize_output
        from engines.image.engine import LatentRequest, WalkRequest
        from engines.imagefile import Recipe, write_png

        engine = self._engine("image", p["model"])
        a = engine.generate(LatentRequest(seed=p["from_seed"]), ctx)
        b = engine.generate(LatentRequest(seed=p["to_seed"]), ctx)
        image = engine.generate(WalkRequest(a, b, p["t"]), ctx)
        if p["size"]:
            image = resize_output(image, p["size"])
        recipe = Recipe(
            prompt="",
            model=engine.model_id,
            seed=p["from_seed"],
            width=image.width,
            height=image.height,
            extra={
                "Walk": f"seed {p['from_seed']} to seed {p['to_seed']}, "
                f"frame {p['frame'] + 1} of {p['frames']}, t {p['t']:.6f}"
            },
        )
        write_png(image, path, recipe.to_parameters(), watermark=True)

    def _melody(self, p: dict[str, Any], path: Path, ctx: JobContext) -> None:
        import numpy as np

        from engines.audio import write as write_audio
        from engines.music import arrangement as arranging
        from engines.music.types import SOUNDFONT_ID, MusicRequest, RenderRequest

        request = MusicRequest(
            bars=p["bars"],
            seed=p["seed"],
            temperature=p["temperature"],
            instrument=p["instrument"],
            tempo_bpm=p["tempo"],
        )
        melody = self._engine("music", None).generate(request, ctx)
        arrangement = arranging.Arrangement(
            np.asarray(melody.tokens, dtype=np.int64),
            p["instrument"],
            p["tempo"],
            False,
            melody.key,
        )
        title = f"{APP} melody, seed {p['seed']}"
        from engines.recipes import MusicRecipe

        recipe = MusicRecipe(
            models=MELODY_MODELS,
            seed=int(p["seed"]),
            temperature=float(p["temperature"]),
            instrument=p["instrument"],
            tempo=round(p["tempo"]),
            bars=int(p["bars"]),
            accompaniment=False,
        ).to_json()
        if path.suffix == ".mid":
            arranging.export_midi(path, arrangement, title=title, recipe=recipe)
            return
        settings = {
            "models": MELODY_MODELS,
            "seed": p["seed"],
            "temperature": p["temperature"],
            "instrument": p["instrument"],
            "tempo": p["tempo"],
            "made": f"{p['bars']} bars sampled",
        }
        audio = self._engine("music", SOUNDFONT_ID).generate(RenderRequest(arrangement), ctx)
        tags = {
            "title": title,
            "comment": arranging.describe(settings),
            "software": APP,
            "recipe": recipe,
        }
        write_audio(path, audio, arranging.SAMPLE_RATE, tags, watermark=True)

    def _chapter(self, p: dict[str, Any], path: Path, ctx: JobContext) -> None:
        from engines.audio import AudioWriter
        from engines.speech.audio import ClipTags
        from engines.speech.engine import model_for
        from engines.speech.types import SpeechRequest

        request = SpeechRequest(
            text=p["text"],
            voice_id=p["voice"],
            speed=p["speed"],
            seed=int(p["seed"]),
            quick_start=False,
        )
        stream = self._engine("speech", model_for(request)).generate(request, ctx)
        tags = ClipTags(
            p["text"], stream.voice_label, stream.settings_summary(), request=request
        ).as_tags()
        if p["title"]:
            tags["title"] = p["title"]
        with AudioWriter(path, stream.sample_rate, tags, watermark=True) as writer:
            for chunk in stream:
                writer.write(chunk.audio)
            if not writer.frames:
                why = " ".join(stream.notices) or message("batch.voice_cannot_read")
                raise BadInput(message("batch.nothing_spoken", chapter=p["seed"] + 1, why=why))
