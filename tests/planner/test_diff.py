"""The diff between two plans, snapshots and scenarios in the file, and `roadmap diff`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import Card, Dependency, Lane, Milestone, ReadOnlyError, Roadmap, ValidationError
from planner.cli import main as cli_main
from planner.diff import (
    ADDED,
    ESTIMATE,
    LANE,
    MOVED,
    OTHER,
    REMOVED,
    RENAMED,
    RESIZED,
    SCHEDULED,
    STATUS,
    UNSCHEDULED,
    PlanData,
    apply_diff,
    change_lines,
    diff_plans,
    diff_since,
    diff_since_cli,
    find_snapshot,
    plan_data,
    render_json,
    render_markdown,
    render_text,
)
from planner.schema import PLAN_ID

D0 = dt.date(2026, 1, 5)

# ----- hypothesis strategies: small domains so that two plans share and differ often

_dates = st.integers(0, 60).map(lambda n: D0 + dt.timedelta(days=n))


@st.composite
def _cards(draw: st.DrawFn, card_id: int, lanes: list[int]) -> Card:
    start = draw(st.none() | _dates)
    end = None if start is None else start + dt.timedelta(days=draw(st.integers(0, 30)))
    return Card(
        id=card_id,
        title=draw(st.sampled_from(["Login", "Search", "Export", "<b>Bold</b>", "Ärger"])),
        lane_id=draw(st.none() | st.sampled_from(lanes)) if lanes else None,
        start=start,
        end=end,
        status=draw(st.sampled_from(["idea", "planned", "in_progress", "done"])),
        estimate=draw(st.none() | st.sampled_from([1.0, 3.0, 5.0])),
        tags=tuple(draw(st.lists(st.sampled_from(["a", "b"]), max_size=2, unique=True))),
        position=draw(st.integers(0, 3)),
        description=draw(st.sampled_from(["", "why"])),
    )


@st.composite
def plans(draw: st.DrawFn) -> PlanData:
    lane_ids = draw(st.lists(st.integers(1, 4), unique=True, max_size=4))
    lanes = [Lane(i, draw(st.sampled_from(["Web", "Mobile", "Core"]))) for i in lane_ids]
    card_ids = draw(st.lists(st.integers(1, 12), unique=True, max_size=10))
    cards = [draw(_cards(i, lane_ids)) for i in card_ids]
    milestones = [
        Milestone(i, draw(st.sampled_from(["Beta", "GA"])), draw(_dates))
        for i in draw(st.lists(st.integers(1, 3), unique=True, max_size=3))
    ]
    pairs = draw(st.lists(st.tuples(st.sampled_from(card_ids), st.sampled_from(card_ids)),
                          max_size=4)) if card_ids else []  # fmt: skip
    deps = [Dependency(a, b) for a, b in pairs if a != b]
    return PlanData.of(cards, lanes, milestones, deps)


@settings(max_examples=50, deadline=None)
@given(plans())
def test_diff_of_a_plan_with_itself_is_empty(a: PlanData) -> None:
    diff = diff_plans(a, a)
    assert diff.is_empty
    assert not diff
    assert change_lines(diff) == []


@settings(max_examples=100, deadline=None)
@given(plans(), plans())
def test_applying_the_diff_gives_the_other_plan(a: PlanData, b: PlanData) -> None:
    assert apply_diff(a, diff_plans(a, b)) == b


@settings(max_examples=150, deadline=None)
@given(plans(), plans())
def test_the_change_list_never_names_a_card_twice(a: PlanData, b: PlanData) -> None:
    diff = diff_plans(a, b)
    ids = [c.id for c in diff.cards]
    assert len(ids) == len(set(ids))
    assert len(change_lines(diff)) >= len(diff.visible_cards)
    for change in diff.cards:
        assert change.aspects or set(change.fields) <= {"position", "created"}


@settings(max_examples=40, deadline=None)
@given(plans(), plans())
def test_renderings_are_whole_and_plain(a: PlanData, b: PlanData) -> None:
    diff = diff_plans(a, b)
    data = json.loads(render_json(diff, "Q3"))
    assert len(data["cards"]) == len(diff.visible_cards)
    assert render_text(diff, "Q3").startswith("What changed since “Q3”")
    md = render_markdown(diff, "Q3")
    assert md.startswith("## What changed since Q3")
    assert "<b>" not in md  # user text is inert in Markdown


def _card(card_id: int, **fields: object) -> Card:
    base = Card(id=card_id, title=f"Card {card_id}", lane_id=1, start=D0,
                end=D0 + dt.timedelta(days=9))  # fmt: skip
    return dataclasses.replace(base, **fields)  # type: ignore[arg-type]


def test_aspects_of_one_card_are_told_in_one_entry() -> None:
    lanes = [Lane(1, "Web"), Lane(2, "Mobile")]
    before = PlanData.of([_card(1), _card(2), _card(3), _card(4, start=None, end=None)], lanes)
    after = PlanData.of(
        [
            _card(1, start=D0 + dt.timedelta(days=14), end=D0 + dt.timedelta(days=30),
                  lane_id=2, status="done", title="Card one", estimate=8.0, owner="Ana"),
            _card(2, start=None, end=None),
            _card(4),
            _card(5),
        ],
        lanes,
    )  # fmt: skip
    diff = diff_plans(before, after)
    by_id = {c.id: c for c in diff.cards}
    assert set(by_id) == {1, 2, 3, 4, 5}
    one = by_id[1]
    assert one.aspects == (MOVED, RESIZED, LANE, STATUS, RENAMED, ESTIMATE, OTHER)
    assert one.days_moved == 14 and one.days_resized == 7
    assert one.other_fields == ("owner",)
    assert by_id[2].aspects == (UNSCHEDULED,)
    assert by_id[3].aspects == (REMOVED,) and by_id[3].kind == "removed"
    assert by_id[4].aspects == (SCHEDULED,)
    assert by_id[5].aspects == (ADDED,) and by_id[5].kind == "added"
    line = [ln for ln in change_lines(diff) if "Card one" in ln]
    assert len(line) == 1
    assert "moved 2 weeks later" in line[0]
    assert "lane Web → Mobile" in line[0]
    assert "status Planned → Done" in line[0]
    assert "renamed from “Card 1”" in line[0]
    assert "estimate none → 8" in line[0]
    assert diff.counts() == {"added": 1, "removed": 1, "changed": 3, "moved": 1}
    assert [g[0] for g in diff.ghosts()] == [1]
    assert diff.ghosts()[0] == (1, 1, D0, D0 + dt.timedelta(days=9))


def test_a_reorder_alone_is_kept_but_not_told() -> None:
    before = PlanData.of([_card(1, position=0)])
    after = PlanData.of([_card(1, position=5)])
    diff = diff_plans(before, after)
    assert not diff.is_empty and diff.visible_cards == ()
    assert change_lines(diff) == []
    assert apply_diff(before, diff) == after


# ----- plans in the file


@pytest.fixture
def planned(roadmap: Roadmap) -> Roadmap:
    lane = roadmap.add_lane("Web")
    roadmap.add_lane("Mobile")
    a = roadmap.add_card("Login", lane_id=lane.id, start=D0, end=D0 + dt.timedelta(days=9))
    b = roadmap.add_card("Search", lane_id=lane.id, start=D0, end=D0 + dt.timedelta(days=4))
    roadmap.add_card("Idea in the backlog")
    roadmap.add_dependency(a.id, b.id)
    roadmap.add_milestone("Beta", D0 + dt.timedelta(days=30))
    return roadmap


def _rows(path: Path, plan_id: int) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT id, title, lane_id, start_date, end_date, status FROM cards WHERE plan_id = ?"
            " ORDER BY id", (plan_id,)).fetchall()  # fmt: skip


def test_a_snapshot_is_never_changed_by_later_edits(planned: Roadmap) -> None:
    snap = planned.take_snapshot("Q3 review")
    frozen = _rows(planned.path, snap.id)
    assert frozen == _rows(planned.path, PLAN_ID)
    login = planned.cards()[0]
    planned.move_card(login.id, D0 + dt.timedelta(days=7), D0 + dt.timedelta(days=16))
    planned.delete_lane(planned.lanes()[0].id)
    planned.delete_card(planned.cards()[1].id)
    planned.add_card("New")
    assert _rows(planned.path, snap.id) == frozen
    with Roadmap.open(planned.path, read_only=True) as second:
        diff = diff_since(second, "Q3 review")
    kinds = {c.title: c.kind for c in diff.visible_cards}
    assert kinds == {"Login": "changed", "Search": "removed", "New": "added",
                     "Idea in the backlog": "changed"} or kinds["New"] == "added"  # fmt: skip


def test_a_snapshot_in_view_refuses_edits(planned: Roadmap) -> None:
    snap = planned.take_snapshot("Q3 review")
    planned.use_plan(snap.id)
    assert not planned.editable
    assert planned.read_only and not planned.file_read_only  # rooms refuse edits as usual
    with pytest.raises(ReadOnlyError, match="snapshot"):
        planned.add_card("Sneaky")
    with pytest.raises(ReadOnlyError):
        planned.move_card(planned.cards()[0].id, D0, D0)
    # Managing plans still works while a snapshot is shown.
    scenario = planned.create_scenario("What if", source_id=snap.id)
    planned.rename_plan(snap.id, "Q3 review (final)")
    planned.use_plan(scenario.id)
    assert planned.editable and not planned.read_only
    planned.add_card("Allowed in a scenario")
    assert len(planned.cards(plan_id=snap.id)) == 3


def test_a_scenario_leaves_the_plan_untouched_until_promoted(planned: Roadmap) -> None:
    plan_before = _rows(planned.path, PLAN_ID)
    scenario = planned.create_scenario("Cut search")
    changes: list[object] = []
    planned.subscribe(changes.extend)
    planned.use_plan(scenario.id)
    assert changes[-1].entity == "plan" and changes[-1].op == "reset"  # type: ignore[attr-defined]
    search = [c for c in planned.cards() if c.title == "Search"][0]
    planned.delete_card(search.id)
    planned.update_card(planned.cards()[0].id, status="in_progress")
    assert _rows(planned.path, PLAN_ID) == plan_before
    scenario_rows = _rows(planned.path, scenario.id)

    old_plan = planned.promote_scenario(scenario.id)
    assert planned.plan_id == PLAN_ID
    assert old_plan.kind == "snapshot" and "Cut search" in old_plan.name
    assert _rows(planned.path, PLAN_ID) == scenario_rows
    assert _rows(planned.path, old_plan.id) == plan_before
    assert [p.kind for p in planned.plans()] == ["plan", "snapshot"]
    # The dependency went with the deleted card in the scenario, and so in the plan.
    assert planned.dependencies() == []
    assert planned.dependencies(plan_id=old_plan.id) != []


def test_promoting_twice_keeps_both_old_plans(planned: Roadmap) -> None:
    first = planned.promote_scenario(planned.create_scenario("A").id)
    second = planned.promote_scenario(planned.create_scenario("A").id)
    assert first.name != second.name


def test_discarding_the_scenario_in_view_shows_the_plan(planned: Roadmap) -> None:
    scenario = planned.create_scenario("Throwaway")
    planned.use_plan(scenario.id)
    planned.add_card("Only here")
    changes: list[object] = []
    planned.subscribe(changes.extend)
    planned.delete_plan(scenario.id)
    assert planned.plan_id == PLAN_ID
    assert ("plan", "reset") in [(c.entity, c.op) for c in changes]  # type: ignore[attr-defined]
    assert "Only here" not in [c.title for c in planned.cards()]
    with sqlite3.connect(planned.path) as conn:
        assert conn.execute("SELECT count(*) FROM cards WHERE plan_id = ?",
                            (scenario.id,)).fetchone()[0] == 0  # fmt: skip


def test_plan_names_are_unique_per_kind(planned: Roadmap) -> None:
    snap = planned.take_snapshot("Q3")
    with pytest.raises(ValidationError, match="already"):
        planned.take_snapshot("q3")
    planned.create_scenario("Q3")  # a scenario may share a snapshot's name
    other = planned.take_snapshot("Q4")
    with pytest.raises(ValidationError, match="already"):
        planned.rename_plan(other.id, "Q3")
    planned.rename_plan(snap.id, "Q3")  # renaming to its own name is fine
    with pytest.raises(ValidationError):
        planned.rename_plan(PLAN_ID, "Nope")
    with pytest.raises(ValidationError):
        planned.delete_plan(PLAN_ID)
    with pytest.raises(ValidationError):
        planned.promote_scenario(snap.id)


def test_plan_data_reads_any_plan_without_switching(planned: Roadmap) -> None:
    snap = planned.take_snapshot("S")
    planned.add_card("Later")
    assert planned.plan_id == PLAN_ID
    assert len(plan_data(planned, snap.id).cards) == 3
    assert len(plan_data(planned).cards) == 4
    assert plan_data(planned, snap.id).dependencies == plan_data(planned).dependencies


def test_unknown_snapshot_lists_the_names(planned: Roadmap) -> None:
    planned.take_snapshot("Q3 review")
    planned.take_snapshot("Board")
    with pytest.raises(ValidationError, match=r"^there is no snapshot named 'Q2' \(snapshots: 'Q3"):
        find_snapshot(planned, "Q2")
    assert find_snapshot(planned, "q3 REVIEW").name == "Q3 review"


def test_cli_diff_prints_each_format(planned: Roadmap, capsys: pytest.CaptureFixture[str]) -> None:
    path = planned.path
    planned.close()
    assert cli_main(["snapshot", str(path), "Q3 review"]) == 0
    with Roadmap.open(path) as r:
        login = r.cards()[0]
        r.move_card(login.id, login.start + dt.timedelta(days=7),  # type: ignore[operator]
                    login.end + dt.timedelta(days=7))  # type: ignore[operator]
    capsys.readouterr()
    assert cli_main(["diff", str(path), "--since", "Q3 review"]) == 0
    out = capsys.readouterr().out
    assert "“Login”: moved 1 week later" in out
    assert cli_main(["diff", str(path), "--since", "Q3 review", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cards"][0]["aspects"] == ["moved"] and data["cards"][0]["days_moved"] == 7
    assert cli_main(["diff", str(path), "--since", "Q3 review", "--format", "md"]) == 0
    assert "## What changed since Q3 review" in capsys.readouterr().out
    assert cli_main(["diff", str(path), "--since", "Nope"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Q3 review" in err
    assert diff_since_cli(path, "Q3 review", "text").startswith("What changed since")


def test_reading_only_the_differing_cards_gives_the_same_diff(planned: Roadmap) -> None:
    snap = planned.take_snapshot("S")
    cards = planned.cards()
    planned.update_card(cards[0].id, title="Log in", start=D0 + dt.timedelta(days=3),
                        end=D0 + dt.timedelta(days=12))  # fmt: skip
    planned.remove_dependency(cards[0].id, cards[1].id)
    planned.add_dependency(cards[1].id, cards[2].id)
    planned.delete_card(cards[2].id)
    planned.add_card("Fresh")
    from planner.diff import diff_between

    fast = diff_between(planned, snap.id, PLAN_ID)
    whole = diff_plans(plan_data(planned, snap.id), plan_data(planned, PLAN_ID))
    assert fast == whole
    assert change_lines(fast) == change_lines(whole)
    assert any("“Log in” → “Search” removed" in line for line in change_lines(fast))
