"""The search bar's predicate and the shared card rules (RICE, dates), as pure functions."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from planner.card_rules import date_change, rice_explanation
from planner.model import Card
from planner.search import CardFilter


def card(**kw) -> Card:
    return Card(id=kw.pop("id", 1), title=kw.pop("title", "Offline mode"), **kw)


def test_empty_filter_matches_everything() -> None:
    f = CardFilter()
    assert not f.active
    assert f.matches(card())


def test_text_searches_title_story_and_description() -> None:
    c = card(as_a="field engineer", i_want="maps offline", so_that="I work on site",
             description="Uses vector tiles")
    assert CardFilter.build("OFFLINE").matches(c)
    assert CardFilter.build("engineer tiles").matches(c)
    assert CardFilter.build("site").matches(c)
    assert not CardFilter.build("engineer pdf").matches(c)


def test_tags_status_lane_objective() -> None:
    c = card(tags=("Mobile", "Q3"), status="planned", lane_id=2, objective_id=None)
    assert CardFilter.build(tags=["mobile"]).matches(c)
    assert not CardFilter.build(tags=["web"]).matches(c)
    assert CardFilter.build(statuses=["planned", "done"]).matches(c)
    assert not CardFilter.build(statuses=["done"]).matches(c)
    assert CardFilter.build(lanes=[2]).matches(c)
    assert not CardFilter.build(lanes=[3]).matches(c)
    assert CardFilter.build(objectives=[None]).matches(c)
    assert not CardFilter.build(objectives=[7]).matches(c)
    assert not CardFilter.build(lanes=[None]).matches(c)


@given(st.text(max_size=40), st.text(max_size=40))
def test_a_title_always_finds_itself(title: str, other: str) -> None:
    c = card(title=title or "x", description=other)
    assert CardFilter.build(title or "x").matches(c)


def test_rice_arithmetic_and_explanation() -> None:
    score, line = rice_explanation(2000, 3, 80, 4)
    assert score == 1200
    assert line == "2,000 reach × 3 impact × 80% confidence ÷ 4 effort = 1,200"


def test_rice_effort_zero_is_a_message_not_an_error() -> None:
    score, line = rice_explanation(2000, 3, 80, 0)
    assert score is None
    assert "Effort is 0" in line


def test_rice_missing_inputs_are_named() -> None:
    score, line = rice_explanation(10, None, 50, None)
    assert score is None
    assert "impact" in line and "effort" in line


@given(st.floats(0, 1e9), st.floats(0, 100), st.floats(0, 100), st.floats(0.01, 1e6))
def test_rice_matches_formula(r: float, i: float, c: float, e: float) -> None:
    score, _ = rice_explanation(r, i, c, e)
    assert score == r * i * (c / 100.0) / e


def test_date_change_keeps_both_or_neither() -> None:
    undated = card(kind="story")
    day = dt.date(2026, 3, 2)
    assert date_change(undated, "start", day) == {"start": day, "end": dt.date(2026, 3, 6)}
    dated = card(start=day, end=dt.date(2026, 3, 20))
    assert date_change(dated, "end", dt.date(2026, 4, 1)) == {"end": dt.date(2026, 4, 1)}
    assert date_change(dated, "start", None) == {"start": None, "end": None}
