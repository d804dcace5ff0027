"""The Roadmap document: open or create a .roadmap file, read it, change it.

Every mutating method is one SQLite transaction, committed before it returns, and
returns the new value. Listeners registered with ``subscribe`` hear what changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from planner import schema, validate
from planner.errors import LockedError, ReadOnlyError, RoadmapFileError, ValidationError
from planner.model import (
    Card,
    Criterion,
    Dependency,
    Lane,
    Milestone,
    Objective,
    Plan,
    RoadmapInfo,
    View,
)
from planner.records import record

SQLITE_HEADER = b"SQLite format 3\x00"

_CARD_COLUMNS = (
    "id", "title", "lane_id", "start_date", "end_date", "kind", "status", "as_a", "i_want",
    "so_that", "description", "criteria", "estimate", "priority", "reach", "impact",
    "confidence", "effort", "date_confidence", "owner", "tags", "color", "link",
    "objective_id", "hypothesis", "measure", "internal", "external_key", "position", "created",
)  # fmt: skip
_CARD_SELECT = "SELECT " + ", ".join(_CARD_COLUMNS) + " FROM cards"
# Card fields a caller may set, besides title, lane and dates.
CARD_FIELDS = frozenset(
    {"title", "lane_id", "start", "end"}
    | set(_CARD_COLUMNS) - {"id", "start_date", "end_date", "created"}
)

_COPY_COLUMNS: dict[str, tuple[str, ...]] = {
    "lanes": ("id", "name", "color", "position", "collapsed"),
    "objectives": ("id", "name", "metric", "baseline", "target", "current", "color", "position"),
    "cards": _CARD_COLUMNS,
    "milestones": ("id", "title", "date", "lane_id", "kind", "color"),
    "dependencies": ("before_id", "after_id"),
}


@record
class Change:
    """What a committed transaction changed: entity kind, operation and ids."""

    entity: str  # card, lane, milestone, dependency, objective, view, roadmap, plan
    op: str  # added, updated, removed, reset
    ids: tuple[int, ...] = ()


@record
class DeletedCard:
    """Everything needed to put a deleted card back exactly as it was."""

    card: Card
    dependencies: tuple[Dependency, ...]


@record
class DeletedLane:
    """A deleted lane with the cards and milestones that were in it."""

    lane: Lane
    card_ids: tuple[int, ...]
    milestone_ids: tuple[int, ...]


@record
class DeletedObjective:
    objective: Objective
    card_ids: tuple[int, ...]


Listener = Callable[[Sequence[Change]], None]


def _today_iso() -> str:
    return dt.date.today().isoformat()


def _now_iso() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat()


def parse_date(text: object) -> dt.date | None:
    """A stored YYYY-MM-DD date, or None when absent or unreadable."""
    if text is None or not isinstance(text, str):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _load_json_list(text: object) -> list[Any]:
    if not isinstance(text, str) or not text or text == "[]":
        return []
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return []
    return value if isinstance(value, list) else []


def _new_card(**values: Any) -> Card:
    """A Card from every one of its fields, without the frozen dataclass's per-field setattr.

    Reading 10,000 cards is on the path to the first paint; this halves the cost. The values
    are complete and already checked by ``card_from_row``.
    """
    card = object.__new__(Card)
    card.__dict__.update(values)
    return card


# Reading the cards is on the path to the first paint. Most cards share their dates and tag
# lists with others: each distinct stored text is parsed once (the values are immutable).
_DATES: dict[object, dt.date | None] = {}
_TAGS: dict[object, tuple[str, ...]] = {}
_CACHE_LIMIT = 8192
_V = TypeVar("_V")


def _date_of(text: object) -> dt.date | None:
    try:
        return _DATES[text]
    except (KeyError, TypeError):  # not seen yet, or unhashable
        return _parse_once(_DATES, text, parse_date)


def _tags_of(text: object) -> tuple[str, ...]:
    try:
        return _TAGS[text]
    except (KeyError, TypeError):
        return _parse_once(_TAGS, text, _parse_tags)


def _parse_tags(text: object) -> tuple[str, ...]:
    return tuple(str(t) for t in _load_json_list(text) if isinstance(t, str | int | float))


def _parse_once(cache: dict[object, _V], text: object, parse: Callable[[object], _V]) -> _V:
    """``parse(text)``, kept in ``cache`` under the stored text for the next row."""
    value = parse(text)
    if isinstance(text, str):
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[text] = value
    return value


def _criteria_of(text: object) -> tuple[Criterion, ...]:
    crit = []
    for item in _load_json_list(text):
        if isinstance(item, dict):
            crit.append(Criterion(str(item.get("text", "")), bool(item.get("done", False))))
        elif isinstance(item, list | tuple) and item:
            crit.append(Criterion(str(item[0]), bool(item[1]) if len(item) > 1 else False))
        elif isinstance(item, str):
            crit.append(Criterion(item))
    return tuple(crit)


def card_from_row(row: Sequence[Any]) -> Card:
    """Build a Card from a row of ``_CARD_SELECT``; tolerant of odd stored values."""
    (cid, title, lane_id, start, end, kind, status, as_a, i_want, so_that, description,
     criteria, estimate, priority, reach, impact, confidence, effort, date_confidence, owner,
     tags, color, link, objective_id, hypothesis, measure, internal, external_key, position,
     created) = row  # fmt: skip
    # The common stored values (text, None) take the short way; anything odd goes through the
    # same checks as ever.
    card = object.__new__(Card)
    card.__dict__.update({
        "id": int(cid),
        "title": title if type(title) is str else str(title),
        "lane_id": lane_id if isinstance(lane_id, int) else None,
        "start": _date_of(start),
        "end": _date_of(end),
        "kind": kind if type(kind) is str and kind else str(kind or "feature"),
        "status": status if type(status) is str and status else str(status or "planned"),
        "as_a": as_a if type(as_a) is str else str(as_a or ""),
        "i_want": i_want if type(i_want) is str else str(i_want or ""),
        "so_that": so_that if type(so_that) is str else str(so_that or ""),
        "description": description if type(description) is str else str(description or ""),
        "criteria": () if criteria == "[]" or criteria is None else _criteria_of(criteria),
        "estimate": None if estimate is None else _num(estimate),
        "priority": priority if isinstance(priority, str) else None,
        "reach": None if reach is None else _num(reach),
        "impact": None if impact is None else _num(impact),
        "confidence": None if confidence is None else _num(confidence),
        "effort": None if effort is None else _num(effort),
        "date_confidence": date_confidence if isinstance(date_confidence, str) else None,
        "owner": owner if type(owner) is str else str(owner or ""),
        "tags": _tags_of(tags),
        "color": color if isinstance(color, str) else None,
        "link": link if type(link) is str else str(link or ""),
        "objective_id": objective_id if isinstance(objective_id, int) else None,
        "hypothesis": hypothesis if type(hypothesis) is str else str(hypothesis or ""),
        "measure": measure if type(measure) is str else str(measure or ""),
        "internal": bool(internal),
        "external_key": external_key if isinstance(external_key, str) else None,
        "position": position if isinstance(position, int) else 0,
        "created": created if type(created) is str else str(created or ""),
    })  # fmt: skip
    return card


def _num(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _card_to_row(card: Card) -> dict[str, Any]:
    return {
        "id": card.id,
        "title": card.title,
        "lane_id": card.lane_id,
        "start_date": card.start.isoformat() if card.start else None,
        "end_date": card.end.isoformat() if card.end else None,
        "kind": card.kind,
        "status": card.status,
        "as_a": card.as_a,
        "i_want": card.i_want,
        "so_that": card.so_that,
        "description": card.description,
        "criteria": json.dumps([{"text": c.text, "done": c.done} for c in card.criteria],
                               ensure_ascii=False),
        "estimate": card.estimate,
        "priority": card.priority,
        "reach": card.reach,
        "impact": card.impact,
        "confidence": card.confidence,
        "effort": card.effort,
        "date_confidence": card.date_confidence,
        "owner": card.owner,
        "tags": json.dumps(list(card.tags), ensure_ascii=False),
        "color": card.color,
        "link": card.link,
        "objective_id": card.objective_id,
        "hypothesis": card.hypothesis,
        "measure": card.measure,
        "internal": 1 if card.internal else 0,
        "external_key": card.external_key,
        "position": card.position,
        "created": card.created,
    }


def _read_header(path: Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(100)
    except FileNotFoundError:
        raise RoadmapFileError(f"{path.name}: no such file") from None
    except IsADirectoryError:
        raise RoadmapFileError(f"{path.name} is a folder, not a roadmap file") from None
    except PermissionError:
        raise RoadmapFileError(f"{path.name}: permission denied") from None
    except OSError as exc:
        raise RoadmapFileError(f"{path.name} cannot be read: {exc.strerror}") from None


def check_header(path: Path) -> None:
    """Refuse files that are not SQLite, not ours, or too new, before SQLite sees them."""
    head = _read_header(path)
    if not head:
        raise RoadmapFileError(f"{path.name} is empty: it is not a roadmap file")
    if len(head) < 100 or not head.startswith(SQLITE_HEADER):
        raise RoadmapFileError(f"{path.name} is not a roadmap file (it is not an SQLite database)")
    app_id = int.from_bytes(head[68:72], "big")
    if app_id != schema.APPLICATION_ID:
        raise RoadmapFileError(
            f"{path.name} is an SQLite database from another program, not a roadmap file"
        )
    version = int.from_bytes(head[60:64], "big", signed=True)
    if version > schema.SCHEMA_VERSION:
        raise RoadmapFileError(
            f"{path.name} was made by a newer version of Roadmap Planner "
            f"(file format {version}, this version reads up to {schema.SCHEMA_VERSION})"
        )
    if version < 1:
        raise RoadmapFileError(f"{path.name} is damaged: it has no schema version")


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    uri = Path(path).absolute().as_uri() + ("?mode=ro" if read_only else "?mode=rw")
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA trusted_schema=OFF")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA cell_size_check=ON")
    return conn


def _wal_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]


def _remove_new_wal_files(path: Path, existed: set[Path]) -> None:
    """Reading a file flagged for WAL makes SQLite create -wal and -shm files beside it; remove
    the ones we created, unless the -wal holds data."""
    wal, shm = _wal_files(path)
    with contextlib.suppress(OSError):
        if wal.exists() and wal.stat().st_size > 0:
            return
        for side in (wal, shm):
            if side not in existed and side.exists():
                side.unlink()


def _recover_journal(path: Path, read_only: bool) -> None:
    """Roll back what a crash left half-written, so the file opens at its last commit."""
    journal = path.with_name(path.name + "-journal")
    if not journal.exists() or (read_only and not os.access(path, os.W_OK)):
        return
    # A read-only connection cannot roll back a hot journal and reports the file read-only.
    conn = _connect(path, read_only=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()


def inspect_schema(conn: sqlite3.Connection, name: str) -> None:
    """Refuse a file that fails quick_check or holds objects we did not create."""
    row = conn.execute("PRAGMA quick_check").fetchone()
    if row is None or row[0] != "ok":
        raise RoadmapFileError(f"{name} is damaged (the database check failed)")
    known = schema.known_objects()
    found: dict[str, set[str]] = {}
    for typ, obj_name in conn.execute(
        "SELECT type, name FROM sqlite_master"
    ).fetchall():
        if typ in ("trigger", "view"):
            raise RoadmapFileError(
                f"{name} contains a {typ} ({obj_name!s:.60}) that Roadmap Planner did not "
                "create; it is refused so that nothing in it can run"
            )
        if typ == "index" and str(obj_name).startswith("sqlite_autoindex_"):
            continue
        if typ == "table" and str(obj_name).startswith("sqlite_stat"):
            continue
        if (typ, obj_name) not in known:
            raise RoadmapFileError(
                f"{name} contains a {typ} ({obj_name!s:.60}) that Roadmap Planner did not create"
            )
        found.setdefault(typ, set()).add(str(obj_name))
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    expected = schema.expected_columns()
    if version < schema.SCHEMA_VERSION:
        return  # an older file: the migration checks what it needs
    for table, columns in expected.items():
        if table not in found.get("table", set()):
            raise RoadmapFileError(f"{name} is damaged: the {table} table is missing")
        have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        missing = columns - have
        if missing:
            raise RoadmapFileError(
                f"{name} is damaged: the {table} table lacks {', '.join(sorted(missing))}"
            )
    for table, columns in expected.items():  # every reader takes an id for a whole number
        if "id" in columns and conn.execute(
            f"SELECT 1 FROM {table} WHERE typeof(id) != 'integer' LIMIT 1"
        ).fetchone():
            raise RoadmapFileError(
                f"{name} is damaged: a row of its {table} table has an id that is not a number"
            )
    if conn.execute("SELECT count(*) FROM roadmap").fetchone()[0] != 1:
        raise RoadmapFileError(f"{name} is damaged: it has no roadmap settings row")
    plan_rows = conn.execute("SELECT count(*) FROM plans WHERE id = ?", (schema.PLAN_ID,))
    if plan_rows.fetchone()[0] != 1:
        raise RoadmapFileError(f"{name} is damaged: it has no plan")


@contextlib.contextmanager
def _map_errors(name: str) -> Iterator[None]:
    try:
        yield
    except (RoadmapFileError, ValidationError):
        raise
    except sqlite3.DatabaseError as exc:
        raise RoadmapFileError(f"{name} cannot be read: {_sqlite_message(exc)}") from exc
    except (UnicodeDecodeError, OverflowError, MemoryError) as exc:
        raise RoadmapFileError(f"{name} is damaged: {type(exc).__name__}") from exc


def _sqlite_message(exc: sqlite3.Error) -> str:
    text = str(exc)
    if getattr(exc, "sqlite_errorcode", None) == 1032:  # SQLITE_READONLY_DBMOVED
        return "the file was moved or deleted while open"
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return "the file is damaged"
    if "readonly" in text or "read-only" in text:
        return "the file is read-only"
    if "disk" in text and "full" in text:
        return "the disk is full"
    if "locked" in text or "busy" in text:
        return "the file is in use by another program"
    return text


class Roadmap:
    """An open .roadmap file; the single source of truth for a plan."""

    def __init__(self, path: Path, conn: sqlite3.Connection, read_only: bool,
                 lock_fd: int | None) -> None:  # fmt: skip
        self.path = path
        self._conn = conn
        self._file_read_only = read_only
        self._lock_fd = lock_fd
        self._listeners: list[Listener] = []
        self._pending: list[Change] = []
        self._depth = 0
        self.plan_id = schema.PLAN_ID
        self._snapshot_shown: str | None = None  # name of the snapshot in view: no edits
        self.last_write: dt.datetime | None = None
        # Why the last write failed (disk full, read-only, ...); None once a write succeeds.
        self.write_error: str | None = None
        self._wal_before: set[Path] = set()  # -wal/-shm files that were there before we opened
        # The cards the last committed ``update_cards`` wrote, as a re-read would build them,
        # keyed by (plan, id): every room reads the cards an edit touched right after it, and
        # serving them from here keeps an edit's cost independent of the roadmap's size.
        # Valid while no other connection has written (``PRAGMA data_version``) and until the
        # next transaction begins.
        self._written: dict[tuple[int, int], Card] = {}
        self._written_version: int | None = None
        self._staged: dict[tuple[int, int], Card] = {}

    # ----- opening and closing

    @classmethod
    def create(cls, path: str | os.PathLike[str], title: str = "Untitled roadmap") -> Roadmap:
        """Create a new, empty roadmap file; refuses to overwrite an existing file."""
        path = Path(path)
        title = validate.title(title, "Roadmap title")
        if path.exists():
            raise RoadmapFileError(f"{path.name} already exists; choose another name")
        if not path.parent.exists():
            raise RoadmapFileError(f"the folder {path.parent} does not exist")
        tmp = path.with_name(path.name + ".creating")
        try:
            conn = sqlite3.connect(tmp, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode=DELETE")
                conn.execute(f"PRAGMA application_id={schema.APPLICATION_ID}")
                conn.execute("BEGIN")
                for stmt in schema.create_statements():
                    conn.execute(stmt)
                now = _now_iso()
                conn.execute(
                    "INSERT INTO roadmap (id, title, created, modified) VALUES (1, ?, ?, ?)",
                    (title, now, now),
                )
                conn.execute(
                    "INSERT INTO plans (id, kind, name, created) VALUES (?, 'plan', 'Plan', ?)",
                    (schema.PLAN_ID, now),
                )
                conn.execute(f"PRAGMA user_version={schema.SCHEMA_VERSION}")
                conn.execute("COMMIT")
            finally:
                conn.close()
            os.replace(tmp, path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise RoadmapFileError(f"cannot create {path.name}: {exc.strerror}") from None
        except sqlite3.Error as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise RoadmapFileError(f"cannot create {path.name}: {_sqlite_message(exc)}") from None
        return cls.open(path)

    @classmethod
    def open(cls, path: str | os.PathLike[str], read_only: bool = False) -> Roadmap:
        """Open a roadmap file, refusing anything that is not a sound file of ours."""
        path = Path(path)
        name = path.name
        check_header(path)
        lock_fd = None
        if not read_only:
            lock_fd = _acquire_lock(path)
        conn = None
        wal_before = {p for p in _wal_files(path) if p.exists()}
        try:
            with _map_errors(name):
                _recover_journal(path, read_only)
                probe = _connect(path, read_only=True)
                try:
                    inspect_schema(probe, name)
                    version = probe.execute("PRAGMA user_version").fetchone()[0]
                finally:
                    probe.close()
                if version < schema.SCHEMA_VERSION:
                    if read_only:
                        raise RoadmapFileError(
                            f"{name} was made by an older version and must be upgraded; "
                            "open it for editing once to upgrade it"
                        )
                    from planner.migrate import migrate

                    migrate(path, version)
                conn = _connect(path, read_only=read_only)
                if not read_only:
                    mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
                    if str(mode).lower() != "delete":
                        raise RoadmapFileError(f"{name} cannot be switched to a safe journal mode")
                    conn.execute("PRAGMA synchronous=FULL")
                roadmap = cls(path, conn, read_only, lock_fd)
                roadmap._wal_before = wal_before
                roadmap.info()  # read once so a damaged settings row is found now
                return roadmap
        except BaseException:
            if conn is not None:
                conn.close()
            if lock_fd is not None:
                os.close(lock_fd)
            _remove_new_wal_files(path, wal_before)
            raise

    def close(self) -> None:
        """Close the file; every change is already saved."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None  # type: ignore[assignment]
            _remove_new_wal_files(self.path, self._wal_before)
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    @property
    def closed(self) -> bool:
        return self._conn is None

    def __enter__(self) -> Roadmap:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----- change notification and transactions

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with the changes of every committed transaction."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _notify(self, entity: str, op: str, ids: Iterable[int] = ()) -> None:
        self._pending.append(Change(entity, op, tuple(ids)))

    @contextlib.contextmanager
    def transaction(self, plans: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction; nested calls become savepoints of the outer one.

        While a snapshot is in view only ``plans=True`` transactions (managing snapshots and
        scenarios) are allowed: a snapshot is never changed.
        """
        if self._file_read_only:
            raise ReadOnlyError(f"{self.path.name} is open read-only; changes are not saved")
        if self._snapshot_shown is not None and not plans and self._depth == 0:
            raise ReadOnlyError(
                f"“{_short(self._snapshot_shown)}” is a snapshot and cannot be changed; "
                "switch to the plan or a scenario to edit"
            )
        if self._conn is None:
            raise RoadmapFileError("the roadmap is closed")
        conn = self._conn
        depth = self._depth
        if depth == 0:
            self._written = {}
            self._staged = {}
        try:
            if depth == 0:
                conn.execute("BEGIN IMMEDIATE")
            else:
                conn.execute(f"SAVEPOINT sp{depth}")
        except sqlite3.Error as exc:
            self.write_error = f"{self.path.name} cannot be written: {_sqlite_message(exc)}"
            raise RoadmapFileError(self.write_error) from exc
        self._depth += 1
        mark = len(self._pending)
        try:
            yield conn
            if depth == 0:
                conn.execute("UPDATE roadmap SET modified = ? WHERE id = 1", (_now_iso(),))
                conn.execute("COMMIT")
            else:
                conn.execute(f"RELEASE sp{depth}")
        except BaseException as exc:
            del self._pending[mark:]
            self._staged = {}
            self._depth = depth
            with contextlib.suppress(sqlite3.Error):
                if depth == 0:
                    conn.execute("ROLLBACK")
                else:
                    conn.execute(f"ROLLBACK TO sp{depth}")
                    conn.execute(f"RELEASE sp{depth}")
            if isinstance(exc, sqlite3.Error):
                if isinstance(exc, sqlite3.IntegrityError):
                    raise ValidationError(f"that change is not allowed: {exc}") from exc
                self.write_error = f"{self.path.name} cannot be written: {_sqlite_message(exc)}"
                raise RoadmapFileError(f"{self.write_error}; the change was not saved") from exc
            raise
        self._depth = depth
        if depth == 0:
            self.write_error = None
            self.last_write = dt.datetime.now()
            if self._staged:
                self._written, self._staged = self._staged, {}
                self._written_version = self._data_version()
            changes, self._pending = self._pending, []
            for listener in list(self._listeners):
                listener(changes)

    def _data_version(self) -> int | None:
        """Changes when another connection commits to the file (never for our own commits)."""
        if self._conn is None:
            return None
        try:
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return None

    def _written_cards(self, plan: int, ids: Sequence[int]) -> dict[int, Card] | None:
        """The cards ``ids`` as the last update wrote them, or None unless all are known."""
        if not self._written or self._depth:
            return None
        written = self._written
        found = {}
        for cid in ids:
            card = written.get((plan, cid))
            if card is None:
                return None
            found[cid] = card
        version = self._data_version()
        if version is None or version != self._written_version:
            self._written = {}
            return None
        return {cid: found[cid] for cid in sorted(found)}

    def _q(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[Any]:
        if self._conn is None:
            raise RoadmapFileError("the roadmap is closed")
        with _map_errors(self.path.name):
            return self._conn.execute(sql, params).fetchall()

    # ----- roadmap settings

    def info(self) -> RoadmapInfo:
        """The roadmap's title, horizon, week start and sprint settings."""
        rows = self._q(
            "SELECT title, horizon_start, horizon_end, week_start, sprint_length, sprint_start,"
            " now_weeks, next_weeks FROM roadmap WHERE id = 1"
        )
        if len(rows) != 1:
            raise RoadmapFileError(f"{self.path.name} is damaged: it has no roadmap settings row")
        row = rows[0]
        return RoadmapInfo(
            title=str(row[0]),
            horizon_start=parse_date(row[1]),
            horizon_end=parse_date(row[2]),
            week_start=int(row[3]) if isinstance(row[3], int) and 0 <= row[3] <= 6 else 0,
            sprint_length=int(row[4]) if isinstance(row[4], int) and 0 < row[4] <= 365 else 14,
            sprint_start=parse_date(row[5]),
            now_weeks=int(row[6]) if isinstance(row[6], int) and 0 <= row[6] <= 520 else 6,
            next_weeks=int(row[7]) if isinstance(row[7], int) and 0 <= row[7] <= 520 else 26,
        )

    @property
    def title(self) -> str:
        return self.info().title

    def set_info(self, **fields: Any) -> RoadmapInfo:
        """Change roadmap settings (title, horizon_start, horizon_end, week_start, ...)."""
        current = self.info()
        values = validate.info_fields(fields)
        merged = replace(current, **values)
        start, end = merged.horizon_start, merged.horizon_end
        if start and end and end < start:
            raise ValidationError("The planning horizon ends before it starts")
        with self.transaction() as conn:
            conn.execute(
                "UPDATE roadmap SET title=?, horizon_start=?, horizon_end=?, week_start=?,"
                " sprint_length=?, sprint_start=?, now_weeks=?, next_weeks=? WHERE id = 1",
                (merged.title, _iso(merged.horizon_start), _iso(merged.horizon_end),
                 merged.week_start, merged.sprint_length, _iso(merged.sprint_start),
                 merged.now_weeks, merged.next_weeks),
            )  # fmt: skip
            self._notify("roadmap", "updated")
        return merged

    # ----- lanes

    def lanes(self, plan_id: int | None = None) -> list[Lane]:
        """The lanes of the plan in view (or of ``plan_id``), in order."""
        return [
            Lane(id=r[0], name=str(r[1]), color=_color(r[2], "#4e79a7"),
                 position=r[3] if isinstance(r[3], int) else 0, collapsed=bool(r[4]))
            for r in self._q(
                "SELECT id, name, color, position, collapsed FROM lanes WHERE plan_id = ?"
                " ORDER BY position, id", (self._plan_or(plan_id),))
        ]  # fmt: skip

    def lane(self, lane_id: int) -> Lane:
        for lane in self.lanes():
            if lane.id == lane_id:
                return lane
        raise ValidationError(f"There is no lane {lane_id}")

    def add_lane(self, name: str, color: str | None = None, position: int | None = None) -> Lane:
        """Add a lane at the end (or at ``position``)."""
        name = validate.title(name, "Lane name")
        color = validate.color(color) or _PALETTE[len(self.lanes()) % len(_PALETTE)]
        with self.transaction() as conn:
            new_id = self._next_id(conn, "lanes")
            count = conn.execute(
                "SELECT count(*) FROM lanes WHERE plan_id = ?", (self.plan_id,)
            ).fetchone()[0]
            pos = count if position is None else max(0, min(int(position), count))
            conn.execute(
                "UPDATE lanes SET position = position + 1 WHERE plan_id = ? AND position >= ?",
                (self.plan_id, pos),
            )
            conn.execute(
                "INSERT INTO lanes (plan_id, id, name, color, position) VALUES (?, ?, ?, ?, ?)",
                (self.plan_id, new_id, name, color, pos),
            )
            self._notify("lane", "added", [new_id])
        return self.lane(new_id)

    def update_lane(self, lane_id: int, **fields: Any) -> Lane:
        """Rename, recolour or collapse a lane."""
        self.lane(lane_id)
        values: dict[str, Any] = {}
        for key, value in fields.items():
            if key == "name":
                values["name"] = validate.title(value, "Lane name")
            elif key == "color":
                values["color"] = validate.color(value) or "#4e79a7"
            elif key == "collapsed":
                values["collapsed"] = 1 if validate.boolean(value, "Collapsed") else 0
            else:
                raise ValidationError(f"A lane has no field {key!r}")
        if values:
            with self.transaction() as conn:
                sets = ", ".join(f"{k} = ?" for k in values)
                conn.execute(
                    f"UPDATE lanes SET {sets} WHERE plan_id = ? AND id = ?",
                    (*values.values(), self.plan_id, lane_id),
                )
                self._notify("lane", "updated", [lane_id])
        return self.lane(lane_id)

    def move_lane(self, lane_id: int, index: int) -> list[Lane]:
        """Put a lane at ``index`` in the order; returns the lanes in their new order."""
        lanes = self.lanes()
        ids = [lane.id for lane in lanes]
        if lane_id not in ids:
            raise ValidationError(f"There is no lane {lane_id}")
        ids.remove(lane_id)
        ids.insert(max(0, min(index, len(ids))), lane_id)
        self._set_lane_order(ids)
        return self.lanes()

    def _set_lane_order(self, ids: Sequence[int]) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE lanes SET position = ? WHERE plan_id = ? AND id = ?",
                [(i, self.plan_id, lid) for i, lid in enumerate(ids)],
            )
            self._notify("lane", "updated", ids)

    def delete_lane(self, lane_id: int) -> DeletedLane:
        """Delete a lane; its cards go to the backlog and its milestones become global."""
        lane = self.lane(lane_id)
        with self.transaction() as conn:
            card_ids = tuple(r[0] for r in conn.execute(
                "SELECT id FROM cards WHERE plan_id = ? AND lane_id = ?", (self.plan_id, lane_id)))
            ms_ids = tuple(r[0] for r in conn.execute(
                "SELECT id FROM milestones WHERE plan_id = ? AND lane_id = ?",
                (self.plan_id, lane_id)))  # fmt: skip
            conn.execute("UPDATE cards SET lane_id = NULL WHERE plan_id = ? AND lane_id = ?",
                         (self.plan_id, lane_id))  # fmt: skip
            conn.execute(
                "UPDATE milestones SET lane_id = NULL WHERE plan_id = ? AND lane_id = ?",
                (self.plan_id, lane_id),
            )
            conn.execute("DELETE FROM lanes WHERE plan_id = ? AND id = ?", (self.plan_id, lane_id))
            conn.execute(
                "UPDATE lanes SET position = position - 1 WHERE plan_id = ? AND position > ?",
                (self.plan_id, lane.position),
            )
            self._notify("lane", "removed", [lane_id])
            if card_ids:
                self._notify("card", "updated", card_ids)
            if ms_ids:
                self._notify("milestone", "updated", ms_ids)
        return DeletedLane(lane, card_ids, ms_ids)

    def restore_lane(self, deleted: DeletedLane) -> Lane:
        """Undo ``delete_lane``: the lane, its place, its cards and milestones come back."""
        lane = deleted.lane
        with self.transaction() as conn:
            conn.execute(
                "UPDATE lanes SET position = position + 1 WHERE plan_id = ? AND position >= ?",
                (self.plan_id, lane.position),
            )
            conn.execute(
                "INSERT INTO lanes (plan_id, id, name, color, position, collapsed)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (self.plan_id, lane.id, lane.name, lane.color, lane.position, int(lane.collapsed)),
            )
            conn.executemany(
                "UPDATE cards SET lane_id = ? WHERE plan_id = ? AND id = ?",
                [(lane.id, self.plan_id, cid) for cid in deleted.card_ids],
            )
            conn.executemany(
                "UPDATE milestones SET lane_id = ? WHERE plan_id = ? AND id = ?",
                [(lane.id, self.plan_id, mid) for mid in deleted.milestone_ids],
            )
            self._notify("lane", "added", [lane.id])
            if deleted.card_ids:
                self._notify("card", "updated", deleted.card_ids)
            if deleted.milestone_ids:
                self._notify("milestone", "updated", deleted.milestone_ids)
        return self.lane(lane.id)

    def lane_card_count(self, lane_id: int) -> int:
        return int(self._q("SELECT count(*) FROM cards WHERE plan_id = ? AND lane_id = ?",
                           (self.plan_id, lane_id))[0][0])  # fmt: skip

    # ----- cards

    def cards(self, plan_id: int | None = None) -> list[Card]:
        """Every card of the plan in view (or of ``plan_id``), scheduled and backlog alike."""
        with _map_errors(self.path.name):
            return [card_from_row(r) for r in self._q(
                _CARD_SELECT + " WHERE plan_id = ? ORDER BY position, id",
                (self._plan_or(plan_id),))]

    def cards_in_lanes(self, lane_ids: Sequence[int], plan_id: int | None = None) -> list[Card]:
        """The plan's cards in these lanes (in no set order): a big roadmap reads the lanes at
        the top this way before its first paint."""
        if not lane_ids:
            return []
        marks = ",".join("?" * len(lane_ids))
        with _map_errors(self.path.name):
            return [card_from_row(r) for r in self._q(
                _CARD_SELECT + f" WHERE plan_id = ? AND lane_id IN ({marks})",
                (self._plan_or(plan_id), *lane_ids))]  # fmt: skip

    def lanes_in_use(self, plan_id: int | None = None) -> set[int | None]:
        """The lane ids the plan's cards have, as ``Card.lane_id`` gives them (None: no lane)."""
        rows = self._q("SELECT DISTINCT lane_id FROM cards WHERE plan_id = ?",
                       (self._plan_or(plan_id),))  # fmt: skip
        return {r[0] if isinstance(r[0], int) else None for r in rows}

    def card_ids(self, plan_id: int | None = None) -> list[int]:
        """The ids of every card of the plan in view (or of ``plan_id``), in no set order."""
        return [r[0] for r in self._q("SELECT id FROM cards WHERE plan_id = ?",
                                      (self._plan_or(plan_id),))]  # fmt: skip

    def card_ids_in_lane(self, lane_id: int | None, plan_id: int | None = None) -> list[int]:
        """The ids of the plan's cards in one lane, undated first, then by start date, end date
        and id; ``None``: the cards in no lane (or in a lane that is gone).

        A big roadmap is read lane by lane in this order a chunk at a time (``read_cards``):
        each chunk's bars stack below or after the ones before, so the timeline moves none of
        the bars it placed already.
        """
        plan = self._plan_or(plan_id)
        order = " ORDER BY start_date, end_date, id"
        if lane_id is None:
            rows = self._q("SELECT id FROM cards WHERE plan_id = ? AND (lane_id IS NULL OR"
                           " lane_id NOT IN (SELECT id FROM lanes WHERE plan_id = ?))" + order,
                           (plan, plan))  # fmt: skip
        else:
            rows = self._q("SELECT id FROM cards WHERE plan_id = ? AND lane_id = ?" + order,
                           (plan, lane_id))  # fmt: skip
        return [r[0] for r in rows]

    def read_cards(self, ids: Sequence[int], plan_id: int | None = None) -> list[Card]:
        """The cards with these ids (missing ones are left out), for a window filling in.

        The cards read are kept as an update's are, so the rooms that re-read them by id right
        after (``cards_by_id``) read no row again.
        """
        plan = self._plan_or(plan_id)
        cards: list[Card] = []
        with _map_errors(self.path.name):
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                marks = ",".join("?" * len(chunk))
                cards.extend(card_from_row(r) for r in self._q(
                    _CARD_SELECT + f" WHERE plan_id = ? AND id IN ({marks})", (plan, *chunk)))
        if not self._depth:
            self._written = {(plan, c.id): c for c in cards}
            self._written_version = self._data_version()
        return cards

    def card(self, card_id: int) -> Card:
        """One card; ValidationError if there is no such card."""
        rows = self._q(_CARD_SELECT + " WHERE plan_id = ? AND id = ?", (self.plan_id, card_id))
        if not rows:
            raise ValidationError(f"There is no card {card_id}")
        with _map_errors(self.path.name):
            return card_from_row(rows[0])

    def cards_by_id(self, ids: Iterable[int], plan_id: int | None = None) -> dict[int, Card]:
        """The cards with these ids (missing ones are left out)."""
        plan = self._plan_or(plan_id)
        wanted = list(ids)
        written = self._written_cards(plan, wanted)
        if written is not None:
            return written
        if self._conn is None:
            raise RoadmapFileError("the roadmap is closed")
        return {cid: card for cid, (card, _) in self._read_cards(self._conn, plan, wanted).items()}

    def differing_cards(self, plan_a: int, plan_b: int) -> tuple[list[Card], list[Card]]:
        """Cards of ``plan_a`` not identical in ``plan_b``, and the other way round.

        SQLite compares the rows, so comparing two plans of 10,000 cards reads only the
        few hundred that differ.
        """
        n = len(_CARD_COLUMNS)
        a_cols = ", ".join(f"a.{c}" for c in _CARD_COLUMNS)
        b_cols = ", ".join(f"b.{c}" for c in _CARD_COLUMNS)
        differs = " OR ".join(f"a.{c} IS NOT b.{c}" for c in _CARD_COLUMNS if c != "id")
        changed = self._q(
            f"SELECT {a_cols}, {b_cols} FROM cards a LEFT JOIN cards b"
            " ON b.plan_id = ?2 AND b.id = a.id"
            f" WHERE a.plan_id = ?1 AND (b.id IS NULL OR {differs})", (plan_a, plan_b))
        added = self._q(
            f"SELECT {b_cols} FROM cards b WHERE b.plan_id = ?2 AND NOT EXISTS"
            " (SELECT 1 FROM cards a WHERE a.plan_id = ?1 AND a.id = b.id)", (plan_a, plan_b))
        with _map_errors(self.path.name):
            before = [card_from_row(r[:n]) for r in changed]
            after = [card_from_row(r[n:]) for r in changed if r[n] is not None]
            after += [card_from_row(r) for r in added]
        return before, after

    def add_card(
        self,
        title: str,
        lane_id: int | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        **fields: Any,
    ) -> Card:
        """Add a card; without dates it goes to the backlog."""
        return self.add_cards([dict(fields, title=title, lane_id=lane_id, start=start, end=end)])[0]

    def add_cards(self, specs: Sequence[Mapping[str, Any]]) -> list[Card]:
        """Add several cards in one transaction (an import, a paste)."""
        with self.transaction() as conn:
            lanes = self._ids(conn, "lanes")
            objectives = self._ids(conn, "objectives")
            next_id = self._next_id(conn, "cards")
            next_pos = conn.execute(
                "SELECT coalesce(max(position), -1) + 1 FROM cards WHERE plan_id = ?",
                (self.plan_id,),
            ).fetchone()[0]
            rows = []
            for i, spec in enumerate(specs):
                values = validate.card_fields(dict(spec), lanes, objectives, creating=True)
                card = Card(id=next_id + i, position=next_pos + i, created=_today_iso(),
                            **values)  # fmt: skip
                if "position" in spec:
                    card = replace(card, position=values.get("position", card.position))
                rows.append(_card_to_row(card))
            self._insert_card_rows(conn, rows)
            ids = [r["id"] for r in rows]
            self._notify("card", "added", ids)
        found = self.cards_by_id(ids)
        return [found[i] for i in ids]

    def _insert_card_rows(self, conn: sqlite3.Connection, rows: Sequence[dict[str, Any]]) -> None:
        cols = ", ".join(_CARD_COLUMNS)
        marks = ", ".join(f":{c}" for c in _CARD_COLUMNS)
        conn.executemany(
            f"INSERT INTO cards (plan_id, {cols}) VALUES ({self.plan_id}, {marks})", rows
        )

    def update_card(self, card_id: int, **fields: Any) -> Card:
        """Change any fields of a card (title, dates, lane, story, RICE, tags, ...)."""
        return self.update_cards({card_id: fields})[card_id]

    def update_cards(self, changes: Mapping[int, Mapping[str, Any]]) -> dict[int, Card]:
        """Change fields of several cards in one transaction."""
        return self.update_cards_with_before(changes)[1]

    def update_cards_with_before(
        self, changes: Mapping[int, Mapping[str, Any]]
    ) -> tuple[dict[int, Card], dict[int, Card]]:
        """``update_cards``, also returning the cards as they were: (before, after).

        The cards are read once, inside the transaction; only the lanes and objectives the
        changes name are looked up to validate them.
        """
        if not changes:
            return {}, {}
        outermost = self._depth == 0
        with self.transaction() as conn:
            plan = self.plan_id
            lanes = self._known_ids(conn, "lanes", changes, "lane_id")
            objectives = self._known_ids(conn, "objectives", changes, "objective_id")
            read = self._read_cards(conn, plan, list(changes))
            current = {cid: card for cid, (card, _row) in read.items()}
            after: dict[int, Card] = {}
            writes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for card_id, fields in changes.items():
                if card_id not in read:
                    raise ValidationError(f"There is no card {card_id}")
                card, stored = read[card_id]
                values = validate.card_fields(dict(fields), lanes, objectives, creating=False)
                if "criteria" in values:
                    values["criteria"] = tuple(Criterion(str(c.text), bool(c.done))
                                               for c in values["criteria"])  # fmt: skip
                # Validated values are what a re-read of them gives, so this is the card the
                # file will hold (the hypothesis test in tests/planner/test_store_edits.py).
                new = _new_card(**{**card.__dict__, **values})
                if new.start is not None and new.end is not None and new.end < new.start:
                    raise ValidationError(
                        f"“{_short(new.title)}” would end ({new.end}) "
                        f"before it starts ({new.start})"
                    )
                if (new.start is None) != (new.end is None):
                    raise ValidationError(
                        "A card needs both a start and an end date, or neither (backlog)"
                    )
                after[card_id] = new
                # The row as the whole card writes it; only the columns that differ from the
                # stored row are sent (same file, less work for SQLite and its indexes).
                row = _card_to_row(new)
                cols = tuple(c for c, old in zip(_CARD_COLUMNS, stored, strict=True)
                             if type(old) is not type(row[c]) or old != row[c])  # fmt: skip
                if cols:
                    writes.setdefault(cols, []).append(row)
            for cols, rows in writes.items():
                sets = ", ".join(f"{c} = :{c}" for c in cols)
                conn.executemany(f"UPDATE cards SET {sets} WHERE plan_id = {plan} AND id = :id",
                                 rows)  # fmt: skip
            if outermost:
                self._staged = {(plan, cid): card for cid, card in after.items()}
            self._notify("card", "updated", list(changes))
        return current, {cid: after[cid] for cid in sorted(after)}

    def _read_cards(
        self, conn: sqlite3.Connection, plan: int, ids: Sequence[int]
    ) -> dict[int, tuple[Card, Sequence[Any]]]:
        """The cards with these ids, each with its stored row."""
        result: dict[int, tuple[Card, Sequence[Any]]] = {}
        with _map_errors(self.path.name):
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                marks = ",".join("?" * len(chunk))
                for row in conn.execute(_CARD_SELECT + f" WHERE plan_id = ? AND id IN ({marks})",
                                        (plan, *chunk)):  # fmt: skip
                    card = card_from_row(row)
                    result[card.id] = (card, row)
        return result

    def _known_ids(
        self,
        conn: sqlite3.Connection,
        table: str,
        changes: Mapping[int, Mapping[str, Any]],
        field: str,
    ) -> set[int]:
        """Which of the ``table`` ids that ``changes`` set ``field`` to exist in the plan."""
        named = {
            v for f in changes.values() if field in f
            for v in (f[field],) if isinstance(v, int) and not isinstance(v, bool)
        }  # fmt: skip
        if not named:
            return set()
        wanted = list(named)
        known: set[int] = set()
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            known.update(r[0] for r in conn.execute(
                f"SELECT id FROM {table} WHERE plan_id = ? AND id IN ({marks})",
                (self.plan_id, *chunk)))  # fmt: skip
        return known

    def move_card(
        self, card_id: int, start: dt.date | None, end: dt.date | None, lane_id: int | None = None
    ) -> Card:
        """Set a card's dates, and its lane when ``lane_id`` is given (None keeps the lane)."""
        return self.move_cards([(card_id, start, end, lane_id)])[card_id]

    def move_cards(
        self, moves: Sequence[tuple[int, dt.date | None, dt.date | None, int | None]]
    ) -> dict[int, Card]:
        """Move several cards in one transaction; each keeps its lane when lane is None."""
        changes: dict[int, dict[str, Any]] = {}
        for card_id, start, end, lane_id in moves:
            fields: dict[str, Any] = {"start": start, "end": end}
            if lane_id is not None:
                fields["lane_id"] = lane_id
            changes[card_id] = fields
        return self.update_cards(changes)

    def delete_card(self, card_id: int) -> DeletedCard:
        """Delete a card and its dependencies; returns what ``restore_cards`` needs."""
        return self.delete_cards([card_id])[0]

    def delete_cards(self, card_ids: Sequence[int]) -> list[DeletedCard]:
        """Delete several cards in one transaction."""
        found = self.cards_by_id(card_ids)
        missing = [cid for cid in card_ids if cid not in found]
        if missing:
            raise ValidationError(f"There is no card {missing[0]}")
        deps_by_card: dict[int, list[Dependency]] = {cid: [] for cid in card_ids}
        for dep in self.dependencies():
            for cid in (dep.before_id, dep.after_id):
                if cid in deps_by_card:
                    deps_by_card[cid].append(dep)
                    break
        with self.transaction() as conn:
            conn.executemany(
                "DELETE FROM cards WHERE plan_id = ? AND id = ?",
                [(self.plan_id, cid) for cid in card_ids],
            )
            self._notify("card", "removed", card_ids)
            if any(deps_by_card.values()):
                self._notify("dependency", "removed")
        return [DeletedCard(found[cid], tuple(deps_by_card[cid])) for cid in card_ids]

    def restore_cards(self, deleted: Sequence[DeletedCard]) -> list[Card]:
        """Undo ``delete_cards``: the same ids, fields and dependencies."""
        with self.transaction() as conn:
            lanes = self._ids(conn, "lanes")
            objectives = self._ids(conn, "objectives")
            rows = []
            for item in deleted:
                card = item.card
                if card.lane_id is not None and card.lane_id not in lanes:
                    card = replace(card, lane_id=None)
                if card.objective_id is not None and card.objective_id not in objectives:
                    card = replace(card, objective_id=None)
                rows.append(_card_to_row(card))
            self._insert_card_rows(conn, rows)
            deps = {(d.before_id, d.after_id) for item in deleted for d in item.dependencies}
            conn.executemany(
                "INSERT OR IGNORE INTO dependencies (plan_id, before_id, after_id)"
                " SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM cards WHERE plan_id = ? AND id = ?)"
                " AND EXISTS (SELECT 1 FROM cards WHERE plan_id = ? AND id = ?)",
                [(self.plan_id, b, a, self.plan_id, b, self.plan_id, a) for b, a in deps],
            )
            ids = [item.card.id for item in deleted]
            self._notify("card", "added", ids)
            if deps:
                self._notify("dependency", "added")
        found = self.cards_by_id(ids)
        return [found[i] for i in ids if i in found]

    def tags(self) -> list[str]:
        """Every tag in use in the plan in view, sorted case-insensitively."""
        seen: set[str] = set()
        for (text,) in self._q("SELECT tags FROM cards WHERE plan_id = ?", (self.plan_id,)):
            for tag in _load_json_list(text):
                if isinstance(tag, str):
                    seen.add(tag)
        return sorted(seen, key=str.casefold)

    def card_count(self) -> int:
        return int(self._q("SELECT count(*) FROM cards WHERE plan_id = ?", (self.plan_id,))[0][0])

    # ----- milestones

    def milestones(self, plan_id: int | None = None) -> list[Milestone]:
        """Milestones of the plan in view (or of ``plan_id``), by date."""
        result = []
        for r in self._q("SELECT id, title, date, lane_id, kind, color FROM milestones"
                         " WHERE plan_id = ? ORDER BY date, id",
                         (self._plan_or(plan_id),)):  # fmt: skip
            day = parse_date(r[2])
            if day is None:
                continue
            result.append(Milestone(id=r[0], title=str(r[1]), date=day,
                                    lane_id=r[3] if isinstance(r[3], int) else None,
                                    kind=str(r[4] or "release"),
                                    color=r[5] if isinstance(r[5], str) else None))  # fmt: skip
        return result

    def milestone(self, milestone_id: int) -> Milestone:
        for m in self.milestones():
            if m.id == milestone_id:
                return m
        raise ValidationError(f"There is no milestone {milestone_id}")

    def add_milestone(
        self, title: str, date: dt.date, lane_id: int | None = None, **fields: Any
    ) -> Milestone:
        """Add a dated marker, global or in a lane."""
        with self.transaction() as conn:
            values = validate.milestone_fields(
                dict(fields, title=title, date=date, lane_id=lane_id), self._ids(conn, "lanes"),
                creating=True,
            )
            new_id = self._next_id(conn, "milestones")
            conn.execute(
                "INSERT INTO milestones (plan_id, id, title, date, lane_id, kind, color)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (self.plan_id, new_id, values["title"], values["date"].isoformat(),
                 values.get("lane_id"), values.get("kind", "release"), values.get("color")),
            )  # fmt: skip
            self._notify("milestone", "added", [new_id])
        return self.milestone(new_id)

    def update_milestone(self, milestone_id: int, **fields: Any) -> Milestone:
        """Change a milestone's title, date, lane, kind or colour."""
        current = self.milestone(milestone_id)
        with self.transaction() as conn:
            values = validate.milestone_fields(dict(fields), self._ids(conn, "lanes"),
                                               creating=False)  # fmt: skip
            new = replace(current, **values)
            conn.execute(
                "UPDATE milestones SET title=?, date=?, lane_id=?, kind=?, color=?"
                " WHERE plan_id = ? AND id = ?",
                (new.title, new.date.isoformat(), new.lane_id, new.kind, new.color,
                 self.plan_id, milestone_id),
            )  # fmt: skip
            self._notify("milestone", "updated", [milestone_id])
        return self.milestone(milestone_id)

    def delete_milestone(self, milestone_id: int) -> Milestone:
        current = self.milestone(milestone_id)
        with self.transaction() as conn:
            conn.execute("DELETE FROM milestones WHERE plan_id = ? AND id = ?",
                         (self.plan_id, milestone_id))  # fmt: skip
            self._notify("milestone", "removed", [milestone_id])
        return current

    def restore_milestone(self, m: Milestone) -> Milestone:
        with self.transaction() as conn:
            lane_id = m.lane_id if m.lane_id in self._ids(conn, "lanes") else None
            conn.execute(
                "INSERT INTO milestones (plan_id, id, title, date, lane_id, kind, color)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (self.plan_id, m.id, m.title, m.date.isoformat(), lane_id, m.kind, m.color),
            )
            self._notify("milestone", "added", [m.id])
        return self.milestone(m.id)

    # ----- dependencies

    def dependencies(self, plan_id: int | None = None) -> list[Dependency]:
        return [Dependency(r[0], r[1]) for r in self._q(
            "SELECT before_id, after_id FROM dependencies WHERE plan_id = ?"
            " ORDER BY before_id, after_id", (self._plan_or(plan_id),))]  # fmt: skip

    def add_dependency(self, before_id: int, after_id: int) -> Dependency:
        """Card ``before_id`` must finish before ``after_id`` starts; refuses cycles."""
        for value in (before_id, after_id):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationError("A dependency links two cards by their ids")
        if before_id == after_id:
            raise ValidationError("A card cannot depend on itself")
        found = self.cards_by_id([before_id, after_id])
        for cid in (before_id, after_id):
            if cid not in found:
                raise ValidationError(f"There is no card {cid}")
        deps = self.dependencies()
        if Dependency(before_id, after_id) in deps:
            return Dependency(before_id, after_id)
        if _reachable(deps, after_id, before_id):
            raise ValidationError(
                f"“{_short(found[before_id].title)}” already depends on "
                f"“{_short(found[after_id].title)}”; this link would make a loop"
            )
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO dependencies (plan_id, before_id, after_id) VALUES (?, ?, ?)",
                (self.plan_id, before_id, after_id),
            )
            self._notify("dependency", "added", [before_id, after_id])
        return Dependency(before_id, after_id)

    def remove_dependency(self, before_id: int, after_id: int) -> Dependency:
        with self.transaction() as conn:
            cur = conn.execute(
                "DELETE FROM dependencies WHERE plan_id = ? AND before_id = ? AND after_id = ?",
                (self.plan_id, before_id, after_id),
            )
            if cur.rowcount == 0:
                raise ValidationError("There is no such dependency")
            self._notify("dependency", "removed", [before_id, after_id])
        return Dependency(before_id, after_id)

    # ----- objectives

    def objectives(self) -> list[Objective]:
        return [
            Objective(id=r[0], name=str(r[1]), metric=r[2] if isinstance(r[2], str) else None,
                      baseline=_num(r[3]), target=_num(r[4]), current=_num(r[5]),
                      color=r[6] if isinstance(r[6], str) else None,
                      position=r[7] if isinstance(r[7], int) else 0)
            for r in self._q(
                "SELECT id, name, metric, baseline, target, current, color, position"
                " FROM objectives WHERE plan_id = ? ORDER BY position, id", (self.plan_id,))
        ]  # fmt: skip

    def objective(self, objective_id: int) -> Objective:
        for o in self.objectives():
            if o.id == objective_id:
                return o
        raise ValidationError(f"There is no objective {objective_id}")

    def add_objective(
        self,
        name: str,
        metric: str | None = None,
        baseline: float | None = None,
        target: float | None = None,
        current: float | None = None,
        color: str | None = None,
    ) -> Objective:
        """Add an objective (a goal with a metric)."""
        values = validate.objective_fields(dict(name=name, metric=metric, baseline=baseline,
                                                target=target, current=current, color=color))
        with self.transaction() as conn:
            new_id = self._next_id(conn, "objectives")
            pos = conn.execute("SELECT count(*) FROM objectives WHERE plan_id = ?",
                               (self.plan_id,)).fetchone()[0]  # fmt: skip
            conn.execute(
                "INSERT INTO objectives (plan_id, id, name, metric, baseline, target, current,"
                " color, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (self.plan_id, new_id, values["name"], values.get("metric"),
                 values.get("baseline"), values.get("target"), values.get("current"),
                 values.get("color"), pos),
            )  # fmt: skip
            self._notify("objective", "added", [new_id])
        return self.objective(new_id)

    def update_objective(self, objective_id: int, **fields: Any) -> Objective:
        current = self.objective(objective_id)
        values = validate.objective_fields(fields, creating=False)
        new = replace(current, **values)
        with self.transaction() as conn:
            conn.execute(
                "UPDATE objectives SET name=?, metric=?, baseline=?, target=?, current=?, color=?"
                " WHERE plan_id = ? AND id = ?",
                (new.name, new.metric, new.baseline, new.target, new.current, new.color,
                 self.plan_id, objective_id),
            )  # fmt: skip
            self._notify("objective", "updated", [objective_id])
        return new

    def delete_objective(self, objective_id: int) -> DeletedObjective:
        current = self.objective(objective_id)
        with self.transaction() as conn:
            card_ids = tuple(r[0] for r in conn.execute(
                "SELECT id FROM cards WHERE plan_id = ? AND objective_id = ?",
                (self.plan_id, objective_id)))  # fmt: skip
            conn.execute("UPDATE cards SET objective_id = NULL WHERE plan_id = ? AND "
                         "objective_id = ?", (self.plan_id, objective_id))  # fmt: skip
            conn.execute("DELETE FROM objectives WHERE plan_id = ? AND id = ?",
                         (self.plan_id, objective_id))  # fmt: skip
            self._notify("objective", "removed", [objective_id])
            if card_ids:
                self._notify("card", "updated", card_ids)
        return DeletedObjective(current, card_ids)

    def restore_objective(self, deleted: DeletedObjective) -> Objective:
        o = deleted.objective
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO objectives (plan_id, id, name, metric, baseline, target, current,"
                " color, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (self.plan_id, o.id, o.name, o.metric, o.baseline, o.target, o.current, o.color,
                 o.position),
            )  # fmt: skip
            conn.executemany("UPDATE cards SET objective_id = ? WHERE plan_id = ? AND id = ?",
                             [(o.id, self.plan_id, c) for c in deleted.card_ids])  # fmt: skip
            self._notify("objective", "added", [o.id])
            if deleted.card_ids:
                self._notify("card", "updated", deleted.card_ids)
        return self.objective(o.id)

    # ----- saved views

    def views(self) -> list[View]:
        """Saved views (lenses), in order."""
        result = []
        for r in self._q("SELECT id, name, position, settings FROM views ORDER BY position, id"):
            try:
                settings = json.loads(r[3]) if isinstance(r[3], str) else {}
            except (ValueError, RecursionError):
                settings = {}
            if not isinstance(settings, dict):
                settings = {}
            result.append(View(id=r[0], name=str(r[1]),
                               position=r[2] if isinstance(r[2], int) else 0,
                               settings=settings))  # fmt: skip
        return result

    def view(self, view_id: int) -> View:
        for v in self.views():
            if v.id == view_id:
                return v
        raise ValidationError(f"There is no view {view_id}")

    def view_named(self, name: str) -> View:
        for v in self.views():
            if v.name == name:
                return v
        for v in self.views():
            if v.name.casefold() == name.casefold():
                return v
        raise ValidationError(f"There is no view named “{_short(name)}”")

    def add_view(self, name: str, **settings: Any) -> View:
        """Save a view with its settings (see docs/api.md for the keys)."""
        name = validate.title(name, "View name")
        clean = validate.view_settings(settings)
        with self.transaction() as conn:
            pos = conn.execute("SELECT count(*) FROM views").fetchone()[0]
            cur = conn.execute("INSERT INTO views (name, position, settings) VALUES (?, ?, ?)",
                               (name, pos, json.dumps(clean, sort_keys=True)))  # fmt: skip
            new_id = int(cur.lastrowid or 0)
            self._notify("view", "added", [new_id])
        return self.view(new_id)

    def update_view(self, view_id: int, name: str | None = None, **settings: Any) -> View:
        """Rename a view and/or change some of its settings (others are kept)."""
        current = self.view(view_id)
        new_name = current.name if name is None else validate.title(name, "View name")
        merged = dict(current.settings)
        merged.update(validate.view_settings(settings))
        with self.transaction() as conn:
            conn.execute("UPDATE views SET name = ?, settings = ? WHERE id = ?",
                         (new_name, json.dumps(merged, sort_keys=True), view_id))  # fmt: skip
            self._notify("view", "updated", [view_id])
        return self.view(view_id)

    def replace_view_settings(self, view_id: int, settings: Mapping[str, Any]) -> View:
        """Set a view's settings to exactly ``settings`` (used by undo)."""
        self.view(view_id)
        clean = validate.view_settings(dict(settings))
        with self.transaction() as conn:
            conn.execute("UPDATE views SET settings = ? WHERE id = ?",
                         (json.dumps(clean, sort_keys=True), view_id))  # fmt: skip
            self._notify("view", "updated", [view_id])
        return self.view(view_id)

    def delete_view(self, view_id: int) -> View:
        current = self.view(view_id)
        with self.transaction() as conn:
            conn.execute("DELETE FROM views WHERE id = ?", (view_id,))
            conn.execute("UPDATE views SET position = position - 1 WHERE position > ?",
                         (current.position,))  # fmt: skip
            self._notify("view", "removed", [view_id])
        return current

    def restore_view(self, v: View) -> View:
        with self.transaction() as conn:
            conn.execute("UPDATE views SET position = position + 1 WHERE position >= ?",
                         (v.position,))  # fmt: skip
            conn.execute("INSERT INTO views (id, name, position, settings) VALUES (?, ?, ?, ?)",
                         (v.id, v.name, v.position, json.dumps(v.settings, sort_keys=True)))
            self._notify("view", "added", [v.id])
        return self.view(v.id)

    def move_view(self, view_id: int, index: int) -> list[View]:
        ids = [v.id for v in self.views()]
        if view_id not in ids:
            raise ValidationError(f"There is no view {view_id}")
        ids.remove(view_id)
        ids.insert(max(0, min(index, len(ids))), view_id)
        with self.transaction() as conn:
            conn.executemany("UPDATE views SET position = ? WHERE id = ?",
                             [(i, vid) for i, vid in enumerate(ids)])  # fmt: skip
            self._notify("view", "updated", ids)
        return self.views()

    # ----- plans: the plan, scenarios and snapshots

    def plans(self) -> list[Plan]:
        return [Plan(id=r[0], kind=str(r[1]), name=str(r[2]), created=str(r[3]),
                     source_id=r[4] if isinstance(r[4], int) else None)
                for r in self._q("SELECT id, kind, name, created, source_id FROM plans"
                                 " ORDER BY id")]  # fmt: skip

    def plan(self, plan_id: int | None = None) -> Plan:
        wanted = self.plan_id if plan_id is None else plan_id
        for p in self.plans():
            if p.id == wanted:
                return p
        raise ValidationError(f"There is no plan, scenario or snapshot {wanted}")

    @property
    def read_only(self) -> bool:
        """True when edits are refused: the file is open read-only, or a snapshot is in view."""
        return self._file_read_only or self._snapshot_shown is not None

    @property
    def file_read_only(self) -> bool:
        """True when the file itself was opened read-only (no snapshot or scenario changes)."""
        return self._file_read_only

    @property
    def editable(self) -> bool:
        return not self.read_only

    def _plan_or(self, plan_id: int | None) -> int:
        return self.plan_id if plan_id is None else plan_id

    def _check_plan_name(self, kind: str, name: str, plan_id: int | None = None) -> None:
        for p in self.plans():
            if p.kind == kind and p.id != plan_id and p.name.casefold() == name.casefold():
                raise ValidationError(f"There is already a {kind} named “{_short(p.name)}”")

    def use_plan(self, plan_id: int) -> Plan:
        """Show and edit the plan or a scenario; a snapshot is shown and refuses edits."""
        p = self.plan(plan_id)
        self.plan_id = p.id
        self._snapshot_shown = p.name if p.kind == "snapshot" else None
        for listener in list(self._listeners):
            listener([Change("plan", "reset", (p.id,))])
        return p

    def copy_plan(self, kind: str, name: str, source_id: int | None = None) -> Plan:
        """Copy a plan (the plan by default) into a new snapshot or scenario."""
        if kind not in ("snapshot", "scenario"):
            raise ValidationError("A copy is a snapshot or a scenario")
        name = validate.title(name, "Name")
        self._check_plan_name(kind, name)
        source = self.plan(schema.PLAN_ID if source_id is None else source_id)
        with self.transaction(plans=True) as conn:
            cur = conn.execute(
                "INSERT INTO plans (kind, name, created, source_id) VALUES (?, ?, ?, ?)",
                (kind, name, _now_iso(), source.id),
            )
            new_id = int(cur.lastrowid or 0)
            self._copy_rows(conn, source.id, new_id)
            self._notify("plan", "added", [new_id])
        return self.plan(new_id)

    def take_snapshot(self, name: str) -> Plan:
        """Freeze a named copy of the plan."""
        return self.copy_plan("snapshot", name, schema.PLAN_ID)

    def create_scenario(self, name: str, source_id: int | None = None) -> Plan:
        """A what-if copy of the plan (or of a snapshot) to edit freely."""
        return self.copy_plan("scenario", name, source_id)

    def _copy_rows(self, conn: sqlite3.Connection, src: int, dst: int) -> None:
        for table, cols in _COPY_COLUMNS.items():
            names = ", ".join(cols)
            conn.execute(
                f"INSERT INTO {table} (plan_id, {names}) SELECT ?, {names} FROM {table}"
                " WHERE plan_id = ?",
                (dst, src),
            )

    def rename_plan(self, plan_id: int, name: str) -> Plan:
        if plan_id == schema.PLAN_ID:
            raise ValidationError("The plan itself cannot be renamed")
        name = validate.title(name, "Name")
        current = self.plan(plan_id)
        self._check_plan_name(current.kind, name, plan_id)
        with self.transaction(plans=True) as conn:
            conn.execute("UPDATE plans SET name = ? WHERE id = ?", (name, plan_id))
            self._notify("plan", "updated", [plan_id])
        return self.plan(plan_id)

    def delete_plan(self, plan_id: int) -> None:
        """Delete a snapshot or discard a scenario."""
        if plan_id == schema.PLAN_ID:
            raise ValidationError("The plan itself cannot be deleted")
        self.plan(plan_id)
        shown = (self.plan_id, self._snapshot_shown)
        try:
            with self.transaction(plans=True) as conn:
                conn.execute("DELETE FROM plans WHERE id = ?", (plan_id,))
                self._notify("plan", "removed", [plan_id])
                if self.plan_id == plan_id:
                    # The plan in view is gone: show the plan itself (listeners read it).
                    self.plan_id, self._snapshot_shown = schema.PLAN_ID, None
                    self._notify("plan", "reset", [schema.PLAN_ID])
        except BaseException:
            self.plan_id, self._snapshot_shown = shown
            raise

    def promote_scenario(self, scenario_id: int, snapshot_name: str | None = None) -> Plan:
        """Make a scenario the plan; the old plan is kept as a snapshot. Returns that snapshot."""
        scenario = self.plan(scenario_id)
        if scenario.kind != "scenario":
            raise ValidationError("Only a scenario can be promoted to be the plan")
        name = snapshot_name or f"Plan before “{_short(scenario.name)}”"
        if not snapshot_name:
            taken = {p.name.casefold() for p in self.plans() if p.kind == "snapshot"}
            base, n = name, 2
            while name.casefold() in taken:
                name, n = f"{base} ({n})", n + 1
        self._check_plan_name("snapshot", name)
        shown = (self.plan_id, self._snapshot_shown)
        try:
            with self.transaction(plans=True) as conn:
                cur = conn.execute(
                    "INSERT INTO plans (kind, name, created, source_id)"
                    " VALUES ('snapshot', ?, ?, ?)", (name, _now_iso(), schema.PLAN_ID),
                )  # fmt: skip
                snap_id = int(cur.lastrowid or 0)
                self._copy_rows(conn, schema.PLAN_ID, snap_id)
                for table in ("dependencies", "milestones", "cards", "objectives", "lanes"):
                    conn.execute(f"DELETE FROM {table} WHERE plan_id = ?", (schema.PLAN_ID,))
                self._copy_rows(conn, scenario_id, schema.PLAN_ID)
                conn.execute("DELETE FROM plans WHERE id = ?", (scenario_id,))
                self._notify("plan", "added", [snap_id])
                self._notify("plan", "removed", [scenario_id])
                # Listeners hear all of it at once, with the plan already in view.
                self.plan_id, self._snapshot_shown = schema.PLAN_ID, None
                self._notify("plan", "reset", [schema.PLAN_ID])
        except BaseException:
            self.plan_id, self._snapshot_shown = shown
            raise
        return self.plan(snap_id)

    # ----- copies

    def save_copy(self, target: str | os.PathLike[str]) -> Path:
        """Write a consistent copy of the whole file through SQLite's backup API."""
        target = Path(target)
        if target.resolve() == self.path.resolve():
            raise RoadmapFileError("a copy cannot replace the file it is a copy of")
        if self._conn is None:
            raise RoadmapFileError("the roadmap is closed")
        try:
            from planner.io._files import create_beside  # mode 0666 less the umask, not 0600

            fd, tmp_name = create_beside(target.parent, ".copy-", ".roadmap")
        except OSError as exc:
            raise RoadmapFileError(
                f"cannot write a copy to {target.parent}: {exc.strerror}"
            ) from None
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            dest = sqlite3.connect(tmp, isolation_level=None)
            try:
                self._conn.backup(dest)
                dest.execute("PRAGMA journal_mode=DELETE")
            finally:
                dest.close()
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except (OSError, sqlite3.Error) as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            reason = exc.strerror if isinstance(exc, OSError) else _sqlite_message(exc)
            raise RoadmapFileError(f"cannot write a copy to {target.name}: {reason}") from None
        return target

    def counts(self) -> dict[str, int]:
        """How many lanes, cards, milestones, ... the plan in view holds."""
        p = self.plan_id

        def q(sql: str) -> int:
            return int(self._q(sql, (p,))[0][0])

        return {
            "lanes": q("SELECT count(*) FROM lanes WHERE plan_id = ?"),
            "cards": q("SELECT count(*) FROM cards WHERE plan_id = ?"),
            "scheduled": q("SELECT count(*) FROM cards WHERE plan_id = ? AND start_date IS NOT NULL"
                           " AND end_date IS NOT NULL"),
            "backlog": q("SELECT count(*) FROM cards WHERE plan_id = ? AND (start_date IS NULL"
                         " OR end_date IS NULL)"),
            "milestones": q("SELECT count(*) FROM milestones WHERE plan_id = ?"),
            "dependencies": q("SELECT count(*) FROM dependencies WHERE plan_id = ?"),
            "objectives": q("SELECT count(*) FROM objectives WHERE plan_id = ?"),
            "views": int(self._q("SELECT count(*) FROM views")[0][0]),
            "snapshots": int(self._q("SELECT count(*) FROM plans WHERE kind = 'snapshot'")[0][0]),
            "scenarios": int(self._q("SELECT count(*) FROM plans WHERE kind = 'scenario'")[0][0]),
        }  # fmt: skip

    def date_range(self) -> tuple[dt.date, dt.date] | None:
        """Earliest start and latest end over cards and milestones, or None."""
        row = self._q(
            "SELECT min(d), max(d) FROM (SELECT start_date AS d FROM cards WHERE plan_id = ?1"
            " UNION ALL SELECT end_date FROM cards WHERE plan_id = ?1"
            " UNION ALL SELECT date FROM milestones WHERE plan_id = ?1)",
            (self.plan_id,),
        )[0]
        lo, hi = parse_date(row[0]), parse_date(row[1])
        if lo is None or hi is None:
            return None
        return lo, hi

    def schema_version(self) -> int:
        return int(self._q("PRAGMA user_version")[0][0])

    # ----- helpers

    def _next_id(self, conn: sqlite3.Connection, table: str) -> int:
        # Ids are unique across plans so that a card keeps its identity in every copy.
        return int(conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0])

    def _ids(self, conn: sqlite3.Connection, table: str) -> set[int]:
        return {r[0] for r in conn.execute(f"SELECT id FROM {table} WHERE plan_id = ?",
                                           (self.plan_id,))}  # fmt: skip


_PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#af7aa1", "#edc948",
            "#9c755f", "#ff9da7", "#bab0ac")  # fmt: skip


def _color(value: object, default: str) -> str:
    return value if isinstance(value, str) and validate.is_color(value) else default


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _reachable(deps: Sequence[Dependency], start: int, goal: int) -> bool:
    """True when ``goal`` can be reached from ``start`` along before→after links."""
    succ: dict[int, list[int]] = {}
    for d in deps:
        succ.setdefault(d.before_id, []).append(d.after_id)
    stack, seen = [start], {start}
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        for nxt in succ.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False


def _acquire_lock(path: Path) -> int:
    """Take an exclusive advisory lock on the file; the OS drops it if we die."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as exc:
        raise RoadmapFileError(f"{path.name} cannot be opened: {exc.strerror}") from None
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise LockedError(
            f"{path.name} is already open in another window or program; "
            "open it read-only or open a copy"
        ) from None
    return fd
