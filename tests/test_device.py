"""The device policy: CUDA when available, the user's override, threads, the reasons."""

from __future__ import annotations

import pytest

from engines import device
from engines.device import (
    DevicePreference,
    GpuInfo,
    HardwareReport,
    choose_device,
    default_cpu_threads,
    voice_cpu_threads,
)
from engines.errors import BadInput

CPU_ONLY = HardwareReport(
    cpu_name="Test CPU",
    logical_cpus=2,
    torch_version="2.13.0+cpu",
    cuda_note="this torch build has no CUDA support (CPU build)",
    onnx_listed_providers=("CUDAExecutionProvider", "CPUExecutionProvider"),
    onnx_cuda_loads=False,
    onnx_note="CUDA provider is listed but cannot load here",
)
WITH_GPU = HardwareReport(
    cpu_name="Test CPU",
    logical_cpus=16,
    torch_version="2.13.0",
    cuda_gpus=(GpuInfo(0, "NVIDIA H200", 130 * 2**30, 139 * 2**30),),
    cuda_note="CUDA 12.8 with 1 device(s)",
    onnx_listed_providers=("CUDAExecutionProvider", "CPUExecutionProvider"),
    onnx_cuda_loads=True,
)


def test_cpu_machine_uses_cpu_with_one_thread_and_says_why() -> None:
    choice = choose_device(CPU_ONLY)
    assert choice.kind == "cpu"
    assert choice.torch_device == "cpu"
    assert choice.threads == 1
    assert "CPU build" in choice.reason
    assert choice.onnx_providers == ("CPUExecutionProvider",)
    assert "cannot load" in choice.onnx_reason
    voices = voice_cpu_threads(choice)[0]
    expected = "CPU: Test CPU · 1 thread" + (f", voices {voices}" if voices != 1 else "")
    assert choice.summary() == expected


def test_gpu_is_chosen_automatically_and_onnx_gets_cuda_only_when_it_loads() -> None:
    choice = choose_device(WITH_GPU)
    assert choice.kind == "cuda"
    assert choice.torch_device == "cuda:0"
    assert choice.onnx_providers[0] == "CUDAExecutionProvider"
    assert "130.0 of 139.0 GiB free" in choice.summary()
    listed_only = HardwareReport(**{**WITH_GPU.__dict__, "onnx_cuda_loads": False})
    assert choose_device(listed_only).onnx_providers == ("CPUExecutionProvider",)


def test_user_can_force_cpu_on_a_gpu_machine() -> None:
    choice = choose_device(WITH_GPU, "cpu")
    assert choice.kind == "cpu"
    assert choice.reason == "CPU chosen in Settings"
    assert choice.onnx_providers == ("CPUExecutionProvider",)


def test_asking_for_cuda_without_one_warns_and_falls_back() -> None:
    choice = choose_device(CPU_ONLY, DevicePreference.cuda)
    assert choice.kind == "cpu"
    assert choice.warnings and "not usable" in choice.warnings[0]


@pytest.mark.parametrize(("cpus", "threads"), [(1, 1), (2, 1), (4, 3), (8, 4), (64, 8)])
def test_default_threads_scale_with_the_machine(cpus: int, threads: int) -> None:
    assert default_cpu_threads(cpus)[0] == threads


def test_unknown_device_is_a_readable_error() -> None:
    with pytest.raises(BadInput, match="choose auto, cpu or cuda"):
        DevicePreference.parse("tpu")


def test_report_round_trips_through_json() -> None:
    assert HardwareReport.from_json(WITH_GPU.to_json()) == WITH_GPU


def test_probe_in_a_child_process_sees_this_machine() -> None:
    """The real probe: torch and onnxruntime are installed, and this machine has no GPU
    (CI and development machines here are CPU-only)."""
    report = device.probe_hardware_in_subprocess()
    assert report.torch_version is not None
    assert report.onnxruntime_version is not None
    assert report.logical_cpus >= 1
    if not report.cuda_gpus:
        assert choose_device(report).kind == "cpu"


LIGHT_WITH_ONNX_CUDA = HardwareReport(
    cpu_name="Test CPU",
    logical_cpus=16,
    torch_probed=False,
    cuda_note="torch not loaded (ONNX Runtime only)",
    onnx_listed_providers=("CUDAExecutionProvider", "CPUExecutionProvider"),
    onnx_cuda_loads=True,
    onnx_note="CUDA provider loads",
)


def test_light_probe_uses_onnx_cuda_when_it_loads_and_the_cpu_otherwise() -> None:
    choice = choose_device(LIGHT_WITH_ONNX_CUDA)
    assert choice.kind == "cuda"
    assert choice.onnx_providers[0] == "CUDAExecutionProvider"
    assert choice.summary() == "GPU: CUDA through ONNX Runtime"
    assert choose_device(LIGHT_WITH_ONNX_CUDA, "cpu").onnx_providers == ("CPUExecutionProvider",)
    no_cuda = HardwareReport(
        **{
            **LIGHT_WITH_ONNX_CUDA.__dict__,
            "onnx_cuda_loads": False,
            "onnx_note": "CUDA provider is listed but cannot load here",
        }
    )
    fallback = choose_device(no_cuda, "cuda")
    assert fallback.kind == "cpu"
    assert any("cannot load here" in w for w in fallback.warnings)


def test_onnx_only_work_never_imports_torch() -> None:
    """``current(needs_torch=False)`` (the voices) probes without torch, in a fresh process."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from engines import device\n"
        "choice = device.current(needs_torch=False)\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
        "assert choice.onnx_providers[-1] == 'CPUExecutionProvider'\n"
        "print(choice.kind)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() in ("cpu", "cuda")
