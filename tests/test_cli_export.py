"""`roadmap export` to PNG, PDF and SVG as a separate process with no display."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAIN = "import sys; from planner.cli import main; sys.exit(main())"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}  # fmt: skip
    return subprocess.run([sys.executable, "-c", MAIN, "export", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)  # fmt: skip


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".part")]


def test_pdf_png_svg_without_a_display(sample_path, tmp_path):
    pdf, png, svg = tmp_path / "r.pdf", tmp_path / "r.png", tmp_path / "r.svg"
    done = _run(str(sample_path), str(pdf), "--page-size", "a3", "--orientation", "portrait",
                "--fit", "tile", "--title", "Board pack")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"wrote {pdf}" in done.stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "842 x 1191 pts (A3)" in info
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                          text=True).stdout  # fmt: skip
    assert "Board pack" in text and "Übersetzung: German patient portal" in text

    done = _run(str(sample_path), str(png), "--scale", "2", "--view", "Customers",
                "--from", "2026-01-01", "--to", "2027-12-31")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    done = _run(str(sample_path), str(svg))
    assert done.returncode == 0, done.stderr
    assert "<svg" in svg.read_text(encoding="utf-8")
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--view", "Nobody"], "no view named 'Nobody'"),
        (["--from", "2027-05-01", "--to", "2027-01-01"], "--to is before --from"),
        (["--page-size", "B7"], "unknown page size"),
        (["--changes-since", "Nope"], "no snapshot named"),
        (["--scale", "8", "--from", "1990-01-01", "--to", "2150-01-01"], "megapixels"),
        (["--scale", "0"], "--scale must be more than 0 and at most 8"),
    ],
)
def test_user_errors_print_one_line_exit_1_and_keep_out_intact(sample_path, tmp_path, extra,
                                                                message):  # fmt: skip
    out = tmp_path / ("r.png" if "--scale" in extra else "r.pdf")
    out.write_bytes(b"the previous export")
    done = _run(str(sample_path), str(out), *extra)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert out.read_bytes() == b"the previous export"
    assert _leftovers(tmp_path) == []


def test_unwritable_path_is_one_line_and_exit_1(sample_path, tmp_path):
    done = _run(str(sample_path), "/proc/roadmap-export-test.pdf")
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1
    assert "cannot write" in done.stderr
    done = _run(str(sample_path), str(tmp_path / "missing" / "r.pdf"))
    assert done.returncode == 1 and "does not exist" in done.stderr


@pytest.mark.parametrize("name", ["board.png", "board.pdf", "board.svg"])
def test_exporting_onto_a_folder_names_the_folder(sample_path, tmp_path, name):
    folder = tmp_path / name
    folder.mkdir()
    done = _run(str(sample_path), str(folder))
    assert done.returncode == 1
    assert done.stderr == (f"roadmap: cannot write {folder}: it is a folder; give a file name, "
                           f"such as {folder / ('roadmap' + folder.suffix)}\n")  # fmt: skip
    assert list(folder.iterdir()) == [] and _leftovers(tmp_path) == []


def test_malformed_date_is_refused_in_one_line(sample_path, tmp_path):
    done = _run(str(sample_path), str(tmp_path / "r.pdf"), "--from", "2027-13-01")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "roadmap: --from is not a date YYYY-MM-DD: '2027-13-01'"]
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.parametrize("name", ["r.png", "r.svg", "r.csv", "r.json", "r.ics"])
def test_changes_since_where_it_has_no_effect_is_refused(sample_path, tmp_path, name):
    out = tmp_path / name
    done = _run(str(sample_path), str(out), "--changes-since", "nothing")
    assert done.returncode == 2
    assert done.stderr == ("roadmap: --changes-since adds a page to a PDF or a section to "
                           f"Markdown; it has no effect on {name}\n")  # fmt: skip
    assert not out.exists() and _leftovers(tmp_path) == []


@pytest.mark.parametrize("name", ["r.md", "r.pdf"])
def test_changes_since_an_unknown_snapshot_is_one_line_exit_1(sample_path, tmp_path, name):
    out = tmp_path / name
    done = _run(str(sample_path), str(out), "--changes-since", "nothing")
    assert done.returncode == 1
    assert done.stderr == "roadmap: there is no snapshot named 'nothing' (snapshots: none yet)\n"
    assert not out.exists()
    snap = subprocess.run([sys.executable, "-c", MAIN, "snapshot", str(sample_path), "Q3 review"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert snap.returncode == 0, snap.stderr
    done = _run(str(sample_path), str(out), "--changes-since", "q3 review")
    assert done.returncode == 0, done.stderr
    assert out.exists()


def test_documented_board_example_is_one_a4_page(sample_path, tmp_path):
    """docs/export.md's first example: the "Executive summary" view as a board PDF."""
    out = tmp_path / "board.pdf"
    done = _run(str(sample_path), str(out), "--view", "Executive summary")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no note: it fits
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert "Pages:           1" in info and "842 x 595 pts (A4)" in info
