"""Running a batch: here, one item after another, or on a Ray cluster.

Both ways write each output the moment it is made, whole or not at all
(:mod:`engines.safe_write`), under the name the batch gives it. So a batch that was
stopped (cancelled, killed, a machine lost) runs again from where it stopped: the items
whose files are there are skipped. The batch's folder holds a small manifest with the
batch's fingerprint, and a folder that another batch wrote is refused rather than mixed.

On Ray each worker is an actor holding one :class:`~engines.batch.render.Renderer`, so a
model is loaded once per worker; items go to whichever worker is free, results come back
as they finish and are written here, by the process that started the batch. A worker
that dies is restarted by Ray and its item is retried (``max_restarts``,
``max_task_retries``), so every output is written once.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engines.batch.render import Renderer, signed_by
from engines.batch.spec import Batch, BatchItem
from engines.errors import BadInput
from engines.jobs import JobContext
from engines.messages import message
from engines.provenance import sign_output
from engines.safe_write import os_error_message, write_bytes, write_text

log = logging.getLogger(__name__)

MANIFEST = ".sozo-batch.json"
LOCAL_OBJECT_STORE = 256 * 1024 * 1024  # bytes: a local cluster's share of memory

OnOutput = Callable[[BatchItem, Path], None]


@dataclass
class BatchReport:
    """What a run did: the files it wrote and those that were there already."""

    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    where: str = ""  # empty: on this machine
    notices: list[str] = field(default_factory=list)

    def summary(self) -> str:
        where = self.where or message("batch.here")
        seconds = f"{self.seconds:.1f}"
        if self.skipped:
            return message(
                "batch.summary_skipped",
                written=len(self.written),
                skipped=len(self.skipped),
                seconds=seconds,
                where=where,
            )
        return message("batch.summary", written=len(self.written), seconds=seconds, where=where)


def prepare(batch: Batch) -> list[BatchItem]:
    """Make the batch's folder (its parent must exist), check or write its manifest, and
    return the items whose outputs are not there yet."""
    out = batch.output
    if out.exists() and not out.is_dir():
        raise BadInput(message("batch.output_is_file", path=str(out)))
    if not out.parent.is_dir():
        raise BadInput(message("batch.no_parent", path=str(out), folder=str(out.parent)))
    try:
        out.mkdir(exist_ok=True)
    except OSError as exc:
        raise BadInput(os_error_message(exc, out)) from None
    manifest = out / MANIFEST
    fingerprint = batch.fingerprint()
    if manifest.exists():
        try:
            held = json.loads(manifest.read_text(encoding="utf-8")).get("fingerprint")
        except (OSError, ValueError, AttributeError):
            held = None
        if held != fingerprint:
            raise BadInput(message("batch.other_outputs", path=str(out)))
    else:
        names = {item.name for item in batch.items}
        if any(child.name in names for child in out.iterdir()):
            raise BadInput(message("batch.foreign_files", path=str(out)))
        described = {"fingerprint": fingerprint, "kind": batch.kind, "items": len(batch.items)}
        try:
            write_text(manifest, json.dumps(described, indent=1) + "\n")
        except OSError as exc:
            raise BadInput(os_error_message(exc, manifest)) from None
    return [item for item in batch.items if not (out / item.name).exists()]


def _write(batch: Batch, item: BatchItem, data: bytes) -> Path:
    """Write an item's content, signed here (engines.provenance: a renderer's output is
    the same bytes wherever it was made; its signature is made once, by this process)."""
    path = batch.output / item.name
    try:
        return write_bytes(path, sign_output(data, path, signed_by(item)))
    except FileExistsError:  # written meanwhile by another run of the same batch: it won
        raise BadInput(message("batch.written_meanwhile", path=str(path))) from None
    except OSError as exc:
        raise BadInput(os_error_message(exc, path)) from None


def run_local(
    batch: Batch,
    ctx: JobContext,
    *,
    device: str = "auto",
    on_output: OnOutput | None = None,
    renderer: Renderer | None = None,
) -> BatchReport:
    """Make every missing output in this process, one progress report per item."""
    started = time.perf_counter()
    todo = prepare(batch)
    report = BatchReport(skipped=[batch.output / i.name for i in batch.items if i not in todo])
    renderer = renderer or Renderer(batch.threads, device)
    total = len(batch.items)
    done = len(report.skipped)
    ctx.report(done, total, message=f"{done} of {total}")
    for item in todo:
        data = renderer.render(item, ctx.child())
        path = _write(batch, item, data)
        report.written.append(path)
        if on_output is not None:
            on_output(item, path)
        done += 1
        ctx.report(done, total, message=f"{done} of {total}: {item.name}")
    report.seconds = time.perf_counter() - started
    return report


# --- Ray ------------------------------------------------------------------------------


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise BadInput(message("batch.needs_ray")) from None
    return ray


class _Worker:
    """A Ray actor: one renderer, kept for the worker's life (models load once)."""

    def __init__(self, threads: int, device: str) -> None:
        self.renderer = Renderer(threads, device)

    def pid(self) -> int:
        return os.getpid()

    def render(self, item: BatchItem) -> bytes:
        return self.renderer.render(item)


def source_root() -> Path:
    """The folder holding the ``engines`` package this process runs: a local cluster's
    workers import the same code (a checkout or an installed studio)."""
    import engines

    return Path(engines.__file__).resolve().parent.parent


def check_reachable(address: str, timeout: float = 5.0) -> None:
    """A one-line error for a cluster address nobody answers at (Ray itself retries for
    minutes): ``host:port`` and ``ray://host:port`` are tried with a TCP connection."""
    import socket
    from urllib.parse import urlsplit

    if address in ("auto", "local"):
        return
    parts = urlsplit(address if "://" in address else f"gcs://{address}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host = port = None
    if not host or port is None:
        raise BadInput(message("batch.ray_address", address=repr(address)))
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        raise BadInput(message("batch.ray_unreachable", address=address, reason=why)) from None


def start_ray(address: str, workers: int) -> tuple[Any, bool]:
    """Connect to a cluster (``address``), or start a local one (``"local"``) with
    ``workers`` CPUs. Returns (ray, whether we started it)."""
    ray = _import_ray()
    check_reachable(address)
    if ray.is_initialized():
        return ray, False
    env = {"env_vars": {"PYTHONPATH": str(source_root())}}
    # Ray logs its start-up (token set-up, "Started a local Ray instance") as warnings on
    # stderr; the batch's own lines say what matters.
    logging.getLogger("ray").setLevel(logging.ERROR)
    try:
        if address == "local":
            ray.init(
                num_cpus=workers,
                include_dashboard=False,
                log_to_driver=False,
                object_store_memory=LOCAL_OBJECT_STORE,
                runtime_env=env,
                configure_logging=False,
            )
        else:
            ray.init(address=address, log_to_driver=False, configure_logging=False)
    except (ConnectionError, ValueError, RuntimeError, TimeoutError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BadInput(
            message("batch.ray_unreachable_bare", address=address, reason=first)
        ) from None
    return ray, True


def run_ray(
    batch: Batch,
    ctx: JobContext,
    *,
    address: str = "local",
    workers: int | None = None,
    device: str = "auto",
    on_output: OnOutput | None = None,
    on_workers: Callable[[list[Any]], None] | None = None,
) -> BatchReport:
    """Make every missing output on Ray; each result is written here as it arrives.

    ``workers``: how many actors (default 2 on a local cluster, else the cluster's CPUs
    divided by the batch's threads). ``on_workers`` is handed the actors once they are
    made (tests kill one to see its items retried)."""
    started = time.perf_counter()
    todo = prepare(batch)
    report = BatchReport(skipped=[batch.output / i.name for i in batch.items if i not in todo])
    total = len(batch.items)
    done = len(report.skipped)
    ctx.report(done, total, message=f"{done} of {total}: starting Ray")
    if not todo:
        report.seconds = time.perf_counter() - started
        return report
    ray, started_here = start_ray(address, workers or 2)
    actors: list[Any] = []
    try:
        if workers is None:
            cpus = int(ray.cluster_resources().get("CPU", 2))
            workers = max(1, cpus // batch.threads) if address != "local" else 2
        remote = ray.remote(num_cpus=batch.threads, max_restarts=-1, max_task_retries=-1)
        actors += [remote(_Worker).remote(batch.threads, device) for _ in range(workers)]
        if on_workers is not None:
            on_workers(actors)
        which = "batch.on_ray_one" if workers == 1 else "batch.on_ray"
        report.where = message(which, workers=workers, address=address)
        queue = list(todo)
        pending: dict[Any, tuple[Any, BatchItem]] = {}

        def give(actor: Any) -> None:
            if queue:
                item = queue.pop(0)
                pending[actor.render.remote(item)] = (actor, item)

        for actor in actors:
            give(actor)
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1, timeout=0.25)
            ctx.check()  # a cancel: the finally below stops the workers
            for ref in ready:
                actor, item = pending.pop(ref)
                try:
                    data = ray.get(ref)
                except ray.exceptions.RayTaskError as exc:
                    cause = exc.cause if isinstance(exc.cause, Exception) else exc
                    if isinstance(cause, BadInput):
                        raise cause from None
                    raise RuntimeError(f"{item.name} failed on a Ray worker: {cause}") from None
                path = _write(batch, item, data)
                report.written.append(path)
                if on_output is not None:
                    on_output(item, path)
                done += 1
                ctx.report(done, total, message=f"{done} of {total}: {item.name}")
                give(actor)
    finally:
        for actor in actors:
            ray.kill(actor)
        if started_here:
            ray.shutdown()
    report.seconds = time.perf_counter() - started
    return report
