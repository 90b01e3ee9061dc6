"""The bootstrap's choice of torch build: the decision table, the probe of where pip would
take torch from, and the one line a failed install gives."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_bootstrap() -> ModuleType:
    # Not importable by name: the folder "packaging" would shadow the PyPI package.
    spec = importlib.util.spec_from_file_location("sozo_bootstrap", ROOT / "packaging/bootstrap.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["sozo_bootstrap"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


bootstrap = load_bootstrap()
LOCAL = "file:///opt/wheels/torch-2.13.0%2Bcpu-cp311-cp311-manylinux_2_28_x86_64.whl"


def probe(**overrides: object) -> object:
    fields: dict[str, object] = {
        "installed": None,
        "local_wheel": None,
        "local_version": None,
        "nvidia_gpu": False,
        "platform": "linux",
    }
    fields.update(overrides)
    return bootstrap.TorchProbe(**fields)


@pytest.mark.parametrize(
    ("overrides", "build", "index"),
    [
        ({"installed": "2.13.0+cpu"}, "installed", None),
        ({"installed": "2.13.0+cpu", "nvidia_gpu": True}, "installed", None),
        ({"local_wheel": LOCAL, "local_version": "2.13.0+cpu"}, "local", None),
        # a local wheel wins over the GPU: it is what pip takes anyway, and costs nothing
        ({"local_wheel": LOCAL, "local_version": "2.13.0+cpu", "nvidia_gpu": True}, "local", None),
        ({}, "cpu", "https://download.pytorch.org/whl/cpu"),
        ({"platform": "win32"}, "cpu", "https://download.pytorch.org/whl/cpu"),
        ({"nvidia_gpu": True}, "cuda", None),
        (
            {"nvidia_gpu": True, "platform": "win32"},
            "cuda",
            "https://download.pytorch.org/whl/cu128",
        ),
        ({"platform": "darwin"}, "default", None),
        ({"platform": "darwin", "nvidia_gpu": True}, "default", None),
    ],
)
def test_decision_table(overrides: dict[str, object], build: str, index: str | None) -> None:
    plan = bootstrap.choose_torch(probe(**overrides))
    assert plan.build == build
    if build == "installed":
        assert plan.pip_args == ()
    else:
        assert plan.pip_args[0] == "torch==2.13.0"
        if index is None:
            assert "--index-url" not in plan.pip_args
        else:
            assert plan.pip_args[plan.pip_args.index("--index-url") + 1] == index
    line = plan.line()
    assert "\n" not in line and line.startswith("torch: ")


def test_the_line_says_why() -> None:
    assert "no NVIDIA GPU" in bootstrap.choose_torch(probe()).line()
    assert "NVIDIA GPU is present" in bootstrap.choose_torch(probe(nvidia_gpu=True)).line()
    local = bootstrap.choose_torch(probe(local_wheel=LOCAL, local_version="2.13.0+cpu")).line()
    assert "2.13.0+cpu" in local
    assert "/opt/wheels/torch-2.13.0+cpu-cp311" in local  # the path, unquoted


def report(url: str, name: str = "torch", version: str = "2.13.0+cpu") -> str:
    item = {"download_info": {"url": url}, "metadata": {"name": name, "version": version}}
    return json.dumps({"version": "1", "install": [item]})


def test_local_wheel_is_read_from_pips_report() -> None:
    assert bootstrap.local_wheel_from_report(report(LOCAL)) == (LOCAL, "2.13.0+cpu")
    remote = "https://files.pythonhosted.org/packages/torch-2.13.0-cp311-manylinux.whl"
    assert bootstrap.local_wheel_from_report(report(remote, version="2.13.0")) is None
    assert bootstrap.local_wheel_from_report(report(LOCAL, name="torchvision")) is None
    for broken in ("", "not json", "{}", '{"install": [{"metadata": 3}]}'):
        assert bootstrap.local_wheel_from_report(broken) is None


def test_probe_uses_the_injected_probes_and_skips_pip_when_torch_imports() -> None:
    asked: list[str] = []

    def fake_report(python: object) -> str:
        asked.append(str(python))
        return report(LOCAL)

    found = bootstrap.probe_torch(
        "py", installed=lambda _: None, report=fake_report, gpu=lambda: True, platform="linux"
    )
    assert found == probe(local_wheel=LOCAL, local_version="2.13.0+cpu", nvidia_gpu=True)
    assert asked == ["py"]
    asked.clear()
    found = bootstrap.probe_torch(
        "py", installed=lambda _: "2.13.0", report=fake_report, gpu=lambda: False
    )
    assert found.installed == "2.13.0" and found.local_wheel is None
    assert asked == []  # no dry-run resolve when torch is already there


def test_a_failed_torch_install_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def unreachable(cmd: list[str], **_: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(cmd, 1)

    monkeypatch.setattr(bootstrap.subprocess, "run", unreachable)
    with pytest.raises(SystemExit) as stopped:
        bootstrap.install_torch(bootstrap.choose_torch(probe()))
    assert stopped.value.code == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("[bootstrap] torch: no NVIDIA GPU found")
    assert len(lines) == 2
    assert "could not install torch from https://download.pytorch.org/whl/cpu" in lines[1]
    assert "network" in lines[1] and "run this again" in lines[1]


def test_dry_run_and_help_install_nothing(tmp_path: Path) -> None:
    # The dry run resolves with this Python's pip: on this project's machines it must find
    # the local CPU build (the fast path CI takes); elsewhere it names another build.
    done = subprocess.run(
        [sys.executable, str(ROOT / "packaging/bootstrap.py"), "--dry-run"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("[bootstrap] dry run: nothing is installed")
    assert lines[1].startswith("[bootstrap] torch: ")
    helped = subprocess.run(
        [sys.executable, str(ROOT / "packaging/bootstrap.py"), "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert helped.returncode == 0 and "--dry-run" in helped.stdout


# -- llama.cpp build -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gpu", "build", "args", "line"),
    [
        (True, "cuda", "-DGGML_CUDA=on", "building llama.cpp for CUDA (first time only, ~10 min)"),
        (
            False,
            "cpu",
            "-DGGML_NATIVE=OFF",
            "building llama.cpp for CPU (first time only, ~10 min)",
        ),
    ],
)
def test_llama_build_follows_the_gpu(
    tmp_path: Path, gpu: bool, build: str, args: str, line: str
) -> None:
    plan = bootstrap.choose_llama(None, gpu, tmp_path)
    assert (plan.action, plan.build, plan.cmake_args, plan.line()) == ("build", build, args, line)
    assert plan.wheel_dir == tmp_path / "llama-cpp" / f"{bootstrap.LLAMA_VERSION}-{build}"


def test_llama_cached_wheel_is_used_per_build(tmp_path: Path) -> None:
    cpu_dir = tmp_path / "llama-cpp" / f"{bootstrap.LLAMA_VERSION}-cpu"
    cpu_dir.mkdir(parents=True)
    wheel = cpu_dir / f"llama_cpp_python-{bootstrap.LLAMA_VERSION}-py3-none-linux_x86_64.whl"
    wheel.write_bytes(b"PK")
    assert bootstrap.choose_llama(None, False, tmp_path).wheel == wheel
    assert bootstrap.choose_llama(None, False, tmp_path).action == "cached"
    # a CPU wheel is never taken for a CUDA machine
    assert bootstrap.choose_llama(None, True, tmp_path).action == "build"
    assert bootstrap.choose_llama(bootstrap.LLAMA_VERSION, True, tmp_path).action == "installed"
    # another version installed is replaced
    assert bootstrap.choose_llama("0.2.0", False, tmp_path).action == "cached"


def test_llama_build_is_quiet_cached_and_installs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[tuple[list[str], dict[str, str] | None]] = []

    def call(
        cmd: list[str],
        stdout: object,
        stderr: object,
        cwd: object,
        env: dict[str, str] | None = None,
    ) -> int:
        assert stdout is stderr and stdout is not None  # the compiler's output goes to the log
        calls.append((cmd, env))
        if "wheel" in cmd:  # what pip wheel leaves behind
            out = Path(cmd[cmd.index("-w") + 1])
            (
                out / f"llama_cpp_python-{bootstrap.LLAMA_VERSION}-py3-none-linux_x86_64.whl"
            ).write_bytes(b"PK")
        return 0

    plan = bootstrap.choose_llama(None, True, tmp_path)
    assert bootstrap.install_llama(plan, python="py", call=call)
    (build, build_env), (install, _) = calls
    assert build[-1] == bootstrap.LLAMA and "--no-deps" in build
    assert build_env is not None and build_env["CMAKE_ARGS"] == "-DGGML_CUDA=on"
    assert install[-2:] == ["install", str(next(plan.wheel_dir.glob("*.whl")))]
    assert capsys.readouterr().out.strip().splitlines() == [f"[bootstrap] {plan.line()}"]
    # a second set-up installs the kept wheel without compiling
    calls.clear()
    again = bootstrap.choose_llama(None, True, tmp_path)
    assert again.action == "cached" and bootstrap.install_llama(again, python="py", call=call)
    assert [c[0][-2] for c in calls] == ["install"]


def test_a_failed_llama_build_does_not_fail_setup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def call(cmd: list[str], **_: object) -> int:
        return 1

    plan = bootstrap.choose_llama(None, False, tmp_path)
    assert bootstrap.install_llama(plan, python="py", call=call) is False
    out = capsys.readouterr().out
    assert "could not be built" in out and str(plan.log) in out


def test_cache_root_respects_the_platform(tmp_path: Path) -> None:
    assert (
        bootstrap.cache_root({"XDG_CACHE_HOME": str(tmp_path)}, "linux") == tmp_path / "sozo-studio"
    )
    win = bootstrap.cache_root({"LOCALAPPDATA": str(tmp_path)}, "win32")
    assert win == tmp_path / "sozo-studio" / "cache"
