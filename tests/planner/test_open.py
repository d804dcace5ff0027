"""Opening safely: files that are not sound roadmaps of ours are refused and left untouched."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from planner import Roadmap, RoadmapFileError
from planner.migrate import backup_path
from planner.schema import APPLICATION_ID, SCHEMA_V1, SCHEMA_VERSION


def make_valid(path: Path) -> None:
    with Roadmap.create(path, title="Valid") as r:
        lane = r.add_lane("Lane")
        r.add_card("Card", lane.id, dt.date(2026, 1, 5), dt.date(2026, 1, 9))


def _sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    for stmt in statements:
        conn.execute(stmt)
    conn.close()


def not_sqlite(path: Path) -> None:
    path.write_text("Summary,Status\nLogin,Done\n")


def empty(path: Path) -> None:
    path.write_bytes(b"")


def foreign_sqlite(path: Path) -> None:
    _sql(path, "CREATE TABLE notes (body TEXT)", "INSERT INTO notes VALUES ('hi')")


def newer(path: Path) -> None:
    make_valid(path)
    _sql(path, f"PRAGMA user_version={SCHEMA_VERSION + 1}")


def with_trigger(path: Path) -> None:
    make_valid(path)
    _sql(path, "CREATE TRIGGER t AFTER UPDATE ON cards BEGIN DELETE FROM lanes; END")


def with_view(path: Path) -> None:
    make_valid(path)
    _sql(path, "CREATE VIEW v AS SELECT * FROM cards")


def with_extra_table(path: Path) -> None:
    make_valid(path)
    _sql(path, "CREATE TABLE payload (x)")


def missing_column(path: Path) -> None:
    make_valid(path)
    _sql(path, "ALTER TABLE lanes DROP COLUMN collapsed")


def text_id(path: Path) -> None:
    make_valid(path)
    _sql(path, "UPDATE cards SET id = 'abc'")


def damaged(path: Path) -> None:
    make_valid(path)
    data = bytearray(path.read_bytes())
    page = 4096
    for i in range(page + 8, min(len(data), 3 * page)):
        data[i] = 0xFF
    path.write_bytes(bytes(data))


def truncated_header(path: Path) -> None:
    make_valid(path)
    path.write_bytes(path.read_bytes()[:60])


CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "not sqlite": (not_sqlite, "not an SQLite database"),
    "empty": (empty, "is empty"),
    "another program's database": (foreign_sqlite, "another program"),
    "newer schema": (newer, "newer version of Roadmap Planner"),
    "trigger": (with_trigger, "trigger"),
    "view": (with_view, "view"),
    "unknown table": (with_extra_table, "did not create"),
    "missing column": (missing_column, "damaged"),
    "a card id that is text": (text_id, "damaged: a row of its cards table has an id"),
    "damaged pages": (damaged, "damaged|cannot be read"),
    "truncated": (truncated_header, "not an SQLite database"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_refused_with_a_clear_message_and_left_unchanged(tmp_path: Path, case: str) -> None:
    build, message = CASES[case]
    path = tmp_path / "x.roadmap"
    build(path)
    before = path.read_bytes()
    listing = sorted(p.name for p in tmp_path.iterdir())
    for read_only in (False, True):
        with pytest.raises(RoadmapFileError, match=message):
            Roadmap.open(path, read_only=read_only)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing


@pytest.mark.parametrize("case", ["not sqlite", "trigger", "newer schema", "empty"])
def test_cli_check_refuses_with_one_line_and_exit_1(tmp_path: Path, case: str) -> None:
    build, message = CASES[case]
    path = tmp_path / "x.roadmap"
    build(path)
    before = path.read_bytes()
    done = subprocess.run([sys.executable, "-m", "planner.cli", "check", str(path)],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("roadmap: ")
    assert "Traceback" not in done.stderr
    assert path.read_bytes() == before


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RoadmapFileError, match="no such file"):
        Roadmap.open(tmp_path / "nope.roadmap")


def test_a_trigger_in_the_file_never_runs(tmp_path: Path) -> None:
    path = tmp_path / "x.roadmap"
    make_valid(path)
    _sql(path, "CREATE TRIGGER t AFTER INSERT ON cards BEGIN DELETE FROM lanes; END")
    with pytest.raises(RoadmapFileError):
        Roadmap.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM lanes").fetchone()[0] == 1
    conn.close()


def make_v1(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    for stmt in SCHEMA_V1:
        conn.execute(stmt)
    conn.execute("INSERT INTO roadmap (id, title, created, modified) VALUES (1, 'Old', '', '')")
    conn.execute("INSERT INTO plans (id, kind, name, created) VALUES (1, 'plan', 'Plan', '')")
    conn.execute("INSERT INTO lanes (plan_id, id, name) VALUES (1, 1, 'Lane')")
    conn.execute("INSERT INTO cards (plan_id, id, title, lane_id, start_date, end_date)"
                 " VALUES (1, 1, 'Kept across the upgrade', 1, '2026-01-05', '2026-01-09')")
    conn.execute("PRAGMA user_version=1")
    conn.close()


def test_migration_from_v1_writes_a_backup_first(tmp_path: Path) -> None:
    path = tmp_path / "old.roadmap"
    make_v1(path)
    original = path.read_bytes()
    with Roadmap.open(path) as r:
        assert r.schema_version() == SCHEMA_VERSION
        card = r.cards()[0]
        assert card.title == "Kept across the upgrade"
        assert card.external_key is None
        r.add_view("New in v2")
    backup = backup_path(path, 1)
    assert backup.read_bytes() == original
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


def test_old_file_opened_read_only_is_not_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.roadmap"
    make_v1(path)
    original = path.read_bytes()
    with pytest.raises(RoadmapFileError, match="older version"):
        Roadmap.open(path, read_only=True)
    assert path.read_bytes() == original


def test_hand_written_file_from_the_documented_format(tmp_path: Path) -> None:
    """A roadmap written with plain SQL, following docs/file-format.md, opens."""
    path = tmp_path / "hand.roadmap"
    script = (Path(__file__).resolve().parents[2] / "docs" / "file-format.md").read_text()
    sql = script.split("```sql", 2)[2].split("```", 1)[0]  # the second block: the example
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(script.split("```sql", 2)[1].split("```", 1)[0])
    conn.executescript(sql)
    conn.close()
    with Roadmap.open(path) as r:
        titles = [c.title for c in r.cards()]
        assert "Offline mode" in titles
        assert r.lanes()[0].name == "Mobile"
