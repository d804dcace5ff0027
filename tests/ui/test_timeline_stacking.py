"""Re-stacking a lane card by card gives the rows a full re-stack gives."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from planner.layout import row_count, stack_rows
from ui.timeline.stacking import LaneStack

DAY0 = dt.date(2026, 1, 1)


def _spans(rng: random.Random, n: int, first_id: int = 1) -> dict[int, tuple[dt.date, dt.date]]:
    result = {}
    for cid in range(first_id, first_id + n):
        start = DAY0 + dt.timedelta(days=rng.randrange(0, 400))
        length = rng.choice([0, 1, 3, 7, 14, 30, 60, 200])
        end = start + dt.timedelta(days=length)
        result[cid] = (start, end) if rng.random() > 0.05 else (end, start)  # some reversed
    return result


def _full(spans: dict[int, tuple[dt.date, dt.date]]) -> dict[int, int]:
    return stack_rows((cid, s, e) for cid, (s, e) in spans.items())


@pytest.mark.parametrize("seed", range(12))
def test_incremental_rows_equal_a_full_restack(seed: int) -> None:
    rng = random.Random(seed)
    spans = _spans(rng, rng.choice([0, 1, 5, 40, 300]))
    stack = LaneStack((cid, s, e) for cid, (s, e) in spans.items())
    assert stack.rows == _full(spans)
    next_id = 10_000
    for _ in range(60):
        before = dict(stack.rows)
        change: dict[int, tuple[dt.date, dt.date] | None] = {}
        for _ in range(rng.choice([1, 1, 1, 2, 5])):
            roll = rng.random()
            if spans and roll < 0.6:  # a move by some days, or a resize
                cid = rng.choice(list(spans))
                s, e = spans[cid]
                shift = dt.timedelta(days=rng.randrange(-40, 41))
                new = (s + shift, e + shift) if rng.random() < 0.7 else (s, e + shift)
                spans[cid] = new
                change[cid] = new
            elif spans and roll < 0.8:  # leaves the lane
                cid = rng.choice(list(spans))
                del spans[cid]
                change[cid] = None
            else:  # joins the lane
                new_spans = _spans(rng, 1, next_id)
                next_id += 1
                spans.update(new_spans)
                change.update(new_spans)
        placed = stack.update(change)
        full = _full(spans)
        assert stack.rows == full
        assert stack.count == row_count(full)
        # every card whose row changed, and every changed card still here, is placed again
        assert {c for c in full if before.get(c) != full[c]} <= placed
        assert {c for c in change if c in spans} <= placed
        assert placed <= set(spans)


def test_a_move_late_in_a_long_lane_touches_few_rows() -> None:
    rng = random.Random(7)
    spans = {}
    for cid in range(1, 3001):  # a busy lane: three thousand short cards over three years
        start = DAY0 + dt.timedelta(days=rng.randrange(0, 1100))
        spans[cid] = (start, start + dt.timedelta(days=rng.randrange(5, 40)))
    stack = LaneStack((cid, s, e) for cid, (s, e) in spans.items())
    late = max(spans, key=lambda c: spans[c][0])
    s, e = spans[late]
    spans[late] = (s - dt.timedelta(days=3), e - dt.timedelta(days=3))
    placed = stack.update({late: spans[late]})
    assert stack.rows == _full(spans)
    assert len(placed) < 100


def _picture(scene) -> tuple:
    """What the scene shows: rows per lane, each bar's place and size, the arrows (x from a
    fixed day, as a scene's origin depends on the dates it opened with)."""
    x0 = scene.time_scale.x_for_date(DAY0)
    bars = {cid: (i.shown, i.isVisible(), i.scene_x - x0, i.scene_y, i.width, i.pos().x() - x0,
                  i.pos().y()) for cid, i in scene.card_items.items()}  # fmt: skip
    rows = {k: dict(v) for k, v in scene.rows.items() if v}
    arrows = sorted((a - x0, b, c - x0, d, e - x0, f, g - x0, h, v)
                    for a, b, c, d, e, f, g, h, v in scene._dependency_geometry())  # fmt: skip
    return rows, bars, arrows, list(scene.box_list)


@pytest.mark.parametrize("seed", [3, 11])
def test_a_scene_kept_up_to_date_equals_a_fresh_one(roadmap_path, qtbot, seed: int) -> None:
    from planner import Roadmap
    from ui.document import Document
    from ui.timeline.scene import TimelineScene

    rng = random.Random(seed)
    r = Roadmap.create(roadmap_path, title="Busy")
    lanes = [r.add_lane(name).id for name in ("Alpha", "Beta", "Gamma")]
    specs = []
    for n in range(240):
        start = DAY0 + dt.timedelta(days=rng.randrange(0, 200))
        specs.append({"title": f"Card {n}", "lane_id": rng.choice(lanes + [None]), "start": start,
                      "end": start + dt.timedelta(days=rng.choice([0, 4, 9, 20, 45]))})
    ids = [c.id for c in r.add_cards(specs)]
    for _ in range(30):
        a, b = rng.sample(ids, 2)
        try:
            r.add_dependency(a, b)
        except Exception:
            pass
    doc = Document(r)
    scene = TimelineScene(doc)
    doc.changed.connect(scene.apply_changes)
    try:
        for step in range(40):
            roll = rng.random()
            live = [c.id for c in r.cards()]
            if roll < 0.6:
                moves = []
                for cid in rng.sample(live, rng.choice([1, 1, 3])):
                    card = r.card(cid)
                    shift = dt.timedelta(days=rng.randrange(-30, 31))
                    if card.start is None:
                        start = DAY0 + dt.timedelta(days=rng.randrange(0, 200))
                        moves.append((cid, start, start + dt.timedelta(days=5), None))
                    else:
                        lane = rng.choice([None, None] + lanes)
                        moves.append((cid, card.start + shift, card.end + shift, lane))
                r.move_cards(moves)
            elif roll < 0.75:
                r.delete_cards([rng.choice(live)])
            elif roll < 0.85:
                start = DAY0 + dt.timedelta(days=rng.randrange(0, 200))
                r.add_card(f"New {step}", rng.choice(lanes), start, start + dt.timedelta(days=12))
            elif roll < 0.9:
                deps = r.dependencies()
                if deps and rng.random() < 0.5:
                    gone = rng.choice(deps)
                    r.remove_dependency(gone.before_id, gone.after_id)
                else:
                    a, b = rng.sample(live, 2)
                    try:
                        r.add_dependency(a, b)
                    except Exception:
                        pass
            else:
                r.move_cards([(rng.choice(live), None, None, None)])  # to the backlog
            fresh = TimelineScene(doc)
            assert _picture(scene) == _picture(fresh), f"step {step}"
    finally:
        doc.detach()
        r.close()


def _busy_window(roadmap_path, qtbot, rng: random.Random, lane_count: int, cards: int,
                 days: int, lengths: list[int], arrows: int = 0):
    """A window on a roadmap of ``cards`` cards spread over ``lane_count`` lanes (and
    ``arrows`` random dependencies), 1200x700 so that not every lane fits."""
    from planner import Roadmap
    from ui.main_window import MainWindow

    r = Roadmap.create(roadmap_path, title="Busy")
    lanes = [r.add_lane(f"Lane {i}").id for i in range(lane_count)]
    specs = []
    for n in range(cards):
        start = DAY0 + dt.timedelta(days=rng.randrange(0, days))
        specs.append({"title": f"Card {n}", "lane_id": rng.choice(lanes), "start": start,
                      "end": start + dt.timedelta(days=rng.choice(lengths))})
    ids = [c.id for c in r.add_cards(specs)]
    for _ in range(arrows):
        a, b = rng.sample(ids, 2)
        try:
            r.add_dependency(a, b)
        except Exception:
            pass
    r.close()
    w = MainWindow(roadmap_path)
    qtbot.addWidget(w)
    w.resize(1200, 700)
    w.show()
    qtbot.waitExposed(w)
    return w, lanes, ids


def _belongs(scene, item) -> tuple[float, float, float]:
    """Where a full layout puts a bar: x, y and width."""
    from planner.layout import card_y

    d0, d1 = scene._span(item)
    ppd = scene.time_scale.px_per_day
    key = scene.lane_key(item.card)
    y = card_y(scene.boxes[key], scene.rows[key][item.card_id])
    return d0 * ppd, y, max(18.0, d1 * ppd - d0 * ppd)


@pytest.mark.parametrize(("lane_count", "arrows"), [(2, 20), (14, 90)])
def test_after_a_zoom_every_bar_in_view_is_where_a_full_layout_puts_it(
    roadmap_path, qtbot, lane_count, arrows
):
    from PySide6.QtCore import QRectF

    from planner.layout import BAR_HEIGHT

    rng = random.Random(5)
    w, _lanes, _ids = _busy_window(roadmap_path, qtbot, rng, lane_count, 600, 700,
                                   [2, 9, 20, 60], arrows)  # fmt: skip
    tl = w.timeline
    scene = tl.timeline_scene

    def expected(item):
        return _belongs(scene, item)

    try:
        for factor in (1.1, 1.1, 1.3, 0.5, 0.7, 2.5, 1 / 1.1):
            tl.zoom_by(factor, rng.uniform(0, 1000))
            tl.horizontalScrollBar().setValue(tl.horizontalScrollBar().value() + 90)
            tl.verticalScrollBar().setValue(rng.randrange(0, tl.verticalScrollBar().maximum() + 1))
            area = tl.mapToScene(tl.viewport().rect()).boundingRect()
            arrow_ends = set()  # both bars of every arrow that crosses the view
            for a, b, _ in scene._dep_pairs:
                (ax, ay, aw), (bx, by, _bw) = expected(a), expected(b)
                if max(ax + aw, bx) >= area.left() and min(ax + aw, bx) <= area.right() \
                        and max(ay, by) >= area.top() and min(ay, by) <= area.bottom():
                    arrow_ends |= {a.card_id, b.card_id}
                # An arrow drawn across the view from where its bars are now (one may still be
                # where an earlier zoom put it) would be a phantom: its bars must be placed.
                drawn = (a.scene_x + a.width, a.scene_y), (b.scene_x, b.scene_y)
                if max(drawn[0][0], drawn[1][0]) >= area.left() \
                        and min(drawn[0][0], drawn[1][0]) <= area.right() \
                        and max(drawn[0][1], drawn[1][1]) >= area.top() \
                        and min(drawn[0][1], drawn[1][1]) <= area.bottom():  # fmt: skip
                    arrow_ends |= {a.card_id, b.card_id}
            for item in scene.card_items.values():
                x, y, width = expected(item)
                seen = item.mapRectToScene(item.boundingRect()).intersects(area) \
                    or QRectF(x, y, width, BAR_HEIGHT).intersects(area)  # where it is or belongs
                if seen or item.card_id in arrow_ends:
                    assert (item.scene_x, item.scene_y, item.width) == expected(item)
                    assert (item.pos().x(), item.pos().y()) == (item.scene_x, item.scene_y)
        scene.place_all()
        for item in scene.card_items.values():
            assert (item.scene_x, item.scene_y, item.width) == expected(item)
    finally:
        w.close()


def test_bars_cut_by_the_left_edge_look_as_if_painted_afresh(roadmap_path, qtbot):
    """Titles of bars cut by the left edge start at the edge, also for bars that come into view
    by a vertical scroll: the bars' cached pictures never keep an old title position."""
    from planner import Roadmap
    from ui.main_window import MainWindow

    rng = random.Random(9)
    r = Roadmap.create(roadmap_path, title="Edge")
    lanes = [r.add_lane(f"Lane {n}").id for n in range(8)]
    specs = []
    for n in range(300):
        start = DAY0 + dt.timedelta(days=rng.randrange(0, 300))
        specs.append({"title": f"A long enough title for card {n}", "lane_id": rng.choice(lanes),
                      "start": start, "end": start + dt.timedelta(days=rng.choice([20, 40, 90]))})
    r.add_cards(specs)
    r.close()
    w = MainWindow(roadmap_path)
    qtbot.addWidget(w)
    w.resize(1600, 900)
    w.show()
    qtbot.waitExposed(w)
    tl = w.timeline
    tl.set_zoom(3.0, 0)
    tl._scroll_left_to(tl.time_scale.x_for_date(DAY0 + dt.timedelta(days=100)))
    h, v = tl.horizontalScrollBar(), tl.verticalScrollBar()
    try:
        for steps in (((0, 300), (60, 0), (0, -300)), ((0, 300), (-45, 0), (0, -300)),
                      ((0, 200), (25, 0), (0, -100), (10, 0), (0, -100))):  # fmt: skip
            for dx, dy in steps:
                h.setValue(h.value() + dx)
                v.setValue(v.value() + dy)
            shown = tl.viewport().grab().toImage()
            tl.timeline_scene.refresh_items()  # every bar painted afresh
            assert shown == tl.viewport().grab().toImage(), steps
    finally:
        w.close()


def test_after_a_big_edit_bars_on_screen_are_placed_at_once_and_the_rest_when_scrolled_to(
    roadmap_path, qtbot
):
    """A move of many cards re-stacks many lanes: those on screen are placed at once, the
    others when idle or when a scroll brings them into view, never left where they were."""
    from PySide6.QtCore import QRectF

    from planner.layout import BAR_HEIGHT

    rng = random.Random(9)
    w, lanes, ids = _busy_window(roadmap_path, qtbot, rng, 14, 700, 400, [5, 20, 60])
    tl, scene, roadmap = w.timeline, w.timeline.timeline_scene, w.roadmap

    def misplaced(only_in_view: bool) -> list[int]:
        area = tl.mapToScene(tl.viewport().rect()).boundingRect()
        wrong = []
        for item in scene.card_items.values():
            want = _belongs(scene, item)
            if only_in_view and not (QRectF(want[0], want[1], want[2], BAR_HEIGHT).intersects(area)
                                     or item.mapRectToScene(item.boundingRect()).intersects(area)):
                continue  # fmt: skip
            if (item.scene_x, item.scene_y, item.width) != want:
                wrong.append(item.card_id)
        return wrong

    for step in range(5):
        moves = []
        for cid in rng.sample(ids, 150):
            card = roadmap.card(cid)
            shift = dt.timedelta(days=rng.randrange(-40, 41))
            moves.append((cid, card.start + shift, card.end + shift, rng.choice(lanes)))
        roadmap.move_cards(moves)
        assert misplaced(only_in_view=True) == [], f"step {step}: on screen"
        tl.verticalScrollBar().setValue(rng.randrange(0, tl.verticalScrollBar().maximum() + 1))
        assert misplaced(only_in_view=True) == [], f"step {step}: scrolled"
    scene.place_all()
    assert misplaced(only_in_view=False) == []
