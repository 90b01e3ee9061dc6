"""The history of everything made: one SQLite database of items, with full-text search.

Each finished job of every panel (a picture, a text reply, a melody, a speech clip, a walk
export) is one :class:`HistoryItem`: its kind, file(s), model and licence, the full
recipe, seed, device, duration, time and, for text jobs, the text itself.

Crash safety: the database is in WAL mode and every write is one transaction, so a
process killed mid-write leaves every committed row and no torn one (``synchronous =
NORMAL`` is durable against an application crash in WAL mode; only a power cut may lose
the last commits, never the database). A file that is not a database, fails SQLite's
quick check, or was written by a newer studio (``PRAGMA user_version``) is set aside:
renamed beside itself, with :attr:`History.notice` saying so, never emptied in place.

Search uses SQLite's FTS5 over prompts, replies and spoken scripts, kept in step with
the items by triggers. A Python whose SQLite lacks FTS5 falls back to LIKE matching and
says so in :attr:`History.notice`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from engines import paths
from engines.errors import BadInput, SozoError
from engines.messages import message

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
DATABASE_NAME = "history.sqlite3"
KINDS = ("image", "text", "melody", "speech", "walk")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    created REAL NOT NULL,
    prompt TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    files TEXT NOT NULL DEFAULT '[]',
    model_id TEXT NOT NULL DEFAULT '',
    licence TEXT NOT NULL DEFAULT '',
    recipe TEXT NOT NULL DEFAULT '{}',
    seed INTEGER,
    device TEXT NOT NULL DEFAULT '',
    duration REAL
);
CREATE INDEX IF NOT EXISTS items_created ON items (created);
CREATE INDEX IF NOT EXISTS items_kind ON items (kind, created);
"""

# External-content FTS5 table: the text lives once, in ``items``; the triggers keep the
# index in step inside the writing transaction.
_FTS_TABLE = """
CREATE VIRTUAL TABLE IF NOT EXISTS items_fts USING fts5(
    prompt, body, content='items', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
"""
_FTS_TRIGGERS = """
CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
    INSERT INTO items_fts (rowid, prompt, body) VALUES (new.id, new.prompt, new.body);
END;
CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
    INSERT INTO items_fts (items_fts, rowid, prompt, body)
    VALUES ('delete', old.id, old.prompt, old.body);
END;
CREATE TRIGGER items_fts_update AFTER UPDATE OF prompt, body ON items BEGIN
    INSERT INTO items_fts (items_fts, rowid, prompt, body)
    VALUES ('delete', old.id, old.prompt, old.body);
    INSERT INTO items_fts (rowid, prompt, body) VALUES (new.id, new.prompt, new.body);
END;
"""
_FTS_TRIGGER_NAMES = ("items_fts_insert", "items_fts_delete", "items_fts_update")


def default_path() -> Path:
    """The studio's history database, in the data folder (``SOZO_DATA_DIR`` moves it)."""
    return paths.data_dir() / DATABASE_NAME


def fts5_available() -> bool:
    """Whether this Python's SQLite can make FTS5 tables."""
    con = sqlite3.connect(":memory:")
    try:
        con.execute("CREATE VIRTUAL TABLE probe USING fts5(a)")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        con.close()


@dataclass(frozen=True)
class HistoryItem:
    """One thing made. ``id`` is 0 until it is recorded."""

    kind: str  # one of KINDS
    files: tuple[Path, ...] = ()  # what was written (none for a clip not exported yet)
    prompt: str = ""  # what was asked: the prompt, the user's message, the script
    body: str = ""  # the text made (a reply), or the script spoken
    model_id: str = ""
    licence: str = ""
    recipe: dict[str, Any] = field(default_factory=dict)  # every setting, to make it again
    seed: int | None = None
    device: str = ""  # e.g. "cpu" or "cuda"
    duration: float | None = None  # seconds the job ran
    created: float = 0.0  # Unix time; 0: now, when recorded
    id: int = 0
    missing: tuple[Path, ...] = ()  # of ``files``, those not on disk when it was read

    @property
    def first_line(self) -> str:
        """The line a list shows: the prompt's, or the text's, first non-empty line."""
        for text in (self.prompt, self.body):
            for line in text.splitlines():
                if line.strip():
                    return line.strip()
        return ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "created": self.created,
            "files": [str(f) for f in self.files],
            "missing": [str(f) for f in self.missing],
            "prompt": self.prompt,
            "body": self.body,
            "model_id": self.model_id,
            "licence": self.licence,
            "recipe": self.recipe,
            "seed": self.seed,
            "device": self.device,
            "duration": self.duration,
        }


@dataclass(frozen=True)
class HistoryQuery:
    """What to list. Empty text: everything, newest first; else best matches first."""

    text: str = ""
    kind: str | None = None
    model_id: str | None = None
    since: float | None = None  # Unix time, inclusive
    until: float | None = None  # Unix time, exclusive
    limit: int = 500
    offset: int = 0


class History:
    """The history database. Open it with ``History()`` (the studio's) or a path."""

    # How long a write waits for another process's (the studio's, the CLI's) to end.
    busy_timeout_s = 5.0

    def __init__(self, path: Path | None = None, *, use_fts: bool | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.notice = ""  # one line for a person: a database set aside, no FTS5...
        self.set_aside: Path | None = None
        self.fts = fts5_available() if use_fts is None else use_fts
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._con = self._open()
        except (OSError, sqlite3.Error) as exc:
            raise SozoError(
                message("history.cannot_open", path=self.path, reason=str(exc))
            ) from None
        if not self.fts:
            self._say(message("history.no_fts"))

    # -- opening -------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE ... COMMIT).
        con = sqlite3.connect(self.path, isolation_level=None, timeout=self.busy_timeout_s)
        con.row_factory = sqlite3.Row
        return con

    def _open(self) -> sqlite3.Connection:
        con = self._connect()
        try:
            problem = self._check(con)
        except sqlite3.DatabaseError as exc:
            # Only a file that is not a database, or a damaged one, is set aside; a busy
            # or locked one (another process writing) is the user's good history.
            if getattr(exc, "sqlite_errorname", "") not in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
                con.close()
                raise
            problem = message("history.why_unreadable", reason=str(exc))
        if problem is None:
            return con
        con.close()
        self._set_aside(problem)
        con = self._connect()
        self._check(con)
        return con

    def _check(self, con: sqlite3.Connection) -> str | None:
        """Prepare a sound database; return why it must be set aside, else None."""
        version = int(con.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            return message("history.why_newer", version=version, reads=SCHEMA_VERSION)
        result = con.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            return message("history.why_damaged", result=result)
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = NORMAL")
        script = _SCHEMA
        has_triggers = all(_exists(con, name) for name in _FTS_TRIGGER_NAMES)
        if self.fts and not has_triggers:
            # Made, or last written, by a Python without FTS5: the index is built anew.
            script += _FTS_TABLE + _FTS_TRIGGERS
            script += "INSERT INTO items_fts (items_fts) VALUES ('rebuild');"
        elif not self.fts and has_triggers:
            # This Python cannot run the index's triggers: they go (the index is rebuilt
            # when a Python with FTS5 opens the database again).
            script += "".join(f"DROP TRIGGER {name};" for name in _FTS_TRIGGER_NAMES)
        try:
            con.executescript(
                f"BEGIN IMMEDIATE; {script} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            )
        except sqlite3.DatabaseError:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        return None

    def _set_aside(self, problem: str) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.set-aside-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.set-aside-{stamp}-{n}")
        self.path.replace(target)
        for suffix in ("-wal", "-shm"):
            companion = self.path.with_name(self.path.name + suffix)
            if companion.exists():
                companion.replace(target.with_name(target.name + suffix))
        self.set_aside = target
        self._say(message("history.set_aside", problem=problem, name=target.name))
        log.warning("history database set aside as %s: %s", target, problem)

    def _say(self, line: str) -> None:
        # One message (the notice after the one before), so the studio can translate it.
        self.notice = message("history.and", first=self.notice, then=line) if self.notice else line

    @staticmethod
    @contextlib.contextmanager
    def _transaction(con: sqlite3.Connection) -> Iterator[None]:
        con.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------
    def record(self, item: HistoryItem) -> HistoryItem:
        """Add ``item`` in one transaction; returns it with its id (and time, if 0)."""
        if item.kind not in KINDS:
            raise BadInput(message("history.unknown_kind", kind=item.kind, kinds=", ".join(KINDS)))
        created = item.created or time.time()
        values = (
            item.kind,
            created,
            item.prompt,
            item.body,
            json.dumps([str(f) for f in item.files], ensure_ascii=False),
            item.model_id,
            item.licence,
            json.dumps(item.recipe, ensure_ascii=False, default=str),
            item.seed,
            item.device,
            item.duration,
        )
        with self._transaction(self._con):
            cursor = self._con.execute(
                "INSERT INTO items (kind, created, prompt, body, files, model_id, licence,"
                " recipe, seed, device, duration) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
        return replace(item, id=int(cursor.lastrowid or 0), created=created)

    def relink(self, item_id: int, old: Path, new: Path) -> HistoryItem:
        """Point the item's file ``old`` at ``new`` (the user moved it)."""
        item = self.get(item_id)
        if old not in item.files:
            raise BadInput(message("history.no_such_file", item=item_id, name=old))
        if not new.is_file():
            raise BadInput(message("history.not_a_file", name=new))
        files = [str(new if f == old else f) for f in item.files]
        with self._transaction(self._con):
            self._con.execute(
                "UPDATE items SET files = ? WHERE id = ?",
                (json.dumps(files, ensure_ascii=False), item_id),
            )
        return self.get(item_id)

    def add_file(self, item_id: int, path: Path) -> HistoryItem:
        """Add a file made later from the item (an exported clip); once only."""
        item = self.get(item_id)
        if path in item.files:
            return item
        files = [str(f) for f in (*item.files, path)]
        with self._transaction(self._con):
            self._con.execute(
                "UPDATE items SET files = ? WHERE id = ?",
                (json.dumps(files, ensure_ascii=False), item_id),
            )
        return self.get(item_id)

    def remove(self, item_id: int, *, delete_files: bool = False) -> HistoryItem:
        """Take the item out of the history. Its files stay unless ``delete_files``."""
        item = self.get(item_id)
        with self._transaction(self._con):
            self._con.execute("DELETE FROM items WHERE id = ?", (item_id,))
        if delete_files:
            for f in item.files:
                f.unlink(missing_ok=True)
        return item

    # -- reading -------------------------------------------------------------------
    def get(self, item_id: int) -> HistoryItem:
        row = self._con.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise BadInput(message("history.no_such_item", item=item_id))
        return _item(row)

    def count(self) -> int:
        return int(self._con.execute("SELECT count(*) FROM items").fetchone()[0])

    def models(self) -> list[str]:
        """The model ids the history holds, for a filter."""
        rows = self._con.execute("SELECT DISTINCT model_id FROM items WHERE model_id != ''")
        return sorted(str(r[0]) for r in rows)

    def search(self, query: HistoryQuery | None = None) -> list[HistoryItem]:
        """The items that match ``query``: best text matches first, else newest first."""
        q = query or HistoryQuery()
        where: list[str] = []
        args: list[object] = []
        if q.kind:
            where.append("items.kind = ?")
            args.append(q.kind)
        if q.model_id:
            where.append("items.model_id = ?")
            args.append(q.model_id)
        if q.since is not None:
            where.append("items.created >= ?")
            args.append(q.since)
        if q.until is not None:
            where.append("items.created < ?")
            args.append(q.until)
        words = q.text.split()
        if words and self.fts and not _has_cjk(q.text):
            # Each word is quoted (so "AND" or "-" are words, not operators) and may be a
            # prefix, so a box searching as the user types finds "cat" from "ca".
            match = " ".join('"' + w.replace('"', '""') + '"*' for w in words)
            where.append("items_fts MATCH ?")
            args.append(match)
            sql = (
                "SELECT items.* FROM items_fts JOIN items ON items.id = items_fts.rowid"
                f" WHERE {' AND '.join(where)}"
                " ORDER BY bm25(items_fts, 2.0, 1.0), items.created DESC LIMIT ? OFFSET ?"
            )
        else:
            # No FTS5, or Chinese/Japanese text (unicode61 does not split words there).
            for w in words:
                where.append("(items.prompt LIKE ? ESCAPE '\\' OR items.body LIKE ? ESCAPE '\\')")
                pattern = "%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                args += [pattern + "%", pattern + "%"]
            clause = f" WHERE {' AND '.join(where)}" if where else ""
            sql = f"SELECT * FROM items{clause} ORDER BY created DESC, id DESC LIMIT ? OFFSET ?"
        args += [q.limit, q.offset]
        try:
            rows = self._con.execute(sql, args).fetchall()
        except sqlite3.OperationalError as exc:
            raise SozoError(f"The history search failed: {exc}") from None
        return [_item(r) for r in rows]


def _exists(con: sqlite3.Connection, name: str) -> bool:
    """Whether the schema has a table, index or trigger of this name."""
    row = con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    return row is not None


def _has_cjk(text: str) -> bool:
    return any(
        "\u3040" <= c <= "\u30ff" or "\u3400" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af"
        for c in text
    )


def _item(row: sqlite3.Row) -> HistoryItem:
    files = tuple(Path(f) for f in json.loads(row["files"]))
    recipe = json.loads(row["recipe"])
    return HistoryItem(
        id=int(row["id"]),
        kind=str(row["kind"]),
        created=float(row["created"]),
        files=files,
        missing=tuple(f for f in files if not f.exists()),
        prompt=str(row["prompt"]),
        body=str(row["body"]),
        model_id=str(row["model_id"]),
        licence=str(row["licence"]),
        recipe=recipe if isinstance(recipe, dict) else {},
        seed=row["seed"],
        device=str(row["device"]),
        duration=row["duration"],
    )


def items_json(items: Sequence[HistoryItem]) -> str:
    """The items as one JSON array (for ``sozo history search --json``)."""
    return json.dumps([i.to_json() for i in items], ensure_ascii=False, indent=1)
