"""Speech speed against the reference: our Piper engine vs the ``piper-tts`` package's own
synthesis of the same voice (en_US-joe-medium), side by side in one run, plus the peak
memory with both of our voice models (Piper and Kokoro) loaded.

    .venv/bin/python tests/bench/bench_speech.py [--repeats 5]

``piper-tts`` declares plain ``onnxruntime``, which must not be installed beside
``onnxruntime-gpu``; it imports fine with onnxruntime-gpu, so install it for the
benchmark only, without its dependencies:

    .venv/bin/pip install --no-deps piper-tts==1.8.0

Prints medians of real-time factor (seconds of audio per second of work; higher is
faster) and time to first audio (from the call to the first sentence's samples), and
the ratios ours/reference. Each engine runs with its own defaults: ours with the thread
count of ``engines.device`` (1 on a 2-core machine), piper-tts with ONNX Runtime's
default (all cores); the run also measures ours with the reference's thread count.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

TEXT = (
    "The library opens at nine in the morning. "
    "Visitors can borrow up to five books at a time, and return them at any branch. "
    "Dr. Reyes, who runs the archive, says the old maps are the most popular. "
    "On weekends, the reading room is quiet until noon! "
    "Would you like to sign up for a card today?"
)


def _measure(
    run: Callable[[], Iterable[Any]], rate: int, samples_of: Callable[[Any], int]
) -> tuple[float, float]:
    """(real-time factor, seconds to first audio) of one synthesis."""
    start = time.perf_counter()
    first = None
    samples = 0
    for chunk in run():
        if first is None:
            first = time.perf_counter() - start
        samples += samples_of(chunk)
    elapsed = time.perf_counter() - start
    return samples / rate / elapsed, first or elapsed


def bench_speed(repeats: int) -> dict[str, Any]:
    import onnxruntime as ort

    from engines import device
    from engines.catalogue import Catalogue
    from engines.speech.piper import PiperVoice as OurVoice

    try:
        from piper import PiperVoice as RefVoice
    except ImportError:
        raise SystemExit(
            "piper-tts is not installed: .venv/bin/pip install --no-deps piper-tts==1.8.0"
        ) from None

    onnx_path, config_path = Catalogue().get("piper-en-us-joe-medium").require()
    t = time.perf_counter()
    ours = OurVoice(onnx_path, config_path).load()
    our_load = time.perf_counter() - t
    t = time.perf_counter()
    ref = RefVoice.load(onnx_path, config_path)
    ref_load = time.perf_counter() - t
    ref_threads = ref.session.get_session_options().intra_op_num_threads  # 0: ORT default
    # Ours again with the reference's threading, to separate code from thread count.
    ours_all = OurVoice(onnx_path, config_path)
    options = ort.SessionOptions()
    ours_all._session = ort.InferenceSession(
        str(onnx_path), sess_options=options, providers=list(device.current().onnx_providers)
    )
    ours_all.provider = ours_all._session.get_providers()[0]

    rate = ours.sample_rate
    runs: dict[str, Callable[[], Iterable[Any]]] = {
        "ours": lambda: ours.synthesize(TEXT),
        "ours (ORT default threads)": lambda: ours_all.synthesize(TEXT),
        "piper-tts": lambda: ref.synthesize(TEXT),
    }
    counters: dict[str, Callable[[Any], int]] = {
        "ours": lambda c: len(c.audio),
        "ours (ORT default threads)": lambda c: len(c.audio),
        "piper-tts": lambda c: len(c.audio_float_array),
    }
    for name, run in runs.items():  # warm up: espeak data, ORT kernels
        _measure(run, rate, counters[name])
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    for _ in range(repeats):  # interleaved, so machine load hits all alike
        for name, run in runs.items():
            results[name].append(_measure(run, rate, counters[name]))
    out: dict[str, Any] = {
        "threads_ours": device.current().threads,
        "threads_reference": ref_threads or "ORT default",
        "load_s": {"ours": our_load, "piper-tts": ref_load},
        "provider": ours.provider,
    }
    for name, values in results.items():
        out[name] = {
            "rtf": statistics.median(v[0] for v in values),
            "first_audio_s": statistics.median(v[1] for v in values),
        }
    return out


def bench_memory(probe_in_child: bool) -> dict[str, Any]:
    """Peak RSS of a fresh process that loads both our voice models and speaks once each.

    ``probe_in_child``: probe the hardware in a child process, as the studio does, so that
    the device probe's torch import is not counted (the probe imports torch in-process
    when an engine asks for the device first, as the CLI does).
    """
    probe = (
        "from engines import device\ndevice.set_report(device.probe_hardware_in_subprocess())\n"
        if probe_in_child
        else ""
    )
    code = (
        "import json, resource, sys\n" + probe + "from engines import speech\n"
        "from engines.speech.types import SpeechRequest\n"
        "for text, voice in (('Hello there.', 'piper:en_US-joe-medium'), ('こんにちは。', 'kokoro:jf_alpha')):\n"
        "    list(speech.stream(SpeechRequest(text=text, voice_id=voice)))\n"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the forked copy of
        # this (large) benchmark process, which would count its memory too.
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "for line in open('/proc/self/status'):\n"
        "    if line.startswith('VmHWM:'):\n"
        "        rss = int(line.split()[1]) / 1024\n"
        "print(json.dumps({'peak_rss_mb': rss, 'torch_loaded': 'torch' in sys.modules}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else "")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    speed = bench_speed(args.repeats)
    memory = {flag: bench_memory(flag) for flag in (True, False)}
    print(f"voice en_US-joe-medium, {args.repeats} interleaved runs, median of each")
    print(
        f"provider: {speed['provider']}; threads: ours {speed['threads_ours']}, "
        f"piper-tts {speed['threads_reference']}"
    )
    print(
        f"load: ours {speed['load_s']['ours']:.2f} s, piper-tts {speed['load_s']['piper-tts']:.2f} s "
        "(ours includes the device probe on first use)"
    )
    print(f"{'engine':<28} {'real-time factor':>17} {'first audio':>12}")
    for name in ("ours", "ours (ORT default threads)", "piper-tts"):
        r = speed[name]
        print(f"{name:<28} {r['rtf']:>16.2f}x {r['first_audio_s']:>11.3f}s")
    ref = speed["piper-tts"]
    for name in ("ours", "ours (ORT default threads)"):
        r = speed[name]
        print(
            f"ratio {name}/piper-tts: speed {r['rtf'] / ref['rtf']:.2f} "
            f"(>= 1 is as fast or faster), first audio {r['first_audio_s'] / ref['first_audio_s']:.2f} "
            "(<= 1 is as soon or sooner)"
        )
    labels = {
        True: "device probed in a child, as the studio does",
        False: "device probed in-process, as the CLI does",
    }
    for flag, label in labels.items():
        m = memory[flag]
        print(
            f"peak RSS, Piper joe + Kokoro loaded ({label}; torch imported: "
            f"{m['torch_loaded']}): {m['peak_rss_mb']:.0f} MB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
