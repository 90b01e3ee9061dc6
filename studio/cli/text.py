"""``sozo text``: ask a language model, the reply streamed to stdout."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from engines.errors import BadInput
from studio.cli.i18n import say, translate


def register(sub: Any) -> None:
    text = sub.add_parser("text", help="ask a local language model; the reply streams to stdout")
    text.add_argument("prompt", nargs="?", help="the message (use - to read it from stdin)")
    text.add_argument("--system", default=None, help="a system prompt")
    text.add_argument(
        "--model",
        default=None,
        help="catalogue id, or a model folder / .gguf file (default: smollm2-135m-instruct)",
    )
    text.add_argument("--max-tokens", type=int, default=None, help="most tokens in the reply")
    text.add_argument("--seed", type=int, default=None, help="same seed, same text (on CPU)")
    text.add_argument("--temperature", type=float, default=None)
    text.add_argument("--top-p", type=float, default=None)
    text.add_argument("--top-k", type=int, default=None)
    text.add_argument("--repetition-penalty", type=float, default=None)
    text.add_argument(
        "--steer",
        action="append",
        default=[],
        metavar="NAME=STRENGTH",
        help="add a steering vector, e.g. formal=0.8 or positive=-0.5 (repeatable); each "
        "has a range on each model, see --list-steering",
    )
    text.add_argument(
        "--list-steering",
        action="store_true",
        help="list the steering vectors and their strength ranges on --model, and exit",
    )
    text.set_defaults(handler=cmd_text)


def parse_steering(items: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        try:
            if not sep or not name.strip():
                raise ValueError
            out[name.strip()] = float(value)
        except ValueError:
            raise BadInput(
                translate(
                    "Cli", "--steer takes NAME=STRENGTH (e.g. formal=0.8), not {item}"
                ).format(item=repr(item))
            ) from None
    return out


def cmd_text(args: argparse.Namespace) -> int:
    from engines import registry
    from engines.catalogue import Task
    from engines.text import steering
    from engines.text.engine import DEFAULT_MODEL_ID, StreamRequest
    from engines.text.types import ChatMessage, TextRequest, TextResult

    model_id = args.model  # ranges are keyed by catalogue id: a path is not calibrated
    if args.list_steering:
        heading = translate("Cli", "Steering vectors and their strengths on {model}:")
        print(heading.format(model=model_id or DEFAULT_MODEL_ID))
        for d in steering.steering_definitions():
            mine = translate("Cli", " (yours)") if d.user else ""
            ends = f"+ {d.positive} / - {d.negative}{mine}"
            print(f"{d.name:<14} {ends:<30} {say(d.range_for(model_id).describe())}")
        return 0
    strengths = parse_steering(args.steer)
    steering.check_steering(strengths, model_id)  # before loading anything
    if args.prompt is None:
        raise BadInput(translate("Cli", "Give the message to send (or - to read it from stdin)."))
    prompt = sys.stdin.read() if args.prompt == "-" else args.prompt
    if not prompt.strip():
        raise BadInput(translate("Cli", "The prompt is empty: give the message to send."))
    messages = []
    if args.system:
        messages.append(ChatMessage("system", args.system))
    messages.append(ChatMessage("user", prompt))
    request = TextRequest(
        messages=tuple(messages),
        model_id=args.model,
        max_new_tokens=args.max_tokens,
        temperature=args.temperature,
        top_p=args.top_p,
        top_k=args.top_k,
        repetition_penalty=args.repetition_penalty,
        seed=args.seed,
        steering=strengths,
    )

    from studio.cli import EXIT_CANCELLED, job_failure, run_job_in_terminal

    def work(ctx: Any) -> TextResult | None:
        if sys.stderr.isatty():  # a pipe or a log gets the reply and the errors only
            print(translate("Cli", "Loading the model…"), file=sys.stderr, flush=True)
        engine = registry.load(request.model_id, ctx, task=Task.text)
        final = None
        for item in engine.generate(StreamRequest(request), ctx):
            if isinstance(item, TextResult):
                final = item
            else:
                sys.stdout.write(item)
                sys.stdout.flush()
        return final

    job = run_job_in_terminal(translate("Cli", "Text"), work, task="text", quiet=True)
    sys.stdout.write("\n")
    sys.stdout.flush()
    result = job.result
    if job.error:
        raise BadInput(job_failure(job, translate("Cli", "the reply failed")))
    if isinstance(result, TextResult):
        for notice in result.notices:
            print(translate("Cli", "note: {notice}").format(notice=say(notice)), file=sys.stderr)
        print(
            translate("Cli", "[{tokens} tokens, {speed} tokens/s, seed {seed}]").format(
                tokens=result.tokens, speed=f"{result.tokens_per_second:.1f}", seed=result.seed
            ),
            file=sys.stderr,
        )
    if job.state.value == "cancelled":
        return EXIT_CANCELLED
    return 0
