"""A milestone's dashed line is drawn only over the part being painted; its dashes must sit
exactly where the whole line puts them, whatever part of it is painted (scrolled views)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage, QPainter

from ui import render


def _paint(offset: float, height: int, span: bool) -> QImage:
    img = QImage(40, height, QImage.Format.Format_RGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.translate(0, -offset)
    kwargs = {"span": (offset, offset + height)} if span else {}
    render.paint_milestone(p, 20.3, 0.0, 3000.0, "M", "#7048e8", render.Theme(), **kwargs)
    p.end()
    return img


@pytest.mark.parametrize("offset", [0, 3, 7, 12, 13, 14, 15, 40, 101, 333, 1000.5, 2950])
def test_a_milestone_line_painted_in_part_has_the_dashes_of_the_whole_line(qapp, offset) -> None:
    assert _paint(offset, 200, span=True) == _paint(offset, 200, span=False)


def test_its_dashes_stay_put_when_the_view_scrolls(qapp) -> None:
    whole = _paint(0, 1200, span=False)
    for offset in (3, 12, 13, 40, 333):
        part = _paint(offset, 200, span=True)
        rows = [y for y in range(200) if part.pixel(20, y) != whole.pixel(20, y + offset)]
        assert not rows, f"dashes moved after scrolling {offset} px"
