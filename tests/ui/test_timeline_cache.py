"""Bars keep cached pictures of themselves: after zooms and scrolls they must look as freshly
painted, never a stale picture scrolled along (a title repeated at old left edges)."""

from __future__ import annotations

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QGraphicsItem

from ui.main_window import MainWindow


def _shot(window: MainWindow) -> QImage:
    timeline = window.timeline
    timeline.timeline_scene.place_all()
    QApplication.processEvents()  # as the event loop does before it paints
    return timeline.viewport().grab().toImage()


def _fresh(window: MainWindow) -> QImage:
    """The same view with every bar's cached picture thrown away and painted again."""
    for item in window.timeline.timeline_scene.card_items.values():
        mode = item.cacheMode()
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        item.setCacheMode(mode)
    return _shot(window)


def test_zooming_and_scrolling_leave_no_stale_bar_pictures(qtbot, window: MainWindow) -> None:
    timeline = window.timeline
    timeline.go_to_today()
    assert _shot(window) == _fresh(window)  # every bar in view cached once, as painted
    steps = [("zoom", 1 / 1.25), ("zoom", 1 / 1.25), ("scroll", -90), ("zoom", 1.25),
             ("scroll", 140), ("zoom", 1.25), ("zoom", 1.25), ("scroll", -60),
             ("zoom", 1 / 1.1), ("scroll", 35), ("vscroll", 120), ("zoom", 1.1),
             ("scroll", -200), ("vscroll", -120)]
    for i, (kind, amount) in enumerate(steps):
        if kind == "zoom":
            timeline.zoom_by(amount, 0.0 if i % 2 else None)
        else:
            bar = (timeline.horizontalScrollBar() if kind == "scroll"
                   else timeline.verticalScrollBar())  # fmt: skip
            bar.setValue(bar.value() + int(amount))
        qtbot.wait(1)
        seen = _shot(window)
        assert seen == _fresh(window), f"stale bar pictures after step {i}: {kind} {amount}"


def test_bars_moved_by_a_zoom_keep_a_picture_again_once_it_stops(qtbot, window: MainWindow) -> None:
    """During a zoom the moved bars paint themselves directly (a picture would be thrown away
    at the next step); a moment after the zoom they are cached again, and look the same."""
    timeline = window.timeline
    scene = timeline.timeline_scene
    timeline.go_to_today()
    _shot(window)
    cached = QGraphicsItem.CacheMode.DeviceCoordinateCache
    timeline.zoom_by(1.25)
    _shot(window)
    moved = [item for item in scene.card_items.values() if item.cacheMode() != cached]
    assert moved, "a zoom paints the bars it moved without their old pictures"
    seen = _shot(window)
    qtbot.waitUntil(lambda: all(item.cacheMode() == cached for item in moved), timeout=3000)
    assert _shot(window) == seen  # the cached pictures look like the direct paint
    assert _shot(window) == _fresh(window)
    timeline.zoom_by(1 / 1.25)
    assert scene.live  # while the zoom goes on, the bar items wait where they were
    assert all(item.cacheMode() == cached for item in moved)
    scene.end_live()
    assert any(item.cacheMode() != cached for item in moved)


def test_larger_text_repaints_bars_cut_by_the_left_edge_whole(qtbot, window: MainWindow) -> None:
    """Presentation text: a bar that starts left of the view gets its title at the new size
    too (its cached picture used to keep the old title beside a repainted estimate)."""
    timeline = window.timeline
    timeline.go_to_today()
    bar = timeline.horizontalScrollBar()
    bar.setValue(bar.value() + 140)
    qtbot.wait(300)  # the bars are cached again
    _shot(window)
    timeline.set_text_scale(1.5)
    assert _shot(window) == _fresh(window)
    timeline.set_text_scale(1.0)
    assert _shot(window) == _fresh(window)
