"""``sozo history search`` and ``sozo history show``, run as the installed command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from engines.history import History, HistoryItem

ROOT = Path(__file__).resolve().parents[2]
# What the ``sozo`` script runs, from this checkout (the installed script may point at
# another one).
SOZO = [sys.executable, "-c", "import sys; from studio.cli import main; sys.exit(main())"]


def sozo(*args: str) -> subprocess.CompletedProcess[str]:
    # The environment carries conftest's SOZO_DATA_DIR: the command reads this test's
    # history, not the user's.
    return subprocess.run(
        [*SOZO, *args], capture_output=True, text=True, timeout=120, env=dict(os.environ), cwd=ROOT
    )


def _fill(tmp_path: Path) -> tuple[HistoryItem, HistoryItem]:
    picture = tmp_path / "fox.png"
    picture.write_bytes(b"png")
    with History() as history:
        image = history.record(
            HistoryItem(
                kind="image",
                files=(picture,),
                prompt="a red fox in snow",
                model_id="emoji-gan",
                licence="MIT",
                recipe={"steps": 12},
                seed=7,
                device="cpu",
                duration=0.5,
            )
        )
        reply = history.record(
            HistoryItem(
                kind="text", prompt="What eats a fox?", body="Wolves and eagles, sometimes."
            )
        )
        history.record(HistoryItem(kind="speech", body="Nothing about that animal."))
    return image, reply


def test_search_json_lists_matches_with_every_field(tmp_path: Path) -> None:
    image, reply = _fill(tmp_path)
    done = sozo("history", "search", "fox", "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert {r["id"] for r in rows} == {image.id, reply.id}
    by_id = {r["id"]: r for r in rows}
    assert by_id[image.id]["files"] == [str(tmp_path / "fox.png")]
    assert by_id[image.id]["seed"] == 7 and by_id[image.id]["licence"] == "MIT"
    assert by_id[image.id]["recipe"] == {"steps": 12}
    assert by_id[reply.id]["body"] == "Wolves and eagles, sometimes."

    only_text = json.loads(sozo("history", "search", "fox", "--kind", "text", "--json").stdout)
    assert [r["id"] for r in only_text] == [reply.id]
    everything = json.loads(sozo("history", "search", "--json").stdout)
    assert len(everything) == 3


def test_search_text_output_and_missing_files(tmp_path: Path) -> None:
    image, _ = _fill(tmp_path)
    (tmp_path / "fox.png").unlink()
    done = sozo("history", "search", "snow")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].split()[0] == str(image.id)
    assert "a red fox in snow" in lines[0] and "(file missing)" in lines[0]
    nothing = sozo("history", "search", "zebra")
    assert nothing.returncode == 0 and nothing.stdout == ""
    assert "Nothing in the history matches" in nothing.stderr


def test_show_prints_the_item(tmp_path: Path) -> None:
    image, _ = _fill(tmp_path)
    done = sozo("history", "show", str(image.id))
    assert done.returncode == 0, done.stderr
    assert "emoji-gan (MIT)" in done.stdout
    assert str(tmp_path / "fox.png") in done.stdout
    assert "a red fox in snow" in done.stdout and '"steps": 12' in done.stdout
    as_json = json.loads(sozo("history", "show", str(image.id), "--json").stdout)
    assert as_json["prompt"] == "a red fox in snow" and as_json["duration"] == 0.5


def test_bad_ids_and_options_are_one_line_and_exit_1(tmp_path: Path) -> None:
    _fill(tmp_path)
    for args, expected in (
        (("history", "show", "999"), "No history item with the id 999"),
        (("history", "show", "abc"), "a number, not 'abc'"),
        (("history", "search", "--since", "yesterday"), "YYYY-MM-DD"),
    ):
        done = sozo(*args)
        assert done.returncode == 1, (args, done.stderr)
        assert done.stderr.count("\n") == 1 and expected in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    bad_kind = sozo("history", "search", "--kind", "video")
    assert bad_kind.returncode == 2 and "invalid choice" in bad_kind.stderr


def test_a_corrupt_database_is_set_aside_with_a_message(tmp_path: Path) -> None:
    db = tmp_path / "data" / "history.sqlite3"
    db.parent.mkdir(parents=True)
    db.write_bytes(b"not sqlite " * 50)
    done = sozo("history", "search", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
    assert "could not be used" in done.stderr
    kept = [p for p in db.parent.iterdir() if ".set-aside-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == b"not sqlite " * 50
