"""``sozo models search|files|download|remove|verify|add-folder``: the model manager.

The hub is ``HF_ENDPOINT`` (a mirror works); a gated repository wants ``HF_TOKEN``. Plain
``sozo models`` still lists the catalogue (:mod:`studio.cli.basic`).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from engines.errors import BadInput
from studio.cli.i18n import say, translate


def register(models: Any) -> None:
    actions = models.add_subparsers(dest="models_action", metavar="ACTION")

    search = actions.add_parser("search", help="search the hub for models or Piper voices")
    search.add_argument("query", help="words to look for (a name, a language for voices)")
    search.add_argument(
        "--kind", choices=("gguf", "text", "image", "voice"), default="gguf",
        help="GGUF text models (default), Hugging Face text folders, Stable Diffusion, "
        "or Piper voices",
    )  # fmt: skip
    search.add_argument("--limit", type=int, default=20, help="at most this many results")
    search.add_argument("--json", action="store_true", help="machine-readable output")
    search.set_defaults(handler=cmd_search)

    files = actions.add_parser("files", help="a repository's licence, files and quantisations")
    files.add_argument("repo", help="owner/name on the hub")
    files.add_argument("--json", action="store_true", help="machine-readable output")
    files.set_defaults(handler=cmd_files)

    download = actions.add_parser("download", help="download a model and add it to its panel")
    download.add_argument("repo", help="owner/name on the hub (rhasspy/piper-voices for voices)")
    download.add_argument("--quant", help="the GGUF quantisation to fetch (Q4_K_M, Q8_0...)")
    download.add_argument("--file", help="one file of the repository (a checkpoint)")
    download.add_argument("--voice", help="a Piper voice key (en_US-lessac-medium)")
    download.add_argument(
        "--accept-licence", action="store_true",
        help="accept the repository's licence (asked once per repository)",
    )  # fmt: skip
    download.set_defaults(handler=cmd_download)

    remove = actions.add_parser("remove", help="delete a downloaded model and its entry")
    remove.add_argument("model_id", help="the id `sozo models` lists")
    remove.set_defaults(handler=cmd_remove)

    verify = actions.add_parser("verify", help="re-hash downloaded files against the hub's")
    verify.add_argument("model_id", nargs="?", help="one model (default: all downloads)")
    verify.set_defaults(handler=cmd_verify)

    shared = actions.add_parser(
        "add-folder", help="use the models of a folder in place (ComfyUI, A1111, LM Studio)"
    )
    shared.add_argument("folder", help="the folder to scan")
    shared.set_defaults(handler=cmd_add_folder)


def _size(n: int) -> str:
    from engines.catalogue import format_size

    return format_size(n)


def cmd_search(args: argparse.Namespace) -> int:
    from engines.hub.client import HubClient

    client = HubClient()
    if args.kind == "voice":
        voices = client.piper_voices(args.query)[: args.limit]
        if args.json:
            rows = [
                {"key": v.key, "language": v.language, "language_name": v.language_name,
                 "quality": v.quality, "sample_rate": v.sample_rate, "speakers": v.speakers,
                 "size_bytes": v.size}
                for v in voices
            ]  # fmt: skip
            print(json.dumps(rows, indent=2, ensure_ascii=False))
            return 0
        for v in voices:
            print(
                f"{v.key:<36} {v.language_name:<28} {v.quality:<7} {v.sample_rate:>6} Hz "
                f"{_size(v.size):>9}"
            )
        if not voices:
            none = translate("Cli", "No Piper voice matches {query}.")
            print(none.format(query=repr(args.query)), file=sys.stderr)
        return 0
    results = client.search(args.query, kind=args.kind, limit=args.limit)
    if args.json:
        rows = [
            {"repo": r.repo_id, "licence": r.licence, "gated": r.gated,
             "downloads": r.downloads, "likes": r.likes}
            for r in results
        ]  # fmt: skip
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for r in results:
        gated = translate("Cli", "  (gated)") if r.gated else ""
        downloads = translate("Cli", "{count} downloads").format(count=f"{r.downloads:>9}")
        print(f"{r.repo_id:<56} {r.licence or '?':<16} {downloads}{gated}")
    if not results:
        none = translate("Cli", "Nothing on the hub matches {query}.")
        print(none.format(query=repr(args.query)), file=sys.stderr)
    return 0


def cmd_files(args: argparse.Namespace) -> int:
    from engines.hub.client import HubClient

    details = HubClient().details(args.repo)
    quants = details.quantisations()
    if args.json:
        data = {
            "repo": details.repo_id,
            "licence": details.licence,
            "gated": details.gated,
            "size_bytes": details.size,
            "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in details.files],
            "quantisations": {q: f.path for q, f in quants.items()},
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    gated = translate("Cli", " (gated: accept its terms on the hub)") if details.gated else ""
    licence = details.licence or translate("Cli", "none given")
    line = translate("Cli", "{repo}  licence: {licence}{gated}")
    print(line.format(repo=details.repo_id, licence=licence, gated=gated))
    for f in details.files:
        quant = f"  [{f.quantisation}]" if f.quantisation else ""
        print(f"  {_size(f.size):>9}  {f.path}{quant}")
    print(f"  {_size(details.size):>9}  " + translate("Cli", "in all"))
    return 0


def cmd_download(args: argparse.Namespace) -> int:
    from engines.hub import manager
    from engines.hub.client import HubClient
    from studio.cli import EXIT_CANCELLED, fail, job_failure, run_job_in_terminal

    client = HubClient()
    plan = manager.plan_download(client, args.repo, quantisation=args.quant, file=args.file,
                                 voice=args.voice)  # fmt: skip
    planned = translate("Cli", "{repo}: {count} file(s), {size}, licence: {licence}")
    print(planned.format(repo=plan.repo_id, count=len(plan.files), size=_size(plan.size),
                         licence=plan.licence_text), file=sys.stderr)  # fmt: skip
    if not manager.licence_accepted(plan):
        if not args.accept_licence:
            refused = translate(
                "Cli",
                "{repo} is under {licence}: read it on the hub, then run again with --accept-licence.",
            )
            raise BadInput(refused.format(repo=plan.repo_id, licence=plan.licence_text))
        manager.accept_licence(plan)
    job = run_job_in_terminal(translate("Cli", "Download"), lambda ctx: manager.install(client, plan, ctx),
                              task="system")  # fmt: skip
    if job.state.value == "cancelled":
        print(translate("Cli", "sozo: cancelled; run the same command again to resume."),
              file=sys.stderr)  # fmt: skip
        return EXIT_CANCELLED
    if job.state.value != "finished":
        return fail(job_failure(job, translate("Cli", "the download failed")))
    entry = job.result
    print(f"{entry.id}\t{plan.target}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from engines.hub import manager

    gone = manager.remove(args.model_id)
    for path in gone:
        print(translate("Cli", "deleted {path}").format(path=path))
    print(translate("Cli", "removed {model}").format(model=args.model_id))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from engines.hub import manager

    checks = manager.verify(args.model_id)
    if not checks:
        print(translate("Cli", "Nothing was downloaded by the model manager yet."), file=sys.stderr)
        return 0
    for c in checks:
        state = translate("Cli", "ok") if c.ok else translate("Cli", "BAD")
        print(f"{state:<4} {c.model_id:<28} {c.path}"
              + ("" if c.ok else f"  ({say(c.message)})"))  # fmt: skip
    bad = sum(not c.ok for c in checks)
    if bad:
        failed = translate("Cli", "{bad} of {count} downloaded file(s) failed the check.")
        raise BadInput(failed.format(bad=bad, count=len(checks)))
    return 0


def cmd_add_folder(args: argparse.Namespace) -> int:
    from engines.hub import scan

    report = scan.add_shared_folder(args.folder)
    for entry in report.imported:
        print(f"{entry.id}\t{entry.task.value}\t{entry.files[0].relpath}")
    for line in report.refused:
        print(translate("Cli", "sozo: skipped {line}").format(line=say(line)), file=sys.stderr)
    added = translate("Cli", "{added} model(s) added from {folder}, {already} listed already, {skipped} skipped.")  # fmt: skip
    print(added.format(added=len(report.imported), folder=report.folder,
                       already=len(report.already), skipped=len(report.refused)),
          file=sys.stderr)  # fmt: skip
    return 0
