"""A writer for the crash test: records items into the database named on the command line,
one transaction each, printing each committed id, until it is killed."""

from __future__ import annotations

import sys
from pathlib import Path

from engines.history import History, HistoryItem


def main() -> None:
    history = History(Path(sys.argv[1]))
    for i in range(int(sys.argv[2])):
        item = history.record(
            HistoryItem(
                kind="text",
                prompt=f"burst prompt {i}",
                body=f"burst reply {i} " + "words " * 400,  # several pages per row
                recipe={"i": i, "messages": [{"role": "user", "content": f"burst {i}"}]},
                seed=i,
                model_id="crash-test",
            )
        )
        print(item.id, flush=True)


if __name__ == "__main__":
    main()
