"""The Roadmap API: every call commits at once, returns the new value, and validates."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import Criterion, Roadmap, ValidationError
from planner.model import rice_score, user_story_sentence
from planner.schema import APPLICATION_ID, SCHEMA_VERSION

D = dt.date


def rows(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """Read the file through a second, independent connection."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_create_sets_identity_and_safe_pragmas(roadmap: Roadmap, roadmap_path: Path) -> None:
    conn = sqlite3.connect(roadmap_path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert roadmap._q("PRAGMA foreign_keys")[0][0] == 1
    assert roadmap._q("PRAGMA synchronous")[0][0] == 2  # FULL
    assert roadmap._q("PRAGMA trusted_schema")[0][0] == 0
    assert roadmap.title == "Test roadmap"


def test_create_refuses_existing_file(roadmap: Roadmap, roadmap_path: Path) -> None:
    from planner import RoadmapFileError

    with pytest.raises(RoadmapFileError, match="already exists"):
        Roadmap.create(roadmap_path)


def test_each_call_is_committed_when_it_returns(roadmap: Roadmap, roadmap_path: Path) -> None:
    lane = roadmap.add_lane("Platform", color="#112233")
    assert rows(roadmap_path, "SELECT name, color FROM lanes") == [("Platform", "#112233")]
    card = roadmap.add_card("Single sign-on", lane.id, D(2026, 1, 5), D(2026, 2, 6),
                            tags=["security", "Security", " enterprise "], estimate=8)
    assert card.tags == ("security", "enterprise")
    assert rows(roadmap_path, "SELECT title, start_date, end_date, lane_id FROM cards") == [
        ("Single sign-on", "2026-01-05", "2026-02-06", lane.id)
    ]
    moved = roadmap.move_card(card.id, D(2026, 3, 2), D(2026, 4, 3))
    assert moved.start == D(2026, 3, 2) and moved.lane_id == lane.id
    assert rows(roadmap_path, "SELECT start_date FROM cards") == [("2026-03-02",)]
    roadmap.delete_card(card.id)
    assert rows(roadmap_path, "SELECT count(*) FROM cards") == [(0,)]


def test_every_card_field_round_trips(roadmap: Roadmap, roadmap_path: Path) -> None:
    lane = roadmap.add_lane("Growth")
    goal = roadmap.add_objective("Activation", metric="Weekly active teams", baseline=100,
                                 target=200, current=130)
    fields = dict(
        kind="story", status="in_progress", as_a="team admin", i_want="to invite by link",
        so_that="onboarding takes minutes", description="Plain text\nwith lines",
        criteria=[("Link expires after 7 days", True), ("Admin can revoke", False)],
        estimate=5.0, priority="must", reach=1200.0, impact=2.0, confidence=80.0, effort=2.0,
        date_confidence="medium", owner="Ana", tags=["growth"], color="#abcdef",
        link="https://example.com/spec", objective_id=goal.id, hypothesis="More invites",
        measure="Invites per admin", internal=True, external_key="GRO-12",
    )
    card = roadmap.add_card("Invite by link", lane.id, D(2026, 5, 4), D(2026, 5, 15), **fields)
    roadmap.close()
    with Roadmap.open(roadmap_path, read_only=True) as again:
        back = again.card(card.id)
    assert back == card
    assert back.criteria == (Criterion("Link expires after 7 days", True),
                             Criterion("Admin can revoke", False))
    assert back.rice == pytest.approx(1200 * 2 * 0.8 / 2)
    assert back.user_story == ("As a team admin, I want to invite by link, "
                               "so that onboarding takes minutes.")


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda r: r.add_card("   "), "cannot be empty"),
        (lambda r: r.add_card(""), "cannot be empty"),
        (lambda r: r.add_card(42), "must be text"),
        (lambda r: r.add_card("x", None, D(2026, 2, 1), D(2026, 1, 1)), "before the start"),
        (lambda r: r.add_card("x", None, D(2026, 2, 1), None), "both a start and an end"),
        (lambda r: r.add_card("x", 999), "no lane 999"),
        (lambda r: r.add_card("x", None, D(1899, 12, 31), D(1900, 1, 2)), "out of range"),
        (lambda r: r.add_card("x", None, D(2199, 1, 1), D(2200, 1, 1)), "out of range"),
        (lambda r: r.add_card("x", None, "2026-01-01", "2026-01-02"), "calendar date"),
        (lambda r: r.add_card("x", estimate="5"), "must be a number"),
        (lambda r: r.add_card("x", estimate=-1), "below 0"),
        (lambda r: r.add_card("x", status="shipped"), "Status must be one of"),
        (lambda r: r.add_card("x", tags="a,b"), "list of words"),
        (lambda r: r.add_card("x", colour="#fff"), "no field 'colour'"),
        (lambda r: r.add_card("x", confidence=120), "above 100"),
        (lambda r: r.add_card("x" * 1001), "too long"),
        (lambda r: r.add_lane(""), "cannot be empty"),
        (lambda r: r.add_milestone("Launch", None), "required"),
        (lambda r: r.add_objective("  "), "cannot be empty"),
    ],
)
def test_invalid_input_is_refused_and_nothing_written(
    roadmap: Roadmap, roadmap_path: Path, call, message: str
) -> None:
    before = Path(roadmap_path).read_bytes()
    with pytest.raises(ValidationError, match=message):
        call(roadmap)
    assert Path(roadmap_path).read_bytes() == before


def test_dependency_cycle_is_refused(roadmap: Roadmap) -> None:
    a, b, c = (roadmap.add_card(t) for t in "abc")
    roadmap.add_dependency(a.id, b.id)
    roadmap.add_dependency(b.id, c.id)
    with pytest.raises(ValidationError, match="loop"):
        roadmap.add_dependency(c.id, a.id)
    with pytest.raises(ValidationError, match="itself"):
        roadmap.add_dependency(a.id, a.id)
    assert len(roadmap.dependencies()) == 2


def test_delete_and_restore_keep_ids_and_dependencies(roadmap: Roadmap) -> None:
    lane = roadmap.add_lane("L")
    a = roadmap.add_card("a", lane.id, D(2026, 1, 1), D(2026, 1, 9))
    b = roadmap.add_card("b", lane.id, D(2026, 1, 12), D(2026, 1, 20))
    roadmap.add_dependency(a.id, b.id)
    deleted = roadmap.delete_cards([a.id])
    assert roadmap.dependencies() == []
    roadmap.restore_cards(deleted)
    assert roadmap.card(a.id) == a
    assert [(d.before_id, d.after_id) for d in roadmap.dependencies()] == [(a.id, b.id)]


def test_delete_lane_sends_cards_to_backlog_and_restore_brings_them_back(
    roadmap: Roadmap,
) -> None:
    keep = roadmap.add_lane("Keep")
    gone = roadmap.add_lane("Gone")
    card = roadmap.add_card("c", gone.id, D(2026, 1, 1), D(2026, 1, 2))
    ms = roadmap.add_milestone("m", D(2026, 1, 3), lane_id=gone.id)
    deleted = roadmap.delete_lane(gone.id)
    assert roadmap.card(card.id).lane_id is None
    assert roadmap.milestone(ms.id).lane_id is None
    assert [lane.name for lane in roadmap.lanes()] == ["Keep"]
    roadmap.restore_lane(deleted)
    assert [lane.id for lane in roadmap.lanes()] == [keep.id, gone.id]
    assert roadmap.card(card.id).lane_id == gone.id
    assert roadmap.milestone(ms.id).lane_id == gone.id


def test_lane_order(roadmap: Roadmap) -> None:
    ids = [roadmap.add_lane(n).id for n in "abcd"]
    roadmap.move_lane(ids[3], 0)
    assert [lane.id for lane in roadmap.lanes()] == [ids[3], ids[0], ids[1], ids[2]]


def test_milestones_objectives_and_views(roadmap: Roadmap) -> None:
    lane = roadmap.add_lane("L")
    m = roadmap.add_milestone("v2.0", D(2026, 6, 4), lane_id=lane.id, kind="launch")
    assert roadmap.milestones() == [m]
    o = roadmap.add_objective("NPS", metric="NPS", baseline=20, target=40, current=25)
    assert o.progress == pytest.approx(0.25)
    v = roadmap.add_view("Execs", hide_internal=True, precision="quarter", color_by="objective")
    assert roadmap.views()[0].settings["precision"] == "quarter"
    roadmap.update_view(v.id, name="Executives", date_from="2026-01-01")
    again = roadmap.view(v.id)
    assert again.name == "Executives"
    assert again.settings["hide_internal"] is True
    assert again.settings["date_from"] == "2026-01-01"
    with pytest.raises(ValidationError):
        roadmap.add_view("bad", precision="week")
    roadmap.delete_view(v.id)
    assert roadmap.views() == []


def test_snapshot_is_frozen_and_scenario_is_separate(roadmap: Roadmap) -> None:
    lane = roadmap.add_lane("L")
    card = roadmap.add_card("c", lane.id, D(2026, 1, 5), D(2026, 1, 9))
    snap = roadmap.take_snapshot("Q1 review")
    roadmap.move_card(card.id, D(2026, 2, 2), D(2026, 2, 6))
    roadmap.use_plan(snap.id)
    assert roadmap.card(card.id).start == D(2026, 1, 5)
    roadmap.use_plan(1)
    scenario = roadmap.create_scenario("What if")
    roadmap.use_plan(scenario.id)
    roadmap.update_card(card.id, title="Scenario title")
    roadmap.use_plan(1)
    assert roadmap.card(card.id).title == "c"
    old = roadmap.promote_scenario(scenario.id)
    assert roadmap.card(card.id).title == "Scenario title"
    roadmap.use_plan(old.id)
    assert roadmap.card(card.id).title == "c"


def test_save_copy_is_identical(roadmap: Roadmap, tmp_path: Path) -> None:
    roadmap.add_card("a")
    copy = roadmap.save_copy(tmp_path / "copy.roadmap")
    with Roadmap.open(copy, read_only=True) as other:
        assert other.cards() == roadmap.cards()


def test_listeners_hear_committed_changes_only(roadmap: Roadmap) -> None:
    heard: list = []
    roadmap.subscribe(heard.append)
    card = roadmap.add_card("a")
    with pytest.raises(ValidationError):
        roadmap.update_card(card.id, title="")
    assert [(c.entity, c.op, c.ids) for batch in heard for c in batch] == [
        ("card", "added", (card.id,))
    ]


def test_read_only_refuses_edits(roadmap: Roadmap, roadmap_path: Path) -> None:
    from planner import ReadOnlyError

    roadmap.close()
    with Roadmap.open(roadmap_path, read_only=True) as r, pytest.raises(ReadOnlyError):
        r.add_card("nope")


def test_rice_and_user_story_helpers() -> None:
    assert rice_score(100, 1, 50, 0) is None
    assert rice_score(100, 1, 50, None) is None
    assert rice_score(100, 2, 50, 4) == pytest.approx(25)
    assert user_story_sentence("", "", "") == ""
    assert user_story_sentence("PM", "", "") == "As a PM."


titles = st.text(min_size=0, max_size=40)
dates = st.dates(min_value=D(1850, 1, 1), max_value=D(2250, 12, 31))


@settings(max_examples=60, deadline=None)
@given(title=titles, start=st.one_of(st.none(), dates), end=st.one_of(st.none(), dates))
def test_validation_accepts_exactly_the_valid_cards(tmp_path_factory, title, start, end) -> None:
    path = tmp_path_factory.mktemp("h") / "h.roadmap"
    with Roadmap.create(path) as r:
        valid = (
            bool(title.strip()) and "\x00" not in title
            and (start is None) == (end is None)
            and (start is None or (D(1900, 1, 1) <= start <= end <= D(2199, 12, 31)))
        )  # fmt: skip
        if valid:
            card = r.add_card(title, None, start, end)
            assert r.card(card.id).title == title.strip()
            assert r.card(card.id).start == start
        else:
            with pytest.raises(ValidationError):
                r.add_card(title, None, start, end)
            assert r.card_count() == 0


def test_cards_read_from_the_file_have_every_field(roadmap: Roadmap) -> None:
    import dataclasses

    from planner.model import Card

    card = roadmap.cards_by_id([roadmap.add_card("a", tags=["x"]).id])
    (only,) = card.values()
    assert set(only.__dict__) == {f.name for f in dataclasses.fields(Card)}
    assert only == dataclasses.replace(only) and hash(only) == hash(dataclasses.replace(only))
