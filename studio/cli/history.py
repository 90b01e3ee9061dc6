"""``sozo history search`` and ``sozo history show``: the studio's history, headless."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from typing import Any

from engines.errors import BadInput
from studio.cli.i18n import say, translate


def register(sub: Any) -> None:
    history = sub.add_parser("history", help="search what the studio made")
    actions = history.add_subparsers(dest="history_command", metavar="ACTION", required=True)
    from engines.history import KINDS

    search = actions.add_parser(
        "search", help="list items whose prompt, reply or script has these words"
    )
    search.add_argument("words", nargs="*", help="words to find (none: list everything)")
    search.add_argument("--kind", choices=KINDS, help="only this kind of item")
    search.add_argument("--model", help="only items made by this model id")
    search.add_argument("--since", help="only items made on or after this day (YYYY-MM-DD)")
    search.add_argument("--until", help="only items made before this day (YYYY-MM-DD)")
    search.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    search.add_argument("--json", action="store_true", help="machine-readable output")
    search.set_defaults(handler=cmd_search)

    show = actions.add_parser("show", help="everything recorded about one item")
    show.add_argument("id", help="the item's id (as search lists it)")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    show.set_defaults(handler=cmd_show)


def _day(text: str | None, option: str) -> float | None:
    if text is None:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d").timestamp()
    except ValueError:
        raise BadInput(
            translate("Cli", "{option} wants a day as YYYY-MM-DD, not {text}.").format(
                option=option, text=repr(text)
            )
        ) from None


def _open() -> Any:
    from engines.history import History

    history = History()
    if history.notice:
        print(f"sozo: {say(history.notice)}", file=sys.stderr)
    return history


def _when(created: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(created))


def cmd_search(args: argparse.Namespace) -> int:
    from engines.history import HistoryQuery
    from engines.history.store import items_json

    if args.limit < 1:
        raise BadInput(translate("Cli", "--limit must be at least 1."))
    query = HistoryQuery(
        text=" ".join(args.words),
        kind=args.kind,
        model_id=args.model,
        since=_day(args.since, "--since"),
        until=_day(args.until, "--until"),
        limit=args.limit,
    )
    with _open() as history:
        items = history.search(query)
    if args.json:
        print(items_json(items))
        return 0
    for item in items:
        missing = translate("Cli", "  (file missing)") if item.missing else ""
        line = item.first_line
        line = line if len(line) <= 60 else line[:59] + "…"
        print(f"{item.id:>6}  {_when(item.created)}  {item.kind:<6}  {line}{missing}")
    if not items:
        print(translate("Cli", "Nothing in the history matches."), file=sys.stderr)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    try:
        item_id = int(args.id)
    except ValueError:
        raise BadInput(
            translate("Cli", "A history id is a number, not {id}.").format(id=repr(args.id))
        ) from None
    with _open() as history:
        item = history.get(item_id)
    if args.json:
        print(json.dumps(item.to_json(), ensure_ascii=False, indent=1))
        return 0
    rows = [
        (translate("Cli", "id:"), str(item.id)),
        (translate("Cli", "kind:"), item.kind),
        (translate("Cli", "made:"), _when(item.created)),
        (
            translate("Cli", "model:"),
            f"{item.model_id} ({item.licence})" if item.licence else item.model_id,
        ),
        (translate("Cli", "seed:"), "" if item.seed is None else str(item.seed)),
        (translate("Cli", "device:"), item.device),
        (translate("Cli", "duration:"), "" if item.duration is None else f"{item.duration:.2f} s"),
    ]
    for f in item.files:
        gone = translate("Cli", "{file}  (missing)").format(file=f)
        rows.append((translate("Cli", "file:"), gone if f in item.missing else str(f)))
    for label, value in rows:
        if value:
            print(f"{label:<10}{value}")
    if item.prompt:
        print(translate("Cli", "prompt:") + f"\n{item.prompt}")
    if item.body and item.body != item.prompt:
        print(translate("Cli", "text:") + f"\n{item.body}")
    if item.recipe:
        print(
            translate("Cli", "recipe:")
            + "\n"
            + json.dumps(item.recipe, ensure_ascii=False, indent=1)
        )
    return 0
