"""A violated dependency is a warning no one may miss: on screen its arrow is drawn from
hairlines for speed, and must look as bold as the 2.2-px dashed line exports draw."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QPainter

from ui import render


def _ink(start: tuple[float, float], end: tuple[float, float], raster: bool) -> int:
    img = QImage(260, 160, QImage.Format.Format_RGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    render.paint_dependency(p, QPointF(*start), QPointF(*end), render.Theme(), True, None, raster)
    p.end()
    total = 0
    for y in range(img.height()):
        for x in range(img.width()):
            c = QColor(img.pixel(x, y))
            total += 765 - c.red() - c.green() - c.blue()
    return total


@pytest.mark.parametrize("start, end", [
    ((20, 20), (220, 140)),  # forward, down
    ((200, 20), (60, 140)),  # backward (a violated arrow usually runs back), down
    ((200, 140), (60, 20)),  # backward, up
    ((20, 80), (240, 80)),  # level
    ((30, 30), (70, 150)),  # short and steep
])  # fmt: skip
def test_a_violated_arrow_on_screen_is_about_as_bold_as_in_a_pdf(qapp, start, end) -> None:
    bold = _ink(start, end, raster=False)
    assert 0.8 * bold <= _ink(start, end, raster=True) <= 1.2 * bold
