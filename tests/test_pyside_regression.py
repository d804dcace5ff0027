"""PySide6 6.12.0 on Python 3.11 drops a reference to None per void call and aborts.

The version markers in pyproject.toml keep 6.12 off Python 3.11; this test would abort the
whole run (Fatal Python error: none_dealloc) if that pin were lost.
"""

from __future__ import annotations

from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsScene


def test_twenty_thousand_void_calls_do_not_crash(qapp) -> None:
    scene = QGraphicsScene()
    item = QGraphicsRectItem(0, 0, 10, 10)
    scene.addItem(item)
    for i in range(20_000):
        item.setPos(i % 97, i % 89)
        item.setZValue(i % 5)
        item.setToolTip("x")
    assert item.pos().x() == (19_999 % 97)
    assert scene.items() == [item]
