"""What the engines say to users, by message id, so the studio can say it in Japanese.

Engines never import Qt, so they cannot translate. Instead a user-facing text is made
with :func:`message` from a template in :data:`MESSAGES` (English, with ``{name}``
fields). The result is a :class:`Message`: a ``str`` holding the English text (so the
CLI, logs, comparisons and every caller that treats it as text keep working), which also
carries its id and arguments. The studio (``studio.i18n.engine_text.render``) looks the
template up in the ``EngineMessages`` translation context and fills in the arguments;
an argument that is itself a Message is rendered the same way.

``python -m studio.i18n.update`` writes ``studio/i18n/engine_messages.py`` from this
catalogue so that lupdate extracts every template; a test checks the two agree.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from engines.messages_models import MODEL_MESSAGES
from engines.messages_notices import NOTICE_MESSAGES
from engines.messages_refusals import REFUSALS

MESSAGES: dict[str, str] = {
    # -- errors (engines.errors.describe_error) ----------------------------------------
    "error.out_of_memory": "Out of memory: try a smaller model, fewer steps, or the CPU device.",
    "error.file_not_found": "File not found: {name}",
    "error.permission_denied": "Permission denied: {name}",
    "error.internal": "Internal error ({label}): {first}",
    "error.internal_bare": "Internal error ({label})",
    # -- model availability (engines.catalogue) -----------------------------------------
    "model.available": "available",
    "model.package_missing": "the package '{package}' is not installed",
    "model.not_installed": "{name} is not installed: {why}. {hint}",
    "model.missing_file": "{name} is missing the file {path}. {hint}",
    "model.damaged": "{name}: {damage}. {hint}",
    "model.hint_pip": "Install it with: {command}",
    "model.hint_retrain": "Retrain it with: {command}",
    "model.hint_ships": "It ships in assets/; rebuild it with {command}.",
    "model.hint_reimport": "Import it again from its new place if you moved it.",
    "model.imported_from": "Imported from {path}",
    # -- the built-in models' texts (engines.catalogue.BUILTIN_MODELS) -------------------------
    "model.smollm2-135m-instruct.description": "Small chat model by Hugging Face; the embedded default for the Text panel.",
    "model.smollm2-135m-instruct.data_provenance": "Trained by Hugging Face on public web, code and maths data (SmolLM2 paper).",
    "model.piper-en-us-joe-medium.description": "English (US) male voice for Piper, 22,050 Hz.",
    "model.kokoro-82m-ja.description": "Five Japanese voices at 24 kHz whose style vectors can be blended.",
    "model.melody-vae-2bar.description": "Samples, encodes and morphs 2-bar melodies; note density, pitch range and syncopation sliders. New melodies are drawn from a kernel density over the training windows' codes (shipped with the weights), not from N(0, I).",
    "model.melody-vae-2bar.data_provenance": "music21's bundled corpus (BSD-licensed code): O'Neill's Music of Ireland (1850), Ryan's Mammoth Collection, Aird's Airs, miscFolk and the Bach chorales' soprano lines: public-domain tunes in contributed transcriptions. essenFolksong (non-commercial) is left out.",
    "model.melody-transformer.description": "Continues a melody by whole bars, conditioned on key and meter.",
    "model.melody-transformer.data_provenance": "music21's bundled corpus (BSD-licensed code): O'Neill's, Ryan's Mammoth, Aird's Airs, miscFolk and Bach chorale soprano lines, public-domain tunes. essenFolksong (non-commercial) is left out.",
    "model.fluidr3mono-gm.description": "The General MIDI instruments the Music panel plays and renders with.",
    "model.fluidr3mono-gm.data_provenance": "Fluid R3 GM samples, mono version; licence text beside the file.",
    "model.fluidr3mono-gm.install_hint": "It ships in assets/soundfonts/; Debian's fluidr3mono-gm-soundfont package has the same file.",
    "model.face-dcgan-64.description": "Faces of people who do not exist; fast latent interpolation.",
    "model.face-dcgan-64.data_provenance": "Trained on DigiFace-1M (synthetic faces rendered from consented scans), whose licence allows research and non-commercial use only.",
    "model.face-dcgan-64.licence_note": "Its training data set is licensed for non-commercial research: check that your use fits before you publish what it makes.",
    "model.emoji-ldm.description": "Small text-to-emoji model trained by the project; prompts are read by {encoder}.",
    "model.emoji-ldm.data_provenance": "Noto Color Emoji glyphs, OFL-1.1; captions from emoji names (emoji package, BSD) and Unicode emoji groups.",
    "model.emoji-ldm.install_hint": "Install its text encoder with: {command} (the weights ship in assets/; rebuild with {rebuild})",
    "model.emoji-vae.description": "Encodes and decodes emoji; smooth interpolation between them.",
    "model.emoji-vae.data_provenance": "Noto Color Emoji glyphs, OFL-1.1.",
    "model.emoji-dcgan.description": "Fast unconditional emoji sampling with GANSpace sliders.",
    "model.emoji-dcgan.data_provenance": "Noto Color Emoji glyphs, OFL-1.1.",
    "model.emoji-upscaler.description": "Enlarges the emoji models' pictures to 256x256 (on by default; {option} or the panel's Upscale switch turns it off).",
    "model.emoji-upscaler.data_provenance": "Noto Color Emoji glyphs, OFL-1.1: 64-pixel inputs and 256-pixel targets, both resampled (Lanczos) from the font's ~136-pixel bitmaps.",
    # -- voices (engines.speech) -------------------------------------------------------
    "voice.label": "{name} [{language}]",
    "voice.kokoro": "{voice} · {name}",
    "voice.blend": "{name} (blend: {blend})",
    "voice.kokoro.jf_alpha": "Alpha (female)",
    "voice.kokoro.jf_gongitsune": "Gongitsune (female)",
    "voice.kokoro.jf_nezumi": "Nezumi (female)",
    "voice.kokoro.jf_tebukuro": "Tebukuro (female)",
    "voice.kokoro.jm_kumo": "Kumo (male)",
    # -- what the shipped components are used for (engines.licences, the About box) ---
    "licences.use.noto_emoji": "training images for the emoji VAE, GAN, diffusion model, upscaler and classifier",
    "licences.use.emoji_names": "captions for the emoji models",
    "licences.use.emoji_categories": "emoji categories for captions and the classifier",
    "licences.use.music21": "training melodies for the melody VAE and Transformer (essenFolksong left out)",
    "licences.use.minilm": "reads prompts for the emoji diffusion model",
    "licences.use.clip_bpe": "tokenizer files for Stable Diffusion single-file checkpoints",
    "licences.use.espeak": "English phonemes for Piper voices; loaded as a shared library at run time",
    "licences.use.openjtalk": "Japanese readings for Kokoro voices",
    "licences.use.noto_cjk": "Japanese text in the studio's window, on machines with no Japanese font",
    "licences.use.tinysoundfont": "plays the soundfont for music",
    # -- number options' ranges (engines.validate) -------------------------------------
    "validate.whole_from": "a whole number from {low} to {high} {why}",
    "validate.whole_above": "a whole number above {low} and at most {high} {why}",
    "validate.number_from": "a number from {low} to {high} {why}",
    "validate.number_above": "a number above {low} and at most {high} {why}",
    "validate.not_a_number": "{name} takes {range}, not {value}",
    "validate.out_of_range": "{name} {value} is out of range: give {range}",
    "validate.why.threads": "(0: automatic)",
    "validate.why.port": "(0: any free one)",
    "validate.why.pixels": "pixels",
    "validate.why.mask_feather": "pixels (0: a hard edge)",
    "validate.why.scale": "(1: the picture's own size)",
    "validate.why.morph_steps": "(melodies from A to B, both included)",
    "validate.why.music_temperature": "(0 is greedy)",
    "validate.why.tempo": "beats per minute",
    "validate.why.text_temperature": "(0 always takes the likeliest token)",
    "validate.why.top_k": "(0 turns it off)",
    "validate.why.repetition_penalty": "(1 turns it off)",
    "validate.why.speed": "(1 is the voice's pace)",
    # -- progress lines (JobContext.report) -------------------------------------------
    "progress.steering": "Building steering vector ({done}/{total})",
    "progress.tokens_per_second": "{speed} tokens/s",
    "progress.reading_tokenizer": "Reading the tokenizer from {name}",
    "progress.packing_layer": "Packing the GGUF's weights (layer {layer} of {layers})",
    "progress.packing_head": "Packing the output head",
    "progress.dequantising": "Dequantising weights from the GGUF ({done}/{total} tensors)",
    "progress.reading_prompt": "reading the prompt",
    "progress.step": "step {step} of {total}",
    "progress.upscaling": "upscaling",
    "progress.upscaled": "upscaled",
    "progress.loading_model": "loading the model",
    "progress.rendering": "rendering",
    "progress.rendered": "rendered",
    "progress.loading_melody_models": "loading the melody models",
    "progress.bar": "bar {done} of {total}",
    # -- reading a MIDI file (engines.music.data) -------------------------------------
    "music.pickup_bar": "the piece starts with a pickup bar (written as {written}) before its {main} bars",
    "music.meter_changes": "the time signature changes ({order}); read as {main}, the time signature of most of the piece",
    "music.unusual_meter": "the time signature {meter} is unusual: the models know 4/4 best",
    "music.off_grid": "{count} notes of the melody were off the 16th-note grid (triplets or swing) and were rounded to it",
    "music.clamped": "{count} melody notes outside C2-B6 were clamped to that range",
    "music.bars_kept": "only the first {bars} bars were kept",
    "music.left_out": "{parts} left out: a render has room for {room} instruments besides the melody and the drums",
    "music.key_disbelieved": "the key signature says {said}, but the melody fits {fits} better; read as {fits}",
    # -- the Image panel's engines ----------------------------------------------------
    "image.scale_ignored": "The scale sizes a result against its input picture: without one it was ignored.",
    "image.prompt_ignored": "{model} does not read prompts: the prompt was ignored.",
    "image.prompt_cut": "The prompt is longer than the {pieces} word pieces the model reads: the rest was left out.",
    "image.unconditional": "The prompt is empty: this is an unconditional sample.",
    "image.vae_decodes_training": "{model} makes nothing new by itself: this is a training emoji's code, decoded. Start from a picture (img2img) or use emoji-ldm for new ones.",
    "image.mask_empty": "The mask is empty: nothing was painted, so the whole picture is redrawn (plain img2img).",
    "image.mask_full": "The mask covers the whole picture: all of it is redrawn, and nothing of the photo is kept as it was.",
    "image.layer_size": "A kept layer is {layer} but the photo is {photo}: only layers of the photo's size can be flattened over it.",
    # -- the device summary (engines.device) --------------------------------------------
    "device.gpu": "GPU: {name} · {free} of {total} GiB free",
    "device.cuda_onnx": "GPU: CUDA through ONNX Runtime",
    "device.cpu_one": "CPU: {name} · 1 thread{extra}",
    "device.cpu_many": "CPU: {name} · {threads} threads{extra}",
    "device.voices_extra": ", voices {voices}",
    # -- the Text panel's engine --------------------------------------------------------
    "text.dropped_one": (
        "Dropped the oldest message so the conversation fits the model's context of {limit} tokens."
    ),
    "text.dropped_many": (
        "Dropped the {dropped} oldest messages so the conversation fits the model's "
        "context of {limit} tokens."
    ),
    "text.prompt_too_long": (
        "The prompt is {length} tokens long but {name} reads at most {limit} tokens "
        "(with room for a reply): shorten it or split it up."
    ),
    "text.reply_limited": (
        "The reply is limited to {budget} tokens: the prompt leaves no more room in the "
        "model's context of {limit} tokens."
    ),
    # -- the history (engines.history.store) ---------------------------------------------
    "history.unknown_kind": "Unknown history kind '{kind}': one of {kinds}.",
    "history.no_such_file": "History item {item} has no file {name}.",
    "history.not_a_file": "{name} is not a file.",
    "history.no_such_item": "No history item with the id {item}.",
    # -- sampling settings (engines.text.sampling) --------------------------------------
    "text.max_tokens": "Max new tokens must be at least 1.",
    "text.temperature_negative": "Temperature cannot be negative (0 means always the likeliest token).",
    "text.top_p_range": "Top-p must be above 0 and at most 1.",
    "text.top_k_negative": "Top-k cannot be negative (0 turns it off).",
    "text.repetition_penalty": "The repetition penalty must be above 0 (1 turns it off).",
    # -- GGUF headers (engines.text.gguf_header), checked before any reader sees the file --
    "gguf.unreadable": "Cannot read {name}: {why}",
    "gguf.not_gguf": "{name} is not a GGUF file: it does not start with the GGUF signature.",
    "image.ja_read_as": "Japanese prompt read as: {reading}.",
    "image.ja_left_out": "Not known to the emoji model, left out: {words} (it knows the emoji's Japanese names, colours and common words).",
    "image.ja_none_known": "The emoji model knows none of the words in “{prompt}”: it reads the emoji's Japanese names (赤いハート, にっこり笑う猫), colours and common words, or English.",
    "gguf.damaged_version": "{name} is damaged or truncated: its header gives format version {version}, which no GGUF file has.",
    "gguf.bad_version": "{name} is a GGUF of format version {version}, which the studio cannot read (versions 2 and 3 only).",
    "gguf.truncated": "{name} is damaged or truncated: the file ends before its header or tensor data does. Download it again.",
    "gguf.absurd_header": "{name} is damaged or truncated: its header claims {what}, more than the file holds.",
    "gguf.unsupported_arch": "{name} holds a '{arch}' model, an architecture no text backend here runs.",
    "text.llamacpp_no_steering": "This model's backend (llama.cpp) does not support steering: the steering sliders are ignored.",
    **REFUSALS,
    **MODEL_MESSAGES,
    **NOTICE_MESSAGES,
}


class Message(str):
    """A user-facing text: the English string, plus the ``id`` and ``args`` it was made
    from (``str(m)`` and every string operation see the English text)."""

    id: str
    args: dict[str, Any]

    def __new__(cls, id: str, args: Mapping[str, Any] | None = None) -> Message:
        values = dict(args or {})
        self = super().__new__(cls, fill(MESSAGES[id], values))
        self.id = id
        self.args = values
        return self

    def __getnewargs__(self) -> tuple[str, dict[str, Any]]:  # type: ignore[override]
        return (self.id, self.args)  # pickling (worker processes) remakes it by id

    def __repr__(self) -> str:
        return f"message({self.id!r}, {self.args!r})"


def message(id: str, **args: Any) -> Message:
    """The catalogue's template ``id`` with ``args`` filled in (KeyError: unknown id)."""
    return Message(id, args)


def fields(template: str) -> set[str]:
    """The ``{name}`` fields of a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def fill(template: str, args: Mapping[str, Any]) -> str:
    """``template`` with its fields replaced; a missing argument is left as ``{name}`` so
    a translation that names a field wrongly still shows a readable line. The result is
    stripped (a template ending in an empty hint leaves no trailing space)."""

    class Keep(dict[str, Any]):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    return template.format_map(Keep(args)).strip()


__all__ = ["MESSAGES", "Message", "fields", "fill", "message"]
