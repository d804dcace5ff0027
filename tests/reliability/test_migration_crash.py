"""Migrations killed half-way leave the old version intact or the new one complete (issue 8.7)."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from planner import schema
from planner.migrate import backup_path
from planner.store import Roadmap
from tests.reliability._support import SCALE, child_env, python, report

CARDS = 3000

# Kill the migrating process when SQLite is about to run its K-th statement.
KILL_AT_STATEMENT = """
import os, signal, sqlite3, sys
limit, count = int(sys.argv[2]), [0]
_connect = sqlite3.connect
def connect(*args, **kwargs):
    conn = _connect(*args, **kwargs)
    def trace(statement):
        count[0] += 1
        if count[0] == limit:
            os.kill(os.getpid(), signal.SIGKILL)
    conn.set_trace_callback(trace)
    return conn
sqlite3.connect = connect
from planner.store import Roadmap
Roadmap.open(sys.argv[1]).close()
print("STATEMENTS", count[0], flush=True)
"""

OPEN_ONLY = "import sys\nfrom planner.store import Roadmap\nRoadmap.open(sys.argv[1]).close()\n"


def build_v1(path: Path, cards: int = CARDS) -> None:
    """A version-1 file as the first release wrote it."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute(f"PRAGMA application_id={schema.APPLICATION_ID}")
    conn.execute("BEGIN")
    for stmt in schema.SCHEMA_V1:
        conn.execute(stmt)
    conn.execute("INSERT INTO roadmap (id, title, created, modified) VALUES (1, 'Old plan',"
                 " '2025-01-01T00:00:00', '2025-01-01T00:00:00')")  # fmt: skip
    conn.execute("INSERT INTO plans (id, kind, name, created) VALUES (1, 'plan', 'Plan', '2025')")
    conn.execute("INSERT INTO lanes (plan_id, id, name) VALUES (1, 1, 'Lane')")
    conn.executemany(
        "INSERT INTO cards (plan_id, id, title, lane_id, start_date, end_date, description)"
        " VALUES (1, ?, ?, 1, '2026-01-05', '2026-02-05', ?)",
        [(i, f"card {i}", "d" * 200) for i in range(1, cards + 1)],
    )
    conn.execute("PRAGMA user_version=1")
    conn.execute("COMMIT")
    conn.close()


def _state(path: Path) -> tuple[int, int, bool, str]:
    """(user_version, cards, has external_key, integrity) of a file."""
    conn = sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        count = conn.execute("SELECT count(*) FROM cards").fetchone()[0]
        cols = {r[1] for r in conn.execute("PRAGMA table_info(cards)")}
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        return version, count, "external_key" in cols, ok
    finally:
        conn.close()


def _recover_then_state(path: Path) -> tuple[int, int, bool, str]:
    """Reopen through the product (which rolls back a crash), then read the file."""
    # A crash inside the migration may leave a hot journal; a plain connection rolls it back
    # the way SQLite does for any opener, without migrating.
    conn = sqlite3.connect(path)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.close()
    return _state(path)


def _check_after_kill(path: Path) -> str:
    """Old version intact or new one complete, with the backup; returns which."""
    version, count, has_key, ok = _recover_then_state(path)
    assert ok == "ok"
    assert count == CARDS
    backup = backup_path(path, 1)
    if version == 1:
        assert not has_key, "version 1 with version 2's columns: a half-done migration"
        outcome = "old"
    else:
        assert version == schema.SCHEMA_VERSION and has_key
        with Roadmap.open(path, read_only=True) as r:
            assert r.card_count() == CARDS
        outcome = "new"
    if version != 1 or backup.exists():
        assert _state(backup) == (1, CARDS, False, "ok"), "the backup is missing or partial"
    # Whatever happened, the next open finishes the job.
    with Roadmap.open(path) as r:
        assert r.schema_version() == schema.SCHEMA_VERSION and r.card_count() == CARDS
    assert _state(backup) == (1, CARDS, False, "ok")
    return outcome


def test_migration_killed_at_every_statement(tmp_path: Path) -> None:
    seed = tmp_path / "seed.roadmap"
    build_v1(seed)
    probe = tmp_path / "probe.roadmap"
    probe.write_bytes(seed.read_bytes())
    done = subprocess.run([python(), "-c", KILL_AT_STATEMENT, str(probe), "0"],
                          env=child_env(), capture_output=True, check=True)  # fmt: skip
    total = int(done.stdout.split()[1])
    outcomes = {"old": 0, "new": 0}
    for k in range(1, total + 1):
        path = tmp_path / f"at{k}.roadmap"
        path.write_bytes(seed.read_bytes())
        proc = subprocess.run([python(), "-c", KILL_AT_STATEMENT, str(path), str(k)],
                              env=child_env(), capture_output=True)  # fmt: skip
        assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
        outcomes[_check_after_kill(path)] += 1
    report(f"migration: killed before each of its {total} SQL statements: {outcomes['old']}"
           f" left version 1 intact, {outcomes['new']} left version 2 complete,"
           " 0 half-done, backup present whenever the upgrade had begun")  # fmt: skip
    assert outcomes["old"] and outcomes["new"]


def test_migration_killed_at_random_moments(tmp_path: Path) -> None:
    seed = tmp_path / "seed.roadmap"
    build_v1(seed)
    rng = random.Random(7)
    kills = 10 * SCALE
    outcomes = {"old": 0, "new": 0}
    # How long a whole open-and-upgrade takes here, so the kills land across all of it.
    timing = tmp_path / "timing.roadmap"
    timing.write_bytes(seed.read_bytes())
    started = time.monotonic()
    subprocess.run([python(), "-c", OPEN_ONLY, str(timing)], env=child_env(), check=True)
    whole = time.monotonic() - started
    for i in range(kills):
        path = tmp_path / f"kill{i}.roadmap"
        path.write_bytes(seed.read_bytes())
        proc = subprocess.Popen([python(), "-c", OPEN_ONLY, str(path)], env=child_env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
        try:
            proc.wait(timeout=rng.uniform(0.75, 1.0) * whole)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        outcomes[_check_after_kill(path)] += 1
    report(f"migration: {kills} random kills of an upgrading process: {outcomes['old']} old"
           f" version intact, {outcomes['new']} new version complete, 0 half-done")  # fmt: skip
