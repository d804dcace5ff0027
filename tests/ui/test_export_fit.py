"""PDF 'fit on one page': as much on one page as 6 pt text allows, else fitted to the width."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
from pathlib import Path

from pypdf import PdfReader

from planner import Roadmap
from ui.export import ExportOptions, export_roadmap

TODAY = dt.date(2026, 11, 25)


def _text_sizes(path: Path) -> list[list[float]]:
    """Per page, the size in points of every piece of text drawn (font size times scaling)."""
    pages = []
    for page in PdfReader(str(path)).pages:
        sizes: list[float] = []

        def visit(text, cm, tm, _font, size, sizes=sizes):  # type: ignore[no-untyped-def]
            if text.strip():
                a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
                c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
                sizes.append(size * math.sqrt(abs(a * d - b * c)))

        page.extract_text(visitor_text=visit)
        pages.append(sizes)
    return pages


def _text(path: Path, page: int) -> str:
    done = subprocess.run(["pdftotext", "-raw", "-f", str(page), "-l", str(page), str(path), "-"],
                          check=True, capture_output=True, text=True)  # fmt: skip
    return " ".join(done.stdout.split())


def test_executive_summary_fits_one_a4_page_with_no_text_under_6pt(sample_path, tmp_path):
    out = tmp_path / "board.pdf"
    with Roadmap.open(sample_path, read_only=True) as r:
        view = r.view_named("Executive summary")
        result = export_roadmap(r, out, ExportOptions(), view=view, today=TODAY)
    assert result.pages == 1 and result.notes == []
    (sizes,) = _text_sizes(out)
    assert sizes and min(sizes) >= 6.0 - 1e-6
    assert "Scheduling engine v3" in _text(out, 1)


def test_too_tall_for_one_page_runs_on_down_the_pages_at_the_page_width(tmp_path, qapp):
    path = tmp_path / "tall.roadmap"
    with Roadmap.create(path, title="Tall") as r:
        lanes = [r.add_lane(f"Team {i}").id for i in range(4)]
        r.add_cards([{"title": f"Card {i}", "lane_id": lanes[i % 4],
                      "start": dt.date(2027, 1, 1) + dt.timedelta(days=i % 60),
                      "end": dt.date(2027, 3, 1) + dt.timedelta(days=i % 60)}
                     for i in range(160)])  # fmt: skip
        out = tmp_path / "tall.pdf"
        result = export_roadmap(r, out, ExportOptions(), today=TODAY)
    assert result.pages > 1
    assert result.notes == [
        "fitting on one page would make text smaller than 6 pt, so the roadmap is fitted to the "
        f"page width and runs on to {result.pages} pages, top to bottom"]
    for n, sizes in enumerate(_text_sizes(out), start=1):
        assert min(sizes) >= 6.0 - 1e-6, n
        text = _text(out, n)
        # Every page shows the whole date range (Jan to Apr), not a slice of it.
        assert "Jan" in text and "Apr" in text, n
        assert f"Page {n} of {result.pages}" in text
