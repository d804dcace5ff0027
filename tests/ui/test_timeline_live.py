"""During a zoom the bars are painted by one layer where they belong at each step, while the
bar items wait; what a zoom shows must be exactly what the view shows once it stops, and
anything that needs the bar items (the mouse, keys, an edit) must find them where they look."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui.main_window import MainWindow


def _grab(window: MainWindow) -> QImage:
    QApplication.processEvents()  # as the event loop does before it paints
    return window.timeline.viewport().grab().toImage()


def _settled(window: MainWindow) -> QImage:
    window.timeline.timeline_scene.end_live()
    return _grab(window)


def _zoom_steps(window: MainWindow) -> None:
    """Zoom steps around both sides and the middle; each frame while zooming must equal the
    view once the zoom stopped."""
    timeline = window.timeline
    scene = timeline.timeline_scene
    width = timeline.viewport().width()
    for i, (factor, anchor) in enumerate([(1.3, None), (1.3, 0.0), (1 / 1.7, width - 1.0),
                                          (1 / 1.2, 300.0), (2.2, None), (1 / 2.5, 10.0)]):
        timeline.zoom_by(factor, anchor)
        assert scene.live, "a zoom step leaves the bar items where they were"
        during = _grab(window)
        assert scene.live
        assert during == _settled(window), f"zoom step {i} differs from the settled view"
        assert not scene.live


def test_a_zoom_shows_what_the_view_shows_once_it_stops(qtbot: QtBot, window: MainWindow) -> None:
    window.timeline.go_to_today()
    _zoom_steps(window)


def test_selection_hover_spotlight_and_cut_bars_look_the_same_during_a_zoom(
    qtbot: QtBot, window: MainWindow
) -> None:
    timeline = window.timeline
    scene = timeline.timeline_scene
    timeline.go_to_today()
    cards = [c for c in window.document.cards() if c.start is not None]
    window.document.set_selection([cards[0].id, cards[3].id])
    scene.set_hover(cards[5].id)
    timeline.set_spotlight(cards[1].lane_id)
    timeline.set_highlight([cards[2].id])
    bar = timeline.horizontalScrollBar()
    bar.setValue(bar.value() + 170)  # some bars start left of the view: titles from its edge
    qtbot.wait(1)
    _zoom_steps(window)
    timeline.set_text_scale(1.6)  # presenting: larger text
    _zoom_steps(window)


def test_a_zoom_stops_by_itself_and_the_bars_are_placed(qtbot: QtBot, window: MainWindow) -> None:
    timeline = window.timeline
    scene = timeline.timeline_scene
    timeline.go_to_today()
    timeline.zoom_by(1.4)
    assert scene.live
    qtbot.waitUntil(lambda: not scene.live, timeout=2000)
    card = next(c for c in window.document.cards() if c.start is not None
                and not timeline.card_rect(c.id).isEmpty())  # fmt: skip
    item = scene.card_items[card.id]
    x = scene.time_scale.x_for_date(min(card.start, card.end or card.start))  # type: ignore[type-var]
    assert abs(item.scene_x - x) < 1  # placed where the zoom painted it


def test_a_click_during_a_zoom_picks_the_bar_painted_under_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    timeline = window.timeline
    scene = timeline.timeline_scene
    timeline.go_to_today()
    timeline.zoom_by(1.8)
    assert scene.live
    # Where the zoom paints a card now (its item still sits where the last zoom left it).
    target = None
    for card in window.document.cards():
        if card.start is None or card.end is None or card.lane_id is None:
            continue
        item = scene.card_items.get(card.id)
        if item is None:
            continue
        start, end = sorted((card.start, card.end))
        x0 = scene.time_scale.x_for_date(start) - timeline._scene_left()
        x1 = scene.time_scale.x_after(end) - timeline._scene_left()
        box = scene.boxes[scene.lane_key(card)]
        from planner.layout import BAR_HEIGHT, card_y

        y = card_y(box, scene.rows[scene.lane_key(card)].get(card.id, 0)) + BAR_HEIGHT / 2
        y -= timeline.mapToScene(QPoint(0, 0)).y()
        if x1 - x0 > 60 and 40 < x0 + 30 < timeline.viewport().width() - 40 and 20 < y < 500:
            target = (card.id, QPointF(x0 + 30, y))
            break
    assert target is not None
    card_id, pos = target
    qtbot.mouseClick(timeline.viewport(), Qt.MouseButton.LeftButton, pos=pos.toPoint())
    assert not scene.live
    assert window.document.selection == (card_id,)


def test_an_edit_during_a_zoom_places_the_bars_first(qtbot: QtBot, window: MainWindow) -> None:
    timeline = window.timeline
    scene = timeline.timeline_scene
    timeline.go_to_today()
    timeline.zoom_by(1.5)
    assert scene.live
    card = next(c for c in window.document.cards() if c.start is not None and c.end is not None)
    window.roadmap.update_card(card.id, start=card.start + dt.timedelta(days=3),  # type: ignore[operator]
                               end=card.end + dt.timedelta(days=3))  # type: ignore[operator]  # fmt: skip
    qtbot.waitUntil(lambda: not scene.live, timeout=2000)
    seen = _grab(window)
    scene.place_all()
    assert _grab(window) == seen


def test_keys_end_a_zoom(qtbot: QtBot, window: MainWindow) -> None:
    timeline = window.timeline
    scene = timeline.timeline_scene
    timeline.go_to_today()
    timeline.zoom_by(1 / 1.5)
    assert scene.live
    qtbot.keyClick(timeline, Qt.Key.Key_Right)
    assert not scene.live


def test_arrows_to_bars_in_lanes_off_screen_follow_a_zoom(qtbot: QtBot, window: MainWindow) -> None:
    """An arrow whose other bar is in a lane below the view (not placed yet after a zoom) is
    drawn to where that bar belongs, during the zoom and once it stops, never to where an
    earlier zoom left it."""
    timeline = window.timeline
    scene = timeline.timeline_scene
    window.resize(1000, 380)  # the lowest lanes are off screen
    qtbot.wait(10)
    timeline.go_to_today()
    lanes = [lane.id for lane in window.roadmap.lanes()]
    cards = sorted((c for c in window.document.cards() if c.start is not None), key=lambda c: c.id)
    upper = [c for c in cards if c.lane_id in lanes[:2]]
    lower = [c for c in cards if c.lane_id in lanes[-2:]]
    for i, a in enumerate(lower):  # arrows from the lowest lanes up to the first ones
        window.roadmap.add_dependency(a.id, upper[(i * 3) % len(upper)].id)
    qtbot.waitUntil(lambda: len(scene._dep_pairs) >= len(lower))

    def arrows(geometry: list[tuple[float, ...]], area: object) -> set[tuple[float, ...]]:
        return {tuple(round(v, 3) for v in g[4:8]) for g in geometry
                if g[2] > area.left() and g[0] < area.right()  # type: ignore[attr-defined]
                and g[3] > area.top() and g[1] < area.bottom()}  # type: ignore[attr-defined]  # fmt: skip

    steps = [(1.4, 100.0), (1.4, 100.0), (1.4, 900.0), (1 / 2.5, 900.0), (1.7, 500.0),
             (1.5, 0.0), (1.5, 990.0), (1 / 1.3, 200.0), (1.3, 700.0), (1 / 3, 0.0)]
    for factor, anchor in steps:
        timeline.zoom_by(factor, anchor)
        area = timeline.mapToScene(timeline.viewport().rect()).boundingRect()
        during = arrows(scene._live_dependency_geometry(area), area)
        scene.end_live()
        settled = arrows(scene._dependency_geometry(), area)
        assert settled == during
        # Whatever waits to be placed, the arrows in view are those of a full placement.
        pending = set(scene._pending)
        scene.place_all()
        assert arrows(scene._dependency_geometry(), area) == settled
        scene._place_lanes(pending)  # as it was: those lanes wait again


def test_a_pointer_moving_a_little_does_not_end_a_zoom_a_press_does(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A hand zooming on a touchpad moves the pointer a little at every step: the zoom goes on;
    a press (or a move with a button held) places the bars first."""
    timeline = window.timeline
    scene = timeline.timeline_scene
    timeline.go_to_today()
    timeline.zoom_by(1.3, 300.0)
    assert scene.live
    qtbot.mouseMove(timeline.viewport(), QPoint(301, 200))
    qtbot.mouseMove(timeline.viewport(), QPoint(303, 201))
    assert scene.live
    qtbot.mousePress(timeline.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert not scene.live
    qtbot.mouseRelease(timeline.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))


def test_the_bar_under_the_pointer_is_hovered_once_a_zoom_stops(
    qtbot: QtBot, window: MainWindow
) -> None:
    """During a zoom the hover is left as it is; once the zoom stops, the bar under the pointer
    (or none) is the hovered one."""
    timeline = window.timeline
    scene = timeline.timeline_scene
    timeline.go_to_today()
    card = next(c for c in window.document.cards() if not timeline.card_rect(c.id).isEmpty()
                and timeline.card_rect(c.id).width() > 40)  # fmt: skip
    over = timeline.card_rect(card.id).center()
    qtbot.mouseMove(timeline.viewport(), over)
    assert scene.hover_id == card.id
    timeline.zoom_by(1.3, float(over.x()))
    empty = QPoint(over.x(), timeline.viewport().height() - 5)  # below the last lane
    qtbot.mouseMove(timeline.viewport(), empty)
    assert scene.live and scene.hover_id == card.id  # left as it is during the zoom
    scene.end_live()
    assert scene.hover_id is None
