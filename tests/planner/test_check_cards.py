"""`roadmap check` finds with set-based SQL what reading every card would meet.

Whatever the file holds, the check ends as it did when it read the cards one by one: sound when
every card reads, the same message (or the same error) when one does not.
"""

from __future__ import annotations

import contextlib
import io
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from planner import Roadmap, cli
from planner.errors import RoadmapFileError

Tamper = Callable[[sqlite3.Connection], None]


def _file(tmp_path: Path, tamper: Tamper) -> Path:
    path = tmp_path / "plan.roadmap"
    with Roadmap.create(path, title="Check") as r:
        lane = r.add_lane("Lane")
        r.add_cards([{"title": f"card {i}", "lane_id": lane.id, "description": "plain"}
                     for i in range(30)])  # fmt: skip
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        tamper(conn)
    finally:
        conn.close()
    return path


def _check(path: Path) -> tuple[object, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code: object = cli.main(["check", str(path)])
        except Exception as exc:  # noqa: BLE001 - compared with the card reader's own
            code = type(exc)
    return code, err.getvalue().strip()


def _one_by_one(path: Path) -> object:
    """What opening the file and reading its cards one by one meets: None, or the error's
    type and message."""
    try:
        with Roadmap.open(path, read_only=True) as r:
            r.cards()
    except Exception as exc:  # noqa: BLE001
        return type(exc), str(exc)
    return None


CASES: dict[str, Tamper] = {
    "plain": lambda c: None,
    "accents, emoji, NUL and a replacement character": lambda c: c.execute(
        "UPDATE cards SET title = 'café 🚀 ' || char(65533), owner = 'a' || char(0) || 'b'"
        " WHERE id = 3"),
    "a broken UTF-8 description": lambda c: c.execute(
        "UPDATE cards SET description = CAST(x'41c328fffe80' AS TEXT) WHERE id = 7"),
    "a lone continuation byte in the tags": lambda c: c.execute(
        "UPDATE cards SET tags = CAST(x'5b22802283225d' AS TEXT) WHERE id = 30"),
    "a broken byte after a NUL": lambda c: c.execute(
        "UPDATE cards SET link = CAST(x'4100ff' AS TEXT) WHERE id = 2"),
    "a surrogate in a numeric column": lambda c: c.execute(
        "UPDATE cards SET estimate = CAST(x'eda080' AS TEXT) WHERE id = 4"),
    "text in a numeric column": lambda c: c.execute(
        "UPDATE cards SET estimate = 'lots', position = 'first' WHERE id = 5"),
    "a blob title": lambda c: c.execute("UPDATE cards SET title = x'00ff10' WHERE id = 6"),
    "a fractional id": lambda c: c.execute("UPDATE cards SET id = 1.5 WHERE id = 1"),
    "an infinite id": lambda c: c.execute("UPDATE cards SET id = 1e999 WHERE id = 1"),
    "a text id": lambda c: c.execute("UPDATE cards SET id = 'abc' WHERE id = 1"),
}  # fmt: skip


@pytest.mark.parametrize("name", CASES)
def test_check_ends_as_reading_every_card_would(tmp_path: Path, name: str) -> None:
    path = _file(tmp_path, CASES[name])
    met = _one_by_one(path)
    code, message = _check(path)
    if met is None:
        assert (code, message) == (0, "")
    elif met[0] is RoadmapFileError:
        assert (code, message) == (1, f"roadmap: {met[1]}")
    else:
        assert code is met[0]  # the same error escapes as before


@pytest.mark.parametrize("name", CASES)
def test_the_set_based_pass_flags_every_card_that_would_not_read(tmp_path: Path,
                                                                 name: str) -> None:  # fmt: skip
    path = _file(tmp_path, CASES[name])
    readable = all(cli._cards_readable(path, 1, columns) for columns in cli._CHECK_COLUMNS)
    if _one_by_one(path) is not None:
        assert not readable
    elif name in ("plain", "accents, emoji, NUL and a replacement character"):
        assert readable  # no needless slow read for ordinary text


def test_the_columns_checked_are_every_column_a_card_is_read_from() -> None:
    from planner.store import _CARD_COLUMNS

    checked = [c for group in cli._CHECK_COLUMNS for c in group]
    assert sorted(checked) == sorted(_CARD_COLUMNS)
    assert set(checked) >= cli._NUMERIC_COLUMNS
