"""Bars on screen and in unscaled images draw their badges from kept pictures; PDF, SVG and
scaled exports get the drawing itself (``render.stamp_ratio``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage, QPainter, QPdfWriter, QPixmap
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from ui import render


def _ratio(device: object, scale: float = 1.0) -> float:
    p = QPainter(device)  # type: ignore[call-overload]
    p.scale(scale, scale)
    try:
        return render.stamp_ratio(p)
    finally:
        p.end()


def test_raster_devices_use_kept_pictures_vector_ones_do_not(qapp, tmp_path: Path) -> None:
    assert _ratio(QImage(8, 8, QImage.Format.Format_RGB32)) == 1.0
    assert _ratio(QPixmap(8, 8)) == 1.0
    assert _ratio(QImage(8, 8, QImage.Format.Format_RGB32), scale=2.0) == 0.0  # scaled export
    assert _ratio(QPdfWriter(str(tmp_path / "x.pdf"))) == 0.0
    svg = QSvgGenerator()
    svg.setFileName(str(tmp_path / "x.svg"))
    assert _ratio(svg) == 0.0


def test_the_screen_uses_kept_pictures(qtbot) -> None:
    seen: list[float] = []

    class Probe(QWidget):
        def paintEvent(self, event: object) -> None:  # noqa: N802 - Qt override
            p = QPainter(self)
            seen.append(render.stamp_ratio(p))
            p.end()

    probe = Probe()
    qtbot.addWidget(probe)
    probe.resize(20, 20)
    probe.show()
    qtbot.waitExposed(probe)
    probe.repaint()
    qtbot.waitUntil(lambda: bool(seen))
    assert seen and all(r == probe.devicePixelRatioF() for r in seen)
