"""The whole roadmap as JSON: every table, schema-versioned, exact in both directions.

Export, import into a new file and export again gives the same bytes. The file's
``modified`` time is left out: it changes with every edit and is not part of the plan.
Import checks every key and type before a row is written, and refuses hostile files
(deep nesting, huge strings, huge files) with one clear line.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import re
import sqlite3
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from planner import schema, validate
from planner.errors import RoadmapFileError, ValidationError
from planner.io._files import refuse_binary
from planner.model import DATE_CONFIDENCES, KINDS, MILESTONE_KINDS, PRIORITIES, STATUSES
from planner.store import Roadmap

FORMAT = "roadmap-planner"
MAX_JSON_BYTES = 512 * 1024 * 1024
# A JSON string may escape each character as \uXXXX (6 bytes) and hold a few quotes.
_LONG_RUN = re.compile(rb'[^"]{%d}' % (6 * validate.TEXT_LIMIT + 64))
TABLE_ORDER = ("plans", "lanes", "objectives", "cards", "milestones", "dependencies", "views")
# Columns that hold JSON text in the file and appear as JSON values in the export.
_JSON_COLUMNS = {("cards", "criteria"): list, ("cards", "tags"): list, ("views", "settings"): dict}
_CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("cards", "kind"): KINDS,
    ("cards", "status"): STATUSES,
    ("cards", "priority"): PRIORITIES,
    ("cards", "date_confidence"): DATE_CONFIDENCES,
    ("milestones", "kind"): MILESTONE_KINDS,
}
_SKIP = {("roadmap", "id"), ("roadmap", "modified")}
_NAMES = {("roadmap", "title"), ("plans", "name"), ("lanes", "name"), ("objectives", "name"),
          ("cards", "title"), ("milestones", "title"), ("views", "name")}  # fmt: skip




@cache
def columns() -> dict[str, list[tuple[str, str, bool]]]:
    """(name, type, required) of every column of every table, in the schema's order."""
    conn = sqlite3.connect(":memory:")
    try:
        for stmt in schema.create_statements():
            conn.execute(stmt)
        result = {}
        for table in ("roadmap", *TABLE_ORDER):
            result[table] = [
                (str(r[1]), str(r[2]).upper(), bool(r[3]) or bool(r[5]))
                for r in conn.execute(f"PRAGMA table_info({table})")
                if (table, r[1]) not in _SKIP
            ]
        return result
    finally:
        conn.close()


def _order_by(table: str) -> str:
    names = [c[0] for c in columns()[table]]
    if table == "dependencies":
        return "plan_id, before_id, after_id"
    return "plan_id, id" if "plan_id" in names else "id"


def _to_json(table: str, name: str, value: Any) -> Any:
    kind = _JSON_COLUMNS.get((table, name))
    if kind is None:
        return value
    try:
        parsed = json.loads(value) if isinstance(value, str) else None
    except (ValueError, RecursionError):
        parsed = None
    return parsed if isinstance(parsed, kind) else kind()


def export_data(roadmap: Roadmap) -> dict[str, Any]:
    """Every row of every table as plain JSON values."""
    cols = columns()
    data: dict[str, Any] = {"format": FORMAT, "schema_version": schema.SCHEMA_VERSION}
    names = [c[0] for c in cols["roadmap"]]
    (row,) = roadmap._q(f"SELECT {', '.join(names)} FROM roadmap WHERE id = 1")
    data["roadmap"] = dict(zip(names, row))
    for table in TABLE_ORDER:
        names = [c[0] for c in cols[table]]
        rows = roadmap._q(f"SELECT {', '.join(names)} FROM {table} ORDER BY {_order_by(table)}")
        data[table] = [{n: _to_json(table, n, v) for n, v in zip(names, r)} for r in rows]
    return data


def export_json(roadmap: Roadmap) -> bytes:
    """The roadmap as UTF-8 JSON text, the same bytes for the same roadmap."""
    try:
        text = json.dumps(export_data(roadmap), indent=2, ensure_ascii=False, allow_nan=False)
    except ValueError as exc:
        name = roadmap.path.name
        raise RoadmapFileError(f"{name} holds a value JSON cannot carry: {exc}") from None
    return (text + "\n").encode("utf-8")


# ----- import


def load(path: Path) -> Any:
    """Parse a JSON file, refusing huge files, huge strings and deep nesting clearly."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            raise ValidationError(
                f"{name} is {size / 1e6:,.0f} MB; a roadmap's JSON is at most "
                f"{MAX_JSON_BYTES / 1e6:,.0f} MB"
            )
        if size == 0:
            raise ValidationError(f"{name} is empty")
        with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            refuse_binary(mm[:65536], name)
            # Found on the raw bytes, before a huge string is ever built in memory.
            if _LONG_RUN.search(mm):
                raise ValidationError(
                    f"{name} holds a text longer than {validate.TEXT_LIMIT:,} characters; "
                    "it is not a roadmap export"
                )
            data = mm[:]
    except FileNotFoundError:
        raise RoadmapFileError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise RoadmapFileError(f"{name} is a folder, not a file") from None
    except PermissionError:
        raise RoadmapFileError(f"{name}: permission denied") from None
    except OSError as exc:
        raise RoadmapFileError(f"{name} cannot be read: {exc.strerror or exc}") from None
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValidationError(f"{name} is not UTF-8 text") from None
    except RecursionError:
        raise ValidationError(f"{name} is nested too deeply to be a roadmap export") from None
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{name}, line {exc.lineno}: not valid JSON ({exc.msg})") from None
    except ValueError as exc:
        raise ValidationError(f"{name} is not valid JSON ({exc})") from None


def _check_value(where: str, table: str, name: str, typ: str, required: bool,
                 value: Any) -> Any:  # fmt: skip
    """The value to store, or a ValidationError naming where it is wrong."""
    json_kind = _JSON_COLUMNS.get((table, name))
    if json_kind is not None:
        if not isinstance(value, json_kind):
            raise ValidationError(f"{where}.{name} must be a {json_kind.__name__}")
        return _json_text(where, table, name, value)
    if value is None:
        if required:
            raise ValidationError(f"{where}.{name} is required")
        return None
    if typ == "INTEGER":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"{where}.{name} must be a whole number")
        if abs(value) > 2**62:
            raise ValidationError(f"{where}.{name} is out of range")
    elif typ == "REAL":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError(f"{where}.{name} must be a number")
        value = float(value)
    elif typ == "TEXT":
        if not isinstance(value, str):
            raise ValidationError(f"{where}.{name} must be text")
        validate.text(value, f"{where}.{name}")
        if (table, name) in _NAMES:
            validate.title(value, f"{where}.{name}")
        options = _CHOICES.get((table, name))
        if options is not None and value not in options:
            raise ValidationError(f"{where}.{name} must be one of: {', '.join(options)}")
    return value


def _json_text(where: str, table: str, name: str, value: Any) -> str:
    if name == "settings":
        try:
            clean = validate.view_settings(value)
        except ValidationError as exc:
            raise ValidationError(f"{where}.settings: {exc}") from None
        return json.dumps(clean, sort_keys=True)
    if name == "tags":
        if not all(isinstance(t, str) for t in value):
            raise ValidationError(f"{where}.tags must be a list of texts")
        for t in value:
            validate.text(t, f"{where}.tags")
        return json.dumps(value, ensure_ascii=False)
    items = []
    for item in value:
        if (not isinstance(item, dict) or set(item) != {"text", "done"}
                or not isinstance(item["text"], str) or not isinstance(item["done"], bool)):
            raise ValidationError(f"{where}.criteria: each is {{\"text\": ..., \"done\": ...}}")
        validate.text(item["text"], f"{where}.criteria")
        items.append({"text": item["text"], "done": item["done"]})
    return json.dumps(items, ensure_ascii=False)


def check(data: Any, name: str = "the file") -> dict[str, list[dict[str, Any]]]:
    """Rows ready to insert, table by table; ValidationError on the first thing wrong.

    Every message names the file (``name``), so one line says which file and what is wrong.
    """
    with _naming(name):
        return _check(data, name)


@contextlib.contextmanager
def _naming(name: str) -> Iterator[None]:
    """Put the file's name in front of a message that does not start with it."""
    try:
        yield
    except ValidationError as exc:
        if str(exc).startswith(name):
            raise
        raise ValidationError(f"{name}: {exc}") from None


def _check(data: Any, name: str) -> dict[str, list[dict[str, Any]]]:
    if not isinstance(data, dict):
        raise ValidationError(f"{name} is not a roadmap export (it is not a JSON object)")
    if data.get("format") != FORMAT:
        raise ValidationError(f"{name} is not a roadmap export (no \"format\": \"{FORMAT}\")")
    if "schema_version" not in data:
        raise ValidationError(f"{name} lacks the key 'schema_version' at the top level")
    version = data["schema_version"]
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValidationError("schema_version must be a whole number")
    if version > schema.SCHEMA_VERSION:
        raise ValidationError(
            f"the export is of file format {version}; this version reads up to "
            f"{schema.SCHEMA_VERSION}"
        )
    if version < schema.SCHEMA_VERSION:
        raise ValidationError(f"file format {version} exports are not supported")
    expected = {"format", "schema_version", "roadmap", *TABLE_ORDER}
    extra = set(data) - expected
    if extra:
        raise ValidationError(f"unknown key {sorted(extra)[0]!r} at the top level")
    missing = expected - set(data)
    if missing:
        raise ValidationError(f"{name} lacks the key {sorted(missing)[0]!r} at the top level")
    cols = columns()
    out: dict[str, list[dict[str, Any]]] = {}
    for table in ("roadmap", *TABLE_ORDER):
        items = [data[table]] if table == "roadmap" else data[table]
        if not isinstance(items, list):
            raise ValidationError(f"{table} must be a list")
        rows = []
        for i, item in enumerate(items):
            where = table if table == "roadmap" else f"{table}[{i}]"
            if not isinstance(item, dict):
                raise ValidationError(f"{where} must be an object")
            names = {c[0] for c in cols[table]}
            unknown = set(item) - names
            if unknown:
                raise ValidationError(f"{where} has an unknown key {sorted(unknown)[0]!r}")
            absent = names - set(item)
            if absent:
                raise ValidationError(f"{where} lacks the key {sorted(absent)[0]!r}")
            rows.append({n: _check_value(where, table, n, t, req, item[n])
                         for n, t, req in cols[table]})  # fmt: skip
        out[table] = rows
    if not any(p["id"] == schema.PLAN_ID and p["kind"] == "plan" for p in out["plans"]):
        raise ValidationError(f"plans must hold the plan itself (id {schema.PLAN_ID}, kind plan)")
    return out


def _is_empty(roadmap: Roadmap) -> bool:
    counts = roadmap._q(
        "SELECT (SELECT count(*) FROM cards) + (SELECT count(*) FROM lanes)"
        " + (SELECT count(*) FROM milestones) + (SELECT count(*) FROM objectives)"
        " + (SELECT count(*) FROM views) + (SELECT count(*) FROM plans WHERE id <> 1)"
    )
    return int(counts[0][0]) == 0


def write_rows(roadmap: Roadmap, rows: Mapping[str, list[dict[str, Any]]]) -> None:
    """Replace the (empty) roadmap's rows with ``rows``, ids and all, in one transaction."""
    with roadmap.transaction() as conn:
        conn.execute("PRAGMA defer_foreign_keys=ON")
        conn.execute("DELETE FROM views")
        conn.execute("DELETE FROM plans")
        info = rows["roadmap"][0]
        sets = ", ".join(f"{n} = :{n}" for n in info)
        conn.execute(f"UPDATE roadmap SET {sets} WHERE id = 1", info)
        for table in TABLE_ORDER:
            if not rows[table]:
                continue
            names = [c[0] for c in columns()[table]]
            conn.executemany(
                f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                f"({', '.join(':' + n for n in names)})",
                rows[table],
            )
        roadmap._notify("plan", "reset", [schema.PLAN_ID])


def import_json_file(source: Path, new_file: Path | None, roadmap: Roadmap | None = None) -> None:
    """Import a whole-roadmap JSON into a new file, or into ``roadmap`` when it is empty."""
    rows = check(load(source), Path(source).name)
    if roadmap is not None:
        if not _is_empty(roadmap):
            raise ValidationError(
                f"{roadmap.path.name} already holds a roadmap; a JSON export is imported into "
                "a new or empty file"
            )
        with _naming(Path(source).name):
            write_rows(roadmap, rows)
        return
    assert new_file is not None
    new_file = Path(new_file)
    tmp = new_file.with_name(f".{new_file.name}.importing")
    with contextlib.suppress(OSError):
        tmp.unlink()
    title = rows["roadmap"][0].get("title") or "Imported"
    try:
        with Roadmap.create(tmp, title=str(title)) as target, _naming(Path(source).name):
            write_rows(target, rows)
        if new_file.exists():
            raise RoadmapFileError(f"{new_file.name} already exists; choose another name")
        os.replace(tmp, new_file)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
