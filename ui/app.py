"""Start the application: check for a display, make the QApplication, open a window."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path


def _has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def sample_path() -> Path:
    """Where the sample roadmap lives: the user's documents folder."""
    from PySide6.QtCore import QStandardPaths

    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(docs or Path.home()) / "Roadmap Planner"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "Sample roadmap.roadmap"


def ensure_sample() -> Path:
    """The sample roadmap, created fresh if it is not there yet."""
    from planner.sample import build_sample

    path = sample_path()
    if not path.exists():
        build_sample(path).close()
    return path


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if any(a in ("-h", "--help") for a in args):
        print("usage: roadmap [FILE | --sample]   (roadmap --help-commands for headless commands)")
        return 0
    if not _has_display():
        print(
            "roadmap: no display found (DISPLAY is not set), so the window cannot open; "
            "use `roadmap info|export FILE` to work without one",
            file=sys.stderr,
        )
        return 1
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0], *[a for a in args if a.startswith("-platform")]])
    app.setApplicationName("Roadmap Planner")
    app.setOrganizationName("Roadmap Planner")
    app.setApplicationDisplayName("Roadmap Planner")
    files = [a for a in args if not a.startswith("-")]
    if "--sample" in args or not files:
        path = ensure_sample()
    else:
        path = Path(files[0])
    window = MainWindow(path)
    window.show()
    return int(app.exec())
