"""The roadmap command, run as a user would: a subprocess, its output and exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from planner import Roadmap


def roadmap_cmd(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "planner.cli", *args], capture_output=True,
                          text=True, timeout=120, env=env)  # fmt: skip


def test_new_sample_info_and_check(tmp_path: Path) -> None:
    path = tmp_path / "x.roadmap"
    done = roadmap_cmd("new", str(path), "--sample")
    assert done.returncode == 0, done.stderr
    info = roadmap_cmd("info", str(path), "--json")
    assert info.returncode == 0, info.stderr
    data = json.loads(info.stdout)
    assert data["schema_version"] == 2
    assert data["counts"]["lanes"] == 6
    assert data["counts"]["objectives"] == 3
    assert data["counts"]["milestones"] == 5
    assert 35 <= data["counts"]["cards"] <= 45
    assert data["counts"]["backlog"] >= 5
    assert data["counts"]["dependencies"] >= 3
    assert data["date_range"][0] < data["date_range"][1]
    check = roadmap_cmd("check", str(path))
    assert check.returncode == 0 and "sound" in check.stdout
    text = roadmap_cmd("info", str(path))
    assert "Tandem" in text.stdout


def test_new_empty_with_title(tmp_path: Path) -> None:
    path = tmp_path / "empty.roadmap"
    assert roadmap_cmd("new", str(path), "--title", "Q3 plan").returncode == 0
    with Roadmap.open(path, read_only=True) as r:
        assert r.title == "Q3 plan" and r.card_count() == 0


def test_user_errors_are_one_line_exit_1(tmp_path: Path) -> None:
    for args in (["info", str(tmp_path / "missing.roadmap")],
                 ["new", str(tmp_path / "no-such-folder" / "x.roadmap")]):  # fmt: skip
        done = roadmap_cmd(*args)
        assert done.returncode == 1, args
        assert done.stderr.startswith("roadmap: ") and done.stderr.count("\n") == 1
        assert "Traceback" not in done.stderr
    existing = tmp_path / "x.roadmap"
    assert roadmap_cmd("new", str(existing)).returncode == 0
    again = roadmap_cmd("new", str(existing))
    assert again.returncode == 1 and "already exists" in again.stderr


def test_usage_errors_exit_2() -> None:
    assert roadmap_cmd("info").returncode == 2
    assert roadmap_cmd("check", "a", "b").returncode == 2
    assert roadmap_cmd("snapshot").returncode == 2


def test_snapshot_command(tmp_path: Path) -> None:
    path = tmp_path / "x.roadmap"
    roadmap_cmd("new", str(path), "--sample")
    done = roadmap_cmd("snapshot", str(path), "Q3 review")
    assert done.returncode == 0, done.stderr
    with Roadmap.open(path, read_only=True) as r:
        assert [p.name for p in r.plans() if p.kind == "snapshot"] == ["Q3 review"]


def test_window_without_display_says_so_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}  # fmt: skip
    env["HOME"] = str(tmp_path)
    done = subprocess.run([sys.executable, "main.py", "--sample"], capture_output=True, text=True,
                          timeout=60, env=env, cwd=Path(__file__).resolve().parents[2])
    if sys.platform.startswith("linux"):
        assert done.returncode == 1
        assert "no display" in done.stderr and done.stderr.count("\n") == 1


def test_output_cut_short_by_the_reader_is_quiet(tmp_path: Path) -> None:
    """`roadmap info FILE | head -1`: no "Broken pipe" line when the reader stops early."""
    path = tmp_path / "x.roadmap"
    roadmap_cmd("new", str(path), "--sample")
    for args in (["info", str(path)], ["info", str(path), "--json"]):
        read_end, write_end = os.pipe()
        os.close(read_end)  # the reader has gone before the first line is written
        try:
            done = subprocess.run([sys.executable, "-m", "planner.cli", *args], stdout=write_end,
                                  stderr=subprocess.PIPE, text=True, timeout=120)  # fmt: skip
        finally:
            os.close(write_end)
        assert done.stderr == "", args
        assert done.returncode == 141, args
