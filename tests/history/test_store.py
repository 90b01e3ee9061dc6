"""The history store: record, search, filters, FTS ranking, crash safety, databases set
aside, missing files, relink and remove."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engines import paths
from engines.errors import BadInput, SozoError
from engines.history import History, HistoryItem, HistoryQuery, default_path
from engines.history.store import SCHEMA_VERSION


def _texts(history: History, **query: object) -> list[str]:
    return [i.prompt for i in history.search(HistoryQuery(**query))]  # type: ignore[arg-type]


def test_default_path_is_in_the_data_folder(tmp_path: Path) -> None:
    # conftest points SOZO_DATA_DIR at this test's folder: never the user's database.
    assert paths.data_dir() == tmp_path / "data"
    assert default_path().parent == tmp_path / "data"


def test_record_then_get_returns_every_field(tmp_path: Path) -> None:
    picture = tmp_path / "cat.png"
    picture.write_bytes(b"png")
    with History(tmp_path / "h.db") as history:
        made = history.record(
            HistoryItem(
                kind="image",
                files=(picture,),
                prompt="a cat",
                model_id="emoji-gan",
                licence="MIT",
                recipe={"steps": 20, "guidance": 7.5},
                seed=42,
                device="cpu",
                duration=1.25,
            )
        )
        assert made.id > 0 and made.created > 0
        got = history.get(made.id)
    assert got == made
    assert got.missing == ()
    assert got.recipe == {"steps": 20, "guidance": 7.5}


def test_search_words_kind_and_model_filters(tmp_path: Path) -> None:
    with History(tmp_path / "h.db") as history:
        history.record(HistoryItem(kind="image", prompt="a red fox", model_id="gan"))
        history.record(HistoryItem(kind="text", prompt="tell me of foxes", body="Foxes are red."))
        history.record(HistoryItem(kind="speech", body="The quick brown fox.", model_id="piper"))
        history.record(HistoryItem(kind="image", prompt="a blue whale", model_id="sd"))
        assert len(history.search()) == 4
        assert _texts(history, kind="image") == ["a blue whale", "a red fox"]  # newest first
        assert _texts(history, model_id="sd") == ["a blue whale"]
        # Prompts, replies and scripts are all searched; a word may be a prefix.
        assert sorted(i.kind for i in history.search(HistoryQuery(text="fox"))) == [
            "image",
            "speech",
            "text",
        ]
        assert _texts(history, text="fox", kind="image") == ["a red fox"]
        assert _texts(history, text="tell fox") == ["tell me of foxes"]  # every word matches
        assert history.search(HistoryQuery(text="zebra")) == []
        # Operators are words, not syntax: no search error for a stray quote or AND.
        assert history.search(HistoryQuery(text='AND "fox')) == []


def test_search_date_range(tmp_path: Path) -> None:
    with History(tmp_path / "h.db") as history:
        for day, prompt in ((1, "old"), (5, "middle"), (9, "new")):
            history.record(HistoryItem(kind="image", prompt=prompt, created=day * 86400.0))
        assert _texts(history, since=4 * 86400.0, until=6 * 86400.0) == ["middle"]
        assert _texts(history, since=5 * 86400.0) == ["new", "middle"]


def test_fts_ranks_better_matches_first(tmp_path: Path) -> None:
    with History(tmp_path / "h.db") as history:
        history.record(
            HistoryItem(kind="text", prompt="a long talk", body="lighthouse " + "sea " * 200)
        )
        best = history.record(HistoryItem(kind="text", prompt="lighthouse", body="lighthouse"))
        history.record(HistoryItem(kind="text", prompt="nothing here", body="waves"))
        found = history.search(HistoryQuery(text="lighthouse"))
    assert found[0].id == best.id
    assert len(found) == 2


def test_without_fts_search_falls_back_to_like_with_a_notice(tmp_path: Path) -> None:
    with History(tmp_path / "h.db", use_fts=False) as history:
        assert "full-text" in history.notice
        history.record(HistoryItem(kind="text", prompt="100% sure_thing", body="yes"))
        history.record(HistoryItem(kind="text", prompt="other", body="no"))
        assert _texts(history, text="sure_") == ["100% sure_thing"]
        assert _texts(history, text="%") == ["100% sure_thing"]  # % is a character here
    # Opened later with FTS5, the index is built for the rows made without it.
    with History(tmp_path / "h.db") as history:
        assert history.notice == ""
        assert _texts(history, text="sure") == ["100% sure_thing"]
    # And back: rows written without FTS5 (no triggers to run) are indexed next time.
    with History(tmp_path / "h.db", use_fts=False) as history:
        history.record(HistoryItem(kind="text", prompt="written without the index"))
    with History(tmp_path / "h.db") as history:
        assert _texts(history, text="index") == ["written without the index"]
        assert _texts(history, text="sure") == ["100% sure_thing"]


def test_a_database_that_cannot_be_opened_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(SozoError, match="cannot be opened"):
        History(tmp_path / "file" / "h.db")  # its folder is a file


def test_japanese_text_is_found(tmp_path: Path) -> None:
    with History(tmp_path / "h.db") as history:
        history.record(HistoryItem(kind="speech", body="今日はいい天気ですね。"))
        history.record(HistoryItem(kind="speech", body="Hello."))
        assert [i.body for i in history.search(HistoryQuery(text="天気"))] == [
            "今日はいい天気ですね。"
        ]


def test_unknown_kind_and_id_are_one_line_errors(tmp_path: Path) -> None:
    with History(tmp_path / "h.db") as history:
        with pytest.raises(BadInput, match="Unknown history kind"):
            history.record(HistoryItem(kind="video"))
        with pytest.raises(BadInput, match="No history item with the id 7"):
            history.get(7)


def test_missing_file_relink_and_remove(tmp_path: Path) -> None:
    picture = tmp_path / "a.png"
    picture.write_bytes(b"png")
    with History(tmp_path / "h.db") as history:
        item = history.record(HistoryItem(kind="image", files=(picture,), prompt="a"))
        moved = tmp_path / "moved" / "a.png"
        moved.parent.mkdir()
        picture.rename(moved)
        assert history.get(item.id).missing == (picture,)  # computed when read
        with pytest.raises(BadInput, match="is not a file"):
            history.relink(item.id, picture, tmp_path / "nowhere.png")
        relinked = history.relink(item.id, picture, moved)
        assert relinked.files == (moved,) and relinked.missing == ()
        # Removing keeps the user's file unless asked.
        history.remove(item.id)
        assert moved.exists()
        with pytest.raises(BadInput):
            history.get(item.id)
        second = history.record(HistoryItem(kind="image", files=(moved,), prompt="b"))
        history.remove(second.id, delete_files=True)
        assert not moved.exists()
        assert history.search(HistoryQuery(text="a")) == []  # the index follows deletes


def test_a_corrupt_database_is_set_aside_not_emptied(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    garbage = b"this is not a database " * 100
    db.write_bytes(garbage)
    with History(db) as history:
        assert history.set_aside is not None
        assert history.set_aside.read_bytes() == garbage  # kept, byte for byte
        assert history.set_aside.parent == tmp_path
        assert "could not be used" in history.notice and history.set_aside.name in history.notice
        assert history.record(HistoryItem(kind="text", prompt="fresh")).id == 1


def test_a_locked_database_is_an_error_and_never_set_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "h.db"
    with History(db) as history:
        history.record(HistoryItem(kind="text", prompt="keep me"))
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another process in the middle of a write
    monkeypatch.setattr(History, "busy_timeout_s", 0.1)
    with pytest.raises(SozoError, match="cannot be opened: database is locked"):
        History(db)
    other.execute("ROLLBACK")
    other.close()
    assert [p.name for p in tmp_path.iterdir() if ".set-aside-" in p.name] == []
    with History(db) as history:
        assert _texts(history) == ["keep me"]


def test_a_newer_database_is_set_aside(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    with History(db) as history:
        history.record(HistoryItem(kind="text", prompt="from the future"))
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    with History(db) as history:
        assert history.set_aside is not None
        assert "newer" in history.notice
        assert history.count() == 0
    kept = sqlite3.connect(history.set_aside)
    assert kept.execute("SELECT prompt FROM items").fetchall() == [("from the future",)]
    kept.close()


def test_a_damaged_page_is_set_aside(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    with History(db) as history:
        for i in range(200):
            history.record(HistoryItem(kind="text", prompt=f"row {i}", body="x" * 500))
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(db.read_bytes())
    page = 4096
    data[5 * page : 6 * page] = b"\xff" * page  # scribble over a page of the table
    db.write_bytes(bytes(data))
    with History(db) as history:
        assert history.set_aside is not None
        assert history.count() == 0


def test_sigkill_during_a_burst_of_writes_keeps_every_committed_row(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    History(db).close()  # the schema exists before the burst
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.history.crash_writer", str(db), "100000"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert writer.stdout is not None
    committed: list[int] = []
    for line in writer.stdout:
        committed.append(int(line))
        if len(committed) == 100:
            break
    os.kill(writer.pid, signal.SIGKILL)  # mid-burst: it is writing the next rows
    writer.wait(10)
    committed += [int(line) for line in writer.stdout.read().split()]
    assert writer.returncode == -signal.SIGKILL
    assert len(committed) >= 100

    with History(db) as history:
        assert history.set_aside is None and history.notice == ""
        rows = history.search(HistoryQuery(limit=1_000_000))
        ids = {i.id for i in rows}
        assert set(committed) <= ids  # every committed row
        # The one being written when killed may have committed before its id was
        # printed; nothing beyond it.
        assert len(ids) - len(committed) <= 1
        for item in rows:  # no torn row: each one whole and self-consistent
            i = item.recipe["i"]
            assert item.prompt == f"burst prompt {i}" and item.seed == i
            assert item.body == f"burst reply {i} " + "words " * 400
        assert len(history.search(HistoryQuery(text="burst", limit=1_000_000))) == len(ids)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.execute("INSERT INTO items_fts (items_fts) VALUES ('integrity-check')")
    con.close()


def test_a_write_takes_under_five_milliseconds(tmp_path: Path) -> None:
    with History(tmp_path / "h.db") as history:
        history.record(HistoryItem(kind="text", prompt="warm up"))
        times = []
        for i in range(50):
            start = time.perf_counter()
            history.record(HistoryItem(kind="text", prompt=f"prompt {i}", body="reply " * 300))
            times.append(time.perf_counter() - start)
    times.sort()
    assert times[len(times) // 2] < 0.005, times  # the median, on a busy 2-core machine
