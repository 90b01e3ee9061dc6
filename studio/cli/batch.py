"""``sozo batch FILE.toml [--ray ADDRESS|local] [--workers N] [--output DIR] [--list]``.

Runs every job a batch file describes (a prompt grid, a latent walk, a melody set, a text
read aloud chapter by chapter: :mod:`engines.batch.spec`), here or on a Ray cluster, and
writes each output with its recipe as it is made. Run the same command again after an
interruption and it goes on from where it stopped.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from studio.cli.i18n import say, translate


def register(sub: Any) -> None:
    p = sub.add_parser(
        "batch",
        help="run many jobs from a batch file, here or on Ray",
        description="Run the jobs a TOML batch file describes (kind = image-grid, "
        "image-walk, melodies or read-aloud) and write each output, with its recipe, into "
        "the batch's folder as it is made. Running it again skips the outputs already "
        "there, so an interrupted batch goes on where it stopped.",
    )
    p.add_argument("file", type=Path, help="the batch file (TOML)")
    p.add_argument(
        "--ray",
        metavar="ADDRESS",
        default=None,
        help="run on a Ray cluster: its address (ray://host:10001, or auto), or 'local' "
        "for a cluster on this machine",
    )
    p.add_argument(
        "--workers", type=int, default=None, help="Ray workers (default: 2 on a local cluster)"
    )
    p.add_argument(
        "--output", type=Path, default=None, help="the folder for the outputs (default: the file's)"
    )
    p.add_argument("--list", action="store_true", help="list the outputs it would make and exit")
    p.set_defaults(handler=cmd_batch)


def cmd_batch(args: argparse.Namespace) -> int:
    from engines.batch.run import run_local, run_ray
    from engines.batch.spec import load_batch
    from engines.errors import BadInput
    from engines.jobs import JobState
    from studio.cli import EXIT_CANCELLED, fail, run_job_in_terminal

    if args.workers is not None and args.ray is None:
        raise BadInput(translate("Cli", "--workers is for Ray: add --ray local or --ray ADDRESS"))
    batch = load_batch(args.file, output=args.output)
    if args.list:
        for item in batch.items:
            print(batch.output / item.name)
        return 0

    def work(ctx: Any) -> Any:
        if args.ray is None:
            return run_local(batch, ctx)
        return run_ray(batch, ctx, address=args.ray, workers=args.workers)

    job = run_job_in_terminal(translate("Cli", "Batch"), work, task="batch")
    if job.state is JobState.cancelled:
        return fail(
            translate("Cli", "cancelled; run the same command again to go on"), EXIT_CANCELLED
        )
    if job.state is JobState.failed:
        return fail(job.error or translate("Cli", "the batch failed"))
    print(f"{batch.output}: {say(job.result.summary())}")
    return 0
