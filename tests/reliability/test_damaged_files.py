"""Damaged files: byte flips, zeroed ranges, truncation and header edits (issue 8.2).

Each damaged file is opened by ``roadmap check`` and by ``Roadmap.open`` in a long-lived
worker process with a 5 s watchdog per file: no crash, no hang, every failure one of the
documented errors with a message, and the damaged file's bytes unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from planner.sample import build_sample
from planner.store import Roadmap
from tests.reliability._support import SCALE, Opener, report

MUTATIONS = 2000 * SCALE
DOCUMENTED = {"RoadmapFileError", "ValidationError", "ReadOnlyError", "LockedError"}


def _grown(path: Path, cards: int, lanes: int, snapshot: bool) -> None:
    r = Roadmap.create(path, title=f"{cards} cards")
    lane_ids = [r.add_lane(f"Lane {i}").id for i in range(lanes)]
    base = dt.date(2026, 1, 5)
    specs = [{"title": f"Card {i} — ünïcode ✓", "lane_id": lane_ids[i % lanes],
              "start": base + dt.timedelta(days=i % 300),
              "end": base + dt.timedelta(days=i % 300 + 14),
              "description": "why " * (i % 20), "tags": ["a", f"t{i % 7}"]}
             for i in range(cards)]  # fmt: skip
    made = r.add_cards(specs)
    for a, b in zip(made[::7], made[1::7]):
        r.add_dependency(a.id, b.id)
    r.add_milestone("Launch", base + dt.timedelta(days=90))
    r.add_view("Execs", precision="quarter")
    if snapshot:
        r.take_snapshot("Q1 review")
    r.close()


def seeds(folder: Path) -> list[Path]:
    """Five seed roadmaps of different sizes."""
    paths = [folder / f"seed{i}.roadmap" for i in range(5)]
    Roadmap.create(paths[0], title="Empty").close()
    build_sample(paths[1]).close()
    _grown(paths[2], 60, 3, False)
    _grown(paths[3], 400, 8, True)
    _grown(paths[4], 1500, 20, True)
    return paths


HEADER_FIELDS = [(16, 2), (18, 1), (19, 1), (20, 1), (21, 3), (24, 4), (28, 4), (32, 4),
                 (36, 4), (40, 4), (44, 4), (48, 4), (52, 4), (56, 4), (60, 4), (64, 4),
                 (68, 4), (92, 8)]  # fmt: skip


def mutate(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One random kind of damage."""
    buf = bytearray(data)
    kind = rng.choice(["flip", "flip", "zero", "zero", "truncate", "header", "page"])
    page = 4096
    if kind == "flip":
        hot = rng.random() < 0.5  # the first pages hold the schema: damage them more often
        for _ in range(rng.randint(1, 24)):
            i = rng.randrange(min(len(buf), 3 * page) if hot else len(buf))
            buf[i] ^= 1 << rng.randrange(8)
    elif kind == "zero":
        start = rng.randrange(len(buf))
        if rng.random() < 0.5:
            start -= start % page
        length = rng.choice([1, 16, 100, 512, page, 3 * page, rng.randrange(1, 20000)])
        buf[start : start + length] = bytes(len(buf[start : start + length]))
    elif kind == "truncate":
        cut = rng.choice([0, 50, 99, 100, 101, page - 1, page, page + 100,
                          rng.randrange(len(buf)), len(buf) - page])  # fmt: skip
        del buf[max(0, cut) :]
    elif kind == "header":
        for _ in range(rng.randint(1, 3)):
            offset, size = rng.choice(HEADER_FIELDS)
            value = rng.choice([0, 1, 2, 0xFF, 0x7FFFFFFF, rng.randrange(1 << (8 * size))])
            buf[offset : offset + size] = (value % (1 << (8 * size))).to_bytes(size, "big")
    else:  # copy one page over another, as a misdirected write would
        pages = max(1, len(buf) // page)
        src, dst = rng.randrange(pages), rng.randrange(pages)
        buf[dst * page : (dst + 1) * page] = data[src * page : (src + 1) * page]
    return kind, bytes(buf)


def classify(result: dict[str, Any], counts: Counter[str], failures: list[str]) -> None:
    if "failure" in result:
        counts["crashes" if result["failure"] == "crash" else "hangs"] += 1
        failures.append(f"{result['failure']}: {result['path']}: {result['detail'][-400:]}")
        return
    code, message = result["cli"]
    if code == 0:
        counts["check: sound"] += 1
    elif code == 1 and message.startswith("roadmap: ") and len(message) > 12:
        counts["check: refused with a message"] += 1
    else:
        counts["undocumented failures"] += 1
        failures.append(f"check exit {code}: {message}: {result['path']}")
    kind, message = result["open"]
    if kind == "ok":
        counts["open: opened"] += 1
    elif kind in DOCUMENTED and message.strip():
        counts["open: refused with a message"] += 1
    else:
        counts["undocumented failures"] += 1
        failures.append(f"open {kind}: {message}: {result['path']}")
    counts["slowest ms"] = max(counts["slowest ms"],
                               int(1000 * (result["cli_s"] + result["open_s"])))  # fmt: skip


# Opening for editing switches a file flagged for WAL to journal mode DELETE (the safety
# rules); that rewrites these header bytes: read/write versions, change counter, size in pages,
# version-valid-for and SQLite version.
JOURNAL_MODE_BYTES = {18, 19, *range(24, 32), *range(92, 100)}


def _unchanged(before: bytes, after: bytes) -> bool:
    """The bytes are the same, but for a WAL flag switched off when opened for editing."""
    if before == after:
        return True
    if len(before) != len(after) or 2 not in before[18:20]:
        return False
    return all(before[i] == after[i] for i in range(len(before)) if i not in JOURNAL_MODE_BYTES)


def _run(work: list[tuple[Path, bytes, str]]) -> tuple[Counter[str], list[str]]:
    counts: Counter[str] = Counter()
    failures: list[str] = []
    opener = Opener("--writable", timeout=5.0)
    try:
        for path, data, kind in work:
            path.write_bytes(data)
            folder_before = sorted(p.name for p in path.parent.iterdir())
            result = opener.open(path)
            counts[f"kind {kind}"] += 1
            classify(result, counts, failures)
            if result.get("sha_after_check", hashlib.sha256(data).hexdigest()) != (
                hashlib.sha256(data).hexdigest()
            ) or not _unchanged(data, path.read_bytes()):
                counts["files whose bytes changed"] += 1
                failures.append(f"bytes changed: {path}")
            extra = sorted(set(p.name for p in path.parent.iterdir()) - set(folder_before))
            if extra and all(".bak-v" in name for name in extra):
                counts["upgrade backups written"] += 1  # an upgrade writes its backup first
            elif extra:
                counts["files with something created next to them"] += 1
                failures.append(f"created next to {path.name}: {extra}")
            if extra:
                for name in extra:
                    (path.parent / name).unlink()
            path.unlink()
        counts["worker restarts"] += opener.restarts
    finally:
        opener.close()
    return counts, failures


@pytest.mark.slow
def test_damaged_files_are_refused_cleanly(tmp_path: Path) -> None:
    seed_paths = seeds(tmp_path)
    rng = random.Random(20261125)
    jobs: list[list[tuple[Path, bytes, str]]] = [[], []]
    sizes = []
    for n, seed in enumerate(seed_paths):
        original = seed.read_bytes()
        sizes.append(len(original))
        for i in range(MUTATIONS // len(seed_paths)):
            kind, data = mutate(original, rng)
            worker = (n + i) % 2
            folder = tmp_path / f"w{worker}"
            folder.mkdir(exist_ok=True)
            jobs[worker].append((folder / f"s{n}-{i}.roadmap", data, kind))
    started = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(_run, jobs))
    elapsed = time.monotonic() - started
    counts: Counter[str] = Counter()
    failures: list[str] = []
    for c, f in results:
        slowest = max(counts["slowest ms"], c.pop("slowest ms", 0))
        counts.update(c)
        counts["slowest ms"] = slowest
        failures += f
    total = sum(len(j) for j in jobs)
    kinds = ", ".join(f"{counts[k]} {k[5:]}" for k in sorted(counts) if k.startswith("kind "))
    report(
        f"damaged files: {total} mutations ({kinds}) of 5 seeds of"
        f" {', '.join(f'{s // 1024} KB' for s in sizes)}, each opened by `roadmap check` and"
        f" Roadmap.open: {counts['crashes']} crashes, {counts['hangs']} hangs,"
        f" {counts['undocumented failures']} undocumented failures,"
        f" {counts['files whose bytes changed']} files changed,"
        f" {counts['files with something created next to them']} files created next to them"
        f" ({counts['upgrade backups written']} upgrade backups);"
        f" check: {counts['check: sound']} sound, {counts['check: refused with a message']}"
        f" refused; open: {counts['open: opened']} opened,"
        f" {counts['open: refused with a message']} refused with a message;"
        f" slowest {counts['slowest ms']} ms ({elapsed:.1f} s)"
    )
    assert counts["crashes"] == counts["hangs"] == 0, failures[:5]
    assert counts["undocumented failures"] == 0, failures[:5]
    assert counts["files whose bytes changed"] == 0, failures[:5]
    assert counts["files with something created next to them"] == 0, failures[:5]
