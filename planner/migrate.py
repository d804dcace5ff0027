"""Upgrade an older .roadmap file in place, after writing a backup copy of it."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from planner import schema
from planner.errors import RoadmapFileError


def backup_path(path: Path, version: int) -> Path:
    return path.with_name(f"{path.name}.bak-v{version}")


def migrate(path: Path, version: int) -> Path:
    """Bring ``path`` from ``version`` to the current schema in one transaction.

    The untouched file is first copied to ``NAME.roadmap.bak-v<version>``; a crash during the
    upgrade leaves either the old version or the new one complete, never a mixture.
    """
    backup = backup_path(path, version)
    tmp = backup.with_name(backup.name + ".tmp")
    try:
        shutil.copyfile(path, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, backup)
    except OSError as exc:
        raise RoadmapFileError(
            f"{path.name} needs an upgrade, but its backup could not be written: {exc.strerror}"
        ) from None
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA trusted_schema=OFF")
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            while current < schema.SCHEMA_VERSION:
                for stmt in schema.MIGRATIONS[current]:
                    conn.execute(stmt)
                current += 1
            conn.execute(f"PRAGMA user_version={schema.SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    except (sqlite3.Error, KeyError) as exc:
        raise RoadmapFileError(
            f"{path.name} could not be upgraded ({exc}); it is unchanged, "
            f"and a backup is at {backup.name}"
        ) from None
    finally:
        conn.close()
    return backup
