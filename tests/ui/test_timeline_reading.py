"""What the timeline shows a reader: a header and milestones at the view's precision, arrows
that never cross titles, readable dropped cards, honest lane counts, and a first view with cards.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from planner import Roadmap
from planner.layout import TimeScale
from ui import render

D = dt.date


SEPTEMBER = D(2026, 9, 1)


def _labels(ppd: float, precision: str = "day", lo: dt.date = SEPTEMBER, width=1400.0):
    scale = TimeScale(D(2025, 1, 1), ppd)
    x0 = scale.x_for_date(lo)
    theme = render.Theme()
    _, labels = render.header_layout(QRectF(0, 0, width, render.HEADER_HEIGHT), scale, x0,
                                     theme, precision=precision)  # fmt: skip
    return labels


@pytest.mark.parametrize("ppd", [24.0, 14.0, 6.0, 2.0])
@pytest.mark.parametrize("precision", ["quarter", "nnl"])
def test_a_quarter_view_header_names_quarters_and_years_only(qapp, ppd, precision):
    labels = _labels(ppd, precision)
    lower = [lab.text for lab in labels if lab.row == 1]
    upper = [lab.text for lab in labels if lab.row == 0]
    assert lower and all(t.startswith("Q") for t in lower), lower
    assert all(t.isdigit() and len(t) in (2, 4) for t in upper), upper


def test_a_month_view_header_names_no_days_or_weeks(qapp):
    lower = [lab.text for lab in _labels(24.0, "month") if lab.row == 1]
    assert lower and all(t[:3] in render.dates.MONTHS for t in lower), lower


@pytest.mark.parametrize("ppd", [14.0, 16.0, 19.0, 2.6, 3.0])
def test_the_day_and_week_header_labels_two_digit_days_without_gaps(qapp, ppd):
    labels = [lab for lab in _labels(ppd) if lab.row == 1]
    texts = [lab.text for lab in labels]
    assert any(len(t) == 2 for t in texts), texts  # 10 .. 31 are labelled too
    # no long stretch without a label: at most a few cells between two labels
    xs = sorted(lab.cell.left() for lab in labels)
    gaps = [b - a for a, b in zip(xs, xs[1:])]
    assert max(gaps) < 16 * ppd * (7 if ppd < 14 else 1), gaps
    for a, b in zip(labels, labels[1:]):
        assert a.cell.right() <= b.cell.left() + 1  # labels never overlap


@pytest.fixture
def exec_plan(roadmap_path: Path):
    r = Roadmap.create(roadmap_path, title="Plan")
    lane = r.add_lane("Core").id
    other = r.add_lane("Other").id
    a = r.add_card("Predecessor card", lane, D(2026, 1, 5), D(2026, 2, 13)).id
    b = r.add_card("Successor with a long title", lane, D(2026, 2, 16), D(2026, 3, 20)).id
    c = r.add_card("Below it", other, D(2026, 1, 5), D(2026, 3, 20)).id
    r.add_card("Dropped idea", other, D(2026, 4, 6), D(2026, 5, 29), status="dropped")
    r.add_card("Undated one", lane)
    r.add_card("Undated two", lane)
    r.add_dependency(a, b)
    r.add_dependency(c, b)
    r.add_milestone("Go-live in the lane", D(2026, 2, 4), lane)
    r.add_milestone("Summit", D(2026, 3, 4), None)
    r.add_view("Exec", precision="quarter")
    r.close()
    return roadmap_path


def _scene(path: Path, view: str | None = None):
    from ui.export import ensure_app

    ensure_app()
    from ui.export import _Source, window_view  # the scene exports use
    from ui.timeline.scene import TimelineScene

    r = Roadmap.open(path)
    shown = next((v for v in r.views() if v.name == view), None)
    scene = TimelineScene(_Source(r, window_view(shown, None, None)), px_per_day=6.0)
    return r, scene


def _render(scene, rect: QRectF) -> QImage:
    image = QImage(int(rect.width()), int(rect.height()), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    p = QPainter(image)
    scene.render(p, QRectF(image.rect()), rect)
    p.end()
    return image


def test_milestones_at_quarter_precision_sit_in_their_quarter_not_on_their_day(exec_plan):
    r, scene = _scene(exec_plan, "Exec")
    try:
        scale = scene.time_scale
        for item in scene.milestone_items.values():
            q = D(2026, 1, 1)
            middle = (scale.x_for_date(q) + scale.x_after(D(2026, 3, 31))) / 2
            assert item.pos().x() == pytest.approx(middle)
            assert item.pos().x() != scale.x_for_date(item.milestone.date)
    finally:
        r.close()


def test_no_dependency_arrows_at_quarter_precision(exec_plan):
    r, scene = _scene(exec_plan, "Exec")
    try:
        assert scene.deps and not scene.shows_dependencies()
        rect = scene.content_rect()
        with_arrows = _render(scene, rect)
        scene.deps = []
        assert _render(scene, rect) == with_arrows
    finally:
        r.close()


def test_arrows_never_cross_a_bar_or_its_title(exec_plan):
    r, scene = _scene(exec_plan)
    try:
        assert scene.shows_dependencies()
        rect = scene.content_rect()
        with_arrows = _render(scene, rect)
        deps, scene.deps = scene.deps, []
        without = _render(scene, rect)
        assert with_arrows != without  # the arrows are drawn ...
        for item in scene.card_items.values():  # ... but never over a bar
            bar = item.mapRectToScene(item.bar_rect()).translated(-rect.left(), -rect.top())
            for x in range(int(bar.left()) + 2, int(bar.right()) - 2, 3):
                for y in range(int(bar.top()) + 2, int(bar.bottom()) - 2, 3):
                    assert with_arrows.pixel(x, y) == without.pixel(x, y), item.card.title
        scene.deps = deps
    finally:
        r.close()


def test_lane_milestone_labels_sit_above_the_lanes_bars(exec_plan):
    r, scene = _scene(exec_plan)
    try:
        for theme_scale in (1.0, 1.5):
            scene.theme.text_scale = theme_scale
            for item in scene.milestone_items.values():
                m = item.milestone
                if m.lane_id is None:
                    continue
                box = render.milestone_label_box(item.pos().x(), item.pos().y(), m.title,
                                                 scene.theme)  # fmt: skip
                for card in scene.card_items.values():
                    bar = card.mapRectToScene(card.bar_rect())
                    assert not box.intersects(bar), card.card.title
    finally:
        r.close()


def test_a_dropped_card_keeps_a_readable_title(qapp):
    theme = render.Theme()
    for color in ("#b07aa1", "#4e79a7", "#59a14f", "#f28e2b"):
        fill, ink = render.card_colors(color, theme, status="dropped")
        assert fill.alpha() == 255

        def lum(c: QColor) -> float:
            def ch(v: float) -> float:
                return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

            return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())

        hi, lo = sorted((lum(fill), lum(ink)), reverse=True)
        assert (hi + 0.05) / (lo + 0.05) >= 4.5, color  # WCAG AA for body text


def test_lane_names_count_the_lanes_backlog_cards_too(exec_plan):
    r, scene = _scene(exec_plan)
    try:
        labels = {lab.name: lab for lab in scene.lane_labels(0, 2000)}
        assert labels["Core"].count_text == "2 cards · 2 in backlog"
        assert labels["Other"].count_text == "2 cards"
        assert labels["Core"].total_text == "4 cards"
        from planner.store import Change

        below = next(c for c in r.cards() if c.title == "Below it")
        r.update_card(below.id, start=None, end=None)  # moved to the backlog
        scene.apply_changes([Change("card", "updated", (below.id,))])
        labels = {lab.name: lab for lab in scene.lane_labels(0, 2000)}
        assert labels["Other"].count_text == "1 card · 1 in backlog"
    finally:
        r.close()


@pytest.fixture
def old_plan(roadmap_path: Path):
    """Every card more than a year before today: the first view must still show them."""
    r = Roadmap.create(roadmap_path, title="Old")
    lane = r.add_lane("Epic").id
    base = dt.date.today() - dt.timedelta(days=420)
    for i in range(3):
        r.add_card(f"Old card {i}", lane, base + dt.timedelta(days=10 * i),
                   base + dt.timedelta(days=10 * i + 8))  # fmt: skip
    r.close()
    return roadmap_path


def _cards_on_screen(tl) -> list[str]:
    from ui.timeline.items import CardItem

    area = tl.mapToScene(tl.viewport().rect()).boundingRect()
    return [i.card.title for i in tl.timeline_scene.items(area)
            if isinstance(i, CardItem) and i.isVisible()]  # fmt: skip


def _open(qtbot, path):
    from ui.main_window import MainWindow

    w = MainWindow(path)
    qtbot.addWidget(w)
    w.resize(1400, 860)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_a_plan_far_from_today_opens_on_its_cards(qtbot, old_plan):
    w = _open(qtbot, old_plan)
    try:
        qtbot.wait(50)  # the first scroll runs once the window is shown
        assert len(_cards_on_screen(w.timeline)) == 3
    finally:
        w.close()


def test_an_import_into_an_empty_view_shows_what_came_in(qtbot, roadmap_path):
    from ui.commands import AddCards, run

    r = Roadmap.create(roadmap_path, title="Empty")
    lane = r.add_lane("Epic").id
    r.close()
    w = _open(qtbot, roadmap_path)
    try:
        tl = w.timeline
        qtbot.wait(50)
        assert _cards_on_screen(tl) == []
        base = dt.date.today() - dt.timedelta(days=400)
        specs = [dict(title=f"Issue {i}", lane_id=lane, start=base + dt.timedelta(days=i),
                      end=base + dt.timedelta(days=i + 5)) for i in range(4)]  # fmt: skip
        run(w.undo_stack, AddCards(w.roadmap, specs))
        assert len(_cards_on_screen(tl)) == 4
    finally:
        w.close()
