"""A long-lived process that opens file after file and reports on each, one JSON line per file.

Reads one path per line on stdin. For each it runs ``roadmap check`` in-process, then
``Roadmap.open`` (and reads everything), and with ``--window`` also opens the main window
offscreen. Network use is blocked and counted. Run as ``python open_worker.py [--window]``.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import socket
import sys
import time
import traceback
from pathlib import Path
from typing import Any

NETWORK: list[str] = []


def _blocked(name: str) -> Any:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        NETWORK.append(f"{name}{args[1:2]!r}")
        raise OSError("network use is blocked in this test")

    return refuse


socket.socket.connect = _blocked("connect")  # type: ignore[method-assign]
socket.socket.connect_ex = _blocked("connect_ex")  # type: ignore[method-assign]
socket.socket.sendto = _blocked("sendto")  # type: ignore[method-assign]
socket.create_connection = _blocked("create_connection")  # type: ignore[assignment]
socket.getaddrinfo = _blocked("getaddrinfo")  # type: ignore[assignment]

from planner import cli  # noqa: E402
from planner.errors import RoadmapFileError, ValidationError  # noqa: E402
from planner.store import Roadmap  # noqa: E402

DOCUMENTED = (RoadmapFileError, ValidationError)


def sockets_open() -> int:
    """Socket file descriptors this process holds (catches sockets made below Python)."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                count += 1
    return count


def run_cli(path: str) -> list[Any]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = cli.main(["check", path])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
        except BaseException as exc:  # noqa: BLE001 - an escaped exception is the finding
            return ["crash", f"{type(exc).__name__}: {exc}"[:300]]
    message = err.getvalue().strip()
    return [code, message[:300]]


def run_open(path: str, read_only: bool) -> list[Any]:
    try:
        with Roadmap.open(path, read_only=read_only) as r:
            r.info()
            r.lanes()
            r.cards()
            r.milestones()
            r.dependencies()
            r.objectives()
            r.views()
            r.plans()
            r.counts()
        return ["ok", ""]
    except DOCUMENTED as exc:
        return [type(exc).__name__, str(exc)[:300]]
    except BaseException:  # noqa: BLE001 - an undocumented error is the finding
        return ["undocumented", traceback.format_exc()[-600:]]


class WindowOpener:
    """Opens each file in a real MainWindow (offscreen) as the app does: the timeline paints
    first, a big roadmap's cards come in chunks, then the other rooms are built; closes it."""

    def __init__(self) -> None:
        import tempfile

        from PySide6.QtWidgets import QApplication

        from planner.sample import build_sample

        self.app = QApplication.instance() or QApplication([])
        self.figures: dict[str, float] = {}
        self.cards = [0, 0]  # cards on the timeline and in the document once built
        with tempfile.TemporaryDirectory() as folder:  # warm up: imports, fonts, icons
            path = Path(folder) / "warm-up.roadmap"
            build_sample(path).close()
            self.open(str(path))

    def open(self, path: str) -> list[Any]:
        """Open, show and close; ``figures`` holds the seconds to the first paint
        (``paint_s``), until every room is built (``built_s``) and the longest the event loop
        waited between turns from the first paint until then (``gap_s``); for a roadmap read
        in chunks also until every card was read (``loaded_s``) and the longest wait until
        then (``load_gap_s``)."""
        from PySide6.QtCore import QEventLoop, QTimer

        from ui.main_window import MainWindow, _FirstPaint

        self.figures = {}
        self.cards = [0, 0]
        started = time.perf_counter()
        try:
            window = MainWindow(Path(path), deferred=True)
        except DOCUMENTED as exc:
            return [type(exc).__name__, str(exc)[:300]]
        except BaseException:  # noqa: BLE001
            return ["undocumented", traceback.format_exc()[-600:]]
        ticks: list[float] = []
        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        try:
            painted: list[float] = []
            _FirstPaint(window, lambda: painted.append(time.perf_counter()))
            window.show()
            while not painted and time.perf_counter() - started < 30:
                self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
            self.figures["paint_s"] = (painted[0] if painted else time.perf_counter()) - started
            ticks.append(time.perf_counter())
            loaded: list[float] = []  # the turns until every card was read, and then
            window.document.loaded.connect(lambda: loaded.extend([*ticks, time.perf_counter()]))
            timer.start()
            while not window.is_built and not window.roadmap.closed:
                self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
            timer.stop()
            ticks.append(time.perf_counter())
            self.figures["built_s"] = ticks[-1] - started
            self.figures["gap_s"] = max(b - a for a, b in zip(ticks, ticks[1:]))
            if loaded:  # a big roadmap read in chunks: the longest wait while they came
                self.figures["load_gap_s"] = max(b - a for a, b in zip(loaded, loaded[1:]))
                self.figures["loaded_s"] = loaded[-1] - started
            if window.is_built:
                self.cards = [len(window.timeline.timeline_scene.card_items),
                              len(window.document.cards())]  # fmt: skip
            window.grab()  # paint every visible widget once
            self.app.processEvents()
            return ["ok", ""]
        except BaseException:  # noqa: BLE001
            return ["undocumented", traceback.format_exc()[-600:]]
        finally:
            timer.stop()
            window.close()
            window.deleteLater()
            self.app.processEvents()


def main() -> None:
    window = WindowOpener() if "--window" in sys.argv else None
    writable = "--writable" in sys.argv
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        path = line.rstrip("\n")
        if not path:
            continue
        NETWORK.clear()
        before = sockets_open()
        result: dict[str, Any] = {"path": path}
        started = time.perf_counter()
        result["cli"] = run_cli(path)
        result["cli_s"] = time.perf_counter() - started
        with contextlib.suppress(OSError):
            result["sha_after_check"] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        started = time.perf_counter()
        result["open"] = run_open(path, read_only=not writable)
        result["open_s"] = time.perf_counter() - started
        if window is not None:
            started = time.perf_counter()
            result["window"] = window.open(path)
            result["window_done_s"] = time.perf_counter() - started
            # Opened: shown and painted (the other rooms follow); refused: the whole attempt.
            result["window_s"] = window.figures.get("paint_s", result["window_done_s"])
            for key in ("gap_s", "load_gap_s", "loaded_s", "built_s"):
                result[f"window_{key}"] = window.figures.get(key, 0.0)
            result["window_cards"] = window.cards
        result["network"] = list(NETWORK) + (["socket fd"] if sockets_open() > before else [])
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
