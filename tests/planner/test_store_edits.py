"""update_cards: one read, the cards it returns and keeps are what a re-read gives."""

from __future__ import annotations

import datetime as dt
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import Criterion, Roadmap, ValidationError
from planner.store import _CARD_SELECT, card_from_row


def _reread(path: Path, card_id: int):
    conn = sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True)
    try:
        row = conn.execute(_CARD_SELECT + " WHERE plan_id = 1 AND id = ?", (card_id,)).fetchone()
    finally:
        conn.close()
    return card_from_row(row)


@pytest.fixture
def filled(roadmap: Roadmap):
    lane = roadmap.add_lane("Platform")
    other = roadmap.add_lane("Growth")
    objective = roadmap.add_objective("Retention")
    card = roadmap.add_card("Card", lane.id, dt.date(2026, 3, 2), dt.date(2026, 3, 20),
                            tags=["api"], estimate=3)  # fmt: skip
    return roadmap, card, lane, other, objective


text = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
               max_size=20)
changes = st.fixed_dictionaries(
    {},
    optional={
        "title": text.filter(str.strip),
        "estimate": st.none() | st.integers(0, 100) | st.floats(0, 100),
        "reach": st.none() | st.integers(0, 10**9),
        "tags": st.lists(st.sampled_from(["api", "API", " ux ", "infra"]), max_size=3),
        "criteria": st.lists(st.sampled_from([Criterion("a"), Criterion("b", True),
                                              {"text": "c", "done": 1}]), max_size=2),
        "internal": st.booleans(),
        "status": st.sampled_from(["idea", "planned", "done"]),
        "color": st.none() | st.just("#aabbcc"),
        "owner": text,
        "description": text,
        "priority": st.none() | st.sampled_from(["must", "should", "could"]),
        "impact": st.none() | st.floats(0, 3),
        "confidence": st.none() | st.integers(0, 100),
        "external_key": st.none() | st.just("") | st.just("JIRA-1"),
        "position": st.integers(-5, 10**6),
    },
)


@settings(max_examples=60, deadline=None)
@given(fields=changes, days=st.integers(-30, 30), lane_pick=st.sampled_from([0, 1, 2]))
def test_updated_cards_equal_a_reread(fields, days: int, lane_pick: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, Roadmap.create(Path(tmp) / "h.roadmap") as r:
        path = r.path
        lanes = [None, r.add_lane("A").id, r.add_lane("B").id]
        card = r.add_card("Card", lanes[1], dt.date(2026, 3, 2), dt.date(2026, 3, 20))
        assert card.start is not None and card.end is not None
        move = {"start": card.start + dt.timedelta(days=days),
                "end": card.end + dt.timedelta(days=days), "lane_id": lanes[lane_pick]}  # fmt: skip
        before, after = r.update_cards_with_before({card.id: {**fields, **move}})
        assert before == {card.id: card}
        assert after[card.id] == _reread(path, card.id)
        assert r.cards_by_id([card.id]) == after
        assert r.card(card.id) == after[card.id]


def test_only_the_named_lanes_and_objectives_are_checked(filled) -> None:
    roadmap, card, _lane, other, objective = filled
    with pytest.raises(ValidationError, match="no lane"):
        roadmap.update_cards({card.id: {"lane_id": 999}})
    with pytest.raises(ValidationError, match="no objective"):
        roadmap.update_cards({card.id: {"objective_id": 999}})
    with pytest.raises(ValidationError, match="must be an id"):
        roadmap.update_cards({card.id: {"lane_id": True}})
    with pytest.raises(ValidationError, match="no card"):
        roadmap.update_cards({card.id + 100: {"title": "x"}})
    assert roadmap.card(card.id) == card  # nothing written
    new = roadmap.update_cards({card.id: {"lane_id": other.id, "objective_id": objective.id}})
    assert (new[card.id].lane_id, new[card.id].objective_id) == (other.id, objective.id)


def test_kept_cards_give_way_to_writes_by_another_connection(filled, roadmap_path) -> None:
    roadmap, card, *_ = filled
    roadmap.update_cards({card.id: {"title": "Mine"}})
    assert roadmap.cards_by_id([card.id])[card.id].title == "Mine"
    conn = sqlite3.connect(roadmap_path)
    try:
        conn.execute("UPDATE cards SET title = 'Theirs' WHERE id = ?", (card.id,))
        conn.commit()
    finally:
        conn.close()
    assert roadmap.cards_by_id([card.id])[card.id].title == "Theirs"


def test_kept_cards_give_way_to_the_next_transaction(filled) -> None:
    roadmap, card, _lane, other, _objective = filled
    roadmap.update_cards({card.id: {"title": "First"}})
    deleted = roadmap.delete_lane(card.lane_id)  # sets the card's lane in SQL
    assert roadmap.cards_by_id([card.id])[card.id].lane_id is None
    roadmap.restore_lane(deleted)
    with roadmap.transaction() as conn:  # an update inside a larger transaction
        roadmap.update_cards({card.id: {"lane_id": other.id}})
        conn.execute("UPDATE cards SET title = 'Changed after' WHERE id = ?", (card.id,))
    assert roadmap.cards_by_id([card.id])[card.id].title == "Changed after"


def test_a_failed_update_keeps_nothing(filled) -> None:
    roadmap, card, *_ = filled
    roadmap.update_cards({card.id: {"title": "Saved"}})
    roadmap._conn.execute("PRAGMA query_only = ON")
    with pytest.raises(Exception, match="read-only"):
        roadmap.update_cards({card.id: {"title": "Not saved"}})
    roadmap._conn.execute("PRAGMA query_only = OFF")
    assert roadmap.cards_by_id([card.id])[card.id].title == "Saved"
    assert roadmap.card(card.id).title == "Saved"


def test_an_update_writes_the_whole_card_as_it_reads(filled, roadmap_path) -> None:
    """Odd stored values (from another tool) are written back normalised, as ever."""
    roadmap, card, *_ = filled
    conn = sqlite3.connect(roadmap_path)
    try:
        conn.execute("UPDATE cards SET tags = 'not json', estimate = 'abc', internal = 1"
                     " WHERE id = ?", (card.id,))  # fmt: skip
        conn.commit()
    finally:
        conn.close()
    new = roadmap.update_cards({card.id: {"title": "Renamed"}})[card.id]
    assert (new.tags, new.estimate, new.internal) == ((), None, True)
    conn = sqlite3.connect(roadmap_path)
    try:
        row = conn.execute("SELECT title, tags, estimate, internal FROM cards"
                           " WHERE id = ?", (card.id,)).fetchone()  # fmt: skip
    finally:
        conn.close()
    assert row == ("Renamed", "[]", None, 1)
    assert _reread(roadmap_path, card.id) == new
