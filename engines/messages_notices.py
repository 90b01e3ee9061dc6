"""What the engines tell a person by message id, in English, beyond refusals: why the
studio runs on the device it chose (engines.device), what a batch did, what ``sozo
verify`` found, bad compute settings, letters a voice skipped and the history database's
notices. Merged into :data:`engines.messages.MESSAGES`; the Japanese is in the core
area's .ts (context EngineMessages), like every other engine message."""

from __future__ import annotations

NOTICE_MESSAGES: dict[str, str] = {
    # -- what the probe found (engines.device, in a child process: kept by id in JSON) --
    "device.torch_missing": "torch cannot be imported: {reason}",
    "device.torch_no_cuda": "torch sees no CUDA device",
    "device.torch_cpu_build": "this torch build has no CUDA support (CPU build)",
    "device.cuda_found": "CUDA {version} with {count} device(s)",
    "device.cuda_failed": "CUDA check failed: {reason}",
    "device.torch_not_loaded": "torch not loaded (ONNX Runtime only)",
    "device.onnx_missing": "onnxruntime cannot be imported: {reason}",
    "device.onnx_no_cuda": "this ONNX Runtime has no CUDA provider",
    "device.onnx_cuda_failed": "CUDA provider failed to load: {reason}",
    "device.onnx_cuda_loads": "CUDA provider loads",
    "device.onnx_cuda_unusable": (
        "CUDA provider is listed but cannot load here (no CUDA libraries or GPU)"
    ),
    # -- the choice and its reasons (engines.device.choose_device) ---------------------
    "device.threads_settings": "{threads} set in Settings",
    "device.threads_two": (
        "1 of {logical} logical CPUs: on busy 2-core machines 2 threads ran 5-30x slower "
        "than 1 (see tests/bench/bench_threads.py)"
    ),
    "device.threads_four": "{threads} of {logical} logical CPUs: one is left for the window",
    "device.threads_half": (
        "{threads} of {logical} logical CPUs (half, capped at 8: hyper-threads share units)"
    ),
    "device.voice_threads_one": (
        "1 physical core: speaking is short bursts of work on an idle desktop"
    ),
    "device.voice_threads_many": (
        "{threads} physical cores: speaking is short bursts of work on an idle desktop"
    ),
    "device.cpu_chosen": "CPU chosen in Settings",
    "device.cuda_by_onnx": "CUDA: ONNX Runtime's CUDA provider loads",
    "device.cuda_by_torch": "CUDA device found by torch {version} ({note})",
    "device.cuda_chosen": "CUDA chosen in Settings; {reason}",
    "device.no_cuda": "no CUDA device",
    "device.no_onnx_cuda": "ONNX Runtime has no usable CUDA provider",
    "device.cpu_because": "CPU: {why}",
    "device.cuda_unusable": "CUDA was asked for but is not usable ({why}); using the CPU",
    "device.onnx_cuda": "ONNX Runtime: CUDA provider loads",
    "device.onnx_cpu": "ONNX Runtime: CPU provider ({note})",
    "device.cpu_note": "CPU chosen",
}
NOTICE_MESSAGES |= {
    # -- what a batch run did (engines.batch.run.BatchReport.summary) ------------------
    "batch.summary": "{written} written in {seconds} s ({where})",
    "batch.summary_skipped": "{written} written, {skipped} already there in {seconds} s ({where})",
    "batch.here": "here",
    "batch.on_ray_one": "Ray, 1 worker at {address}",
    "batch.on_ray": "Ray, {workers} workers at {address}",
    # -- what `sozo verify` finds (engines.credentials, engines.watermark) -------------
    "credentials.none": "no content credentials",
    "credentials.from": ", from {sources}",
    "credentials.valid": (
        "C2PA manifest by {generator}, {action}{sources}, signature valid (self-issued key)"
    ),
    "credentials.invalid": "C2PA manifest by {generator}, but it does not validate: {problems}",
    "watermark.found": "Sōzō Studio watermark found (version {version})",
    "watermark.none": "no Sōzō Studio watermark found",
}
NOTICE_MESSAGES |= {
    # -- the compute settings the CLI reads from settings.ini (engines.settings_file) -----
    "settings.unreadable": "the settings file {path} cannot be read ({reason}): using the defaults",
    "settings.bad_value": "{name}: {problem} (using the default, {default})",
    # -- letters a voice cannot read (engines.speech.text.ScriptFilter) ----------------
    "speech.skipped_letter": "Skipped a letter that {voice} cannot read: {parts}.",
    "speech.skipped_letters": "Skipped letters that {voice} cannot read: {parts}.",
}
NOTICE_MESSAGES |= {
    # -- the history database (engines.history.store) ---------------------------------
    "history.cannot_open": "The history database {path} cannot be opened: {reason}",
    "history.no_fts": "This Python's SQLite has no full-text search: searching matches words.",
    "history.why_unreadable": "it cannot be read ({reason})",
    "history.why_newer": (
        "it was written by a newer Sōzō Studio (version {version}, this one reads {reads})"
    ),
    "history.why_damaged": "it is damaged ({result})",
    "history.set_aside": (
        "The history database could not be used: {problem}. It was kept as {name} beside it, "
        "and a new history was started."
    ),
    "history.and": "{first} {then}",
}
NOTICE_MESSAGES |= {
    # -- a render's loudness (engines.audio.Loudness, engines.music.arrangement) --------
    "music.silent": "silent",
    "music.loudness_value": "{lufs} LUFS, true peak {peak} dBTP",
    "music.loudness": (
        "loudness {measured} (target {target} LUFS, EBU R128; true peak at most {peak} dBTP)"
    ),
}
