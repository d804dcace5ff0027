"""A big roadmap opens at once and its cards come in chunks (``Document(progressive=True)``).

The threshold is lowered so 500 cards load in chunks of 40: once loaded the window shows what a
window that read everything at once shows, edits made between chunks are neither lost nor
doubled, undo works, and the other rooms are built only when every card is in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planner import Roadmap
from ui import commands
from ui import document as document_module
from ui.document import Document
from ui.timeline.scene import TimelineScene

DAY0 = dt.date(2026, 1, 5)
CARDS = 500


@pytest.fixture
def big_path(tmp_path: Path) -> Path:
    path = tmp_path / "big.roadmap"
    with Roadmap.create(path, title="Big") as r:
        lanes = [r.add_lane(f"Lane {i}").id for i in range(3)]
        specs: list[dict[str, Any]] = []
        for i in range(CARDS):
            spec: dict[str, Any] = {"title": f"card {i}", "lane_id": lanes[i % 3]}
            if i % 25 != 7:  # some wait in the backlog
                start = DAY0 + dt.timedelta(days=(i * 37) % 400)
                spec["start"] = start
                spec["end"] = start + dt.timedelta(days=(i % 5) * 6)
            specs.append(spec)
        ids = [c.id for c in r.add_cards(specs)]
        # An order that is neither by id nor by date.
        r.update_cards({cid: {"position": 1000 - cid} for cid in ids[::11]})
        r.add_dependency(2, 30)
    return path


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(document_module, "CHUNKED_ABOVE", 50)
    for name in ("CHUNK", "CHUNK_MIN", "CHUNK_MAX"):  # chunks of 40, whatever they take
        monkeypatch.setattr(document_module, name, 40)
    yield


def _open(qtbot: Any, path: Path) -> Any:
    from ui.main_window import MainWindow

    window = MainWindow(path, deferred=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _close(window: Any) -> None:
    if not window.roadmap.closed:
        window.close()
    window.deleteLater()


def _geometry(scene: TimelineScene) -> dict[int, tuple[float, float, float, bool]]:
    scene.place_all()
    return {cid: (round(item.scene_x, 2), round(item.pos().y(), 2), round(item.width, 2),
                  item.isVisible()) for cid, item in scene.card_items.items()}  # fmt: skip


def _assert_as_a_full_read(window: Any, in_order: bool = True) -> None:
    """The document and the timeline equal those of a window that read every card at once
    (the document's cards in the same order, unless edits have patched them since)."""
    roadmap = window.roadmap
    if in_order:
        assert window.document.cards() == roadmap.cards()
    key = lambda c: c.id  # noqa: E731
    assert sorted(window.document.cards(), key=key) == sorted(roadmap.cards(), key=key)
    scene = window.timeline.timeline_scene
    fresh = TimelineScene(Document(roadmap), px_per_day=scene.time_scale.px_per_day)
    assert scene.time_scale == fresh.time_scale
    assert scene.rows == fresh.rows
    assert scene.box_list == fresh.box_list
    assert scene.backlog == fresh.backlog
    assert _geometry(scene) == _geometry(fresh)


def test_a_big_roadmap_paints_first_then_fills_in_and_builds_the_other_rooms(qtbot, big_path):
    window = _open(qtbot, big_path)
    try:
        document = window.document
        assert document.loading
        assert len(document.cards()) < CARDS  # painted before the cards are all in
        progress: list[tuple[int, int]] = []
        document.load_progress.connect(lambda done, total: progress.append((done, total)))
        qtbot.waitUntil(lambda: document._load_read > 0, timeout=5000)
        assert not window.is_built and not hasattr(window, "list_view")
        assert window.statusBar().currentMessage().startswith("Loading cards…")
        assert 0 < len(window.timeline.timeline_scene.card_items) < CARDS
        with qtbot.waitSignal(window.built, timeout=20000):
            pass
        assert not document.loading
        assert window.is_built
        assert progress[-1] == (CARDS, CARDS)
        assert all(done <= total for done, total in progress)
        assert window.statusBar().currentMessage() == "500 cards loaded"
        _assert_as_a_full_read(window)
        # The rooms built after the load saw every card once; the legend counted every chunk.
        assert window.list_view.model.rowCount() == CARDS
        from planner.lens import LegendTally, Lens

        lens = Lens.from_view(document.active_view)
        names = (window.roadmap.lanes(), window.roadmap.objectives())
        assert window.legend._tally.items(*names) == LegendTally(lens, roadmap_cards(window)
                                                                 ).items(*names)  # fmt: skip
    finally:
        _close(window)


def roadmap_cards(window: Any) -> list[Any]:
    return list(window.roadmap.cards())


def _loaded_ids(window: Any) -> set[int]:
    return {c.id for c in window.document.cards()}


def test_edits_between_chunks_are_neither_lost_nor_doubled_and_undo(qtbot, big_path):
    window = _open(qtbot, big_path)
    try:
        document = window.document
        roadmap = window.roadmap
        before = roadmap.cards()
        qtbot.waitUntil(lambda: document._load_read >= 80, timeout=5000)
        assert document.loading
        loaded = _loaded_ids(window)
        waiting = sorted({c.id for c in before} - loaded)
        scheduled_waiting = [c.id for c in before if c.id in set(waiting) and c.scheduled]
        shown = sorted(loaded & {c.id for c in before if c.scheduled})
        stack = window.undo_stack
        # Moved: one card already shown, one still to come.
        done_one = shown[0]
        moves = {done_one: (DAY0, DAY0 + dt.timedelta(days=3), None),
                 scheduled_waiting[0]: (DAY0 + dt.timedelta(days=9),
                                        DAY0 + dt.timedelta(days=20), None)}  # fmt: skip
        commands.run(stack, commands.MoveCards(roadmap, moves))
        # Deleted: a card still to come and one already shown.
        commands.run(stack, commands.DeleteCards(roadmap, [scheduled_waiting[1], shown[1]]))
        # Added: a new card (its id is above every id still to read).
        added = commands.run(stack, commands.AddCards(roadmap, [{
            "title": "added while loading", "start": DAY0, "end": DAY0 + dt.timedelta(days=2),
            "lane_id": before[0].lane_id}]))  # fmt: skip
        assert document.loading
        with qtbot.waitSignal(window.built, timeout=20000):
            pass
        ids = [c.id for c in document.cards()]
        assert len(ids) == len(set(ids)) == CARDS - 2 + 1
        assert scheduled_waiting[1] not in ids and shown[1] not in ids
        assert added[0].id in ids
        cards = {c.id: c for c in document.cards()}
        assert cards[scheduled_waiting[0]].start == DAY0 + dt.timedelta(days=9)
        assert cards[done_one].end == DAY0 + dt.timedelta(days=3)
        _assert_as_a_full_read(window)
        for _ in range(3):
            stack.undo()
        assert roadmap.cards() == before
        _assert_as_a_full_read(window, in_order=False)
    finally:
        _close(window)


def test_a_small_roadmap_or_a_window_built_at_once_reads_every_card_at_once(qtbot, big_path,
                                                                         monkeypatch):  # fmt: skip
    from ui.main_window import MainWindow

    window = MainWindow(big_path)  # not deferred: complete when the constructor returns
    try:
        assert not window.document.loading and window.is_built
        assert len(window.document.cards()) == CARDS
    finally:
        _close(window)
    monkeypatch.setattr(document_module, "CHUNKED_ABOVE", CARDS)
    window = _open(qtbot, big_path)
    try:
        assert not window.document.loading
        assert len(window.document.cards()) == CARDS
    finally:
        _close(window)


def test_swapping_the_plan_while_loading_ends_the_load(qtbot, big_path):
    window = _open(qtbot, big_path)
    try:
        document = window.document
        qtbot.waitUntil(lambda: document._load_read > 0, timeout=5000)
        scenario = window.roadmap.create_scenario("What if")
        window.roadmap.use_plan(scenario.id)
        with qtbot.waitSignal(window.built, timeout=20000):
            pass
        assert not document.loading
        assert [c.id for c in document.cards()] == [c.id for c in window.roadmap.cards()]
        _assert_as_a_full_read(window)
    finally:
        _close(window)


def test_closing_while_loading_stops_the_load(qtbot, big_path):
    window = _open(qtbot, big_path)
    document = window.document
    qtbot.waitUntil(lambda: document._load_read > 0, timeout=5000)
    read = document._load_read
    window.close()
    assert window.roadmap.closed
    qtbot.wait(50)
    assert document._load_read == read and not window.is_built
    window.deleteLater()


def test_a_search_typed_while_loading_counts_the_cards_in_so_far_then_all(qtbot, big_path):
    from planner.search import CardFilter

    window = _open(qtbot, big_path)
    try:
        document = window.document
        qtbot.waitUntil(lambda: document._load_read > 0, timeout=5000)
        search = CardFilter(text="card 1")
        document.set_search(search)
        bar = window.filter_bar
        assert set(bar.matching_ids(search)) <= {c.id for c in document.cards()}
        with qtbot.waitSignal(window.built, timeout=20000):
            pass
        every = {c.id for c in window.roadmap.cards() if search.matches(c)}
        assert set(bar.matching_ids(search)) == every and every
    finally:
        _close(window)


@pytest.fixture
def growing_path(tmp_path: Path) -> Path:
    """One lane whose rows keep growing as later cards overlap more and more (the timeline
    re-places only the cards a chunk brings, not the whole lane), and a lane below it."""
    path = tmp_path / "growing.roadmap"
    with Roadmap.create(path, title="Growing") as r:
        top, below = r.add_lane("Top").id, r.add_lane("Below").id
        specs: list[dict[str, Any]] = []
        for i in range(400):
            start = DAY0 + dt.timedelta(days=i // 4)
            specs.append({"title": f"card {i}", "lane_id": top, "start": start,
                          "end": start + dt.timedelta(days=1 + i // 10)})  # fmt: skip
        for i in range(60):
            start = DAY0 + dt.timedelta(days=i * 3)
            specs.append({"title": f"below {i}", "lane_id": below, "start": start,
                          "end": start + dt.timedelta(days=5)})  # fmt: skip
        r.add_cards(specs)
        r.add_milestone("Launch", DAY0 + dt.timedelta(days=40), lane_id=below)
    return path


def test_rows_that_keep_growing_while_loading_end_as_a_full_read(qtbot, growing_path):
    window = _open(qtbot, growing_path)
    try:
        rows: list[int] = []
        scene = window.timeline.timeline_scene
        window.document.changed.connect(
            lambda _changes: rows.append(len(set(scene.rows.get(1, {}).values()))))
        with qtbot.waitSignal(window.built, timeout=20000):
            pass
        assert len(set(rows)) > 5  # the lane grew chunk after chunk
        _assert_as_a_full_read(window)
    finally:
        _close(window)


def test_a_chunk_that_cannot_be_read_ends_the_load_once(qtbot, big_path, monkeypatch):
    from planner.errors import RoadmapFileError

    window = _open(qtbot, big_path)
    try:
        document = window.document
        roadmap = window.roadmap
        reads: list[int] = []
        read_cards = roadmap.read_cards

        def failing(ids: Any, plan_id: Any = None) -> Any:
            reads.append(len(ids))
            if len(reads) == 3:
                raise RoadmapFileError("big.roadmap cannot be read: the disk went away")
            return read_cards(ids, plan_id)

        monkeypatch.setattr(roadmap, "read_cards", failing)
        with qtbot.capture_exceptions() as caught, qtbot.waitSignal(window.built, timeout=20000):
            pass
        assert len(caught) == 1 and "disk went away" in str(caught[0][1])
        assert len(reads) == 3 and not document.loading
        # The rooms read the file themselves: every card is there.
        assert document.cards() == roadmap.cards()
    finally:
        _close(window)


def _where(window: Any) -> tuple[float, dt.date]:
    timeline = window.timeline
    return timeline.time_scale.px_per_day, timeline.date_at(0)


@pytest.mark.parametrize("years_ago", [0, 6])
def test_the_timeline_opens_where_a_full_read_opens_it(qtbot, tmp_path, monkeypatch, years_ago):
    """Today's stretch when cards are there, else fitted to every card: decided once every
    card is in, not on the first chunk (which holds the top lane's earliest cards)."""
    path = tmp_path / "where.roadmap"
    first = dt.date.today() - dt.timedelta(days=365 * years_ago + 200)
    with Roadmap.create(path, title="Where") as r:
        lanes = [r.add_lane(f"Lane {i}").id for i in range(2)]
        r.add_cards([{"title": f"card {i}", "lane_id": lanes[i % 2],
                      "start": first + dt.timedelta(days=i % 400),
                      "end": first + dt.timedelta(days=i % 400 + 9)} for i in range(300)])
    seen = []
    for above in (50, 10**6):  # in chunks, then at once
        monkeypatch.setattr(document_module, "CHUNKED_ABOVE", above)
        window = _open(qtbot, path)
        try:
            with qtbot.waitSignal(window.built, timeout=20000):
                pass
            qtbot.wait(20)
            seen.append(_where(window))
        finally:
            window.close()  # qtbot deletes it
    assert seen[0] == seen[1]
