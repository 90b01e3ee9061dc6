"""The ``sozo`` command: opens the studio, or runs one task in the terminal.

Subcommands live in modules of this package, each with ``register(subparsers)``; they
import Qt and engines lazily so that ``sozo --version`` and ``sozo models`` are quick.
Errors are one readable line on stderr and a non-zero exit status.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Any, NoReturn

from engines import APP_NAME, __version__
from engines.errors import SozoError
from studio.cli import argparse_words
from studio.cli.help_words import TranslatedHelpFormatter
from studio.cli.i18n import say, translate

# Each module adds its subcommands. Engine issues append theirs here.
COMMAND_MODULES = (
    "studio.cli.basic",
    "studio.cli.image",
    "studio.cli.speech",
    "studio.cli.music",
    "studio.cli.text",
    "studio.cli.serve",
    "studio.cli.history",
    "studio.cli.batch",
    "studio.cli.imports",
    "studio.cli.verify",
)

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", TranslatedHelpFormatter)  # help in Japanese too
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        see = translate("Cli", "(see {prog} --help)").format(prog=self.prog)
        self.exit(EXIT_USAGE, f"{self.prog}: {message} {see}\n")


OVERWRITE_RULE = (
    "An existing output file is refused (and kept as it is) unless --overwrite is given; "
    "with --overwrite the old file stays intact until the new one is complete. A missing "
    "folder is not created."
)


def add_overwrite(parser: argparse.ArgumentParser) -> None:
    """The ``--overwrite`` flag of a command that writes files the user names."""
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace an existing output file (the old one stays until the new one is whole)",
    )
    parser.epilog = OVERWRITE_RULE


def fail(message: object, code: int = EXIT_FAILED) -> int:
    """One line on stderr (an engine's message or an exception in the locale's language)
    and the exit status ``code``."""
    print(f"sozo: {say(message)}", file=sys.stderr)
    return code


def build_parser() -> argparse.ArgumentParser:
    argparse_words.install()  # "usage:", "options:"... in the locale's language
    parser = _Parser(
        prog="sozo",
        description=f"{APP_NAME}: local generative AI. With no command, opens the studio.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--device",
        choices=("auto", "cpu", "cuda"),
        default=None,
        help="compute device for this run (default: the studio's setting, else auto)",
    )
    parser.add_argument(
        "--threads", type=int, default=None, help="CPU threads for engines (0: automatic)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def run_job_in_terminal(title: str, work: Any, *, task: str, quiet: bool = False) -> Any:
    """Run engine work as a job in this thread, showing progress on stderr.

    Ctrl+C cancels it (the job keeps its partial result). Returns the finished job.
    """
    from engines.jobs import Job, Progress

    last = [""]

    def show(progress: Progress) -> None:
        if quiet or not sys.stderr.isatty():
            return
        if progress.total:
            text = f"\r{title}: {progress.step}/{progress.total} {say(progress.message)}"
        else:
            text = f"\r{title}: {say(progress.message) or progress.step}"
        pad = max(0, len(last[0]) - len(text))
        sys.stderr.write(text + " " * pad)
        sys.stderr.flush()
        last[0] = text

    job = Job(title, work, task=task)
    job.context._on_progress = show
    job.run()
    if last[0]:
        sys.stderr.write("\n")
    return job


def studio_compute_settings() -> tuple[str, int]:
    """The device and thread count saved by the studio's Settings dialog, read without Qt;
    a bad value is its key's default, with a note on stderr naming it."""
    from engines.settings_file import read_compute_settings

    saved = read_compute_settings()
    for notice in saved.notices:
        print(translate("Cli", "sozo: note: {notice}").format(notice=say(notice)), file=sys.stderr)
    return saved.device, saved.threads


def job_failure(job: Any, fallback: str) -> str:
    """The one line for a failed job: its error, and where the traceback went if the
    failure was unexpected."""
    from engines.errorlog import with_log_note

    return with_log_note(say(job.error) or fallback, getattr(job, "log_file", None))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    from engines import errorlog

    errorlog.install()  # tracebacks go to the log file, never onto stderr
    try:
        from studio.cli.numbers import check_numbers

        check_numbers(args)  # every number option in range before any work
        from engines import device

        saved_device, saved_threads = studio_compute_settings()
        device.configure(
            args.device or saved_device,
            args.threads if args.threads is not None else saved_threads,
        )
        if args.command is None:
            from studio.app import main as open_studio

            return open_studio()
        return int(args.handler(args))
    except SozoError as exc:
        return fail(exc)
    except KeyboardInterrupt:
        return fail(translate("Cli", "cancelled"), EXIT_CANCELLED)
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a fault of ours: one line here, the traceback in the log
        import traceback

        where = errorlog.write_traceback(
            f"sozo {args.command or ''} failed", "".join(traceback.format_exception(exc))
        )
        return fail(errorlog.with_log_note(say(exc), where))
