"""The .roadmap file's tables, its identity (application_id) and its migrations."""

from __future__ import annotations

APPLICATION_ID = 0x524D4150  # "RMAP" in ASCII
SCHEMA_VERSION = 2
PLAN_ID = 1  # the plan itself; scenarios and snapshots get other ids

_DATE_GLOB = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"


def _date_check(column: str) -> str:
    return f"CHECK ({column} IS NULL OR {column} GLOB {_DATE_GLOB})"


TABLES: dict[str, str] = {
    "roadmap": f"""
CREATE TABLE roadmap (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    title         TEXT    NOT NULL,
    horizon_start TEXT    {_date_check("horizon_start")},
    horizon_end   TEXT    {_date_check("horizon_end")},
    week_start    INTEGER NOT NULL DEFAULT 0 CHECK (week_start BETWEEN 0 AND 6),
    sprint_length INTEGER NOT NULL DEFAULT 14 CHECK (sprint_length BETWEEN 1 AND 365),
    sprint_start  TEXT    {_date_check("sprint_start")},
    now_weeks     INTEGER NOT NULL DEFAULT 6 CHECK (now_weeks >= 0),
    next_weeks    INTEGER NOT NULL DEFAULT 26 CHECK (next_weeks >= 0),
    created       TEXT    NOT NULL,
    modified      TEXT    NOT NULL
)""",
    "plans": """
CREATE TABLE plans (
    id        INTEGER PRIMARY KEY,
    kind      TEXT    NOT NULL CHECK (kind IN ('plan', 'scenario', 'snapshot')),
    name      TEXT    NOT NULL,
    created   TEXT    NOT NULL,
    source_id INTEGER REFERENCES plans(id) ON DELETE SET NULL
)""",
    "lanes": """
CREATE TABLE lanes (
    plan_id   INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    id        INTEGER NOT NULL,
    name      TEXT    NOT NULL,
    color     TEXT    NOT NULL DEFAULT '#4e79a7',
    position  INTEGER NOT NULL DEFAULT 0,
    collapsed INTEGER NOT NULL DEFAULT 0 CHECK (collapsed IN (0, 1)),
    PRIMARY KEY (plan_id, id)
)""",
    "objectives": """
CREATE TABLE objectives (
    plan_id  INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    id       INTEGER NOT NULL,
    name     TEXT    NOT NULL,
    metric   TEXT,
    baseline REAL,
    target   REAL,
    current  REAL,
    color    TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (plan_id, id)
)""",
    "cards": f"""
CREATE TABLE cards (
    plan_id         INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    id              INTEGER NOT NULL,
    title           TEXT    NOT NULL,
    lane_id         INTEGER,
    start_date      TEXT    {_date_check("start_date")},
    end_date        TEXT    {_date_check("end_date")},
    kind            TEXT    NOT NULL DEFAULT 'feature',
    status          TEXT    NOT NULL DEFAULT 'planned',
    as_a            TEXT    NOT NULL DEFAULT '',
    i_want          TEXT    NOT NULL DEFAULT '',
    so_that         TEXT    NOT NULL DEFAULT '',
    description     TEXT    NOT NULL DEFAULT '',
    criteria        TEXT    NOT NULL DEFAULT '[]',
    estimate        REAL,
    priority        TEXT,
    reach           REAL,
    impact          REAL,
    confidence      REAL,
    effort          REAL,
    date_confidence TEXT,
    owner           TEXT    NOT NULL DEFAULT '',
    tags            TEXT    NOT NULL DEFAULT '[]',
    color           TEXT,
    link            TEXT    NOT NULL DEFAULT '',
    objective_id    INTEGER,
    hypothesis      TEXT    NOT NULL DEFAULT '',
    measure         TEXT    NOT NULL DEFAULT '',
    internal        INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
    external_key    TEXT,
    position        INTEGER NOT NULL DEFAULT 0,
    created         TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (plan_id, id),
    FOREIGN KEY (plan_id, lane_id) REFERENCES lanes(plan_id, id),
    FOREIGN KEY (plan_id, objective_id) REFERENCES objectives(plan_id, id)
)""",
    "milestones": """
CREATE TABLE milestones (
    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    id      INTEGER NOT NULL,
    title   TEXT    NOT NULL,
    date    TEXT    NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    lane_id INTEGER,
    kind    TEXT    NOT NULL DEFAULT 'release',
    color   TEXT,
    PRIMARY KEY (plan_id, id),
    FOREIGN KEY (plan_id, lane_id) REFERENCES lanes(plan_id, id)
)""",
    "dependencies": """
CREATE TABLE dependencies (
    plan_id   INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    before_id INTEGER NOT NULL,
    after_id  INTEGER NOT NULL,
    PRIMARY KEY (plan_id, before_id, after_id),
    CHECK (before_id <> after_id),
    FOREIGN KEY (plan_id, before_id) REFERENCES cards(plan_id, id) ON DELETE CASCADE,
    FOREIGN KEY (plan_id, after_id) REFERENCES cards(plan_id, id) ON DELETE CASCADE
)""",
    "views": """
CREATE TABLE views (
    id       INTEGER PRIMARY KEY,
    name     TEXT    NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    settings TEXT    NOT NULL DEFAULT '{}'
)""",
}

INDEXES: dict[str, str] = {
    "cards_by_lane": "CREATE INDEX cards_by_lane ON cards(plan_id, lane_id)",
    "cards_by_id": "CREATE INDEX cards_by_id ON cards(id)",
    "cards_by_key": "CREATE INDEX cards_by_key ON cards(plan_id, external_key)",
    "dependencies_by_after": (
        "CREATE INDEX dependencies_by_after ON dependencies(plan_id, after_id)"
    ),
}

# Columns each table must have; a file of ours that lacks one is damaged.
def expected_columns() -> dict[str, set[str]]:
    import re

    result: dict[str, set[str]] = {}
    for name, ddl in TABLES.items():
        body = ddl[ddl.index("(") + 1 : ddl.rindex(")")]
        cols = set()
        for line in body.splitlines():
            m = re.match(r"\s+([a-z_]+)\s+(INTEGER|TEXT|REAL)", line)
            if m:
                cols.add(m.group(1))
        result[name] = cols
    return result


# Version 1 had no external keys on cards and no saved views.
MIGRATIONS: dict[int, list[str]] = {
    1: [
        "ALTER TABLE cards ADD COLUMN external_key TEXT",
        TABLES["views"],
        INDEXES["cards_by_key"],
    ],
}

# The schema of version 1, kept so that migrations can be tested.
SCHEMA_V1: list[str] = [
    TABLES["roadmap"],
    TABLES["plans"],
    TABLES["lanes"],
    TABLES["objectives"],
    TABLES["cards"].replace("    external_key    TEXT,\n", ""),
    TABLES["milestones"],
    TABLES["dependencies"],
    INDEXES["cards_by_lane"],
    INDEXES["cards_by_id"],
    INDEXES["dependencies_by_after"],
]


def create_statements() -> list[str]:
    """DDL for a new, empty file at the current version."""
    return [*TABLES.values(), *INDEXES.values()]


def known_objects() -> set[tuple[str, str]]:
    """(type, name) of every schema object a file of ours may hold."""
    objects = {("table", name) for name in TABLES}
    objects |= {("index", name) for name in INDEXES}
    return objects
