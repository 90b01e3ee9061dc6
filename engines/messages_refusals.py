"""The engines' refusals and notices by message id (BadInput texts), in English; merged
into :data:`engines.messages.MESSAGES`. Their Japanese is in the core area's .ts
(context EngineMessages), like every other engine message."""

from __future__ import annotations

REFUSALS: dict[str, str] = {
    # -- picture files given to the Image panel's photo edits (engines.image.photo_input) --
    "photo.what.init_image": "init image",
    "photo.what.mask": "mask",
    "photo.folder": "The {what} cannot be used: {name} is a folder.",
    "photo.missing": "The {what} cannot be used: {name} does not exist.",
    "photo.too_many_pixels": (
        "The {what} cannot be used: {name} is {size} pixels, too large to open safely "
        "(at most {most} megapixels)."
    ),
    "photo.too_large": "The {what} cannot be used: {name} is too large to open safely.",
    "photo.not_an_image": "The {what} cannot be used: {name} is not an image file.",
    "photo.damaged": "The {what} cannot be used: {name} is damaged or incomplete ({reason}).",
    "photo.animated": "{name} is animated ({frames} frames): using the first frame.",
    "photo.rotated": "{name} is stored rotated (EXIF orientation {orientation}): turned upright.",
    "photo.cmyk": "{name} is CMYK: converted to RGB.",
    "photo.float_samples": "{name} has floating-point samples: reduced to 8 bits.",
    "photo.deep_samples": "{name} has 16-bit (or 32-bit) samples: reduced to 8 bits.",
    "photo.palette": "{name} is a palette picture: converted to RGB.",
    "photo.palette_alpha": "{name} is a palette picture with transparency: converted to RGBA.",
    "photo.mask_scaled": (
        "The mask is {mask} but the picture is {picture}: the mask was scaled to fit."
    ),
}
REFUSALS |= {
    # -- image files a person opens or drops (engines.imagefile) -----------------------
    "imagefile.folder": "{name} is a folder: drop an image file (PNG, JPEG, WebP, GIF...).",
    "imagefile.missing": "{name} does not exist.",
    "imagefile.too_many_pixels": (
        "{name} is {size} pixels, too large to open safely (at most {most} megapixels)."
    ),
    "imagefile.bomb": "{name} is too large to open safely (a possible decompression bomb).",
    "imagefile.unreadable": "{name} is not an image file Sōzō can read.",
    "imagefile.damaged": "{name} could not be read: the file is damaged or incomplete ({reason}).",
    "imagefile.no_free_name": "Could not find a free file name in {folder}.",
    "imagefile.walk_format": "Export a walk as .gif, .mp4 or .png, not {name}.",
    "imagefile.walk_empty": "The walk has no frames to export.",
    "imagefile.exists": "{path} exists already: choose another name.",
    "imagefile.ffmpeg_failed": "Cannot write {path}: ffmpeg failed ({reason}).",
}
REFUSALS |= {
    # -- the Speech panel's engines (engines.speech) -----------------------------------
    "speech.unknown_voice": "Unknown voice {voice}. Voices: {known}",
    "speech.not_piper_file": "{name} is not a Piper voice: drop the .onnx file (with its .onnx.json).",
    "speech.import_missing": "Cannot import {path}: no such file.",
    "speech.wrong_request": (
        "The speech engine takes a SpeechRequest, LoadVoiceRequest or VoiceLoadedQuery, not {kind}."
    ),
    "speech.not_a_speech_model": "'{model}' is not a speech model.",
    "speech.speed_range": "Speed {speed} is out of range ({low} to {high}).",
    "speech.noise_scale": "Noise scale",
    "speech.noise_width": "Noise width",
    "speech.noise_range": "{label} {value} is out of range (0 to 2).",
    "speech.empty": "The text is empty: type something to be spoken.",
    "speech.nothing_to_say": (
        "The text has nothing to say: it is only punctuation, symbols or markup."
    ),
    "speech.bad_pause": "Cannot read the pause length in {markup}: write e.g. 500ms or 1.5s.",
    "speech.pause_too_long": "The pause {markup} is longer than {most} seconds.",
    "speech.no_voice_named": "{tag} names no voice: write e.g. [voice jf_alpha].",
    "blend.empty": "A blend needs at least one voice.",
    "blend.unknown_voice": "Unknown Kokoro voice {voice} in the blend; the voices are {voices}.",
    "blend.bad_weight": "The weight of {voice} must be a number of 0 or more.",
    "blend.zero": "The blend's weights add up to 0: give at least one voice a weight.",
    "blend.bad_part": "Cannot read the blend part {part}: write VOICE:WEIGHT.",
    "blend.not_a_number": "The weight in {part} is not a number.",
    "blend.bad_name": (
        "A blend name needs 1 to 48 letters, digits, spaces, dots, dashes or underscores."
    ),
    "kokoro.vocab_unreadable": "The Kokoro vocabulary {path} cannot be read: {reason}",
    "kokoro.voices_unreadable": "The Kokoro voices {path} cannot be read: {reason}",
    "kokoro.voice_shape": "{path}: the voice {name} has shape {shape}.",
    "kokoro.model_unloadable": "The Kokoro model {path} cannot be loaded: {reason}",
    "piper.config_unreadable": "The Piper voice config {path} cannot be read: {reason}",
    "piper.not_a_config": "{path} is not a Piper voice config (missing or wrong field: {reason}).",
    "piper.not_onnx": "The voice file {path} cannot be loaded as an ONNX model: {reason}",
    "piper.lacks_inputs": "{path} is not a Piper voice: it lacks the inputs {missing} (it has {has}).",
    "piper.speakers_mismatch": (
        "{config} says {speakers} speakers but {model} has one: the two files do not belong "
        "together."
    ),
    "piper.single_mismatch": (
        "{model} is a multi-speaker voice but {config} describes a single speaker: the two "
        "files do not belong together."
    ),
    "piper.no_speaker": "The voice {voice} has no speaker {speaker}; it has {speakers}.",
}
REFUSALS |= {
    # -- the Music panel's engines (engines.music) -------------------------------------
    "music.unknown_instrument": "unknown instrument {name}: choose one of {known}",
    "music.midi_suffix": "a MIDI file name ends in .mid, not {name}",
    "music.no_folder": "the folder {folder} does not exist",
    "music.morph_steps": "--steps must be at least 2 (A and B themselves)",
    "music.no_corpus": (
        "the melody corpus {path} is missing: run `python engines/music/build_dataset.py` "
        "(needs `pip install music21`)"
    ),
    "music.file_missing": "{path} does not exist",
    "music.not_midi": "{name} is not a readable MIDI file ({reason})",
    "music.only_drums": "{name} has only drums (channel 10): there is no melody in it",
    "music.no_notes": "{name} has no notes",
    "music.code_shapes": (
        "melodies A and B have codes of different shapes ({a} and {b}): cut them to the "
        "same length first"
    ),
    "music.makes_melodies": (
        "{model} makes melodies; it cannot take {kind} (renders go to {soundfont})."
    ),
    "music.plays_arrangements": (
        "{model} plays arrangements; it cannot take {kind} (melodies come from melody-transformer)."
    ),
    "music.continue_bars": "continue by at least one bar",
    "music.melody_empty": "the melody is empty",
    "music.morph_bars": "melodies A and B must have the same number of bars to morph",
    "music.bars_range": "bars must be between 1 and {most}, not {bars}",
    # -- writing sound files (engines.audio) -------------------------------------------
    "audio.suffix": (
        "cannot write {name}: the file name must end in .wav, .flac, .ogg, .opus or .mp3"
    ),
    "audio.no_folder": "Cannot write {path}: the folder {folder} does not exist.",
    "audio.opus_rate": "Cannot write {name}: Opus takes audio at {rates} kHz, not {rate} Hz.",
    "audio.encoder_failed": "Cannot write {path}: the encoder failed ({reason}).",
    "audio.discarded": "The unfinished sound file was discarded.",
}
REFUSALS |= {
    # -- the Text panel's engines (engines.text) ---------------------------------------
    "text.prompt_empty": "The prompt is empty: type a message first.",
    "text.wrong_request": "{model} writes text replies: it cannot do a {kind}.",
    "text.not_a_conversation": "{source} is not a Sōzō conversation: {reason}",
    "text.cannot_read": "Cannot read {path}: {reason}",
    "text.tokenizer_unreadable": "The tokenizer or config of {source} cannot be read: {reason}",
    "text.preset_needs_text": "A preset template needs {text} where your text goes.",
    "text.no_tokenizer": "{folder} has no usable tokenizer: {reason}",
    "text.not_causal_run": (
        "{folder} is not a causal language model that transformers can run: {reason}"
    ),
    "text.load_failed": "{folder} could not be loaded: {reason}",
    "text.not_gguf": "{path} is not a GGUF file (it does not start with the GGUF signature).",
    "text.gguf_damaged": "{path} is damaged or truncated: the GGUF reader stopped with {reason}",
    "text.no_config": (
        "{folder} is not a Hugging Face model folder: it has no config.json. Choose the "
        "folder that holds config.json and the weights, or a .gguf file."
    ),
    "text.config_unreadable": "{path} cannot be read: {reason}",
    "text.config_not_model": "{path} does not hold a model configuration.",
    "text.not_causal": (
        "{folder} holds a {architectures} model, not a causal language model: the Text "
        "panel needs a model that generates text (…ForCausalLM)."
    ),
    "steering.unknown": "No steering vector named '{name}'. Known: {known}",
    "steering.bad_name": "A steering vector's name may use letters, digits, - and _ (up to 40).",
    "steering.two_pairs": "Give at least two pairs of contrasting texts for a steering vector.",
    "steering.shipped": "'{name}' is a shipped steering vector: choose another name.",
}
REFUSALS |= {
    # -- batch files (engines.batch.spec) ----------------------------------------------
    "batch.missing": "The batch file {path} does not exist.",
    "batch.folder": "{path} is a folder, not a batch file.",
    "batch.not_utf8": "{name} is not UTF-8 text: a batch file is TOML.",
    "batch.not_toml": "{name} is not valid TOML: {reason}.",
    "batch.cannot_read": "Cannot read {path}: {reason}.",
    "batch.kind": "kind must be one of {kinds}, not {kind}.",
    "batch.nothing": "The batch makes nothing: give at least one prompt, seed or chapter.",
    "batch.unknown_key": "Unknown key in the batch file: {keys}.",
    "batch.not_text": "{key} must be text in quotes, not {value}.",
    "batch.needs_texts": "The batch needs {key} (a list of texts).",
    "batch.texts_in_quotes": "{key} must be a list of texts in quotes.",
    "batch.needs_seeds": "The batch needs seeds: a list, or {example}.",
    "batch.seeds_range": "seeds takes from and count, e.g. {example}.",
    "batch.seeds_most": "seeds go up to {most}.",
    "batch.seed_twice": "seeds lists a seed twice: each output would be made twice.",
    "batch.not_whole": "{key} must be a whole number, not {value}.",
    "batch.between": "{key} must be between {low} and {high}, not {value}.",
    "batch.not_number": "{key} must be a number, not {value}.",
    "batch.too_many": "The batch would make {count} files; the most one batch makes is {most}.",
    "batch.walk_seeds": "An image walk needs from_seed and to_seed.",
    "batch.music_format": "format must be mid, wav or flac, not {format}.",
    "batch.bad_pattern": "chapter_pattern is not a valid regular expression: {reason}.",
    "batch.needs_text_file": "A read-aloud batch needs text_file (a UTF-8 text file).",
    "batch.text_missing": "The text file {path} does not exist.",
    "batch.text_not_utf8": "{name} is not UTF-8 text.",
    "batch.speech_format": "format must be wav or flac, not {format}.",
}
REFUSALS |= {
    # -- the Image panel's engines (engines.image) -------------------------------------
    "image.no_encoder": "The model {model} cannot encode pictures (it has no encoder).",
    "image.no_directions": "The model {model} has no latent directions.",
    "image.inpaint_needs_init": (
        "Inpainting needs the picture to paint into (--init) as well as the mask."
    ),
    "image.cannot_inpaint": "The model {model} cannot inpaint.",
    "image.cannot_img2img": "The model {model} cannot start from a picture.",
    "image.no_loras": "The model {model} does not take LoRA files.",
    "image.strength": "Strength must be above 0 and at most 1, not {value}.",
    "image.steps": "Steps must be between 1 and 1000, not {value}.",
    "image.batch": "Make between 1 and 64 pictures at a time, not {value}.",
    "image.size": "The picture size must be between 32 and {most} pixels, not {value}.",
    "image.outpaint_needs_init": "Outpainting needs the picture to extend (--init).",
    "image.cannot_outpaint": "The model {model} cannot outpaint (it cannot inpaint).",
    "image.mask_nothing": "The mask is empty: paint over the part to redraw.",
    "image.mask_padding": "The mask padding must be between 0 and {most} pixels, not {value}.",
    "image.mask_feather": "The mask feather must be between 0 and {most} pixels, not {value}.",
    "image.scale": "The scale must be between {low} and {high}, not {value}.",
    "image.outpaint": (
        "Outpainting adds 0 to {most} pixels on each side (left, top, right, bottom), not {value}."
    ),
    "image.result_too_large": (
        "The result would be {size} pixels, more than {most} megapixels: use a smaller scale."
    ),
    "image.latent_needs": "A latent needs a picture to encode or a seed.",
    "image.no_prompt_walk": "{model} cannot walk between prompts.",
    "image.wrong_request": "{model} cannot do a {kind}.",
    "image.pad_weights": "Give one weight for each corner of the pad.",
    "image.upscaler_only": (
        "{model} enlarges pictures, it does not draw them: choose a model that draws "
        "(e.g. emoji-ldm)."
    ),
    "image.kind.vae": "VAE",
    "image.kind.diffusion": "diffusion",
    "image.kind.gan": "GAN",
    "image.bad_weights": "{path} is not a supported {kind} weights file ({reason}).",
    "image.walk_prompts": "Both results need a prompt to walk between their prompts.",
    "image.sampler": "Unknown sampler {sampler}: choose ddim or dpm++2m.",
    "image.guidance": "Guidance must be between 0 and 30, not {value}.",
    "image.no_direction": "{model} has no latent direction number {index}.",
}
REFUSALS |= {
    # -- downloads from the model hub (engines.hub.manager) and model ids (engines.registry)
    "hub.no_files": "The repository {repo} holds no files.",
    "hub.no_such_file": "{repo} has no file {file}.",
    "hub.pick_quant": "{repo} offers {count} quantisations: pick one with --quant ({quants}).",
    "hub.no_quant": "{repo} has no {quant} file: it offers {quants}.",
    "hub.pick_file": "{repo} holds several checkpoints: pick one with --file ({names}).",
    "hub.nothing_runs": (
        "{repo} holds no GGUF, Hugging Face folder, diffusers folder or checkpoint that the "
        "studio runs."
    ),
    "hub.piper_repo": "Piper voices come from {piper}, not {repo}.",
    "hub.no_piper_voice": "No Piper voice {key} in the catalogue (close: {near}).",
    "hub.piper_no_onnx": "The Piper voice {key} lists no .onnx file.",
    "hub.piper_files": "The hub does not list both files of the Piper voice {key}.",
    "hub.accept_licence": (
        "{repo} is under {licence}: read it and accept it first (--accept-licence, or the "
        "Models window)."
    ),
    "hub.not_downloaded": "'{model}' was not downloaded by the model manager.",
    "registry.give_model": "Give a model id (no task was named to choose its default).",
    "registry.unknown_model": "No model with the id '{model}'. Known: {known}",
    "registry.no_engine": "No engine runs '{model}' (engine module: {module}).",
    "registry.no_option": "The engine of '{model}' takes no option {names}.",
}
REFUSALS |= {
    # -- running batches (engines.batch.run) -------------------------------------------
    "batch.output_is_file": "The batch's output {path} is a file, not a folder.",
    "batch.no_parent": "Cannot make {path}: the folder {folder} does not exist.",
    "batch.other_outputs": (
        "{path} holds the outputs of another batch (or a changed one): give this batch "
        "another output folder."
    ),
    "batch.foreign_files": (
        "{path} holds files with this batch's names that it did not write: give the batch "
        "another output folder."
    ),
    "batch.written_meanwhile": "{path} was written by another run of this batch meanwhile.",
    "batch.needs_ray": (
        "Batches on Ray need the ray package: pip install 'sozo-studio[ray]' (or pip install "
        "ray), here and on every machine of the cluster."
    ),
    "batch.ray_address": (
        "{address} is not a Ray address: give host:port, ray://host:port, auto or local."
    ),
    "batch.ray_unreachable": "Cannot reach the Ray cluster at {address}: {reason}.",
    "batch.ray_unreachable_bare": "Cannot reach the Ray cluster at {address}: {reason}",
    # -- writing a file the user named (engines.safe_write) -----------------------------
    "write.folder": "Cannot write {path}: it is a folder; give a file name.",
    "write.no_folder": "Cannot write {path}: the folder {folder} does not exist.",
    "write.parent_is_file": "Cannot write {path}: {folder} is a file, not a folder.",
    "write.not_regular": "Cannot write {path}: it is not a regular file.",
    "write.busy": "Cannot write {path}: another process is writing it right now.",
    "write.no_temp_name": "Cannot write {path}: no free temporary name beside it.",
    # -- importing models (engines.imports) --------------------------------------------
    "import.no_engine": "No import for the engine {module}.",
    "import.not_diffusers": (
        "{name} is not a diffusers folder (it has no model_index.json): give the folder "
        "that holds it, or a .safetensors checkpoint."
    ),
    "import.not_checkpoint": "{name} is not a .safetensors checkpoint or a diffusers folder.",
    "import.kind": "Import a {kinds} model, not {kind}.",
    "import.missing": "Cannot import {path}: no such file or folder.",
    "import.not_added": "{name} was not added to the list of models.",
}
