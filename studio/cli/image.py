"""``sozo image "PROMPT" -o out.png``: one picture from an image model, in the terminal."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from engines.errors import BadInput
from studio.cli.i18n import say, translate


def register(sub: Any) -> None:
    image = sub.add_parser(
        "image",
        help="make a picture from a prompt",
        description="Make a picture with an image model and write it as a PNG whose "
        "'parameters' text chunk records the prompt, model, seed and settings.",
    )
    image.add_argument("prompt", help='what to draw, e.g. "red heart" (may be empty: "")')
    image.add_argument("-o", "--output", type=Path, required=True, help="the PNG file to write")
    image.add_argument("--model", default=None, help="model id (default: emoji-ldm)")
    image.add_argument("--seed", type=int, default=None, help="same seed, same picture")
    image.add_argument("--steps", type=int, default=None, help="sampler steps (default 25)")
    image.add_argument("--guidance", type=float, default=None, help="prompt guidance (default 3)")
    image.add_argument(
        "--sampler",
        choices=("ddim", "dpm++2m", "euler", "euler-a", "lms"),
        default=None,
        help="emoji models: ddim or dpm++2m; Stable Diffusion models: any of these",
    )
    image.add_argument("--size", type=int, default=None, help="output side in pixels (default 256)")
    image.add_argument(
        "--no-upscale",
        dest="upscale",
        action="store_false",
        help="enlarge emoji models' 64-pixel pictures with Lanczos, not the learned upscaler",
    )
    image.add_argument("--init", type=Path, default=None, help="start from this picture")
    image.add_argument("--strength", type=float, default=None, help="how far from --init (0-1)")
    image.add_argument("--mask", type=Path, default=None, help="white = redraw (needs --init)")
    image.add_argument(
        "--mask-padding",
        type=int,
        default=None,
        metavar="N",
        help="pixels of context around the mask's bounding box (default 32)",
    )
    image.add_argument(
        "--mask-feather",
        type=float,
        default=None,
        metavar="R",
        help="blur radius of the mask's edge where the redrawn part meets the photo (default 8)",
    )
    image.add_argument(
        "--scale",
        type=float,
        default=None,
        metavar="S",
        help="the result's size against the --init picture (default 1: its own size)",
    )
    image.add_argument(
        "--outpaint",
        default=None,
        metavar="L,T,R,B",
        help="extend the --init picture by these pixels left, top, right, bottom",
    )
    image.add_argument(
        "--lora",
        action="append",
        default=[],
        metavar="FILE[:WEIGHT]",
        help="a LoRA .safetensors for Stable Diffusion models, weight 1 unless given; repeatable",
    )
    from studio.cli import add_overwrite

    add_overwrite(image)
    image.set_defaults(handler=cmd_image)


def parse_lora(text: str) -> Any:
    """``FILE`` or ``FILE:WEIGHT`` -> a LoraWeight (a colon inside a path stays part of it)."""
    from engines.image.types import LoraWeight

    path, _, weight = text.rpartition(":")
    if path:
        try:
            return LoraWeight(Path(path), float(weight))
        except ValueError:
            pass  # "C:\\styles\\ink.safetensors": the colon belongs to the path
    if not text:
        raise BadInput(translate("Cli", "--lora needs a file name"))
    return LoraWeight(Path(text), 1.0)


def parse_outpaint(text: str) -> tuple[int, int, int, int]:
    """``"0,0,64,0"`` -> (0, 0, 64, 0): pixels added left, top, right, bottom."""
    try:
        sides = tuple(int(part) for part in text.split(","))
    except ValueError:
        sides = ()
    if len(sides) != 4:
        raise BadInput(
            translate(
                "Cli",
                "--outpaint takes four whole numbers of pixels, left,top,right,bottom "
                "(e.g. 0,0,128,0), not {text}",
            ).format(text=repr(text))
        )
    return sides[0], sides[1], sides[2], sides[3]


def edit_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The photo-edit options given, checked (one clear line for a bad one)."""
    from engines.image import compose
    from engines.image.types import ImageRequest

    given = {
        "mask_padding": args.mask_padding,
        "mask_feather": args.mask_feather,
        "scale": args.scale,
        "outpaint": parse_outpaint(args.outpaint) if args.outpaint is not None else None,
    }
    settings = {key: value for key, value in given.items() if value is not None}
    if settings and args.init is None:
        flags = ", ".join("--" + key.replace("_", "-") for key in settings)
        raise BadInput(
            translate("Cli", "{flags} needs --init (the picture to edit)").format(flags=flags)
            if len(settings) == 1
            else translate("Cli", "{flags} need --init (the picture to edit)").format(flags=flags)
        )
    if args.mask is None:
        for key in ("mask_padding", "mask_feather"):
            if key in settings:
                raise BadInput(
                    translate("Cli", "{flag} needs --mask (the part to redraw)").format(
                        flag="--" + key.replace("_", "-")
                    )
                )
    compose.check_edit_settings(ImageRequest("", **settings))
    return settings


def cmd_image(args: argparse.Namespace) -> int:
    from engines.image.types import ImageRequest
    from engines.jobs import JobState
    from studio.cli import EXIT_CANCELLED, fail, job_failure, run_job_in_terminal

    out: Path = args.output
    if out.suffix.lower() != ".png":
        raise BadInput(
            translate(
                "Cli", "The output is a PNG: give a file name ending in .png, not {out}"
            ).format(out=out)
        )
    from engines.safe_write import check_output

    check_output(out, overwrite=args.overwrite)  # before the model loads, not after
    if args.strength is not None and args.init is None:
        raise BadInput(translate("Cli", "--strength needs --init (the picture to start from)"))
    edits = edit_settings(args)
    request = ImageRequest(
        prompt=args.prompt,
        model_id=args.model,
        seed=args.seed,
        steps=args.steps,
        guidance=args.guidance,
        sampler=args.sampler,
        size=args.size,
        upscale=None if args.upscale else False,
        init_image=args.init,
        strength=args.strength,
        mask=args.mask,
        loras=tuple(parse_lora(text) for text in args.lora),
        **edits,
    )

    def work(ctx: Any) -> Any:
        from engines import registry
        from engines.catalogue import Task

        ctx.report(0, None, message="loading the model")
        return registry.load(request.model_id, ctx, task=Task.image).generate(request, ctx)

    job = run_job_in_terminal(translate("Cli", "Image"), work, task="image")
    if job.state is JobState.cancelled:
        return fail(translate("Cli", "cancelled"), EXIT_CANCELLED)
    if job.state is JobState.failed:
        return fail(job_failure(job, translate("Cli", "the picture could not be made")))
    from engines.imagefile import write_png

    result = job.result
    for notice in result.notices:
        print(translate("Cli", "note: {notice}").format(notice=say(notice)), file=sys.stderr)
    # Marked and signed as the studio's own saves are (engines.provenance); an edit of
    # --init names it as the source it was made from.
    write_png(
        result.images[0],
        out,
        result.parameters,
        overwrite=args.overwrite,
        watermark=args.init is None,
        sign_model=request.model_id or "",
        edited_from=args.init,
    )
    print(translate("Cli", "{out} (seed {seed})").format(out=out, seed=result.seed))
    return 0
