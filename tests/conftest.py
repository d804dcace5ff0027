"""Shared fixtures. Qt runs offscreen unless a platform is set explicitly."""

from __future__ import annotations

import os

if not os.environ.get("QT_QPA_PLATFORM"):
    os.environ["QT_QPA_PLATFORM"] = "offscreen"

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner import Roadmap

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Each test gets its own empty settings store; the user's real settings are never touched."""
    from uuid import uuid4

    from PySide6.QtCore import QCoreApplication, QSettings

    folder = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    QCoreApplication.setOrganizationName(f"roadmap-test-{uuid4().hex[:8]}")
    QCoreApplication.setApplicationName("Roadmap Planner")
    yield folder


@pytest.fixture
def roadmap_path(tmp_path: Path) -> Path:
    return tmp_path / "plan.roadmap"


@pytest.fixture
def roadmap(roadmap_path: Path) -> Iterator[Roadmap]:
    r = Roadmap.create(roadmap_path, title="Test roadmap")
    yield r
    r.close()


@pytest.fixture
def sample_path(tmp_path: Path) -> Path:
    from planner.sample import build_sample

    path = tmp_path / "sample.roadmap"
    build_sample(path).close()
    return path


@pytest.fixture
def window(qtbot, sample_path: Path):
    """The main window on a fresh copy of the sample roadmap."""
    from ui.main_window import MainWindow

    w = MainWindow(sample_path)
    qtbot.addWidget(w)
    w.resize(1400, 860)
    w.show()
    qtbot.waitExposed(w)
    yield w
    if not w.roadmap.closed:
        w.close()
    w.deleteLater()  # free its widgets: thousands of leftovers slow every palette change
