"""Downloads from the fake hub: installed and listed, resumed after a dropped connection
or a stopped run, refused when corrupt (nothing kept), gated, missing, cancelled fast,
then verified and removed."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import namedtuple
from pathlib import Path

import pytest

from engines import paths
from engines.catalogue import Catalogue, Task
from engines.errors import BadInput
from engines.hub import manager
from engines.hub.client import HubClient
from engines.jobs import Cancelled, JobContext
from tests.hub.fake_hub import FakeHub

REPO = "acme/tiny-llama-GGUF"
BIG = "tiny-llama.Q4_K_M.gguf"


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_gguf_quantisation_is_downloaded_checked_and_listed(hub: FakeHub) -> None:
    client = HubClient()
    plan = manager.plan_download(client, REPO, quantisation="q4_k_m")
    assert [f.path for f in plan.files] == [BIG]
    reports: list[str] = []
    ctx = JobContext(on_progress=lambda p: reports.append(p.message))
    entry = manager.install(client, plan, ctx)
    path = paths.models_dir() / "acme__tiny-llama-GGUF" / BIG
    assert path.read_bytes() == hub.repos[REPO].files[BIG]
    assert any(" of " in r for r in reports)  # bytes done of total, rate, time left
    listed = Catalogue().get(entry.id)
    assert listed.task is Task.text
    assert listed.licence == "apache-2.0"
    assert Path(listed.files[0].relpath) == path.resolve()
    assert [c.ok for c in manager.verify(entry.id)] == [True]
    assert not _files_under(paths.models_dir() / ".partial")


def test_a_gguf_repo_needs_a_quantisation_choice(hub: FakeHub) -> None:
    with pytest.raises(BadInput, match=r"pick one with --quant \(Q4_K_M, Q8_0\)"):
        manager.plan_download(HubClient(), REPO)
    with pytest.raises(BadInput, match="has no Q2_K file"):
        manager.plan_download(HubClient(), REPO, quantisation="Q2_K")


def test_dropped_connection_is_resumed_with_a_range(hub: FakeHub) -> None:
    hub.faults.cut_after, hub.faults.cuts_left = 40_000, 2
    plan = manager.plan_download(HubClient(), REPO, quantisation="Q4_K_M")
    manager.install(HubClient(), plan)
    assert hub.faults.ranges_asked == ["bytes=40000-", "bytes=80000-"]
    final = plan.folder / BIG
    assert hashlib.sha256(final.read_bytes()).hexdigest() == plan.files[0].sha256


def test_a_stopped_run_resumes_where_it_left(hub: FakeHub) -> None:
    hub.faults.cut_after, hub.faults.cuts_left = 20_000, 99  # every try is cut: give up
    plan = manager.plan_download(HubClient(), REPO, quantisation="Q4_K_M")
    with pytest.raises(BadInput, match=r"kept failing.*run it again to resume"):
        manager.install(HubClient(), plan)
    assert not (plan.folder / BIG).exists()  # a partial never has the final name
    parts = _files_under(paths.models_dir() / ".partial")
    assert len(parts) == 1 and parts[0].stat().st_size == 4 * 20_000
    hub.faults.cuts_left = 0
    hub.faults.ranges_asked.clear()
    manager.install(HubClient(), plan)  # a new run, as after a killed process
    assert hub.faults.ranges_asked == ["bytes=80000-"]
    assert (plan.folder / BIG).read_bytes() == hub.repos[REPO].files[BIG]


def test_a_hub_that_ignores_the_range_starts_over(hub: FakeHub) -> None:
    hub.faults.cut_after, hub.faults.cuts_left = 30_000, 1
    hub.faults.ignore_range = True
    plan = manager.plan_download(HubClient(), REPO, quantisation="Q4_K_M")
    manager.install(HubClient(), plan)
    assert (plan.folder / BIG).read_bytes() == hub.repos[REPO].files[BIG]


def test_corrupt_file_is_refused_and_nothing_is_kept(hub: FakeHub) -> None:
    hub.faults.corrupt = True
    plan = manager.plan_download(HubClient(), REPO, quantisation="Q8_0")
    with pytest.raises(BadInput, match=r"does not match the hub's SHA-256.*not kept"):
        manager.install(HubClient(), plan)
    assert _files_under(paths.models_dir()) == []
    assert not any(e.id.startswith("user-") for e in Catalogue().all())


def test_file_gone_from_the_hub_is_one_line(hub: FakeHub) -> None:
    plan = manager.plan_download(HubClient(), REPO, quantisation="Q8_0")
    del hub.repos[REPO].files["tiny-llama.Q8_0.gguf"]
    with pytest.raises(BadInput, match=r"tiny-llama.Q8_0.gguf was not found .*HTTP 404"):
        manager.install(HubClient(), plan)


@pytest.mark.parametrize("code", [401, 403])
def test_denied_download_says_gated_and_how(hub: FakeHub, code: int) -> None:
    plan = manager.plan_download(HubClient(), REPO, quantisation="Q8_0")
    hub.faults.deny[REPO] = code
    with pytest.raises(BadInput, match=rf"gated or private .*HTTP {code}.*HF_TOKEN"):
        manager.install(HubClient(), plan)


def test_gated_repo_needs_acceptance_remembered_per_repo(hub: FakeHub) -> None:
    plan = manager.plan_download(HubClient(), "acme/gated-GGUF")
    assert plan.needs_acceptance and "gated" in plan.licence_text
    with pytest.raises(BadInput, match=r"is under other .*accept it first"):
        manager.install(HubClient(), plan)
    manager.accept_licence(plan)
    again = manager.plan_download(HubClient(), "acme/gated-GGUF")
    assert manager.licence_accepted(again)
    assert manager.install(HubClient(), again).task is Task.text
    other = manager.plan_download(HubClient(), REPO, quantisation="Q8_0")
    assert not other.needs_acceptance  # apache-2.0: nothing to accept


def test_cancel_stops_within_half_a_second(hub: FakeHub) -> None:
    hub.faults.delay_per_chunk = 0.05  # 16 chunks: about 0.8 s for the whole file
    plan = manager.plan_download(HubClient(), REPO, quantisation="Q4_K_M")
    ctx = JobContext()
    started = threading.Event()
    ctx_progress = JobContext(on_progress=lambda p: started.set(), cancel_event=ctx._cancel)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            manager.install(HubClient(), plan, ctx_progress)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    assert started.wait(10)
    asked = time.monotonic()
    ctx.cancel()
    thread.join(5)
    assert time.monotonic() - asked < 0.5
    assert len(errors) == 1 and isinstance(errors[0], Cancelled)
    assert not (plan.folder / BIG).exists()
    # Stopped in the middle: the partial is kept, short, for the next run to resume.
    [part] = _files_under(paths.models_dir() / ".partial")
    assert 0 < part.stat().st_size < plan.files[0].size


def test_no_room_on_disk_is_refused_before_starting(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr("shutil.disk_usage", lambda p: usage(10**9, 10**9, 1000))
    plan = manager.plan_download(HubClient(), REPO, quantisation="Q8_0")
    with pytest.raises(BadInput, match="Not enough free space"):
        manager.install(HubClient(), plan)
    assert not any(r.startswith("/acme/tiny-llama-GGUF/resolve") for r in hub.requests)


def test_piper_voice_is_downloaded_with_its_config_and_listed(hub: FakeHub) -> None:
    plan = manager.plan_download(HubClient(), "rhasspy/piper-voices", voice="en_US-tiny-low")
    assert sorted(Path(f.path).name for f in plan.files) == [
        "en_US-tiny-low.onnx",
        "en_US-tiny-low.onnx.json",
    ]
    entry = manager.install(HubClient(), plan)
    assert entry.task is Task.speech
    assert plan.target.is_file() and plan.target.with_suffix(".onnx.json").is_file()
    with pytest.raises(BadInput, match="No Piper voice 'xx_XX-none'"):
        manager.plan_download(HubClient(), "rhasspy/piper-voices", voice="xx_XX-none")


def test_verify_finds_a_changed_file_and_remove_deletes_all(hub: FakeHub) -> None:
    plan = manager.plan_download(HubClient(), REPO, quantisation="Q8_0")
    entry = manager.install(HubClient(), plan)
    final = plan.folder / plan.files[0].path
    data = bytearray(final.read_bytes())
    data[-1] ^= 1
    final.write_bytes(bytes(data))
    [check] = manager.verify(entry.id)
    assert not check.ok and "SHA-256" in check.message
    gone = manager.remove(entry.id)
    assert gone == [str(final)]
    assert not plan.folder.exists()
    assert entry.id not in {e.id for e in Catalogue().all()}
    assert manager.read_manifest() == {}
    with pytest.raises(BadInput, match="was not downloaded by the model manager"):
        manager.remove(entry.id)
