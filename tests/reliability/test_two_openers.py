"""Two openers: a second process or window is told and offered read-only, a copy, or cancel;
a stale lock left by a killed process is detected; never two writers (issue 8.6)."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from planner.errors import LockedError, ReadOnlyError
from planner.store import Roadmap
from tests.reliability._support import SCALE, child_env, python, report

HOLD = """
import sys
from planner.errors import LockedError
from planner.store import Roadmap
try:
    r = Roadmap.open(sys.argv[1])
except LockedError:
    print("LOCKED", flush=True)
    raise SystemExit(0)
print("WRITER", flush=True)
sys.stdin.read()  # hold the file until the parent closes our stdin or kills us
r.add_card("written by the holder")
r.close()
"""

FIGURES: dict[str, int] = {}


def _spawn(path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([python(), "-c", HOLD, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env())


def _first_line(proc: subprocess.Popen[bytes]) -> str:
    assert proc.stdout is not None
    return proc.stdout.readline().decode().strip()


def test_a_second_process_is_refused_and_a_killed_one_leaves_no_lock(sample_path: Path) -> None:
    cycles = 10 * SCALE
    for _ in range(cycles):
        holder = _spawn(sample_path)
        assert _first_line(holder) == "WRITER"
        with pytest.raises(LockedError, match="already open"):
            Roadmap.open(sample_path)
        with Roadmap.open(sample_path, read_only=True) as r:  # offered read-only: it reads
            assert r.card_count() > 0
            with pytest.raises(ReadOnlyError):
                r.add_card("must not be written")
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        with Roadmap.open(sample_path) as r:  # the killed holder's lock is gone
            r.add_card("after the holder died")
        FIGURES["stale locks detected"] = FIGURES.get("stale locks detected", 0) + 1


def test_never_two_writers(sample_path: Path) -> None:
    rounds, racers = 5 * SCALE, 6
    for _ in range(rounds):
        procs = [_spawn(sample_path) for _ in range(racers)]
        answers = [_first_line(p) for p in procs]
        assert answers.count("WRITER") == 1, answers
        for p in procs:
            p.communicate(b"")
        FIGURES["races"] = FIGURES.get("races", 0) + 1
        FIGURES["racers"] = FIGURES.get("racers", 0) + racers


def _answer(button_text: str, seen: list[str]) -> None:
    """Click a button of the "file in use" question when it appears."""
    box = QApplication.activeModalWidget()
    if not isinstance(box, QMessageBox):
        QTimer.singleShot(10, lambda: _answer(button_text, seen))
        return
    seen.append(box.text())
    for button in box.buttons():
        if button.text().replace("&", "") == button_text:
            button.click()
            return
    raise AssertionError(f"no {button_text!r} button in {[b.text() for b in box.buttons()]}")


@pytest.mark.parametrize("choice", ["Open Read-Only", "Open a Copy", "Cancel"])
def test_a_second_window_is_told_and_offered_choices(window, tmp_path: Path, monkeypatch,
                                                    choice: str) -> None:  # fmt: skip
    from ui import app
    from ui.main_window import MainWindow, open_roadmap

    docs = tmp_path / "documents"
    docs.mkdir()
    monkeypatch.setattr(app, "documents_folder", lambda: docs)
    seen: list[str] = []
    QTimer.singleShot(0, lambda: _answer(choice, seen))
    if choice == "Cancel":
        with pytest.raises(LockedError):
            open_roadmap(window.path, window)
        assert seen and "already open" in seen[0]
        FIGURES["window: cancel"] = 1
        return
    second = open_roadmap(window.path, window)
    assert seen and "already open" in seen[0]
    try:
        if choice == "Open Read-Only":
            assert second.read_only and second.path == window.path
            with pytest.raises(ReadOnlyError):
                second.add_card("no")
            other = MainWindow(second.path, roadmap=second)
            assert "read-only" in other.windowTitle()
            other.close()
            FIGURES["window: read-only"] = 1
        else:
            assert not second.read_only and second.path.parent == docs
            assert second.card_count() == window.roadmap.card_count()
            second.add_card("edited in the copy")  # the copy is ours to edit
            assert window.roadmap.card_count() == second.card_count() - 1
            FIGURES["window: copy"] = 1
    finally:
        second.close()


def test_report_two_openers() -> None:
    """Print what the tests above measured (they run first, in file order)."""
    report(f"two openers: {FIGURES.get('stale locks detected', 0)} processes killed while"
           f" holding the file, all stale locks detected; {FIGURES.get('races', 0)} races of"
           f" 6 processes opening at once, each with exactly 1 writer; a second window offered"
           f" read-only ({'ok' if FIGURES.get('window: read-only') else 'FAILED'}), a copy"
           f" ({'ok' if FIGURES.get('window: copy') else 'FAILED'}) and cancel"
           f" ({'ok' if FIGURES.get('window: cancel') else 'FAILED'}); 0 times two writers")
