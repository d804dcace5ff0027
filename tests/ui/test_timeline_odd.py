"""Odd data written by other programs never crashes the timeline; each card stays editable."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage, QPainter

from planner import Roadmap
from tests.ui.test_timeline import centre, drag, row
from ui import settings

D = dt.date
LONG = "Ω" + "very long title " * 6250  # 100,000 characters


@pytest.fixture
def odd(roadmap_path: Path):
    r = Roadmap.create(roadmap_path, title="Odd")
    lane = r.add_lane("Only lane").id
    ids = {
        "reversed": r.add_card("Reversed", lane, D(2026, 3, 2), D(2026, 3, 13)).id,
        "no_lane": r.add_card("Homeless", None, D(2026, 3, 2), D(2026, 3, 6)).id,
        "zero": r.add_card("Zero length", lane, D(2026, 3, 20), D(2026, 3, 20)).id,
        "long": r.add_card("placeholder", lane, D(2026, 4, 1), D(2026, 4, 10)).id,
        "rtl": r.add_card("إطلاق التطبيق الجديد للمرضى", lane, D(2026, 4, 13), D(2026, 4, 24)).id,
        "emoji": r.add_card("🚀 Launch 👩‍💻🇩🇪 party 🎉", lane, D(2026, 4, 27), D(2026, 5, 8)).id,
    }
    crowd = r.add_cards([{"title": f"Crowd {i}", "lane_id": lane, "start": D(2026, 6, 1),
                          "end": D(2026, 6, 1)} for i in range(500)])  # fmt: skip
    plan_id = r.plan_id
    r.close()
    with sqlite3.connect(roadmap_path) as conn:  # what another program might leave behind
        conn.execute("UPDATE cards SET start_date = '2026-03-13', end_date = '2026-03-02'"
                     " WHERE plan_id = ? AND id = ?", (plan_id, ids["reversed"]))  # fmt: skip
        conn.execute("UPDATE cards SET title = ? WHERE plan_id = ? AND id = ?",
                     (LONG, plan_id, ids["long"]))  # fmt: skip
    ids["crowd"] = crowd[0].id
    ids["lane"] = lane
    return roadmap_path, ids


@pytest.fixture
def owin(qtbot, odd):
    from ui.main_window import MainWindow

    settings.put("snap_unit", "day")
    w = MainWindow(odd[0])
    qtbot.addWidget(w)
    w.resize(1400, 860)
    w.show()
    qtbot.waitExposed(w)
    tl = w.timeline
    tl.set_zoom(10.0, 0)
    yield w
    if not w.roadmap.closed:
        w.close()


def test_every_odd_card_is_shown_and_painted(owin, odd):
    tl = owin.timeline
    for key in ("reversed", "no_lane", "zero", "long", "rtl", "emoji", "crowd"):
        cid = odd[1][key]
        tl.scroll_to_card(cid)
        rect = tl.card_rect(cid)
        assert not rect.isEmpty(), key
        assert rect.width() >= 18
        image = QImage(tl.viewport().size(), QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        tl.render(painter)
        painter.end()


def test_flagged_cards_say_why_in_the_tooltip(owin, odd):
    tl = owin.timeline
    scene = tl.timeline_scene
    assert scene.card_items[odd[1]["reversed"]].flagged
    text = tl._tooltip_for(scene.card_items[odd[1]["reversed"]])
    assert "before the start" in text
    long_tip = tl._tooltip_for(scene.card_items[odd[1]["long"]])
    assert len(long_tip) < 2000
    assert "No lane" in tl._tooltip_for(scene.card_items[odd[1]["no_lane"]])
    assert not tl.lane_rect(None).isEmpty() or tl.card_rect(odd[1]["no_lane"]).isEmpty()


def test_a_reversed_card_is_fixed_by_moving_it(owin, odd):
    path, ids = odd
    tl = owin.timeline
    tl.scroll_to_card(ids["reversed"])
    start = centre(tl.card_rect(ids["reversed"]))
    drag(tl, start, start + QPointF(20.0, 0))
    assert row(path, ids["reversed"])[:2] == ("2026-03-04", "2026-03-15")


def test_a_card_without_lane_can_be_dragged_into_a_lane(owin, odd):
    path, ids = odd
    tl = owin.timeline
    crowd = [c.id for c in owin.roadmap.cards() if c.title.startswith("Crowd")]
    owin.roadmap.delete_cards(crowd)
    tl.verticalScrollBar().setValue(0)
    tl.scroll_to_card(ids["no_lane"])
    start = centre(tl.card_rect(ids["no_lane"]))
    drag(tl, start, QPointF(start.x(), tl.lane_rect(ids["lane"]).top() + 20))
    assert row(path, ids["no_lane"])[2] == ids["lane"]


def test_zero_length_and_long_title_cards_stay_editable(owin, odd):
    path, ids = odd
    tl = owin.timeline
    for key, days in (("zero", 3), ("long", 2)):
        tl.scroll_to_card(ids[key])
        start = centre(tl.card_rect(ids[key]))
        before = row(path, ids[key])
        drag(tl, start, start + QPointF(days * 10.0, 0))
        after = row(path, ids[key])
        assert D.fromisoformat(after[0]) - D.fromisoformat(before[0]) == dt.timedelta(days=days)
        assert after[3] == before[3]


def test_five_hundred_cards_on_one_day_stack_without_overlap(owin, odd):
    scene = owin.timeline.timeline_scene
    lane = odd[1]["lane"]
    rows = scene.rows[lane]
    crowd = [cid for cid, item in scene.card_items.items() if item.card.title.startswith("Crowd")]
    assert len({rows[c] for c in crowd}) == 500
    assert scene.lane_rect_scene(lane).height() > 500 * 20


def test_the_scene_renders_without_a_view(odd, qtbot):
    from ui.document import Document
    from ui.timeline.scene import TimelineScene

    roadmap = Roadmap.open(odd[0], read_only=True)
    try:
        doc = Document(roadmap)
        scene = TimelineScene(doc)
        rect = scene.content_rect()
        assert rect.width() > 0 and rect.height() > 0
        assert not scene.lane_rect_scene(odd[1]["lane"]).isEmpty()
        image = QImage(800, 400, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        scene.render(painter, QRectF(0, 0, 800, 400), rect)
        painter.end()
        doc.detach()
    finally:
        roadmap.close()
