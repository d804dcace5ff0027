"""Cold start to the first painted window, next to an empty PySide6 window, and peak memory.

Each run is a fresh ``python main.py FILE`` with ``ROADMAP_BENCH_FIRST_PAINT=1``: the app prints
the wall-clock time of the timeline's first paint, then of the whole window (the rooms that are
built right after the first paint: backlog, card editor, list, board ...), and quits. The time
counts from just before the process is spawned, so it includes the interpreter, every import,
opening the file, building the window and painting. The app's modules are compiled to bytecode
first, as in an installed app, so no run pays for compiling them. The floor is an empty PySide6
window measured the same way, interleaved with the app runs so both see the same machine load.
Both run on an offscreen 1920x1080 screen. Peak memory is the process's own peak resident size
at its first paint (VmHWM; ru_maxrss where /proc is missing).
"""

from __future__ import annotations

import math
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

EMPTY_WINDOW = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

def report():
    print(f"first-paint {time.time():.6f}", flush=True)
    try:
        status = open("/proc/self/status").read().splitlines()
        print("peak-kb", next(ln.split()[1] for ln in status if ln[:6] == "VmHWM:"), flush=True)
    except (OSError, StopIteration):
        pass
    QApplication.quit()

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, report)
        return False

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1400, 860)
window.setWindowTitle("empty")
window.installEventFilter(FirstPaint(window))
window.show()
sys.exit(app.exec())
"""


@dataclass
class Run:
    """One cold start: seconds to the first paint and the process's peak memory."""

    seconds: float
    max_rss_mb: float
    complete: float = float("nan")  # seconds to the whole window (every room built)


class StartupError(RuntimeError):
    """The process failed, timed out or never reported a first paint."""


# A 1920x1080 screen for the offscreen platform (its default is 800x600, where the docks leave
# the timeline no room at all): the window opens at the size it has on a laptop or desktop.
SCREEN = ('{"screens": [{"name": "bench", "x": 0, "y": 0, "width": 1920, "height": 1080,'
          ' "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}')  # fmt: skip


def _env(config: Path) -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("QT_QPA_PLATFORM"):
        screen = config / "screen.json"
        if not screen.exists():
            screen.write_text(SCREEN, encoding="utf-8")
        env["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
    env["ROADMAP_BENCH_FIRST_PAINT"] = "1"
    env["XDG_CONFIG_HOME"] = str(config)  # never touch the user's settings or recent files
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def _spawn(args: list[str], config: Path, timeout: float) -> Run:
    """Spawn ``args``; seconds from spawn to the printed first paint, and its ru_maxrss."""
    t0 = time.time()
    proc = subprocess.Popen(args, cwd=ROOT, env=_env(config), stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)  # fmt: skip
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        assert proc.stdout is not None
        out = proc.stdout.read()
        proc.stdout.close()
        # wait4 reaps this child and gives its own resource usage (ru_maxrss in KiB on Linux).
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        timer.cancel()
    painted = None
    complete = float("nan")
    peak_mb = usage.ru_maxrss / 1024
    for line in out.splitlines():
        if line.startswith("first-paint "):
            painted = float(line.split()[1])
        elif line.startswith("complete "):
            complete = float(line.split()[1]) - t0
        elif line.startswith("peak-kb "):
            # The process's own peak. ru_maxrss is kept across exec on Linux, so it reports
            # at least the benchmark runner's size at the fork.
            peak_mb = float(line.split()[1]) / 1024
    if painted is None:
        if proc.returncode == -signal.SIGKILL:
            raise StartupError(f"no first paint within {timeout:.0f} s")
        raise StartupError(f"exit code {proc.returncode}, no first paint reported")
    return Run(painted - t0, peak_mb, complete)


def compile_bytecode() -> None:
    """Compile the app's modules once, as an installed app has them, so no run compiles."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", "main.py", "planner", "ui"],
                   cwd=ROOT, env=env, stdout=subprocess.DEVNULL, check=False)  # fmt: skip


def empty_window(config: Path, timeout: float = 60) -> Run:
    """Cold start of an empty PySide6 main window, to the first paint."""
    return _spawn([sys.executable, "-c", EMPTY_WINDOW], config, timeout)


def app_window(path: Path, config: Path, timeout: float = 120) -> Run:
    """Cold start of Roadmap Planner (``python main.py FILE``), to the timeline's first paint."""
    return _spawn([sys.executable, "main.py", str(path)], config, timeout)


def run(paths: dict[str, Path], repeat: int = 5,
        timeout: float = 120) -> dict[str, dict[str, float]]:  # fmt: skip
    """Median cold-start seconds and peak MB for each file in ``paths`` and the empty window.

    Runs are interleaved (floor, each file, floor, ...) so all see the same load. A file that
    fails or times out is reported with ``error`` and skipped in later rounds.
    """
    times: dict[str, list[float]] = {"floor": [], **{k: [] for k in paths}}
    rss: dict[str, list[float]] = {k: [] for k in times}
    whole: dict[str, list[float]] = {k: [] for k in times}
    errors: dict[str, str] = {}
    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="roadmap-bench-") as tmp:
        config = Path(tmp)
        empty_window(config)  # warm the file cache; not counted
        for _ in range(repeat):
            r = empty_window(config)
            times["floor"].append(r.seconds)
            rss["floor"].append(r.max_rss_mb)
            for key, path in paths.items():
                if key in errors:
                    continue
                try:
                    r = app_window(path, config, timeout)
                except StartupError as exc:
                    errors[key] = str(exc)
                    continue
                times[key].append(r.seconds)
                rss[key].append(r.max_rss_mb)
                whole[key].append(r.complete)
    result: dict[str, dict[str, float]] = {}
    for key, values in times.items():
        if values:
            result[key] = {"seconds": statistics.median(values), "max_rss_mb": max(rss[key]),
                           "runs": float(len(values))}  # fmt: skip
            if whole[key] and not any(math.isnan(v) for v in whole[key]):
                result[key]["complete"] = statistics.median(whole[key])
    for key, message in errors.items():
        result.setdefault(key, {})["error"] = float("nan")
        print(f"cold start {key}: {message}", file=sys.stderr)
    return result


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.bench_startup", description=__doc__)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    figures = run({p.name: p for p in args.files}, args.repeat)
    for key, f in figures.items():
        if "seconds" in f:
            line = f"{key:40s} {f['seconds'] * 1000:8.0f} ms  {f['max_rss_mb']:6.0f} MB"
            if "complete" in f:
                line += f"   whole window {f['complete'] * 1000:6.0f} ms"
            print(line)
        else:
            print(f"{key:40s} failed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
