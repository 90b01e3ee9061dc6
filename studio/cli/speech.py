"""``sozo speech "TEXT" -o out.wav [--voice ID | --blend ID:W,ID:W] [--speed X]``.

The format comes from the output's extension (wav, flac, ogg, mp3). Sentences are
written to the file as they are made, so a long text needs little memory and Ctrl+C
leaves a valid file with what was spoken so far.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from engines.errors import BadInput
from studio.cli.i18n import say, translate


def register(sub: Any) -> None:
    p = sub.add_parser(
        "speech",
        help="read text aloud into an audio file",
        description=(
            "Read text aloud into WAV, FLAC, OGG or MP3 (from the extension). Markup: "
            '[pause 500ms], <break time="1s"/>, [voice kokoro:jf_alpha].'
        ),
    )
    p.add_argument("text", nargs="?", help="the text; '-' or --file reads it from elsewhere")
    p.add_argument("-o", "--output", type=Path, required=False, help="the audio file to write")
    p.add_argument("-f", "--file", type=Path, help="read the text from this UTF-8 file")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--voice", help="voice id, e.g. piper:en_US-joe-medium or kokoro:jf_alpha")
    group.add_argument("--blend", help="Kokoro voice blend, e.g. jf_alpha:0.7,jm_kumo:0.3")
    p.add_argument("--speed", type=float, help="1.0 is the voice's pace; 2.0 twice as fast")
    p.add_argument("--noise-scale", type=float, help="VITS expressiveness (Piper voices)")
    p.add_argument("--noise-w", type=float, help="VITS rhythm variation (Piper voices)")
    p.add_argument("--list-voices", action="store_true", help="list the voices and exit")
    from studio.cli import add_overwrite

    add_overwrite(p)
    p.set_defaults(handler=cmd_speech)


def _read_text(args: argparse.Namespace) -> str:
    if args.file is not None:
        if args.text:
            raise BadInput(
                translate("Cli", "give the text either as an argument or with --file, not both")
            )
        try:
            return str(args.file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BadInput(
                translate("Cli", "the text file {file} does not exist").format(file=args.file)
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise BadInput(
                translate("Cli", "cannot read {file} as UTF-8 text: {reason}").format(
                    file=args.file, reason=exc
                )
            ) from None
    if args.text == "-":
        return sys.stdin.read()
    if args.text is None:
        raise BadInput(
            translate("Cli", 'give the text to speak, e.g. sozo speech "Hello." -o hello.wav')
        )
    return str(args.text)


def cmd_speech(args: argparse.Namespace) -> int:
    from engines import registry, speech
    from engines.audio import AudioWriter, format_for
    from engines.catalogue import Task
    from engines.jobs import JobContext
    from engines.safe_write import check_output
    from engines.speech.audio import ClipTags
    from engines.speech.blends import parse_blend
    from engines.speech.engine import model_for
    from engines.speech.types import SpeechRequest

    if args.list_voices:
        for v in speech.list_voices():
            state = "" if v.available else translate("Cli", "  (missing: {why})")
            print(f"{v.id:<36} {v.language:<6} {say(v.name)}{state.format(why=say(v.message))}")
        return 0
    text = _read_text(args)
    if args.output is None:
        raise BadInput(translate("Cli", "give the output file with -o, e.g. -o speech.wav"))
    format_for(args.output)  # a bad extension fails before any work
    check_output(args.output, overwrite=args.overwrite)
    blend = parse_blend(args.blend) if args.blend else {}
    request = SpeechRequest(
        text=text,
        voice_id=args.voice,
        blend=blend,
        speed=args.speed,
        noise_scale=args.noise_scale,
        noise_w=args.noise_w,
        # A file is not listened to while it is made: speak each first sentence whole
        # (the quick-start split only buys the panel its first audio sooner).
        quick_start=False,
    )
    from studio.cli import EXIT_CANCELLED, EXIT_OK, fail, job_failure, run_job_in_terminal

    # Check the request (voices, markup, settings) before creating the file.
    stream = registry.load(model_for(request), task=Task.speech).generate(request, JobContext())
    outcome: dict[str, Any] = {}

    def work(ctx: Any) -> Path:
        stream.ctx = ctx
        tags = ClipTags(text, stream.voice_label, stream.settings_summary(), request=request)
        started = time.perf_counter()
        # The file appears under its name when it is closed: whole, or (cancelled, or a
        # voice that failed half-way) with the sentences finished so far. Until then the
        # path keeps what it held; a write error keeps nothing new.
        with AudioWriter(
            args.output,
            stream.sample_rate,
            tags.as_tags(),
            overwrite=args.overwrite,
            watermark=True,  # speech is marked as synthetic (engines.audio_watermark)
            sign_model=tags.voice,  # and signed (engines.provenance)
            keep_partial=True,
        ) as writer:
            outcome["writer"] = writer
            ctx.keep_partial(args.output)
            for chunk in stream:
                writer.write(chunk.audio)
                outcome["seconds"] = writer.frames / writer.sample_rate
                if "first" not in outcome:
                    outcome["first"] = time.perf_counter() - started
                ctx.report(chunk.index + 1, None, message=f"{outcome['seconds']:.1f} s of audio")
            if not writer.frames:
                writer.discard()  # nothing spoken: no empty file, the old one stays
        outcome["elapsed"] = time.perf_counter() - started
        return Path(args.output)

    job = run_job_in_terminal(translate("Cli", "Speech"), work, task="speech")
    writer = outcome.get("writer")
    kept = writer is not None and writer.committed
    seconds = outcome.get("seconds", 0.0) if kept else 0.0
    if job.state.value == "finished" and not seconds:
        why = " ".join(say(n) for n in stream.notices) or translate(
            "Cli", "the voice cannot read this text."
        )
        return fail(translate("Cli", "nothing could be spoken. {why}").format(why=why))
    for notice in stream.notices:
        print(f"sozo: {say(notice)}", file=sys.stderr)
    if job.state.value == "cancelled":
        if seconds:
            kept_line = translate("Cli", "sozo: cancelled; kept {seconds} s of audio in {path}")
            print(kept_line.format(seconds=f"{seconds:.1f}", path=args.output), file=sys.stderr)
        else:
            print(translate("Cli", "sozo: cancelled; nothing was written"), file=sys.stderr)
        return EXIT_CANCELLED
    if job.state.value == "failed":
        # Whatever is at the output path is left alone: the user's old file, or the
        # sentences finished before the failure.
        if seconds:
            kept_line = translate("Cli", "sozo: kept {seconds} s of audio in {path}")
            print(kept_line.format(seconds=f"{seconds:.1f}", path=args.output), file=sys.stderr)
        return fail(job_failure(job, translate("Cli", "speech failed")))
    providers = ", ".join(sorted(stream.providers)) or translate("Cli", "none")
    done = translate("Cli", "{path}  {seconds} s of audio, {voice}, made in {elapsed} s on {on}")
    print(
        done.format(
            path=args.output,
            seconds=f"{seconds:.1f}",
            voice=say(stream.voice_label),
            elapsed=f"{outcome.get('elapsed', 0.0):.1f}",
            on=providers,
        )
    )
    return EXIT_OK
