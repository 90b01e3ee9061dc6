"""engines.native: torch's libraries mapped without the GIL before torch imports (#21)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, sys
from engines import native
assert "torch" not in sys.modules
loaded = native.preload_torch()
maps = open("/proc/self/maps").read()
mapped_before_import = "libtorch_cpu.so" in maps and "torch" not in sys.modules
again = native.preload_torch()
import torch
ok = float(torch.ones(3).sum()) == 3.0
print(json.dumps({"loaded": loaded, "mapped": mapped_before_import, "again": again is loaded, "ok": ok}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's dlopen: Linux only")
def test_preload_maps_torch_before_its_import_and_torch_still_works() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "libtorch_cpu.so" in result["loaded"] and "libc10.so" in result["loaded"]
    assert result["mapped"], "libtorch_cpu.so was not mapped by the preload"
    assert result["again"], "a second preload did the work again"
    assert result["ok"]


def test_preload_after_torch_is_imported_does_nothing() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import torch, json\nfrom engines import native\n"
            "print(json.dumps(native.preload_torch()))",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
