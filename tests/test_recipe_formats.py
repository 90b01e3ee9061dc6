"""Recipes in the field's words: A1111's ``parameters`` text and ComfyUI's graph chunks,
written into real PNGs with Pillow and read back, and our own writer round-tripped."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from PIL import Image
from PIL.PngImagePlugin import PngInfo

from engines.imagefile import (
    LoraTag,
    Recipe,
    load_image,
    sampler_label,
    sampler_name,
    save_png,
    short_hash,
    split_lora_tags,
)

# As A1111 1.6 writes it: LoRA tags in the prompt, the Karras sampler in one name, the
# AutoV2 model hash, LoRA hashes and a hires-fix block we do not use.
A1111_PARAMETERS = (
    "masterpiece, best quality, a lighthouse on a cliff at dusk, <lora:add_detail:0.6>, "
    "dramatic sky <lora:epiNoiseoffset_v2:1>\n"
    "Negative prompt: lowres, bad anatomy, watermark\n"
    "Steps: 28, Sampler: DPM++ 2M Karras, CFG scale: 6.5, Seed: 3735928559, "
    "Size: 512x768, Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, "
    "Denoising strength: 0.45, Hires upscale: 2, Hires upscaler: Latent, "
    'Lora hashes: "add_detail: 7c6bad76eb54, epiNoiseoffset_v2: d1131f7207d6", '
    "Version: v1.6.0"
)


def _png(path: Path, **chunks: str) -> Path:
    info = PngInfo()
    for key, text in chunks.items():
        info.add_text(key, text)
    Image.new("RGB", (8, 8), "white").save(path, pnginfo=info)
    return path


def test_an_a1111_png_gives_its_sampler_loras_and_model_hash(tmp_path: Path) -> None:
    recipe = load_image(_png(tmp_path / "a1111.png", parameters=A1111_PARAMETERS)).recipe
    assert recipe is not None
    # The tags leave the prompt (our prompt box would send them to the text encoder).
    assert recipe.prompt == (
        "masterpiece, best quality, a lighthouse on a cliff at dusk, dramatic sky"
    )
    assert recipe.loras == (LoraTag("add_detail", 0.6), LoraTag("epiNoiseoffset_v2", 1.0))
    assert recipe.sampler == "dpm++2m-karras"
    assert recipe.model_hash == "6ce0161689" and recipe.model == "v1-5-pruned-emaonly"
    assert (recipe.steps, recipe.guidance, recipe.seed) == (28, 6.5, 3735928559)
    assert (recipe.width, recipe.height, recipe.strength) == (512, 768, 0.45)
    assert recipe.negative_prompt == "lowres, bad anatomy, watermark"
    assert recipe.extra["Hires upscaler"] == "Latent" and recipe.extra["Version"] == "v1.6.0"


def test_a1111_sampler_names_and_its_later_schedule_type() -> None:
    def sampler(settings: str) -> str | None:
        return Recipe.from_parameters(f"a cat\nSteps: 20, {settings}, Seed: 1").sampler

    assert sampler("Sampler: Euler a") == "euler-a"
    assert sampler("Sampler: DDIM") == "ddim"
    assert sampler("Sampler: PLMS") == "plms"
    # A1111 1.9 writes the schedule apart.
    assert sampler("Sampler: DPM++ 2M, Schedule type: Karras") == "dpm++2m-karras"
    assert sampler("Sampler: Euler, Schedule type: Automatic") == "euler"
    # One we do not have keeps its own words (so a notice can name it), not dropped.
    assert sampler("Sampler: DPM++ SDE Karras") == "DPM++ SDE Karras"
    assert sampler("Sampler: DPM++ 2M SDE, Schedule type: Exponential") == (
        "DPM++ 2M SDE Exponential"
    )
    # Older Sōzō recipes: our names and diffusers' class for "the model's own".
    assert sampler("Sampler: dpm++2m") == "dpm++2m"
    assert sampler("Sampler: EulerAncestralDiscreteScheduler") == "euler-a"
    assert [sampler_label(n) for n in ("ddim", "dpm++2m-karras", "euler-a")] == [
        "DDIM",
        "DPM++ 2M Karras",
        "Euler a",
    ]
    assert sampler_name("UniPC") is None and sampler_name("dpm++ 2m karras") == "dpm++2m-karras"


def test_lora_tag_forms() -> None:
    prompt, loras = split_lora_tags("<lora:a:0.5:0.8> a fox, <LORA:b>, in snow <lyco:c:1.2>")
    assert prompt == "a fox, in snow"
    assert loras == (LoraTag("a", 0.5), LoraTag("b", 1.0), LoraTag("c", 1.2))
    assert split_lora_tags("no tags, here,") == ("no tags, here,", ())
    # Sōzō's first format, before the A1111 words.
    old = Recipe.from_parameters('a fox\nSeed: 1, LoRA: "style.safetensors:0.8; ink.pt:1"')
    assert old.loras == (LoraTag("style", 0.8), LoraTag("ink", 1.0)) and "LoRA" not in old.extra


def test_our_recipe_round_trips_in_a1111_words(tmp_path: Path) -> None:
    recipe = Recipe(
        prompt="a paper crane, origami",
        negative_prompt="blurry",
        model="user-dreamshaper-8",
        seed=7,
        steps=30,
        guidance=7.0,
        width=512,
        height=512,
        sampler="dpm++2m-karras",
        model_hash="879db523c3",
        loras=(LoraTag("paper_style", 0.7), LoraTag("ink", -0.25)),
    )
    path = save_png(Image.new("RGBA", (8, 8)), tmp_path / "ours.png", recipe)
    with Image.open(path) as im:
        text = im.info["parameters"]
    prompt, _, settings = text.splitlines()
    assert prompt == "a paper crane, origami <lora:paper_style:0.7> <lora:ink:-0.25>"
    assert settings.startswith(
        "Steps: 30, Sampler: DPM++ 2M Karras, CFG scale: 7.0, Seed: 7, Size: 512x512, "
        "Model hash: 879db523c3, Model: user-dreamshaper-8"
    )
    assert load_image(path).recipe == recipe


def test_model_hash_is_a1111s_autov2(tmp_path: Path) -> None:
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"abc")
    assert short_hash(weights) == "ba7816bf8f"  # SHA-256("abc"), FIPS 180-2's test vector
    weights.write_bytes(b"a different model" * 1000)  # changed: not the remembered hash
    assert short_hash(weights) == hashlib.sha256(b"a different model" * 1000).hexdigest()[:10]


# A small ComfyUI API graph, as its "prompt" chunk holds it: checkpoint -> two LoRA
# loaders -> KSampler, with prompts, an empty latent, a decoder and a saver.
COMFY_PROMPT = {
    "4": {
        "class_type": "CheckpointLoaderSimple",
        "inputs": {"ckpt_name": "sd15/dreamshaper_8.safetensors"},
    },
    "10": {
        "class_type": "LoraLoader",
        "inputs": {
            "lora_name": "paper_style.safetensors",
            "strength_model": 0.7,
            "strength_clip": 0.7,
            "model": ["4", 0],
            "clip": ["4", 1],
        },
    },
    "11": {
        "class_type": "LoraLoader",
        "inputs": {
            "lora_name": "detail\\add_detail.safetensors",
            "strength_model": 0.5,
            "strength_clip": 1.0,
            "model": ["10", 0],
            "clip": ["10", 1],
        },
    },
    "6": {
        "class_type": "CLIPTextEncode",
        "inputs": {"text": "a paper crane on a desk", "clip": ["11", 1]},
    },
    "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "blurry, text", "clip": ["11", 1]}},
    "5": {
        "class_type": "EmptyLatentImage",
        "inputs": {"width": 512, "height": 640, "batch_size": 1},
    },
    "3": {
        "class_type": "KSampler",
        "inputs": {
            "seed": 156680208700286,
            "steps": 20,
            "cfg": 8.0,
            "sampler_name": "dpmpp_2m",
            "scheduler": "karras",
            "denoise": 1.0,
            "model": ["11", 0],
            "positive": ["6", 0],
            "negative": ["7", 0],
            "latent_image": ["5", 0],
        },
    },
    "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
    "9": {"class_type": "SaveImage", "inputs": {"filename_prefix": "ComfyUI", "images": ["8", 0]}},
}


def _workflow_of(prompt: dict[str, dict[str, object]]) -> dict[str, object]:
    """The same graph as the editor saves it (the "workflow" chunk): nodes with their
    settings as positional ``widgets_values`` and links as ``[id, from, slot, to, slot,
    type]``."""
    widgets = {
        "KSampler": ["seed", "control", "steps", "cfg", "sampler_name", "scheduler", "denoise"],
        "CLIPTextEncode": ["text"],
        "LoraLoader": ["lora_name", "strength_model", "strength_clip"],
        "CheckpointLoaderSimple": ["ckpt_name"],
        "EmptyLatentImage": ["width", "height", "batch_size"],
    }
    nodes, links = [], []
    for node_id, node in prompt.items():
        kind = str(node["class_type"])
        inputs = dict(node["inputs"])  # type: ignore[call-overload]
        slots = []
        for name, value in inputs.items():
            if isinstance(value, list):
                links.append([len(links) + 1, int(value[0]), value[1], int(node_id), 0, "X"])
                slots.append({"name": name, "type": "X", "link": len(links)})
        values = [inputs.get(n, "randomize") for n in widgets.get(kind, [])]
        nodes.append({"id": int(node_id), "type": kind, "inputs": slots, "widgets_values": values})
    return {"last_node_id": 11, "nodes": nodes, "links": links, "version": 0.4}


def _assert_comfy_recipe(recipe: Recipe | None) -> None:
    assert recipe is not None
    assert recipe.prompt == "a paper crane on a desk" and recipe.negative_prompt == "blurry, text"
    assert recipe.model == "dreamshaper_8" and recipe.sampler == "dpm++2m-karras"
    assert (recipe.seed, recipe.steps, recipe.guidance) == (156680208700286, 20, 8.0)
    assert (recipe.width, recipe.height, recipe.strength) == (512, 640, None)
    # In the order they are applied to the checkpoint; the folder is not part of the name.
    assert recipe.loras == (LoraTag("paper_style", 0.7), LoraTag("add_detail", 0.5))


def test_a_comfyui_png_gives_its_ksampler_prompts_and_loras(tmp_path: Path) -> None:
    workflow = json.dumps(_workflow_of(COMFY_PROMPT))
    both = _png(tmp_path / "both.png", prompt=json.dumps(COMFY_PROMPT), workflow=workflow)
    _assert_comfy_recipe(load_image(both).recipe)
    # Some tools keep only the editor's graph.
    _assert_comfy_recipe(load_image(_png(tmp_path / "workflow.png", workflow=workflow)).recipe)
    # A damaged prompt chunk falls back to the workflow.
    broken = _png(tmp_path / "broken.png", prompt="{not json", workflow=workflow)
    _assert_comfy_recipe(load_image(broken).recipe)


def test_comfyui_samplers_we_lack_keep_their_names_and_odd_graphs_give_none(
    tmp_path: Path,
) -> None:
    graph = json.loads(json.dumps(COMFY_PROMPT))
    graph["3"]["inputs"].update(sampler_name="dpmpp_sde", scheduler="karras", denoise=0.55)
    graph["3"]["inputs"]["seed"] = ["12", 0]  # from a primitive node: not a number here
    recipe = Recipe.from_comfyui(json.dumps(graph))
    assert recipe is not None
    assert recipe.sampler == "dpmpp_sde (karras)" and recipe.strength == 0.55
    assert recipe.seed is None
    graph["3"]["inputs"].update(sampler_name="euler_ancestral", scheduler="normal")
    assert Recipe.from_comfyui(json.dumps(graph)).sampler == "euler-a"  # type: ignore[union-attr]
    no_sampler = {k: v for k, v in COMFY_PROMPT.items() if k != "3"}
    assert Recipe.from_comfyui(json.dumps(no_sampler)) is None
    assert Recipe.from_comfyui("[1, 2]", "null") is None
    assert load_image(_png(tmp_path / "plain.png", Software="GIMP")).recipe is None
