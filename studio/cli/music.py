"""``sozo music``: sample, continue or morph melodies and write audio and MIDI."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from engines.errors import BadInput
from engines.music.instruments import INSTRUMENT_NAMES
from studio.cli.i18n import say, translate


def register(sub: Any) -> None:
    p = sub.add_parser(
        "music",
        help="make a melody (sample, continue a MIDI file, or morph one into another)",
        description=(
            "Sample a melody with the melody VAE and Transformer, continue a MIDI file, "
            "or morph one MIDI melody into another; write audio (.wav .flac .ogg .mp3) "
            "and optionally MIDI."
        ),
    )
    p.add_argument("-o", "--output", type=Path, required=True, help="audio file to write")
    p.add_argument("--midi", type=Path, help="also write the notes as a MIDI file")
    p.add_argument("--bars", type=int, default=8, help="bars to make or to add (default 8)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--temperature", type=float, default=0.9, help="0 is greedy (default 0.9)")
    p.add_argument("--instrument", default="piano", help="one of: " + ", ".join(INSTRUMENT_NAMES))
    p.add_argument(
        "--tempo",
        type=float,
        help="beats per minute (default: the file's with --continue, else 110)",
    )
    p.add_argument(
        "--accompaniment", action="store_true", help="add bass and chords in the melody's key"
    )
    p.add_argument(
        "--continue",
        dest="continue_from",
        type=Path,
        metavar="IN.mid",
        help="extend this MIDI melody by --bars bars",
    )
    p.add_argument(
        "--interpolate",
        nargs=2,
        type=Path,
        metavar=("A.mid", "B.mid"),
        help="morph melody A into melody B",
    )
    p.add_argument(
        "--steps", type=int, default=5, help="melodies from A to B with --interpolate (default 5)"
    )
    from studio.cli import add_overwrite

    add_overwrite(p)
    p.set_defaults(handler=cmd_music)


def cmd_music(args: argparse.Namespace) -> int:
    import numpy as np

    from engines import registry
    from engines.audio import FORMATS
    from engines.audio import write as write_audio
    from engines.catalogue import Task
    from engines.jobs import JobContext
    from engines.music import arrangement as arranging
    from engines.music.data import MidiPart, read_midi
    from engines.music.types import (
        SOUNDFONT_ID,
        MusicRequest,
        MusicResult,
        RenderRequest,
        check_bars,
    )
    from studio.cli import fail, job_failure, run_job_in_terminal

    arranging.instrument_program(args.instrument)  # unknown names fail before any work
    if args.tempo is not None and not 20 <= args.tempo <= 300:
        raise BadInput(
            translate("Cli", "--tempo must be between 20 and 300 BPM, not {tempo}").format(
                tempo=args.tempo
            )
        )
    if not 0 <= args.temperature <= 3:
        raise BadInput(
            translate("Cli", "--temperature must be between 0 and 3, not {value}").format(
                value=args.temperature
            )
        )
    if args.output.suffix.lower() not in FORMATS:
        raise BadInput(
            translate("Cli", "-o must end in .wav, .flac, .ogg or .mp3, not {name}").format(
                name=args.output.name
            )
        )
    from engines.safe_write import check_output

    check_output(args.output, overwrite=args.overwrite)
    if args.midi is not None:
        if args.midi.suffix.lower() not in (".mid", ".midi"):
            raise BadInput(
                translate("Cli", "--midi must end in .mid, not {name}").format(name=args.midi.name)
            )
        if args.midi.absolute() == args.output.absolute():
            raise BadInput(translate("Cli", "-o and --midi name the same file: give two names"))
        check_output(args.midi, overwrite=args.overwrite)
    if args.continue_from and args.interpolate:
        raise BadInput(translate("Cli", "use --continue or --interpolate, not both"))
    check_bars(args.bars)
    # Files are read before the job starts, so that a bad one is one line, not a failed job.
    inputs = [read_midi(p) for p in args.interpolate or [args.continue_from] if p]
    kept: tuple[MidiPart, ...] = ()
    tempo = args.tempo or 110.0
    if args.continue_from:
        read = inputs[0]
        kept, tempo = tuple(read.accompaniment), args.tempo or read.tempo_bpm
        print(translate("Cli", "Continuing {summary}.").format(summary=say(read.summary())))

    if args.interpolate:
        what = f"interpolation of {args.interpolate[0].name} into {args.interpolate[1].name} in {args.steps} steps"
    elif args.continue_from:
        what = f"{args.continue_from.name} continued by {args.bars} bars"
    else:
        what = f"{args.bars} bars sampled"
    request = MusicRequest(
        bars=args.bars,
        seed=args.seed,
        temperature=args.temperature,
        instrument=args.instrument,
        tempo_bpm=tempo,
        continue_from=args.continue_from,
        interpolate=tuple(args.interpolate) if args.interpolate else None,
        steps=args.steps,
    )

    def work(ctx: Any) -> MusicResult:
        engine = registry.load(None, ctx, task=Task.music)  # the melody models
        result: MusicResult = engine.generate(request, ctx)
        ctx.report(1, 1, message="rendering")
        return result

    job = run_job_in_terminal(translate("Cli", "Music"), work, task="music")
    if job.error:
        return fail(job_failure(job, translate("Cli", "the melody could not be made")))
    if job.result is None:
        return fail(translate("Cli", "cancelled"), 130)
    melody: MusicResult = job.result
    for notice in melody.notices:
        print(translate("Cli", "note: {notice}").format(notice=say(notice)))
    arrangement = arranging.Arrangement(
        np.asarray(melody.tokens, dtype=np.int64),
        args.instrument,
        tempo,
        args.accompaniment,
        melody.key,
        kept=kept,
    )
    settings = {
        "models": "melody-vae-2bar+melody-transformer",
        "seed": args.seed,
        "temperature": args.temperature,
        "instrument": args.instrument,
        "tempo": tempo,
        "accompaniment": args.accompaniment,
        "made": what,
    }
    soundfont = registry.load(SOUNDFONT_ID, task=Task.music)
    audio = soundfont.generate(RenderRequest(arrangement), JobContext())
    tags = {
        "title": "Sōzō Studio melody",
        "comment": arranging.describe(settings),
        "software": "Sōzō Studio",
        "recipe": _recipe(args, tempo),
    }
    write_audio(
        args.output,
        audio,
        arranging.SAMPLE_RATE,
        tags,
        overwrite=args.overwrite,
        watermark=True,  # marked and signed as made here (engines.provenance)
        sign_model="melody-vae-2bar+melody-transformer",
    )
    print(translate("Cli", "note: {notice}").format(notice=say(arranging.loudness_note(audio))))
    print(args.output)
    if args.midi:
        arranging.export_midi(
            args.midi,
            arrangement,
            title="Sōzō Studio melody",
            overwrite=args.overwrite,
            recipe=tags["recipe"],
        )
        print(args.midi)
    return 0


def _recipe(args: argparse.Namespace, tempo: float) -> str:
    """The file's recipe (engines.recipes): what the Music panel restores from it."""
    from engines.recipes import MusicRecipe

    return MusicRecipe(
        models="melody-vae-2bar+melody-transformer",
        seed=int(args.seed),
        temperature=float(args.temperature),
        instrument=args.instrument,
        tempo=round(tempo),
        bars=int(args.bars),
        accompaniment=bool(args.accompaniment),
    ).to_json()
