"""History database speed on this machine, with a history of many items.

    .venv/bin/python tests/bench/bench_history.py [--items 10000] [--folder DIR]

Prints medians of:
- one record() (one transaction, WAL, synchronous=NORMAL) into a history of ``--items``
  items, each with a reply of about 2 KB (target: under 5 ms, so the GUI thread may write);
- opening it (the quick check and the schema step; the window pays it once at start);
- a full-text search for a word in about a tenth of the items, and the unfiltered list
  the dock shows first (its 500 newest items).
``--folder`` puts the database on the disk to measure (default: a temporary folder).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def _ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1000, 3)


def main() -> int:
    from engines.history import History, HistoryItem, HistoryQuery

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="sozo-bench-history-"))
    path = folder / "bench-history.sqlite3"
    path.unlink(missing_ok=True)
    rng = random.Random(0)
    words = [f"word{i}" for i in range(2000)]
    history = History(path)
    start = time.perf_counter()
    for i in range(args.items):
        body = " ".join(rng.choice(words) for _ in range(300))
        prompt = ("lighthouse " if i % 10 == 0 else "") + " ".join(rng.sample(words, 8))
        history.record(HistoryItem(kind="text", prompt=prompt, body=body, recipe={"i": i}))
    fill = time.perf_counter() - start
    writes = []
    for i in range(50):
        t = time.perf_counter()
        history.record(HistoryItem(kind="image", prompt=f"bench {i}", body="x " * 1000))
        writes.append(time.perf_counter() - t)
    history.close()
    opens = []
    for _ in range(5):
        t = time.perf_counter()
        History(path).close()
        opens.append(time.perf_counter() - t)
    history = History(path)
    searches, lists = [], []
    for _ in range(10):
        t = time.perf_counter()
        found = history.search(HistoryQuery(text="lighthouse"))
        searches.append(time.perf_counter() - t)
        t = time.perf_counter()
        history.search(HistoryQuery())
        lists.append(time.perf_counter() - t)
    history.close()
    result = {
        "items": args.items,
        "database_mb": round(path.stat().st_size / 1e6, 1),
        "fill_seconds": round(fill, 2),
        "record_ms": _ms(writes),
        "record_max_ms": round(max(writes) * 1000, 3),
        "open_ms": _ms(opens),
        "search_ms": _ms(searches),
        "search_hits": len(found),
        "list_500_ms": _ms(lists),
    }
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
