"""Model manager download speed: one file served by the fake hub on 127.0.0.1, fetched
by the manager (chunks, progress reports, SHA-256 check, safe rename) against a bare
``urllib`` read of the same URL into a file, in one run. Prints MB/s of each and the
share of the check in the manager's time.

    .venv/bin/python tests/bench/bench_hub_download.py [--mb 256]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import urllib.request
from pathlib import Path


def main() -> None:
    from engines.hub import manager
    from engines.hub.client import HubClient
    from engines.hub.download import sha256_of
    from tests.hub.fake_hub import FakeHub, FakeRepo

    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=256)
    args = parser.parse_args()
    data = os.urandom(args.mb * 1024 * 1024)
    hub = FakeHub()
    hub.repos["bench/big-GGUF"] = FakeRepo(files={"big.Q8_0.gguf": data})
    hub.start()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SOZO_CONFIG_DIR"] = str(Path(tmp) / "config")
        client = HubClient(hub.url)
        url = client.file_url("bench/big-GGUF", "big.Q8_0.gguf")
        started = time.perf_counter()
        with urllib.request.urlopen(url) as response, open(Path(tmp) / "bare", "wb") as out:
            while block := response.read(256 * 1024):
                out.write(block)
        bare = time.perf_counter() - started
        root = Path(tmp) / "models"
        plan = manager.plan_download(client, "bench/big-GGUF", models_root=root)
        file = plan.files[0]
        from engines.hub.download import download_file

        started = time.perf_counter()
        download_file(client, plan.repo_id, file, root / "big.gguf", root)
        managed = time.perf_counter() - started
        started = time.perf_counter()
        sha256_of(root / "big.gguf")
        hashing = time.perf_counter() - started
    hub.stop()
    print(f"file: {args.mb} MB from 127.0.0.1")
    print(f"bare urllib read:   {args.mb / bare:7.1f} MB/s ({bare:.2f} s)")
    print(f"manager download:   {args.mb / managed:7.1f} MB/s ({managed:.2f} s, incl. SHA-256)")
    print(f"SHA-256 alone:      {args.mb / hashing:7.1f} MB/s ({hashing:.2f} s)")


if __name__ == "__main__":
    main()
