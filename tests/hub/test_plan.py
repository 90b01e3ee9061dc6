"""Which files a download fetches: a diffusers folder without its duplicate variants, a
Hugging Face text folder without .bin copies, one checkpoint of several (asked for)."""

from __future__ import annotations

import pytest

from engines.errors import BadInput
from engines.hub import manager
from engines.hub.client import HubClient
from tests.hub.fake_hub import FakeHub, FakeRepo


def test_diffusers_folder_keeps_one_copy_of_each_part(hub: FakeHub) -> None:
    hub.repos["acme/sd-tiny"] = FakeRepo(
        files={
            "model_index.json": b"{}",
            "unet/config.json": b"{}",
            "unet/diffusion_pytorch_model.safetensors": b"w" * 10,
            "unet/diffusion_pytorch_model.fp16.safetensors": b"w" * 5,
            "unet/diffusion_pytorch_model.bin": b"w" * 10,
            "vae/config.json": b"{}",
            "vae/diffusion_pytorch_model.safetensors": b"w" * 10,
            "sd-tiny.safetensors": b"w" * 30,  # the single-file copy of the same model
            "README.md": b"#",
        },
        licence="creativeml-openrail-m",
    )
    plan = manager.plan_download(HubClient(), "acme/sd-tiny")
    assert plan.kind == "image" and plan.target == plan.folder
    assert sorted(f.path for f in plan.files) == [
        "model_index.json",
        "unet/config.json",
        "unet/diffusion_pytorch_model.safetensors",
        "vae/config.json",
        "vae/diffusion_pytorch_model.safetensors",
    ]
    assert plan.needs_acceptance  # an OpenRAIL-M licence has use restrictions


def test_text_folder_keeps_safetensors_and_tokenizer(hub: FakeHub) -> None:
    hub.repos["acme/tiny-chat"] = FakeRepo(
        files={
            "config.json": b"{}",
            "model.safetensors": b"w" * 10,
            "pytorch_model.bin": b"w" * 10,
            "tokenizer.json": b"{}",
            "onnx/model.onnx": b"w",
        },
        licence="mit",
    )
    plan = manager.plan_download(HubClient(), "acme/tiny-chat")
    assert plan.kind == "text"
    assert sorted(f.path for f in plan.files) == [
        "config.json",
        "model.safetensors",
        "tokenizer.json",
    ]
    assert not plan.needs_acceptance


def test_several_checkpoints_ask_which(hub: FakeHub) -> None:
    hub.repos["acme/checkpoints"] = FakeRepo(
        files={"a.safetensors": b"a", "b.safetensors": b"b", "README.md": b"#"}
    )
    with pytest.raises(BadInput, match=r"pick one with --file \(a.safetensors, b.safetensors\)"):
        manager.plan_download(HubClient(), "acme/checkpoints")
    plan = manager.plan_download(HubClient(), "acme/checkpoints", file="b.safetensors")
    assert plan.kind == "image" and plan.target == plan.folder / "b.safetensors"
    with pytest.raises(BadInput, match=r"has no file 'c\.safetensors'"):
        manager.plan_download(HubClient(), "acme/checkpoints", file="c.safetensors")


def test_a_repo_of_nothing_runnable_says_so(hub: FakeHub) -> None:
    hub.repos["acme/dataset"] = FakeRepo(files={"data.csv": b"1,2"})
    with pytest.raises(BadInput, match="holds no GGUF, Hugging Face folder"):
        manager.plan_download(HubClient(), "acme/dataset")
