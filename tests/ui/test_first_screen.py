"""A roadmap of a few hundred to 10,000 cards paints first with the lanes that can be on screen.

``Document(progressive=True)`` reads before the first paint only the cards of the lanes at the
top that fill the tallest screen even at their smallest; the other lanes come in one go right
after. The first paint shows there what a full read shows, and once loaded the window equals one
that read everything at once (where it looks included, when it had to fit the cards in).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from planner import Roadmap
from planner.layout import MIN_LANE_HEIGHT
from ui import document as document_module
from ui.document import Document, _screen_height
from ui.legend import legend_items
from ui.timeline.scene import TimelineScene

LANES = 60
PER_LANE = 12
CARDS = LANES * PER_LANE


def _make(path: Path, first_day: dt.date, spread_lanes: bool = False) -> Path:
    with Roadmap.create(path, title="Lanes") as r:
        lanes = [r.add_lane(f"Lane {i}").id for i in range(LANES)]
        specs: list[dict[str, Any]] = []
        for n, lane in enumerate(lanes):
            base = first_day + dt.timedelta(days=(400 * n if spread_lanes else 0))
            for i in range(PER_LANE):
                spec: dict[str, Any] = {"title": f"card {n}.{i}", "lane_id": lane}
                if i != 5:  # one in each lane waits in the backlog
                    start = base + dt.timedelta(days=(i * 23) % 120 - 40)
                    spec["start"] = start
                    spec["end"] = start + dt.timedelta(days=(i % 4) * 9)
                specs.append(spec)
        r.add_cards(specs)
    return path


@pytest.fixture
def near_today(tmp_path: Path) -> Path:
    return _make(tmp_path / "near.roadmap", dt.date.today())


@pytest.fixture
def far_away(tmp_path: Path) -> Path:
    # Far from today, and each lane later than the one above: fitting only the top lanes in
    # would zoom differently from fitting every card in.
    return _make(tmp_path / "far.roadmap", dt.date(2001, 3, 5), spread_lanes=True)


@pytest.fixture(autouse=True)
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(document_module, "FIRST_SCREEN_ABOVE", 100)


def _open(qtbot: Any, path: Path, deferred: bool = True) -> Any:
    from ui.main_window import MainWindow

    window = MainWindow(path, deferred=deferred)  # closed by _close, not by qtbot
    window.show()
    qtbot.waitExposed(window)
    return window


def _close(window: Any) -> None:
    if not window.roadmap.closed:
        window.close()
    window.deleteLater()


def _geometry(scene: TimelineScene, lanes: set[int] | None = None) -> dict[int, tuple[Any, ...]]:
    scene.place_all()
    return {cid: (round(item.scene_x, 2), round(item.pos().y(), 2), round(item.width, 2),
                  item.isVisible()) for cid, item in scene.card_items.items()
            if lanes is None or item.card.lane_id in lanes}  # fmt: skip


def test_the_first_paint_reads_the_top_lanes_only_and_shows_there_what_a_full_read_shows(
    qtbot: Any, near_today: Path
) -> None:
    from ui.main_window import MainWindow

    full = Document(Roadmap.open(near_today, read_only=True))
    try:
        lanes = full.roadmap.lanes()
        window: Any = MainWindow(near_today, deferred=True)  # as it stands at its first paint
        qtbot.addWidget(window)
        try:
            document = window.document
            assert document.loading and not document.announces_load
            read = {c.lane_id for c in document.cards()}
            top = {lane.id for lane in lanes[: len(read)]}
            assert read == top  # whole lanes, from the top
            assert len(read) < LANES
            assert len(document.cards()) == len(read) * PER_LANE
            scene = window.timeline.timeline_scene
            fresh = TimelineScene(full, px_per_day=scene.time_scale.px_per_day)
            # Enough lanes to fill the tallest screen, and not one more.
            boxes = {b.lane_id: b for b in fresh.box_list}
            y0 = boxes[lanes[0].id].top
            last = lanes[len(read) - 1].id
            assert boxes[last].bottom - y0 >= _screen_height() > boxes[last].top - y0
            assert _geometry(scene, top) == _geometry(fresh, top)
            # The legend explains the colours of every card, not only of those read yet.
            assert window.legend.items == legend_items(full)
            assert len(window.legend.items) == LANES
            assert {k: v for k, v in scene.rows.items() if k in top} == {
                k: v for k, v in fresh.rows.items() if k in top}  # fmt: skip
            # The rest comes in one go once the window asks for it (after its first paint).
            window.show()
            with qtbot.waitSignal(window.built, timeout=20000):
                pass
            assert not document.loading
            assert document.cards() == window.roadmap.cards()
            assert window.statusBar().currentMessage() == ""  # nothing to tell the user
            scene = window.timeline.timeline_scene
            fresh = TimelineScene(full, px_per_day=scene.time_scale.px_per_day)
            assert scene.rows == fresh.rows
            assert scene.box_list == fresh.box_list
            assert scene.backlog == fresh.backlog
            assert _geometry(scene) == _geometry(fresh)
            assert window.list_view.model.rowCount() == CARDS
            assert window.legend.items == legend_items(full)
            assert window.legend._tally is not None  # counted card by card again
        finally:
            _close(window)
    finally:
        full.roadmap.close()


def test_a_view_far_from_today_is_fitted_to_every_card_as_with_a_full_read(
    qtbot: Any, far_away: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _open(qtbot, far_away)
    try:
        with qtbot.waitSignal(window.built, timeout=20000):
            pass
        zoom = window.timeline.time_scale.px_per_day
        left = window.timeline.date_at(0)
        top = window.timeline.verticalScrollBar().value()
    finally:
        _close(window)
    monkeypatch.setattr(document_module, "FIRST_SCREEN_ABOVE", CARDS)  # read at once
    window = _open(qtbot, far_away)
    try:
        assert not window.document.loading
        with qtbot.waitSignal(window.built, timeout=20000):
            pass
        qtbot.wait(50)
        assert window.timeline.time_scale.px_per_day == zoom
        assert window.timeline.date_at(0) == left
        assert window.timeline.verticalScrollBar().value() == top
    finally:
        _close(window)


def test_a_saved_view_reads_every_lane_before_the_first_paint(qtbot: Any,
                                                             near_today: Path) -> None:
    from ui.main_window import MainWindow

    window: Any = MainWindow(near_today, deferred=True)
    qtbot.addWidget(window)
    try:
        lanes = window.roadmap.lanes()
        view = window.roadmap.add_view("Bottom lanes", lanes=[lane.id for lane in lanes[-5:]])
        assert window.document.loading
        window.document.set_active_view(view)  # as a window left on this view opens
        assert not window.document.loading
        assert len(window.document.cards()) == CARDS
        scene = window.timeline.timeline_scene
        assert {item.card.lane_id for item in scene.card_items.values()} == {
            lane.id for lane in lanes[-5:]}  # fmt: skip
    finally:
        _close(window)


def test_a_roadmap_of_few_lanes_or_cards_reads_every_card_at_once(qtbot: Any, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch
                                                                 ) -> None:  # fmt: skip
    path = _make(tmp_path / "x.roadmap", dt.date.today())
    monkeypatch.setattr(document_module, "FIRST_SCREEN_ABOVE", CARDS)
    window = _open(qtbot, path)
    try:
        assert not window.document.loading and len(window.document.cards()) == CARDS
    finally:
        _close(window)
    monkeypatch.setattr(document_module, "FIRST_SCREEN_ABOVE", 100)
    monkeypatch.setattr(document_module, "_screen_height", lambda: LANES * 20 * MIN_LANE_HEIGHT)
    window = _open(qtbot, path)  # every lane may be on screen
    try:
        assert not window.document.loading and len(window.document.cards()) == CARDS
    finally:
        _close(window)


def test_edits_before_the_rest_comes_in_are_kept(qtbot: Any, near_today: Path) -> None:
    from ui import commands

    window = _open(qtbot, near_today)
    try:
        document, roadmap = window.document, window.roadmap
        assert document.loading
        read = {c.id for c in document.cards()}
        waiting = [c for c in roadmap.cards() if c.id not in read and c.scheduled]
        shown = [c for c in roadmap.cards() if c.id in read and c.scheduled]
        day = dt.date.today()
        commands.run(window.undo_stack, commands.MoveCards(roadmap, {
            waiting[0].id: (day, day + dt.timedelta(days=4), shown[0].lane_id)}))  # fmt: skip
        commands.run(window.undo_stack, commands.DeleteCards(roadmap, [waiting[1].id]))
        with qtbot.waitSignal(window.built, timeout=20000):
            pass
        assert not document.loading
        key = lambda c: c.id  # noqa: E731
        assert sorted(document.cards(), key=key) == sorted(roadmap.cards(), key=key)
        scene = window.timeline.timeline_scene
        fresh = TimelineScene(Document(roadmap), px_per_day=scene.time_scale.px_per_day)
        assert scene.rows == fresh.rows
        assert _geometry(scene) == _geometry(fresh)
    finally:
        _close(window)
