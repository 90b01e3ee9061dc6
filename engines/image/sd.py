"""Users' Stable Diffusion models (1.x, 2.x, SDXL, SD-Turbo) through diffusers.

A model is a diffusers folder (with ``model_index.json``) or a single ``.safetensors``
checkpoint in the original (LDM/Stability) layout. Pickle checkpoints (``.ckpt``, ``.pt``,
``.bin``) are refused: unpickling runs code from the file. Nothing is fetched from a hub
(``local_files_only``): a single file is recognised from its tensor names and shapes
(SD 1.x, SD 2.x 512 or 768-v, SDXL; SD-Turbo and SDXL-Turbo load as their bases, with
Turbo's own sampler and its defaults of one step without guidance) and
built with the configuration shipped in ``assets/configs/sd/`` (written by
``packaging/make_sd_configs.py``).

Edits keep the photo (engines.image.compose): img2img and inpainting work on the picture
(or the mask's padded box) at the native size in multiples of 8, its aspect kept, and
the result is composited back at the picture's size. Inpainting checkpoints (a 9-channel
UNet: latent, mask, masked picture) are used as such, folders and single files alike,
and draw from a prompt as inpainting of a blank picture.

The same engine API as the emoji models: txt2img, img2img (strength), inpainting (mask),
scheduler choice (``request.sampler``), LoRA files with a weight each (``request.loras``,
through diffusers' peft adapters), a preview at every step (a fast linear
latent-to-RGB approximation, not a full VAE decode) and cancel at every step through
diffusers' per-step callback. fp16 on CUDA; attention slicing, then model CPU offload,
when the GPU has little memory.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engines.errors import BadInput
from engines.image.base import (
    ImageEngine,
    edit_settings,
    format_parameters,
)
from engines.image.types import ImageRequest, ImageResult, LoraWeight
from engines.imagefile import sampler_name
from engines.jobs import JobContext
from engines.messages import message
from engines.paths import assets_dir

if TYPE_CHECKING:
    import torch
    from PIL import Image

PICKLE_SUFFIXES = {".ckpt", ".pt", ".pth", ".bin", ".pkl"}
# Our sampler names (A1111's words for them: engines.imagefile.SAMPLER_NAMES) -> the
# diffusers scheduler, and what its configuration changes from the model's.
SCHEDULERS = {
    "ddim": "DDIMScheduler",
    "dpm++2m": "DPMSolverMultistepScheduler",
    "dpm++2m-karras": "DPMSolverMultistepScheduler",
    "euler": "EulerDiscreteScheduler",
    "euler-a": "EulerAncestralDiscreteScheduler",
    "lms": "LMSDiscreteScheduler",
    "plms": "PNDMScheduler",
}
SCHEDULER_OVERRIDES: dict[str, dict[str, Any]] = {
    "dpm++2m": {"use_karras_sigmas": False},
    "dpm++2m-karras": {"use_karras_sigmas": True},  # Karras et al. 2022's noise levels
}
# Stable Diffusion 1.x/2.x latents -> approximate RGB (the community's linear fit).
LATENT_RGB = (
    (0.298, 0.207, 0.208),
    (0.187, 0.286, 0.173),
    (-0.158, 0.189, 0.264),
    (-0.184, -0.271, -0.473),
)


def latent_preview(latents: torch.Tensor) -> Image.Image:
    """A quick look at (1, C, h, w) latents without running the VAE."""
    import torch
    from PIL import Image

    z = latents[0].float().cpu()
    if z.shape[0] == 4:
        rgb = torch.einsum("chw,cr->rhw", z, torch.tensor(LATENT_RGB))
    else:  # other latent widths: the first three channels, each stretched
        rgb = z[:3] if z.shape[0] >= 3 else z[:1].repeat(3, 1, 1)
        rgb = (rgb - rgb.mean()) / (3 * rgb.std() + 1e-6)
    pixels = ((rgb.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).permute(1, 2, 0)
    return Image.fromarray(pixels.numpy(), "RGB")


# --- single-file checkpoints -----------------------------------------------------------

# Keys of the original (LDM / Stability) checkpoint layout that tell the families apart.
UNET_IN = "model.diffusion_model.input_blocks.0.0.weight"  # (320, in_channels, 3, 3)
CONTEXT_KEY = "model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight"
SD2_CONTEXT_KEY = "model.diffusion_model.input_blocks.2.1.transformer_blocks.0.attn2.to_k.weight"
SDXL_KEY = "conditioner.embedders.1.model.transformer.resblocks.9.mlp.c_proj.bias"
SDXL_REFINER_KEY = "conditioner.embedders.0.model.transformer.resblocks.9.mlp.c_proj.bias"
# ComfyUI's test for SD 2.x 768-v checkpoints: this norm's bias spreads wider after
# v-prediction training (std above 0.09) than in the epsilon-trained 512 models.
SD2_V_KEY = "model.diffusion_model.output_blocks.11.1.transformer_blocks.0.norm1.bias"
SD2_V_SPREAD = 0.09


@dataclass(frozen=True)
class SingleFileFamily:
    """What a single-file checkpoint was recognised as, and the configuration it takes."""

    name: str  # a folder of assets/configs/sd: sd1, sd2-v, sd2-base, sdxl
    label: str  # for people
    prediction: str | None = None  # overrides the folder's scheduler: "v_prediction"
    zero_snr: bool = False  # trained with zero terminal SNR (a "ztsnr" key says so)
    inpainting: bool = False  # a 9-channel inpainting UNet (built with in_channels=9)

    @property
    def config_dir(self) -> Path:
        return assets_dir() / "configs" / "sd" / self.name


def detect_family(path: Path) -> SingleFileFamily:
    """Recognise a ``.safetensors`` checkpoint from its tensor names and shapes (the
    header only, plus one small tensor for SD 2.x), or raise :class:`BadInput`."""
    from safetensors import safe_open

    try:
        with safe_open(str(path), "pt") as f:
            keys = set(f.keys())
            shapes = {
                k: tuple(f.get_slice(k).get_shape())
                for k in (UNET_IN, SD2_CONTEXT_KEY, CONTEXT_KEY)
                if k in keys
            }
            spread = (
                float(f.get_tensor(SD2_V_KEY).float().std(unbiased=False))
                if SD2_V_KEY in keys
                else 0.0
            )
    except Exception as exc:
        raise BadInput(message("sd.unreadable", name=path.name, reason=_first_line(exc))) from None
    return family_of(path.name, shapes | dict.fromkeys(keys - shapes.keys(), ()), spread)


def is_turbo(path: Path) -> bool:
    """SD-Turbo and SDXL-Turbo (adversarially distilled: 1 to 4 steps, no guidance) are
    recognised by their name or, for a single file, by the model-spec metadata Stability
    writes into the header. Their weights look like their bases', so nothing else tells."""
    import json

    path = Path(path)
    if "turbo" in path.name.lower():
        return True
    try:
        if path.is_dir():
            index = json.loads((path / "model_index.json").read_text())
            return "turbo" in str(index.get("_name_or_path", "")).lower()
        if path.suffix.lower() == ".safetensors" and path.is_file():
            from safetensors import safe_open

            with safe_open(str(path), "pt") as f:
                metadata = f.metadata() or {}
            return any(
                "turbo" in str(v).lower()
                for k, v in metadata.items()
                if k.startswith("modelspec.") and k != "modelspec.description"
            )
    except Exception:
        return False  # unreadable files are refused, with a reason, when they are loaded
    return False


TURBO_STEPS = 1  # Stability's recommendation: a single step ...
TURBO_GUIDANCE = 0.0  # ... without classifier-free guidance (it was distilled without)
DEFAULT_STEPS = 25
DEFAULT_GUIDANCE = 7.5


def default_settings(turbo: bool) -> tuple[int, float]:
    """Default sampler steps and guidance for a Turbo or an ordinary model."""
    return (TURBO_STEPS, TURBO_GUIDANCE) if turbo else (DEFAULT_STEPS, DEFAULT_GUIDANCE)


def family_of(
    name: str, shapes: dict[str, tuple[int, ...]], spread: float = 0.0
) -> SingleFileFamily:
    """The family of a checkpoint called ``name`` with these tensor names and shapes
    (only the UNet input and cross-attention shapes are read; ``spread``: the standard
    deviation of the SD 2.x norm bias that tells 768-v from 512), or :class:`BadInput`."""
    path = Path(name)
    keys = shapes.keys()
    if UNET_IN not in keys:
        if any("lora" in k for k in keys):
            raise BadInput(message("sd.is_lora", name=path.name))
        raise BadInput(message("sd.no_unet", name=path.name))
    if "edm_mean" in keys:
        raise BadInput(message("sd.playground", name=path.name))
    in_channels = shapes[UNET_IN][1]
    if in_channels not in (4, 9):
        raise BadInput(message("sd.channels", name=path.name, channels=in_channels))
    found = _family_of(path, shapes, spread)
    if in_channels == 9:  # an inpainting model: 4 latent + 1 mask + 4 masked-picture latent
        return SingleFileFamily(
            found.name,
            f"{found.label}, inpainting",
            found.prediction,
            found.zero_snr,
            inpainting=True,
        )
    return found


def _family_of(path: Path, shapes: dict[str, tuple[int, ...]], spread: float) -> SingleFileFamily:
    keys = shapes.keys()
    prediction = "v_prediction" if "v_pred" in keys else None
    zero_snr = "ztsnr" in keys
    if SDXL_KEY in keys:
        return SingleFileFamily("sdxl", "Stable Diffusion XL", prediction, zero_snr)
    if SDXL_REFINER_KEY in keys:
        raise BadInput(message("sd.refiner", name=path.name))
    context = shapes.get(SD2_CONTEXT_KEY, shapes.get(CONTEXT_KEY, (0,)))[-1]
    if context == 1024:
        if spread > SD2_V_SPREAD:
            return SingleFileFamily(
                "sd2-v", "Stable Diffusion 2.x (768, v-prediction)", "v_prediction", zero_snr
            )
        return SingleFileFamily("sd2-base", "Stable Diffusion 2.x (512)", prediction, zero_snr)
    if context == 768:
        return SingleFileFamily("sd1", "Stable Diffusion 1.x", prediction, zero_snr)
    raise BadInput(message("sd.context_width", name=path.name, width=context))


def _tokenizer(folder: Path) -> Any:
    """A CLIP tokenizer from a config folder; the shipped folders share one vocabulary."""
    import json

    from transformers import CLIPTokenizer

    if (folder / "vocab.json").exists() or (folder / "tokenizer.json").exists():
        return CLIPTokenizer.from_pretrained(str(folder), local_files_only=True)
    settings = json.loads((folder / "tokenizer_config.json").read_text())
    settings.pop("tokenizer_class", None)
    shared = assets_dir() / "configs" / "sd" / "clip-tokenizer"
    return CLIPTokenizer(str(shared / "vocab.json"), str(shared / "merges.txt"), **settings)


def _load_single_file(
    path: Path, dtype: torch.dtype, config: Path, family: SingleFileFamily | None
) -> Any:
    """diffusers' converter, given a local configuration so that nothing is fetched."""
    import json

    import diffusers

    index = json.loads((config / "model_index.json").read_text())
    if index.get("_class_name") not in ("StableDiffusionPipeline", "StableDiffusionXLPipeline"):
        raise BadInput(message("sd.not_config", folder=config))
    pipeline_class = getattr(diffusers, index["_class_name"])
    parts: dict[str, Any] = {
        name: _tokenizer(config / name) for name in ("tokenizer", "tokenizer_2") if name in index
    }
    scheduler_class = getattr(diffusers, index["scheduler"][1])
    scheduler = scheduler_class.from_pretrained(str(config), subfolder="scheduler")
    if family is not None and (family.prediction or family.zero_snr):
        overrides: dict[str, Any] = {"rescale_betas_zero_snr": family.zero_snr}
        if family.prediction:
            overrides["prediction_type"] = family.prediction
        scheduler = scheduler_class.from_config(scheduler.config, **overrides)
    try:
        if _unet_in_channels(path) == 9:
            # The configuration folder describes the 4-channel base: build the UNet with
            # the 9 input channels the inpainting checkpoint has.
            from diffusers import UNet2DConditionModel

            parts["unet"] = UNet2DConditionModel.from_single_file(
                str(path),
                config=str(config),
                subfolder="unet",
                in_channels=9,
                dtype=dtype,
                local_files_only=True,
            )
        return pipeline_class.from_single_file(
            str(path),
            config=str(config),
            dtype=dtype,
            local_files_only=True,
            scheduler=scheduler,
            **parts,
        )
    except Exception as exc:
        what = family.label if family else message("sd.model_in", folder=config)
        raise BadInput(
            message("sd.load_failed", name=path.name, what=what, reason=_first_line(exc))
        ) from None


def _unet_in_channels(path: Path) -> int:
    """The input channels of a single file's UNet, from its header (0: none found)."""
    from safetensors import safe_open

    with safe_open(str(path), "pt") as f:
        names = set(f.keys())  # a safe_open handle has no "in" of its own
        if UNET_IN not in names:
            return 0
        return int(f.get_slice(UNET_IN).get_shape()[1])


class StableDiffusionEngine(ImageEngine):
    """A diffusers pipeline behind the image engine API."""

    family = "stable-diffusion"
    takes_prompt = True
    can_encode = True  # img2img
    can_inpaint = True
    takes_loras = True
    default_steps = DEFAULT_STEPS

    def __init__(self, model_id: str, path: Path, config: Path | None = None) -> None:
        """``config``: a diffusers folder whose configuration a single-file checkpoint is
        built with, instead of the shipped one for the detected family."""
        import torch

        from engines import device

        self.model_id = model_id
        self.path = Path(path)
        self.model_file = self.path if self.path.is_file() else None  # a folder has no hash
        choice = device.current()
        self.device = choice.torch_device
        dtype = torch.float16 if choice.kind == "cuda" else torch.float32
        self.detected: SingleFileFamily | None = None  # what a single file was detected as
        self.turbo = is_turbo(self.path)
        self.default_steps, self.default_guidance = default_settings(self.turbo)
        self.pipe = self._load(self.path, dtype, config)
        self.placement = "cpu"
        if choice.kind == "cuda":
            self.placement = self._place_on_gpu()
        self.pipe.set_progress_bar_config(disable=True)
        if self.turbo and self.path.is_file():
            # A single file is built with its base's configuration; Turbo samples with
            # Euler ancestral on "trailing" timesteps (its own folder says so itself).
            from diffusers import EulerAncestralDiscreteScheduler

            self.pipe.scheduler = EulerAncestralDiscreteScheduler.from_config(
                self.pipe.scheduler.config, timestep_spacing="trailing"
            )
        self.default_scheduler = self.pipe.scheduler
        self._lora_names: dict[Path, str] = {}  # loaded LoRA file -> its adapter name

    def _place_on_gpu(self) -> str:
        """Put the pipeline on the GPU as far as its free memory allows; say how."""
        import torch

        free, _ = torch.cuda.mem_get_info()
        weights = sum(
            p.numel() * p.element_size()
            for part in self.pipe.components.values()
            if isinstance(part, torch.nn.Module)
            for p in part.parameters()
        )
        # Working memory of one picture at the native size, a rough fp16 estimate (about
        # 1 GiB at 512x512 for SD 1.x/2.x, growing with the pixel count: ~4 GiB for SDXL).
        work = 2**30 * (self.native_size() / 512) ** 2
        if free >= weights + work:
            self.pipe.to(self.device)
            return "gpu"
        if free >= weights + work / 4:
            # Attention one head at a time: slower, but its peak is a fraction.
            self.pipe.to(self.device)
            self.pipe.enable_attention_slicing()
            return "gpu, attention slicing"
        # Each network moves to the GPU only while it runs (needs accelerate).
        self.pipe.enable_model_cpu_offload()
        return "cpu offload"

    def _load(self, path: Path, dtype: torch.dtype, config: Path | None) -> Any:
        from diffusers import AutoPipelineForText2Image
        from diffusers.utils import logging as diffusers_logging
        from transformers.utils import logging as transformers_logging

        # No "Loading pipeline components" bars on stderr: the job reports progress, and
        # a failed load is one line in the terminal.
        diffusers_logging.disable_progress_bar()
        transformers_logging.disable_progress_bar()

        if path.suffix.lower() in PICKLE_SUFFIXES:
            raise BadInput(message("sd.pickle_model", name=path.name))
        if path.is_dir():
            if not (path / "model_index.json").exists():
                raise BadInput(message("sd.not_diffusers", path=path))
            try:
                return AutoPipelineForText2Image.from_pretrained(
                    str(path), dtype=dtype, local_files_only=True, safety_checker=None
                )
            except Exception as exc:
                raise BadInput(message("sd.folder_failed", name=path.name, reason=exc)) from None
        if path.suffix.lower() != ".safetensors":
            raise BadInput(message("sd.not_a_model", name=path.name))
        if not path.is_file():
            raise BadInput(message("sd.model_missing", path=path))
        if config is None:
            self.detected = detect_family(path)
            config = self.detected.config_dir
        return _load_single_file(path, dtype, config, self.detected)

    # -- LoRA --------------------------------------------------------------------------

    def set_loras(self, loras: Sequence[LoraWeight]) -> None:
        """Apply exactly these LoRA files with these weights (an empty list: none).

        A file is read once and kept as a named adapter; later calls only change which
        adapters are active and their weights, so moving a weight costs nothing."""
        if not loras:
            if self._lora_names:
                self.pipe.disable_lora()
            return
        names = [self._load_lora(Path(lora.path)) for lora in loras]
        if len(set(names)) != len(names):
            raise BadInput(message("sd.lora_twice"))
        self.pipe.enable_lora()
        self.pipe.set_adapters(names, adapter_weights=[float(lora.weight) for lora in loras])

    def unload_loras(self) -> None:
        """Take every LoRA out of the model: it is as loaded from its file again."""
        if self._lora_names:
            self.pipe.unload_lora_weights()
            self._lora_names.clear()

    def _load_lora(self, path: Path) -> str:
        key = path.resolve()
        if key in self._lora_names:
            return self._lora_names[key]
        if path.suffix.lower() in PICKLE_SUFFIXES:
            raise BadInput(message("sd.pickle_lora", name=path.name))
        if not path.is_file():
            raise BadInput(message("sd.lora_missing", path=path))
        from safetensors.torch import load_file

        try:
            state = load_file(str(path))
        except Exception as exc:
            raise BadInput(message("sd.unreadable", name=path.name, reason=exc)) from None
        # An adapter name peft accepts (no dots), unique per file.
        name = f"lora{len(self._lora_names)}_" + re.sub(r"\W", "_", path.stem)[:40]
        try:
            self.pipe.load_lora_weights(state, adapter_name=name)
        except Exception as exc:
            self._forget_adapter(name)
            raise BadInput(
                message(
                    "sd.lora_wrong", name=path.name, model=self.model_id, reason=_first_line(exc)
                )
            ) from None
        # diffusers only warns when none of the file's keys fit the model's layers.
        if not any(name in found for found in self.pipe.get_list_adapters().values()):
            raise BadInput(message("sd.lora_no_match", name=path.name, model=self.model_id))
        self._lora_names[key] = name
        return name

    def _forget_adapter(self, name: str) -> None:
        try:
            if any(name in found for found in self.pipe.get_list_adapters().values()):
                self.pipe.delete_adapters(name)
        except Exception:  # nothing was injected: there is nothing to take out
            pass

    # -- latents and pictures ------------------------------------------------------------

    @property
    def inpainting_unet(self) -> bool:
        """An inpainting checkpoint: its UNet reads 9 channels (4 of noisy latent, 1 of
        mask, 4 of the masked picture's latent), so it only draws through inpainting."""
        return int(self.pipe.unet.config.in_channels) == 9

    def latent_shape(self) -> tuple[int, ...]:
        unet = self.pipe.unet.config
        return (self.pipe.vae.config.latent_channels, unet.sample_size, unet.sample_size)

    def native_size(self) -> int:
        return int(self.pipe.unet.config.sample_size * self.pipe.vae_scale_factor)

    def decode(self, latent: torch.Tensor) -> list[Image.Image]:
        import torch

        vae = self.pipe.vae
        # SDXL's VAE overflows in fp16 (its config says force_upcast): decode in fp32, as
        # the pipelines do, then put it back.
        upcast = vae.dtype == torch.float16 and getattr(vae.config, "force_upcast", False)
        if upcast:
            vae.to(torch.float32)
        try:
            # The execution device, not vae.device: with CPU offload the VAE sits on the
            # CPU until its decode hook moves it to the GPU.
            z = latent.to(self.pipe._execution_device, vae.dtype) / vae.config.scaling_factor
            with torch.no_grad():
                x = vae.decode(z).sample
        finally:
            if upcast:
                vae.to(torch.float16)
        return self.pipe.image_processor.postprocess(x, output_type="pil")

    def encode(self, image: Image.Image) -> torch.Tensor:
        import torch

        vae = self.pipe.vae
        size = self.native_size()
        x = self.pipe.image_processor.preprocess(image.convert("RGB"), height=size, width=size)
        with torch.no_grad():
            mean = vae.encode(x.to(self.pipe._execution_device, vae.dtype)).latent_dist.mean
        return (mean * vae.config.scaling_factor).float().cpu()

    def _own_sampler(self) -> str:
        """The model's own scheduler under our name (A1111's in the recipe) when we have
        it (Karras noise levels included), else its diffusers class name."""
        scheduler = self.default_scheduler
        name = sampler_name(type(scheduler).__name__) or type(scheduler).__name__
        if name == "dpm++2m" and scheduler.config.get("use_karras_sigmas"):
            name = "dpm++2m-karras"
        return name

    def _scheduler(self, name: str | None) -> Any:
        if name is None:
            return self.default_scheduler
        if name not in SCHEDULERS:
            raise BadInput(message("sd.sampler", sampler=repr(name), choices=", ".join(SCHEDULERS)))
        import diffusers

        cls = getattr(diffusers, SCHEDULERS[name])
        return cls.from_config(self.default_scheduler.config, **SCHEDULER_OVERRIDES.get(name, {}))

    def generate(self, request: ImageRequest, ctx: JobContext) -> ImageResult:
        import torch
        from diffusers import AutoPipelineForImage2Image, AutoPipelineForInpainting
        from PIL import Image

        seed, _, notices = self._checked(request)
        size = request.size or self.native_size()
        if size % 8:
            raise BadInput(message("sd.size_multiple", size=size))
        steps = request.steps or self.default_steps
        guidance = request.guidance if request.guidance is not None else self.default_guidance
        self.pipe.scheduler = self._scheduler(request.sampler)
        self.set_loras(request.loras)
        generators = [torch.Generator("cpu").manual_seed(seed + i) for i in range(request.batch)]
        args: dict[str, Any] = {
            "prompt": [request.prompt] * request.batch,
            "negative_prompt": [request.negative_prompt] * request.batch
            if request.negative_prompt
            else None,
            "num_inference_steps": steps,
            "guidance_scale": guidance,
            "generator": generators,
        }
        total = [steps]

        def on_step(pipe: Any, step: int, timestep: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
            ctx.report(step + 1, total[0], preview=latent_preview(kwargs["latents"]))
            return kwargs

        args["callback_on_step_end"] = on_step
        edit = self._edit(request, notices)
        if edit is None and self.inpainting_unet:
            # An inpainting UNet draws from nothing as inpainting of a blank picture.
            pipe = AutoPipelineForInpainting.from_pipe(self.pipe)
            blank = Image.new("RGB", (size, size), (127, 127, 127))
            full = Image.new("L", (size, size), 255)
            args.update(image=blank, mask_image=full, height=size, width=size, strength=1.0)
        elif edit is None:
            pipe = self.pipe
            args.update(height=size, width=size)
        else:
            # The crop (the whole picture for img2img) at the native size, its aspect
            # kept by padding to multiples of 8, as the VAE and the UNet need.
            init, mask = edit.model_input(self.native_size(), multiple=8, square=False)
            init = init.convert("RGB")
            if mask is None and self.inpainting_unet:
                mask = Image.new("L", init.size, 255)  # img2img: redraw it all
            size_text = "{}x{}".format(*edit.output_size)
            strength = request.strength if request.strength is not None else 0.6
            if int(steps * strength) < 1:
                # Only steps x strength of the schedule run; none would leave the picture.
                if request.steps is not None:
                    raise BadInput(
                        message(
                            "sd.strength_steps",
                            steps=steps,
                            strength=f"{strength:g}",
                            least=math.ceil(1 / strength),
                        )
                    )
                steps = math.ceil(1 / strength)
                args["num_inference_steps"] = steps
            args.update(image=init, strength=strength)
            if mask is None:
                pipe = AutoPipelineForImage2Image.from_pipe(self.pipe)
            else:
                pipe = AutoPipelineForInpainting.from_pipe(self.pipe)
                args.update(mask_image=mask, height=init.height, width=init.width)
                if request.strength is None and edit.mask is not None:
                    args["strength"] = 1.0
            # Fewer steps run when strength < 1; the progress total says so.
            total[0] = max(1, int(steps * args["strength"]))
        pipe.set_progress_bar_config(disable=True)
        images = pipe(**args).images
        if edit is not None:
            last = len(images) - 1
            images = [edit.finish(image, last=i == last) for i, image in enumerate(images)]
        else:
            size_text = f"{size}x{size}"
        settings = {
            "Steps": steps,
            "Sampler": request.sampler or self._own_sampler(),
            "Guidance": guidance,
            "Size": size_text,
            "Strength": args.get("strength") if edit is not None else None,
            "Inpaint": "yes" if request.mask is not None or any(request.outpaint) else None,
            **edit_settings(request, edit),
        }
        params = format_parameters(
            request.prompt,
            self.model_id,
            seed,
            settings,
            loras=request.loras,
            model_hash=self.model_hash(),
        )
        return ImageResult(tuple(images), self.model_id, seed, params, tuple(notices))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__
