"""The engines' refusals about model files, downloads and settings by message id, in
English; merged into :data:`engines.messages.MESSAGES`. Their Japanese is in the core
area's .ts (context EngineMessages), like every other engine message."""

from __future__ import annotations

MODEL_MESSAGES: dict[str, str] = {
    # -- Stable Diffusion files (engines.image.sd) --------------------------------------
    "sd.unreadable": "{name} is not a readable .safetensors file ({reason}).",
    "sd.is_lora": "{name} is a LoRA, not a model: apply it to a model as a LoRA.",
    "sd.no_unet": (
        "{name} is not a Stable Diffusion checkpoint (it has no diffusion UNet in the "
        "original layout)."
    ),
    "sd.playground": "{name} is a Playground v2.5 checkpoint, which is not supported.",
    "sd.channels": (
        "{name} is a {channels}-channel checkpoint, which is not supported: Stable Diffusion "
        "UNets read 4 channels (9 for inpainting models)."
    ),
    "sd.refiner": "{name} is an SDXL refiner, which is not supported on its own.",
    "sd.context_width": (
        "{name} is not a Stable Diffusion 1.x, 2.x or XL checkpoint (its text conditioning "
        "is {width} wide): give a diffusers folder instead."
    ),
    "sd.not_config": "{folder} is not a Stable Diffusion 1.x/2.x/XL configuration folder.",
    "sd.model_in": "the model in {folder}",
    "sd.load_failed": "{name} looked like {what} but could not be loaded ({reason}).",
    "sd.pickle_model": (
        "{name} is a pickle checkpoint, which can run code when opened: it is not loaded. "
        "Convert it to .safetensors or a diffusers folder."
    ),
    "sd.not_diffusers": "{path} is not a diffusers model folder (no model_index.json).",
    "sd.folder_failed": "{name} could not be loaded as a Stable Diffusion model ({reason}).",
    "sd.not_a_model": "{name} is not a Stable Diffusion model (.safetensors or a folder).",
    "sd.model_missing": "The model file {path} does not exist.",
    "sd.lora_twice": "The same LoRA file is listed twice: give it once, with one weight.",
    "sd.pickle_lora": (
        "{name} is a pickle file, which can run code when opened: it is not loaded. Use the "
        "LoRA's .safetensors file."
    ),
    "sd.lora_missing": "The LoRA file {path} does not exist.",
    "sd.lora_wrong": "{name} is not a LoRA for this model ({model}): {reason}",
    "sd.lora_no_match": (
        "{name} is not a LoRA for this model ({model}): none of its weights match the "
        "model's layers."
    ),
    "sd.sampler": "Unknown sampler {sampler}: choose one of {choices}.",
    "sd.size_multiple": "The picture size must be a multiple of 8 for this model, not {size}.",
    "sd.strength_steps": (
        "{steps} step(s) at strength {strength} redraw nothing: use at least {least} steps "
        "or a higher strength."
    ),
    # -- other picture models (engines.image) ------------------------------------------
    "image.cannot_use": "The {what} cannot be used: {reason}",
    "image.what.image": "image",
    "face.bad_weights": "{path} is not the face DCGAN's weights file ({reason}).",
    # -- the model hub's client (engines.hub.client) -----------------------------------
    "hub.unreachable": "Cannot reach the hub at {base}: {reason}.",
    "hub.gated": (
        "{what} is gated or private on {base} (HTTP {code}): accept its licence on the "
        "hub's page, then set HF_TOKEN to a token of your account."
    ),
    "hub.not_found": "{what} was not found on {base} (HTTP 404).",
    "hub.range_refused": "{what}: the hub refused the byte range asked for (HTTP 416).",
    "hub.http": "{what}: the hub answered HTTP {code}.",
    "hub.not_json": "{what}: the hub at {base} did not answer JSON.",
    "hub.search_kind": "Search for {kinds} or voice, not {kind}.",
    "hub.search_for": "The search for {query}",
    "hub.search_other": "The hub at {base} answered the search with something else.",
    "hub.the_repository": "The repository {repo}",
    "hub.answered_other": "{what}: the hub answered with something else.",
    "hub.piper_catalogue": "The Piper voice catalogue",
    "hub.piper_not_json": "The Piper voice catalogue is not JSON.",
    "hub.bad_repo_name": "{repo} is not a repository name: give it as owner/name.",
    # -- downloads (engines.hub.download) and shared folders (engines.hub.scan) ----------
    "hub.no_space": (
        "Not enough free space in {folder}: the download needs {needed} and {free} is free."
    ),
    "hub.kept_failing": (
        "The download of {what} kept failing ({reason}); run it again to resume from where "
        "it stopped."
    ),
    "hub.wrong_size": (
        "{what} arrived with {size} bytes, not the {listed} the hub lists: it was not kept; "
        "download it again."
    ),
    "hub.wrong_hash": (
        "{what} does not match the hub's SHA-256 (got {got}…, expected {expected}…): it was "
        "not kept; download it again."
    ),
    "hub.shared_not_folder": "Cannot use {folder} as a shared model folder: it is not a folder.",
    # -- GGUF files run by the studio's own CPU decoder (engines.text) -----------------
    "gguf.block_width": "A matrix of width {width} cannot be split into blocks of {block}.",
    "gguf.lacks_key": "The GGUF file lacks llama.{key}: it cannot be run.",
    "gguf.lacks_tensor": "The GGUF file lacks the tensor {name}: it cannot be run.",
    "gguf.no_tokenizer": "{path} has no tokenizer transformers can read: {reason}",
    "gguf.transformers_arch": (
        "{path} holds a '{arch}' model, which transformers cannot read from GGUF: {reason}"
    ),
    "gguf.load_failed": "{path} could not be loaded: {reason}",
    # -- models of the wrong task (engines.registry, engines.text.sources) -------------
    "task.a.text": "a text",
    "task.a.image": "an image",
    "task.a.music": "a music",
    "task.a.speech": "a speech",
    "registry.wrong_task": "'{model}' is {task} model, not {wanted} model.",
    # -- steering ranges (engines.text.steering) ---------------------------------------
    "steering.range": "{low} to {high} ({how})",
    "steering.calibrated": "calibrated",
    "steering.not_calibrated": "not calibrated for this model",
    "steering.out_of_range": "Steering '{name}' at {strength} is outside its range on {model}: {range}.",
    # -- the catalogue of imported models (engines.catalogue) --------------------------
    "catalogue.not_imported": "'{model}' is not an imported model; built-in models stay.",
    "catalogue.read_only": "Not changing your imported models: {reason}. Mend or move it, then try again.",
    "catalogue.reason_damaged": "the list {path} is damaged ({why})",
    "catalogue.reason_unreadable": "the list {path} cannot be read ({why})",
    "catalogue.reason_entries": "{count} entries of {path} are damaged",
    "catalogue.not_set_aside": (
        "Your list of imported models {path} is damaged ({why}) and could not be set aside "
        "({reason}): it is left as it is."
    ),
    "catalogue.set_aside": (
        "Your list of imported models was damaged ({why}): it was set aside as {name} and a "
        "new list is started."
    ),
    "catalogue.unreadable": "Your list of imported models cannot be read: {why}.",
    "catalogue.why_not_utf8": "it is not UTF-8 text",
    "catalogue.why_not_json": "not JSON: {reason}",
    "catalogue.why_not_list": "not a list of models",
    "catalogue.why_none_usable": "none of its {count} entries can be used",
    "catalogue.not_mended": (
        "{count} imported model(s) in {path} are damaged or repeat an id, and the list could "
        "not be mended ({why}): it is left as it is."
    ),
    "catalogue.left_out": (
        "{count} imported model(s) in your list were damaged or repeated an id and were left "
        "out; the list as it was is kept as {name}."
    ),
    # -- devices (engines.device) and batches (engines.batch.render) ---------------------
    "device.unknown": "Unknown device {value}: choose auto, cpu or cuda.",
    "batch.nothing_spoken": "Nothing could be spoken of chapter {chapter}: {why}",
    "batch.voice_cannot_read": "the voice cannot read it",
}
