"""Crash durability: SIGKILL at random moments never loses an acknowledged edit (issue 8.1)."""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from planner.sample import build_sample
from planner.store import Roadmap
from tests.reliability._support import SCALE, child_env, digest, file_state, python, report

HERE = Path(__file__).resolve().parent
KILLS = 200 * SCALE


def _integrity(path: Path) -> bool:
    conn = sqlite3.connect(path)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return ok and not conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()


def _lock_holders(path: Path) -> str:
    """Who holds a lock on the file right now (Linux /proc/locks), to explain a refusal."""
    try:
        inode = os.stat(path).st_ino
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError as exc:
        return f"locks unknown: {exc}"
    held = [ln for ln in lines if f":{inode} " in ln]
    described = []
    for line in held:
        pid = line.split()[4]
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:200]
        except OSError:
            cmd = "(gone)"
        described.append(f"{line.strip()} [{cmd}]")
    return "locks: " + ("; ".join(described) if described else "none now")


def _read_until(proc: subprocess.Popen[bytes], deadline: float, stop: bytes | None) -> bytes:
    """Read the child's output until ``deadline`` (or until a line starting with ``stop``)."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    data = b""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return data
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return data
        chunk = os.read(fd, 65536)
        if not chunk:
            return data
        data += chunk
        if stop is not None and stop in data and data.endswith(b"\n"):
            return data


def _kill_cycles(path: Path, copies: Path, cycles: int, seed: int) -> Counter[str]:
    """Start an editing child, kill it at a random moment, check the file; ``cycles`` times."""
    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    current = digest(file_state(path))
    for _ in range(cycles):
        proc = subprocess.Popen(
            [python(), str(HERE / "crash_child.py"), str(path), str(rng.randrange(1 << 30)),
             str(copies)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env(),
        )  # fmt: skip
        out = _read_until(proc, time.monotonic() + 20, b"READY")
        out += _read_until(proc, time.monotonic() + rng.uniform(0.0, 0.08), None)
        proc.send_signal(signal.SIGKILL)
        rest, err = proc.communicate()
        out += rest
        counts["kills"] += 1
        if proc.returncode != -signal.SIGKILL:
            counts["child errors"] += 1
            counts.setdefault("first child error", 0)
            print(err.decode(errors="replace")[-2000:], _lock_holders(path))
        lines = [ln.split(" ", 3) for ln in out.decode().splitlines()]
        seen = {current}
        acked, in_flight, copies_made = current, None, []
        begun: dict[str, tuple[str, str]] = {}
        for parts in lines:
            if parts[0] == "READY" and parts[1] != current:
                counts["lost acknowledged edits"] += 1  # the reopened file is not the last state
            elif parts[0] == "BEGIN":
                begun[parts[1]] = (parts[2], parts[3])
                in_flight = parts[2]
            elif parts[0] == "ACK":
                acked, kind = begun[parts[1]]
                seen.add(acked)
                in_flight = None
                counts["acknowledged edits"] += 1
                if kind == "copy":
                    copies_made.append((copies / f"copy-{parts[1]}.roadmap", acked))
        if os.path.exists(str(path) + "-journal"):
            counts["kills leaving a hot journal"] += 1
        if in_flight is not None:
            counts["kills inside an edit"] += 1
        try:
            Roadmap.open(path).close()  # what the user does next: open it again
        except Exception as exc:  # noqa: BLE001 - any failure to reopen is counted
            counts["files that did not reopen"] += 1
            print(f"reopen failed: {exc}; {_lock_holders(path)}")
        if not _integrity(path):
            counts["integrity failures"] += 1
        now = digest(file_state(path))
        if now == acked:
            pass
        elif now == in_flight:
            counts["in-flight edits completed"] += 1
        elif now in seen:
            counts["lost acknowledged edits"] += 1
        else:
            counts["half-applied actions"] += 1
        for copy_path, expected in copies_made:
            counts["copies saved"] += 1
            if not _integrity(copy_path) or digest(file_state(copy_path)) != expected:
                counts["damaged copies"] += 1
        current = now
    return counts


@pytest.mark.slow
def test_random_kills_never_lose_an_acknowledged_edit(tmp_path: Path) -> None:
    files = []
    for i in range(2):
        path = tmp_path / f"plan{i}.roadmap"
        build_sample(path).close()
        (tmp_path / f"copies{i}").mkdir()
        files.append((path, tmp_path / f"copies{i}"))
    started = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        jobs = [pool.submit(_kill_cycles, p, c, KILLS // 2, 1000 + i)
                for i, (p, c) in enumerate(files)]  # fmt: skip
        counts = sum((j.result() for j in jobs), Counter())
    elapsed = time.monotonic() - started
    report(
        f"crash durability: {counts['kills']} kills ({counts['kills inside an edit']} inside an"
        f" edit, {counts['kills leaving a hot journal']} leaving a hot journal),"
        f" {counts['acknowledged edits']} acknowledged edits, {counts['copies saved']} copies;"
        f" {counts['integrity failures']} integrity failures,"
        f" {counts['lost acknowledged edits']} lost acknowledged edits,"
        f" {counts['half-applied actions']} half-applied actions,"
        f" {counts['files that did not reopen']} files that did not reopen,"
        f" {counts['damaged copies']} damaged copies ({elapsed:.1f} s)"
    )
    assert counts["kills"] == KILLS
    for bad in ("child errors", "integrity failures", "lost acknowledged edits",
                "half-applied actions", "files that did not reopen", "damaged copies"):  # fmt: skip
        assert counts[bad] == 0, (bad, counts)
    assert counts["acknowledged edits"] > KILLS


def test_a_crash_inside_a_transaction_leaves_a_file_that_opens(tmp_path: Path) -> None:
    """A hot journal left by a crash is rolled back on open, not reported as read-only."""
    path = tmp_path / "plan.roadmap"
    r = Roadmap.create(path)
    lane = r.add_lane("Lane")
    r.add_cards([{"title": f"card {i}", "lane_id": lane.id} for i in range(1500)])
    r.close()
    before = file_state(path)
    code = (
        "import os, signal\n"
        "from planner.store import Roadmap\n"
        f"r = Roadmap.open({str(path)!r})\n"
        "r._conn.execute('PRAGMA cache_size=1')\n"  # spill pages into the file mid-transaction
        "with r.transaction() as c:\n"
        "    c.execute(\"UPDATE cards SET title = 'half' || zeroblob(500)\")\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run([python(), "-c", code], env=child_env(), capture_output=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert os.path.getsize(str(path) + "-journal") > 0
    with Roadmap.open(path, read_only=True) as r:
        assert r.card_count() == 1500
    with Roadmap.open(path) as r:
        assert {c.title for c in r.cards()} == {f"card {i}" for i in range(1500)}
    assert file_state(path) == before
    assert _integrity(path)


DRAG_CHILD = """
import datetime as dt, os, signal, sys
from PySide6.QtWidgets import QApplication
from ui.commands import MoveCards, run
from ui.main_window import MainWindow
app = QApplication([])
window = MainWindow(sys.argv[1])
window.show()
app.processEvents()
card = next(c for c in window.roadmap.cards() if c.start is not None)
lanes = [lane.id for lane in window.roadmap.lanes()]
shift = dt.timedelta(days=int(sys.argv[2]))
lane = lanes[int(sys.argv[2]) % len(lanes)]
# What the timeline pushes on mouse release: one MoveCards for the whole drag.
run(window.undo_stack, MoveCards(window.roadmap, {card.id: (card.start + shift, card.end + shift,
                                                             lane)}, text="Drag"))
print("RELEASED", card.id, (card.start + shift).isoformat(), (card.end + shift).isoformat(), lane,
      flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_drag_killed_right_after_the_release_is_kept(sample_path: Path) -> None:
    """The GUI command layer: kill the window's process right after a drag's release."""
    drags = 4 * SCALE
    kept = 0
    for i in range(drags):
        proc = subprocess.run([python(), "-c", DRAG_CHILD, str(sample_path), str(7 * (i + 1))],
                              env=child_env(), capture_output=True, timeout=60)  # fmt: skip
        assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
        _, cid, start, end, lane = proc.stdout.decode().split()
        assert _integrity(sample_path)
        with Roadmap.open(sample_path, read_only=True) as r:
            card = r.card(int(cid))
        assert (card.start.isoformat(), card.end.isoformat(), card.lane_id) == (
            start, end, int(lane))
        kept += 1
    report(f"crash durability (window): {drags} drags killed right after the release,"
           f" {kept} kept, {drags - kept} lost")  # fmt: skip
