"""Markdown summary for chat and documents; iCalendar of milestones and dated cards."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from icalendar import Calendar

from planner import Roadmap
from planner.errors import ValidationError
from planner.io import export_path
from planner.io.ics import PRODID
from planner.io.markdown import markdown_summary


def test_markdown_lists_lanes_cards_milestones_and_objectives(sample_path: Path) -> None:
    with Roadmap.open(sample_path) as r:
        text = markdown_summary(r, today=dt.date(2026, 11, 25))
        lanes = [lane.name for lane in r.lanes()]
        cards = r.cards()
        objective = r.objectives()[0]
    assert text.startswith("# ")
    assert "25 Nov 2026" in text
    for name in lanes:
        assert f"## {name}" in text
    dated = next(c for c in cards if c.scheduled)
    assert dated.title in text
    assert "## Milestones" in text and "## Objectives" in text
    assert objective.name in text and "of the way" in text


def test_markdown_escapes_file_text_and_follows_the_view(roadmap: Roadmap) -> None:
    lane = roadmap.add_lane("Team *bold*")
    roadmap.add_card("<img src=x> [link](http://x)", lane_id=lane.id,
                     start=dt.date(2026, 3, 2), end=dt.date(2026, 4, 28))
    roadmap.add_card("Secret", lane_id=lane.id, internal=True)
    view = roadmap.add_view("Customers", hide_internal=True, precision="month")
    text = markdown_summary(roadmap, view)
    assert "\\<img src=x\\> \\[link\\](http://x)" in text
    assert "Team \\*bold\\*" in text
    assert "Secret" not in text
    assert "Mar – Apr 2026" in text


def test_changes_since_a_snapshot(roadmap: Roadmap, tmp_path: Path) -> None:
    roadmap.take_snapshot("Q3 review")
    roadmap.add_card("New since then")
    export_path(roadmap, tmp_path / "out.md", since="Q3 review")
    text = (tmp_path / "out.md").read_text(encoding="utf-8")
    assert "What changed since Q3 review" in text
    with pytest.raises(ValidationError, match="no snapshot"):
        export_path(roadmap, tmp_path / "x.md", since="Nope")
    assert not (tmp_path / "x.md").exists()


def test_ics_milestones_are_all_day_with_stable_uids(roadmap: Roadmap, tmp_path: Path) -> None:
    roadmap.add_milestone("3.0 release, big", dt.date(2027, 2, 4))
    roadmap.add_card("Dated", start=dt.date(2027, 1, 4), end=dt.date(2027, 1, 29), tags=["a"])
    roadmap.add_card("Backlog")
    export_path(roadmap, tmp_path / "one.ics")
    export_path(roadmap, tmp_path / "two.ics", with_cards=True)
    raw = (tmp_path / "one.ics").read_bytes()
    assert b"DTSTART;VALUE=DATE:20270204" in raw and b"DTEND;VALUE=DATE:20270205" in raw
    assert b"\r\n" in raw
    one = Calendar.from_ical(raw)
    two = Calendar.from_ical((tmp_path / "two.ics").read_bytes())
    assert str(one["prodid"]) == PRODID and str(one["version"]) == "2.0"
    events_one = one.walk("VEVENT")
    events_two = two.walk("VEVENT")
    assert len(events_one) == 1 and len(events_two) == 2
    assert str(events_one[0]["summary"]) == "3.0 release, big"
    assert events_one[0]["uid"] == events_two[0]["uid"]
    card = events_two[1]
    assert card.decoded("dtstart") == dt.date(2027, 1, 4)
    assert card.decoded("dtend") == dt.date(2027, 1, 30)
    for event in events_two:
        assert "dtstamp" in event and "uid" in event


def test_csv_export_follows_the_view(roadmap: Roadmap, tmp_path: Path) -> None:
    roadmap.add_card("Public")
    roadmap.add_card("Internal", internal=True)
    view = roadmap.add_view("Outside", hide_internal=True)
    export_path(roadmap, tmp_path / "v.csv", view=view)
    text = (tmp_path / "v.csv").read_text(encoding="utf-8-sig")
    assert "Public" in text and "Internal," not in text
