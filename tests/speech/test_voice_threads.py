"""How many threads the ONNX Runtime voices use: every physical core (unlike torch's
one-thread policy on small machines), spinning only briefly, and a count set in Settings
wins."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engines import device
from engines.device import HardwareReport, choose_device, voice_cpu_threads
from engines.speech.piper import PiperVoice

TWO_CORES = HardwareReport(cpu_name="Test CPU", logical_cpus=2, torch_probed=False)


@pytest.mark.parametrize(("physical", "threads"), [(1, 1), (2, 2), (6, 6), (64, 8)])
def test_voices_use_every_physical_core_up_to_eight(physical: int, threads: int) -> None:
    choice = choose_device(TWO_CORES)
    assert choice.threads == 1  # torch's policy on 2 cores is unchanged
    n, why = voice_cpu_threads(choice, physical_cpus=physical)
    assert n == threads
    assert "physical" in why


def test_a_thread_count_set_in_settings_wins_for_voices_too() -> None:
    choice = choose_device(TWO_CORES, threads=1)
    assert choice.threads_from_settings
    assert voice_cpu_threads(choice, physical_cpus=16) == (1, "1 set in Settings")
    assert not choose_device(TWO_CORES).threads_from_settings


def test_hyper_thread_siblings_are_counted_once(tmp_path: Path) -> None:
    """A made-up topology: each usable CPU n is a hyper-thread of core n // 2, so the
    usable CPUs hold half as many cores (rounded up); a missing topology falls back to
    the usable CPUs."""
    cpus = sorted(os.sched_getaffinity(0))
    for cpu in cpus:
        topology = tmp_path / f"cpu{cpu}" / "topology"
        topology.mkdir(parents=True)
        (topology / "physical_package_id").write_text("0\n")
        (topology / "core_id").write_text(f"{cpu // 2}\n")
    assert device.physical_cpu_count(str(tmp_path)) == len({cpu // 2 for cpu in cpus})
    assert device.physical_cpu_count(str(tmp_path / "absent")) == len(cpus)


def test_a_loaded_voice_session_follows_the_voice_policy(tiny_voice: Path) -> None:
    voice = PiperVoice(tiny_voice).load()
    options = voice._session.get_session_options()
    expected = voice_cpu_threads(device.current(needs_torch=False))[0]
    assert options.intra_op_num_threads == expected
    for key, value in device.VOICE_SESSION_CONFIG.items():
        assert options.get_session_config_entry(key) == value
    assert int(options.get_session_config_entry("session.intra_op.spin_duration_us")) <= 1000
