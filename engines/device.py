"""Device policy, in one place: which device engines run on, with how many threads, and why.

* CUDA when torch sees a CUDA device, else CPU; the user can override ("cpu" or "cuda").
* For ONNX Runtime, the CUDA provider only when it really loads: onnxruntime-gpu lists
  CUDAExecutionProvider even where its libraries cannot load, so we open a tiny model
  with it and look at which provider the session actually got.
* CPU threads: on small machines one thread. On this project's busy 2-core machines torch
  with 2 threads ran 5-30x slower than with 1 (oversubscription with whatever else is
  running); ``tests/bench/bench_threads.py`` measures it. Bigger machines get half their
  logical cores (hyper-threads share execution units), capped at 8.

Probing imports torch and onnxruntime, which the window must not do at start, so the
studio runs :func:`probe_hardware` in a child process (``python -m engines.device``) and
engines call :func:`current` from their ``load()``.
"""

from __future__ import annotations

import enum
import json
import os
import platform
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass, field
from importlib import resources
from typing import Any

from engines import validate
from engines.errors import BadInput
from engines.messages import Message, message


class DevicePreference(enum.Enum):
    """What the user asked for in Settings or with ``--device``."""

    auto = "auto"
    cpu = "cpu"
    cuda = "cuda"

    @classmethod
    def parse(cls, value: str | DevicePreference | None) -> DevicePreference:
        if isinstance(value, DevicePreference):
            return value
        if not value:
            return cls.auto
        try:
            return cls(value.strip().lower())
        except ValueError:
            raise BadInput(message("device.unknown", value=repr(value))) from None


@dataclass(frozen=True)
class GpuInfo:
    index: int
    name: str
    free_bytes: int
    total_bytes: int


_NOTES = ("torch_error", "cuda_note", "onnx_note")  # the probe's texts for a person


@dataclass(frozen=True)
class HardwareReport:
    """What this machine offers, as found by :func:`probe_hardware`."""

    cpu_name: str
    logical_cpus: int
    torch_version: str | None = None
    torch_error: str | None = None
    cuda_gpus: tuple[GpuInfo, ...] = ()
    cuda_note: str = ""
    onnxruntime_version: str | None = None
    onnxruntime_package: str | None = None
    onnx_listed_providers: tuple[str, ...] = ()
    onnx_cuda_loads: bool = False
    onnx_note: str = ""
    # False for the light probe that ONNX-only work uses (torch is never imported there).
    torch_probed: bool = True

    def to_json(self) -> str:
        data = asdict(self)
        for key in _NOTES:  # a note keeps its message id, to be said in Japanese
            if isinstance(getattr(self, key), Message):
                data[key] = {"message": getattr(self, key).id, "args": getattr(self, key).args}
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> HardwareReport:
        data: dict[str, Any] = json.loads(text)
        for key in _NOTES:
            if isinstance(data.get(key), dict):
                data[key] = Message(data[key]["message"], data[key]["args"])
        data["cuda_gpus"] = tuple(GpuInfo(**g) for g in data.get("cuda_gpus", ()))
        data["onnx_listed_providers"] = tuple(data.get("onnx_listed_providers", ()))
        return cls(**data)


@dataclass(frozen=True)
class DeviceChoice:
    """The device engines will use, and the reasons, shown in the status bar."""

    kind: str  # "cuda" or "cpu"
    name: str  # GPU or CPU model name
    reason: str
    threads: int
    threads_reason: str
    gpu: GpuInfo | None = None
    onnx_providers: tuple[str, ...] = ("CPUExecutionProvider",)
    onnx_reason: str = ""
    warnings: tuple[str, ...] = field(default_factory=tuple)
    threads_from_settings: bool = False  # the user set ``threads``; every engine obeys it

    @property
    def torch_device(self) -> str:
        return "cuda:0" if self.kind == "cuda" else "cpu"

    def summary(self) -> str:
        """Short text for a status bar."""
        if self.kind == "cuda" and self.gpu is not None:
            free = f"{self.gpu.free_bytes / 2**30:.1f}"
            total = f"{self.gpu.total_bytes / 2**30:.1f}"
            return message("device.gpu", name=self.name, free=free, total=total)
        if self.kind == "cuda":
            return message("device.cuda_onnx")
        # The voices take every physical core (voice_cpu_threads); say so when it differs.
        voices, _ = voice_cpu_threads(self)
        extra = message("device.voices_extra", voices=voices) if voices != self.threads else ""
        which = "device.cpu_one" if self.threads == 1 else "device.cpu_many"
        return message(which, name=self.name, threads=self.threads, extra=extra)


def logical_cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def physical_cpu_count(sysfs_cpus: str = "/sys/devices/system/cpu") -> int:
    """Physical cores among the CPUs this process may use (hyper-thread siblings once).

    Falls back to the logical count where the topology cannot be read (not Linux).
    ``sysfs_cpus`` is where the kernel's CPU topology is read (a test points it at a made-up
    one)."""
    try:
        cpus = sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return logical_cpu_count()
    cores = set()
    for cpu in cpus:
        topology = f"{sysfs_cpus}/cpu{cpu}/topology/"
        try:
            with open(topology + "physical_package_id", encoding="ascii") as f:
                package = f.read().strip()
            with open(topology + "core_id", encoding="ascii") as f:
                core = f.read().strip()
        except OSError:
            return len(cpus)
        cores.add((package, core))
    return len(cores) or len(cpus)


VOICE_MAX_THREADS = 8


def voice_cpu_threads(choice: DeviceChoice, physical_cpus: int | None = None) -> tuple[int, str]:
    """Intra-op threads for the ONNX Runtime voices (Piper, Kokoro), and why.

    All physical cores, unlike torch's policy: a desktop is normally idle while it speaks,
    and on an idle 2-core machine 2 threads made both voices 1.6x faster than 1
    (``tests/bench/bench_speech.py --threads``). With another process busy on one of the
    two cores they were up to 20% slower than 1 thread, never the 5-30x torch showed,
    because the voices' threads spin only briefly (:func:`voice_session_options`). A
    thread count set in Settings wins."""
    if choice.threads_from_settings:
        return choice.threads, choice.threads_reason
    n = min(VOICE_MAX_THREADS, physical_cpus or physical_cpu_count())
    if n == 1:
        return n, message("device.voice_threads_one")
    return n, message("device.voice_threads_many", threads=n)


def default_cpu_threads(logical_cpus: int | None = None) -> tuple[int, str]:
    """The CPU thread count engines use unless the user sets one, and why."""
    n = logical_cpus if logical_cpus is not None else logical_cpu_count()
    if n <= 2:
        return 1, message("device.threads_two", logical=n)
    if n <= 4:
        return n - 1, message("device.threads_four", threads=n - 1, logical=n)
    threads = min(8, n // 2)
    return threads, message("device.threads_half", threads=threads, logical=n)


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return " ".join(line.split(":", 1)[1].split())
    except OSError:
        pass
    return platform.processor() or platform.machine() or "CPU"


def _probe_torch() -> dict[str, Any]:
    out: dict[str, Any] = {}
    try:
        import torch
    except Exception as exc:
        out["torch_error"] = message("device.torch_missing", reason=str(exc))
        return out
    out["torch_version"] = torch.__version__
    try:
        if not torch.cuda.is_available():
            built = torch.version.cuda
            out["cuda_note"] = message(
                "device.torch_no_cuda" if built else "device.torch_cpu_build"
            )
            return out
        gpus = []
        for i in range(torch.cuda.device_count()):
            free, total = torch.cuda.mem_get_info(i)
            gpus.append(GpuInfo(i, torch.cuda.get_device_name(i), int(free), int(total)))
        out["cuda_gpus"] = tuple(gpus)
        out["cuda_note"] = message(
            "device.cuda_found", version=str(torch.version.cuda), count=len(gpus)
        )
    except Exception as exc:
        out["cuda_note"] = message("device.cuda_failed", reason=str(exc))
    return out


def _onnxruntime_package() -> str | None:
    from importlib import metadata

    for name in ("onnxruntime-gpu", "onnxruntime"):
        try:
            metadata.version(name)
            return name
        except metadata.PackageNotFoundError:
            continue
    return None


def _probe_onnxruntime() -> dict[str, Any]:
    out: dict[str, Any] = {}
    try:
        import onnxruntime as ort
    except Exception as exc:
        out["onnx_note"] = message("device.onnx_missing", reason=str(exc))
        return out
    out["onnxruntime_version"] = ort.__version__
    out["onnxruntime_package"] = _onnxruntime_package()
    listed = tuple(ort.get_available_providers())
    out["onnx_listed_providers"] = listed
    if "CUDAExecutionProvider" not in listed:
        out["onnx_note"] = message("device.onnx_no_cuda")
        return out
    model = resources.files("engines").joinpath("data/identity.onnx").read_bytes()
    # A failed CUDA load is expected on CPU machines: keep ONNX Runtime quiet about it.
    ort.set_default_logger_severity(4)
    try:
        session = ort.InferenceSession(
            model, providers=["CUDAExecutionProvider", "CPUExecutionProvider"]
        )
        got = session.get_providers()
    except Exception as exc:
        out["onnx_note"] = message("device.onnx_cuda_failed", reason=str(exc))
        return out
    finally:
        ort.set_default_logger_severity(2)
    out["onnx_cuda_loads"] = "CUDAExecutionProvider" in got
    out["onnx_note"] = message(
        "device.onnx_cuda_loads" if out["onnx_cuda_loads"] else "device.onnx_cuda_unusable"
    )
    return out


def probe_hardware(include_torch: bool = True) -> HardwareReport:
    """Look at the machine. Imports torch and onnxruntime: call it off the GUI process.

    ``include_torch=False`` is the light probe for ONNX-only work (the voices): importing
    torch there would cost seconds and about 180 MB for nothing."""
    info: dict[str, Any] = {"cpu_name": cpu_name(), "logical_cpus": logical_cpu_count()}
    if include_torch:
        info.update(_probe_torch())
    else:
        info["torch_probed"] = False
        info["cuda_note"] = message("device.torch_not_loaded")
    info.update(_probe_onnxruntime())
    return HardwareReport(**info)


def probe_command() -> list[str]:
    """The command that prints a :class:`HardwareReport` as JSON (for a child process)."""
    return [sys.executable, "-m", "engines.device", "--json"]


def probe_hardware_in_subprocess(timeout: float = 120.0) -> HardwareReport:
    """Run the probe in a child process so that this one stays free of torch."""
    done = subprocess.run(
        probe_command(), capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"device probe failed: {done.stderr.strip()[-500:]}")
    return HardwareReport.from_json(done.stdout.strip().splitlines()[-1])


def choose_device(
    report: HardwareReport,
    preference: DevicePreference | str = DevicePreference.auto,
    threads: int = 0,
) -> DeviceChoice:
    """Apply the policy to a report. ``threads`` 0 means the automatic thread count."""
    pref = DevicePreference.parse(preference)
    auto_threads, auto_reason = default_cpu_threads(report.logical_cpus)
    from_settings = bool(threads and threads > 0)
    threads_reason: str
    if from_settings:
        n_threads, threads_reason = threads, message("device.threads_settings", threads=threads)
    else:
        n_threads, threads_reason = auto_threads, auto_reason
    warnings: list[str] = []
    gpu = report.cuda_gpus[0] if report.cuda_gpus else None

    if pref is DevicePreference.cpu:
        kind, reason = "cpu", message("device.cpu_chosen")
    elif not report.torch_probed and report.onnx_cuda_loads:
        # The light probe: ONNX Runtime's CUDA provider loading proves a usable GPU.
        kind, reason = "cuda", message("device.cuda_by_onnx")
    elif gpu is not None:
        kind = "cuda"
        reason = message(
            "device.cuda_by_torch", version=report.torch_version, note=report.cuda_note
        )
        if pref is DevicePreference.cuda:
            reason = message("device.cuda_chosen", reason=reason)
    else:
        kind = "cpu"
        if report.torch_probed:
            why = report.torch_error or report.cuda_note or message("device.no_cuda")
        else:
            why = report.onnx_note or message("device.no_onnx_cuda")
        reason = message("device.cpu_because", why=why)
        if pref is DevicePreference.cuda:
            warnings.append(message("device.cuda_unusable", why=why))

    if kind == "cuda" and report.onnx_cuda_loads:
        providers: tuple[str, ...] = ("CUDAExecutionProvider", "CPUExecutionProvider")
        onnx_reason = message("device.onnx_cuda")
    else:
        providers = ("CPUExecutionProvider",)
        note = report.onnx_note or message("device.cpu_note")
        onnx_reason = message("device.onnx_cpu", note=note)
    name = gpu.name if (kind == "cuda" and gpu is not None) else report.cpu_name
    return DeviceChoice(
        kind=kind,
        name=name,
        reason=reason,
        threads=n_threads,
        threads_reason=threads_reason,
        gpu=gpu if kind == "cuda" else None,
        onnx_providers=providers,
        onnx_reason=onnx_reason,
        warnings=tuple(warnings),
        threads_from_settings=from_settings,
    )


# -- the process-wide choice engines use ----------------------------------------------
_lock = threading.Lock()
_preference = DevicePreference.auto
_threads = 0
_report: HardwareReport | None = None
_choice: DeviceChoice | None = None
_light_choice: DeviceChoice | None = None


def configure(preference: DevicePreference | str = "auto", threads: int = 0) -> None:
    """Set the user's device preference and thread count (Settings, or CLI flags)."""
    global _preference, _threads, _choice, _light_choice
    pref = DevicePreference.parse(preference)
    threads = validate.THREADS.check(threads)  # torch takes a C int: no overflow inside it
    with _lock:
        if pref is not _preference or threads != _threads:
            _preference, _threads = pref, threads
            _choice = _light_choice = None


def set_report(report: HardwareReport) -> None:
    """Hand in a report probed elsewhere (the studio's child process) to avoid probing twice."""
    global _report, _choice, _light_choice
    with _lock:
        _report, _choice, _light_choice = report, None, None


def current(needs_torch: bool = True) -> DeviceChoice:
    """The device engines should use now. Probes in-process on first use (imports torch)
    and applies the thread count to torch.

    ONNX-only engines pass ``needs_torch=False``: unless a full report is already at
    hand, they get a choice from the light probe, which never imports torch."""
    global _report, _choice, _light_choice
    with _lock:
        if not needs_torch and _report is None:
            if _light_choice is None:
                light = probe_hardware(include_torch=False)
                _light_choice = choose_device(light, _preference, _threads)
            return _light_choice
        if _choice is None:
            if _report is None:
                _report = probe_hardware()
            _choice = choose_device(_report, _preference, _threads)
        choice = _choice
    apply_torch_threads(choice.threads)
    return choice


def onnx_session_options(choice: DeviceChoice) -> Any:
    """ONNX Runtime session options for the chosen thread count (imports onnxruntime).

    One inter-op thread: our graphs are sequential, and on small machines a second pool
    only competes with the first."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = choice.threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return options


VOICE_SESSION_CONFIG = {
    "session.intra_op.allow_spinning": "1",
    "session.intra_op.spin_duration_us": "500",
}
"""ONNX Runtime settings for the voices' thread pool: wait for the next operator by
spinning for 500 µs, then sleep. See :func:`voice_session_options`."""


def voice_session_options(choice: DeviceChoice) -> Any:
    """Session options for the ONNX Runtime voices: :func:`voice_cpu_threads` threads that
    spin only briefly (:data:`VOICE_SESSION_CONFIG`) while waiting for the next operator.

    ONNX Runtime's threads busy-loop between operators by default; when another process
    holds one of two cores, the spinning thread takes time from the one doing the work.
    Measured on 2 cores, medians of 5-7 interleaved runs (Piper real-time factor; Kokoro
    seconds for 図書館は): idle, default spinning 17.6x / 0.67 s, 100 µs 17.2x / 0.67 s, no
    spinning 16.2x / 0.69 s; with a busy loop on the other core 8.4x / 1.32 s, 9.1x /
    1.17 s, 10.0x / 1.16 s; beside the nice-10 training job 6.9x / 1.51 s, 8.6x / 1.14 s,
    9.2x / 1.10 s (one thread: 10.0-10.5x / 1.04-1.09 s throughout). A short spin keeps
    most of spinning's gain on an idle machine and most of sleeping's under load. Its
    length, Piper real-time factor idle / with a busy loop on the other core (7 runs,
    2026-11-29): 100 µs 15.3x / 9.4x, 500 µs 17.0x / 9.0x, 2 ms 17.4x / 8.3x, default
    17.5x / 8.3x: 500 µs."""
    options = onnx_session_options(choice)
    options.intra_op_num_threads = voice_cpu_threads(choice)[0]
    for key, value in VOICE_SESSION_CONFIG.items():
        options.add_session_config_entry(key, value)
    return options


def apply_torch_threads(threads: int) -> None:
    """Set torch's intra-op thread count if torch is already imported."""
    torch = sys.modules.get("torch")
    if torch is not None and torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    report = probe_hardware()
    if "--json" in args:
        print(report.to_json())
    else:
        choice = choose_device(report)
        print(choice.summary())
        print(choice.reason)
        print(choice.threads_reason)
        print(choice.onnx_reason)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
