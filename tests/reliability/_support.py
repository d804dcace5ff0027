"""Shared helpers of the reliability suites: the scale, the printed figures, file digests."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any


def _scale() -> int:
    try:
        return max(1, int(os.environ.get("ROADMAP_TEST_SCALE", "1")))
    except ValueError:
        return 1


SCALE = _scale()
FIGURES: list[str] = []
ROOT = Path(__file__).resolve().parents[2]


def report(line: str) -> None:
    """Record a figure measured by a suite; the conftest prints them after the run."""
    FIGURES.append(line)


def python() -> str:
    """The interpreter running the tests (the project's venv)."""
    import sys

    return sys.executable


def child_env(**extra: str) -> dict[str, str]:
    """Environment for child processes: the checkout on the path, Qt offscreen."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.update(extra)
    return env


def file_state(path: Path, plan_id: int = 1) -> dict[str, Any]:
    """What a user relies on in the plan, read through a second, read-only connection."""
    conn = sqlite3.connect(Path(path).absolute().as_uri() + "?mode=ro", uri=True)
    try:
        return state_of(conn, plan_id)
    finally:
        conn.close()


def state_of(conn: sqlite3.Connection, plan_id: int = 1) -> dict[str, Any]:
    cards = {
        r[0]: {"title": r[1], "lane_id": r[2], "start": r[3], "end": r[4],
               "description": r[5]}
        for r in conn.execute(
            "SELECT id, title, lane_id, start_date, end_date, description FROM cards"
            " WHERE plan_id = ?", (plan_id,))
    }  # fmt: skip
    lanes = {r[0]: r[1] for r in conn.execute(
        "SELECT id, name FROM lanes WHERE plan_id = ?", (plan_id,))}  # fmt: skip
    deps = sorted(tuple(r) for r in conn.execute(
        "SELECT before_id, after_id FROM dependencies WHERE plan_id = ?", (plan_id,)))
    snapshots = conn.execute("SELECT count(*) FROM plans WHERE kind = 'snapshot'").fetchone()[0]
    return {"cards": cards, "lanes": lanes, "deps": deps, "snapshots": snapshots}


def digest(state: dict[str, Any]) -> str:
    """A stable hash of a state, so two states compare as short strings."""
    text = json.dumps(state, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]



class Opener:
    """Drives one long-lived open_worker.py; restarts it after a crash or a hang."""

    def __init__(self, *flags: str, timeout: float = 5.0) -> None:
        self.flags = flags
        self.timeout = timeout
        self.proc: Any = None
        self.restarts = 0

    def _start(self) -> None:
        import subprocess

        self.proc = subprocess.Popen(
            [python(), str(Path(__file__).with_name("open_worker.py")), *self.flags],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=child_env(), cwd=Path(__file__).parent,
        )  # fmt: skip
        line = self._readline(60.0)
        if line is None or not line.startswith(b"{"):
            raise RuntimeError(f"the open worker did not start: {self._stderr()}")

    def _stderr(self) -> str:
        self.proc.kill()
        _, err = self.proc.communicate()
        return str(err.decode(errors="replace")[-3000:])

    def _readline(self, timeout: float) -> bytes | None:
        import select
        import time

        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        buf = getattr(self, "_buf", b"")
        while b"\n" not in buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                self._buf = buf
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                self._buf = b""
                return None
            buf += chunk
        line, _, self._buf = buf.partition(b"\n")
        return line

    def open(self, path: Path) -> dict[str, Any]:
        """One file's report, or {"failure": "crash"|"hang", ...} with the worker restarted."""
        if self.proc is None:
            self._start()
        self.proc.stdin.write(str(path).encode() + b"\n")
        self.proc.stdin.flush()
        line = self._readline(self.timeout)
        if line is not None:
            result: dict[str, Any] = json.loads(line)
            return result
        alive = self.proc.poll() is None
        detail = self._stderr()
        self.proc, self._buf = None, b""
        self.restarts += 1
        return {"path": str(path), "failure": "hang" if alive else "crash", "detail": detail}

    def close(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.communicate()
            self.proc = None
