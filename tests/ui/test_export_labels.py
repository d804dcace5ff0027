"""Titles and milestone labels in exports: shown in full beside short bars and across pages."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

from PySide6.QtCore import QRectF

from planner import Roadmap
from planner.layout import BAR_HEIGHT
from ui.export import ExportOptions, build_picture, export_roadmap, page_layout, plan_pages

TODAY = dt.date(2026, 11, 25)


def _text(path: Path, page: int | None = None) -> str:
    args = ["pdftotext", "-raw"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    done = subprocess.run([*args, str(path), "-"], check=True, capture_output=True, text=True)
    return " ".join(done.stdout.split())


def _word_boxes(path: Path) -> list[tuple[int, float, float, float, float, str]]:
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True,
                         text=True).stdout  # fmt: skip
    boxes, page = [], 0
    for line in out.splitlines():
        if line.strip().startswith("<page "):
            page += 1
        m = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<',
                      line)  # fmt: skip
        if m:
            boxes.append((page, *(float(m.group(i)) for i in range(1, 5)), m.group(5)))
    return boxes


def test_default_pdf_shows_short_cards_titles_in_full_beside_their_bars(sample_path, tmp_path):
    out = tmp_path / "s.pdf"
    with Roadmap.open(sample_path, read_only=True) as r:
        result = export_roadmap(r, out, ExportOptions(), today=TODAY)  # A4 landscape, fit
    assert result.pages == 1
    text = _text(out)
    # Bars too short for these titles at this zoom: before, "Sm…", "Buf…", "Digit…", "P…".
    for title in ("Smart waitlist", "Buffer times between appointments", "Digital intake forms",
                  "Postgres 16 upgrade and connection pooling", "Card on file and no-show fee",
                  "Free tier for solo practitioners", "Übersetzung: German patient portal",
                  "Pen-test remediation: session handling", "Public REST API v1"):  # fmt: skip
        assert title in text, title
    # The lane collapse arrows are window controls: not on paper.
    assert "▾" not in text and "▸" not in text
    # No text lies over other text.
    boxes = _word_boxes(out)
    for i, (_, ax0, ay0, ax1, ay1, a) in enumerate(boxes):
        for _, bx0, by0, bx1, by1, b in boxes[i + 1:]:
            overlap_x = min(ax1, bx1) - max(ax0, bx0)
            overlap_y = min(ay1, by1) - max(ay0, by0)
            assert overlap_x <= 0.5 or overlap_y <= 1.0, (a, b)


def test_titles_beside_bars_never_cover_a_bar_or_each_other_or_cross_a_page(sample_path,
                                                                             qapp):  # fmt: skip
    for fit, paper in (("page", "A4"), ("tile", "A3"), ("tile", "A4")):
        with Roadmap.open(sample_path, read_only=True) as r:
            picture = build_picture(r, None, ExportOptions(page_size=paper), today=TODAY)
        rect = page_layout(ExportOptions(page_size=paper)).paintRectPoints()
        plan = plan_pages(picture, rect.width(), rect.height(), fit)
        bars = [QRectF(i.pos().x(), i.pos().y(), i.width, BAR_HEIGHT)
                for i in picture.scene.card_items.values() if i.isVisible()]  # fmt: skip
        placed_any = False
        for page in plan.pages:
            source = QRectF(page.x0, page.y0, page.x1 - page.x0, page.y1 - page.y0)
            placed = picture._beside_titles(source, set())
            placed_any |= bool(placed)
            for n, (_item, box, text) in enumerate(placed):
                assert text and box.width() > 0
                assert source.left() <= box.left() and box.right() <= source.right(), text
                assert source.top() <= box.top() and box.bottom() <= source.bottom(), text
                inner = box.adjusted(0.5, 0.5, -0.5, -0.5)
                assert not any(inner.intersects(bar) for bar in bars), text
                assert not any(inner.intersects(other) for _, other, _ in placed[n + 1:]), text
        assert placed_any, (fit, paper)


def test_tiled_pages_show_a_milestone_label_cut_by_a_page_edge_in_full(sample_path, tmp_path):
    out = tmp_path / "a3.pdf"
    with Roadmap.open(sample_path, read_only=True) as r:
        result = export_roadmap(r, out, ExportOptions(page_size="A3", fit="tile"), today=TODAY)
        milestones = [m.title for m in r.milestones()]
    assert result.pages >= 2
    text = _text(out)
    assert "ClinicOps Summit, Berlin" in text  # its diamond sits just before a page edge
    for title in milestones:
        assert title in text, title


def test_a_milestone_at_a_page_edge_with_room_before_it_is_labelled_there(tmp_path, qapp):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QPainter, QPdfWriter

    path = tmp_path / "edge.roadmap"
    with Roadmap.create(path, title="Edge") as r:
        lane = r.add_lane("Team")
        for month in range(1, 13):
            r.add_card(f"Work {month}", lane_id=lane.id, start=dt.date(2027, month, 1),
                       end=dt.date(2027, month, 20))  # fmt: skip
        r.add_milestone("Launch day at the edge", dt.date(2027, 6, 15))
        picture = build_picture(r, None, ExportOptions(), today=TODAY)
    mitem = next(iter(picture.scene.milestone_items.values()))
    edge = mitem.pos().x() + 40  # the page ends just after the diamond
    pages = [QRectF(picture.x0, 0, edge - picture.x0, picture.height),
             QRectF(edge, 0, picture.x1 - edge, picture.height)]  # fmt: skip
    out = tmp_path / "edge.pdf"
    writer = QPdfWriter(str(out))
    p = QPainter(writer)
    for n, source in enumerate(pages):
        if n:
            writer.newPage()
        picture.paint_body(p, source, QPointF(0, 0))
    p.end()
    del writer
    assert "Launch day at the edge" in _text(out, 1)  # moved before the diamond, in full
    assert "Launch" not in _text(out, 2)  # so not repeated
