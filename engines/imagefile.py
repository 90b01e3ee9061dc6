"""Image files in and out: reading what users drop safely, and PNGs that carry their recipe.

Reading: anything a user drops is checked before it touches the canvas. A folder, a
missing or non-image file, a corrupt file or a decompression bomb is a :class:`BadInput`
with a readable message; an animated image gives its first frame, CMYK, 16-bit and
palette images are converted, and each such change is reported as a notice.

Writing: the recipe goes into a PNG ``tEXt`` chunk named ``parameters`` in the layout
AUTOMATIC1111's web UI made common (prompt, ``Negative prompt:``, then ``Key: value``
pairs), so other tools read it and we read theirs. Files are never overwritten. The
words are A1111's too: its sampler names ("DPM++ 2M Karras", "Euler a"), LoRAs as
``<lora:name:weight>`` tags in the prompt, "CFG scale" and "Model hash" (its AutoV2 short
hash: the first 10 hex digits of the model file's SHA-256).

Reading also takes ComfyUI's PNGs, whose recipe is the node graph itself (the ``prompt``
and ``workflow`` text chunks): a simple graph (checkpoint, LoRA loaders, prompts, one
KSampler) gives the same :class:`Recipe`.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engines import __version__
from engines.errors import BadInput
from engines.messages import message
from engines.safe_write import safe_open, safe_path

if TYPE_CHECKING:
    from PIL import Image

MAX_PIXELS = 40_000_000  # ~6300x6300; larger is refused as a likely decompression bomb
APP_TAG = f"Sōzō Studio {__version__}"


# The samplers our engines take (the names requests use) and what A1111 calls them.
SAMPLER_NAMES = {
    "ddim": "DDIM",
    "dpm++2m": "DPM++ 2M",
    "dpm++2m-karras": "DPM++ 2M Karras",
    "euler": "Euler",
    "euler-a": "Euler a",
    "lms": "LMS",
    "plms": "PLMS",
}
# diffusers' scheduler classes, as older Sōzō recipes name a model's own scheduler.
_DIFFUSERS_SAMPLERS = {
    "DDIMScheduler": "ddim",
    "DPMSolverMultistepScheduler": "dpm++2m",
    "EulerDiscreteScheduler": "euler",
    "EulerAncestralDiscreteScheduler": "euler-a",
    "LMSDiscreteScheduler": "lms",
    "PNDMScheduler": "plms",
}
# ComfyUI's KSampler (sampler_name, scheduler) pairs; None: any scheduler but "karras".
_COMFYUI_SAMPLERS = {
    ("ddim", None): "ddim",
    ("dpmpp_2m", None): "dpm++2m",
    ("dpmpp_2m", "karras"): "dpm++2m-karras",
    ("euler", None): "euler",
    ("euler_ancestral", None): "euler-a",
    ("lms", None): "lms",
}


def sampler_name(text: str | None) -> str | None:
    """Our name for a sampler written in A1111's words, diffusers' class names or our own
    (``"DPM++ 2M Karras"`` -> ``"dpm++2m-karras"``); None when we have no such sampler."""
    if not text:
        return None
    text = text.strip()
    if text in SAMPLER_NAMES:
        return text
    if text in _DIFFUSERS_SAMPLERS:
        return _DIFFUSERS_SAMPLERS[text]
    by_label = {label.lower(): name for name, label in SAMPLER_NAMES.items()}
    return by_label.get(" ".join(text.lower().split()))


def sampler_label(name: str | None) -> str | None:
    """A1111's name for one of our samplers (other text is kept as it is)."""
    return SAMPLER_NAMES.get(name, name) if name else name


def short_hash(path: str | os.PathLike[str]) -> str:
    """A1111's "Model hash" (AutoV2): the first 10 hex digits of the file's SHA-256.
    Remembered per file, size and modification time: a checkpoint is gigabytes."""
    p = Path(path).resolve()
    stat = p.stat()
    key = (str(p), stat.st_size, stat.st_mtime_ns)
    if key not in _hashes:
        digest = hashlib.sha256()
        with open(p, "rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
        _hashes[key] = digest.hexdigest()[:10]
    return _hashes[key]


_hashes: dict[tuple[str, int, int], str] = {}


@dataclass(frozen=True)
class LoraTag:
    """A LoRA a recipe names, as A1111's ``<lora:name:weight>`` does: the file's name
    without its extension, and its weight (1 = as trained)."""

    name: str
    weight: float = 1.0

    def tag(self) -> str:
        return f"<lora:{self.name}:{self.weight:g}>"


LORA_SUFFIXES = (".safetensors", ".pt", ".ckpt", ".bin")
# <lora:name>, <lora:name:0.8>, <lora:name:0.8:0.5> (text encoder, UNet), <lyco:...>.
_LORA_TAG_RE = re.compile(r"<(?:lora|lyco):([^:>]+)(?::([^:>]*))?(?::[^>]*)?>", re.IGNORECASE)


def lora_stem(file_name: str) -> str:
    """``style.safetensors`` (or ``sub/style.safetensors``) -> ``style``."""
    name = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    for suffix in LORA_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def split_lora_tags(prompt: str) -> tuple[str, tuple[LoraTag, ...]]:
    """The prompt without its ``<lora:...>`` tags, and the tags as :class:`LoraTag`s."""
    loras: list[LoraTag] = []
    for name, weight in _LORA_TAG_RE.findall(prompt):
        try:
            value = float(weight) if weight.strip() else 1.0
        except ValueError:
            value = 1.0
        loras.append(LoraTag(name.strip(), value))
    if not loras:
        return prompt, ()
    text = _LORA_TAG_RE.sub("", prompt)
    text = re.sub(r"[ \t]*,([ \t]*,)+", ",", text)  # "a, <lora:x:1>, b" -> "a, , b" -> "a, b"
    text = re.sub(r"[ \t]{2,}", " ", text)
    lines = [line.strip().strip(",").strip() for line in text.split("\n")]
    return "\n".join(lines).strip(), tuple(loras)


@dataclass(frozen=True)
class Recipe:
    """How an image was made. ``None`` fields are left out of the text.

    ``sampler`` is our name for it (``"dpm++2m-karras"``) when we have that sampler, else
    the other tool's own words; ``loras`` go into the prompt as ``<lora:name:weight>``."""

    prompt: str
    negative_prompt: str = ""
    model: str | None = None
    seed: int | None = None
    steps: int | None = None
    guidance: float | None = None
    strength: float | None = None
    width: int | None = None
    height: int | None = None
    sampler: str | None = None
    model_hash: str | None = None  # A1111's AutoV2 short hash of the model file
    loras: tuple[LoraTag, ...] = ()
    # Photo edits (engines.image.compose): A1111's "Masked area padding" and "Mask blur",
    # the result's scale against the input picture, and pixels outpainted on each side.
    mask_padding: int | None = None
    mask_feather: float | None = None
    scale: float | None = None
    outpaint: tuple[int, int, int, int] | None = None  # left, top, right, bottom
    app: str | None = APP_TAG
    extra: dict[str, str] = field(default_factory=dict)

    _KEYS = (
        ("Steps", "steps"),
        ("Sampler", "sampler"),
        ("CFG scale", "guidance"),
        ("Seed", "seed"),
        ("Size", None),
        ("Model hash", "model_hash"),
        ("Model", "model"),
        ("Denoising strength", "strength"),
        ("Masked area padding", "mask_padding"),
        ("Mask blur", "mask_feather"),
        ("Scale", "scale"),
        ("Outpaint", "outpaint"),
        ("App", "app"),
    )

    def to_parameters(self) -> str:
        """The ``parameters`` text."""
        prompt = " ".join(filter(None, [self.prompt, *(lora.tag() for lora in self.loras)]))
        lines = [prompt]
        if self.negative_prompt:
            lines.append(f"Negative prompt: {self.negative_prompt}")
        pairs: list[str] = []
        for key, attr in self._KEYS:
            if attr is None:
                if self.width and self.height:
                    pairs.append(f"Size: {self.width}x{self.height}")
                continue
            value = sampler_label(self.sampler) if attr == "sampler" else getattr(self, attr)
            if attr == "outpaint" and value is not None:
                value = ",".join(str(side) for side in value)  # "0,0,64,0": L,T,R,B
            elif attr in ("mask_feather", "scale") and value is not None:
                value = f"{value:g}"
            if value is not None:
                pairs.append(f"{key}: {_quote(str(value))}")
        pairs.extend(f"{k}: {_quote(v)}" for k, v in self.extra.items())
        lines.append(", ".join(pairs))
        return "\n".join(lines)

    @classmethod
    def from_parameters(cls, text: str) -> Recipe:
        """Parse a ``parameters`` text written by us or by another tool."""
        lines = text.strip().split("\n")
        settings_line = ""
        if lines and _looks_like_settings(lines[-1]):
            settings_line = lines.pop()
        prompt_lines: list[str] = []
        negative_lines: list[str] = []
        in_negative = False
        for line in lines:
            if line.startswith("Negative prompt:"):
                in_negative = True
                line = line[len("Negative prompt:") :].lstrip()
            (negative_lines if in_negative else prompt_lines).append(line)
        values = _parse_pairs(settings_line)
        known = {k: a for k, a in cls._KEYS if a is not None}
        # Names other tools (and our own engines) use for the same settings.
        for alias, key in (("Guidance", "CFG scale"), ("Strength", "Denoising strength")):
            if alias in values and key not in values:
                values[key] = values.pop(alias)
        # A1111 1.9 and later write the Karras schedule apart: "DPM++ 2M, Schedule type: Karras".
        schedule = values.get("Schedule type", "")
        if "Sampler" in values and schedule and schedule.lower() != "automatic":
            joined = f"{values['Sampler']} {schedule}"
            if sampler_name(joined) or not sampler_name(values["Sampler"]):
                values["Sampler"] = joined
                values.pop("Schedule type")
        kwargs: dict[str, Any] = {}
        for key, attr in known.items():
            if key in values:
                kwargs[attr] = values.pop(key)
        size = values.pop("Size", None)
        if size and re.fullmatch(r"\d+x\d+", size):
            w, h = size.split("x")
            kwargs["width"], kwargs["height"] = int(w), int(h)
        for attr, convert in (
            ("seed", int),
            ("steps", int),
            ("guidance", float),
            ("strength", float),
            ("mask_padding", int),
            ("mask_feather", float),
            ("scale", float),
            ("outpaint", _four_sides),
        ):
            if attr in kwargs:
                try:
                    kwargs[attr] = convert(kwargs[attr])
                except ValueError:
                    kwargs.pop(attr)
        if "sampler" in kwargs:
            kwargs["sampler"] = sampler_name(kwargs["sampler"]) or kwargs["sampler"]
        kwargs.setdefault("app", None)
        prompt, loras = split_lora_tags("\n".join(prompt_lines).strip())
        # Sōzō before the A1111 words: "LoRA: style.safetensors:0.8; other.safetensors:1".
        for part in filter(None, (p.strip() for p in values.pop("LoRA", "").split(";"))):
            name, _, weight_text = part.rpartition(":")
            try:
                loras += (LoraTag(lora_stem(name), float(weight_text)),)
            except ValueError:
                loras += (LoraTag(lora_stem(part)),)
        return cls(
            prompt=prompt,
            negative_prompt="\n".join(negative_lines).strip(),
            loras=loras,
            extra=values,
            **kwargs,
        )

    @classmethod
    def from_comfyui(cls, prompt: str | None, workflow: str | None = None) -> Recipe | None:
        """The recipe in a ComfyUI PNG's ``prompt`` (API graph) or ``workflow`` (editor
        graph) chunk, read as far as a simple graph goes: the first KSampler's seed, steps,
        CFG, sampler and denoise, the CLIPTextEncode texts it is given, the LoraLoaders and
        the checkpoint its model comes through, and the empty latent's size. None when
        neither chunk holds a graph with a KSampler."""
        for text, convert in ((prompt, None), (workflow, _workflow_as_prompt)):
            try:
                graph = json.loads(text) if text else None
                if convert is not None and isinstance(graph, dict):
                    graph = convert(graph)
            except (ValueError, TypeError, KeyError, IndexError):
                continue
            if isinstance(graph, dict):
                recipe = _comfyui_recipe(graph)
                if recipe is not None:
                    return recipe
        return None


def _four_sides(text: str) -> tuple[int, int, int, int]:
    """ "0,0,64,0" -> (0, 0, 64, 0); ValueError for anything else."""
    sides = tuple(int(part) for part in text.split(","))
    if len(sides) != 4:
        raise ValueError(text)
    return sides[0], sides[1], sides[2], sides[3]


_PAIR_RE = re.compile(r'\s*([A-Za-z][\w .\-]*):\s*("(?:[^"\\]|\\.)*"|[^,]*)\s*(?:,|$)')


def _looks_like_settings(line: str) -> bool:
    """The last line holds settings when it is ``Key: value`` pairs with a key we know
    (so a one-line prompt such as "Style: watercolour" stays a prompt)."""
    if not re.match(r"\s*[A-Za-z][\w .\-]*: ", line):
        return False
    pairs = _parse_pairs(line)
    return len(pairs) >= 3 or any(k in pairs for k in ("Steps", "Seed", "Size", "Model"))


def _quote(value: str) -> str:
    if any(c in value for c in ',:"\n'):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'
    return value


def _parse_pairs(line: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, raw in _PAIR_RE.findall(line):
        value = raw.strip()
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        values[key.strip()] = value
    return values


# --- ComfyUI graphs ---------------------------------------------------------------------

# The editor graph keeps a node's settings as a list; these are their names, in order.
_COMFYUI_WIDGETS = {
    "KSampler": ("seed", None, "steps", "cfg", "sampler_name", "scheduler", "denoise"),
    "KSamplerAdvanced": (
        "add_noise",
        "noise_seed",
        None,
        "steps",
        "cfg",
        "sampler_name",
        "scheduler",
    ),
    "CLIPTextEncode": ("text",),
    "LoraLoader": ("lora_name", "strength_model", "strength_clip"),
    "LoraLoaderModelOnly": ("lora_name", "strength_model"),
    "CheckpointLoaderSimple": ("ckpt_name",),
    "EmptyLatentImage": ("width", "height", "batch_size"),
}


def _workflow_as_prompt(workflow: Mapping[str, Any]) -> dict[str, Any]:
    """ComfyUI's editor graph (``nodes`` with ``widgets_values``, and ``links``) in the
    API graph's shape (``{id: {"class_type", "inputs"}}``), for the node types we read."""
    links = {link[0]: link for link in workflow.get("links") or [] if isinstance(link, list)}
    graph: dict[str, Any] = {}
    for node in workflow.get("nodes") or []:
        kind = node.get("type")
        inputs: dict[str, Any] = {}
        for slot in node.get("inputs") or []:
            link = links.get(slot.get("link"))
            if link is not None:
                inputs[slot["name"]] = [str(link[1]), link[2]]
        widgets = node.get("widgets_values")
        if isinstance(widgets, list):
            for name, value in zip(_COMFYUI_WIDGETS.get(kind, ()), widgets, strict=False):
                if name is not None and name not in inputs:
                    inputs[name] = value
        graph[str(node.get("id"))] = {"class_type": kind, "inputs": inputs}
    return graph


def _comfyui_recipe(graph: Mapping[str, Any]) -> Recipe | None:
    def node(link: Any) -> dict[str, Any]:
        found = graph.get(str(link[0])) if isinstance(link, list) and link else None
        return found if isinstance(found, dict) else {}

    def inputs_of(n: Mapping[str, Any]) -> dict[str, Any]:
        found = n.get("inputs")
        return found if isinstance(found, dict) else {}

    def number(value: Any, kind: type) -> Any:
        return (
            kind(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
        )

    def text(link: Any) -> str:
        inputs = inputs_of(node(link))
        value = inputs.get("text", inputs.get("text_g"))  # SDXL's encoder has text_g/text_l
        return value.strip() if isinstance(value, str) else ""

    samplers = sorted(
        (k for k, n in graph.items() if isinstance(n, dict)
         and n.get("class_type") in ("KSampler", "KSamplerAdvanced")),
        key=lambda k: (not k.isdigit(), int(k) if k.isdigit() else 0, k),
    )  # fmt: skip
    if not samplers:
        return None
    inputs = inputs_of(graph[samplers[0]])
    loras: list[LoraTag] = []
    model = None
    current = node(inputs.get("model"))
    for _ in range(64):  # the model's way back to its checkpoint, through LoRA loaders
        kind, these = current.get("class_type"), inputs_of(current)
        if kind in ("LoraLoader", "LoraLoaderModelOnly") and isinstance(
            these.get("lora_name"), str
        ):
            weight = number(these.get("strength_model"), float)
            loras.append(LoraTag(lora_stem(these["lora_name"]), 1.0 if weight is None else weight))
        elif isinstance(these.get("ckpt_name"), str):
            model = lora_stem(these["ckpt_name"])
            break
        if not current or "model" not in these:
            break
        current = node(these["model"])
    sampler = inputs.get("sampler_name")
    schedule = inputs.get("scheduler")
    name = None
    if isinstance(sampler, str):
        key = schedule if schedule == "karras" else None
        name = _COMFYUI_SAMPLERS.get((sampler, key))
        if name is None:
            name = f"{sampler} ({schedule})" if isinstance(schedule, str) else sampler
    latent = inputs_of(node(inputs.get("latent_image")))
    denoise = number(inputs.get("denoise"), float)
    seed = number(inputs.get("seed", inputs.get("noise_seed")), int)
    return Recipe(
        prompt=text(inputs.get("positive")),
        negative_prompt=text(inputs.get("negative")),
        model=model,
        seed=seed,
        steps=number(inputs.get("steps"), int),
        guidance=number(inputs.get("cfg"), float),
        strength=denoise if denoise is not None and denoise < 1.0 else None,
        width=number(latent.get("width"), int),
        height=number(latent.get("height"), int),
        sampler=name,
        loras=tuple(reversed(loras)),  # in the order they are applied to the checkpoint
        app=None,
        extra={"Made with": "ComfyUI"},
    )


@dataclass(frozen=True)
class LoadedImage:
    """An image read from a user's file, as RGBA, with what was changed to read it."""

    image: Image.Image
    path: Path
    notices: tuple[str, ...] = ()
    parameters: str | None = None  # the recipe text chunk, if the file has one
    comfyui_prompt: str | None = None  # ComfyUI's graph chunks, if it made the file
    comfyui_workflow: str | None = None

    @property
    def recipe(self) -> Recipe | None:
        if self.parameters:
            return Recipe.from_parameters(self.parameters)
        if self.comfyui_prompt or self.comfyui_workflow:
            return Recipe.from_comfyui(self.comfyui_prompt, self.comfyui_workflow)
        return None


EXIF_ORIENTATION = 0x0112  # the EXIF tag that says how the camera was held


def load_image(path: str | os.PathLike[str]) -> LoadedImage:
    """Read a user's image file safely; :class:`BadInput` for anything unusable."""
    from PIL import Image, UnidentifiedImageError

    p = Path(path)
    name = p.name or str(p)
    if p.is_dir():
        raise BadInput(message("imagefile.folder", name=name))
    if not p.exists():
        raise BadInput(message("imagefile.missing", name=name))
    notices: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(p) as im:
                width, height = im.size
                if width * height > MAX_PIXELS:
                    raise BadInput(
                        message(
                            "imagefile.too_many_pixels",
                            name=name,
                            size=f"{width}x{height}",
                            most=MAX_PIXELS // 1_000_000,
                        )
                    )
                frames = getattr(im, "n_frames", 1)
                if frames > 1:
                    notices.append(message("photo.animated", name=name, frames=frames))
                    im.seek(0)
                chunks = [im.info.get(k) for k in ("parameters", "prompt", "workflow")]
                parameters, comfy_prompt, comfy_workflow = (
                    c if isinstance(c, str) else None for c in chunks
                )
                im.load()
                image = _to_rgba(_upright(im, name, notices), name, notices)
    except BadInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BadInput(message("imagefile.bomb", name=name)) from None
    except UnidentifiedImageError:
        raise BadInput(message("imagefile.unreadable", name=name)) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise BadInput(message("imagefile.damaged", name=name, reason=str(exc))) from None
    return LoadedImage(
        image=image,
        path=p,
        notices=tuple(notices),
        parameters=parameters,
        comfyui_prompt=comfy_prompt,
        comfyui_workflow=comfy_workflow,
    )


def _upright(im: Image.Image, name: str, notices: list[str]) -> Image.Image:
    """The picture as it is meant to be seen: a camera's EXIF orientation applied (a
    phone photo taken upright is stored on its side with a tag saying so), said in the
    words the engines' photo reader uses (engines.image.photo_input)."""
    from PIL import ImageOps

    orientation = im.getexif().get(EXIF_ORIENTATION, 1)
    if orientation in (None, 1):
        return im  # nothing to turn: no copy
    turned = ImageOps.exif_transpose(im)
    if orientation in range(2, 9):
        notices.append(message("photo.rotated", name=name, orientation=orientation))
    return turned


def _to_rgba(im: Image.Image, name: str, notices: list[str]) -> Image.Image:
    mode = im.mode
    if mode == "CMYK":
        notices.append(message("photo.cmyk", name=name))
        return im.convert("RGB").convert("RGBA")
    if mode in ("I;16", "I;16B", "I;16L", "I", "I;16N"):
        notices.append(message("photo.deep_samples", name=name))
        import numpy as np

        arr = np.asarray(im).astype("float64")
        top = 65535.0 if arr.max() > 255 else 255.0
        from PIL import Image

        grey = Image.fromarray((arr / top * 255.0).clip(0, 255).astype("uint8"), "L")
        return grey.convert("RGBA")
    if mode == "F":
        notices.append(message("photo.float_samples", name=name))
        return im.convert("L").convert("RGBA")
    if mode in ("P", "PA"):
        return im.convert("RGBA")
    if mode == "RGBA":
        return im.copy()
    return im.convert("RGBA")


def fit_to_size(
    image: Image.Image, width: int, height: int
) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """Centre-crop ``image`` to the target's aspect ratio, then resize to it.

    Returns the fitted image and the crop box in the source image's pixels, so the UI can
    show what was cut away."""
    from PIL import Image

    src_w, src_h = image.size
    target = width / height
    if src_w / src_h > target:
        crop_w, crop_h = round(src_h * target), src_h
    else:
        crop_w, crop_h = src_w, round(src_w / target)
    left, top = (src_w - crop_w) // 2, (src_h - crop_h) // 2
    box = (left, top, left + crop_w, top + crop_h)
    return image.crop(box).resize((width, height), Image.Resampling.LANCZOS), box


def write_png(
    image: Image.Image,
    path: str | os.PathLike[str],
    parameters: str | None,
    *,
    overwrite: bool = False,
    watermark: bool = False,
    sign_model: str | None = None,
    edited_from: Path | None = None,
) -> Path:
    """Write ``image`` as PNG with ``parameters`` (the recipe text) in its text chunk;
    ``watermark``: with the invisible watermark (engines.watermark) in its pixels;
    ``sign_model`` (not None): with content credentials naming that model (and
    ``edited_from`` as the picture it edits), engines.provenance.

    Results the studio names itself never overwrite a file; ``overwrite`` is for a path
    the user gave (``sozo image -o``)."""
    from PIL.PngImagePlugin import PngInfo

    if watermark:
        from engines.watermark import mark_image

        image = mark_image(image)

    p = Path(path)
    info = PngInfo()
    if parameters:
        info.add_text("parameters", parameters)
    info.add_text("Software", APP_TAG)
    # Whole or not at all; without ``overwrite`` a file that exists is never replaced.
    with safe_open(p, "wb", overwrite=overwrite) as f:
        if sign_model is None:
            image.save(f, format="PNG", pnginfo=info)
        else:  # signed before it is written, so the final name only holds a signed file
            from engines.provenance import sign_output

            png = io.BytesIO()
            image.save(png, format="PNG", pnginfo=info)
            f.write(sign_output(png.getvalue(), p, sign_model, edited_from=edited_from))
    return p


def save_png(
    image: Image.Image,
    path: str | os.PathLike[str],
    recipe: Recipe | None,
    *,
    watermark: bool = False,
    sign: bool = False,
    edited_from: Path | None = None,
) -> Path:
    """Write ``image`` as PNG with the recipe in its ``parameters`` chunk; never overwrites.
    ``sign``: with content credentials naming the recipe's model (engines.credentials),
    and ``edited_from`` as its source picture when it is an edit."""
    parameters = recipe.to_parameters() if recipe is not None else None
    model = ((recipe.model if recipe is not None else None) or "") if sign else None
    return write_png(
        image, path, parameters, watermark=watermark, sign_model=model, edited_from=edited_from
    )


_UNSAFE = re.compile(r"[^\w\- ]+", re.UNICODE)


def readable_stem(prompt: str, seed: int | None = None, max_words: int = 6) -> str:
    """A file name from the prompt's first words and the seed: 'red-apple-on-a-table-s42'."""
    words = _UNSAFE.sub(" ", prompt).split()[:max_words]
    stem = "-".join(w.lower() for w in words)[:60].strip("-") or "image"
    return f"{stem}-s{seed}" if seed is not None else stem


def unique_path(folder: str | os.PathLike[str], stem: str, suffix: str = ".png") -> Path:
    """``folder/stem.png``, or ``stem-2.png``... whichever does not exist yet."""
    base = Path(folder)
    base.mkdir(parents=True, exist_ok=True)
    candidate = base / f"{stem}{suffix}"
    n = 2
    while candidate.exists():
        candidate = base / f"{stem}-{n}{suffix}"
        n += 1
    return candidate


def save_result(
    image: Image.Image,
    folder: str | os.PathLike[str],
    recipe: Recipe,
    *,
    watermark: bool = False,
    sign: bool = False,
    edited_from: Path | None = None,
) -> Path:
    """Save a generated image under a readable, unused name in ``folder`` (``watermark``:
    marked, engines.watermark; ``sign`` and ``edited_from``: as :func:`save_png`)."""
    for _ in range(100):  # another process may take the name between check and write
        path = unique_path(folder, readable_stem(recipe.prompt, recipe.seed))
        try:
            return save_png(
                image, path, recipe, watermark=watermark, sign=sign, edited_from=edited_from
            )
        except FileExistsError:
            continue
    raise BadInput(message("imagefile.no_free_name", folder=str(folder)))


WALK_FORMATS = (".gif", ".mp4", ".png")


def save_walk(
    frames: list[Image.Image],
    path: str | os.PathLike[str],
    fps: float = 12.0,
    scale: int = 4,
    *,
    sign_model: str | None = None,
) -> Path:
    """Export a latent walk: an animated GIF, an MP4 (ffmpeg from ``imageio-ffmpeg``) or a
    PNG strip, chosen by the extension. Frames are enlarged ``scale`` times with nearest
    neighbour, so small model outputs stay crisp. Never overwrites. ``sign_model`` (not
    None): signed with content credentials naming that model (engines.provenance)."""
    from PIL import Image

    from engines.provenance import sign_output, sign_output_file

    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in WALK_FORMATS:
        raise BadInput(message("imagefile.walk_format", name=p.name))
    if not frames:
        raise BadInput(message("imagefile.walk_empty"))
    if p.exists():
        raise BadInput(message("imagefile.exists", path=str(p)))
    big = [
        f.convert("RGBA").resize((f.width * scale, f.height * scale), Image.Resampling.NEAREST)
        for f in frames
    ]
    on_white = []
    for f in big:
        canvas = Image.new("RGB", f.size, "white")
        canvas.paste(f, mask=f.getchannel("A"))
        on_white.append(canvas)
    if suffix == ".png":
        strip = Image.new("RGB", (sum(f.width for f in on_white), on_white[0].height), "white")
        x = 0
        for f in on_white:
            strip.paste(f, (x, 0))
            x += f.width
        data = io.BytesIO()
        strip.save(data, format="PNG")
        with safe_open(p, "wb") as out:
            out.write(
                data.getvalue()
                if sign_model is None
                else sign_output(data.getvalue(), p, sign_model)
            )
    elif suffix == ".gif":
        duration = round(1000 / fps)
        data = io.BytesIO()
        on_white[0].save(
            data,
            format="GIF",
            save_all=True,
            append_images=on_white[1:],
            duration=duration,
            loop=0,
        )
        with safe_open(p, "wb") as out:
            out.write(
                data.getvalue()
                if sign_model is None
                else sign_output(data.getvalue(), p, sign_model)
            )
    else:
        import imageio_ffmpeg
        import numpy as np

        width, height = on_white[0].size
        width, height = width - width % 2, height - height % 2  # H.264 needs even sizes
        with safe_path(p) as scratch:  # ffmpeg writes the file itself
            writer = imageio_ffmpeg.write_frames(
                str(scratch),
                (width, height),
                fps=fps,
                codec="libx264",
                pix_fmt_out="yuv420p",
                macro_block_size=1,
                ffmpeg_log_level="error",
            )
            try:
                writer.send(None)
                for f in on_white:
                    writer.send(np.ascontiguousarray(np.asarray(f)[:height, :width]))
                writer.close()
            except OSError as exc:  # ffmpeg's own failure: its report is many lines
                lines = str(exc).strip().splitlines()
                raise BadInput(
                    message(
                        "imagefile.ffmpeg_failed",
                        path=str(p),
                        reason=lines[0] if lines else str(exc),
                    )
                ) from None
            if sign_model is not None:
                sign_output_file(scratch, sign_model, name=p)
    return p
