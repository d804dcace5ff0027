"""Files the program writes: the mode a finished export or copy gets."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner import Roadmap


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_data_exports_get_the_mode_the_umask_gives(sample_path: Path, tmp_path: Path,
                                                   umask_022: None) -> None:  # fmt: skip
    """A CSV put in a shared folder is readable by others, as any file the user saves there."""
    for name in ("s.csv", "s.md", "s.json", "s.ics"):
        out = tmp_path / name
        done = subprocess.run([sys.executable, "-m", "planner.cli", "export", str(sample_path),
                               str(out)], capture_output=True, text=True, timeout=120)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert _mode(out) == 0o644, (name, oct(_mode(out)))
    os.umask(0o002)
    out = tmp_path / "group.csv"
    with Roadmap.open(sample_path, read_only=True) as roadmap:
        from planner.io import export_path

        export_path(roadmap, out)
    assert _mode(out) == 0o664
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_save_a_copy_gets_the_mode_the_umask_gives(sample_path: Path, tmp_path: Path,
                                                   umask_022: None) -> None:  # fmt: skip
    copy = tmp_path / "copy.roadmap"
    with Roadmap.open(sample_path) as roadmap:
        roadmap.save_copy(copy)
    assert _mode(copy) == 0o644
    with Roadmap.open(copy, read_only=True) as again:
        assert again.card_count() > 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".copy-")] == []


def test_exporting_over_a_folder_names_it(sample_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out.csv"
    folder.mkdir()
    done = subprocess.run([sys.executable, "-m", "planner.cli", "export", str(sample_path),
                           str(folder)], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 1
    assert done.stderr == ("roadmap: cannot write out.csv: it is a folder; give a file name, "
                           "such as out.csv/roadmap.csv\n")  # fmt: skip
    assert list(folder.iterdir()) == []
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]
