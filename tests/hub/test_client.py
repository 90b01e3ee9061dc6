"""The hub client against the fake hub: search, details with SHA-256s, quantisations,
the Piper catalogue, and one clear line for a missing, gated or unreachable hub."""

from __future__ import annotations

import hashlib

import pytest

from engines.errors import BadInput
from engines.hub.client import HubClient
from tests.hub.fake_hub import FakeHub


def test_endpoint_comes_from_hf_endpoint(hub: FakeHub) -> None:
    assert HubClient().base == hub.url


def test_search_filters_by_kind_and_reads_licence_and_gating(hub: FakeHub) -> None:
    found = {r.repo_id: r for r in HubClient().search("gguf", kind="gguf")}
    assert set(found) == {"acme/tiny-llama-GGUF", "acme/gated-GGUF"}
    assert found["acme/tiny-llama-GGUF"].licence == "apache-2.0"
    assert not found["acme/tiny-llama-GGUF"].gated
    assert found["acme/gated-GGUF"].gated
    assert "filter=gguf" in hub.requests[-1]
    assert HubClient().search("tiny", kind="image") == []


def test_details_list_files_with_lfs_sha256_and_quantisations(hub: FakeHub) -> None:
    details = HubClient().details("acme/tiny-llama-GGUF")
    files = {f.path: f for f in details.files}
    data = hub.repos["acme/tiny-llama-GGUF"].files["tiny-llama.Q8_0.gguf"]
    assert files["tiny-llama.Q8_0.gguf"].sha256 == hashlib.sha256(data).hexdigest()
    assert files["tiny-llama.Q8_0.gguf"].size == len(data)
    assert files["README.md"].sha256 is None  # a git file: size only
    assert set(details.quantisations()) == {"Q4_K_M", "Q8_0"}
    assert details.size == sum(len(d) for d in hub.repos["acme/tiny-llama-GGUF"].files.values())


def test_piper_catalogue_gives_language_quality_and_rate(hub: FakeHub) -> None:
    voices = HubClient().piper_voices("english")
    assert [v.key for v in voices] == ["en_US-tiny-low"]
    voice = voices[0]
    assert voice.language == "en_US"
    assert voice.language_name == "English (United States)"
    assert voice.quality == "low"
    assert voice.sample_rate == 16000
    assert {f.path.rsplit(".", 1)[-1] for f in voice.files} == {"onnx", "json"}
    assert HubClient().piper_voices("klingon") == []


def test_missing_repo_is_one_line(hub: FakeHub) -> None:
    with pytest.raises(BadInput, match=r"acme/nothing was not found .*HTTP 404"):
        HubClient().details("acme/nothing")


def test_bad_repo_name_is_refused_before_any_request(hub: FakeHub) -> None:
    with pytest.raises(BadInput, match="owner/name"):
        HubClient().details("../etc")
    assert hub.requests == []


def test_unreachable_hub_is_one_line() -> None:
    with pytest.raises(BadInput, match=r"Cannot reach the hub at http://127\.0\.0\.1:9"):
        HubClient("http://127.0.0.1:9", timeout=2).search("x")


def test_files_come_from_the_listed_commit(hub: FakeHub) -> None:
    from engines.hub import manager
    from tests.hub.fake_hub import COMMIT

    plan = manager.plan_download(HubClient(), "acme/tiny-llama-GGUF", quantisation="Q8_0")
    assert plan.revision == COMMIT
    manager.install(HubClient(), plan)
    assert f"/acme/tiny-llama-GGUF/resolve/{COMMIT}/tiny-llama.Q8_0.gguf" in hub.requests


def test_paths_that_leave_the_model_folder_are_never_listed(hub: FakeHub) -> None:
    repo = hub.repos["acme/tiny-llama-GGUF"]
    for bad in ("../escape.gguf", "/etc/evil.gguf", "a/../../b.gguf", "C:/x.gguf", "a\\b.gguf"):
        repo.files[bad] = b"GGUF"
    listed = {f.path for f in HubClient().details("acme/tiny-llama-GGUF").files}
    assert listed == {"README.md", "tiny-llama.Q4_K_M.gguf", "tiny-llama.Q8_0.gguf"}
