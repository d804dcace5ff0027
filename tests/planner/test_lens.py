"""The lens of a saved view: filters, fuzzy dates, colours and legend."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.lens import (
    NO_VALUE_COLOR,
    STATUS_COLORS,
    Lens,
    color_for,
    legend,
    tag_color,
)
from planner.model import Card, Lane, Objective, View

D = dt.date
days = st.dates(min_value=D(1990, 1, 1), max_value=D(2150, 12, 31))
LANES = [Lane(id=1, name="Mobile", color="#111111"), Lane(id=2, name="Web", color="#222222")]
OBJECTIVES = [Objective(id=5, name="Grow", color="#555555"), Objective(id=6, name="Retain")]


def card(**kw) -> Card:
    base = {"id": 1, "title": "Card", "lane_id": 1, "start": D(2026, 3, 3), "end": D(2026, 4, 28)}
    base.update(kw)
    return Card(**base)


def test_everything_includes_everything() -> None:
    lens = Lens.from_view(None)
    assert lens.includes(card()) and lens.includes(card(internal=True, start=None, end=None))


def test_filters_of_a_saved_view() -> None:
    view = View(id=1, name="Exec", settings={
        "lanes": [1], "tags": ["API"], "statuses": ["planned"], "objectives": [5],
        "hide_internal": True})  # fmt: skip
    lens = Lens.from_view(view)
    ok = card(tags=("api",), objective_id=5)
    assert lens.includes(ok)
    assert not lens.includes(card(tags=("api",), objective_id=5, internal=True))
    assert not lens.includes(card(tags=("api",), objective_id=5, lane_id=2))
    assert not lens.includes(card(tags=("web",), objective_id=5))
    assert not lens.includes(card(tags=("api",), objective_id=6))
    assert not lens.includes(card(tags=("api",), objective_id=5, status="done"))


def test_date_window_keeps_overlapping_and_undated_cards() -> None:
    lens = Lens.from_view(View(id=1, name="Q2", settings={
        "date_from": "2026-04-01", "date_to": "2026-06-30"}))  # fmt: skip
    assert lens.includes(card())  # ends in April
    assert not lens.includes(card(start=D(2026, 1, 1), end=D(2026, 3, 31)))
    assert not lens.includes(card(start=D(2026, 7, 1), end=D(2026, 8, 1)))
    assert lens.includes(card(start=None, end=None))


def test_hostile_settings_do_not_crash() -> None:
    for stored in ({"lanes": 5}, {"tags": 7}, {"tags": "abc"}, {"statuses": 3},
                     {"fields": "title"}, {"precision": "fortnight"}, {"color_by": 9},
                     {"date_from": 12}, {"objectives": {"a": 1}}, {"lanes": [[1]]}):  # fmt: skip
        lens = Lens.from_view(View(id=1, name="odd", settings=stored))
        lens.includes(card(tags=("abc",)))
        lens.format_range(D(2026, 1, 1), D(2026, 2, 1))
        color_for(card(), lens, {1: LANES[0]}, {})
        legend(lens, [card()], LANES, OBJECTIVES)
        assert lens.precision in ("day", "month", "quarter", "nnl")
        assert lens.color_by in ("lane", "status", "tag", "objective")


def test_a_string_tag_setting_is_one_tag_not_its_letters() -> None:
    lens = Lens.from_view(View(id=1, name="t", settings={"tags": "abc"}))
    assert not lens.includes(card(tags=("a",)))
    assert lens.includes(card(tags=("ABC",)))


def test_fuzzy_precision_rounds_to_whole_months_and_quarters() -> None:
    month = Lens(precision="month")
    assert month.display_dates(D(2026, 3, 3), D(2026, 4, 28)) == (D(2026, 3, 1), D(2026, 4, 30))
    quarter = Lens(precision="quarter")
    assert quarter.display_dates(D(2026, 3, 3), D(2026, 4, 28)) == (D(2026, 1, 1), D(2026, 6, 30))
    assert Lens().display_dates(D(2026, 3, 3), D(2026, 4, 28)) == (D(2026, 3, 3), D(2026, 4, 28))


def test_formatted_ranges() -> None:
    assert Lens().format_range(D(2026, 3, 3), D(2026, 4, 28)) == "3 Mar – 28 Apr 2026"
    assert Lens(precision="month").format_range(D(2026, 3, 3), D(2026, 4, 28)) == "Mar – Apr 2026"
    assert Lens(precision="quarter").format_range(D(2026, 3, 3), D(2026, 4, 28)) == "Q1 – Q2 2026"
    assert Lens(precision="quarter").format_range(D(2026, 1, 3), D(2026, 2, 8)) == "Q1 2026"
    across = Lens(precision="month").format_range(D(2025, 12, 3), D(2026, 1, 8))
    assert across == "Dec 2025 – Jan 2026"
    assert Lens().format_range(None, D(2026, 1, 1)) == ""


@settings(deadline=None)  # a busy machine must not fail a pure test
@given(days, days, st.sampled_from(["month", "quarter", "nnl"]))
def test_no_day_appears_at_fuzzy_precision(a: dt.date, b: dt.date, precision: str) -> None:
    lens = Lens(precision=precision)
    start, end = min(a, b), max(a, b)
    text = lens.format_range(start, end) + " " + lens.format_date(start)
    # Only years (four digits) and quarter numbers may appear.
    assert all(len(n) == 4 or re.search(rf"Q{n}\b", text) for n in re.findall(r"\d+", text))
    lo, hi = lens.display_dates(start, end)
    assert lo <= start and hi >= end and lo.day == 1
    assert (hi + dt.timedelta(days=1)).day == 1


def test_colours_by_each_setting() -> None:
    lanes = {lane.id: lane for lane in LANES}
    objectives = {o.id: o for o in OBJECTIVES}
    c = card(tags=("api",), objective_id=5, status="done")
    assert color_for(c, Lens(), lanes, objectives) == "#111111"
    assert color_for(card(color="#abcdef"), Lens(), lanes, objectives) == "#abcdef"
    assert color_for(c, Lens(color_by="status"), lanes, objectives) == STATUS_COLORS["done"]
    assert color_for(c, Lens(color_by="tag"), lanes, objectives) == tag_color("API")
    assert color_for(c, Lens(color_by="objective"), lanes, objectives) == "#555555"
    assert color_for(card(), Lens(color_by="objective"), lanes, objectives) == NO_VALUE_COLOR


def test_legend_explains_the_colours_of_what_is_shown() -> None:
    cards = [card(id=1, status="done", tags=("api",), objective_id=5),
             card(id=2, lane_id=2, status="idea", internal=True),
             card(id=3, lane_id=None, status="planned", tags=("Web",))]  # fmt: skip
    assert legend(Lens(), cards, LANES, OBJECTIVES) == [
        ("Mobile", "#111111"), ("Web", "#222222"), ("No lane", NO_VALUE_COLOR)]
    hidden = Lens(hide_internal=True)
    assert [label for label, _ in legend(hidden, cards, LANES, OBJECTIVES)] == ["Mobile", "No lane"]
    status = legend(Lens(color_by="status"), cards, LANES, OBJECTIVES)
    assert [label for label, _ in status] == ["Idea", "Planned", "Done"]
    tags = legend(Lens(color_by="tag"), cards, LANES, OBJECTIVES)
    assert tags == [("api", tag_color("api")), ("Web", tag_color("web")),
                    ("No tag", NO_VALUE_COLOR)]  # fmt: skip
    objectives = legend(Lens(color_by="objective"), cards, LANES, OBJECTIVES)
    assert [label for label, _ in objectives] == ["Grow", "No objective"]


@settings(deadline=None)  # a busy machine must not fail a pure test
@given(st.lists(st.tuples(st.sampled_from(["idea", "planned", "done"]),
                          st.sampled_from(["a", "B", "c"]), st.booleans()), max_size=8),
       st.sampled_from(["lane", "status", "tag", "objective"]))  # fmt: skip
def test_every_shown_colour_is_in_the_legend(specs, color_by: str) -> None:
    cards = [card(id=i, status=s, tags=(t,), internal=hid, objective_id=5 if hid else None)
             for i, (s, t, hid) in enumerate(specs)]  # fmt: skip
    lens = Lens(color_by=color_by, hide_internal=True)
    lanes = {lane.id: lane for lane in LANES}
    objectives = {o.id: o for o in OBJECTIVES}
    colours = {colour for _, colour in legend(lens, cards, LANES, OBJECTIVES)}
    for c in lens.filter(cards):
        assert color_for(c, lens, lanes, objectives) in colours
